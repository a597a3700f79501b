//! `--config FILE`: defaults for any command, in TOML. Flags on the command line win;
//! the file fills only what they leave unset. Unknown keys are errors (exit 2) that
//! name the key, line and column.
//!
//! ```toml
//! tz = "Europe/Berlin"
//! time_unit = "minutes"
//! sla = "4h"
//! by = ["team"]
//! every = "week"
//!
//! [map.tickets]          # column mappings per input: tickets, surveys, customers
//! created_at = "Opened"
//!
//! [scale]
//! csat = "1-5"
//!
//! [labels.csat]          # extra or replacement labels: label = point on the scale
//! "Great" = 5
//! "Okay" = 3
//! "Not Good" = 1
//!
//! [reports.weekly]       # cxm report --config FILE weekly
//! dir = "exports"        # relative to this file
//! period = "last-week"
//! fail_if = ["csat_pct<85"]
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::calendar::{Every, Schedule, ScheduleSpec};
use crate::error::Result;
use crate::metrics::sla::{SlaPolicy, SlaPolicySpec};
use crate::metrics::tickets::TimeUnit;
use crate::render::Format;
use crate::usage_err;

/// The whole file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The window when the command line gives none (`period = "last-week"` for a
    /// weekly cron job), as `--period` or `--since`/`--until`.
    pub period: Option<String>,
    #[serde(default, deserialize_with = "date_text")]
    pub since: Option<String>,
    #[serde(default, deserialize_with = "date_text")]
    pub until: Option<String>,
    /// The clock for relative periods, as `--now`.
    #[serde(default, deserialize_with = "date_text")]
    pub now: Option<String>,
    pub tz: Option<String>,
    pub time_unit: Option<TimeUnit>,
    #[serde(default, deserialize_with = "duration_text")]
    pub sla: Option<String>,
    /// `by = "team"`, `"agent,channel"` or a list, as `--by`.
    #[serde(default, deserialize_with = "column_names")]
    pub by: Option<Vec<String>>,
    /// `every = "week"`, or `"none"`: no buckets (a saved report's, over the file's).
    #[serde(default, deserialize_with = "every_or_none")]
    pub every: Option<Option<Every>>,
    /// Cell values read as missing besides the built-in markers, as `--na`.
    #[serde(default, deserialize_with = "texts")]
    pub na: Option<Vec<String>>,
    /// Presets by name (`preset = "zendesk"` or a list), as `--preset`.
    #[serde(default)]
    pub preset: Presets,
    #[serde(default)]
    pub map: Maps,
    #[serde(default)]
    pub scale: Scales,
    #[serde(default)]
    pub labels: Labels,
    /// Named `cxm report` runs: `cxm report --config FILE NAME`.
    #[serde(default)]
    pub reports: BTreeMap<String, SavedReport>,
    /// Business hours by name (SPEC §8), checked when the file is read.
    #[serde(default)]
    pub schedules: BTreeMap<String, ScheduleSpec>,
    /// SLA targets by name (SPEC §8), checked when the file is read.
    #[serde(default)]
    pub sla_policies: BTreeMap<String, SlaPolicySpec>,
    /// Event-log status words: word = new, open, pending, hold, solved or closed.
    #[serde(default)]
    pub statuses: BTreeMap<String, String>,
    /// Event-log role words: word = agent, customer, system or bot.
    #[serde(default)]
    pub roles: BTreeMap<String, String>,
    /// The file read (none: no `--config`).
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

/// A saved `cxm report`: any of its options. Paths are relative to the config file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedReport {
    pub dir: Option<PathBuf>,
    /// Each a file or a list of files, as the options are given once or repeated.
    #[serde(default, deserialize_with = "paths")]
    pub tickets: Vec<PathBuf>,
    #[serde(default, deserialize_with = "paths")]
    pub surveys: Vec<PathBuf>,
    #[serde(default, deserialize_with = "paths")]
    pub subscriptions: Vec<PathBuf>,
    /// Event logs, as `--events`.
    #[serde(default, deserialize_with = "paths")]
    pub events: Vec<PathBuf>,
    pub period: Option<String>,
    #[serde(default, deserialize_with = "date_text")]
    pub since: Option<String>,
    #[serde(default, deserialize_with = "date_text")]
    pub until: Option<String>,
    #[serde(default, deserialize_with = "column_names")]
    pub by: Option<Vec<String>>,
    /// `--where` conditions, as on the command line (all must hold): one, or a list.
    #[serde(rename = "where", default, deserialize_with = "texts")]
    pub filters: Option<Vec<String>>,
    /// `every = "week"`, or `"none"`: no buckets (a saved report's, over the file's).
    #[serde(default, deserialize_with = "every_or_none")]
    pub every: Option<Option<Every>>,
    pub tz: Option<String>,
    pub time_unit: Option<TimeUnit>,
    #[serde(default, deserialize_with = "duration_text")]
    pub sla: Option<String>,
    /// `[schedules.NAME]` for the tickets section's business durations.
    pub schedule: Option<String>,
    /// `[sla_policies.NAME]`s for the tickets section, in order: a list, or one text
    /// as `--sla-policy` takes it (`"a,b"`).
    #[serde(default, deserialize_with = "policy_names")]
    pub sla_policy: Option<Vec<String>>,
    pub format: Option<Format>,
    pub output: Option<PathBuf>,
    /// `--fail-if` rules: one, or a list.
    #[serde(default, deserialize_with = "rules")]
    pub fail_if: Vec<String>,
    /// `compare = "previous"`, as `--compare previous`.
    pub compare: Option<String>,
}

