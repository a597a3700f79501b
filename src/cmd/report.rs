//! `cxm report`: every section the data supports, for one window, in one document.
//!
//! Files come from `--tickets/--surveys/--subscriptions`, else from DIR: by name
//! (`tickets*`, `surveys*`/`responses*`, `subscriptions*`/`customers*`), else by
//! their headers. Surveys are attributed through the tickets when both are present.
//! A `--by` column a section's data lacks is dropped for that section, with a
//! warning, rather than failing the whole report. Churn is bucketed by `--every`,
//! else by the unit of a named `--period` (`last-week` → one week), else by month.

use std::path::{Path, PathBuf};

use crate::calendar::{parse_tz, period_unit, resolve_now, resolve_window, Window};
use crate::cli::{ChurnArgs, Every, InputArgs, ReportArgs, SurveysArgs, TicketsArgs};
use crate::cmd::{churn, surveys, tickets, Output, Paths};
use crate::config::{Config, SavedReport};
use crate::error::Result;
use crate::input::fields::{classify, Dataset, CHURN_FIELDS, SURVEY_FIELDS, TICKET_FIELDS};
use crate::input::{source, Input};
use crate::progress::Spinner;
use crate::report::{Document, Report, Section, Table};
use crate::{data_err, rejects, threshold, usage_err};

/// The files of each section.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Files {
    pub tickets: Vec<PathBuf>,
    pub surveys: Vec<PathBuf>,
    pub subscriptions: Vec<PathBuf>,
}

pub fn run(a: &ReportArgs) -> Result<()> {
    let a = &resolve(a)?;
    let output = Output::from_args(&a.output)?;
    let spinner = Spinner::start("cxm: computing the report".into(), a.output.quiet);
    let files = find_files(a, true)?;
    let inputs: Vec<PathBuf> = [files.tickets, files.surveys, files.subscriptions].concat();
    Paths {
        inputs: &inputs,
        config: a.config.as_deref(),
        outputs: &[
            ("-o", a.output.output.as_deref()),
            ("--rejects", a.rejects.as_deref()),
        ],
    }
    .check()?;
    let doc = compute(a)?;
    drop(spinner);
    let tables: Vec<(&str, &Table)> = doc
        .sections
        .iter()
        .map(|s| (s.key.as_str(), &s.report.table))
        .collect();
    let rules = threshold::parse_all(&a.output.fail_if, &tables)?;
    output.write_document(&doc)?;
    threshold::enforce(&rules, &tables)
}

