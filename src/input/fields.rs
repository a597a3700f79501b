//! Canonical fields (SPEC §4) and how a file's headers map to them.
//!
//! Matching is case- and punctuation-insensitive: `Created at`, `created_at` and
//! `CREATED-AT` all normalise to `createdat`. Each field lists its vendor synonyms
//! in order of preference; `--map FIELD=COLUMN` overrides the automatic choice.

use std::collections::BTreeMap;

use crate::data_err;
use crate::error::Result;
use crate::usage_err;

/// The kind of value a field holds, which decides how it is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Timestamp,
    Number,
    Bool,
}

/// One canonical field.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// Normalised header names that map to it automatically, preferred first.
    pub synonyms: &'static [&'static str],
}

impl Field {
    /// Does it hold numbers (counts, money, durations; survey scores, which may
    /// also be labels)?
    pub fn reads_numbers(&self) -> bool {
        self.kind == Kind::Number || matches!(self.name, "score" | "csat" | "ces" | "nps")
    }
}

const fn field(
    name: &'static str,
    kind: Kind,
    required: bool,
    synonyms: &'static [&'static str],
) -> Field {
    Field {
        name,
        kind,
        required,
        synonyms,
    }
}

/// Ticket fields. Synonyms come from the Zendesk, Freshdesk, osTicket and NYC 311
/// exports described in EXPORTS.md.
pub const TICKET_FIELDS: &[Field] = &[
    field(
        "ticket_id",
        Kind::Text,
        true,
        &[
            "ticketid",
            "id",
            "ticketnumber",
            "ticketno",
            "ticket",
            "caseid",
            "casenumber",
            "uniquekey",
            "requestid",
            "conversationid",
            "issuekey",
        ],
    ),
    field(
        "created_at",
        Kind::Timestamp,
        true,
        &[
            "createdat",
            "createdtime",
            "created",
            "createddate",
            "datecreated",
            "creationdate",
            "createdon",
            "openedat",
            "opendate",
            "ticketcreatedtimestamp",
            "createdattimestamp",
        ],
    ),
    field(
        "first_response_at",
        Kind::Timestamp,
        false,
        &[
            "firstresponseat",
            "initialresponsetime",
            "firstrepliedat",
            "firstreplyat",
            "firstresponsedate",
            "firstrespondedat",
            "respondedat",
        ],
    ),
    field(
        "resolved_at",
        Kind::Timestamp,
        false,
        &[
            "resolvedat",
            "resolvedtime",
            "resolveddate",
            "solvedat",
            "solvedtime",
            "dateresolved",
            "resolutiondate",
        ],
    ),
    // A closed ticket without a resolution time was resolved when it was closed.
    field(
        "closed_at",
        Kind::Timestamp,
        false,
        &["closedat", "closedtime", "closeddate", "dateclosed"],
    ),
    field(
        "status",
        Kind::Text,
        false,
        &["status", "ticketstatus", "currentstatus", "state"],
    ),
    field(
        "agent",
        Kind::Text,
        false,
        &[
            "agent",
            "assignee",
            "agentname",
            "assignedto",
            "agentassigned",
            "assigneename",
            "owner",
            // Zendesk's API and warehouse tables (fivetran/dbt_zendesk).
            "assigneeid",
        ],
    ),
    field(
        "team",
        Kind::Text,
        false,
        &[
            "team",
            "group",
            "groupname",
            "teamassigned",
            "department",
            "queue",
            "groupid",
        ],
    ),
    field(
        "channel",
        Kind::Text,
        false,
        &[
            "channel",
            "via",
            "source",
            "ticketchannel",
            "opendatachanneltype",
            "medium",
            "viachannel",
        ],
    ),
    field(
        "priority",
        Kind::Text,
        false,
        &["priority", "ticketpriority", "urgency"],
    ),
    field(
        "customer_id",
        Kind::Text,
        false,
        &[
            "customerid",
            "requesterid",
            "contactid",
            "clientid",
            "accountid",
            "customer",
        ],
    ),
    field(
        "agent_replies",
        Kind::Number,
        false,
        &[
            "agentreplies",
            "replies",
            "agentinteractions",
            "replycount",
            "publicreplies",
        ],
    ),
    field(
        "reopens",
        Kind::Number,
        false,
        &["reopens", "reopencount", "timesreopened"],
    ),
    field(
        "fcr",
        Kind::Bool,
        false,
        &[
            "fcr",
            "firstcontactresolution",
            "resolvedonfirstcontact",
            "onetouch",
        ],
    ),
    field(
        "sla_met",
        Kind::Bool,
        false,
        &["slamet", "madesla", "withinsla", "slaachieved"],
    ),
    field(
        "first_response_minutes",
        Kind::Number,
        false,
        &[
            "firstresponseminutes",
            "firstreplytimeinminutes",
            "firstresponsetimeinminutes",
            "firstresponsetimeminutes",
        ],
    ),
    field(
        "first_response_hours",
        Kind::Number,
        false,
        &[
            "firstresponsehours",
            "firstresponsetimeinhrs",
            "firstresponsetimeinhours",
            "firstresponsetimehours",
        ],
    ),
    field(
        "first_response_seconds",
        Kind::Number,
        false,
        &[
            "firstresponseseconds",
            "firstreplytimeinseconds",
            "firstresponsetimeinseconds",
            "firstresponsetimeseconds",
        ],
    ),
    field(
        "resolution_seconds",
        Kind::Number,
        false,
        &[
            "resolutionseconds",
            "fullresolutiontimeinseconds",
            "resolutiontimeinseconds",
            "resolutiontimeseconds",
        ],
    ),
    field(
        "resolution_minutes",
        Kind::Number,
        false,
        &[
            "resolutionminutes",
            "fullresolutiontimeinminutes",
            "resolutiontimeinminutes",
            "firstresolutiontimeinminutes",
        ],
    ),
    field(
        "resolution_hours",
        Kind::Number,
        false,
        &[
            "resolutionhours",
            "resolutiontimeinhrs",
            "resolutiontimeinhours",
            "resolutiontime",
        ],
    ),
    // HubSpot writes its durations in milliseconds.
    field(
        "first_response_milliseconds",
        Kind::Number,
        false,
        &[
            "firstresponsemilliseconds",
            "firstresponsetimeinmilliseconds",
            "firstresponsems",
        ],
    ),
    field(
        "resolution_milliseconds",
        Kind::Number,
        false,
        &[
            "resolutionmilliseconds",
            "resolutiontimeinmilliseconds",
            "resolutionms",
        ],
    ),
];

