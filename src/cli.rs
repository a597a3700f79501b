//! Command-line surface: clap derive only. Values that clap can check are parsed
//! here (closed choices are enums); everything that needs the clock, the time zone
//! or the files is resolved later in `calendar` and `input`.

use std::path::PathBuf;

use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum};

pub use crate::calendar::{checked_duration, parse_days_duration_secs, parse_duration_secs, Every};
pub use crate::metrics::tickets::{Keep, TimeUnit};
pub use crate::render::Format;

/// clap's `ValueEnum` for a domain enum: its values' command-line names, kept here so
/// that no domain type depends on clap.
macro_rules! value_enum {
    ($ty:ty { $($variant:ident => $name:literal),* $(,)? }) => {
        impl ValueEnum for $ty {
            fn value_variants<'a>() -> &'a [Self] {
                &[$(Self::$variant),*]
            }
            fn to_possible_value(&self) -> Option<PossibleValue> {
                Some(PossibleValue::new(match self {
                    $(Self::$variant => $name),*
                }))
            }
        }
    };
}

value_enum!(Bucket { Day => "day", Week => "week", Month => "month", Quarter => "quarter", Year => "year", None => "none" });
value_enum!(Format { Table => "table", Csv => "csv", Json => "json", Ndjson => "ndjson", Markdown => "markdown", Html => "html" });
value_enum!(TimeUnit { Hours => "hours", Minutes => "minutes", Seconds => "seconds" });
value_enum!(Keep { First => "first", Last => "last", All => "all" });
value_enum!(Dialect { Duckdb => "duckdb", Postgres => "postgres", Spark => "spark", Bigquery => "bigquery", Snowflake => "snowflake" });
value_enum!(Dataset { Tickets => "tickets", Surveys => "surveys", Churn => "churn" });

pub use crate::sql::{Dataset, Dialect};

pub use crate::input::source::Encoding;

impl ValueEnum for Encoding {
    fn value_variants<'a>() -> &'a [Self] {
        &[Encoding::Auto, Encoding::Utf8, Encoding::Latin1]
    }
    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(match self {
            Encoding::Auto => PossibleValue::new("auto").help(
                "UTF-8, or Windows-1252 for a file that starts with bytes that are not UTF-8",
            ),
            Encoding::Utf8 => PossibleValue::new("utf8")
                .alias("utf-8")
                .help("UTF-8 only: other bytes stop the run"),
            Encoding::Latin1 => PossibleValue::new("latin1")
                .aliases(["iso-8859-1", "windows-1252", "cp1252"])
                .help("read as Windows-1252 (also named cp1252, windows-1252, iso-8859-1)"),
        })
    }
}

