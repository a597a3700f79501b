//! Typed requests: what the library is asked to compute, with the command line and
//! the `--config` file already merged (the command layer does that, once). Nothing
//! here knows about clap.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::calendar::{self, Every, Schedule, Window, WindowSpec};
use crate::error::Result;
use crate::input::filter::Condition;
use crate::input::source::Encoding;
use crate::metrics::events::EventWords;
use crate::metrics::sla::SlaPolicy;
use crate::metrics::tickets::{Keep, TimeUnit};

/// Where a dataset's rows come from and how its columns map to canonical fields.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// Files, directories of them, or `-` for stdin.
    pub paths: Vec<PathBuf>,
    /// Canonical field → column, on top of the preset and automatic matching.
    pub map: Vec<(String, String)>,
    pub presets: Vec<String>,
    /// The presets come from the config file, which may list those of other commands
    /// too (`preset = ["zendesk", "medallia"]`): one this command does not read is
    /// passed over, not refused.
    pub presets_configured: bool,
    /// One strftime format for every timestamp column (else detected per file).
    pub date_format: Option<String>,
    /// Else detected per file.
    pub delimiter: Option<u8>,
    pub encoding: Encoding,
    /// The sheet of a workbook to read (else its first).
    pub sheet: Option<String>,
    /// Cell values read as missing besides the built-in markers (`--na`).
    pub na: Vec<String>,
    /// `--where`: the rows kept hold every condition.
    pub filters: Vec<Condition>,
    /// A condition whose column these files lack is skipped (and listed in
    /// [`crate::input::Input::filters_skipped`]) rather than an error: for a section
    /// of `report`, or a dataset of `customers`, when another dataset has the column.
    pub filters_where_present: bool,
    /// The files were given under an option naming their kind (`report`'s and
    /// `customers`' `--tickets`, `--surveys`…, `surveys --tickets`): a file of
    /// another kind is pointed to that kind's option.
    pub given_by_kind: bool,
    /// Customer ids read trimmed (` A` is `A`, spaces around an id being a
    /// spreadsheet's), as `customers` and `drivers` join them: before any figure is
    /// added up, so that one customer's rows are one group.
    pub ids_trimmed: bool,
}

/// What a metric is computed over: the clock and zone, the window, the groups and
/// the buckets.
#[derive(Debug, Clone)]
pub struct Scope {
    pub tz: Tz,
    pub now: DateTime<Utc>,
    pub window: Window,
    /// The named period the window came from (`2025-Q1`, `last-week`), if any.
    pub period: Option<String>,
    pub by: Vec<String>,
    /// `by` comes from the config file, a default for many files: a column the data
    /// lacks is passed over with a warning (a `--by` the data lacks is an error).
    pub by_configured: bool,
    /// Where `by` was given when not by `--by` (a saved report's key, with its file
    /// and line), for messages.
    pub by_origin: Option<String>,
    pub every: Option<Every>,
    /// The config file's keys the window and the buckets come from (`every`,
    /// `period`), none given on the command line: defaults for many files, passed
    /// over with a warning where the data has no dates.
    pub dates_configured: Vec<&'static str>,
}

impl Scope {
    /// Group column `b` as its messages name it: `--by teem`, or the saved report's
    /// key (`--config r.toml:4: reports.weekly.by 'teem'`).
    pub fn by_named(&self, b: &str) -> String {
        match &self.by_origin {
            Some(origin) => format!("{origin} '{b}'"),
            None => format!("--by {b}"),
        }
    }

    /// The window and grouping as people read them: `… (end excluded) [2025-Q1],
    /// UTC; by team; every month`.
    pub fn describe(&self) -> String {
        let mut line = self.describe_window();
        if !self.by.is_empty() {
            line += &format!("; by {}", self.by.join(", "));
        }
        if let Some(e) = self.every {
            line += &format!("; every {}", format!("{e:?}").to_lowercase());
        }
        line
    }

    /// The scope with a configured `by` cut to the columns one of `inputs` has, and
    /// a warning per column passed over.
    pub fn usable_by(&self, inputs: &[&crate::input::Input]) -> (Scope, Vec<String>) {
        let mut out = self.clone();
        let mut warnings = Vec::new();
        if self.by_configured {
            out.by.retain(|b| {
                let there = inputs.iter().any(|i| i.has_column(b));
                if !there {
                    // The first file without it (the others may have it).
                    let files = inputs.iter().flat_map(|i| i.files.iter());
                    let lacking = files.clone().find(|f| {
                        !f.mapping.has(b)
                            && !(f.sniffed.headers.iter())
                                .any(|h| crate::text::same_in_any_case(h.trim(), b.trim()))
                    });
                    let named = lacking.or(files.clone().next());
                    warnings.push(format!(
                        "by = '{b}' in --config: {} has no such column; not grouped by it",
                        named.map_or("the data", |f| f.source.name.as_str())
                    ));
                }
                there
            });
        }
        (out, warnings)
    }

