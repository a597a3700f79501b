//! Presets: column mappings for known vendor exports (EXPORTS.md), chosen with
//! `--preset NAME` or detected when a file's headers carry a preset's signature and
//! no other preset's.
//!
//! A preset does two things automatic matching cannot: it pins each canonical field
//! to the vendor's column, and it keeps columns that look right but mean something
//! else out of the mapping (Freshdesk's `First response time (in hrs)` is in
//! business hours, written `HH:MM:SS`; the calendar duration comes from the
//! timestamps).

use chrono_tz::Tz;

use super::fields::{normalize, Dataset};

/// One known export.
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    pub name: &'static str,
    pub dataset: Dataset,
    /// What it reads, for `inspect` and `--help`.
    pub describe: &'static str,
    /// Normalised headers that must all be present for detection.
    pub signature: &'static [&'static str],
    /// Other sets of headers, any one of which, all present, also detects it (a
    /// Freshdesk export of a few columns: its `… (in hrs)` durations).
    pub or_signatures: &'static [&'static [&'static str]],
    /// Canonical field → the vendor's header (normalised), first present wins.
    pub map: &'static [(&'static str, &'static [&'static str])],
    /// Normalised headers never mapped automatically.
    pub ignore: &'static [&'static str],
    /// Records after the header that are more header (question texts, import ids),
    /// given the header and the first records: how many to leave out.
    pub header_rows: fn(&[String], &[csv::StringRecord]) -> usize,
    /// The export's naive times are UTC whatever `--tz` says.
    pub times_utc: bool,
    /// Canonical field → the header whose companion (header + suffix, normalised) is
    /// also there: Qualtrics writes `Q7_NPS_GROUP` beside its NPS question `Q7`.
    pub companion: &'static [(&'static str, &'static str)],
    /// Cells the export writes for "no value" besides the usual markers (Freshdesk's
    /// `00:00:00` durations), read as missing in its files.
    pub missing: &'static [&'static str],
    /// Status values the export writes as codes, each with the status it stands for
    /// (`new`, `open`, `pending`, `hold`, `solved`, `closed`); the config file's
    /// `[statuses]` win over them.
    pub statuses: &'static [(&'static str, &'static str)],
}

/// No extra header rows.
fn none(_: &[String], _: &[csv::StringRecord]) -> usize {
    0
}

/// Qualtrics: the question texts, then `{"ImportId":…}` per column (new exports);
/// a legacy export's header is rewritten first ([`legacy_qualtrics_header`]).
fn qualtrics_rows(headers: &[String], sample: &[csv::StringRecord]) -> usize {
    if sample.get(1).is_some_and(is_import_ids) {
        2
    } else if headers.first().is_some_and(|h| h == "V1") {
        0
    } else {
        // The question-text row names the first column as a person reads it
        // (`Start Date` under `StartDate`, `Response ID` under `ResponseId`).
        let first = headers.first().map(|h| normalize(h));
        usize::from(sample.first().is_some_and(|r| {
            r.get(0).is_some_and(|c| {
                c.eq_ignore_ascii_case("start date") || Some(normalize(c)) == first
            })
        }))
    }
}

/// The zones an export's extra header rows declare for its columns: Qualtrics'
/// import ids (`{"ImportId":"recordedDate","timeZone":"America/Denver"}`), each
/// column's name with its zone (`Z` and `UTC` are UTC); and the names that are no
/// zone chrono-tz knows (those columns are read in `--tz`, which the caller says).
pub fn declared_zones(
    headers: &[String],
    sample: &[csv::StringRecord],
) -> (Vec<(String, Tz)>, Vec<String>) {
    let (mut zones, mut unknown) = (Vec::new(), Vec::new());
    let Some(ids) = sample.iter().take(2).find(|r| is_import_ids(r)) else {
        return (zones, unknown);
    };
    for (h, cell) in headers.iter().zip(ids.iter()) {
        let Some(name) = declared_zone(cell) else {
            continue;
        };
        let name = name.trim();
        let zone = match name {
            "Z" | "UTC" | "GMT" => Some(Tz::UTC),
            other => other.parse().ok(),
        };
        match zone {
            Some(z) => zones.push((h.clone(), z)),
            None if !unknown.iter().any(|u| u == name) => unknown.push(name.to_string()),
            None => {}
        }
    }
    (zones, unknown)
}

/// Is this Qualtrics' row of import ids (`{"ImportId":"QID1"}` under each column)?
pub fn is_import_ids(row: &csv::StringRecord) -> bool {
    row.get(0).is_some_and(|cell| {
        import_id(cell).is_some()
            || (cell.trim_start().starts_with('{') && cell.contains("\"ImportId\""))
    })
}