/// cxm: customer-experience metrics from raw helpdesk, survey and billing exports.
#[derive(Debug, Parser)]
#[command(name = "cxm", version, about, max_term_width = 100)]
pub struct Cli {
    /// What to compute.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Ticket metrics: volume, first response, resolution, FCR, reopens, SLA.
    #[command(after_help = "Example: cxm tickets sample-data/tickets.csv --by team --every month")]
    Tickets(TicketsArgs),
    /// Survey metrics: CSAT, CES and NPS (with margin of error), optionally via tickets.
    #[command(
        after_help = "Example: cxm surveys sample-data/surveys.csv --tickets sample-data/tickets.csv --by team --every month"
    )]
    Surveys(SurveysArgs),
    /// Churn and retention: from subscriptions, a churn-flag snapshot, or activity.
    #[command(
        after_help = "Examples:\n  cxm churn sample-data/subscriptions.csv --every month --by plan\n  cxm churn customers.csv --by Contract           (a churn-flag snapshot)\n  cxm churn sample-data/tickets.csv --inactive-after 30d   (activity churn)",
        // Churn is counted per bucket: `none` is refused (with the reason) here.
        mut_arg("every", |a| a.help("One row per time bucket (ISO weeks start on Monday); overrides the config file's `every` [default: month; `none` is refused: churn is counted per bucket]"))
    )]
    Churn(ChurnArgs),
    /// Every section the data supports (tickets, surveys, churn) in one summary.
    #[command(
        after_help = "Examples:\n  cxm report sample-data --by team\n  cxm report --config cx.toml weekly\n  cxm report --tickets t.csv --surveys s.csv --period last-week --tz Europe/Berlin"
    )]
    Report(ReportArgs),
    /// One row per customer: service (tickets, replies, reopens), voice (CSAT, NPS)
    /// and outcome (MRR, churned within --horizon), over the window.
    #[command(
        after_help = "Examples:\n  cxm customers sample-data --period 2025-Q1\n  cxm customers --tickets t.csv --subscriptions s.csv --until 2025-07-01 --horizon 90d",
        mut_args(|a| unoffered(a, "sla"))
    )]
    Customers(CustomersArgs),
    /// Does service predict the outcome? Churn %, satisfied % or NPS by bucket of a
    /// service factor, with 95% intervals, relative risk and a χ² p-value.
    #[command(
        after_help = "Examples:\n  cxm drivers sample-data --until 2025-07-01 --outcome churn --factor first_response_median\n  cxm drivers sample-data --until 2025-07-01 --outcome churn --factor first_response_median --edges 1h,4h,24h",
        mut_args(|a| unoffered(a, "by"))
    )]
    Drivers(DriversArgs),
    /// The SQL of a command's columns for a warehouse: one query over a table with the
    /// canonical column names and typed columns.
    #[command(
        after_help = "Examples:\n  cxm sql tickets --dialect duckdb --by team --every month\n  cxm sql surveys --dialect bigquery --table cx.responses --period 2025-Q1 --tz Europe/Berlin\n  cxm sql churn --dialect postgres --since 2025-01-01 --until 2026-01-01 --by plan",
        // A filter belongs in the query's own WHERE: the option is refused here.
        mut_arg("filters", |a| a.hide(true))
    )]
    Sql(SqlArgs),
    /// Show columns, the canonical mapping chosen, detected types and date format, problems.
    #[command(
        // Nothing is rejected: the options are refused here.
        mut_arg("strict", |a| a.hide(true)),
        mut_arg("rejects", |a| a.hide(true))
    )]
    Inspect(InspectArgs),
    /// Write deterministic, realistic sample data (tickets, surveys, subscriptions).
    Sample(SampleArgs),
}

/// `report`'s options that customers and drivers have no use for (one row per
/// customer, or per bucket), and `also`: refused if given, so not offered in help.
fn unoffered(arg: clap::Arg, also: &str) -> clap::Arg {
    const REFUSED: [&str; 6] = [
        "events",
        "schedule",
        "sla_policy",
        "rejects",
        "every",
        "compare",
    ];
    let id = arg.get_id().as_str();
    match REFUSED.contains(&id) || id == also {
        true => arg.hide(true),
        false => arg,
    }
}

/// Where the data comes from and how its columns map to canonical fields.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// Data files (.csv, .tsv, .csv.gz, .parquet, .xlsx), directories of them, or - for
    /// stdin.
    #[arg(value_name = "FILE|DIR|-")]
    pub inputs: Vec<PathBuf>,
    /// Map a canonical field to a column of the file, e.g. --map created_at="Created Date".
    #[arg(long = "map", value_name = "FIELD=COLUMN", value_parser = parse_map)]
    pub map: Vec<(String, String)>,
    /// Column mapping of a known export: zendesk, freshdesk, servicenow, osticket, zammad,
    /// jira, hubspot, intercom, helpscout (tickets), medallia, qualtrics, surveymonkey,
    /// typeform, delighted (surveys), stripe, chargebee (subscriptions); detected from the
    /// headers when not given (repeatable).
    #[arg(long = "preset", value_name = "NAME", value_parser = parse_preset)]
    pub preset: Vec<String>,
    /// Timestamp format (strftime, e.g. "%d/%m/%Y %H:%M") for every timestamp column
    /// written as text (a workbook's date cells and Parquet timestamps are read as
    /// they are).
    #[arg(long, value_name = "FORMAT", value_parser = parse_date_format)]
    pub date_format: Option<String>,
    /// Field delimiter; detected from the header line when not given.
    #[arg(long, value_name = "CHAR", value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,
    /// Character encoding of the files.
    #[arg(long, value_enum, default_value = "auto")]
    pub encoding: Encoding,
    /// Also read VALUE as a missing cell (repeatable), besides blank, NA, N/A, n/a,
    /// #N/A, NULL, null, NaN, nan, -NaN, None, <NA> and ?.
    #[arg(long = "na", value_name = "VALUE")]
    pub na: Vec<String>,
    /// The sheet of an Excel workbook (.xlsx) to read [default: the first one Excel shows,
    /// hidden sheets passed over].
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Treat any rejected value as an error (exit 3).
    #[arg(long)]
    pub strict: bool,
    /// Write every rejected row to PATH as CSV: file,line,reason,column,value, then
    /// the row's own fields (written even when nothing is rejected).
    #[arg(long, value_name = "PATH")]
    pub rejects: Option<PathBuf>,
    /// TOML file of defaults: mappings, scales, labels, SLA, time zone, grouping.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// Grouping and time window, shared by the metric commands.