/// Files of one kind: a path, or a list of paths.
fn paths<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Vec<PathBuf>, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(PathBuf),
        Many(Vec<PathBuf>),
    }
    let paths = match OneOrMany::deserialize(d) {
        Ok(OneOrMany::One(p)) => vec![p],
        Ok(OneOrMany::Many(ps)) => ps,
        Err(_) => {
            return Err(serde::de::Error::custom(
                "expected a file (\"tickets.csv\") or a list of files ([\"a.csv\", \"b.csv\"])",
            ))
        }
    };
    // An empty name would be the config's own folder; an empty list, no file.
    match paths.is_empty() || paths.iter().any(|p| p.as_os_str().is_empty()) {
        true => Err(serde::de::Error::custom(
            "an empty file name or list (leave the key out for none)",
        )),
        false => Ok(paths),
    }
}

/// One text or a list of texts, as an option is given once or repeated (`where =
/// "team=a"` is a list of one: a condition may hold a comma).
fn texts<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Vec<String>>, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    match Option::<OneOrMany>::deserialize(d) {
        Ok(None) => Ok(None),
        Ok(Some(OneOrMany::One(t))) => Ok(Some(vec![t])),
        Ok(Some(OneOrMany::Many(ts))) => Ok(Some(ts)),
        Err(_) => Err(serde::de::Error::custom(
            "expected a text (\"x\") or a list of texts ([\"x\", \"y\"])",
        )),
    }
}

/// A bucket (`"week"`), or `"none"` for none, as `--every none` says it.
fn every_or_none<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Option<Every>>, D::Error> {
    let text = String::deserialize(d)?;
    if text == "none" {
        return Ok(Some(None));
    }
    let read = Every::deserialize(
        serde::de::IntoDeserializer::<serde::de::value::Error>::into_deserializer(text.as_str()),
    );
    read.map(|e| Some(Some(e))).map_err(|_| {
        serde::de::Error::unknown_variant(
            &text,
            &["day", "week", "month", "quarter", "year", "none"],
        )
    })
}

/// [`texts`], none when the key is absent.
fn rules<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Vec<String>, D::Error> {
    Ok(texts(d)?.unwrap_or_default())
}

/// [`texts`], each split at its commas, as `--sla-policy a,b` names two policies.
fn policy_names<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Vec<String>>, D::Error> {
    Ok(texts(d)?.map(|names| {
        (names.iter())
            .flat_map(|n| n.split(','))
            .map(|n| n.trim().to_string())
            .collect()
    }))
}

/// A duration as text: quoted (`"30m"`), or a bare number of hours (`sla = 4`), as
/// `--sla 4` reads one.
fn duration_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Option::<toml::Value>::deserialize(d)?
        .map(crate::calendar::duration_written)
        .transpose()
        .map_err(serde::de::Error::custom)
}

/// A date or time as text: quoted, or a TOML date or date-time (`since = 2025-03-01`
/// unquoted is valid TOML, as holidays take it).
fn date_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Option::<toml::Value>::deserialize(d)? {
        None => Ok(None),
        Some(toml::Value::String(s)) => Ok(Some(s)),
        Some(toml::Value::Datetime(t)) => Ok(Some(t.to_string())),
        Some(other) => Err(serde::de::Error::custom(format!(
            "expected a date or time (\"2025-03-01\", 2025-03-01T09:00:00Z), not {}",
            other.type_str()
        ))),
    }
}