/// Survey response fields: long form (`survey` + `score`) or wide form (`csat`, `ces`,
/// `nps`). Synonyms follow the Typeform, Delighted, Chatwoot, Medallia and Zendesk
/// shapes in EXPORTS.md.
pub const SURVEY_FIELDS: &[Field] = &[
    field(
        "response_id",
        Kind::Text,
        false,
        &[
            "responseid",
            "id",
            "respondentid",
            "requestid",
            "surveyresponseid",
            "reviewid",
        ],
    ),
    field(
        "ticket_id",
        Kind::Text,
        false,
        &[
            "ticketid",
            "ticket",
            "ticketnumber",
            "conversationid",
            "caseid",
            "linktotheconversation",
        ],
    ),
    field(
        "customer_id",
        Kind::Text,
        false,
        &[
            "customerid",
            "contactid",
            "requesterid",
            "personid",
            "customer",
        ],
    ),
    field(
        "submitted_at",
        Kind::Timestamp,
        false,
        &[
            "submittedat",
            "submitdateutc",
            "submitdate",
            "submittedon",
            "respondedat",
            "responsereceivedat",
            "reviewanswertimestamp",
            "answeredat",
            "recordeddate",
            "createdat",
            "date",
            "enddate",
            "timestamp",
        ],
    ),
    field(
        "survey",
        Kind::Text,
        false,
        &[
            "survey",
            "surveytype",
            "surveykind",
            "metric",
            "questiontype",
        ],
    ),
    field(
        "score",
        Kind::Text,
        false,
        &["score", "value", "answer", "response"],
    ),
    field(
        "csat",
        Kind::Text,
        false,
        &[
            "csat",
            "csatscore",
            "satisfactionscore",
            // Intercom's conversations export: 1 to 5 stars.
            "conversationrating",
            "satisfaction",
            "customersatisfactionrating",
            "customersatisfaction",
            "rating",
            "starrating",
            "reviewscore",
        ],
    ),
    field(
        "ces",
        Kind::Text,
        false,
        &[
            "ces",
            "cesscore",
            "customereffortscore",
            "effortscore",
            "effort",
        ],
    ),
    field(
        "nps",
        Kind::Text,
        false,
        &[
            "nps",
            "npsscore",
            "netpromoterscore",
            "likelihoodtorecommend",
            "recommend",
        ],
    ),
];

/// Customer fields for churn: subscriptions (`start_date`, `end_date`, `mrr`, `plan`),
/// a churn-flag snapshot (`churned`), or an event table (`event_at`) for activity churn.
// `customer_id` is required by subscription and activity churn (checked there); a
// snapshot without one counts each row as a customer.
pub const CHURN_FIELDS: &[Field] = &[
    field(
        "customer_id",
        Kind::Text,
        false,
        &[
            "customerid",
            "customer",
            "accountid",
            "clientid",
            "subscriberid",
            "userid",
            "requesterid",
            "contactid",
            "id",
        ],
    ),
    field(
        "start_date",
        Kind::Timestamp,
        false,
        &[
            "startdate",
            "startedat",
            "subscriptionstart",
            "subscriptionstartdate",
            "start",
            "activatedat",
            "signupdate",
        ],
    ),
    // When a subscription is to start, read where `start_date` is blank: Chargebee
    // leaves `started_at` blank for a subscription yet to start.
    field(
        "scheduled_start",
        Kind::Timestamp,
        false,
        &["scheduledstart", "scheduledstartdate"],
    ),
    field("end_date", Kind::Timestamp, false, END_DATE_NAMES),
    field(
        "mrr",
        Kind::Number,
        false,
        &[
            "mrr",
            "monthlyrecurringrevenue",
            "monthlycharges",
            "monthlyrevenue",
            // With its currency (`MRR (USD)`, `mrr_eur`) or a qualifier.
            "mrrusd",
            "mrreur",
            "mrrgbp",
            "mrrcad",
            "mrraud",
            "mrrchf",
            "mrrjpy",
            "currentmrr",
            "mrramount",
            "subscriptionmrr",
            "totalmrr",
        ],
    ),
    field(
        "plan",
        Kind::Text,
        false,
        &["plan", "planname", "tier", "product"],
    ),
    // A billing export's price, normalised to MRR when no `mrr` column is given.
    field(
        "amount",
        Kind::Number,
        false,
        &[
            "amount",
            "planamount",
            "unitamount",
            // Stripe's API objects flattened: `price.unit_amount`.
            "priceunitamount",
            "recurringamount",
            "price",
        ],
    ),
    field(
        "quantity",
        Kind::Number,
        false,
        &["quantity", "planquantity", "seats"],
    ),
    field(
        "interval",
        Kind::Text,
        false,
        &[
            "interval",
            "billinginterval",
            "planinterval",
            "pricerecurringinterval",
            "billingperiodunit",
            "billingfrequency",
        ],
    ),
    field(
        "interval_count",
        Kind::Number,
        false,
        &[
            "intervalcount",
            "billingintervalcount",
            // Stripe's API objects flattened: `plan.interval_count`.
            "planintervalcount",
            "pricerecurringintervalcount",
        ],
    ),
    // Read only to warn when MRR would add amounts of several currencies.
    field(
        "currency",
        Kind::Text,
        false,
        &[
            "currency",
            "currencycode",
            "subscriptionscurrencycode",
            "plancurrency",
            "pricecurrency",
        ],
    ),
    field(
        "churned",
        Kind::Bool,
        false,
        &[
            "churned",
            "churn",
            "ischurned",
            "churnflag",
            "churnlabel",
            "exited",
            "attrition",
        ],
    ),
    field(
        "event_at",
        Kind::Timestamp,
        false,
        &[
            "eventat",
            "timestamp",
            "eventtime",
            "occurredat",
            "createdat",
            "createdtime",
            "createddate",
            "date",
        ],
    ),
];

