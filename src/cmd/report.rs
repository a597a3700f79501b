//! `cxm report`: every section the data supports, for one window, in one document
//! ([`crate::compute::report`]). A report saved in `--config` fills what the command
//! line leaves unset, then the file's defaults fill the rest.

use std::path::{Path, PathBuf};

use crate::calendar::{parse_duration_secs, WindowSpec};
use crate::cli::{OutputArgs, ReportArgs};
use crate::cmd::{presets, Output, Paths};
use crate::compute::report::{compute, find_files};
use crate::config::{Config, SavedReport};
use crate::error::Result;
use crate::metrics::tickets::{Keep, TimeUnit};
use crate::progress::Spinner;
use crate::report::Table;
use crate::request::{ReportFiles, ReportRequest, RowHandling, Scope, SectionMaps, Sources};
use crate::{threshold, usage_err};

/// The ticket options given to a report without tickets (nor an event log): said,
/// as they change nothing.
fn warn_unused_ticket_flags(a: &ReportArgs) {
    let given: Vec<&str> = [
        (a.sla.is_some(), "--sla"),
        (a.time_unit.is_some(), "--time-unit"),
        (a.schedule.is_some(), "--schedule"),
        (!a.sla_policy.is_empty(), "--sla-policy"),
        (a.keep.is_some(), "--keep"),
    ]
    .into_iter()
    .filter_map(|(given, flag)| given.then_some(flag))
    .collect();
    if !given.is_empty() {
        crate::say!(
            "cxm: warning: {}: no tickets (nor an event log) in this report, so not used",
            given.join(", ")
        );
    }
}

pub fn run(a: &ReportArgs) -> Result<()> {
    let (mut req, out) = request(a, "report")?;
    check_dir("report", &req, a.config.as_deref())?;
    let output = Output::from_args(&out)?;
    // The page for people also draws the tickets' response bands and arrival hours.
    req.ticket_shape = output.format == crate::render::Format::Html;
    let spinner = Spinner::start("cxm: computing the report".into(), out.quiet);
    let files = find_files(&req, true)?;
    let no_tickets = files.tickets.is_empty() && files.events.is_empty();
    let inputs: Vec<PathBuf> = [
        files.tickets,
        files.surveys,
        files.subscriptions,
        files.events,
    ]
    .concat();
    if !out.quiet {
        super::warn_unused_sheet(req.read.sheet.as_deref(), &inputs);
        if no_tickets {
            warn_unused_ticket_flags(a);
        }
    }
    // The saved report's `output` is no `-o` given.
    let output_flag = match a.output.output {
        Some(_) => "-o",
        None => "the saved report's output",
    };
    Paths {
        inputs: &inputs,
        config: a.config.as_deref(),
        outputs: &[
            (output_flag, out.output.as_deref()),
            ("--rejects", req.rows.rejects.as_deref()),
        ],
    }
    .check()?;
    // Its own reports in the folder are skipped (CSV, JSON, HTML: told by their
    // content); a rejects file, or a Markdown or terminal table under a data name,
    // would be read as data.
    if let (Some(dir), Some(rejects)) = (&req.dir, &req.rows.rejects) {
        super::refuse_read_back("--rejects", rejects, dir)?;
    }
    let untold = [
        crate::render::Format::Markdown,
        crate::render::Format::Table,
    ];
    if let (Some(dir), Some(written)) = (&req.dir, &out.output) {
        if untold.contains(&output.format) {
            super::refuse_read_back(output_flag, written, dir)?;
        }
    }
    let doc = compute(&req)?;
    drop(spinner);
    // The compare section's values by their tidy names (`csat_pct_change`).
    let compared: Vec<(String, Table)> = (doc.sections.iter())
        .filter(|s| s.key == "compare")
        .map(|s| {
            (
                s.key.clone(),
                crate::compute::compare::for_rules(&s.report.table),
            )
        })
        .collect();
    // The metric sections alone: the HTML page's response bands and arrival hours
    // are pictures, not metrics, and a rule must judge every format alike.
    let shapes = [
        crate::compute::shape::DISTRIBUTION,
        crate::compute::shape::HEATMAP,
    ];
    let tables: Vec<(&str, &Table)> = (doc.sections.iter())
        .filter(|s| s.key != "compare" && !shapes.contains(&s.key.as_str()))
        .map(|s| (s.key.as_str(), &s.report.table))
        .chain(compared.iter().map(|(k, t)| (k.as_str(), t)))
        .collect();
    // Rules that came from the saved report are said to be its.
    let saved_rules = a.output.fail_if.is_empty() && !out.fail_if.is_empty();
    // A section missing (this week's folder without its survey export) is said: a
    // rule that held last week names its metric.
    let missing: Vec<&str> = ["tickets", "surveys", "churn"]
        .into_iter()
        .filter(|k| !doc.sections.iter().any(|s| s.key == *k))
        .collect();
    let rules = threshold::parse_all(&out.fail_if, &tables)
        .map_err(
            |e| match missing.is_empty() || !e.to_string().contains("no metric") {
                true => e,
                false => e.also(&format!(
                    "the report has no {} section (no such data among its inputs)",
                    missing.join(" or ")
                )),
            },
        )
        .map_err(|e| match saved_rules {
            true => e.also(&format!(
                "the rule is the saved report's fail_if, in {}",
                a.config
                    .as_deref()
                    .map_or("the config file".into(), crate::text::path_shown)
            )),
            false => e,
        })?;
    threshold::write_then_enforce(&rules, &tables, out.quiet, || output.write_document(&doc))
}

