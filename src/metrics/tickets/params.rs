//! What the ticket metrics know of the data and the request: the fields mapped,
//! where each duration comes from, and the unit.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono_tz::Tz;

use super::Grouping;
use crate::calendar::Schedule;
use crate::input::timestamp::TsFormat;
use crate::metrics::events::EventWords;
use crate::metrics::sla::Policies;

/// Unit of duration columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TimeUnit {
    Hours,
    Minutes,
    Seconds,
}

impl TimeUnit {
    /// Seconds in one unit.
    pub fn seconds(self) -> f64 {
        match self {
            TimeUnit::Hours => 3600.0,
            TimeUnit::Minutes => 60.0,
            TimeUnit::Seconds => 1.0,
        }
    }

    /// The column-name suffix (SPEC §6).
    pub fn suffix(self) -> &'static str {
        match self {
            TimeUnit::Hours => "hours",
            TimeUnit::Minutes => "minutes",
            TimeUnit::Seconds => "seconds",
        }
    }
}

/// Which of the rows sharing a ticket_id to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    First,
    Last,
    All,
}

use self::TimeUnit as Unit;

/// Canonical ticket fields the metrics read.
pub const FIELDS: &[&str] = &[
    "ticket_id",
    "created_at",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "first_response_minutes",
    "first_response_hours",
    "first_response_seconds",
    "first_response_milliseconds",
    "resolution_minutes",
    "resolution_hours",
    "resolution_seconds",
    "resolution_milliseconds",
    "agent_replies",
    "reopens",
    "fcr",
    "sla_met",
];

/// The columns an export may give a first response in instead of its time, with the
/// seconds in each one's unit, in the order they are preferred.
pub const FIRST_RESPONSE_DURATIONS: [(&str, f64); 4] = [
    ("first_response_minutes", 60.0),
    ("first_response_hours", 3600.0),
    ("first_response_seconds", 1.0),
    ("first_response_milliseconds", 0.001),
];

/// As [`FIRST_RESPONSE_DURATIONS`], for the resolution.
pub const RESOLUTION_DURATIONS: [(&str, f64); 4] = [
    ("resolution_minutes", 60.0),
    ("resolution_hours", 3600.0),
    ("resolution_seconds", 1.0),
    ("resolution_milliseconds", 0.001),
];

/// `has` for choosing a ticket's sources: a time field whose column is blank
/// throughout the sample (`filled` false) is passed over where a duration of its
/// measure is filled there (an export of the durations whose dates were left empty).
pub fn sourced(has: impl Fn(&str) -> bool, filled: impl Fn(&str) -> bool) -> impl Fn(&str) -> bool {
    move |f| {
        let durations: &[(&str, f64)] = match f {
            "first_response_at" => &FIRST_RESPONSE_DURATIONS,
            "resolved_at" | "closed_at" => &RESOLUTION_DURATIONS,
            _ => return has(f),
        };
        has(f) && (filled(f) || !durations.iter().any(|(d, _)| has(d) && filled(d)))
    }
}

/// Is `field` one an export gives a duration in ([`FIRST_RESPONSE_DURATIONS`],
/// [`RESOLUTION_DURATIONS`])?
pub fn is_duration_field(field: &str) -> bool {
    (FIRST_RESPONSE_DURATIONS.iter())
        .chain(&RESOLUTION_DURATIONS)
        .any(|(f, _)| *f == field)
}

/// Where a duration comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum DurationSource {
    /// A timestamp field, minus `created_at`.
    Since(&'static str, TsFormat),
    /// A numeric field, times this many seconds per unit.
    Column(&'static str, f64),
    /// Not in the data.
    Absent,
}

/// How first contact is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FcrSource {
    /// The `fcr` boolean field.
    Flag,
    /// `agent_replies = 1`, and `reopens = 0` when reopens is mapped.
    Replies {
        with_reopens: bool,
    },
    Absent,
}