/// Event-log fields (SPEC §9): one row per event of a ticket, role-tagged
/// (`author_role`, `public`) or a status history (ServiceNow's audit log: one row per
/// update, the state after it).
pub const EVENT_FIELDS: &[Field] = &[
    // Not required alone: a threaded log has message ids and replies instead.
    field(
        "ticket_id",
        Kind::Text,
        false,
        &[
            "ticketid",
            "ticket",
            "conversationid",
            "caseid",
            "incidentid",
            "number",
            "incident",
        ],
    ),
    field(
        "at",
        Kind::Timestamp,
        true,
        &[
            "at",
            "eventat",
            "eventtime",
            "timestamp",
            "sysupdatedat",
            "sysupdatedon",
            "commentcreatedat",
            "createdat",
            "time",
        ],
    ),
    field(
        "author_role",
        Kind::Text,
        false,
        &[
            "authorrole",
            "role",
            "authortype",
            "sendertype",
            "usertype",
            "author",
        ],
    ),
    field("public", Kind::Bool, false, &["public", "ispublic"]),
    // Read only where there is no `public`: true is not public.
    field(
        "private",
        Kind::Bool,
        false,
        &["private", "isprivate", "internal", "isinternal"],
    ),
    field(
        "status",
        Kind::Text,
        false,
        &["status", "incidentstate", "state", "ticketstatus"],
    ),
    field(
        "assignee",
        Kind::Text,
        false,
        &["assignee", "assignedto", "owner", "agent"],
    ),
    field(
        "group",
        Kind::Text,
        false,
        &["group", "assignmentgroup", "team", "queue"],
    ),
    field(
        "message_id",
        Kind::Text,
        false,
        &["messageid", "tweetid", "postid", "commentid"],
    ),
    // What tells apart two events alike in every other column read (ServiceNow's
    // update counter): only a copy of the same event repeats it.
    field(
        "event_id",
        Kind::Text,
        false,
        &["eventid", "auditid", "sysmodcount", "updatenumber"],
    ),
    field(
        "in_reply_to",
        Kind::Text,
        false,
        &[
            "inreplyto",
            "inresponsetotweetid",
            "inreplytoid",
            "inreplytostatusid",
            "parentid",
            "replyto",
        ],
    ),
    field(
        "author_id",
        Kind::Text,
        false,
        &["authorid", "userid", "senderid"],
    ),
    field(
        "inbound",
        Kind::Bool,
        false,
        &["inbound", "fromcustomer", "incoming"],
    ),
];

/// Lower-case ASCII letters and digits only: the key headers are matched on.
pub fn normalize(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// Canonical field name → the file's column that holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mapping {
    pub columns: BTreeMap<&'static str, String>,
    /// Fields mapped by `--map` (they win over automatic preferences).
    pub explicit: Vec<&'static str>,
}

impl Mapping {
    pub fn get(&self, field: &str) -> Option<&str> {
        self.columns.get(field).map(String::as_str)
    }

    pub fn has(&self, field: &str) -> bool {
        self.columns.contains_key(field)
    }
}

/// Map `headers` to `fields`: `--map` pairs first, then synonyms in preference order.
/// `file` names the source in errors.
pub fn map_headers(
    file: &str,
    headers: &[String],
    fields: &[Field],
    overrides: &[(String, String)],
) -> Result<Mapping> {
    map_headers_filled(file, headers, fields, overrides, &|_, _| true)
}

/// Is `header`, read as `field`, a column whose blank says something: an end column
/// that records when a subscription stopped running (`ended_at`, Stripe's `Ended At
/// (UTC)`, `expires_at`) is blank while it runs. Such a column, blank in every
/// sampled row, does not give way to a later one that holds values: `canceled_at`
/// beside it is when a cancellation was asked for, to take effect at the period's
/// end. So too Chargebee's `subscriptions.started_at` beside its `start_date`: blank
/// until a subscription starts, when `start_date` is read row by row as
/// `scheduled_start` (without it, a blank `started_at` gives way to `activated_at`).
pub fn blank_is_a_value(field: &str, header: &str, headers: &[String]) -> bool {
    let name = normalize(header);
    match field {
        // Stripe's `Ended At (UTC)`, read by its preset.
        "end_date" => STOPPED.contains(&name.as_str()) || name == "endedatutc",
        "start_date" => {
            name == "subscriptionsstartedat"
                && headers
                    .iter()
                    .any(|h| normalize(h) == "subscriptionsstartdate")
        }
        _ => false,
    }
}

/// `end_date`'s names in order of preference: when a subscription stopped running,
/// then when the customer churned, as the churn is told.
const END_DATE_NAMES: &[&str] = &[
    "enddate",
    "endedat",
    "subscriptionend",
    "subscriptionenddate",
    // Recurly's (and others'): when a cancelled subscription stops running;
    // `canceled_at` is when the cancellation was asked for.
    "expiresat",
    "expiredat",
    "expirationdate",
    "expirydate",
    "endedon",
    "terminationdate",
    "terminatedat",
    "stopdate",
    "deactivatedat",
    // When the customer left, as the churn is told.
    "churndate",
    "churnedat",
    "churnedon",
    "canceledat",
    "cancelledat",
    "cancellationdate",
    "canceldate",
    "canceleddate",
    "cancelleddate",
    "canceledon",
    "cancelledon",
    "datecanceled",
    "datecancelled",
    "end",
];

/// Of [`END_DATE_NAMES`], those saying when a subscription stopped running.
const STOPPED: &[&str] = END_DATE_NAMES.split_at(13).0;