#[derive(Debug, Clone, Args)]
pub struct WindowArgs {
    /// Group by canonical fields (agent, team, channel, priority…) or raw column names.
    // Split here, not by clap: `--by '' --by ''` (no columns) is not `--by ,`.
    #[arg(long, value_name = "COL[,COL]")]
    pub by: Vec<String>,
    /// Keep only the rows where EXPR holds (repeatable; all must hold): COL=VALUE,
    /// COL!=VALUE, COL in (A,B) (values in any case), COL~REGEX, COL!~REGEX; COL a canonical field
    /// or raw column.
    #[arg(long = "where", value_name = "EXPR", value_parser = parse_where)]
    pub filters: Vec<crate::input::filter::Condition>,
    /// One row per time bucket (ISO weeks start on Monday); `none` for no buckets;
    /// overrides the config file's `every`.
    #[arg(long, value_enum, value_name = "BUCKET")]
    pub every: Option<Bucket>,
    /// Start of the window, inclusive: YYYY-MM-DD (midnight in --tz), a local
    /// YYYY-MM-DDTHH:MM[:SS] (in --tz) or RFC 3339.
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// End of the window, exclusive: YYYY-MM-DD (midnight in --tz), a local
    /// YYYY-MM-DDTHH:MM[:SS] (in --tz) or RFC 3339.
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Named window: today, yesterday, this-week, last-week, this-month, last-month,
    /// this-quarter, last-quarter, last-7d, last-30d, 2025-03, 2025-W09, 2025-Q1, 2025.
    #[arg(long, value_name = "P", conflicts_with_all = ["since", "until"])]
    pub period: Option<String>,
    /// The clock for relative periods (RFC 3339); default: the system clock.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// IANA time zone for buckets, windows and timestamps without an offset [default: UTC].
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
}

/// `--every`: a bucket, or `none` (no buckets, whatever the config file says).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    Day,
    Week,
    Month,
    Quarter,
    Year,
    None,
}

impl WindowArgs {
    /// The buckets `--every` asks for: `None` without `--every`, `Some(None)` for
    /// `--every none`.
    pub fn every_given(&self) -> Option<Option<Every>> {
        self.every.map(|b| match b {
            Bucket::Day => Some(Every::Day),
            Bucket::Week => Some(Every::Week),
            Bucket::Month => Some(Every::Month),
            Bucket::Quarter => Some(Every::Quarter),
            Bucket::Year => Some(Every::Year),
            Bucket::None => None,
        })
    }

    /// The buckets `--every` gives, else `configured`.
    pub fn every_or(&self, configured: Option<Every>) -> Option<Every> {
        self.every_given().unwrap_or(configured)
    }
    /// The `--by` columns given (`None`: no `--by`). A blank `--by ''` adds no
    /// column (alone, or beside other blank ones, it is no grouping, over the config
    /// file's: a script's `--by "$EXTRA"` with nothing in it); an empty name in a
    /// list (`--by a,,b`, `--by ,`) is refused.
    pub fn by_given(&self) -> crate::error::Result<Option<Vec<String>>> {
        if self.by.is_empty() {
            return Ok(None);
        }
        let mut names = Vec::new();
        for given in self.by.iter().filter(|b| !b.trim().is_empty()) {
            let listed: Vec<String> = given.split(',').map(|b| b.trim().to_string()).collect();
            if listed.iter().any(String::is_empty) {
                return Err(crate::usage_err!(
                    "--by {given}: an empty column name (--by '' alone means no grouping)"
                ));
            }
            names.extend(listed);
        }
        Ok(Some(names))
    }