    /// The scope of the window `--compare previous` sets beside this one: a calendar
    /// period's predecessor named as one (`2025-Q3`), so that churn is bucketed by the
    /// same unit; else the window of equal length before.
    pub fn previous(&self) -> Result<Scope> {
        let window = calendar::previous_window(&self.window, self.period.as_deref(), self.tz)?;
        let period = (self.period.as_deref())
            .and_then(calendar::period_unit)
            .zip(window.since)
            .map(|(unit, since)| {
                calendar::bucket_label(since.with_timezone(&self.tz).date_naive(), unit)
            });
        Ok(Scope {
            window,
            period,
            ..self.clone()
        })
    }

    /// The window as people read it: `2025-12-01 00:00 to 2025-12-08 00:00 (end
    /// excluded) [2025-W49], UTC`.
    pub fn describe_window(&self) -> String {
        let w = &self.window;
        // To the minute, unless a bound falls within one (`--since 10:00:30`).
        let within_a_minute = [w.since, w.until].iter().flatten().any(|t| {
            use chrono::Timelike;
            // On the local clock: a zone's offset may hold seconds (Monrovia's −0:44:30).
            let local = t.with_timezone(&self.tz);
            local.second() != 0 || local.nanosecond() != 0
        });
        let shown = match within_a_minute {
            true => "%Y-%m-%d %H:%M:%S%.f",
            false => "%Y-%m-%d %H:%M",
        };
        let local = |t: DateTime<Utc>| t.with_timezone(&self.tz).format(shown).to_string();
        let span = match (w.since, w.until) {
            (None, None) => "all data".to_string(),
            (Some(s), None) => format!("from {}", local(s)),
            (None, Some(u)) => format!("before {}", local(u)),
            (Some(s), Some(u)) => format!("{} to {} (end excluded)", local(s), local(u)),
        };
        let named = self
            .period
            .as_deref()
            .map(|p| format!(" [{p}]"))
            .unwrap_or_default();
        format!("{span}{named}, {}", self.tz.name())
    }

    /// Resolve a window spec against the clock (`now`, RFC 3339; default the system
    /// clock) in the zone `tz` (IANA name).
    pub fn resolve(
        spec: &WindowSpec,
        tz: &str,
        now: Option<&str>,
        by: Vec<String>,
        every: Option<Every>,
    ) -> Result<Scope> {
        let tz = calendar::parse_tz(tz)?;
        let now = calendar::resolve_now(now)?;
        Ok(Scope {
            window: calendar::resolve_window(spec, tz, now)?,
            tz,
            now,
            period: spec.period.as_deref().map(calendar::canonical_period),
            by,
            by_configured: false,
            by_origin: None,
            every,
            dates_configured: Vec::new(),
        })
    }
}

/// What happens to rows that cannot be used.
#[derive(Debug, Clone, Default)]
pub struct RowHandling {
    /// Any rejected row is an error (exit 3).
    pub strict: bool,
    /// Where every rejected row is written.
    pub rejects: Option<PathBuf>,
    /// Say on stderr where every row went.
    pub verbose: bool,
    /// `report --compare previous`: rows from this time on, before the window, are
    /// used (by the previous window's figures), not outside it.
    pub used_since: Option<DateTime<Utc>>,
}

/// What a page about tickets says of their SLA under its title: the target of
/// `sla_pct` (or the export's own verdict column that gives it instead), and the
/// policies of the `sla_*` columns (a 4 h page is not a 1 h one).
pub fn sla_line(sla_secs: f64, verdict: Option<&str>, policies: &[SlaPolicy]) -> String {
    let target = calendar::describe_duration(sla_secs);
    let mut line = match verdict {
        Some(column) => format!("SLA: the export's own verdict, '{column}' (sla %)"),
        None => format!("SLA: first response within {target} (sla %)"),
    };
    if !policies.is_empty() {
        let names: Vec<&str> = policies.iter().map(|p| p.name.as_str()).collect();
        line.push_str(&format!(
            "; policies {} (the sla_… columns)",
            names.join(", ")
        ));
    }
    line
}