/// [`map_headers`], a field's first synonym column that is `filled(field, header)`
/// (has a value in the sample) taken over an earlier one that is empty: a blank `churn_date` beside a
/// `canceled_at` of dates gives way to it.
pub fn map_headers_filled(
    file: &str,
    headers: &[String],
    fields: &[Field],
    overrides: &[(String, String)],
    filled: &dyn Fn(&str, &str) -> bool,
) -> Result<Mapping> {
    let mut mapping = Mapping::default();
    let mut taken: Vec<&str> = Vec::new();
    for (name, column) in overrides {
        let field = fields.iter().find(|f| f.name == name).ok_or_else(|| {
            let known: Vec<&str> = fields.iter().map(|f| f.name).collect();
            usage_err!(
                "--map: unknown field '{name}' (fields: {})",
                known.join(", ")
            )
        })?;
        // As typed on a command line.
        let typed = crate::text::shell_word(column);
        if headers.iter().filter(|h| h.as_str() == column).count() > 1 {
            return Err(data_err!(
                "{file}: --map {name}={typed}: the header '{column}' appears more than once; rename one of them"
            ));
        }
        let like: Vec<&String> = (headers.iter())
            .filter(|h| crate::text::same_in_any_case(h.trim(), column.trim()))
            .collect();
        let exact = headers.iter().find(|h| h.as_str() == column);
        // Not typed exactly and matching several: no choice of one is the user's.
        if exact.is_none() && like.len() > 1 {
            let names: Vec<String> = like.iter().map(|h| crate::text::form_shown(h)).collect();
            return Err(usage_err!(
                "{file}: --map {name}={typed}: several columns match in case or Unicode form ({}); give the exact spelling",
                names.join(", ")
            ));
        }
        let found = exact.or_else(|| like.first().copied()).ok_or_else(|| {
            data_err!(
                "{file}: --map {name}={typed}: no column '{}' (headers found: {}){}",
                crate::text::printable(column),
                crate::text::headers_shown(headers),
                crate::text::spaced_like(headers, column)
            )
        })?;
        mapping.columns.insert(field.name, found.clone());
        mapping.explicit.push(field.name);
        taken.push(found);
    }
    let normalized: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
    for field in fields {
        if mapping.has(field.name) {
            continue;
        }
        let hits: Vec<usize> = (field.synonyms.iter())
            .filter_map(|syn| {
                normalized
                    .iter()
                    .position(|n| n == syn)
                    .filter(|&i| !taken.contains(&headers[i].as_str()))
            })
            .collect();
        // Only a choice asks whether a column is filled (which may read the file).
        let hit = match hits.len() {
            0 | 1 => hits.first().copied(),
            _ => (hits.iter().copied())
                .find(|&i| filled(field.name, &headers[i]))
                .or(hits.first().copied()),
        };
        if let Some(i) = hit {
            mapping.columns.insert(field.name, headers[i].clone());
            taken.push(&headers[i]);
        }
    }
    // An interval named as a unit (Chargebee's `billing_period_unit`) counts its units
    // in the column named as it without `unit` (`billing_period`: 3 months a quarter),
    // where that column's sampled cells are counts (`filled`; not `Quarterly`).
    let count = fields.iter().find(|f| f.name == "interval_count");
    if let (Some(count), Some(unit)) = (count, mapping.columns.get("interval")) {
        let unit = normalize(unit);
        let stem = unit.strip_suffix("unit").filter(|s| !s.is_empty());
        let found = stem.and_then(|stem| {
            (headers.iter()).find(|h| {
                normalize(h) == stem && !taken.contains(&h.as_str()) && filled(count.name, h)
            })
        });
        if let (Some(h), false) = (found, mapping.has(count.name)) {
            mapping.columns.insert(count.name, h.clone());
        }
    }
    Ok(mapping)
}

/// Refuse a mapping that picked one of two columns reading alike ("Status" and
/// "status", or one name twice) for a field: taking the first would be a silent
/// guess. Fields mapped by `--map` or a preset are the user's choice, not a guess.
pub fn check_unambiguous(file: &str, headers: &[String], mapping: &Mapping) -> Result<()> {
    for (field, column) in &mapping.columns {
        let Some(i) = headers.iter().position(|h| h == column) else {
            continue;
        };
        if mapping.explicit.contains(field) {
            continue;
        }
        // One name twice: no --map can tell the two apart.
        if let Some(j) = (i + 1..headers.len()).find(|&j| headers[j] == *column) {
            return Err(data_err!(
                "{file}: columns {} and {} are both named '{}' and both read as field '{field}'; rename one of them in the header (a --map cannot tell them apart)",
                i + 1,
                j + 1,
                crate::text::printable(column),
            ));
        }
        let key = normalize(column);
        // A column without a header (a trailing comma) names nothing.
        let twin = (0..headers.len()).find(|&j| {
            j != i
                && !headers[j].trim().is_empty()
                && normalize(&headers[j]) == key
                && !mapping
                    .columns
                    .values()
                    .any(|c| *c == headers[j] && c != column)
        });
        if let Some(j) = twin {
            return Err(data_err!(
                "{file}: columns {} '{}' and {} '{}' both read as field '{field}'; choose one with --map {field}=COLUMN",
                i + 1,
                crate::text::printable(&headers[i]),
                j + 1,
                crate::text::printable(&headers[j]),
            ));
        }
    }
    Ok(())
}

/// What a file holds, judged from its headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dataset {
    Tickets,
    Surveys,
    Subscriptions,
    ChurnSnapshot,
    Events,
}

impl Dataset {
    /// Does this dataset read exactly `fields`? (Field lists are compared by name: a
    /// `const` slice need not have one address.)
    pub fn reads(self, fields: &[Field]) -> bool {
        let own = self.fields();
        own.len() == fields.len() && own.iter().zip(fields).all(|(a, b)| a.name == b.name)
    }