    /// The window asked for.
    pub fn spec(&self) -> crate::calendar::WindowSpec {
        crate::calendar::WindowSpec {
            since: self.since.clone(),
            until: self.until.clone(),
            period: self.period.clone(),
        }
    }
}

/// How and where the report is written.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Output format; default: table on a terminal, csv otherwise (or from -o's extension).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the report to PATH atomically instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Nothing on stderr but errors.
    #[arg(short, long)]
    pub quiet: bool,
    /// Say on stderr where every row went: read = used + rejected (+ duplicates…).
    #[arg(short, long, conflicts_with = "quiet")]
    pub verbose: bool,
    /// Exit 4 when any reported row meets this condition, e.g. 'csat_pct<85'
    /// (operators < <= > >= == !=; repeatable). The report is still written.
    #[arg(long = "fail-if", value_name = "EXPR")]
    pub fail_if: Vec<String>,
}

/// `cxm tickets`.
#[derive(Debug, Clone, Args)]
pub struct TicketsArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub window: WindowArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Unit of durations in the output [default: hours].
    #[arg(long, value_enum, visible_alias = "unit")]
    pub time_unit: Option<TimeUnit>,
    /// First-response target, e.g. 1h, 30m, 4h, 1d, 90s [default: 1h].
    #[arg(long, value_name = "DURATION", value_parser = checked_duration)]
    pub sla: Option<String>,
    /// Which row of a repeated ticket_id counts (overlapping exports) [default: last].
    #[arg(long, value_enum)]
    pub keep: Option<Keep>,
    /// Business hours from [schedules.NAME] in --config: adds the business-time
    /// duration columns.
    #[arg(long, value_name = "NAME")]
    pub schedule: Option<String>,
    /// SLA targets from [sla_policies.NAME] in --config; with several, the first
    /// whose `where` matches a ticket applies. Adds the achieved/breached/pending
    /// counts and pct per metric.
    #[arg(long, value_name = "NAME[,NAME…]", value_delimiter = ',')]
    pub sla_policy: Vec<String>,
    /// One row per ticket (its durations, policy, targets and verdicts) instead of
    /// groups: to reconcile a figure with the helpdesk's own.
    #[arg(long)]
    pub per_ticket: bool,
    /// Event logs of the tickets (repeatable): next replies, waits, touches and
    /// stations from the conversation; with no ticket FILE, the tickets of the log.
    #[arg(long, value_name = "FILE")]
    pub events: Vec<PathBuf>,
}

/// `cxm surveys`.
#[derive(Debug, Clone, Args)]
pub struct SurveysArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub window: WindowArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Tickets export(s) to join responses to by ticket_id, for --by agent, team,
    /// channel… (repeatable: several files are concatenated).
    #[arg(long, value_name = "FILE")]
    pub tickets: Vec<PathBuf>,
    /// Score scale: csat=1-5|1-7|1-10|good-bad, ces=1-7|1-5|5-1|7-1 (repeatable; 5-1 and 7-1:
    /// lower is easier).
    #[arg(long, value_name = "MEASURE=SCALE", value_parser = parse_scale)]
    pub scale: Vec<(String, String)>,
    /// Add the previous period (a named one's previous calendar period, else the window of
    /// equal length before), the changes, and z-test p-values.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub compare: Option<Compare>,
}