/// [`sla_line`] of a page without `sla_pct` (per ticket): the policies alone, if any.
pub fn policies_line(policies: &[SlaPolicy]) -> String {
    match policies.is_empty() {
        true => String::new(),
        false => {
            let names: Vec<&str> = policies.iter().map(|p| p.name.as_str()).collect();
            format!("SLA: policies {} (the sla_… columns)", names.join(", "))
        }
    }
}

/// Ticket metrics (SPEC §5).
#[derive(Debug, Clone)]
pub struct TicketsRequest {
    pub sources: Sources,
    pub scope: Scope,
    pub rows: RowHandling,
    pub time_unit: TimeUnit,
    /// The first-response target of `sla_pct`, in seconds.
    pub sla_secs: f64,
    /// `--sla` (or the config's `sla`) given, not the default hour.
    pub sla_given: bool,
    pub keep: Keep,
    /// Business hours for the `_business_` duration columns.
    pub schedule: Option<Schedule>,
    /// `--sla-policy`: the first that applies to a ticket judges it.
    pub sla_policies: Vec<SlaPolicy>,
    /// One row per ticket instead of groups.
    pub per_ticket: bool,
    /// `--events`: the tickets' event logs.
    pub events: Option<Sources>,
    /// Status words (built-in and `[statuses]`): of the event logs, and of a ticket
    /// file's `status` where `closed_at` stands in for the resolution time.
    pub statuses: EventWords,
    /// Also `reopened_tickets`, the count behind `reopen_pct` (for `cxm customers`).
    pub count_reopened: bool,
    /// The bases of `report --compare previous`'s tests beside the metrics:
    /// `sla_tickets` (the count behind `sla_pct`), `tickets_by_now` (those created
    /// before `--now`), and the responded tickets' first responses
    /// ([`crate::compute::Computed::first_responses`]).
    pub compare_bases: bool,
}

impl TicketsRequest {
    /// Are the first responses kept ([`TicketsRequest::compare_bases`])? Of the
    /// totals only: a run grouped or bucketed is not the one tested.
    pub fn wants_first_responses(&self) -> bool {
        self.compare_bases && self.scope.by.is_empty() && self.scope.every.is_none()
    }
}

/// Survey metrics, optionally attributed to tickets by `ticket_id`.
#[derive(Debug, Clone)]
pub struct SurveysRequest {
    pub sources: Sources,
    /// The tickets that responses are attributed to (for `--by` ticket columns).
    pub tickets: Option<Sources>,
    pub scope: Scope,
    pub rows: RowHandling,
    /// Measure name → scale name (`csat` → `1-10`); the last of a measure wins.
    pub scales: Vec<(String, String)>,
    pub labels: Labels,
    /// Add the previous window's figures, the changes and their p-values.
    pub compare_previous: bool,
    /// Also each group's latest NPS score (by `submitted_at`), as the summary: for
    /// `cxm customers`, grouped by customer.
    pub last_nps: bool,
    /// Which row of a repeated ticket id gives its responses their ticket's columns:
    /// the tickets' `--keep` (its first row, else its last).
    pub keep: Keep,
    /// The measures the caller reads (none: all): a measure's column off every scale
    /// stops the run only where it is read.
    pub uses: Vec<crate::metrics::surveys::Measure>,
    /// The measures outside `uses` are not read at all, their scores never rejected
    /// (`drivers`: the outcome's measure alone).
    pub only_uses: bool,
}

/// Extra score labels per measure: label → point on the scale.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    #[serde(default)]
    pub csat: BTreeMap<String, f64>,
    #[serde(default)]
    pub ces: BTreeMap<String, f64>,
    #[serde(default)]
    pub nps: BTreeMap<String, f64>,
    /// The config file they came from, for messages.
    #[serde(skip)]
    pub file: Option<std::path::PathBuf>,
}

/// Churn from subscriptions, a churn-flag snapshot or activity.
#[derive(Debug, Clone)]
pub struct ChurnRequest {
    pub sources: Sources,
    pub scope: Scope,
    pub rows: RowHandling,
    /// Activity churn: a customer is active while it had an event this many seconds
    /// before.
    pub inactive_after: Option<f64>,
    pub view: ChurnView,
}

/// What `cxm churn` shows of subscriptions or activity (SPEC §5, §10).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ChurnView {
    /// One row per group and bucket; the MRR movements too when asked.
    Buckets { movements: bool },
    /// One row per group, cohort and age.
    Cohorts,
    /// Kaplan–Meier rows per group and month: gaps up to `grace_secs` bridged, those
    /// still active at `now` (default: the data's latest date) censored.
    Survival {
        grace_secs: f64,
        now: Option<DateTime<Utc>>,
    },
    /// One row per customer with a subscription in the window: its MRR at the
    /// window's end and whether it churned within the horizon after it.
    PerCustomer { horizon_secs: f64 },
}