    pub fn fields(self) -> &'static [Field] {
        match self {
            Dataset::Tickets => TICKET_FIELDS,
            Dataset::Surveys => SURVEY_FIELDS,
            Dataset::Subscriptions | Dataset::ChurnSnapshot => CHURN_FIELDS,
            Dataset::Events => EVENT_FIELDS,
        }
    }

    /// What the data is, without the command that reads it.
    pub fn noun(self) -> &'static str {
        match self {
            Dataset::Tickets => "tickets",
            Dataset::Surveys => "survey responses",
            Dataset::Subscriptions => "subscriptions",
            Dataset::ChurnSnapshot => "a churn-flag snapshot",
            Dataset::Events => "an event log",
        }
    }

    /// The option of `report` and `customers` its files are given with.
    pub fn option(self) -> &'static str {
        match self {
            Dataset::Tickets => "--tickets",
            Dataset::Surveys => "--surveys",
            Dataset::Subscriptions | Dataset::ChurnSnapshot => "--subscriptions",
            Dataset::Events => "--events",
        }
    }

    /// How to give a file of this kind: its option, or its saved report's key.
    pub fn given_as(self) -> String {
        let option = self.option();
        let key = option.trim_start_matches('-');
        let events = match self {
            Dataset::Events => "; customers and drivers read no event log",
            _ => "",
        };
        format!("{option} FILE (a saved report's {key} = \"FILE\"){events}")
    }

    pub fn describe(self) -> &'static str {
        match self {
            Dataset::Tickets => "tickets (cxm tickets)",
            Dataset::Surveys => "survey responses (cxm surveys)",
            Dataset::Subscriptions => "subscriptions (cxm churn)",
            Dataset::ChurnSnapshot => "a churn-flag snapshot (cxm churn)",
            Dataset::Events => "an event log (cxm tickets --events FILE, the option given once per log: --events a.csv --events b.csv)",
        }
    }
}

/// The headers of cxm's own report as CSV (`section`, the groups, `metric`,
/// `value`): written into a data folder, it is not survey data (`metric` and `value`
/// would read as a survey kind and a score).
pub fn is_cxm_report(headers: &[String]) -> bool {
    cxm_output(headers).is_some()
}

/// [`cxm_output`] of `report`'s tidy CSV.
pub const TIDY_REPORT: &str = "a report cxm wrote (section, metric, value)";

/// Do the headers hold `tickets --per-ticket`'s table: `ticket_id`, the group
/// columns, then `created_at` and both durations in one unit? Its rows are the
/// tickets of an export (or a log) it was worked out from.
pub fn per_ticket_table(headers: &[String]) -> bool {
    let Some(at) = headers.iter().position(|h| h == "created_at") else {
        return false;
    };
    let next = |i: usize| headers.get(at + i).map(String::as_str);
    headers.first().is_some_and(|h| h == "ticket_id")
        && ["hours", "minutes", "seconds"].iter().any(|u| {
            next(1) == Some(format!("first_response_{u}").as_str())
                && next(2) == Some(format!("resolution_{u}").as_str())
        })
}

/// What cxm wrote, when a file in a data folder is its own output rather than data:
/// `report`'s tidy CSV, a `--rejects` file, or a table of metrics (`customers`,
/// `tickets -o`, `churn -o`), told by one of the aggregate columns only cxm names so,
/// or two of the others.
pub fn cxm_output(headers: &[String]) -> Option<&'static str> {
    // No export of rows holds an aggregate of them.
    const AGGREGATES: [&str; 14] = [
        "net_mrr_retention_pct",
        "first_response_mean_hours",
        "first_response_median_hours",
        "resolution_mean_hours",
        "resolution_median_hours",
        "csat_responses",
        "ces_responses",
        "nps_responses",
        "customers_start",
        "churn_pct",
        "mrr_churn_pct",
        "survival_pct",
        "outcome_pct",
        "relative_risk",
    ];
    const METRICS: [&str; 7] = [
        "reopened_tickets",
        "fcr_pct",
        "reopen_pct",
        "last_nps",
        "at_risk",
        "censored",
        "retention_pct",
    ];
    let n = headers.len();
    if n >= 3 && headers[0] == "section" && headers[n - 2..] == ["metric", "value"] {
        return Some(TIDY_REPORT);
    }
    if headers.starts_with(&["file", "line", "reason", "column", "value"].map(String::from)) {
        return Some("a --rejects file cxm wrote");
    }
    // `churn --cohorts` without MRR holds one metric name alone (after its groups').
    let cohorts = ["cohort", "age", "customers", "active", "retention_pct"].map(String::from);
    if headers.windows(cohorts.len()).any(|w| w == cohorts) {
        return Some("a table of metrics cxm wrote");
    }
    // `inspect`'s table (with a `file` column first when it looked at several).
    let inspected = ["column", "field", "type", "format", "empty", "example"].map(String::from);
    let file_first = headers.first().is_some_and(|h| h == "file");
    if headers.starts_with(&inspected) || file_first && headers[1..].starts_with(&inspected) {
        return Some("a table cxm inspect wrote");
    }
    let count = |names: &[&str]| {
        headers
            .iter()
            .filter(|h| names.contains(&h.as_str()))
            .count()
    };
    (count(&AGGREGATES) >= 1 || count(&METRICS) >= 2).then_some("a table of metrics cxm wrote")
}

/// Ticket fields beyond the id and the creation time that tell a ticket export,
/// besides [`TICKET_ONLY`]'s: its assignment and channel.
const TICKET_DETAIL: &[&str] = &["agent", "team", "channel"];

/// Tickets by their ids and creation times alone (no figure, group or status, no
/// helpdesk's own export): beside a ticket export in a folder, a table keyed to its
/// tickets (Zendesk's ticket schedules), not more tickets.
pub fn bare_tickets(headers: &[String]) -> bool {
    let tickets = map_headers("", headers, TICKET_FIELDS, &[]).unwrap_or_default();
    classify(headers) == Some(Dataset::Tickets)
        && !(TICKET_ONLY.iter().chain(TICKET_DETAIL)).any(|f| tickets.has(f))
        && super::preset::detect(headers, Dataset::Tickets).is_none()
}

