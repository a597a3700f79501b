//! Event logs (SPEC §9): the facts of a ticket derived from its events in time order.
//!
//! | fact | from the events |
//! |---|---|
//! | created | the ticket file's `created_at`, else the first event; where the file gives it to the minute or the day, the event that creates the ticket within it |
//! | first response | the first public agent event after creation (not the event that creates the ticket: the first event, at or before the creation time or within the ticket file's precision, the same minute in a file of times to the minute, the same day in a file of dates; notes, bots and system events never count) |
//! | next replies | after the first response, each run of public customer events answered by the next public agent event, timed from the run's first event; an unanswered last run is not counted |
//! | agent replies | public agent events after creation; touches are those of a resolved ticket |
//! | requester wait, agent wait, on hold | time in `new` + `open`, in `pending`, in `hold`: from a status event to the next one (nothing after the last event: the log says nothing of it) |
//! | resolutions | each entry into `solved` or `closed`; reopens: each exit from them |
//!
//! Events before the ticket file's creation time count for the status history, but
//! no status time or duration runs before creation (a resolution before it gives no
//! duration); the run says how many there were.
//! | stations | distinct assignees (and groups) seen |

use std::collections::BTreeMap;

use super::record::{Cond, Metric, Partial, Value};
use super::tickets::TimeUnit;

/// Who wrote an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Agent,
    Customer,
    System,
    Bot,
}

impl Role {
    /// A role word (any case), or `None` when unknown.
    pub fn parse(word: &str) -> Option<Role> {
        const WORDS: &[(&str, Role)] = &[
            ("agent", Role::Agent),
            ("staff", Role::Agent),
            ("admin", Role::Agent),
            ("operator", Role::Agent),
            ("support", Role::Agent),
            ("assignee", Role::Agent),
            ("teammate", Role::Agent),
            ("customer", Role::Customer),
            ("end-user", Role::Customer),
            ("end user", Role::Customer),
            ("enduser", Role::Customer),
            ("requester", Role::Customer),
            ("contact", Role::Customer),
            ("client", Role::Customer),
            ("lead", Role::Customer),
            ("visitor", Role::Customer),
            ("system", Role::System),
            ("automation", Role::System),
            ("trigger", Role::System),
            ("workflow", Role::System),
            ("bot", Role::Bot),
            ("ai", Role::Bot),
            ("ai agent", Role::Bot),
            ("chatbot", Role::Bot),
        ];
        // `end_user`, `end-user` and `end user` alike, as status words are read.
        let w = word.trim().replace(['_', '-'], " ");
        WORDS
            .iter()
            .find(|(name, _)| w.eq_ignore_ascii_case(&name.replace('-', " ")))
            .map(|&(_, role)| role)
    }

    pub fn code(self) -> u8 {
        self as u8
    }

    /// Its name in `[roles]`.
    pub fn name(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Customer => "customer",
            Role::System => "system",
            Role::Bot => "bot",
        }
    }

    pub fn from_code(code: u8) -> Option<Role> {
        [Role::Agent, Role::Customer, Role::System, Role::Bot]
            .get(code as usize)
            .copied()
    }
}

/// A ticket's status, as helpdesks share it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    New,
    Open,
    /// Waiting on the customer.
    Pending,
    /// Waiting on a third party.
    Hold,
    Solved,
    Closed,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::New,
        Status::Open,
        Status::Pending,
        Status::Hold,
        Status::Solved,
        Status::Closed,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Open => "open",
            Status::Pending => "pending",
            Status::Hold => "hold",
            Status::Solved => "solved",
            Status::Closed => "closed",
        }
    }

    pub fn code(self) -> u8 {
        self as u8
    }

    pub fn from_code(code: u8) -> Option<Status> {
        Status::ALL.get(code as usize).copied()
    }

    pub fn is_resolved(self) -> bool {
        matches!(self, Status::Solved | Status::Closed)
    }
}