/// A cell's import id, as JSON (written compact by Qualtrics, spaced by tools that
/// rewrite it): an object with an `ImportId`.
fn import_id(cell: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    let cell = cell.trim();
    if !cell.starts_with('{') {
        return None;
    }
    match serde_json::from_str(cell).ok()? {
        serde_json::Value::Object(id) if id.contains_key("ImportId") => Some(id),
        _ => None,
    }
}

/// The zone an import-id cell names, as written: its `timeZone` (a value other than
/// text as its JSON, which names no zone and is said so; null, none); of a cell that is not quite JSON (a
/// trailing comma), the text after `"timeZone":`, so no zone is lost in silence.
fn declared_zone(cell: &str) -> Option<String> {
    if let Some(id) = import_id(cell) {
        return match id.get("timeZone")? {
            serde_json::Value::Null => None,
            serde_json::Value::String(name) => Some(name.clone()),
            other => Some(other.to_string()),
        };
    }
    let after = cell.split_once("\"timeZone\"")?.1.trim_start();
    let value = after.strip_prefix(':')?.trim_start();
    Some(match value.strip_prefix('"') {
        Some(quoted) => quoted.split('"').next().unwrap_or_default().to_string(),
        None => value
            .split([',', '}'])
            .next()
            .unwrap_or_default()
            .trim()
            .to_string(),
    })
}

/// The header of a legacy Qualtrics export (`V1…Vn` and the question ids over a row
/// of names and question texts): each `V` column named by the row below it, the
/// question ids kept; `None` for any other file.
pub fn legacy_qualtrics_header(
    headers: &[String],
    sample: &[csv::StringRecord],
) -> Option<Vec<String>> {
    let names = sample.first()?;
    let is_v = |h: &str| {
        h.strip_prefix('V')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    if headers.first().map(String::as_str) != Some("V1")
        || !names
            .get(0)
            .is_some_and(|n| n.eq_ignore_ascii_case("responseid"))
    {
        return None;
    }
    Some(
        (headers.iter().enumerate())
            .map(|(k, h)| match is_v(h) {
                true => names.get(k).unwrap_or(h).to_string(),
                false => h.clone(),
            })
            .collect(),
    )
}

/// The names of a file's columns: its header, or a legacy Qualtrics export's
/// ([`legacy_qualtrics_header`]); and whether it is one (survey responses, whatever
/// else its names say).
pub fn column_names(headers: Vec<String>, sample: &[csv::StringRecord]) -> (Vec<String>, bool) {
    match legacy_qualtrics_header(&headers, sample) {
        Some(names) => (names, true),
        None => (headers, false),
    }
}

/// SurveyMonkey: a second header row of answer labels, blank under the respondent
/// columns.
fn surveymonkey_rows(headers: &[String], sample: &[csv::StringRecord]) -> usize {
    let id = headers.iter().position(|h| normalize(h) == "respondentid");
    usize::from(
        id.zip(sample.first())
            .is_some_and(|(k, r)| r.get(k).is_some_and(|c| c.trim().is_empty())),
    )
}

/// Vendor columns that hold durations in the vendor's own business hours, by
/// normalised header: what each measures. The metrics never read them as calendar
/// time; `inspect` names them so that they can be set against cxm's own business
/// durations (`--schedule NAME --per-ticket`).
const VENDOR_BUSINESS: &[(&str, &str)] = &[
    (
        "firstreplytimeinminuteswithinbusinesshours",
        "Zendesk: first reply, business minutes (compare first_response_business_minutes)",
    ),
    (
        "fullresolutiontimeinminuteswithinbusinesshours",
        "Zendesk: full resolution, business minutes (compare resolution_business_minutes)",
    ),
    (
        "firstresolutiontimeinminuteswithinbusinesshours",
        "Zendesk: first resolution (before any reopen), business minutes",
    ),
    (
        "requesterwaittimeinminuteswithinbusinesshours",
        "Zendesk: time the requester waited, business minutes",
    ),
    (
        "agentwaittimeinminuteswithinbusinesshours",
        "Zendesk: time the agent waited, business minutes",
    ),
    (
        "onholdtimeinminuteswithinbusinesshours",
        "Zendesk: time on hold, business minutes",
    ),
    (
        "firstresponsetimeinhrs",
        "Freshdesk: first response, business hours as HH:MM:SS (compare first_response_business_hours)",
    ),
    (
        "resolutiontimeinhrs",
        "Freshdesk: resolution, business hours as HH:MM:SS (compare resolution_business_hours)",
    ),
];

/// The fields any of which gives the first response in calendar time.
const FIRST_RESPONSE_SOURCES: &[&str] = &[
    "first_response_at",
    "first_response_hours",
    "first_response_minutes",
    "first_response_seconds",
    "first_response_milliseconds",
];

/// The fields any of which gives the resolution in calendar time.
const RESOLUTION_SOURCES: &[&str] = &[
    "resolved_at",
    "closed_at",
    "resolution_hours",
    "resolution_minutes",
    "resolution_seconds",
    "resolution_milliseconds",
];

/// A vendor's duration in its business (office) hours, left unread.
struct UnreadDuration {
    /// The header, normalised.
    header: &'static str,
    /// The preset whose exports write it so; any file where none is named.
    preset: Option<&'static str>,
    /// What it holds, and in what hours `--map` would read it.
    holds: &'static str,
    hours: &'static str,
    measure: &'static str,
    /// The field `--map` would read it as.
    field: &'static str,
    /// The fields any of which gives the measure in calendar time instead.
    sources: &'static [&'static str],
}