/// Column names as a list or as one text, comma-separated as on the command line
/// (`""`: none).
fn column_names<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Vec<String>>, D::Error> {
    struct Names;
    impl<'de> serde::de::Visitor<'de> for Names {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("column names: \"team\", \"agent,channel\" or [\"agent\", \"channel\"]")
        }
        fn visit_str<E: serde::de::Error>(self, text: &str) -> std::result::Result<Vec<String>, E> {
            Ok(vec![text.to_string()])
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> std::result::Result<Vec<String>, A::Error> {
            let mut items = Vec::new();
            while let Some(item) = seq.next_element::<String>()? {
                items.push(item);
            }
            Ok(items)
        }
    }
    // Each item as `--by` reads it: a blank one adds no column (`by = ""`, `[]` or
    // `["", ""]`: no grouping), the others split at commas (`["agent,channel"]` is
    // two names, as `sla_policy`'s items are); `","` is two empty names.
    let mut names = Vec::new();
    for item in d
        .deserialize_any(Names)?
        .iter()
        .filter(|i| !i.trim().is_empty())
    {
        let listed: Vec<String> = item.split(',').map(|n| n.trim().to_string()).collect();
        if listed.iter().any(String::is_empty) {
            return Err(serde::de::Error::custom(format!(
                "an empty column name in '{item}'"
            )));
        }
        names.extend(listed);
    }
    // Names match in any case, as `--by` reads them.
    let twice = (names.iter().enumerate())
        .find(|(i, n)| names[..*i].iter().any(|m| m.eq_ignore_ascii_case(n)));
    if let Some((_, name)) = twice {
        return Err(serde::de::Error::custom(format!(
            "'{name}' is given twice in '{}'",
            names.join(",")
        )));
    }
    Ok(Some(names))
}