/// Built-in status words (lowercased, spaces and punctuation as written) of Zendesk,
/// Freshdesk, Zammad, Help Scout, Intercom, ServiceNow and Jira Service Management.
const STATUS_WORDS: &[(&str, Status)] = &[
    ("new", Status::New),
    ("created", Status::New),
    ("unassigned", Status::New),
    ("to do", Status::New),
    ("backlog", Status::New),
    // Jira: the customer has written, the agents are to answer.
    ("waiting for support", Status::Open),
    ("work in progress", Status::Open),
    ("escalated", Status::Open),
    ("under review", Status::Open),
    ("open", Status::Open),
    ("active", Status::Open),
    ("in progress", Status::Open),
    ("assigned", Status::Open),
    ("reopened", Status::Open),
    ("customer responded", Status::Open),
    ("pending", Status::Pending),
    ("waiting on customer", Status::Pending),
    ("waiting for customer", Status::Pending),
    ("awaiting customer", Status::Pending),
    ("awaiting user info", Status::Pending),
    ("awaiting evidence", Status::Pending),
    ("pending reminder", Status::Pending),
    // Intercom: put aside until the customer writes or a time comes.
    ("snoozed", Status::Pending),
    // Zammad: waiting to close by itself, as a pending ticket does.
    ("pending close", Status::Pending),
    ("hold", Status::Hold),
    ("on hold", Status::Hold),
    ("on-hold", Status::Hold),
    ("waiting on third party", Status::Hold),
    ("awaiting vendor", Status::Hold),
    ("awaiting problem", Status::Hold),
    ("awaiting change", Status::Hold),
    ("waiting for approval", Status::Hold),
    ("awaiting implementation", Status::Hold),
    ("solved", Status::Solved),
    ("resolved", Status::Solved),
    ("done", Status::Solved),
    ("closed", Status::Closed),
    ("canceled", Status::Closed),
    ("cancelled", Status::Closed),
    ("merged", Status::Closed),
    ("declined", Status::Closed),
];

/// An event log's words: statuses, built-in and the config file's `[statuses]`
/// (which win), and roles, built-in and `[roles]` (which win).
#[derive(Debug, Clone, Default)]
pub struct EventWords {
    extra: BTreeMap<String, Status>,
    roles: BTreeMap<String, Role>,
}

impl EventWords {
    /// `[statuses]`: word = one of new, open, pending, hold, solved, closed.
    pub fn new(extra: &BTreeMap<String, String>) -> Result<EventWords, String> {
        let mut out = BTreeMap::new();
        for (word, status) in extra {
            let s = Status::ALL
                .into_iter()
                .find(|s| s.name() == status.trim().to_lowercase())
                .ok_or_else(|| {
                    format!(
                        "statuses.{}: '{status}' is not new, open, pending, hold, solved or closed",
                        crate::config::key_name(word)
                    )
                })?;
            out.insert(spaced(word), s);
        }
        Ok(EventWords {
            extra: out,
            roles: BTreeMap::new(),
        })
    }

    /// `[roles]`: word = one of agent, customer, system, bot (Intercom's `user` is the
    /// customer; Help Scout's the agent: no built-in reading of it).
    pub fn with_roles(mut self, roles: &BTreeMap<String, String>) -> Result<EventWords, String> {
        for (word, role) in roles {
            let r = [Role::Agent, Role::Customer, Role::System, Role::Bot]
                .into_iter()
                .find(|r| r.name() == role.trim().to_lowercase())
                .ok_or_else(|| {
                    format!(
                        "roles.{}: '{role}' is not agent, customer, system or bot",
                        crate::config::key_name(word)
                    )
                })?;
            self.roles.insert(spaced(word), r);
        }
        Ok(self)
    }

    /// A role word: the config's, else a built-in one (any case, `_` or `-` for a
    /// space).
    pub fn role(&self, word: &str) -> Option<Role> {
        if !self.roles.is_empty() {
            if let Some(&r) = self.roles.get(&spaced(word)) {
                return Some(r);
            }
        }
        Role::parse(word)
    }

    /// These words and statuses (`open`, `solved`, …) too, where the config file
    /// does not name the word (a preset's status codes).
    pub fn with_defaults(&self, words: &[(&str, &str)]) -> EventWords {
        let mut out = self.clone();
        for &(word, status) in words {
            if let Some(s) = Status::ALL.into_iter().find(|s| s.name() == status) {
                out.extra.entry(spaced(word)).or_insert(s);
            }
        }
        out
    }