/// `cxm report`.
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// A directory of exports (tickets*.csv, surveys*.csv / responses*.csv,
    /// subscriptions*.csv / customers*.csv, or any file by its headers), and/or the
    /// name of a report saved in --config.
    #[arg(value_name = "DIR|NAME", num_args = 0..=2)]
    pub targets: Vec<String>,
    /// Ticket export(s) (repeatable); overrides what DIR holds.
    #[arg(long, value_name = "FILE")]
    pub tickets: Vec<PathBuf>,
    /// Survey response export(s) (repeatable).
    #[arg(long, value_name = "FILE")]
    pub surveys: Vec<PathBuf>,
    /// Subscription export(s) (repeatable; `report` also reads a churn-flag snapshot,
    /// `customers` and `drivers` need dated subscriptions).
    #[arg(long, value_name = "FILE")]
    pub subscriptions: Vec<PathBuf>,
    /// Event log(s) of the tickets (repeatable): the tickets section's event-log
    /// columns.
    #[arg(long, value_name = "FILE")]
    pub events: Vec<PathBuf>,
    /// Column mapping of a known export (repeatable; each applies to its kind of file).
    #[arg(long = "preset", value_name = "NAME", value_parser = parse_preset)]
    pub preset: Vec<String>,
    /// Timestamp format (strftime) for every timestamp column written as text, in
    /// every file.
    #[arg(long, value_name = "FORMAT", value_parser = parse_date_format)]
    pub date_format: Option<String>,
    /// Field delimiter; detected per file when not given.
    #[arg(long, value_name = "CHAR", value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,
    /// Character encoding of the files.
    #[arg(long, value_enum, default_value = "auto")]
    pub encoding: Encoding,
    /// Also read VALUE as a missing cell (repeatable), besides blank, NA, N/A, n/a,
    /// #N/A, NULL, null, NaN, nan, -NaN, None, <NA> and ?.
    #[arg(long = "na", value_name = "VALUE")]
    pub na: Vec<String>,
    /// The sheet of an Excel workbook (.xlsx) to read [default: the first one Excel shows,
    /// hidden sheets passed over].
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Treat any rejected value as an error (exit 3).
    #[arg(long)]
    pub strict: bool,
    /// Write every rejected row of every file to PATH as CSV (columns
    /// file,line,reason,column,value, then the row's own fields under the union of all
    /// files' headers).
    #[arg(long, value_name = "PATH")]
    pub rejects: Option<PathBuf>,
    /// Which row of a repeated ticket_id counts [default: last].
    #[arg(long, value_enum)]
    pub keep: Option<Keep>,
    /// Business hours from [schedules.NAME] in --config for the tickets section.
    #[arg(long, value_name = "NAME")]
    pub schedule: Option<String>,
    /// SLA targets from [sla_policies.NAME] in --config for the tickets section.
    #[arg(long, value_name = "NAME[,NAME…]", value_delimiter = ',')]
    pub sla_policy: Vec<String>,
    /// TOML file of defaults and saved reports.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub window: WindowArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Unit of durations in the output [default: hours].
    #[arg(long, value_enum, visible_alias = "unit")]
    pub time_unit: Option<TimeUnit>,
    /// First-response target of the SLA figures (report's tickets section, drivers'
    /// sla_pct factor), e.g. 1h, 30m [default: 1h].
    #[arg(long, value_name = "DURATION", value_parser = checked_duration)]
    pub sla: Option<String>,
    /// Score scale: csat=1-5|1-7|1-10|good-bad, ces=1-7|1-5|5-1|7-1 (repeatable; 5-1 and 7-1:
    /// lower is easier).
    #[arg(long, value_name = "MEASURE=SCALE", value_parser = parse_scale)]
    pub scale: Vec<(String, String)>,
    /// Add the headline figures of the previous period, their changes and p-values.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub compare: Option<Compare>,
}

/// `cxm customers`: the inputs and options of `report`, and the churn horizon.
#[derive(Debug, Clone, Args)]
pub struct CustomersArgs {
    #[command(flatten)]
    pub report: ReportArgs,
    /// A customer active at the window's end churned when it is not active this long
    /// after it [default: 90d].
    #[arg(long, value_name = "DURATION", value_parser = parse_days_duration_secs)]
    pub horizon: Option<f64>,
}