/// The folder of exports, when one is given and is not one: a folder that is not
/// there cannot be read, as a missing file cannot (exit 3), unless it may be a
/// saved report's name mistyped (with `--config`: a usage error, 2, as a file where
/// the folder goes is).
pub fn check_dir(
    command: &str,
    req: &ReportRequest,
    config: Option<&std::path::Path>,
) -> Result<()> {
    let Some(dir) = req.dir.as_ref().filter(|d| !d.is_dir()) else {
        return Ok(());
    };
    Err(match dir.exists() {
        false if config.is_some() => {
            let saved: Vec<String> = Config::load(config)?.reports.keys().cloned().collect();
            let name = dir.display().to_string();
            if saved.contains(&name) {
                return Err(usage_err!(
                    "{command}: '{}' is a second saved report: give one saved report at a time",
                    crate::text::printable(&name)
                ));
            }
            let known = match saved.is_empty() {
                true => "it saves none".to_string(),
                false => format!("saved: {}", saved.join(", ")),
            };
            usage_err!(
                "{command}: '{}' is not a folder (nor a report saved in --config: {known})",
                crate::text::path_shown(dir)
            )
        }
        false if dir.as_os_str() == "-" => usage_err!(
            "{command}: '-' (stdin) is no folder: give stdin as a file, with --tickets -, --surveys - or --subscriptions -"
        ),
        false => crate::data_err!("{}: cannot open: no such folder", crate::text::path_shown(dir)),
        true => usage_err!(
            "{command}: '{}' is not a folder: give a folder of exports, or the files with --tickets, --surveys and --subscriptions",
            crate::text::path_shown(dir)
        ),
    })
}