    /// The words (lowercase, `_` and `-` as spaces) that read as a status not
    /// resolved (new, open, pending, hold): for a warehouse query to match.
    pub fn unresolved_words(&self) -> Vec<String> {
        let mut out: Vec<String> = (self.extra.iter())
            .filter(|(_, s)| !s.is_resolved())
            .map(|(w, _)| w.clone())
            .collect();
        out.extend(
            (STATUS_WORDS.iter())
                .map(|(w, s)| (spaced(w), s))
                .filter(|(w, s)| !s.is_resolved() && !self.extra.contains_key(w))
                .map(|(w, _)| w),
        );
        // With their accents written apart too, as the command composes a cell (a
        // letter written apart from its accent is ASCII, lowered as such).
        let mut out: Vec<String> = (out.iter())
            .flat_map(|w| crate::text::both_forms(w))
            .map(|w| w.to_ascii_lowercase())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    pub fn parse(&self, word: &str) -> Option<Status> {
        let w = word.trim();
        if !self.extra.is_empty() {
            if let Some(&s) = self.extra.get(&spaced(w)) {
                return Some(s);
            }
        }
        STATUS_WORDS
            .iter()
            .find(|(name, _)| same_status_word(w, name))
            .map(|&(_, s)| s)
    }
}

/// A status word in ASCII lower case (other letters as written, as a warehouse
/// query can match them alike), `_` and `-` read as spaces.
pub(crate) fn spaced(word: &str) -> String {
    // Lowered before it is composed: `E` and U+0301 is `é` in any case, as an ASCII
    // letter; a letter written whole keeps its case, as a warehouse query reads it.
    crate::text::composed(&word.trim().to_ascii_lowercase()).replace(['_', '-'], " ")
}

/// `word` is `name` (lowercase, words apart by spaces) in any ASCII case, with `_` or
/// `-` for a space; no allocation (this runs once an event).
fn same_status_word(word: &str, name: &str) -> bool {
    word.len() == name.len()
        && word
            .bytes()
            .zip(name.bytes())
            .all(|(a, b)| a.eq_ignore_ascii_case(&b) || (b == b' ' && (a == b'_' || a == b'-')))
        || word.eq_ignore_ascii_case(name)
}

/// One event of a ticket, in time order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Event<'a> {
    /// UTC milliseconds.
    pub at: i64,
    pub role: Option<Role>,
    pub public: bool,
    pub status: Option<Status>,
    pub assignee: Option<&'a str>,
    pub group: Option<&'a str>,
}

/// A name that says someone: not blank, not ServiceNow's `?` for none.
fn named(name: Option<&str>) -> Option<&str> {
    name.map(str::trim).filter(|n| !n.is_empty() && *n != "?")
}

/// What the events say of one ticket (durations in seconds).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    pub created: i64,
    pub first_response: Option<f64>,
    pub next_replies: Vec<f64>,
    /// When each answered run began (UTC ms), beside `next_replies`.
    pub run_starts: Vec<i64>,
    /// When the unanswered last run began, if there is one.
    pub open_run: Option<i64>,
    pub agent_replies: u32,
    /// The log has a customer's or an agent's message for it (else it says nothing of
    /// its replies: blank or unknown roles, a system's or a bot's events alone).
    pub has_role: bool,
    /// The log has status events for it.
    pub has_status: bool,
    /// Its last status is solved or closed.
    pub resolved: bool,
    pub first_resolution: Option<f64>,
    /// To the last entry into solved/closed, when it is resolved now.
    pub resolution: Option<f64>,
    pub reopens: u32,
    pub requester_wait: f64,
    pub agent_wait: f64,
    pub on_hold: f64,
    pub stations: u32,
    pub groups: u32,
    pub last_assignee: Option<String>,
    pub last_group: Option<String>,
    /// Events before the creation time (the ticket file's): they count for the
    /// status history, but neither status time nor durations run before creation.
    pub before_creation: u32,
    /// No reply after creation, but a public agent event before it (a clock skew
    /// between the log and the ticket file): a negative first response.
    pub early_response: bool,
    /// Resolved, last into solved/closed before creation: a negative resolution.
    pub early_resolution: bool,
    /// Its events.
    pub events: u32,
    /// The status times and first resolution in business time (`--schedule`).
    pub business: Option<BusinessTimes>,
}