const BUSINESS: (&str, &str) = ("business hours", "business hours");
/// Intercom's durations subtract the time outside office hours.
const OFFICE: (&str, &str) = ("seconds net of office hours", "office hours");

const fn unread(
    header: &'static str,
    preset: Option<&'static str>,
    (holds, hours): (&'static str, &'static str),
    measure: &'static str,
    field: &'static str,
    sources: &'static [&'static str],
) -> UnreadDuration {
    UnreadDuration {
        header,
        preset,
        holds,
        hours,
        measure,
        field,
        sources,
    }
}

const UNREAD_DURATIONS: &[UnreadDuration] = &[
    unread(
        "firstreplytimeinminuteswithinbusinesshours",
        None,
        BUSINESS,
        "first response",
        "first_response_minutes",
        FIRST_RESPONSE_SOURCES,
    ),
    unread(
        "firstresponsetimeinhrs",
        None,
        BUSINESS,
        "first response",
        "first_response_hours",
        FIRST_RESPONSE_SOURCES,
    ),
    unread(
        "resolutiontimeinhrs",
        None,
        BUSINESS,
        "resolution",
        "resolution_hours",
        RESOLUTION_SOURCES,
    ),
    unread(
        "firstresponsetime",
        Some("intercom"),
        OFFICE,
        "first response",
        "first_response_seconds",
        FIRST_RESPONSE_SOURCES,
    ),
    unread(
        "timetolastclose",
        Some("intercom"),
        OFFICE,
        "resolution",
        "resolution_seconds",
        RESOLUTION_SOURCES,
    ),
];

/// What to say of a ticket file's vendor business-hours durations left unread
/// (Freshdesk's `First response time (in hrs)`, Zendesk's `First reply time in minutes
/// within business hours`, Intercom's `First response time` under its `preset`),
/// where no other column (`mapped`: a field has a column) gives their measure: it is
/// then missing, and `--map` reads the column as it is.
pub fn unread_note(
    headers: &[String],
    preset: Option<&str>,
    mapped: impl Fn(&str) -> bool,
) -> Option<String> {
    let said: Vec<String> = UNREAD_DURATIONS
        .iter()
        .filter(|u| u.preset.is_none() || u.preset == preset)
        .filter_map(|u| {
            let header = headers.iter().find(|x| normalize(x) == u.header)?;
            (!u.sources.iter().any(|s| mapped(s))).then(|| {
                format!(
                    "'{}' holds {}, left unread, and no other column gives the {} (--map {}={} reads it as it is, in {})",
                    crate::text::printable(header),
                    u.holds,
                    u.measure,
                    u.field,
                    crate::text::shell_word(header),
                    u.hours,
                )
            })
        })
        .collect();
    (!said.is_empty()).then(|| said.join("; "))
}

/// The headers that hold a vendor's business-hours durations, with what each
/// measures; any other header saying "business hours" is named too.
pub fn vendor_business_columns(headers: &[String]) -> Vec<(String, &'static str)> {
    headers
        .iter()
        .filter_map(|h| {
            let n = normalize(h);
            VENDOR_BUSINESS
                .iter()
                .find(|(header, _)| *header == n)
                .map(|(_, what)| *what)
                .or_else(|| {
                    n.contains("businesshours")
                        .then_some("a duration in the vendor's business hours")
                })
                .map(|what| (h.clone(), what))
        })
        .collect()
}