/// Classify a file by which canonical fields its headers map to. Subscriptions need
/// customer_id + start_date; a snapshot customer_id + churned; tickets ticket_id +
/// created_at + some ticket detail; surveys score columns.
pub fn classify(headers: &[String]) -> Option<Dataset> {
    if is_cxm_report(headers) {
        return None;
    }
    let map = |fields| map_headers("", headers, fields, &[]).unwrap_or_default();
    let churn = map(CHURN_FIELDS);
    let tickets = map(TICKET_FIELDS);
    let surveys = map(SURVEY_FIELDS);
    let ticket_detail = ticket_detail(headers, &tickets);
    let scores = (surveys.has("survey") && surveys.has("score"))
        || ["csat", "ces", "nps"].iter().any(|f| surveys.has(f));
    // An event log: role-tagged events, or a status history stamped by update time
    // (a ticket export has a creation time and no such stamp).
    let events = map(EVENT_FIELDS);
    let normalized: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
    // Not `sys_updated_on`: ServiceNow's incident export has it too, one row an incident.
    let update_stamp = ["sysupdatedat", "eventat", "eventtime", "at"]
        .iter()
        .any(|h| normalized.iter().any(|n| n == h));
    let threaded = events.has("message_id") && events.has("in_reply_to") && events.has("inbound");
    // Roles from `inbound` (Freshdesk's conversations' `incoming`) beside an update
    // stamp or a visibility column, and no ticket's own times or priority: a ticket
    // export may have an `Inbound` channel and an `is_public` flag.
    let ticket_own = (TICKET_ONLY.iter()).any(|f| *f != "status" && tickets.has(f));
    let inbound_roles = events.has("inbound")
        && (update_stamp || events.has("public") || events.has("private"))
        && !ticket_own;
    let event_log = events.has("at")
        && (threaded
            || events.has("ticket_id")
                && (events.has("author_role")
                    || inbound_roles
                    || (update_stamp && events.has("status"))));
    if event_log {
        Some(Dataset::Events)
    } else if churn.has("customer_id") && churn.has("start_date") && billed(headers, &churn) {
        Some(Dataset::Subscriptions)
    } else if tickets.has("ticket_id") && tickets.has("created_at") && ticket_detail {
        Some(Dataset::Tickets)
    } else if super::preset::detect(headers, Dataset::Tickets).is_some() {
        // A helpdesk's own export, with its own CSAT (Intercom's rating) perhaps.
        Some(Dataset::Tickets)
    } else if scores {
        Some(Dataset::Surveys)
    } else if churn.has("customer_id") && churn.has("churned") {
        Some(Dataset::ChurnSnapshot)
    } else if tickets.has("ticket_id")
        && tickets.has("created_at")
        && bare_but_tickets(headers, &tickets)
    {
        Some(Dataset::Tickets)
    } else if churn.has("churned") {
        // A snapshot without ids (telecom churn sets): each row is a customer.
        Some(Dataset::ChurnSnapshot)
    } else {
        // A known export whose names the synonyms do not cover (ServiceNow's, Stripe's).
        [Dataset::Tickets, Dataset::Surveys, Dataset::Subscriptions]
            .into_iter()
            .find(|&d| super::preset::detect(headers, d).is_some())
    }
}

/// Fields only a ticket has (a comment, a rating or an organization may name a group
/// or an assignee too).
const TICKET_ONLY: &[&str] = &[
    "first_response_at",
    "resolved_at",
    "closed_at",
    "status",
    "priority",
    "first_response_minutes",
    "first_response_hours",
    "first_response_seconds",
    "first_response_milliseconds",
    "resolution_minutes",
    "resolution_hours",
    "resolution_seconds",
    "resolution_milliseconds",
];

/// Headers only a ticket has beside a generic `id`: its subject, its requester.
fn ticket_words(headers: &[String]) -> bool {
    const WORDS: &[&str] = &[
        "subject",
        "requester",
        "requesterid",
        "requesteremail",
        "requestername",
    ];
    headers
        .iter()
        .any(|h| WORDS.contains(&normalize(h).as_str()))
}

/// The rows' own `id` beside a `ticket_id` read from another column: comments, ratings
/// or tags of tickets, not tickets.
fn id_beside_ticket_id(headers: &[String], tickets: &Mapping) -> bool {
    !generic_id(tickets) && headers.iter().any(|h| normalize(h) == "id")
}

/// Does a file with a ticket id and a creation time hold tickets by more than those?
/// A generic `id` with a group alone is an organization's row as well; an `id` beside
/// a `ticket_id` is a comment's or a rating's, unless a ticket's own field is there.
fn ticket_detail(headers: &[String], tickets: &Mapping) -> bool {
    let only = TICKET_ONLY.iter().any(|f| tickets.has(f));
    if id_beside_ticket_id(headers, tickets) {
        only
    } else if generic_id(tickets) {
        only || tickets.has("agent") || tickets.has("channel") || ticket_words(headers)
    } else {
        (TICKET_ONLY.iter().chain(TICKET_DETAIL)).any(|f| tickets.has(f))
    }
}

/// A ticket id and a creation time alone are tickets when the id is named as a
/// ticket's, with no other `id` beside it; a generic `id` needs a ticket's own header
/// (a users or groups table has an `id` and a `created_at` too).
fn bare_but_tickets(headers: &[String], tickets: &Mapping) -> bool {
    !id_beside_ticket_id(headers, tickets) && (!generic_id(tickets) || ticket_words(headers))
}