/// `cxm drivers`.
#[derive(Debug, Clone, Args)]
pub struct DriversArgs {
    #[command(flatten)]
    pub customers: CustomersArgs,
    /// The outcome after the window: churn, csat (satisfied %) or nps.
    #[arg(long, value_enum)]
    pub outcome: OutcomeArg,
    /// The service factor over the window: first_response_median, resolution_median,
    /// tickets, reopened_tickets, csat_pct, sla_pct.
    #[arg(long, value_name = "FACTOR", value_parser = parse_factor)]
    pub factor: crate::request::Factor,
    /// Quantile buckets of the factor [default: 5].
    #[arg(long, value_name = "N", conflicts_with = "edges", value_parser = parse_buckets)]
    pub buckets: Option<usize>,
    /// Bucket edges instead: e.g. 1h,4h,24h (durations; a bare number is in --time-unit) or
    /// 2,5 → [0, e1), …, [en, ∞).
    #[arg(
        long,
        value_name = "E1,E2,…",
        value_delimiter = ',',
        allow_hyphen_values = true
    )]
    pub edges: Vec<String>,
}

/// `--outcome`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutcomeArg {
    Churn,
    Csat,
    Nps,
}

fn parse_factor(s: &str) -> Result<crate::request::Factor, String> {
    crate::request::Factor::NAMES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(s.trim()))
        .map(|(_, f)| *f)
        .ok_or_else(|| {
            let names: Vec<&str> = crate::request::Factor::NAMES
                .iter()
                .map(|(n, _)| *n)
                .collect();
            format!("unknown factor '{s}' (known: {})", names.join(", "))
        })
}

/// What `--compare` compares with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Compare {
    Previous,
}

/// `cxm churn`.
#[derive(Debug, Clone, Args)]
pub struct ChurnArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub window: WindowArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Activity churn: a customer is active while it had an event (e.g. a ticket) within
    /// this long before, e.g. 30d.
    #[arg(long, value_name = "DURATION", value_parser = parse_days_duration_secs)]
    pub inactive_after: Option<f64>,
    /// MRR movements per bucket: new, reactivation, expansion, contraction, lost; NRR,
    /// GRR and the quick ratio.
    #[arg(long, conflicts_with_all = ["cohorts", "survival"])]
    pub movements: bool,
    /// Signup cohorts by age (bucket from --every, default month): customers still
    /// active and their MRR.
    #[arg(long, conflicts_with = "survival")]
    pub cohorts: bool,
    /// Kaplan–Meier survival of customers by month since their first start, with a 95%
    /// band and the median lifetime; censored at --now if given, else at the data's
    /// latest date (not the system clock).
    #[arg(long)]
    pub survival: bool,
    /// With --survival: a gap between subscriptions up to this long does not end a
    /// lifetime, e.g. 14d.
    #[arg(long, value_name = "DURATION", value_parser = parse_days_duration_secs, requires = "survival")]
    pub grace: Option<f64>,
}

/// `cxm inspect`.
#[derive(Debug, Clone, Args)]
pub struct InspectArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// IANA time zone for timestamps without an offset [default: the config's tz,
    /// else UTC].
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    /// Output format [default: the text view; with -o, from its extension].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write to PATH atomically instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    pub output: Option<PathBuf>,
}

/// `cxm sample`.
#[derive(Debug, Clone, Args)]
pub struct SampleArgs {
    /// Directory to write tickets.csv, surveys.csv and subscriptions.csv into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Number of tickets.
    #[arg(long, default_value_t = 5000)]
    pub tickets: u64,
    /// Number of subscription customers (1 or more); default: one per 10 tickets, at
    /// least 100.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub customers: Option<u64>,
    /// Random seed: the same seed writes the same bytes.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Also write events.csv: an event log of this many tickets (about 8 events each).
    #[arg(long, value_name = "TICKETS")]
    pub events: Option<u64>,
}

fn parse_map(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((field, column)) if !field.trim().is_empty() && !column.is_empty() => {
            Ok((field.trim().to_string(), column.to_string()))
        }
        _ => Err(format!("expected NAME=VALUE, got '{s}'")),
    }
}

/// `MEASURE=SCALE`, both known: refused as it is parsed, before any file is read
/// (a command reading no surveys, `report` of a folder of tickets, refuses it too).
fn parse_scale(s: &str) -> Result<(String, String), String> {
    use crate::metrics::surveys::{Measure, Scale};
    let (measure, name) = parse_map(s)?;
    let Some(m) = Measure::ALL.into_iter().find(|m| m.name() == measure) else {
        return Err(format!(
            "--scale {measure}=…: unknown measure (csat, ces, nps)"
        ));
    };
    match Scale::parse(m, &name) {
        Some(_) => Ok((measure, name)),
        None => Err(format!(
            "--scale {measure}={name}: unknown scale (known: {})",
            Scale::names(m)
        )),
    }
}