/// Every preset, by name.
pub const PRESETS: &[Preset] = &[
    Preset {
        name: "zendesk",
        dataset: Dataset::Tickets,
        describe: "Zendesk Support ticket export",
        signature: &["createdat", "via", "firstreplytimeinminutes"],
        or_signatures: &[],
        map: &[
            ("ticket_id", &["id"]),
            ("created_at", &["createdat"]),
            ("resolved_at", &["solvedat"]),
            ("status", &["status"]),
            ("agent", &["assignee"]),
            ("team", &["group"]),
            ("channel", &["via"]),
            ("priority", &["priority"]),
            ("customer_id", &["requesterid", "requester"]),
            ("agent_replies", &["replies"]),
            ("reopens", &["reopens"]),
            // Calendar minutes; the "within business hours" twin is not used.
            ("first_response_minutes", &["firstreplytimeinminutes"]),
        ],
        // Resolution comes from `Solved at` − `Created at`; `Resolution time` is
        // rounded to whole hours.
        ignore: &[
            "resolutiontime",
            "fullresolutiontimeinminutes",
            "firstresolutiontimeinminutes",
        ],
        header_rows: none,
        times_utc: false,
        companion: &[],
        missing: &[],
        statuses: &[],
    },
    Preset {
        name: "freshdesk",
        dataset: Dataset::Tickets,
        describe: "Freshdesk ticket export",
        signature: &["ticketid", "createdtime", "source", "agentinteractions"],
        or_signatures: &[
            &["createdtime", "firstresponsetimeinhrs"],
            &["createdtime", "resolutiontimeinhrs"],
        ],
        map: &[
            ("ticket_id", &["ticketid"]),
            ("created_at", &["createdtime"]),
            ("first_response_at", &["initialresponsetime"]),
            ("resolved_at", &["resolvedtime"]),
            ("closed_at", &["closedtime"]),
            ("status", &["status"]),
            ("agent", &["agent"]),
            ("team", &["group"]),
            ("channel", &["source"]),
            ("priority", &["priority"]),
            ("agent_replies", &["agentinteractions"]),
        ],
        // Business-hours durations written HH:MM:SS: not calendar time.
        ignore: &["firstresponsetimeinhrs", "resolutiontimeinhrs"],
        header_rows: none,
        times_utc: false,
        companion: &[],
        // Its business-hours durations are `00:00:00` where there is none.
        missing: &["00:00:00"],
        statuses: &[],
    },
    Preset {
        name: "servicenow",
        dataset: Dataset::Tickets,
        describe: "ServiceNow incident export or audit log, one row per incident or per update",
        signature: &["number", "incidentstate", "openedat"],
        // The list's Excel export heads its columns with their labels (`Opened`,
        // `State`, `Caller`), its CSV export with their names (`opened_at`).
        or_signatures: &[&["number", "opened", "shortdescription", "state"]],
        map: &[
            ("ticket_id", &["number"]),
            ("created_at", &["openedat", "opened"]),
            ("resolved_at", &["resolvedat", "resolved"]),
            ("closed_at", &["closedat", "closed"]),
            ("status", &["incidentstate", "state"]),
            ("agent", &["assignedto"]),
            ("team", &["assignmentgroup"]),
            ("channel", &["contacttype"]),
            ("priority", &["priority"]),
            ("customer_id", &["callerid", "caller"]),
            ("reopens", &["reopencount"]),
            ("sla_met", &["madesla"]),
        ],
        // `sys_created_on`/`sys_created_at` is when the record was written, which may
        // be after the incident was opened.
        ignore: &["syscreatedat", "syscreatedon"],
        header_rows: none,
        times_utc: false,
        companion: &[],
        missing: &[],
        // `incident_state` as the REST API and list exports write it.
        statuses: &[
            ("1", "new"),
            ("2", "open"),
            ("3", "hold"),
            ("4", "pending"),
            ("5", "pending"),
            ("6", "solved"),
            ("7", "closed"),
            ("8", "closed"),
        ],
    },
    Preset {
        name: "osticket",
        dataset: Dataset::Tickets,
        describe: "osTicket queue export",
        signature: &["ticketnumber", "datecreated", "helptopic", "currentstatus"],
        or_signatures: &[],
        map: &[
            ("ticket_id", &["ticketnumber"]),
            ("created_at", &["datecreated"]),
            // Cleared on reopen: the last close.
            ("resolved_at", &["closeddate"]),
            ("status", &["currentstatus"]),
            ("agent", &["agentassigned"]),
            ("team", &["teamassigned", "department"]),
            ("channel", &["source"]),
            ("priority", &["priority"]),
            ("customer_id", &["fromemail", "from"]),
            ("reopens", &["reopencount"]),
        ],
        ignore: &["lastupdated", "sladuedate", "duedate"],
        header_rows: none,
        times_utc: false,
        companion: &[],
        missing: &[],
        statuses: &[],
    },
    Preset {
        name: "zammad",
        dataset: Dataset::Tickets,
        describe: "Zammad reporting download (its .xlsx sheet, or the sheet saved as CSV)",
        signature: &["createchannel", "firstresponseat", "closeinmin", "state"],
        or_signatures: &[],
        map: &[
            // The ticket number's header is `#`.
            ("ticket_id", &[""]),
            ("created_at", &["createdat"]),
            ("first_response_at", &["firstresponseat"]),
            // Set at the first close and kept through a reopen: a close, no
            // resolution while the state says the ticket is open again.
            ("closed_at", &["closedat"]),
            ("status", &["state"]),
            ("agent", &["owner"]),
            ("team", &["group"]),
            ("channel", &["createchannel"]),
            ("priority", &["priority"]),
            ("customer_id", &["customer"]),
        ],
        // `… In Min` are minutes in the SLA's business calendar, blank without an SLA;
        // the escalation times are deadlines.
        ignore: &[
            "closeinmin",
            "closediffinmin",
            "firstresponseinmin",
            "firstresponsediffinmin",
            "updateinmin",
            "updatediffinmin",
            "closeescalationat",
            "firstresponseescalationat",
            "updateescalationat",
            "escalationat",
            "updatedat",
            "pendingtill",
        ],
        header_rows: none,
        times_utc: false,
        companion: &[],
        missing: &[],
        statuses: &[],
    },
    Preset {
        name: "jira",
        dataset: Dataset::Tickets,
        describe: "Jira Service Management issue export (CSV, all fields)",
        signature: &["issuekey", "issueid", "issuetype", "created"],
        or_signatures: &[],
        map: &[
            ("ticket_id", &["issuekey"]),
            ("created_at", &["created"]),
            (
                "first_response_at",
                &["customfieldchartdateoffirstresponse"],
            ),
            // Cleared when an issue is reopened: the last resolution.
            ("resolved_at", &["resolved"]),
            ("status", &["status"]),
            ("agent", &["assignee"]),
            ("priority", &["priority"]),
            ("customer_id", &["reporter"]),
        ],
        // The SLA fields hold the time *remaining* on the goal (negative once
        // breached), in the SLA's calendar: not durations.
        ignore: &[
            "customfieldtimetofirstresponse",
            "customfieldtimetoresolution",
            "updated",
            "lastviewed",
            "duedate",
            "statuscategorychanged",
        ],
        header_rows: none,
        times_utc: false,
        companion: &[],
        missing: &[],
        statuses: &[],
    },
    Preset {
        name: "hubspot",
        dataset: Dataset::Tickets,
        describe: "HubSpot tickets export (its durations, in milliseconds, read where the dates are not)",
        signature: &["ticketid", "ticketstatus", "pipeline", "createdate"],
        or_signatures: &[],
        map: &[
            ("ticket_id", &["ticketid"]),
            ("created_at", &["createdate"]),
            ("first_response_at", &["firstagentreplydate"]),
            ("resolved_at", &["closedate"]),
            ("status", &["ticketstatus"]),
            ("agent", &["ticketowner"]),
            ("team", &["assignedteams"]),
            ("channel", &["source"]),
            ("priority", &["priority"]),
            // Calendar milliseconds: read where the dates are not in the export
            // (the dates win where they are, and give the same).
            ("first_response_milliseconds", &["timetofirstagentreply"]),
            ("resolution_milliseconds", &["timetoclose"]),
        ],
        ignore: &["lastactivitydate"],
        header_rows: none,
        times_utc: false,
        companion: &[],
        missing: &[],
        statuses: &[],
    },
    Preset {
        name: "intercom",
        dataset: Dataset::Tickets,
        describe: "Intercom conversations dataset export (durations in seconds are left out)",
        signature: &["conversationid", "conversationstartedat"],
        or_signatures: &[],
        map: &[
            ("ticket_id", &["conversationid"]),
            ("created_at", &["conversationstartedat"]),
            ("first_response_at", &["conversationfirstrepliedat"]),
            // A close, kept when the conversation is reopened: it stands in for a
            // resolution unless the state says the conversation is open or snoozed.
            (
                "closed_at",
                &["conversationlastclosedat", "conversationfirstclosedat"],
            ),
            ("status", &["conversationstate"]),
            ("agent", &["teammateassigned"]),
            ("team", &["teamassigned"]),
            ("channel", &["channel"]),
            ("reopens", &["numberofreopens"]),
        ],
        // Seconds, net of office hours in Intercom's API: not calendar durations.
        ignore: &["firstresponsetime", "timetofirstclose", "timetolastclose"],
        header_rows: none,
        times_utc: false,
        companion: &[],
        missing: &[],
        statuses: &[],
    },
    Preset {
        name: "helpscout",
        dataset: Dataset::Tickets,
        describe: "Help Scout conversations (Mailbox API 2.0 fields, flattened to columns)",
        signature: &["mailboxid", "createdat", "closedat", "primarycustomeremail"],
        or_signatures: &[],
        map: &[
            ("ticket_id", &["number", "id"]),
            ("created_at", &["createdat"]),
            // A close: no resolution while the status says active or pending.
            ("closed_at", &["closedat"]),
            ("status", &["status"]),
            ("agent", &["assigneeemail"]),
            ("team", &["mailboxid"]),
            ("channel", &["sourcetype", "type"]),
            ("customer_id", &["primarycustomeremail"]),
        ],
        ignore: &["userupdatedat"],
        header_rows: none,
        times_utc: false,
        companion: &[],
        missing: &[],
        statuses: &[],
    },
    Preset {
        name: "medallia",
        dataset: Dataset::Surveys,
        describe: "Medallia Agent Connect survey export (1-5 star CSAT)",
        signature: &["requestid", "responsereceivedat", "starrating"],
        or_signatures: &[],
        map: &[
            ("response_id", &["requestid"]),
            ("submitted_at", &["responsereceivedat"]),
            ("csat", &["starrating"]),
        ],
        ignore: &[],
        header_rows: none,
        times_utc: false,
        companion: &[],
        missing: &[],
        statuses: &[],
    },
    Preset {
        name: "qualtrics",
        dataset: Dataset::Surveys,
        describe: "Qualtrics response export (its question-text and ImportId rows left out; the NPS question found by its _NPS_GROUP column)",
        signature: &["responseid", "recordeddate", "durationinseconds", "finished"],
        or_signatures: &[&["responseid", "recordeddate"]],
        map: &[
            ("response_id", &["responseid"]),
            ("submitted_at", &["recordeddate", "enddate"]),
            // The legacy layout's names last.
            (
                "customer_id",
                &[
                    "externalreference",
                    "recipientemail",
                    "externaldatareference",
                    "emailaddress",
                ],
            ),
        ],
        ignore: &["startdate"],
        header_rows: qualtrics_rows,
        times_utc: false,
        companion: &[("nps", "npsgroup")],
        missing: &[],
        statuses: &[],
    },
    Preset {
        name: "surveymonkey",
        dataset: Dataset::Surveys,
        describe: "SurveyMonkey all-responses export (its answer-label row left out)",
        signature: &["respondentid", "collectorid", "startdate", "enddate"],
        or_signatures: &[],
        map: &[
            ("response_id", &["respondentid"]),
            ("submitted_at", &["enddate"]),
            ("customer_id", &["customdata1", "emailaddress"]),
        ],
        ignore: &["startdate"],
        header_rows: surveymonkey_rows,
        times_utc: false,
        companion: &[],
        missing: &[],
        statuses: &[],
    },
    Preset {
        name: "typeform",
        dataset: Dataset::Surveys,
        describe: "Typeform responses download (times in UTC)",
        signature: &["startdateutc", "submitdateutc", "networkid"],
        or_signatures: &[],
        map: &[
            // The response token's header is `#`.
            ("response_id", &[""]),
            ("submitted_at", &["submitdateutc"]),
        ],
        ignore: &["startdateutc", "stagedateutc"],
        header_rows: none,
        times_utc: true,
        companion: &[],
        missing: &[],
        statuses: &[],
    },
    Preset {
        name: "delighted",
        dataset: Dataset::Surveys,
        describe: "Delighted responses (API fields: survey_type, score, created_at in Unix seconds)",
        signature: &["surveytype", "score", "permalink", "person"],
        or_signatures: &[],
        map: &[
            ("response_id", &["id"]),
            ("survey", &["surveytype"]),
            ("score", &["score"]),
            ("submitted_at", &["createdat"]),
            ("customer_id", &["customerid", "email", "person"]),
        ],
        ignore: &["updatedat"],
        header_rows: none,
        times_utc: false,
        companion: &[],
        missing: &[],
        statuses: &[],
    },
    Preset {
        name: "stripe",
        dataset: Dataset::Subscriptions,
        describe: "Stripe Billing subscriptions export (MRR from Amount × Quantity per Interval)",
        signature: &["customerid", "amount", "interval", "currentperiodstartutc"],
        // An export of chosen columns, without the current period's.
        or_signatures: &[&["customerid", "amount", "interval", "startutc"]],
        map: &[
            ("customer_id", &["customerid"]),
            ("start_date", &["startutc", "startdateutc", "createdutc"]),
            // `Canceled At` is when a cancellation was asked for; the subscription may
            // run to its period's end, which `Ended At` records.
            ("end_date", &["endedatutc", "canceledatutc"]),
            ("plan", &["plan", "product"]),
            ("amount", &["amount"]),
            ("quantity", &["quantity"]),
            ("interval", &["interval"]),
            ("interval_count", &["intervalcount"]),
        ],
        // `id` is the subscription's, not the customer's.
        ignore: &["id"],
        header_rows: none,
        // Its `(UTC)` columns say so in their names.
        times_utc: true,
        companion: &[],
        missing: &[],
        statuses: &[],
    },
    Preset {
        name: "chargebee",
        dataset: Dataset::Subscriptions,
        describe: "Chargebee subscriptions export (Subscriptions.csv, with its MRR column)",
        signature: &["subscriptionsid", "customersid", "subscriptionsstatus"],
        or_signatures: &[],
        map: &[
            ("customer_id", &["customersid"]),
            (
                "start_date",
                &[
                    "subscriptionsstartedat",
                    "subscriptionsstartdate",
                    "subscriptionsactivatedat",
                    "subscriptionscreatedat",
                ],
            ),
            // Where `started_at` is blank: a subscription yet to start.
            ("scheduled_start", &["subscriptionsstartdate"]),
            ("end_date", &["subscriptionscancelledat"]),
            ("plan", &["subscriptionsplanid"]),
            ("mrr", &["subscriptionsmrr"]),
        ],
        ignore: &["subscriptionsid"],
        header_rows: none,
        times_utc: false,
        companion: &[],
        missing: &[],
        statuses: &[],
    },
];