/// A ticket's status times and first resolution counted in a schedule's open hours
/// (seconds).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BusinessTimes {
    pub requester_wait: f64,
    pub agent_wait: f64,
    pub on_hold: f64,
    pub first_resolution: Option<f64>,
    /// Beside [`Facts::next_replies`].
    pub next_replies: Vec<f64>,
}

fn secs(ms: i64) -> f64 {
    ms as f64 / 1000.0
}

/// The facts of a ticket from its events in time order (ties in file order);
/// `created` is the ticket file's creation time, when there is one, which the file
/// gives to `within` milliseconds (60,000 where its times are whole minutes).
pub fn derive(events: &[Event], created: Option<i64>, within: i64) -> Facts {
    derive_with(events, (created, within), None)
}

/// Distinct names seen: a list while they are few (most tickets pass through one to
/// three stations), a hash set past that, so that a ticket handed among thousands of
/// assignees is not a scan of them all at every event.
#[derive(Default)]
struct Distinct<'a> {
    few: Vec<&'a str>,
    many: Option<std::collections::HashSet<&'a str>>,
}

impl<'a> Distinct<'a> {
    const FEW: usize = 16;

    fn insert(&mut self, name: &'a str) {
        match &mut self.many {
            Some(set) => {
                set.insert(name);
            }
            None if self.few.contains(&name) => {}
            None if self.few.len() < Self::FEW => self.few.push(name),
            None => {
                let mut set: std::collections::HashSet<&str> = self.few.drain(..).collect();
                set.insert(name);
                self.many = Some(set);
            }
        }
    }

    fn len(&self) -> usize {
        self.many.as_ref().map_or(self.few.len(), |set| set.len())
    }
}

/// The last of the events that create a ticket: the first, and the events of its
/// instant after it until a customer's (a helpdesk's creating audit writes the status
/// and the opening message as rows of one time, in either order: an agent's opening
/// message there is no response). A customer's event at that instant ends it: an
/// agent's after it answers them.
fn creation_end(events: &[Event], first: &Event) -> usize {
    if first.role == Some(Role::Customer) {
        return 0;
    }
    let same = events[1..]
        .iter()
        .take_while(|e| e.at == first.at && e.role != Some(Role::Customer))
        .count();
    same
}