/// Fill the arguments from the saved report named on the command line, then from the
/// config file's defaults; flags win over both.
pub fn resolve(a: &ReportArgs) -> Result<ReportArgs> {
    let cfg = Config::load(a.config.as_deref())?;
    let mut a = a.clone();
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut saved: Option<(&String, &SavedReport)> = None;
    for t in &a.targets {
        match cfg.reports.get_key_value(t) {
            Some(found) if saved.is_none() => saved = Some(found),
            _ => dirs.push(PathBuf::from(t)),
        }
    }
    if let Some((_, r)) = saved {
        let base = a
            .config
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let rel = |p: &PathBuf| base.join(p);
        if dirs.is_empty() {
            dirs.extend(r.dir.iter().map(rel));
        }
        let fill = |flag: &mut Vec<PathBuf>, saved: &Option<PathBuf>| {
            if flag.is_empty() {
                flag.extend(saved.iter().map(rel));
            }
        };
        fill(&mut a.tickets, &r.tickets);
        fill(&mut a.surveys, &r.surveys);
        fill(&mut a.subscriptions, &r.subscriptions);
        let w = &mut a.window;
        if w.period.is_none() && w.since.is_none() && w.until.is_none() {
            w.period.clone_from(&r.period);
            w.since.clone_from(&r.since);
            w.until.clone_from(&r.until);
        }
        if w.by.is_empty() {
            w.by = r.by.clone().unwrap_or_default();
        }
        w.every = w.every.or(r.every);
        if w.tz.is_none() {
            w.tz.clone_from(&r.tz);
        }
        a.time_unit = a.time_unit.or(r.time_unit);
        if a.sla.is_none() {
            a.sla = r
                .sla
                .as_deref()
                .and_then(|s| crate::cli::parse_duration_secs(s).ok());
        }
        a.output.format = a.output.format.or(r.format);
        if a.output.output.is_none() {
            a.output.output = r.output.as_ref().map(rel);
        }
        if a.output.fail_if.is_empty() {
            a.output.fail_if.clone_from(&r.fail_if);
        }
    }
    cfg.fill_window(&mut a.window);
    a.time_unit = a.time_unit.or(cfg.time_unit);
    a.sla = a.sla.or(cfg.sla_secs());
    if a.preset.is_empty() {
        a.preset = cfg.preset.names();
    }
    if dirs.len() > 1 {
        return Err(usage_err!(
            "report: one DIR at most, got {} (a saved report name needs --config FILE that defines it)",
            dirs.iter()
                .map(|d| d.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    a.targets = dirs.iter().map(|d| d.display().to_string()).collect();
    Ok(a)
}

/// Which files feed which section: flags first, then DIR by name, then by headers.
pub fn find_files(a: &ReportArgs, quiet: bool) -> Result<Files> {
    let mut files = Files {
        tickets: a.tickets.clone(),
        surveys: a.surveys.clone(),
        subscriptions: a.subscriptions.clone(),
    };
    let given = files.clone();
    if let Some(dir) = a.targets.first() {
        let dir = Path::new(dir);
        if !dir.is_dir() {
            return Err(usage_err!(
                "report: '{}' is not a directory (nor a report saved in --config)",
                dir.display()
            ));
        }
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| data_err!("{}: cannot read directory: {e}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| source::has_csv_extension(p) && !p.is_dir())
            .collect();
        entries.sort();
        for path in entries {
            if !path.is_file() {
                // A broken or looping link: say so rather than skip it silently.
                if !quiet {
                    eprintln!(
                        "cxm: warning: {}: skipped, not a regular file (a broken or looping link?)",
                        path.display()
                    );
                }
                continue;
            }
            let kind = match by_name(&path) {
                Some(k) => Some(k),
                None => by_headers(&path, a.delimiter)?,
            };
            let slot = match kind {
                Some(Dataset::Tickets) if given.tickets.is_empty() => &mut files.tickets,
                Some(Dataset::Surveys) if given.surveys.is_empty() => &mut files.surveys,
                Some(Dataset::Subscriptions | Dataset::ChurnSnapshot)
                    if given.subscriptions.is_empty() =>
                {
                    &mut files.subscriptions
                }
                Some(_) => continue,
                None => {
                    if !quiet {
                        eprintln!(
                            "cxm: warning: {}: skipped, its headers match no known kind of data",
                            path.display()
                        );
                    }
                    continue;
                }
            };
            slot.push(path);
        }
    }
    if files == Files::default() {
        return Err(match a.targets.first() {
            Some(dir) => data_err!(
                "{dir}: no tickets, survey or subscription files found (by name: tickets*.csv, surveys*.csv, responses*.csv, subscriptions*.csv, customers*.csv; or by headers)"
            ),
            None => usage_err!(
                "report: give a DIR, --tickets, --surveys or --subscriptions (or a saved report with --config)"
            ),
        });
    }
    Ok(files)
}

fn by_name(path: &Path) -> Option<Dataset> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| name.starts_with(p));
    if starts(&["tickets"]) {
        Some(Dataset::Tickets)
    } else if starts(&["surveys", "responses"]) {
        Some(Dataset::Surveys)
    } else if starts(&["subscriptions", "customers"]) {
        Some(Dataset::Subscriptions)
    } else {
        None
    }
}

fn by_headers(path: &Path, delimiter: Option<u8>) -> Result<Option<Dataset>> {
    let src = source::open_file(path)?;
    Ok(classify(&source::sniff(&src, delimiter, 1)?.headers))
}

/// Compute every section. With `--rejects`, each section writes its rejected rows to
/// a scratch file and the parts are merged into one CSV, also when a section fails
/// (`--strict`), as the single-dataset commands do.
pub fn compute(a: &ReportArgs) -> Result<Document> {
    let Some(target) = &a.rejects else {
        return compute_sections(a, None);
    };
    let scratch = crate::cleanup::temp_dir(".cxm-rejects-")
        .map_err(|e| crate::error::CxmError::Internal(format!("scratch directory: {e}")))?;
    let doc = compute_sections(a, Some(scratch.path()));
    let parts: Vec<PathBuf> = ["tickets", "surveys", "churn"]
        .iter()
        .map(|s| scratch.path().join(format!("{s}.csv")))
        .filter(|p| p.exists())
        .collect();
    rejects::merge(&parts, target)?;
    doc
}

fn compute_sections(a: &ReportArgs, rejects_dir: Option<&Path>) -> Result<Document> {
    let files = find_files(a, a.output.quiet)?;
    let tz = parse_tz(a.window.tz_name())?;
    let now = resolve_now(a.window.now.as_deref())?;
    let window = resolve_window(&a.window, tz, now)?;
    let input = |inputs: &[PathBuf], section: &str| InputArgs {
        inputs: inputs.to_vec(),
        map: Vec::new(),
        preset: a.preset.clone(),
        date_format: a.date_format.clone(),
        delimiter: a.delimiter,
        strict: a.strict,
        rejects: rejects_dir.map(|d| d.join(format!("{section}.csv"))),
        encoding: a.encoding,
        config: a.config.clone(),
    };
    let mut header = vec![describe_window(&window, a)];
    let mut sections = Vec::new();
    let warn = |msg: String| {
        if !a.output.quiet {
            eprintln!("cxm: warning: {msg}");
        }
    };

    if !files.tickets.is_empty() {
        let mut t = tickets::resolve(&TicketsArgs {
            input: input(&files.tickets, "tickets"),
            window: a.window.clone(),
            output: a.output.clone(),
            time_unit: a.time_unit,
            sla: a.sla,
            keep: a.keep,
        })?;
        let opened = Input::open(&t.input, TICKET_FIELDS, tz)?;
        t.window.by = usable_by(&t.window.by, &[&opened], "tickets", &warn);
        header.push(describe_files("tickets", &opened)?);
        let (df, rejected) = tickets::compute_resolved(&t)?;
        rejects::report(&rejected, a.strict, a.output.quiet)?;
        sections.push(section("tickets", "Tickets", &df, &t.window)?);
    }

    if !files.surveys.is_empty() {
        let (mut s, cfg) = surveys::resolve(&SurveysArgs {
            input: input(&files.surveys, "surveys"),
            window: a.window.clone(),
            output: a.output.clone(),
            tickets: files.tickets.clone(),
            scale: a.scale.clone(),
            compare: None,
        })?;
        let opened = Input::open(&s.input, SURVEY_FIELDS, tz)?;
        let mut line = describe_files("surveys", &opened)?;
        let via = if !s.tickets.is_empty() && opened.has("ticket_id") {
            line += ", attributed to tickets by ticket_id";
            let mut side = input(&s.tickets, "tickets");
            side.rejects = None;
            Some(Input::open(&side, TICKET_FIELDS, tz)?)
        } else {
            s.tickets.clear();
            None
        };
        let mut sides = vec![&opened];
        sides.extend(via.as_ref());
        s.window.by = usable_by(&s.window.by, &sides, "surveys", &warn);
        header.push(line);
        let (df, rejected) = surveys::compute_resolved(&s, &cfg)?;
        rejects::report(&rejected, a.strict, a.output.quiet)?;
        sections.push(section("surveys", "Surveys", &df, &s.window)?);
    }

    if !files.subscriptions.is_empty() {
        let mut c = churn::resolve(&ChurnArgs {
            input: input(&files.subscriptions, "churn"),
            window: a.window.clone(),
            output: a.output.clone(),
            inactive_after: None,
        })?;
        let opened = Input::open(&c.input, CHURN_FIELDS, tz)?;
        c.window.by = usable_by(&c.window.by, &[&opened], "churn", &warn);
        let mode = churn::Mode::choose(&opened, false)?;
        if mode == churn::Mode::Snapshot {
            // A snapshot has no dates: the window does not apply to it.
            let w = &mut c.window;
            (w.period, w.since, w.until, w.every) = (None, None, None, None);
        } else if c.window.every.is_none() {
            c.window.every = Some(
                c.window
                    .period
                    .as_deref()
                    .and_then(period_unit)
                    .unwrap_or(Every::Month),
            );
        }
        header.push(format!(
            "{}; {}",
            describe_files("churn", &opened)?,
            mode.describe(&opened)
        ));
        let (df, rejected, _) = churn::compute_resolved(&c)?;
        rejects::report(&rejected, a.strict, a.output.quiet)?;
        sections.push(section("churn", "Churn", &df, &c.window)?);
    }

    Ok(Document {
        title: "CX report".into(),
        header,
        sections,
    })
}

/// The `--by` columns some input of the section has; the rest are dropped with a warning.
fn usable_by(
    by: &[String],
    inputs: &[&Input],
    section: &str,
    warn: &dyn Fn(String),
) -> Vec<String> {
    let (kept, dropped): (Vec<String>, Vec<String>) = by
        .iter()
        .cloned()
        .partition(|b| inputs.iter().any(|i| i.has_column(b)));
    for d in dropped {
        warn(format!(
            "{section}: no column or field '{d}' in its data; that section is not grouped by it"
        ));
    }
    kept
}

fn section(
    key: &str,
    title: &str,
    df: &polars::prelude::DataFrame,
    w: &crate::cli::WindowArgs,
) -> Result<Section> {
    Ok(Section {
        key: key.into(),
        report: Report {
            title: title.into(),
            table: Table::from_frame(df, w.every)?,
        },
        groups: w.by.clone(),
    })
}

fn describe_files(section: &str, input: &Input) -> Result<String> {
    let names: Vec<&str> = input.files.iter().map(|f| f.source.name.as_str()).collect();
    let rows = input.count_rows()?;
    Ok(format!("{section}: {} ({rows} rows)", names.join(" + ")))
}

fn describe_window(w: &Window, a: &ReportArgs) -> String {
    let tz = a.window.tz_name();
    let local = |t: chrono::DateTime<chrono::Utc>| match parse_tz(tz) {
        Ok(z) => t.with_timezone(&z).format("%Y-%m-%d %H:%M").to_string(),
        Err(_) => t.to_rfc3339(),
    };
    let span = match (w.since, w.until) {
        (None, None) => "all data".to_string(),
        (Some(s), None) => format!("from {}", local(s)),
        (None, Some(u)) => format!("before {}", local(u)),
        (Some(s), Some(u)) => format!("{} to {} (end excluded)", local(s), local(u)),
    };
    let named = a
        .window
        .period
        .as_deref()
        .map(|p| format!(" [{p}]"))
        .unwrap_or_default();
    let mut line = format!("window: {span}{named}, {tz}");
    if !a.window.by.is_empty() {
        line += &format!("; by {}", a.window.by.join(", "));
    }
    if let Some(e) = a.window.every {
        line += &format!("; every {}", format!("{e:?}").to_lowercase());
    }
    line
}