/// One preset name or several.
#[derive(Debug, Clone, Default)]
pub enum Presets {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

/// Read by hand: serde's untagged enums say only that no variant matched.
impl<'de> Deserialize<'de> for Presets {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Names;
        impl<'de> serde::de::Visitor<'de> for Names {
            type Value = Presets;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a preset's name (\"zendesk\") or a list of names")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> std::result::Result<Presets, E> {
                Ok(Presets::One(text.to_string()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Presets, A::Error> {
                let mut names = Vec::new();
                while let Some(name) = seq.next_element::<String>()? {
                    names.push(name);
                }
                Ok(Presets::Many(names))
            }
        }
        d.deserialize_any(Names)
    }
}

impl Presets {
    pub fn names(&self) -> Vec<String> {
        match self {
            Presets::None => Vec::new(),
            Presets::One(n) => vec![n.clone()],
            Presets::Many(v) => v.clone(),
        }
    }
}

/// Column mappings per kind of input (canonical field → column).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Maps {
    #[serde(default)]
    pub tickets: BTreeMap<String, String>,
    #[serde(default)]
    pub surveys: BTreeMap<String, String>,
    #[serde(default)]
    pub customers: BTreeMap<String, String>,
    #[serde(default)]
    pub events: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scales {
    pub csat: Option<String>,
    pub ces: Option<String>,
    /// NPS has one scale (0–10): accepted as `--scale nps=0-10` is, and checked.
    pub nps: Option<String>,
}

pub use crate::request::Labels;

impl Config {
    /// Read `path`, or the empty configuration when there is none.
    pub fn load(path: Option<&Path>) -> Result<Config> {
        let Some(path) = path else {
            return Ok(Config::default());
        };
        let bytes = read_config(path)
            .map_err(|e| usage_err!("--config {}: {e}", crate::text::path_shown(path)))?;
        // TOML is UTF-8: a file saved in another encoding is named where it shows.
        let text = String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            let line = 1 + e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count();
            usage_err!(
                "--config {}:{line}: bytes that are not UTF-8 (a TOML file is UTF-8): re-save it as UTF-8",
                crate::text::path_shown(path)
            )
        })?;
        // The message quotes the file's line (its control characters are escaped as
        // every message's are, by `say!`).
        let mut config: Config = toml::from_str(&text).map_err(|e| {
            usage_err!(
                "--config {}: {}",
                crate::text::path_shown(path),
                toml_error_shown(&text, &e).trim_end()
            )
        })?;
        config.path = Some(path.to_path_buf());
        config.labels.file = Some(path.to_path_buf());
        for name in config.preset.names() {
            if crate::input::preset::find(&name).is_none() {
                return Err(usage_err!(
                    "--config {}{}: preset: unknown preset '{name}' (known: {})",
                    crate::text::path_shown(path),
                    line_of(path, &["preset"]),
                    crate::input::preset::names()
                ));
            }
        }
        let slas = std::iter::once(("sla".to_string(), &config.sla)).chain(
            config
                .reports
                .iter()
                .map(|(name, r)| (format!("reports.{}.sla", key_name(name)), &r.sla)),
        );
        for (key, sla) in slas {
            if let Some(sla) = sla {
                crate::calendar::parse_duration_secs(sla).map_err(|e| {
                    usage_err!(
                        "--config {}{}: {key}: {e}",
                        crate::text::path_shown(path),
                        line_of_path(path, &key)
                    )
                })?;
            }
        }
        // Their errors start with the key (`schedules.eu.mon: …`): its line is named.
        let located = |e: String| {
            let key = e.split(": ").next().unwrap_or_default();
            usage_err!(
                "--config {}{}: {e}",
                crate::text::path_shown(path),
                line_of_path(path, key)
            )
        };
        for (name, spec) in &config.schedules {
            Schedule::parse(name, spec).map_err(|e| located(e.to_string()))?;
        }
        for (name, spec) in &config.sla_policies {
            SlaPolicy::parse(name, spec, |s| config.schedule_named(s))
                .map_err(|e| located(e.to_string()))?;
        }
        crate::metrics::events::EventWords::new(&config.statuses)
            .and_then(|w| w.with_roles(&config.roles))
            .map_err(|e| located(e.to_string()))?;
        config.check_values(path)?;
        for (name, r) in &config.reports {
            // The key's line, not the report's.
            let at = |key: &'static str| {
                move |e: crate::error::CxmError| {
                    usage_err!(
                        "--config {}{}: reports.{}.{key}: {e}",
                        crate::text::path_shown(path),
                        line_of(path, &["reports", name, key]),
                        key_name(name)
                    )
                }
            };
            if let Some(s) = &r.schedule {
                config.schedule(s).map_err(at("schedule"))?;
            }
            config
                .sla_policies(r.sla_policy.as_deref().unwrap_or_default())
                .map_err(at("sla_policy"))?;
        }
        Ok(config)
    }

    /// The values that stand for flags, checked as those flags are, each error naming
    /// the file and its key (not a flag never given): zones, scales, the fields of
    /// the column maps, saved reports' windows.
    fn check_values(&self, path: &Path) -> Result<()> {
        let at = |key: &str, e: crate::error::CxmError| {
            // `--tz: unknown time zone …` → `tz: unknown time zone …`
            let m = e.to_string();
            let m = match m.split_once(": ") {
                Some((flag, rest)) if flag.starts_with("--") => rest.to_string(),
                _ => m,
            };
            usage_err!(
                "--config {}{}: {key}: {m}",
                crate::text::path_shown(path),
                line_of_path(path, key)
            )
        };
        let zones = std::iter::once(("tz".to_string(), &self.tz)).chain(
            self.reports
                .iter()
                .map(|(name, r)| (format!("reports.{}.tz", key_name(name)), &r.tz)),
        );
        for (key, zone) in zones {
            if let Some(zone) = zone {
                crate::calendar::parse_tz(zone).map_err(|e| at(&key, e))?;
            }
        }
        use crate::metrics::surveys::{Measure, Scale};
        for (m, scale) in [
            (Measure::Csat, &self.scale.csat),
            (Measure::Ces, &self.scale.ces),
            (Measure::Nps, &self.scale.nps),
        ] {
            if let Some(name) = scale {
                if Scale::parse(m, name).is_none() {
                    return Err(usage_err!(
                        "--config {}{}: scale.{}: unknown scale '{name}' (known: {})",
                        crate::text::path_shown(path),
                        line_of(path, &["scale", m.name()]),
                        m.name(),
                        Scale::names(m)
                    ));
                }
            }
        }
        // Labels and status words match in any case: two spellings of one are one key
        // given twice, whose value would depend on how they sort.
        // A label is read trimmed in any case, its inner blanks one space; a status word
        // trimmed in any case, `_` and `-` as a space.
        let label = |k: &str| crate::metrics::surveys::normalized(k).into_owned();
        let status = |k: &str| crate::metrics::events::spaced(k);
        type Fold<'a> = &'a dyn Fn(&str) -> String;
        let tables: [(&str, &str, Vec<&String>, Fold); 5] = [
            ("labels", "csat", self.labels.csat.keys().collect(), &label),
            ("labels", "ces", self.labels.ces.keys().collect(), &label),
            ("labels", "nps", self.labels.nps.keys().collect(), &label),
            ("statuses", "", self.statuses.keys().collect(), &status),
            ("roles", "", self.roles.keys().collect(), &status),
        ];
        // A word that marks a missing value (built in, or the file's `na`) is never
        // read: its cells are blank.
        let markers = crate::input::missing::Markers::new(self.na.as_deref().unwrap_or_default());
        for (table, measure, keys, folded) in tables {
            let what = match table {
                "labels" => "a label",
                "roles" => "a role",
                _ => "a status",
            };
            if let Some(word) = keys.iter().find(|k| markers.is_missing(k)) {
                let mut key: Vec<&str> = [table, measure]
                    .into_iter()
                    .filter(|k| !k.is_empty())
                    .collect();
                let prefix = key.join(".");
                key.push(word);
                return Err(usage_err!(
                    "--config {}{}: {prefix}.{}: {} marks a missing value (built in, or in this file's na): a cell holding it is blank, never read as {what}",
                    crate::text::path_shown(path),
                    line_of(path, &key),
                    key_name(word),
                    key_quoted(word)
                ));
            }
            // Each key folded once (a file of thousands of labels was compared pair by
            // pair, for minutes).
            let mut seen: std::collections::HashMap<String, &&String> = Default::default();
            let twice = keys
                .iter()
                .find_map(|b| seen.insert(folded(b), b).map(|a| (a, b)));
            if let Some((a, b)) = twice {
                {
                    let key: Vec<&str> = [table, measure, b.as_str()]
                        .into_iter()
                        .filter(|k| !k.is_empty())
                        .collect();
                    return Err(usage_err!(
                        "--config {}{}: {}: {} and {} are one key (read in any case): give it once",
                        crate::text::path_shown(path),
                        line_of(path, &key),
                        key[..key.len() - 1].join("."),
                        key_quoted(a),
                        key_quoted(b)
                    ));
                }
            }
        }
        if let Some(name) = self.sla_policies.keys().find(|n| n.contains(',')) {
            return Err(usage_err!(
                "--config {}{}: sla_policies.\"{name}\": a policy's name cannot hold a comma (--sla-policy a,b names two)",
                crate::text::path_shown(path),
                line_of(path, &["sla_policies", name])
            ));
        }
        use crate::input::fields::{CHURN_FIELDS, EVENT_FIELDS, SURVEY_FIELDS, TICKET_FIELDS};
        for (table, map, fields) in [
            ("tickets", &self.map.tickets, TICKET_FIELDS),
            ("surveys", &self.map.surveys, SURVEY_FIELDS),
            ("customers", &self.map.customers, CHURN_FIELDS),
            ("events", &self.map.events, EVENT_FIELDS),
        ] {
            if let Some(field) = map.keys().find(|k| !fields.iter().any(|f| f.name == *k)) {
                let known: Vec<&str> = fields.iter().map(|f| f.name).collect();
                return Err(usage_err!(
                    "--config {}{}: map.{table}.{}: unknown field (known: {})",
                    crate::text::path_shown(path),
                    line_of(path, &["map", table, field]),
                    key_name(field),
                    known.join(", ")
                ));
            }
        }
        let now = match &self.now {
            Some(n) => crate::calendar::resolve_now(Some(n)).map_err(|e| at("now", e))?,
            None => chrono::Utc::now(),
        };
        // The file's own window, then each saved report's.
        // Each in its own zone (a saved report's `tz`, else the file's), as it is run:
        // a bare date is a local midnight there.
        let zone = |tz: Option<&String>| {
            tz.and_then(|t| crate::calendar::parse_tz(t).ok())
                .unwrap_or(chrono_tz::UTC)
        };
        let own = zone(self.tz.as_ref());
        let mut windows = vec![(String::new(), &self.period, &self.since, &self.until, own)];
        windows.extend(self.reports.iter().map(|(name, r)| {
            let tz = zone(r.tz.as_ref().or(self.tz.as_ref()));
            (
                format!("reports.{}", key_name(name)),
                &r.period,
                &r.since,
                &r.until,
                tz,
            )
        }));
        for (entry, period, since, until, tz) in windows {
            let key = |k: &str| match entry.is_empty() {
                true => k.to_string(),
                false => format!("{entry}.{k}"),
            };
            if period.is_some() && (since.is_some() || until.is_some()) {
                // The bound that contradicts the period, at its line.
                let bound = key(if since.is_some() { "since" } else { "until" });
                return Err(usage_err!(
                    "--config {}{}: {bound}: cannot be used with {} (a named window is both its bounds)",
                    crate::text::path_shown(path),
                    line_of_path(path, &bound),
                    key("period")
                ));
            }
            // Each bound on its own, so an error names its key. Their order is checked
            // when the window is used, in the zone then in force (`--tz` may change it).
            let checks = [
                ("period", None, None, period.clone()),
                ("since", since.clone(), None, None),
                ("until", None, until.clone(), None),
            ];
            for (which, since, until, period) in checks {
                let spec = crate::calendar::WindowSpec {
                    since,
                    until,
                    period,
                };
                crate::calendar::resolve_window(&spec, tz, now).map_err(|e| {
                    // The two together: at `until`'s line, in the file's words.
                    let (which, e) = match which {
                        "since and until" => (
                            "until",
                            usage_err!(
                                "{}",
                                e.to_string()
                                    .replace("--until", "until")
                                    .replace("--since", "since")
                            ),
                        ),
                        _ => (which, e),
                    };
                    at(&key(which), e)
                })?;
            }
        }
        Ok(())
    }

    /// The policies `--sla-policy` names, in its order, checked.
    pub fn sla_policies(&self, names: &[String]) -> Result<Vec<SlaPolicy>> {
        // `--sla-policy ''` (an unset variable in a cron line) would drop the SLA
        // figures without a word.
        if !names.is_empty() && names.iter().all(|n| n.trim().is_empty()) {
            return Err(usage_err!(
                "--sla-policy: no policy named (give NAME[,NAME…] of the config's [sla_policies.NAME])"
            ));
        }
        // `p,,q`: a name left out between the commas (a trailing comma is harmless).
        let named = names
            .iter()
            .rposition(|n| !n.trim().is_empty())
            .map_or(0, |i| i + 1);
        if names[..named].iter().any(|n| n.trim().is_empty()) {
            return Err(usage_err!(
                "--sla-policy: an empty name in '{}' (give NAME[,NAME…] of the config's [sla_policies.NAME])",
                names.join(",")
            ));
        }
        // The first policy whose `where` holds applies: a second mention would never.
        let trimmed: Vec<&str> = names[..named].iter().map(|n| n.trim()).collect();
        if let Some(twice) = (trimmed.iter())
            .enumerate()
            .find(|(i, n)| trimmed[..*i].contains(n))
        {
            return Err(usage_err!(
                "--sla-policy: '{}' is named twice in '{}'",
                twice.1,
                names.join(",")
            ));
        }
        trimmed
            .into_iter()
            .map(|name| {
                let spec = self.sla_policies.get(name).ok_or_else(|| {
                    usage_err!(
                        "--sla-policy {name}: {}",
                        self.missing("sla_policies", name, self.sla_policies.keys())
                    )
                })?;
                SlaPolicy::parse(name, spec, |s| self.schedule_named(s))
            })
            .collect()
    }

    /// Why `[TABLE.NAME]` cannot be found.
    fn missing<'a>(
        &self,
        table: &str,
        name: &str,
        known: impl Iterator<Item = &'a String>,
    ) -> String {
        match &self.path {
            None => format!("[{table}.{name}] lives in a config file: give --config FILE"),
            Some(path) => format!(
                "no [{table}.{name}] in {} (it defines: {})",
                crate::text::path_shown(path),
                listed(known)
            ),
        }
    }

    /// The schedule called `name` (`--schedule`), checked.
    pub fn schedule(&self, name: &str) -> Result<Schedule> {
        let name = name.trim();
        self.schedule_named(name)
            .map_err(|e| usage_err!("--schedule {name}: {e}"))
    }

    /// The schedule called `name`, checked; the error does not name a flag.
    pub fn schedule_named(&self, name: &str) -> Result<Schedule> {
        let spec = self.schedules.get(name).ok_or_else(|| {
            usage_err!("{}", self.missing("schedules", name, self.schedules.keys()))
        })?;
        Schedule::parse(name, spec)
    }

    /// The SLA target in seconds, when the file sets one (checked by [`Config::load`]).
    pub fn sla_secs(&self) -> Option<f64> {
        self.sla
            .as_deref()
            .and_then(|s| crate::calendar::parse_duration_secs(s).ok())
    }
}