/// [`derive`], and with `business` (the open milliseconds of a schedule between two
/// UTC instants) the business times of [`BusinessTimes`].
pub fn derive_with(
    events: &[Event],
    (created, within): (Option<i64>, i64),
    mut business: Option<&mut dyn FnMut(i64, i64) -> i64>,
) -> Facts {
    let first_at = events.first().map_or(0, |e| e.at);
    let given = created.unwrap_or(first_at);
    // The event that creates the ticket: the first one, at or before creation, or
    // within the ticket file's precision of it: in a file of times to the minute
    // (`09:00`, as Zendesk exports it) the log's event at 09:00:40 creates it.
    let creating = (events.first())
        .filter(|e| e.at < given.saturating_add(within.max(1)))
        .map(|first| creation_end(events, first));
    // And that event is when it was created, where the file gives its time only to
    // the minute or the day: a file of dates would count a first response from
    // midnight.
    let created = match creating {
        Some(_) => given.max(first_at),
        None => given,
    };
    let mut f = Facts {
        created,
        ..Facts::default()
    };
    let mut run_start: Option<i64> = None;
    let mut status: Option<(Status, i64)> = None;
    let mut assignees = Distinct::default();
    let mut groups = Distinct::default();
    let (mut last_assignee, mut last_group) = (None, None);
    let mut last_resolution: Option<i64> = None;
    let mut open = business.as_ref().map(|_| BusinessTimes::default());
    for (i, e) in events.iter().enumerate() {
        let after_creation = creating.is_none_or(|end| i > end) && e.at >= created;
        f.has_role |= matches!(e.role, Some(Role::Agent | Role::Customer));
        if e.public && after_creation {
            match e.role {
                Some(Role::Agent) => {
                    f.agent_replies += 1;
                    if f.first_response.is_none() {
                        f.first_response = Some(secs(e.at - created));
                    } else if let Some(start) = run_start.take() {
                        f.next_replies.push(secs(e.at - start));
                        f.run_starts.push(start);
                        if let (Some(t), Some(b)) = (open.as_mut(), business.as_mut()) {
                            t.next_replies.push(secs(b(start, e.at)));
                        }
                    }
                }
                Some(Role::Customer) if f.first_response.is_some() => {
                    run_start.get_or_insert(e.at);
                }
                _ => {}
            }
        }
        if let Some(next) = e.status {
            f.has_status = true;
            if let Some((prev, since)) = status {
                let from = since.max(created);
                let spent = secs(e.at - from).max(0.0);
                let open_spent = match business.as_mut() {
                    Some(b) if !prev.is_resolved() => secs(b(from, e.at)),
                    _ => 0.0,
                };
                let times = open.as_mut();
                let (calendar, business_slot) = match prev {
                    Status::New | Status::Open => (
                        Some(&mut f.requester_wait),
                        times.map(|t| &mut t.requester_wait),
                    ),
                    Status::Pending => (Some(&mut f.agent_wait), times.map(|t| &mut t.agent_wait)),
                    Status::Hold => (Some(&mut f.on_hold), times.map(|t| &mut t.on_hold)),
                    Status::Solved | Status::Closed => (None, None),
                };
                if let Some(total) = calendar {
                    *total += spent;
                }
                if let Some(total) = business_slot {
                    *total += open_spent;
                }
                if prev.is_resolved() && !next.is_resolved() {
                    f.reopens += 1;
                }
            }
            let was_resolved = status.is_some_and(|(s, _)| s.is_resolved());
            if next.is_resolved() && !was_resolved {
                if e.at >= created && f.first_resolution.is_none() {
                    f.first_resolution = Some(secs(e.at - created));
                    if let (Some(t), Some(b)) = (open.as_mut(), business.as_mut()) {
                        t.first_resolution = Some(secs(b(created, e.at)));
                    }
                }
                last_resolution = Some(e.at);
            }
            status = Some((next, e.at));
        }
        if let Some(a) = named(e.assignee) {
            assignees.insert(a);
            last_assignee = Some(a);
        }
        if let Some(g) = named(e.group) {
            groups.insert(g);
            last_group = Some(g);
        }
    }
    f.last_assignee = last_assignee.map(str::to_string);
    f.last_group = last_group.map(str::to_string);
    f.open_run = run_start;
    f.business = open;
    f.resolved = status.is_some_and(|(s, _)| s.is_resolved());
    if f.resolved {
        f.resolution = last_resolution
            .filter(|&at| at >= created)
            .map(|at| secs(at - created));
    }
    f.before_creation = events.iter().filter(|e| e.at < created).count() as u32;
    f.early_resolution = f.resolved && f.resolution.is_none();
    f.early_response = f.first_response.is_none()
        && events.iter().enumerate().any(|(i, e)| {
            creating.is_none_or(|end| i > end)
                && e.at < created
                && e.public
                && e.role == Some(Role::Agent)
        });
    f.events = events.len() as u32;
    f.stations = assignees.len() as u32;
    f.groups = groups.len() as u32;
    f
}

/// Per-ticket columns of the derived facts (seconds, counts, flags).
pub const FIRST_RES_S: &str = "__first_resolution_s";
pub const REQUESTER_WAIT_S: &str = "__requester_wait_s";
pub const AGENT_WAIT_S: &str = "__agent_wait_s";
pub const ON_HOLD_S: &str = "__on_hold_s";
/// Their business seconds (`--schedule`).
pub const FIRST_RES_BUSINESS_S: &str = "__first_resolution_business_s";
pub const REQUESTER_WAIT_BUSINESS_S: &str = "__requester_wait_business_s";
pub const AGENT_WAIT_BUSINESS_S: &str = "__agent_wait_business_s";
pub const ON_HOLD_BUSINESS_S: &str = "__on_hold_business_s";
pub const TWO_TOUCH: &str = "__two_touch";
pub const MULTI_TOUCH: &str = "__multi_touch";
pub const STATIONS: &str = "__stations";
/// Per reply: the seconds a run of customer messages waited for its answer.
pub const NEXT_REPLY_S: &str = "__next_reply_s";
/// Its business seconds (`--schedule`).
pub const NEXT_REPLY_BUSINESS_S: &str = "__next_reply_business_s";
/// When the run began (UTC ms).
pub const RUN_START_MS: &str = "__run_start_ms";