/// Every section the data supports, for one window.
#[derive(Debug, Clone)]
pub struct ReportRequest {
    /// A folder whose files are sorted into sections by name, else by headers.
    pub dir: Option<PathBuf>,
    /// Files given per section; each list overrides what the folder holds for it.
    pub files: ReportFiles,
    /// How every file is read (its paths and column maps aside).
    pub read: Sources,
    /// Column maps per kind of file.
    pub maps: SectionMaps,
    pub scope: Scope,
    pub rows: RowHandling,
    /// No warnings on stderr.
    pub quiet: bool,
    pub time_unit: TimeUnit,
    pub sla_secs: f64,
    pub sla_given: bool,
    pub keep: Keep,
    pub schedule: Option<Schedule>,
    pub sla_policies: Vec<SlaPolicy>,
    pub scales: Vec<(String, String)>,
    pub labels: Labels,
    /// Status words of event logs.
    pub statuses: EventWords,
    /// Add the headline figures of the previous window, their changes and p-values.
    pub compare_previous: bool,
    /// Also what the comparison's tests take as their base: the tickets' counts
    /// and first responses ([`TicketsRequest::compare_bases`]).
    pub compare_base: bool,
    /// Add the tickets' first-response bands and arrivals by weekday and hour (for the
    /// HTML output's charts).
    pub ticket_shape: bool,
}

/// `cxm customers`: the report's inputs and window, one row per customer.
#[derive(Debug, Clone)]
pub struct CustomersRequest {
    pub base: ReportRequest,
    /// How long after the window's end a customer active then must stay to count as
    /// retained.
    pub horizon_secs: f64,
    /// With no survey file, read a ticket export's own CSAT column as the responses
    /// (`drivers` turns it off when no figure of its question needs them).
    pub embedded_csat: bool,
    /// The survey measures read (none: all), as [`SurveysRequest::uses`].
    pub survey_uses: Vec<crate::metrics::surveys::Measure>,
}

/// `cxm drivers`: the outcome by bucket of a service factor.
#[derive(Debug, Clone)]
pub struct DriversRequest {
    pub customers: CustomersRequest,
    pub outcome: Outcome,
    pub factor: Factor,
    /// Quantile buckets (when no `edges`).
    pub buckets: usize,
    /// Inner bucket edges in the factor's unit: [0, e1), [e1, e2), …, [en, ∞).
    pub edges: Option<Vec<f64>>,
}

/// What `cxm drivers` measures after the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Churn,
    Csat,
    Nps,
}

/// The service factor `cxm drivers` buckets customers by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Factor {
    FirstResponseMedian,
    ResolutionMedian,
    Tickets,
    ReopenedTickets,
    CsatPct,
    SlaPct,
}

impl Factor {
    pub const NAMES: [(&'static str, Factor); 6] = [
        ("first_response_median", Factor::FirstResponseMedian),
        ("resolution_median", Factor::ResolutionMedian),
        ("tickets", Factor::Tickets),
        ("reopened_tickets", Factor::ReopenedTickets),
        ("csat_pct", Factor::CsatPct),
        ("sla_pct", Factor::SlaPct),
    ];

    /// A duration (its edges are durations, e.g. `4h`)?
    pub fn is_duration(self) -> bool {
        matches!(self, Factor::FirstResponseMedian | Factor::ResolutionMedian)
    }

    pub fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("", |(n, _)| n)
    }

    /// What its bucket bounds count: a time unit, tickets, or percent.
    pub fn unit(self, time: crate::metrics::tickets::TimeUnit) -> &'static str {
        match self {
            Factor::FirstResponseMedian | Factor::ResolutionMedian => time.suffix(),
            Factor::Tickets | Factor::ReopenedTickets => "tickets",
            Factor::CsatPct | Factor::SlaPct => "percent",
        }
    }
}

/// The files of each report section.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ReportFiles {
    pub tickets: Vec<PathBuf>,
    pub surveys: Vec<PathBuf>,
    pub subscriptions: Vec<PathBuf>,
    /// Event logs of the tickets (`--events`; `events*.csv` in a folder).
    pub events: Vec<PathBuf>,
}

/// Column maps (canonical field → column) per kind of file.
#[derive(Debug, Default, Clone)]
pub struct SectionMaps {
    pub tickets: Vec<(String, String)>,
    pub surveys: Vec<(String, String)>,
    pub customers: Vec<(String, String)>,
    pub events: Vec<(String, String)>,
}