/// The preset called `name`.
pub fn find(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name.eq_ignore_ascii_case(name))
}

/// Names of every preset, for messages.
pub fn names() -> String {
    PRESETS
        .iter()
        .map(|p| p.name)
        .collect::<Vec<_>>()
        .join(", ")
}

impl Preset {
    /// How many of the preset's signature columns the headers carry.
    pub fn signature_found(&self, headers: &[String]) -> usize {
        let normalized: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
        (self.signature.iter())
            .filter(|s| normalized.iter().any(|n| n == *s))
            .count()
    }

    /// A short name of its export (`describe` without its parenthesis).
    pub fn export(&self) -> &'static str {
        self.describe.split(" (").next().unwrap_or(self.describe)
    }
}

/// The one preset of `dataset` whose signature the headers carry, if exactly one does.
pub fn detect(headers: &[String], dataset: Dataset) -> Option<&'static Preset> {
    let normalized: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
    let has_all = |headers: &[&str]| headers.iter().all(|s| normalized.iter().any(|n| n == s));
    let mut hits = PRESETS.iter().filter(|p| {
        p.dataset == dataset && (has_all(p.signature) || p.or_signatures.iter().any(|s| has_all(s)))
    });
    match (hits.next(), hits.next()) {
        (Some(p), None) => Some(p),
        _ => None,
    }
}