/// Subscriptions by their customer and start: with a customer id read from a column
/// named `id` alone and no billing figure, not when another column is an id of
/// something else (a holiday's `schedule_id`).
fn billed(headers: &[String], churn: &Mapping) -> bool {
    let generic = churn
        .get("customer_id")
        .is_some_and(|c| normalize(c) == "id");
    let billing = ["mrr", "plan", "amount", "quantity", "interval", "currency"]
        .iter()
        .any(|f| churn.has(f));
    // `schedule_id`, `Schedule ID`, `scheduleId`: not `paid`, `VALID`; a plan's,
    // a price's or a customer's id is the subscription's own.
    let other_id = headers.iter().any(|h| {
        let h = h.trim();
        let lower = h.to_ascii_lowercase();
        let camel =
            h.len() > 2 && h.ends_with("Id") && h.as_bytes()[h.len() - 3].is_ascii_lowercase();
        let stem = lower
            .strip_suffix("_id")
            .or_else(|| lower.strip_suffix(" id"))
            .or_else(|| lower.strip_suffix("-id"))
            .or_else(|| camel.then(|| &lower[..lower.len() - 2]));
        let billing = [
            "plan",
            "price",
            "product",
            "customer",
            "account",
            "subscription",
        ];
        stem.is_some_and(|s| !s.is_empty() && !billing.iter().any(|b| s.ends_with(b)))
    });
    !generic || billing || !other_id
}

/// Is the ticket id read from a column named `id` alone (whose rows may be anything)?
fn generic_id(tickets: &Mapping) -> bool {
    tickets
        .get("ticket_id")
        .is_some_and(|c| normalize(c) == "id")
}

/// Do the headers hold a ticket export (one row per ticket: its response,
/// resolution, reply and reopen counts), rather than an event log that names its
/// time `created_at` (a status history: `ticket_id,created_at,status`)?
pub fn ticket_export(headers: &[String]) -> bool {
    let tickets = map_headers("", headers, TICKET_FIELDS, &[]).unwrap_or_default();
    // A field the ticket metrics read beyond the id and the creation time.
    let measures = (crate::metrics::tickets::FIELDS.iter())
        .filter(|f| !matches!(**f, "ticket_id" | "created_at"));
    classify(headers) == Some(Dataset::Tickets) && measures.into_iter().any(|f| tickets.has(f))
}

/// The error for a required field that no column maps to.
/// When a file's headers say it holds another kind of data than `fields` read (a
/// folder of several exports given to one command, or a file to the wrong one): what
/// it holds, and the way out:
/// its kind's option when the files were `given_by_kind` (`report --tickets`).
pub fn another_kind(headers: &[String], fields: &[Field], given_by_kind: bool) -> Option<String> {
    let kind = classify(headers)?;
    (!kind.reads(fields)).then(|| match given_by_kind {
        true => format!(
            "its headers say it holds {}; give it as {}",
            kind.noun(),
            kind.given_as()
        ),
        false => format!(
            "its headers say it holds {}: give it to that command, or a folder of several kinds of data to cxm report",
            kind.describe()
        ),
    })
}

pub fn missing_field(file: &str, field: &str, headers: &[String]) -> crate::error::CxmError {
    missing_field_mapped_by(file, field, headers, &format!("--map {field}=COLUMN"))
}