/// Names for an error message: `a, b`, or `none`.
fn listed<'a>(names: impl Iterator<Item = &'a String>) -> String {
    let names: Vec<&str> = names.map(String::as_str).collect();
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    }
}
/// A key of the config quoted in a message: `'Loved it'`, or as TOML writes it
/// (`"Loved\u0001it"`) where it holds a character a terminal would not show.
pub fn key_quoted(name: &str) -> String {
    match name
        .chars()
        .any(|c| c.is_control() || crate::text::unprintable(c))
    {
        true => key_name(name),
        false => format!("'{name}'"),
    }
}

/// A table's entry name as a key path shows it: bare when TOML allows (`eu`), else
/// quoted (`"eu.de"`, `""`), so that `schedules."eu.de".mon` names one schedule.
pub fn key_name(name: &str) -> String {
    let bare = !name.is_empty()
        && (name.bytes()).all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if bare {
        return name.to_string();
    }
    // Escaped as TOML writes a basic string: a message shows it on one line.
    let mut out = String::from("\"");
    for c in name.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || crate::text::unprintable(c) => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The parts of a key path written with [`key_name`]: split at the dots outside
/// quotes, each quoted part unescaped.
fn key_parts(key: &str) -> Vec<String> {
    let (mut parts, mut part, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = key.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\\' if quoted => match chars.next() {
                Some('t') => part.push('\t'),
                Some('n') => part.push('\n'),
                Some('r') => part.push('\r'),
                Some('u') => {
                    let hex: String = chars.by_ref().take(4).collect();
                    part.extend(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32));
                }
                other => part.extend(other),
            },
            '.' if !quoted => parts.push(std::mem::take(&mut part)),
            c => part.push(c),
        }
    }
    parts.push(part);
    parts
}