fn parse_where(s: &str) -> Result<crate::input::filter::Condition, String> {
    crate::input::filter::Condition::parse(s)
}

fn parse_preset(s: &str) -> Result<String, String> {
    crate::input::preset::find(s)
        .map(|p| p.name.to_string())
        .ok_or_else(|| {
            format!(
                "unknown preset '{s}' (known: {})",
                crate::input::preset::names()
            )
        })
}

fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "\\t" | "tab" | "\t" => Ok(b'\t'),
        "\"" | "\n" | "\r" => Err(format!(
            "'{}' marks quotes or line ends in a CSV file; it cannot also separate fields",
            s.escape_default()
        )),
        _ if s.len() == 1 && s.is_ascii() => Ok(s.as_bytes()[0]),
        _ => Err(format!(
            "expected one ASCII character (or 'tab'), got '{s}'"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn sla_durations() {
        assert_eq!(parse_duration_secs("1h"), Ok(3600.0));
        assert_eq!(parse_duration_secs("30m"), Ok(1800.0));
        assert_eq!(parse_duration_secs("90s"), Ok(90.0));
        assert_eq!(parse_duration_secs("1.5h"), Ok(5400.0));
        assert_eq!(parse_duration_secs("2d"), Ok(172800.0));
        assert_eq!(parse_duration_secs("4H"), Ok(14400.0));
        assert_eq!(parse_duration_secs("2 Hours"), Ok(7200.0));
        assert_eq!(parse_duration_secs("45 min"), Ok(2700.0));
        assert_eq!(parse_duration_secs("3D"), Ok(259200.0));
        assert!(parse_duration_secs("-1h").is_err());
        assert!(parse_duration_secs("1w").is_err());
        assert!(parse_duration_secs("soon").is_err());
        // Spans of days name their unit: a bare 49 is not 49 hours there.
        assert_eq!(parse_days_duration_secs("49d"), Ok(49.0 * 86400.0));
        assert_eq!(parse_days_duration_secs("12h"), Ok(43200.0));
        let bare = parse_days_duration_secs("49").unwrap_err();
        assert!(bare.contains("'49d' for days"), "{bare}");
        assert!(parse_days_duration_secs("1.5").is_err());
        assert!(parse_days_duration_secs("+5").is_err());
        let word = parse_days_duration_secs("abc").unwrap_err();
        assert!(!word.contains("bare number is hours"), "{word}");
        assert!(word.contains("like 14d"), "{word}");
    }

    #[test]
    fn map_and_delimiter() {
        assert_eq!(
            parse_map("created_at=Created Date"),
            Ok(("created_at".into(), "Created Date".into()))
        );
        assert!(parse_map("created_at").is_err());
        assert_eq!(parse_delimiter(";"), Ok(b';'));
        assert_eq!(parse_delimiter("tab"), Ok(b'\t'));
        assert!(parse_delimiter(";;").is_err());
        assert!(parse_delimiter("\"").is_err());
        assert!(parse_delimiter("\n").is_err());
    }
}

/// `cxm sql`.
#[derive(Debug, Clone, Args)]
pub struct SqlArgs {
    /// The command whose columns the query computes: tickets, surveys or churn
    /// (subscriptions).
    #[arg(value_enum, value_name = "COMMAND")]
    pub dataset: Dataset,
    /// The warehouse's SQL: duckdb, postgres, spark, bigquery or snowflake.
    #[arg(long, value_enum)]
    pub dialect: Dialect,
    /// The table (or view) to read, e.g. analytics.tickets [default: tickets, surveys
    /// or subscriptions].
    #[arg(long, value_name = "NAME")]
    pub table: Option<String>,
    /// The optional canonical columns the table has. Tickets: first_response_at,
    /// resolved_at, agent_replies, reopens [default: these four], fcr, closed_at, status. Surveys: survey
    /// and score [default], or csat, ces, nps. Churn: mrr [default].
    #[arg(long, value_name = "COL[,COL]", value_delimiter = ',')]
    pub columns: Option<Vec<String>>,
    #[command(flatten)]
    pub window: WindowArgs,
    /// Unit of durations [default: hours].
    #[arg(long, value_enum, visible_alias = "unit")]
    pub time_unit: Option<TimeUnit>,
    /// First-response target, e.g. 1h, 30m [default: 1h].
    #[arg(long, value_name = "DURATION", value_parser = checked_duration)]
    pub sla: Option<String>,
    /// Score scale: csat=1-5|1-7|1-10|good-bad, ces=1-7|1-5|5-1|7-1 (repeatable).
    #[arg(long, value_name = "MEASURE=SCALE", value_parser = parse_scale)]
    pub scale: Vec<(String, String)>,
    /// Churn: the MRR movements too (new, reactivation, expansion, contraction, lost;
    /// NRR, GRR, the quick ratio).
    #[arg(long)]
    pub movements: bool,
    /// TOML file of defaults: time zone, grouping, SLA, scales.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The commands' options that no query renders, taken only to be refused by name
    /// (not clap's "unexpected argument").
    #[arg(long, hide = true, num_args = 0..=1, default_missing_value = "")]
    pub compare: Option<String>,
    #[arg(long, hide = true, num_args = 0..=1, default_missing_value = "")]
    pub schedule: Option<String>,
    #[arg(long = "sla-policy", hide = true, num_args = 0..=1, default_missing_value = "")]
    pub sla_policy: Option<String>,
    #[arg(long, hide = true, num_args = 0..=1, default_missing_value = "")]
    pub events: Option<String>,
    #[arg(long = "per-ticket", hide = true)]
    pub per_ticket: bool,
    #[arg(long, hide = true, num_args = 0..=1, default_missing_value = "")]
    pub keep: Option<String>,
}

/// `--date-format`: a strftime pattern that reads a date (a usage error otherwise:
/// `%Q` or an empty pattern would reject every row).
fn parse_date_format(s: &str) -> Result<String, String> {
    use chrono::format::{Fixed, Item, Numeric, StrftimeItems};
    let items: Vec<Item> = StrftimeItems::new(s).collect();
    if items.iter().any(|i| matches!(i, Item::Error)) {
        return Err(format!(
            "'{s}' is not a strftime pattern (e.g. '%d/%m/%Y %H:%M'; see chrono's strftime specifiers)"
        ));
    }
    // chrono reads no offset from a zone's name (`10:00 PST` would be 10:00 in --tz,
    // silently), nor a name beside an offset (`%z (%Z)`).
    if let Some(crate::input::timestamp::LiteralZone::Other(zone)) =
        crate::input::timestamp::literal_zone(s)
    {
        return Err(format!(
            "'{s}': '{zone}' written into the pattern is read past, not as the times' zone; use %z for an offset in the values, or --tz for their zone"
        ));
    }
    if (items.iter()).any(|i| matches!(i, Item::Fixed(Fixed::TimezoneName))) {
        return Err(format!(
            "'{s}': %Z (a zone's name, such as PST) is read without its offset; use %z for +0530 (or %:z for +05:30), or --tz for the zone of times written without one"
        ));
    }
    let has = |n: Numeric| {
        items
            .iter()
            .any(|i| matches!(i, Item::Numeric(x, _) if *x == n))
    };
    let whole = items
        .iter()
        .any(|i| matches!(i, Item::Fixed(Fixed::RFC3339 | Fixed::RFC2822)));
    let year = [
        Numeric::Year,
        Numeric::YearMod100,
        Numeric::IsoYear,
        Numeric::Timestamp,
    ];
    if !whole && !year.into_iter().any(has) {
        return Err(format!(
            "'{s}' reads no date (it needs a year, e.g. '%d/%m/%Y %H:%M', or '%s' for epoch seconds)"
        ));
    }
    Ok(s.to_string())
}

/// `--buckets N`: one or more.
fn parse_buckets(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!(
            "expected a whole number of buckets, 1 or more, got '{s}'"
        )),
    }
}