/// [`missing_field`], naming `map` as the way to map a column to it (a config file's
/// table where `--map` maps another file).
pub fn missing_field_mapped_by(
    file: &str,
    field: &str,
    headers: &[String],
    map: &str,
) -> crate::error::CxmError {
    // The field's name inside a header, beside another delimiter: the file split on
    // the wrong one (a tab file whose header names hold commas).
    let split_wrong = [
        ('\t', "tab", "tabs"),
        (';', ";", "semicolons"),
        ('|', "|", "pipes"),
    ]
    .into_iter()
    .find(|(d, ..)| {
        (headers.iter().filter(|h| h.contains(*d)))
            .any(|h| h.split(*d).any(|part| normalize(part) == normalize(field)))
    });
    let way = match split_wrong {
        Some((_, name, plural)) => format!(
            "a header holds '{field}' among {plural}: the file was split on the wrong delimiter; give --delimiter {name}"
        ),
        None => format!("map one with {map}"),
    };
    data_err!(
        "{file}: no column for required field '{field}' (headers found: {}); {way}",
        crate::text::headers_shown(headers)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(hs: &[&str]) -> Vec<String> {
        hs.iter().map(|s| s.to_string()).collect()
    }

    /// The names of a subscription's stop are those before the churn's own.
    #[test]
    fn stopped_names_are_those_before_the_churns() {
        assert_eq!(STOPPED.first(), Some(&"enddate"));
        assert_eq!(STOPPED.last(), Some(&"deactivatedat"));
        assert_eq!(END_DATE_NAMES[STOPPED.len()], "churndate");
        let none: &[String] = &[];
        assert!(blank_is_a_value("end_date", "Ended At (UTC)", none));
        assert!(!blank_is_a_value("end_date", "churn_date", none));
        assert!(!blank_is_a_value("start_date", "ended_at", none));
        // Chargebee's `started_at` stays the start beside a `start_date` alone.
        let cb = |hs: &[&str]| hs.iter().map(|h| h.to_string()).collect::<Vec<String>>();
        let both = cb(&["subscriptions.started_at", "subscriptions.start_date"]);
        let alone = cb(&["subscriptions.started_at", "subscriptions.activated_at"]);
        assert!(blank_is_a_value(
            "start_date",
            "subscriptions.started_at",
            &both
        ));
        assert!(!blank_is_a_value(
            "start_date",
            "subscriptions.started_at",
            &alone
        ));
    }

    #[test]
    fn normalisation_ignores_case_and_punctuation() {
        assert_eq!(normalize("Created at"), "createdat");
        assert_eq!(
            normalize(" First response time (in hrs) "),
            "firstresponsetimeinhrs"
        );
        assert_eq!(normalize("TICKET-ID"), "ticketid");
    }

    #[test]
    fn zendesk_headers_map_automatically() {
        let h = headers(&[
            "ID",
            "Assignee",
            "Group",
            "Status",
            "Priority",
            "Via",
            "Created at",
            "Solved at",
            "Reopens",
            "Replies",
            "First reply time in minutes",
            "First reply time in minutes within business hours",
            "Full resolution time in minutes",
        ]);
        let m = map_headers("z.csv", &h, TICKET_FIELDS, &[]).unwrap();
        assert_eq!(m.get("ticket_id"), Some("ID"));
        assert_eq!(m.get("created_at"), Some("Created at"));
        assert_eq!(m.get("resolved_at"), Some("Solved at"));
        assert_eq!(m.get("team"), Some("Group"));
        assert_eq!(m.get("agent"), Some("Assignee"));
        assert_eq!(m.get("channel"), Some("Via"));
        assert_eq!(m.get("agent_replies"), Some("Replies"));
        assert_eq!(
            m.get("first_response_minutes"),
            Some("First reply time in minutes")
        );
        assert_eq!(
            m.get("resolution_minutes"),
            Some("Full resolution time in minutes")
        );
    }

    #[test]
    fn freshdesk_resolved_and_closed_both_mapped() {
        let h = headers(&[
            "Ticket ID",
            "Created time",
            "Closed time",
            "Resolved time",
            "Initial response time",
        ]);
        let m = map_headers("f.csv", &h, TICKET_FIELDS, &[]).unwrap();
        assert_eq!(m.get("resolved_at"), Some("Resolved time"));
        assert_eq!(m.get("closed_at"), Some("Closed time"));
        assert_eq!(m.get("first_response_at"), Some("Initial response time"));
    }

    /// A generic `id` is the rows' own: with a creation time and nothing of a ticket
    /// (a user, a group, an organization with its group), or beside a `ticket_id` (a
    /// comment), no tickets; with a start and an end and nothing billed (a holiday),
    /// no subscriptions. Named, or with a ticket's own field, they are.
    #[test]
    fn a_generic_id_alone_tells_no_tickets() {
        let c = |hs: &[&str]| classify(&headers(hs));
        assert_eq!(c(&["id", "created_at", "email", "name"]), None);
        assert_eq!(c(&["id", "created_at", "group_id", "name"]), None);
        assert_eq!(c(&["id", "created", "public", "ticket_id", "body"]), None);
        assert_eq!(
            c(&["id", "schedule_id", "start_date", "end_date", "name"]),
            None
        );
        // A rating beside its ticket, with the ticket's group and assignee.
        let rating = [
            "id",
            "ticket_id",
            "score",
            "created_at",
            "assignee_id",
            "group_id",
        ];
        assert_eq!(c(&rating), None);
        assert_eq!(c(&["ticket_id", "created_at"]), Some(Dataset::Tickets));
        assert_eq!(c(&["id", "created_at", "status"]), Some(Dataset::Tickets));
        // A ticket's assignee, subject or requester beside a generic id.
        for tickets in [
            &["ID", "Subject", "Created", "Assignee", "Group"][..],
            &["id", "created_at", "assignee", "group"],
            &["id", "created_at", "subject", "requester_email"],
        ] {
            assert_eq!(c(tickets), Some(Dataset::Tickets), "{tickets:?}");
        }
        assert_eq!(
            c(&["id", "start_date", "mrr"]),
            Some(Dataset::Subscriptions)
        );
        // A helpdesk's groups, macros and contacts: a title or a description is no
        // ticket's own.
        assert_eq!(c(&["id", "url", "name", "description", "created_at"]), None);
        assert_eq!(
            c(&["id", "title", "description", "active", "created_at"]),
            None
        );
        // No other id beside it: a generic id's start and end are a subscription's.
        for subscriptions in [
            &["id", "start_date", "end_date", "status"][..],
            &["ID", "Start", "End", "Country"],
            &["id", "start_date", "end_date", "paid"],
            &["ID", "START_DATE", "END_DATE", "PAID"],
            &["id", "plan_id", "start_date", "end_date"],
        ] {
            assert_eq!(
                c(subscriptions),
                Some(Dataset::Subscriptions),
                "{subscriptions:?}"
            );
        }
        assert!(bare_tickets(&headers(&[
            "created_at",
            "ticket_id",
            "schedule_id"
        ])));
        assert!(!bare_tickets(&headers(&[
            "ticket_id",
            "created_at",
            "team"
        ])));
    }

    #[test]
    fn files_are_classified_by_their_headers() {
        let c = |hs: &[&str]| classify(&headers(hs));
        assert_eq!(
            c(&["customer_id", "plan", "start_date", "end_date", "mrr"]),
            Some(Dataset::Subscriptions)
        );
        assert_eq!(
            c(&["customerID", "Contract", "Churn"]),
            Some(Dataset::ChurnSnapshot)
        );
        assert_eq!(
            c(&[
                "response_id",
                "ticket_id",
                "submitted_at",
                "survey",
                "score"
            ]),
            Some(Dataset::Surveys)
        );
        // A Zendesk ticket export carries a satisfaction score but is tickets.
        assert_eq!(
            c(&[
                "ID",
                "Group",
                "Created at",
                "Solved at",
                "Satisfaction Score"
            ]),
            Some(Dataset::Tickets)
        );
        assert_eq!(c(&["a", "b"]), None);
    }

    #[test]
    fn explicit_map_wins_and_unknown_names_are_errors() {
        let h = headers(&["Unique Key", "Created Date", "Closed Date", "Agency"]);
        let over = vec![("team".to_string(), "Agency".to_string())];
        let m = map_headers("n.csv", &h, TICKET_FIELDS, &over).unwrap();
        assert_eq!(m.get("team"), Some("Agency"));
        assert_eq!(m.get("ticket_id"), Some("Unique Key"));
        let bad = vec![("team".to_string(), "Nope".to_string())];
        assert!(matches!(
            map_headers("n.csv", &h, TICKET_FIELDS, &bad),
            Err(crate::error::CxmError::Data(_))
        ));
        let bad = vec![("teem".to_string(), "Agency".to_string())];
        assert!(matches!(
            map_headers("n.csv", &h, TICKET_FIELDS, &bad),
            Err(crate::error::CxmError::Usage(_))
        ));
    }
}