/// The most a configuration file holds: more is no configuration (`/dev/zero`).
const MOST_CONFIG_BYTES: u64 = 16 << 20;

/// A configuration file's bytes, read once a run and kept: a command loads its
/// configuration more than once and finds a message's line in it, and a FIFO or a
/// `<(…)` can be read only once.
fn read_config(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    type Files = std::sync::Mutex<BTreeMap<PathBuf, Vec<u8>>>;
    static READ: std::sync::OnceLock<Files> = std::sync::OnceLock::new();
    let read = READ.get_or_init(Default::default);
    if let Some(bytes) = read.lock().ok().and_then(|r| r.get(path).cloned()) {
        return Ok(bytes);
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MOST_CONFIG_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MOST_CONFIG_BYTES {
        return Err(std::io::Error::other(format!(
            "larger than {} MiB: no configuration file",
            MOST_CONFIG_BYTES >> 20
        )));
    }
    if let Ok(mut r) = read.lock() {
        r.insert(path.to_path_buf(), bytes.clone());
    }
    Ok(bytes)
}

/// [`line_of`] of a key path written with [`key_name`] (`reports."q.4".tz`).
fn line_of_path(path: &Path, key: &str) -> String {
    let parts = key_parts(key);
    line_of(path, &parts.iter().map(String::as_str).collect::<Vec<_>>())
}

/// `:LINE` of a key in a TOML file (`["labels", "csat", "Great"]`: its line; a table's
/// path: its header's), or nothing when it cannot be found: for the errors of values
/// checked after the file is read, which the parser's own positions do not cover.
/// Found through the parsed document's spans, so a key-like line inside a string or
/// an array is never taken for the key.
pub fn line_of(path: &Path, key: &[&str]) -> String {
    use toml_edit::TableLike;
    let Some(text) = read_config(path)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
    else {
        return String::new();
    };
    let Ok(doc) = toml_edit::ImDocument::parse(text.as_str()) else {
        return String::new();
    };
    let mut table: &dyn TableLike = doc.as_table();
    let mut span = None;
    for (i, k) in key.iter().enumerate() {
        // A key left out of a named entry (`schedules.eu.tz`) is named at the entry's
        // line; a name not in its table (`reports.daily`) has none.
        let Some((found, item)) = table.get_key_value(k) else {
            if i < 2 {
                return String::new();
            }
            break;
        };
        span = found.span().or_else(|| item.span());
        if i + 1 == key.len() {
            span = found.span().or_else(|| item.span());
            break;
        }
        let Some(inner) = item.as_table_like() else {
            return String::new();
        };
        table = inner;
    }
    match span {
        Some(at) => format!(
            ":{}",
            text[..at.start.min(text.len())].matches('\n').count() + 1
        ),
        None => String::new(),
    }
}

/// A TOML parse error as the `toml` crate writes it, but located in characters and
/// terminal columns, not bytes (`é` is one column, not two): its line, the column,
/// the line quoted with carets under the fault, and what was expected.
fn toml_error_shown(text: &str, e: &toml::de::Error) -> String {
    // A CRLF file's quoted line ends without its CR (shown as `\r`).
    let fallback = || e.to_string().replace('\r', "");
    let Some(span) = e.span() else {
        return fallback();
    };
    let (Some(before), Some(_)) = (text.get(..span.start), text.get(span.start..span.end)) else {
        return fallback();
    };
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line_no = before.matches('\n').count() + 1;
    let line_end = (text[span.start..].find('\n')).map_or(text.len(), |i| span.start + i);
    // A byte-order mark is no column of the first line.
    let bom = if line_start == 0 && text.starts_with('\u{feff}') {
        3
    } else {
        0
    };
    let line = text[line_start + bom..line_end].trim_end_matches('\r');
    let lead = text.get(line_start + bom..span.start).unwrap_or_default();
    let marked = &text[span.start..span.end.min(line_end).max(span.start)];
    let gutter = " ".repeat(line_no.to_string().len());
    // The line quoted as it is printed, a character shown escaped (`\u{200b}`)
    // taking the escape's columns, the carets under the fault there.
    let shown = |t: &str| crate::text::columns_of(&crate::text::printable(t));
    format!(
        "TOML parse error at line {line_no}, column {}\n{gutter} |\n{line_no} | {}\n{gutter} | {}{}\n{}",
        lead.chars().count() + 1,
        crate::text::printable(line),
        " ".repeat(shown(lead)),
        "^".repeat(shown(marked).max(1)),
        e.message()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A parse error is located in characters and its carets drawn in terminal
    /// columns: the `é` of `période` is the line's 21st character (the `toml` crate
    /// says column 26, counting bytes), drawn after the emoji's two columns.
    #[test]
    fn toml_errors_are_located_in_characters() {
        let text = "w = { dir = \"é😀é\", période = 1 }\n";
        let e = toml::from_str::<toml::Value>(text).unwrap_err();
        let shown = toml_error_shown(text, &e);
        assert!(
            shown.starts_with("TOML parse error at line 1, column 21\n"),
            "{shown}"
        );
        let carets = shown.lines().nth(3).unwrap_or_default();
        assert_eq!(carets, format!("  | {}^", " ".repeat(21)), "{shown}");
        // A character printed escaped takes the escape's columns; a byte-order mark
        // none: `x` is the 10th character of `by = "a" x = 1` and of the line after
        // two zero-width spaces quoted as `\u{200b}`.
        for (text, at) in [
            ("\u{feff}by = \"a\" x = 1\n", 9),
            ("by = \"\u{200b}\u{200b}\" x = 1\n", 9 + 2 * 8 - 1),
        ] {
            let e = toml::from_str::<toml::Value>(text).unwrap_err();
            let shown = toml_error_shown(text, &e);
            let quoted = crate::text::printable_lines(&shown);
            let lines: Vec<&str> = quoted.lines().collect();
            let quoted = lines[2];
            let caret = lines[3].find('^').unwrap_or_default();
            assert_eq!(&quoted[caret..caret + 1], "x", "{shown}");
            assert_eq!(caret, 4 + at, "{shown}");
        }
    }

    #[test]
    fn key_names_are_written_and_read_back_as_toml() {
        for name in [
            "eu",
            "eu.de",
            "",
            "tab\there",
            "new\nline",
            "zw\u{200b}sp",
            "q\"uote",
        ] {
            let path = format!("reports.{}.tz", key_name(name));
            assert!(!path.contains('\n'), "{path}");
            assert_eq!(key_parts(&path), ["reports", name, "tz"], "{path}");
        }
        assert_eq!(key_name("eu.de"), "\"eu.de\"");
        assert_eq!(key_name("tab\there"), "\"tab\\there\"");
        assert_eq!(key_name("zw\u{200b}sp"), "\"zw\\u200Bsp\"");
    }

    /// Keys are found by their path, quoted or bare, under their table or dotted;
    /// a table by its header; a commented-out key is not found; nor is a key-like
    /// line inside a multi-line array or string, or a quoted key holding `=` or `.`.
    #[test]
    fn keys_are_found_on_their_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        let text = "tz = \"UTC\"\n# sla = \"1h\"\n\n[labels.csat]\n\"Not Good\" = 1\n\
                    'Okay' = 3\n\n[reports.weekly]\nperiod = \"last-week\"\nmap.tickets.x = \"y\"\n";
        std::fs::write(&path, text).unwrap();
        assert_eq!(line_of(&path, &["tz"]), ":1");
        assert_eq!(line_of(&path, &["sla"]), "");
        assert_eq!(line_of(&path, &["labels", "csat"]), ":4");
        assert_eq!(line_of(&path, &["labels", "csat", "Not Good"]), ":5");
        assert_eq!(line_of(&path, &["labels", "csat", "Okay"]), ":6");
        assert_eq!(line_of(&path, &["reports", "weekly", "period"]), ":9");
        assert_eq!(
            line_of(&path, &["reports", "weekly", "map", "tickets", "x"]),
            ":10"
        );
        assert_eq!(line_of(&path, &["reports", "daily"]), "");
        assert_eq!(line_of(&path, &["reports", "weekly", "tz"]), ":8");
        let tricky = "na = [\n  \"tz = x\",\n]\nnow = \"\"\"\ntz = 1\n\"\"\"\ntz = \"Mars\"\n\
                      [labels.csat]\n\"Great = 2\" = 2\nGreat = 11\n[reports.\"x.tz\"]\n\
                      period = \"p\"\n[reports.x]\ntz = \"M\"\n";
        // Another file: a run reads each configuration once.
        let path = path.with_file_name("tricky.toml");
        std::fs::write(&path, tricky).unwrap();
        assert_eq!(line_of(&path, &["tz"]), ":7");
        assert_eq!(line_of(&path, &["labels", "csat", "Great"]), ":10");
        assert_eq!(line_of(&path, &["reports", "x", "tz"]), ":14");
        assert_eq!(line_of(&path, &["reports", "x.tz", "period"]), ":12");
    }
}