/// The request and the output options: flags first, then the report saved in
/// `--config` and named on the command line, then the file's defaults.
///
/// `command` names the command running it: `customers` and `drivers` read no event
/// log, so a log is no input of theirs.
pub fn request(a: &ReportArgs, command: &str) -> Result<(ReportRequest, OutputArgs)> {
    let logs_read = command == "report";
    let cfg = Config::load(a.config.as_deref())?;
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut saved: Option<(&str, &SavedReport)> = None;
    for t in &a.targets {
        match cfg.reports.get(t) {
            Some(found) if saved.is_none() => saved = Some((t, found)),
            _ => dirs.push(PathBuf::from(t)),
        }
    }
    // No inputs at all: the config's one saved report (SPEC §1's cron call, `cxm
    // report --config weekly.toml --period last-week`); of several, a name is asked for.
    // An event log alone is an input too (a tickets section derived from it).
    let flags_empty = a.tickets.is_empty()
        && a.surveys.is_empty()
        && a.subscriptions.is_empty()
        && (a.events.is_empty() || !logs_read);
    let no_inputs = a.targets.is_empty() && flags_empty;
    if no_inputs && cfg.reports.len() > 1 {
        return Err(usage_err!(
            "--config {} saves {} reports: name the one to run ({}), or give a DIR, --tickets, --surveys, --subscriptions or --events",
            a.config.as_deref().map_or(String::new(), crate::text::path_shown),
            cfg.reports.len(),
            cfg.reports.keys().map(|k| crate::text::printable(k)).collect::<Vec<_>>().join(", ")
        ));
    }
    if no_inputs {
        saved = cfg
            .reports
            .iter()
            .next()
            .map(|(name, r)| (name.as_str(), r));
    }
    // Nothing to read anywhere: said of the config, where the inputs were looked for.
    if let (true, Some(config)) = (flags_empty && dirs.is_empty(), a.config.as_deref()) {
        let config = crate::text::path_shown(config);
        match saved {
            Some((name, r))
                if r.dir.is_none()
                    && r.tickets.is_empty()
                    && r.surveys.is_empty()
                    && r.subscriptions.is_empty()
                    && (r.events.is_empty() || !logs_read) =>
            {
                return Err(usage_err!(
                    "--config {config}: reports.{} names no dir, tickets, surveys, subscriptions{}: give them there, or a DIR on the command line",
                    crate::config::key_name(name),
                    match logs_read {
                        true => " or events".to_string(),
                        false => format!(" (an event log alone is no input of {command})"),
                    }
                ));
            }
            None => {
                return Err(usage_err!(
                    "--config {config} saves no report: give a DIR, --tickets, --surveys{}",
                    if logs_read {
                        ", --subscriptions or --events"
                    } else {
                        " or --subscriptions"
                    }
                ))
            }
            _ => {}
        }
    }
    let r = saved.map(|(_, r)| r.clone()).unwrap_or_default();
    // A saved report's key, for errors: the file, the key's line and
    // `reports.NAME.KEY`.
    let saved_key = |key: &str| {
        let config = a.config.as_deref().unwrap_or(Path::new(""));
        match saved {
            Some((name, _)) => format!(
                "--config {}{}: reports.{}.{key}",
                crate::text::path_shown(config),
                crate::config::line_of(config, &["reports", name, key]),
                crate::config::key_name(name)
            ),
            None => format!("--config: {key}"),
        }
    };
    let base = a
        .config
        .as_deref()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    // `-` is stdin or stdout wherever the config is (it became a file `dir/-`).
    let rel = |p: &PathBuf| match p.as_os_str() == "-" {
        true => p.clone(),
        false => base.join(p),
    };
    if dirs.is_empty() {
        dirs.extend(r.dir.iter().map(rel));
        if let (Some(dir), Some(_)) = (dirs.first(), saved) {
            // An empty name would be the config's own folder.
            let empty = r.dir.as_ref().is_some_and(|d| d.as_os_str().is_empty());
            // A folder not there (an export not mounted) is missing input, as on the
            // command line: exit 3, which a cron wrapper tells from a broken config.
            if !empty && !dir.exists() {
                return Err(crate::data_err!(
                    "{}: '{}': cannot open: no such folder",
                    saved_key("dir"),
                    crate::text::path_shown(dir)
                ));
            }
            if empty || !dir.is_dir() {
                return Err(usage_err!(
                    "{}: '{}' is not a directory",
                    saved_key("dir"),
                    crate::text::path_shown(dir)
                ));
            }
        }
    }
    if dirs.len() > 1 {
        return Err(usage_err!(
            "report: one DIR at most, got {} (a saved report name needs --config FILE that defines it)",
            dirs.iter()
                .map(|d| crate::text::path_shown(d))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let files = |flag: &Vec<PathBuf>, saved: &Vec<PathBuf>| -> Vec<PathBuf> {
        if flag.is_empty() {
            saved.iter().map(rel).collect()
        } else {
            flag.clone()
        }
    };
    let w = &a.window;
    // The command line's window, else the saved report's, else the file's.
    let saved_window = r.period.is_some() || r.since.is_some() || r.until.is_some();
    let spec = if w.period.is_none() && w.since.is_none() && w.until.is_none() && saved_window {
        WindowSpec {
            since: r.since.clone(),
            until: r.until.clone(),
            period: r.period.clone(),
        }
    } else {
        crate::cmd::window_spec(w, &cfg)
    };
    let given = w.by_given()?;
    // The config file's top-level `by` serves many files: passed over where lacking.
    let by_configured = given.is_none() && r.by.is_none() && cfg.by.is_some();
    let by_saved = given.is_none() && r.by.is_some();
    let by = [given, r.by, cfg.by.clone()]
        .into_iter()
        .flatten()
        .next()
        .unwrap_or_default();
    // The report's own columns (CSV's tidy rows: section, the groups, period,
    // metric, value): a group of the same name would repeat one.
    if let Some(b) = by
        .iter()
        .find(|b| ["section", "period", "metric", "value"].contains(&b.as_str()))
    {
        return Err(crate::usage_err!(
            "--by {b}: the report already has a column '{b}'; rename the input column, or map it to a field with --map"
        ));
    }
    // The command line's conditions, else the saved report's.
    let filters = if w.filters.is_empty() {
        r.filters
            .iter()
            .flatten()
            .map(|t| {
                crate::input::filter::Condition::parse(t)
                    .map_err(|e| crate::usage_err!("{}: {e}", saved_key("where")))
            })
            .collect::<Result<Vec<_>>>()?
    } else {
        w.filters.clone()
    };
    let tz = w.tz.as_deref().or(r.tz.as_deref()).or(cfg.tz.as_deref());
    let from_config = w.period.is_none() && w.since.is_none() && w.until.is_none();
    let mut scope = Scope::resolve(
        &spec,
        tz.unwrap_or("UTC"),
        w.now.as_deref().or(cfg.now.as_deref()),
        by,
        w.every_or(r.every.unwrap_or(cfg.every.flatten())),
    )
    .map_err(|e| match (from_config, &cfg.path) {
        // The config's bounds (the saved report's, else the file's), in the zone in
        // force: named as the file's keys (a `--now` error is the command line's).
        (true, Some(path)) if !e.to_string().starts_with("--now") => {
            let key = match (saved, saved_window) {
                (Some((name, _)), true) => format!("reports.{}.", crate::config::key_name(name)),
                _ => String::new(),
            };
            crate::usage_err!(
                "--config {}: {} (in {})",
                crate::text::path_shown(path),
                e.to_string()
                    .replace("--until", &format!("{key}until"))
                    .replace("--since", &format!("{key}since")),
                tz.unwrap_or("UTC")
            )
        }
        _ => e,
    })?;
    scope.by_configured = by_configured;
    scope.by_origin = by_saved.then(|| saved_key("by"));
    // Checked when the file was read.
    let sla = r.sla.as_deref().and_then(|s| parse_duration_secs(s).ok());
    if !a.output.quiet {
        let text = (a.sla.as_deref())
            .or(r.sla.as_deref())
            .or(cfg.sla.as_deref());
        let unit = (a.time_unit.or(r.time_unit).or(cfg.time_unit)).unwrap_or(TimeUnit::Hours);
        crate::cmd::warn_sla_in_hours(text, unit);
    }
    crate::cmd::one_scale_each(&a.scale)?;
    let mut scales = a.scale.clone();
    for (measure, scale) in [("csat", &cfg.scale.csat), ("ces", &cfg.scale.ces)] {
        if let Some(s) = scale
            .as_ref()
            .filter(|_| !scales.iter().any(|(m, _)| m == measure))
        {
            scales.push((measure.to_string(), s.clone()));
        }
    }
    let pairs = |m: &std::collections::BTreeMap<String, String>| {
        m.iter().map(|(f, c)| (f.clone(), c.clone())).collect()
    };
    let mut req = ReportRequest {
        dir: dirs.pop(),
        files: ReportFiles {
            tickets: files(&a.tickets, &r.tickets),
            surveys: files(&a.surveys, &r.surveys),
            subscriptions: files(&a.subscriptions, &r.subscriptions),
            events: files(&a.events, &r.events),
        },
        read: Sources {
            paths: Vec::new(),
            map: Vec::new(),
            presets: presets(&a.preset, &cfg),
            presets_configured: a.preset.is_empty() && !cfg.preset.names().is_empty(),
            date_format: a.date_format.clone(),
            delimiter: a.delimiter,
            encoding: a.encoding,
            na: crate::cmd::na(&a.na, &cfg),
            sheet: a.sheet.clone(),
            filters,
            filters_where_present: true,
            given_by_kind: true,
            ids_trimmed: false,
        },
        maps: SectionMaps {
            tickets: pairs(&cfg.map.tickets),
            surveys: pairs(&cfg.map.surveys),
            customers: pairs(&cfg.map.customers),
            events: pairs(&cfg.map.events),
        },
        scope,
        rows: RowHandling {
            strict: a.strict,
            rejects: a.rejects.clone(),
            verbose: a.output.verbose,
            used_since: None,
        },
        quiet: a.output.quiet,
        time_unit: a
            .time_unit
            .or(r.time_unit)
            .or(cfg.time_unit)
            .unwrap_or(TimeUnit::Hours),
        sla_secs: crate::calendar::duration_secs(a.sla.as_deref())
            .or(sla)
            .or(cfg.sla_secs())
            .unwrap_or(3600.0),
        sla_given: a.sla.is_some() || sla.is_some() || cfg.sla_secs().is_some(),
        keep: a.keep.unwrap_or(Keep::Last),
        schedule: a
            .schedule
            .as_deref()
            .or(r.schedule.as_deref())
            .map(|n| cfg.schedule(n))
            .transpose()?,
        sla_policies: cfg.sla_policies(if a.sla_policy.is_empty() {
            r.sla_policy.as_deref().unwrap_or_default()
        } else {
            &a.sla_policy
        })?,
        scales,
        labels: cfg.labels.clone(),
        statuses: crate::metrics::events::EventWords::new(&cfg.statuses)
            .and_then(|w| w.with_roles(&cfg.roles))
            .map_err(|e| crate::usage_err!("{e}"))?,
        compare_previous: a.compare.is_some(),
        compare_base: false,
        ticket_shape: false,
    };
    if let Some(what) = &r.compare {
        match what.trim() {
            "previous" => req.compare_previous = true,
            _ => {
                return Err(crate::usage_err!(
                    "{}: '{what}': the one comparison is \"previous\"",
                    saved_key("compare")
                ))
            }
        }
    }
    let mut out = a.output.clone();
    // Flags win: `-o week.html` names its format, over the saved report's.
    let named = a
        .output
        .output
        .as_deref()
        .and_then(crate::render::format_of_extension);
    out.format = out.format.or(named).or(r.format);
    if out.output.is_none() {
        out.output = r.output.as_ref().map(rel);
        // A path that cannot be written is said to be the saved report's.
        if let Some(path) = out.output.as_ref().filter(|p| p.as_os_str() != "-") {
            let named = format!(
                "{} '{}'",
                saved_key("output"),
                crate::text::path_shown(path)
            );
            crate::cmd::refuse_other_format(path, out.format.is_some(), &named)?;
            crate::render::Target::File(path.clone())
                .check()
                .map_err(|e| e.also(&format!("the path is {}", saved_key("output"))))?;
        }
    }
    let saved_where: Vec<&String> = r.filters.iter().flatten().collect();
    if !a.window.filters.is_empty() && !saved_where.is_empty() && !out.quiet {
        // A narrower saved report widened unsaid would be read as the same scope.
        crate::say!(
            "cxm: warning: --where replaces the saved report's where ({}); give its conditions on the command line too to keep them",
            saved_where.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
        );
    }
    if !out.fail_if.is_empty() && !r.fail_if.is_empty() && !out.quiet {
        // Flags win, as everywhere; an alert dropped unsaid would be missed.
        crate::say!(
            "cxm: warning: --fail-if replaces the saved report's fail_if ({}); give those rules on the command line too to keep them",
            r.fail_if.join(", ")
        );
    }
    if out.fail_if.is_empty() {
        out.fail_if = r.fail_if.clone();
        for rule in &out.fail_if {
            threshold::Rule::parse(rule)
                .map_err(|e| crate::usage_err!("{}: {e}", saved_key("fail_if")))?;
        }
    }
    Ok((req, out))
}