/// The presets among `asked` that read `dataset` (unknown names left out).
pub fn reading(asked: &[String], dataset: Dataset) -> Vec<String> {
    asked
        .iter()
        .filter(|name| find(name).is_some_and(|p| p.dataset.reads(dataset.fields())))
        .cloned()
        .collect()
}

/// Fail when a preset asked for reads none of the `datasets` a command opens.
pub fn check(asked: &[String], datasets: &[Dataset]) -> crate::error::Result<()> {
    for name in asked {
        let preset = find(name).ok_or_else(|| {
            crate::usage_err!("--preset {name}: unknown preset (known: {})", names())
        })?;
        if !datasets.iter().any(|d| d.reads(preset.dataset.fields())) {
            return Err(crate::usage_err!(
                "--preset {name} reads {}, which this command does not read",
                preset.describe
            ));
        }
    }
    Ok(())
}

impl Preset {
    /// The `(field, header)` pairs this preset maps in a file with these headers.
    pub fn pairs(&self, headers: &[String]) -> Vec<(String, String)> {
        self.pairs_filled(headers, |_, _| true)
    }

    /// [`Preset::pairs`], a field's first column that is there and `filled` (has a
    /// value in the sample) taken over an earlier one that is empty: osTicket's
    /// `Team Assigned`, blank where no team is used, gives way to `Department`.
    pub fn pairs_filled(
        &self,
        headers: &[String],
        filled: impl Fn(&str, &str) -> bool,
    ) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .map
            .iter()
            .filter_map(|(field, wanted)| {
                let present: Vec<&String> = wanted
                    .iter()
                    .filter_map(|w| headers.iter().find(|h| normalize(h) == *w))
                    .collect();
                // Only a choice asks whether a column is filled (which may read the
                // file).
                let chosen = match present.len() {
                    0 | 1 => present.first(),
                    _ => (present.iter())
                        .find(|h| filled(field, h))
                        .or(present.first()),
                }?;
                Some((field.to_string(), chosen.to_string()))
            })
            .collect();
        for (field, suffix) in self.companion {
            let normalized: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
            let with_companion = headers.iter().zip(&normalized).find(|(_, n)| {
                !n.is_empty() && normalized.iter().any(|c| *c == format!("{n}{suffix}"))
            });
            if let Some((h, _)) = with_companion {
                out.push((field.to_string(), h.clone()));
            }
        }
        out
    }

    /// Where a companion column finds more than one question (two NPS questions,
    /// each beside its `_NPS_GROUP`): what to say, naming the one read and the
    /// `--map` that reads another.
    pub fn several_companions(&self, headers: &[String]) -> Option<String> {
        let normalized: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
        let said: Vec<String> = (self.companion.iter())
            .filter_map(|(field, suffix)| {
                let found: Vec<&String> = (headers.iter().zip(&normalized))
                    .filter(|(_, n)| {
                        !n.is_empty() && normalized.iter().any(|c| *c == format!("{n}{suffix}"))
                    })
                    .map(|(h, _)| h)
                    .collect();
                let [read, other, ..] = found.as_slice() else {
                    return None;
                };
                let all: Vec<String> = found.iter().map(|h| crate::text::printable(h)).collect();
                Some(format!(
                    "{} questions of {field} ({}): '{}' is read (--map {field}={} reads another)",
                    found.len(),
                    all.join(", "),
                    crate::text::printable(read),
                    crate::text::shell_word(other)
                ))
            })
            .collect();
        (!said.is_empty()).then(|| said.join("; "))
    }

    /// The headers automatic matching may still consider.
    pub fn visible(&self, headers: &[String]) -> Vec<String> {
        headers
            .iter()
            .filter(|h| !self.ignore.contains(&normalize(h).as_str()))
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(hs: &[&str]) -> Vec<String> {
        hs.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn detection_needs_the_whole_signature() {
        let zendesk = headers(&["ID", "Via", "Created at", "First reply time in minutes"]);
        assert_eq!(
            detect(&zendesk, Dataset::Tickets).map(|p| p.name),
            Some("zendesk")
        );
        assert!(detect(&zendesk, Dataset::Surveys).is_none());
        let plain = headers(&["ticket_id", "created_at", "channel"]);
        assert!(detect(&plain, Dataset::Tickets).is_none());
        let fresh = headers(&["Ticket ID", "Created time", "Source", "Agent interactions"]);
        // A few columns: the created time and a `… (in hrs)` duration say Freshdesk.
        let few = headers(&["Ticket ID", "Created time", "Resolution time (in hrs)"]);
        assert_eq!(
            detect(&few, Dataset::Tickets).map(|p| p.name),
            Some("freshdesk")
        );
        assert_eq!(
            detect(&fresh, Dataset::Tickets).map(|p| p.name),
            Some("freshdesk")
        );
    }

    #[test]
    fn pairs_follow_the_file_spelling_and_ignored_columns_are_hidden() {
        let h = headers(&[
            "Ticket Id",
            "Created Time",
            "Closed Time",
            "First Response Time (in Hrs)",
        ]);
        let p = find("Freshdesk").map(|p| (p.pairs(&h), p.visible(&h)));
        let (pairs, visible) = p.unwrap_or_default();
        assert!(pairs.contains(&("ticket_id".into(), "Ticket Id".into())));
        assert!(pairs.contains(&("closed_at".into(), "Closed Time".into())));
        assert!(!visible.contains(&"First Response Time (in Hrs)".to_string()));
        assert_eq!(visible.len(), 3);
    }
}