/// Everything the ticket metrics need to know about the data and the request.
#[derive(Debug, Clone)]
pub struct TicketParams {
    pub created: TsFormat,
    pub first_response: DurationSource,
    pub resolution: DurationSource,
    /// `closed_at`'s format, read where `resolved_at` is empty (a ticket closed
    /// without a resolution time was resolved then); only beside `resolved_at`.
    pub closed: Option<TsFormat>,
    /// The status words, when `status` is read: beside a close ([`Self::reads_close`])
    /// a ticket whose status is not resolved (new, open, pending, hold) is open,
    /// whatever close time it carries from before it was reopened; a resolved one
    /// without a resolution time, and a deleted one, are warned of.
    pub statuses: Option<Arc<EventWords>>,
    pub fcr: FcrSource,
    /// The fields of [`FIELDS`] the data maps.
    pub mapped: Vec<&'static str>,
    pub tz: Tz,
    pub grouping: Grouping,
    pub sla_secs: f64,
    pub unit: Unit,
    /// `--schedule`: business-time variants of the durations.
    pub schedule: Option<Arc<Schedule>>,
    /// `--sla-policy`: the policies' verdicts per ticket and their counts. The
    /// tickets' `priority` is read when the data maps it (add it to `mapped`).
    pub sla: Option<Arc<Policies>>,
    /// The rows say, in [`STAMPED`], whether each duration came from
    /// timestamps (an event log's tickets beside the ticket file's own durations):
    /// only those get business time and business-hours verdicts.
    pub stamped_rows: bool,
    /// An event log may resolve the tickets (`--events`): a resolved status without
    /// a resolution time in the file is not said to leave the ticket open.
    pub log_may_resolve: bool,
    /// Time fields the data maps but whose durations are read instead ([`sourced`]):
    /// a time given where the duration is empty is said.
    pub unread_times: Vec<&'static str>,
    /// The policies' rule inputs are read as these classes (none: as texts); see
    /// [`crate::metrics::sla::Policies::rule_classes`].
    pub rule_classes: Option<Vec<crate::input::classes::Class>>,
}

impl TicketParams {
    /// The parameters for data that maps the fields `has` says (those mapped with
    /// `--map` among `explicit`), with one file's timestamp `formats`; `None` without
    /// a `created_at` format.
    pub fn new(
        has: impl Fn(&str) -> bool,
        explicit: &[&str],
        formats: &BTreeMap<&'static str, TsFormat>,
        grouping: Grouping,
        sla_secs: f64,
        unit: Unit,
    ) -> Option<TicketParams> {
        let fcr = if has("fcr") {
            FcrSource::Flag
        } else if has("agent_replies") {
            FcrSource::Replies {
                with_reopens: has("reopens"),
            }
        } else {
            FcrSource::Absent
        };
        let (first_response, resolution) = Self::sources(&has, explicit, formats);
        let closed = match resolution {
            DurationSource::Since("resolved_at", _) => formats.get("closed_at").cloned(),
            _ => None,
        };
        Some(TicketParams {
            created: formats.get("created_at")?.clone(),
            first_response,
            resolution,
            closed,
            fcr,
            mapped: FIELDS.iter().copied().filter(|f| has(f)).collect(),
            ..TicketParams::for_rows(grouping, sla_secs, unit)
        })
    }

    /// The parameters for rows already parsed (derived from an event log): no file
    /// to read, every metric over the rows' own columns.
    pub fn for_rows(grouping: Grouping, sla_secs: f64, unit: Unit) -> TicketParams {
        TicketParams {
            created: TsFormat::user("%+"),
            first_response: DurationSource::Absent,
            resolution: DurationSource::Absent,
            closed: None,
            statuses: None,
            fcr: FcrSource::Flag,
            mapped: Vec::new(),
            tz: grouping.tz,
            grouping,
            sla_secs,
            unit,
            schedule: None,
            sla: None,
            stamped_rows: false,
            log_may_resolve: false,
            unread_times: Vec::new(),
            rule_classes: None,
        }
    }

    /// Does the data map this field?
    pub fn has(&self, field: &str) -> bool {
        self.mapped.contains(&field)
    }

    /// Is `closed_at` read, for a ticket without a resolution time (beside
    /// `resolved_at`) or as the resolution itself?
    pub fn reads_close(&self) -> bool {
        self.closed.is_some() || matches!(self.resolution, DurationSource::Since("closed_at", _))
    }

    /// Choose sources from the mapped fields: an explicitly mapped field wins; otherwise
    /// timestamps beat durations (vendor durations are often business hours).
    pub fn sources(
        has: impl Fn(&str) -> bool,
        explicit: &[&str],
        formats: &BTreeMap<&'static str, TsFormat>,
    ) -> (DurationSource, DurationSource) {
        let pick = |ts: &[&'static str], durations: &[(&'static str, f64)]| {
            // The first timestamp field the data has.
            let ts_source = (ts.iter().filter(|t| has(t)))
                .find_map(|&t| Some(DurationSource::Since(t, formats.get(t)?.clone())));
            // A duration mapped by hand wins over the others found by name.
            let col_source = (durations.iter())
                .find(|(f, _)| explicit.contains(f) && has(f))
                .or_else(|| durations.iter().find(|(f, _)| has(f)))
                .map(|&(f, secs)| DurationSource::Column(f, secs));
            let duration_explicit = durations.iter().any(|(f, _)| explicit.contains(f));
            match (ts_source, col_source) {
                (Some(_), Some(c))
                    if duration_explicit && !ts.iter().any(|t| explicit.contains(t)) =>
                {
                    c
                }
                (Some(t), _) => t,
                (None, Some(c)) => c,
                (None, None) => DurationSource::Absent,
            }
        };
        (
            pick(&["first_response_at"], &FIRST_RESPONSE_DURATIONS),
            pick(&["resolved_at", "closed_at"], &RESOLUTION_DURATIONS),
        )
    }
}