/// The next-reply columns, over replies (one row per answered run).
pub fn reply_metrics(unit: TimeUnit, business: bool) -> Vec<Metric> {
    let (u, scale) = (unit.suffix(), unit.seconds());
    let mut out = Vec::new();
    let mut columns = vec![("next_reply", NEXT_REPLY_S)];
    if business {
        columns.push(("next_reply_business", NEXT_REPLY_BUSINESS_S));
    }
    for (name, column) in columns {
        out.push(Metric::new(
            format!("{name}_mean_{u}"),
            Value::Mean {
                sum: Partial::Sum(column, None),
                n: Partial::Count(Cond::NotNull(column)),
                scale,
            },
        ));
        for (label, q) in [("median", 0.5), ("p90", 0.9)] {
            out.push(Metric::new(
                format!("{name}_{label}_{u}"),
                Value::Quantile {
                    of: column,
                    q,
                    scale,
                },
            ));
        }
    }
    out
}

/// The status and resolution durations an event log adds: name, seconds column,
/// and its business seconds column.
pub const DURATIONS: [(&str, &str, &str); 4] = [
    (
        "requester_wait",
        REQUESTER_WAIT_S,
        REQUESTER_WAIT_BUSINESS_S,
    ),
    ("agent_wait", AGENT_WAIT_S, AGENT_WAIT_BUSINESS_S),
    ("on_hold", ON_HOLD_S, ON_HOLD_BUSINESS_S),
    ("first_resolution", FIRST_RES_S, FIRST_RES_BUSINESS_S),
];

/// The other columns an event log adds (SPEC §9), over tickets; with `business`
/// (`--schedule`) each duration's business variant after it.
pub fn ticket_metrics(unit: TimeUnit, business: bool) -> Vec<Metric> {
    let (u, scale) = (unit.suffix(), unit.seconds());
    let mut out = Vec::new();
    let mut columns = Vec::new();
    for (name, calendar, open) in DURATIONS {
        columns.push((name.to_string(), calendar));
        if business {
            columns.push((format!("{name}_business"), open));
        }
    }
    for (name, column) in columns {
        out.push(Metric::new(
            format!("{name}_mean_{u}"),
            Value::Mean {
                sum: Partial::Sum(column, None),
                n: Partial::Count(Cond::NotNull(column)),
                scale,
            },
        ));
        out.push(Metric::new(
            format!("{name}_median_{u}"),
            Value::Quantile {
                of: column,
                q: 0.5,
                scale,
            },
        ));
    }
    for (name, column) in [
        ("two_touch_pct", TWO_TOUCH),
        ("multi_touch_pct", MULTI_TOUCH),
    ] {
        out.push(Metric::new(
            name,
            Value::Pct {
                part: Partial::Count(Cond::IsTrue(column)),
                whole: Partial::Count(Cond::NotNull(column)),
            },
        ));
    }
    out.push(Metric::new(
        "assignee_stations_mean",
        Value::Mean {
            sum: Partial::Sum(STATIONS, None),
            n: Partial::Count(Cond::NotNull(STATIONS)),
            scale: 1.0,
        },
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;

    fn ev(at_min: i64, role: Option<Role>, public: bool) -> Event<'static> {
        Event {
            at: at_min * MIN,
            role,
            public,
            status: None,
            assignee: None,
            group: None,
        }
    }

    fn status(at_min: i64, s: Status) -> Event<'static> {
        Event {
            status: Some(s),
            ..ev(at_min, Some(Role::System), false)
        }
    }

    use Role::*;

    /// Customer writes at 0; a private note (5), a bot (6) and a system event (7)
    /// never answer; the agent replies at 10 (first response 600 s). The customer
    /// writes at 20 and 25 (one run, from 20), the agent answers at 40: a next reply
    /// of 20 min. The customer's last message at 50 is unanswered.
    #[test]
    fn notes_and_bots_never_answer_and_runs_are_timed_from_their_start() {
        let events = [
            ev(0, Some(Customer), true),
            ev(5, Some(Agent), false),
            ev(6, Some(Bot), true),
            ev(7, Some(System), true),
            ev(10, Some(Agent), true),
            ev(20, Some(Customer), true),
            ev(25, Some(Customer), true),
            ev(40, Some(Agent), true),
            ev(50, Some(Customer), true),
        ];
        let f = derive(&events, None, 1);
        assert_eq!(f.first_response, Some(600.0));
        assert_eq!(f.next_replies, vec![1200.0]);
        assert_eq!(f.run_starts, vec![20 * MIN]);
        assert_eq!(f.open_run, Some(50 * MIN));
        assert_eq!(f.agent_replies, 2);
    }

    /// An agent opens the ticket at 0 (an outbound message): not a reply. The
    /// customer answers at 30; the agent's reply at 45 is the first response (45 min
    /// after creation), not a next reply.
    #[test]
    fn a_ticket_an_agent_creates() {
        let events = [
            ev(0, Some(Agent), true),
            ev(30, Some(Customer), true),
            ev(45, Some(Agent), true),
        ];
        let f = derive(&events, None, 1);
        assert_eq!(f.first_response, Some(45.0 * 60.0));
        assert!(f.next_replies.is_empty());
        assert_eq!(f.agent_replies, 1);
    }

    /// A file of times to the minute says 09:00 (here 0) and the log's first event,
    /// the agent's at 09:00:40, creates the ticket then: the customer answers at 09:30
    /// and the agent's 10:00 is the first response, 59 min 20 s after it. A file of
    /// times to the second (00:00:05) is not so wide: the agent's 40 s is a reply 35
    /// s on.
    #[test]
    fn the_creating_event_within_the_minute_of_a_time_to_the_minute() {
        let at = |ms: i64, role| Event {
            at: ms,
            ..ev(0, Some(role), true)
        };
        let events = [
            at(40_000, Agent),
            at(30 * MIN, Customer),
            at(60 * MIN, Agent),
        ];
        let f = derive(&events, Some(0), 60_000);
        assert_eq!(f.first_response, Some(3600.0 - 40.0));
        assert_eq!(f.agent_replies, 1);
        assert!(f.next_replies.is_empty());
        let f = derive(&events, Some(5_000), 1000);
        assert_eq!(f.first_response, Some(35.0));
        assert_eq!(f.agent_replies, 2);
        assert_eq!(f.next_replies, vec![30.0 * 60.0]);
    }

    /// A creating audit's rows share its instant in either order: the status `new`
    /// (no author), an agent's private note and the agent's opening message at 0, the
    /// customer at 30, the agent at 60: the first response is at 60, the one reply
    /// (the opening message at 0 was counted a response at 0 when a row came before
    /// it). A customer's message at 0 before the agent's: that one answers it.
    #[test]
    fn the_events_of_the_creating_instant_create_the_ticket() {
        let new = Event {
            status: Some(Status::New),
            ..ev(0, None, true)
        };
        let rest = [ev(30, Some(Customer), true), ev(60, Some(Agent), true)];
        let orders = [
            vec![new.clone(), ev(0, Some(Agent), true)],
            vec![ev(0, Some(Agent), true), new.clone()],
            vec![
                ev(0, Some(Agent), false),
                new.clone(),
                ev(0, Some(Agent), true),
            ],
        ];
        for first in orders {
            let events = [first, rest.to_vec()].concat();
            for created in [None, Some(0)] {
                let f = derive(&events, created, 1);
                assert_eq!(f.first_response, Some(3600.0));
                assert_eq!(f.agent_replies, 1);
                assert!(f.next_replies.is_empty());
            }
        }
        let events = [
            new,
            ev(0, Some(Customer), true),
            ev(0, Some(Agent), true),
            ev(30, Some(Customer), true),
            ev(60, Some(Agent), true),
        ];
        let f = derive(&events, None, 1);
        assert_eq!(f.first_response, Some(0.0));
        assert_eq!(f.agent_replies, 2);
        assert_eq!(f.next_replies, vec![1800.0]);
    }

    /// new 0 → open 10 → pending 30 → hold 60 → solved 100 → open 130 → solved 150:
    /// requester wait 10 + 20 (new, open) + 20 (open after the reopen) = 50 min; agent
    /// wait 30 min; on hold 40 min; first resolution at 100, final at 150; one reopen.
    #[test]
    fn status_time_resolutions_and_reopens() {
        let events = [
            status(0, Status::New),
            status(10, Status::Open),
            status(30, Status::Pending),
            status(60, Status::Hold),
            status(100, Status::Solved),
            status(130, Status::Open),
            status(150, Status::Solved),
            status(200, Status::Closed),
        ];
        let f = derive(&events, None, 1);
        assert_eq!(f.requester_wait, 50.0 * 60.0);
        assert_eq!(f.agent_wait, 30.0 * 60.0);
        assert_eq!(f.on_hold, 40.0 * 60.0);
        assert_eq!(f.first_resolution, Some(100.0 * 60.0));
        assert_eq!(f.resolution, Some(150.0 * 60.0));
        assert_eq!(f.reopens, 1);
        assert!(f.resolved);
        // Reopened and not solved again: unresolved, first resolution kept.
        let f = derive(&events[..6], None, 1);
        assert!(!f.resolved);
        assert_eq!(f.resolution, None);
        assert_eq!(f.first_resolution, Some(100.0 * 60.0));
    }

    /// Distinct names counted the same below and past the list's size: 40 names,
    /// each seen three times in turn, are 40.
    #[test]
    fn many_stations_are_counted_once_each() {
        let names: Vec<String> = (0..40).map(|k| format!("agent{k}")).collect();
        for n in [1, Distinct::FEW, Distinct::FEW + 1, 40] {
            let mut seen = Distinct::default();
            for _ in 0..3 {
                names[..n].iter().for_each(|a| seen.insert(a));
            }
            assert_eq!(seen.len(), n);
        }
    }

    /// Assignees a, b, a and `?` (ServiceNow's "none"): two stations; groups x, y.
    /// The ticket file's creation time (10 min before the first event) wins.
    #[test]
    fn stations_and_the_ticket_files_creation_time() {
        let with = |at: i64, a: &'static str, g: &'static str| Event {
            assignee: Some(a),
            group: Some(g),
            ..ev(at, Some(Agent), true)
        };
        let events = [
            with(0, "a", "x"),
            with(5, "b", "x"),
            with(9, "a", "y"),
            with(12, "?", "y"),
        ];
        let f = derive(&events, Some(-10 * MIN), 1);
        assert_eq!((f.stations, f.groups), (2, 2));
        assert_eq!(f.last_assignee.as_deref(), Some("a"));
        // Every event comes after creation: the first at 0 is the first response.
        assert_eq!(f.first_response, Some(600.0));
        assert_eq!(f.agent_replies, 4);
    }

    #[test]
    fn status_and_role_words() {
        let words = EventWords::new(&BTreeMap::from([(
            "Awaiting Approval".to_string(),
            "hold".to_string(),
        )]))
        .unwrap();
        assert_eq!(words.parse("Awaiting User Info"), Some(Status::Pending));
        assert_eq!(words.parse("awaiting approval"), Some(Status::Hold));
        assert_eq!(words.parse("In_Progress"), Some(Status::Open));
        // Jira Service Management's own.
        assert_eq!(words.parse("Waiting for support"), Some(Status::Open));
        assert_eq!(words.parse("Work in progress"), Some(Status::Open));
        assert_eq!(words.parse("To Do"), Some(Status::New));
        assert_eq!(words.parse("Waiting for approval"), Some(Status::Hold));
        assert_eq!(words.parse("Declined"), Some(Status::Closed));
        assert_eq!(words.parse("-100"), None);
        assert!(EventWords::new(&BTreeMap::from([("x".into(), "later".into())])).is_err());
        assert_eq!(Role::parse("End-user"), Some(Role::Customer));
        assert_eq!(Role::parse("martian"), None);
        // `[roles]`: Intercom's `user` is the customer; its words win over the built-in.
        let words = EventWords::default()
            .with_roles(&BTreeMap::from([
                ("User".to_string(), "Customer".to_string()),
                ("admin".to_string(), "bot".to_string()),
            ]))
            .unwrap();
        assert_eq!(words.role(" user "), Some(Role::Customer));
        assert_eq!(words.role("ADMIN"), Some(Role::Bot));
        assert_eq!(words.role("teammate"), Some(Role::Agent));
        assert_eq!(EventWords::default().role("user"), None);
        let wrong = BTreeMap::from([("user".to_string(), "human".to_string())]);
        assert!(EventWords::default().with_roles(&wrong).is_err());
    }
}
