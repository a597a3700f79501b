//! `report`: every section the data supports, for one window, in one document.
//!
//! Files come from the request's per-section lists, else from its folder: by name
//! (`tickets*`, `surveys*`/`responses*`, `subscriptions*`/`customers*`), else by
//! their headers. Each file is opened and sniffed once. Surveys are attributed
//! through the tickets when both are present. A `--by` column a section's data lacks
//! is dropped for that section, with a warning, rather than failing the whole report.
//! Churn is bucketed by `--every`, else by the unit of a named `--period`
//! (`last-week` → one week), else by month.

use std::path::{Path, PathBuf};

use crate::calendar::{period_unit, Every, Window};
use crate::compute::{self, churn::Mode, Computed};
use crate::error::Result;
use crate::input::fields::{self, classify, Dataset};
use crate::input::filter::Condition;
use crate::input::{preset, source, GroupColumn, Input};
use crate::metrics::tickets::{SLA_TICKETS, TICKETS_BY_NOW};
use crate::report::{Document, Report, Section, Table};
use crate::request::{
    ChurnRequest, ChurnView, ReportFiles, ReportRequest, RowHandling, Scope, Sources,
};
use crate::request::{SurveysRequest, TicketsRequest};
use crate::{data_err, rejects, usage_err};

/// Which files feed which section: flags first, then DIR by name, then by headers.
pub fn find_files(req: &ReportRequest, quiet: bool) -> Result<ReportFiles> {
    let mut files = req.files.clone();
    let given = files.clone();
    if let Some(dir) = &req.dir {
        if !dir.is_dir() {
            return Err(usage_err!(
                "report: '{}' is not a directory (nor a report saved in --config)",
                crate::text::path_shown(dir)
            ));
        }
        let listed: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| {
                data_err!(
                    "{}: cannot read directory: {e}",
                    crate::text::path_shown(dir)
                )
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        if !quiet {
            for said in source::not_read_in_folder(&listed) {
                crate::say!("cxm: warning: {said}");
            }
            // Excel's "Unicode Text" (`tickets.txt`): a kind of data by its name, in a
            // form a folder does not read.
            for path in listed.iter().filter(|p| text_named_as_data(p)) {
                crate::say!(
                    "cxm: warning: {}: {TEXT_EXPORT}",
                    crate::text::path_shown(path)
                );
            }
        }
        let mut entries: Vec<PathBuf> = (listed.into_iter())
            .filter(|p| source::read_from_folder(p) && !p.is_dir())
            .collect();
        entries.sort();
        // cxm's own outputs, named when nothing else is found.
        let mut own_outputs: Vec<String> = Vec::new();
        // `--per-ticket` tables: the tickets of another file, if the folder has one.
        let mut per_ticket: Vec<PathBuf> = Vec::new();
        let mut bare_tickets: Vec<PathBuf> = Vec::new();
        // Files of no known kind, named when nothing else is found.
        let mut unknown: Vec<String> = Vec::new();
        let mut empty_files: Vec<String> = Vec::new();
        // Tables of figures, skipped (see [`FIGURES`]).
        let mut figures: Vec<String> = Vec::new();
        for path in entries {
            if !path.is_file() {
                // A broken or looping link, a FIFO, a socket, a device: said, not
                // skipped silently (reading a FIFO or a device would block or never end).
                let what = match std::fs::metadata(&path) {
                    Ok(_) => "a FIFO, a socket or a device",
                    Err(_) => "a broken or looping link?",
                };
                if !quiet {
                    crate::say!(
                        "cxm: warning: {}: skipped, not a regular file ({what})",
                        crate::text::path_shown(&path)
                    );
                }
                continue;
            }
            // The file this run's stdout goes to (`cxm report . > report.csv`, which
            // the shell created empty) is the report being written, not data.
            // An empty file named for no kind of data (one a shell redirect created,
            // `2> d/err.csv`) holds none; an empty `tickets.csv` is an export gone
            // wrong, and stops the run as any empty input does.
            let empty = holds_nothing(&path);
            if let Some(what) = empty.filter(|_| by_name(&path).is_none()) {
                if !crate::render::is_stdout(&path) {
                    if !quiet {
                        crate::say!(
                            "cxm: warning: {}: skipped, {what}",
                            crate::text::path_shown(&path)
                        );
                    }
                    empty_files.push(crate::text::path_shown(&path));
                    continue;
                }
            }
            let to_stdout = crate::render::is_stdout(&path);
            if to_stdout && empty.is_some() {
                if !quiet {
                    crate::say!(
                        "cxm: warning: {}: skipped, the file this report is being written to",
                        crate::text::path_shown(&path)
                    );
                }
                continue;
            }
            // cxm's JSON or HTML saved under a data name is no CSV to read.
            if let Some(what) = page_or_json(&path) {
                own_outputs.push(crate::text::path_shown(&path));
                if !quiet {
                    crate::say!(
                        "cxm: warning: {}: skipped, {what} (a report cxm wrote?), not CSV data",
                        crate::text::path_shown(&path)
                    );
                }
                continue;
            }
            // A report cxm wrote into the folder (`surveys_summary.csv` too) is not data.
            // Told by its first sheet where it lacks `--sheet`'s (a notes workbook is
            // no data, whatever sheet the run names); read, the run's rule applies.
            let lacks = |s: &String| crate::input::excel::has_sheet(&path, s) == Some(false);
            let read = crate::request::Sources {
                sheet: req.read.sheet.clone().filter(|s| !lacks(s)),
                ..req.read.clone()
            };
            let (headers, section, other_sheets) = headers(&path, &read)?;
            let own = fields::cxm_output(&headers.0).filter(|_| {
                // A survey export may have `section,…,metric,value` columns of its
                // own: cxm's report names its own sections.
                fields::cxm_output(&headers.0) != Some(fields::TIDY_REPORT)
                    || section.as_deref().is_none_or(|s| SECTIONS.contains(&s))
            });
            if let Some(what) = own {
                own_outputs.push(crate::text::path_shown(&path));
                if !quiet {
                    crate::say!(
                        "cxm: warning: {}: skipped, {what}, not data",
                        crate::text::path_shown(&path)
                    );
                }
                continue;
            }
            // Stdout appended to an export of the folder (`>> d/surveys.csv`) is read as
            // the export it is; the command refuses the run if anything goes to stdout.
            let (headers, legacy) = headers;
            // Named as tickets, it is read as such: an export of these columns is too.
            if fields::per_ticket_table(&headers)
                && given.tickets.is_empty()
                && by_name(&path).is_none()
            {
                per_ticket.push(path);
                continue;
            }
            let kind = by_name(&path).or_else(|| match legacy {
                true => Some(Dataset::Surveys),
                false => classify(&headers).or_else(|| mapped_kind(&headers, &req.maps)),
            });
            // Ids and creation times alone, found by headers: kept aside (below).
            let bare = by_name(&path).is_none() && fields::bare_tickets(&headers);
            if bare && given.tickets.is_empty() {
                bare_tickets.push(path);
                continue;
            }
            // Scores with nothing to say whose or when (`week,tickets,csat`: a table
            // of weekly figures kept beside the exports) are no responses, unless
            // named as such.
            let summary = kind == Some(Dataset::Surveys)
                && by_name(&path).is_none()
                && !responses_told_apart(&headers, &req.maps.surveys);
            if summary {
                if !quiet {
                    crate::say!(
                        "cxm: warning: {}: skipped, {FIGURES}",
                        crate::text::path_shown(&path)
                    );
                }
                figures.push(crate::text::path_shown(&path));
                continue;
            }
            let slot = match kind {
                Some(Dataset::Tickets) if given.tickets.is_empty() => &mut files.tickets,
                Some(Dataset::Surveys) if given.surveys.is_empty() => &mut files.surveys,
                Some(Dataset::Subscriptions | Dataset::ChurnSnapshot)
                    if given.subscriptions.is_empty() =>
                {
                    &mut files.subscriptions
                }
                Some(Dataset::Events) if given.events.is_empty() => &mut files.events,
                Some(_) => continue,
                None => {
                    if !quiet {
                        crate::say!(
                            "cxm: warning: {}: skipped, its headers match no known kind of data",
                            crate::text::path_shown(&path)
                        );
                    }
                    unknown.push(crate::text::path_shown(&path));
                    continue;
                }
            };
            // A folder's workbook is read by its first sheet (or `--sheet`'s).
            if !other_sheets.is_empty() && !quiet {
                crate::say!(
                    "cxm: warning: {}: its first sheet is read; its other sheets ({}) are not: save each as a file of the folder to read it",
                    crate::text::path_shown(&path),
                    other_sheets.join(", ")
                );
            }
            slot.push(path);
        }
        // Beside the export or log it came from, a per-ticket table would count each
        // ticket twice; alone, it is the tickets there are.
        let sources: Vec<String> = (files.tickets.iter().chain(&files.events))
            .map(|p| crate::text::path_shown(p))
            .collect();
        for path in per_ticket {
            match sources.is_empty() {
                true => files.tickets.push(path),
                false => {
                    if !quiet {
                        crate::say!(
                            "cxm: warning: {}: skipped, a table of tickets --per-ticket (cxm's) beside {} (worked out from them, its tickets would count twice; an export of these columns is read when its name starts with tickets)",
                            crate::text::path_shown(&path),
                            crate::text::files_listed(&sources, ", ")
                        );
                    }
                }
            }
        }
        // Beside a ticket export, a table of ticket ids and creation times alone is
        // one keyed to its tickets (schedules, tags), not more tickets; alone, it is
        // the tickets there are.
        match files.tickets.is_empty() {
            true => files.tickets.append(&mut bare_tickets),
            false => {
                for path in bare_tickets.drain(..) {
                    if !quiet {
                        crate::say!(
                            "cxm: warning: {}: skipped, ticket ids and creation times alone beside the ticket export {} (a table keyed to its tickets?); a file named tickets* is read as tickets",
                            crate::text::path_shown(&path),
                            crate::text::path_shown(&files.tickets[0])
                        );
                    }
                }
            }
        }
        if files == ReportFiles::default() && !own_outputs.is_empty() {
            return Err(data_err!(
                "{}: no tickets, survey or subscription files found, only what cxm wrote ({}){}",
                crate::text::path_shown(dir),
                crate::text::files_listed(&own_outputs, ", "),
                said_not_read(dir)
            ));
        }
        let none_skipped = figures.is_empty() && unknown.is_empty() && empty_files.is_empty();
        if files == ReportFiles::default() && !none_skipped {
            let mut why = Vec::new();
            if !figures.is_empty() {
                why.push(format!(
                    "{}: {FIGURES}",
                    crate::text::files_listed(&figures, ", ")
                ));
            }
            if !unknown.is_empty() {
                why.push(format!(
                    "the headers of {} match no known kind of data (name a file tickets*, surveys*, responses* or subscriptions*, or map its columns with a [map.*] table of --config; `cxm inspect FILE` shows what its columns read as)",
                    crate::text::files_listed(&unknown, ", ")
                ));
            }
            if !empty_files.is_empty() {
                why.push(format!(
                    "{} empty",
                    crate::text::files_listed(&empty_files, ", ")
                ));
            }
            return Err(data_err!(
                "{}: no tickets, survey or subscription files found: {}{}{}",
                crate::text::path_shown(dir),
                why.join("; "),
                source::hidden_only(dir),
                said_not_read(dir)
            ));
        }
    }
    if files == ReportFiles::default() {
        return Err(match &req.dir {
            Some(dir) => data_err!(
                "{}: no tickets, survey or subscription files found (by name: tickets*, surveys*, responses*, subscriptions*, customers* as .csv, .tsv, .xlsx or .parquet, each also .gz; or by headers){}{}",
                crate::text::path_shown(dir),
                source::hidden_only(dir),
                said_not_read(dir)
            ),
            None => usage_err!(
                "give a DIR, --tickets, --surveys or --subscriptions (for report, also a saved report with --config)"
            ),
        });
    }
    Ok(files)
}

/// What a folder holds that looks like data cxm does not read
/// ([`source::not_read_in_folder`]), said in parentheses after an error (or nothing).
fn said_not_read(dir: &Path) -> String {
    let listed: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    let mut said = source::not_read_in_folder(&listed);
    let text = listed.iter().filter(|p| text_named_as_data(p));
    said.extend(text.map(|p| format!("{}: {TEXT_EXPORT}", crate::text::path_shown(p))));
    match said {
        said if said.is_empty() => String::new(),
        said => format!(" ({})", crate::text::files_listed(&said, "; ")),
    }
}

/// The kind of data a file holds by the config's `[map.*]` tables, when its headers
/// tell none: the table whose mapped columns it has, naming its required fields.
pub fn mapped_kind(headers: &[String], maps: &crate::request::SectionMaps) -> Option<Dataset> {
    let has = |column: &str| {
        (headers.iter()).any(|h| crate::text::same_in_any_case(h.trim(), column.trim()))
    };
    [
        (
            Dataset::Tickets,
            &maps.tickets,
            &["ticket_id", "created_at"][..],
        ),
        (Dataset::Events, &maps.events, &["ticket_id", "at"]),
        (
            Dataset::Surveys,
            &maps.surveys,
            &["submitted_at", "response_id"],
        ),
        (Dataset::Subscriptions, &maps.customers, &["customer_id"]),
    ]
    .into_iter()
    .filter(|(_, pairs, required)| {
        let mapped = |f: &str| pairs.iter().any(|(field, _)| field == f);
        !pairs.is_empty()
            && required.iter().any(|f| mapped(f))
            && pairs.iter().all(|(_, column)| has(column))
    })
    // Of two tables the file holds (tickets and surveys keyed alike), the one that
    // maps more of its columns; the first of equals.
    .fold(
        None,
        |best: Option<(Dataset, usize)>, (kind, pairs, _)| match best {
            Some((_, n)) if n >= pairs.len() => best,
            _ => Some((kind, pairs.len())),
        },
    )
    .map(|(kind, _)| kind)
}

/// Do these survey headers say whose or when each row is (a response id, a time, a
/// ticket or a customer), by their names or the config's `[map.surveys]`?
pub(crate) fn responses_told_apart(headers: &[String], configured: &[(String, String)]) -> bool {
    const TOLD: [&str; 4] = ["response_id", "submitted_at", "ticket_id", "customer_id"];
    let mapped = fields::map_headers("", headers, fields::SURVEY_FIELDS, &[]).unwrap_or_default();
    let has = |column: &str| {
        (headers.iter()).any(|h| crate::text::same_in_any_case(h.trim(), column.trim()))
    };
    TOLD.iter().any(|f| mapped.has(f))
        || (configured.iter()).any(|(f, c)| TOLD.contains(&f.as_str()) && has(c))
}

/// A `.txt` (or `.txt.gz`) file whose name names a kind of data and that reads as
/// an export (UTF-16 as Excel's Unicode Text, or a first line of delimited names),
/// not cxm's own table report.
fn text_named_as_data(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase());
    let text = name.is_some_and(|n| n.ends_with(".txt") || n.ends_with(".txt.gz"));
    text && path.is_file() && by_name(path).is_some() && tabbed_or_utf16(path) && !cxm_wrote(path)
}

/// Is this cxm's own CSV or NDJSON (a table of metrics, a tidy report, rejects)?
fn cxm_wrote(path: &Path) -> bool {
    let read = crate::request::Sources::default();
    let cxm_csv = headers(path, &read).is_ok_and(|((h, _), _, _)| fields::cxm_output(&h).is_some());
    cxm_csv || page_or_json(path).is_some()
}

/// Does the file start with a UTF-16 byte-order mark, or hold a tab, comma or
/// semicolon in its first line (of its first 4 KiB; a gzip's, decompressed)?
fn tabbed_or_utf16(path: &Path) -> bool {
    use std::io::Read;
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let gz = path.to_string_lossy().to_ascii_lowercase().ends_with(".gz");
    let mut reader: Box<dyn Read> = match gz {
        true => Box::new(flate2::read::MultiGzDecoder::new(file)),
        false => Box::new(file),
    };
    let mut head = vec![0u8; 4096];
    let n = reader.read(&mut head).unwrap_or(0);
    let head = &head[..n];
    let line = head.split(|&b| b == b'\n').next().unwrap_or(head);
    let delimited = line.iter().any(|b| matches!(b, b'\t' | b',' | b';'));
    head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) || delimited
}

/// Why a table of scores no one gave is skipped ([`responses_told_apart`]).
pub(crate) const FIGURES: &str = "scores without a response id, time, ticket or customer: a table of figures, not responses? (named surveys…, or given with --surveys, it is read)";

/// Why `tickets.txt` is skipped ([`text_named_as_data`]).
const TEXT_EXPORT: &str = "skipped, a .txt file (Excel's Unicode Text?), which a folder's report does not read: rename it .tsv, or give it with --tickets, --surveys, --subscriptions or --events";

/// The kind of data a folder's file is by its name (`tickets*`, `surveys*`, …).
pub(crate) fn by_name(path: &Path) -> Option<Dataset> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| name.starts_with(p));
    if starts(&["tickets"]) {
        Some(Dataset::Tickets)
    } else if starts(&["surveys", "responses"]) {
        Some(Dataset::Surveys)
    } else if starts(&["subscriptions", "customers"]) {
        Some(Dataset::Subscriptions)
    } else if starts(&["events"]) {
        Some(Dataset::Events)
    } else {
        None
    }
}

/// The sections of `report`'s tidy CSV (its first column).
pub(crate) const SECTIONS: [&str; 6] = [
    "tickets",
    "surveys",
    "churn",
    "compare",
    crate::compute::shape::DISTRIBUTION,
    crate::compute::shape::HEATMAP,
];

/// The `--sheet` to read `paths` with. A run of several workbooks (`all`) names one
/// sheet for all: where one of them has it, a workbook without it is read by its
/// first sheet (`None`), as it would be alone.
fn sheet_for(paths: &[PathBuf], sheet: Option<&String>, all: &[PathBuf]) -> Option<String> {
    let wanted = sheet?;
    let has = |p: &PathBuf| crate::input::excel::has_sheet(p, wanted);
    let lacking =
        paths.iter().any(|p| has(p) == Some(false)) && !paths.iter().any(|p| has(p) == Some(true));
    match lacking && all.iter().any(|p| has(p) == Some(true)) {
        true => None,
        false => Some(wanted.clone()),
    }
}

/// A file's column names (of `--sheet`'s sheet in a workbook, as it is read) and
/// whether it is a legacy Qualtrics export, its first row's first cell, and a
/// workbook's worksheets other than the one read (charts hold no table).
#[allow(clippy::type_complexity)]
fn headers(
    path: &Path,
    read: &crate::request::Sources,
) -> Result<((Vec<String>, bool), Option<String>, Vec<String>)> {
    let (encoding, delimiter) = (read.encoding, read.delimiter);
    let src = source::open_file_with(path, encoding, read.sheet.as_deref(), delimiter)?;
    let sniffed = source::sniff(&src, delimiter, 1)?;
    let first = (sniffed.sample.first()).and_then(|r| r.get(0).map(str::to_string));
    let names = crate::input::preset::column_names(sniffed.headers, &sniffed.sample);
    Ok((names, first, src.other_tables.clone()))
}

/// Does the file start (past blanks) as JSON (`{` or `[`, as `--format json` and
/// `ndjson` write it) or an HTML page (`<!doctype html`, `<html`)? A table or
/// Markdown document is not told: its openings are an export's too (a title over a
/// boxed title, a Markdown table under a heading), and reading it stops the run.
fn page_or_json(path: &Path) -> Option<&'static str> {
    use std::io::Read;
    let mut head = [0u8; 64];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    let start = head[..n].iter().position(|b| !b.is_ascii_whitespace())?;
    let text = head[start..n].to_ascii_lowercase();
    match text.first()? {
        b'{' | b'[' => Some("JSON"),
        _ if text.starts_with(b"<!doctype html") || text.starts_with(b"<html") => Some("HTML"),
        _ => None,
    }
}

/// Compute every section. With `--rejects`, each section writes its rejected rows to
/// a scratch file and the parts are merged into one CSV, also when a section fails
/// (`--strict`), as the single-dataset commands do.
pub fn compute(req: &ReportRequest) -> Result<Document> {
    let one = |r: &ReportRequest| compute_with_rejects(r).map_err(config_maps);
    let mut doc = one(&ReportRequest {
        compare_base: req.compare_previous,
        ..req.clone()
    })?;
    if req.compare_previous {
        let quiet = ReportRequest {
            compare_previous: false,
            compare_base: true,
            ..req.clone()
        };
        let (section, line) = compute::compare::section(&quiet, &doc, one)?;
        doc.header.push(line);
        doc.sections.insert(0, section);
        // The tests' bases are not figures of the report.
        doc.sections
            .retain(|s| s.key != compute::compare::FIRST_RESPONSES);
        for s in &mut doc.sections {
            for base in [SLA_TICKETS, TICKETS_BY_NOW] {
                s.report.table.drop_column(base);
            }
        }
        // With buckets, the previous window's own buckets, for the charts.
        if req.scope.every.is_some() && req.scope.by.is_empty() {
            let mut before = quiet.clone();
            before.scope.window = crate::calendar::previous_window(
                &req.scope.window,
                req.scope.period.as_deref(),
                req.scope.tz,
            )?;
            before.scope.period = None;
            before.rows.rejects = None;
            before.rows.verbose = false;
            before.quiet = true;
            before.ticket_shape = false;
            before.compare_base = false;
            let mut previous = one(&before)?;
            if let Some(every) = req.scope.every {
                let buckets = crate::calendar::window_buckets;
                doc.buckets = buckets(&req.scope.window, every, req.scope.tz);
                previous.buckets = buckets(&before.scope.window, every, req.scope.tz);
            }
            doc.previous = Some(Box::new(previous));
        }
    }
    Ok(doc)
}

/// `report` (and `customers`, `drivers`) take no `--map`: a hint to use one names the
/// config file's tables.
pub(crate) fn config_maps(e: crate::error::CxmError) -> crate::error::CxmError {
    config_maps_of(e, None)
}

/// [`config_maps`] for a command that takes `--map`: only a pair the config file
/// gave (`configured`) names its table; a hint or a pair typed stays `--map`.
pub(crate) fn config_maps_of(
    e: crate::error::CxmError,
    configured: Option<&[(String, String)]>,
) -> crate::error::CxmError {
    use crate::error::CxmError;
    let rewrite = |msg: String| map_hints_of(&msg, configured);
    match e {
        CxmError::Data(m) if m.contains("--map ") => CxmError::Data(rewrite(m)),
        CxmError::Usage(m) if m.contains("--map ") => CxmError::Usage(rewrite(m)),
        other => other,
    }
}

/// [`config_maps_of`] of a message (a warning too): each `--map` hint as the config
/// file's table where the command takes no `--map` (`configured`: `None`).
/// `s` as a TOML basic string, its quotes, backslashes and control characters
/// escaped.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if crate::text::unprintable(c) => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub(crate) fn map_hints_of(msg: &str, configured: Option<&[(String, String)]>) -> String {
    let mut out = String::new();
    let mut rest = msg;
    while let Some(at) = rest.find("--map ") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 6..];
        let mut end = after
            .find(|c: char| c.is_whitespace() || c == ')' || c == ',' || c == ';')
            .unwrap_or(after.len());
        // `--map f=c: …` ends before its colon.
        if after[..end].ends_with(':') {
            end -= 1;
        }
        // `--map f='a column'`, `--map f="Customer's team"` or `--map f=$'a\tb'` (as
        // `text::shell_word` writes them): the column in its quotes, spaces and all.
        let quoted = after.find('=').filter(|&eq| eq < end).and_then(|eq| {
            let (field, rest) = (&after[..eq], &after[eq + 1..]);
            let ansi = rest.starts_with("$'");
            let rest = rest.strip_prefix('$').unwrap_or(rest);
            let skipped = usize::from(ansi);
            let quote = rest.chars().next().filter(|q| matches!(q, '\'' | '"'))?;
            let (mut column, mut escaped) = (String::new(), false);
            let mut chars = rest.char_indices().skip(1);
            while let Some((i, c)) = chars.next() {
                match c {
                    _ if escaped && ansi => {
                        escaped = false;
                        match c {
                            't' => column.push('\t'),
                            'n' => column.push('\n'),
                            'r' => column.push('\r'),
                            'u' => {
                                let hex: String = chars.by_ref().take(4).map(|(_, h)| h).collect();
                                let decoded =
                                    u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
                                column.push(decoded.unwrap_or(char::REPLACEMENT_CHARACTER));
                            }
                            c => column.push(c),
                        }
                    }
                    _ if escaped => {
                        column.push(c);
                        escaped = false;
                    }
                    '\\' if quote == '"' || ansi => escaped = true,
                    c if c == quote => {
                        return Some((eq + 1 + skipped + i + 1, format!("{field}={column}")))
                    }
                    c => column.push(c),
                }
            }
            None
        });
        if let Some((close, _)) = &quoted {
            end = *close;
        }
        let written = &after[..end];
        let pair = quoted.as_ref().map_or(written, |(_, pair)| pair.as_str());
        let from_config = |field: &str, column: &str| {
            configured.is_none_or(|c| c.iter().any(|(f, k)| f == field && k == column))
        };
        match pair.split_once('=') {
            Some((field, column)) if !from_config(field, column) => {
                out.push_str("--map ");
                out.push_str(written);
            }
            Some((field, column)) => out.push_str(&format!(
                "{field} = {} in the {} table of the --config file",
                toml_string(column),
                map_tables(field)
            )),
            None if configured.is_some() => {
                out.push_str("--map ");
                out.push_str(written);
            }
            None => out.push_str("the [map.KIND] tables of the --config file"),
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The `[map.KIND]` tables of the config file a field can be mapped in.
fn map_tables(field: &str) -> String {
    use crate::input::fields::{CHURN_FIELDS, EVENT_FIELDS, SURVEY_FIELDS, TICKET_FIELDS};
    let tables: Vec<&str> = [
        ("[map.tickets]", TICKET_FIELDS),
        ("[map.surveys]", SURVEY_FIELDS),
        ("[map.customers]", CHURN_FIELDS),
        ("[map.events]", EVENT_FIELDS),
    ]
    .iter()
    .filter(|(_, fields)| fields.iter().any(|f| f.name == field))
    .map(|(table, _)| *table)
    .collect();
    match tables.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => "[map.tickets], [map.surveys], [map.customers] or [map.events]".to_string(),
    }
}

fn compute_with_rejects(req: &ReportRequest) -> Result<Document> {
    let Some(target) = &req.rows.rejects else {
        return compute_sections(req, None);
    };
    let scratch = crate::cleanup::temp_dir(".cxm-rejects-")
        .map_err(|e| crate::error::CxmError::Internal(format!("scratch directory: {e}")))?;
    let doc = compute_sections(req, Some(scratch.path()));
    let parts: Vec<PathBuf> = ["tickets", "surveys", "churn"]
        .iter()
        .map(|s| scratch.path().join(format!("{s}.csv")))
        .filter(|p| crate::render::is_staged(p) || p.exists())
        .collect();
    rejects::merge(&parts, target)?;
    doc
}

/// Under `--strict` a section's rejects fail the run only once every section has run,
/// so that `--rejects` holds them all and the error names every kind; a later section
/// that stops the run for another reason keeps them in its error.
fn compute_sections(req: &ReportRequest, rejects_dir: Option<&Path>) -> Result<Document> {
    let failed = std::cell::RefCell::new(Vec::new());
    let done = compute_sections_into(req, rejects_dir, &failed);
    let failed = failed.take();
    match done {
        Err(e) if !failed.is_empty() => match rejects::report(&failed, true, true) {
            Err(strict) => Err(e.also(&format!("also, in the sections before, {strict}"))),
            Ok(()) => Err(e),
        },
        done => done,
    }
}

fn compute_sections_into(
    req: &ReportRequest,
    rejects_dir: Option<&Path>,
    failed: &std::cell::RefCell<Vec<rejects::Rejected>>,
) -> Result<Document> {
    let files = find_files(req, req.quiet)?;
    let all = [Dataset::Tickets, Dataset::Surveys, Dataset::Subscriptions];
    preset::check(&req.read.presets, &all)?;
    // Each section reads with the presets for its kind of data.
    let workbooks: Vec<PathBuf> = (files.tickets.iter().chain(&files.surveys))
        .chain(files.subscriptions.iter().chain(&files.events))
        .filter(|_| req.read.sheet.is_some())
        .cloned()
        .collect();
    // The workbooks read by their first sheet for want of `--sheet`'s, said once.
    if let (Some(sheet), false) = (&req.read.sheet, req.quiet) {
        let kinds = [
            &files.tickets,
            &files.surveys,
            &files.subscriptions,
            &files.events,
        ];
        let lacking = kinds
            .into_iter()
            .filter(|p| sheet_for(p, Some(sheet), &workbooks).is_none());
        let workbook = |p: &&PathBuf| crate::input::excel::has_sheet(p, sheet) == Some(false);
        for path in lacking.flatten().filter(workbook) {
            crate::say!(
                "cxm: warning: {}: no sheet '{sheet}' (another workbook's): its first sheet is read",
                crate::text::path_shown(path)
            );
        }
    }
    let sources = |paths: &[PathBuf], map: &[(String, String)], dataset| Sources {
        paths: paths.to_vec(),
        map: map.to_vec(),
        presets: preset::reading(&req.read.presets, dataset),
        sheet: sheet_for(paths, req.read.sheet.as_ref(), &workbooks),
        ..req.read.clone()
    };
    // Compared, the previous window's rows are used too (by the comparison's run).
    let used_since = match req.compare_base {
        true => req.scope.previous()?.window.since,
        false => None,
    };
    let rows = |section: &str| RowHandling {
        rejects: rejects_dir.map(|d| d.join(format!("{section}.csv"))),
        used_since,
        ..req.rows.clone()
    };
    let mut header = vec![describe_window(&req.scope)];
    header.extend(describe_filters(&req.read.filters));
    let mut sections = Vec::new();
    // Once each: two sections reading one file (a ticket export's own CSAT) would
    // say the same of it twice.
    let said = std::cell::RefCell::new(std::collections::HashSet::new());
    let warn = |msg: String| {
        let msg = map_hints_of(&msg, None);
        if !req.quiet && said.borrow_mut().insert(msg.clone()) {
            crate::say!("cxm: warning: {msg}");
        }
    };
    let report = |rejected: Vec<rejects::Rejected>| -> Result<()> {
        let fails = req.rows.strict && rejected.iter().any(|r| !r.rule.warn_only);
        match fails {
            true => failed.borrow_mut().extend(rejected),
            false => rejects::report(&rejected, req.rows.strict, req.quiet)?,
        }
        Ok(())
    };
    let names = GroupNames::default();
    // The `--by` columns a section lacks, said once every section is read: a column
    // none of them has is an error alone, not a warning per section before it.
    let lacking = std::cell::RefCell::new(Vec::new());
    // A section from its figures: its rejects said, then its warnings.
    let finished = |key: &str, title: &str, done: Computed, scope: &Scope, notes: Vec<String>| {
        report(done.rejected)?;
        lacking.borrow_mut().extend(notes);
        done.warnings.iter().for_each(|w| warn(w.clone()));
        section(key, title, &done.metrics, scope, &names)
    };
    // The tickets, opened once: their section, and the join of the surveys.
    let mut tickets = None;
    // The tickets responses are attributed through: all of them, `--where` aside
    // (the responses cannot apply a ticket column's condition, and are not filtered by
    // it, so each keeps its own ticket's group).
    let mut lookup = None;
    let mut applied: Vec<String> = Vec::new();

    if !files.tickets.is_empty() || !files.events.is_empty() {
        let mut t = TicketsRequest {
            sources: sources(&files.tickets, &req.maps.tickets, Dataset::Tickets),
            scope: req.scope.clone(),
            rows: rows("tickets"),
            time_unit: req.time_unit,
            sla_secs: req.sla_secs,
            sla_given: req.sla_given,
            keep: req.keep,
            schedule: req.schedule.clone(),
            sla_policies: req.sla_policies.clone(),
            per_ticket: false,
            // `--where` reads the ticket files; a log's events belong to its tickets.
            events: (!files.events.is_empty()).then(|| Sources {
                filters: Vec::new(),
                ..sources(&files.events, &req.maps.events, Dataset::Events)
            }),
            statuses: req.statuses.clone(),
            count_reopened: false,
            compare_bases: req.compare_base,
        };
        if files.tickets.is_empty() {
            // An event log alone: its tickets (and no ticket file for the surveys).
            // A group the log has no column for is dropped from its section, as
            // another section's data lacking a `--by` column; a `--where` condition
            // applies where the log says it of a ticket (its last group or assignee,
            // its id), else not to this section.
            let mut notes = Vec::new();
            let log = compute::events::open(&t)?;
            // A log gives its tickets' last group and assignee alone.
            for by in t.scope.by.clone() {
                if !["team", "agent"]
                    .iter()
                    .any(|n| crate::text::same_word(&by, n))
                {
                    notes.push(format!(
                        "tickets: no column or field '{by}' in its data (an event log alone gives team and agent); that section is not grouped by it"
                    ));
                    t.scope.by.retain(|b| *b != by);
                }
            }
            if let Some(log) = &log {
                for (by, _) in compute::tickets::log_lacks(log, &t.scope.by) {
                    notes.push(format!(
                        "tickets: no column or field '{by}' in its data; that section is not grouped by it"
                    ));
                    t.scope.by.retain(|b| *b != by);
                }
            }
            let reads = |c: &Condition| match compute::events::LogTicket::of(c) {
                Some(compute::events::LogTicket::Group) => {
                    log.as_ref().is_some_and(|l| l.has("group"))
                }
                Some(compute::events::LogTicket::Assignee) => {
                    log.as_ref().is_some_and(|l| l.has("assignee"))
                }
                Some(compute::events::LogTicket::Id) => true,
                None => false,
            };
            let (read, not_read): (Vec<Condition>, Vec<Condition>) =
                t.sources.filters.iter().cloned().partition(|c| reads(c));
            let gives = "team (a ticket's last group), agent (its last assignee) and ticket_id";
            let alone = files.surveys.is_empty() && files.subscriptions.is_empty();
            if let Some(c) = not_read.first().filter(|_| alone) {
                return Err(crate::usage_err!(
                    "--where {}: an event log alone gives {gives}; give the ticket files for other columns",
                    crate::text::condition_shown(&c.text)
                ));
            }
            for c in &not_read {
                warn(format!(
                    "--where {}: the tickets come from an event log alone, which gives {gives}, so they are not filtered by it",
                    crate::text::condition_shown(&c.text)
                ));
            }
            applied.extend(read.iter().map(|c| c.text.clone()));
            t.sources.filters = read;
            let mut done = compute::tickets::compute(&t)?;
            let first_responses = done.first_responses.take();
            header.push(format!(
                "tickets: derived from the event log {} ({} events read)",
                files_named(&files.events),
                done.rows_read
            ));
            header.push(crate::request::sla_line(t.sla_secs, None, &t.sla_policies));
            sections.push(finished("tickets", "Tickets", done, &t.scope, notes)?);
            if req.ticket_shape {
                sections.extend(compute::shape::sections(&t)?);
            }
            if let Some(values) = first_responses {
                sections.push(compute::compare::first_responses(values)?);
            }
        } else {
            let opened = compute::tickets::open(&t)?;
            applied.extend(compute::filters_applied(&opened));
            let (by, notes) = usable_by(&t.scope.by, &[&opened], "tickets")?;
            t.scope.by = by;
            let mut done = compute::tickets::compute_on(&opened, &t)?;
            let first_responses = done.first_responses.take();
            header.push(describe_files("tickets", &opened, done.rows_read));
            header.push(crate::request::sla_line(
                t.sla_secs,
                done.sla_verdict.as_deref(),
                &t.sla_policies,
            ));
            if let Some(events) = done.events_read {
                // The log's columns are the section's too: say where they come from.
                header.push(format!(
                    "events: {} ({events} rows)",
                    files_named(&files.events)
                ));
            }
            sections.push(finished("tickets", "Tickets", done, &t.scope, notes)?);
            if req.ticket_shape {
                sections.extend(compute::shape::sections(&t)?);
            }
            if let Some(values) = first_responses {
                sections.push(compute::compare::first_responses(values)?);
            }
            if opened.is_filtered() && !files.surveys.is_empty() {
                let mut all = t.clone();
                all.sources.filters.clear();
                lookup = Some(compute::tickets::open(&all)?);
            }
            tickets = Some(opened);
        }
    }

    // A ticket export's own CSAT (Zendesk's `Satisfaction Score`) stands in for a
    // survey file.
    let own_csat = match (&tickets, files.surveys.is_empty()) {
        (Some(t), true) => embedded_responses(t, &files.tickets, &req.read, &warn),
        _ => None,
    };
    if let Some((column, sources)) = own_csat {
        let s = SurveysRequest {
            sources,
            tickets: None,
            scope: req.scope.clone(),
            rows: rows("surveys"),
            scales: req.scales.clone(),
            labels: req.labels.clone(),
            compare_previous: false,
            last_nps: false,
            keep: req.keep,
            uses: Vec::new(),
            only_uses: false,
        };
        let mut responses = compute::surveys::open_responses(&s)?;
        responses.read_as = Some(own_csat_read_as(&column));
        applied.extend(compute::filters_applied(&responses));
        let mut s = s;
        // Each rating is its ticket's: `--by team` reads the ticket's team.
        let via = lookup.as_ref().or(tickets.as_ref());
        let mut sides = vec![&responses];
        sides.extend(via);
        let (by, notes) = usable_by(&s.scope.by, &sides, "surveys")?;
        s.scope.by = by;
        let done = compute::surveys::compute_on(&responses, via, &s)?;
        header.push(format!(
            "surveys: the tickets' own '{column}' (by ticket creation), {} rows",
            done.rows_read
        ));
        sections.push(finished("surveys", "Surveys", done, &s.scope, notes)?);
    }

    if !files.surveys.is_empty() {
        let mut s = SurveysRequest {
            sources: sources(&files.surveys, &req.maps.surveys, Dataset::Surveys),
            tickets: None,
            scope: req.scope.clone(),
            rows: rows("surveys"),
            scales: req.scales.clone(),
            labels: req.labels.clone(),
            compare_previous: false,
            last_nps: false,
            keep: req.keep,
            uses: Vec::new(),
            only_uses: false,
        };
        let responses = compute::surveys::open_responses(&s)?;
        applied.extend(compute::filters_applied(&responses));
        let via = lookup
            .as_ref()
            .or(tickets.as_ref())
            .filter(|_| responses.has("ticket_id"));
        if let Some(t) = via {
            compute::surveys::check_join(t, &responses)?;
        }
        let mut sides = vec![&responses];
        sides.extend(via);
        let (by, notes) = usable_by(&s.scope.by, &sides, "surveys")?;
        s.scope.by = by;
        let done = compute::surveys::compute_on(&responses, via, &s)?;
        let mut line = describe_files("surveys", &responses, done.rows_read);
        if via.is_some() {
            line += ", attributed to tickets by ticket_id";
        }
        header.push(line);
        sections.push(finished("surveys", "Surveys", done, &s.scope, notes)?);
    }

    if !files.subscriptions.is_empty() {
        let mut c = ChurnRequest {
            sources: sources(
                &files.subscriptions,
                &req.maps.customers,
                Dataset::Subscriptions,
            ),
            scope: req.scope.clone(),
            rows: rows("churn"),
            inactive_after: None,
            view: ChurnView::Buckets { movements: false },
        };
        let opened = compute::churn::open(&c)?;
        applied.extend(compute::filters_applied(&opened));
        let (by, notes) = usable_by(&c.scope.by, &[&opened], "churn")?;
        c.scope.by = by;
        if Mode::choose(&opened, false)? == Mode::Snapshot {
            // A snapshot has no dates: the window does not apply to it.
            (c.scope.window, c.scope.period, c.scope.every) = (Window::default(), None, None);
        } else {
            // Where MRR moved, whenever there is MRR.
            c.view = ChurnView::Buckets {
                movements: compute::churn::has_mrr(&opened),
            };
        }
        if Mode::choose(&opened, false)? != Mode::Snapshot && c.scope.every.is_none() {
            c.scope.every = Some(
                c.scope
                    .period
                    .as_deref()
                    .and_then(period_unit)
                    .unwrap_or(Every::Month),
            );
        }
        let (done, note) = compute::churn::compute_on(&opened, &c)?;
        header.push(format!(
            "{}; {note}",
            describe_files("churn", &opened, done.rows_read)
        ));
        sections.push(finished("churn", "Churn", done, &c.scope, notes)?);
    }
    rejects::report(&failed.take(), req.rows.strict, req.quiet)?;

    compute::check_filters_applied(&req.read.filters, &applied)?;
    // A column no section has is a typo (`--by`, a saved report's `by`), not a
    // grouping; the config file's top-level `by` serves other files too.
    let unknown = req.scope.by.iter().find(|b| names.of(b).is_none());
    if let Some(b) = unknown.filter(|_| !req.scope.by_configured) {
        return Err(crate::data_err!(
            "{}: none of the report's data has such a field or column",
            req.scope.by_named(b)
        ));
    }
    lacking.take().into_iter().for_each(&warn);
    let by: Vec<String> = (req.scope.by.iter())
        .map(|b| names.of(b).unwrap_or_else(|| b.clone()))
        .collect();
    // The window's line names the group columns as the sections do.
    header[0] = describe_window(&Scope {
        by: by.clone(),
        ..req.scope.clone()
    });
    Ok(Document {
        title: "CX report".into(),
        header,
        sections,
        previous: None,
        buckets: Vec::new(),
        by,
    })
}

/// What a file that holds no data holds: nothing (`empty (0 bytes)`), or only
/// Excel's `sep=;` line and blank lines; None for any other file.
fn holds_nothing(path: &std::path::Path) -> Option<&'static str> {
    let len = std::fs::metadata(path).ok()?.len();
    if len == 0 {
        return Some("empty (0 bytes)");
    }
    // Its first 64 KiB (of what a gzip holds): a file of blank lines is no longer.
    use std::io::Read;
    let mut head = Vec::new();
    let file = std::fs::File::open(path).ok()?;
    file.take(64 << 10).read_to_end(&mut head).ok()?;
    let mut bytes = head;
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut inner = Vec::new();
        (flate2::read::MultiGzDecoder::new(&bytes[..]).take(64 << 10))
            .read_to_end(&mut inner)
            .ok()?;
        bytes = inner;
    }
    // UTF-16 (Excel's Unicode Text), by its mark: its blanks are a NUL byte apart.
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        bytes = bytes[2..].iter().copied().filter(|&b| b != 0).collect();
    }
    // As much as that is read as data, whatever it holds.
    if bytes.len() >= 64 << 10 {
        return None;
    }
    let text = String::from_utf8_lossy(&bytes);
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let Some(first) = lines.next() else {
        // A byte-order mark, blank lines: no header.
        return Some("empty (no header line)");
    };
    let only_sep = first
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case("sep="))
        && first.len() <= 5;
    (only_sep && lines.next().is_none()).then_some("empty (only a sep= line)")
}

/// The `--by` columns some input of the section has, and a note for each of the
/// rest, which are dropped. A column its files spell differently, or that only some
/// of its files have, is an error, as in its command.
fn usable_by(
    by: &[String],
    inputs: &[&Input],
    section: &str,
) -> Result<(Vec<String>, Vec<String>)> {
    let (mut kept, mut notes) = (Vec::new(), Vec::new());
    for b in by {
        if inputs.iter().any(|i| i.has_column(b)) {
            kept.push(b.clone());
            continue;
        }
        // Some of a section's files have it: its command's error, not a section
        // left ungrouped.
        for input in inputs {
            input.has_usable_column(b)?;
        }
        notes.push(format!(
            "{section}: no column or field '{b}' in its data; that section is not grouped by it"
        ));
    }
    Ok((kept, notes))
}

fn section(
    key: &str,
    title: &str,
    df: &polars::prelude::DataFrame,
    scope: &Scope,
    names: &GroupNames,
) -> Result<Section> {
    // A group column is named as the first section to have it names it (as its
    // own command does: `--by TEAM` is `team`, `--by 'region name'` a file's
    // `Region Name`), in every section: another file's `REGION NAME` takes that name.
    let mut df = df.clone();
    let mut groups = Vec::new();
    for b in &scope.by {
        let shown = names.of(b);
        let found = df
            .get_column_names()
            .into_iter()
            .find(|c| Some(c.as_str()) == shown.as_deref() || c.as_str() == b)
            .or_else(|| {
                (df.get_column_names().into_iter()).find(|c| crate::text::same_in_any_case(c, b))
            })
            .map(|c| c.to_string());
        let Some(found) = found else {
            groups.push(shown.unwrap_or_else(|| b.clone()));
            continue;
        };
        let name = match shown {
            Some(name) => name,
            None => {
                names.set(b, &found);
                found.clone()
            }
        };
        if found != name && !df.get_column_names().iter().any(|n| n.as_str() == name) {
            df.rename(found.as_str(), name.as_str().into())?;
        }
        groups.push(name);
    }
    Ok(Section {
        key: key.into(),
        report: Report {
            title: title.into(),
            table: Table::from_frame(&df, scope.every)?,
        },
        groups,
    })
}

/// The name each `--by` column is shown by across the report's sections, as given
/// `--by` (in any case).
#[derive(Default)]
struct GroupNames(std::cell::RefCell<Vec<(String, String)>>);

impl GroupNames {
    fn of(&self, by: &str) -> Option<String> {
        let names = self.0.borrow();
        names.iter().find(|(b, _)| b == by).map(|(_, n)| n.clone())
    }

    fn set(&self, by: &str, name: &str) {
        self.0.borrow_mut().push((by.to_string(), name.to_string()));
    }
}

/// A CSAT column inside the ticket files, and the survey column map that reads it:
/// the score, the ticket's creation as the time, its id as the response id.
/// A ticket export's own CSAT column and the sources that read the ticket files as
/// responses: each rating is its ticket's (by the ticket id, at its creation), and a
/// `--where` on a ticket field reads the column the tickets read for it. None when
/// some ticket file lacks the column (said through `warn`).
pub fn embedded_responses(
    tickets: &Input,
    paths: &[PathBuf],
    read: &Sources,
    warn: &dyn Fn(String),
) -> Option<(String, Sources)> {
    let (column, map) = embedded_csat(tickets)?;
    // Each file's column is found as a `--map` finds it: in any case.
    let holds = |headers: &[String]| {
        (headers.iter()).any(|h| crate::text::same_in_any_case(h.trim(), column.trim()))
    };
    if let Some(lacking) = (tickets.files.iter()).find(|f| !holds(&f.sniffed.headers)) {
        let name = &lacking.source.name;
        warn(match embedded_csat_column(&lacking.sniffed.headers) {
            Some(own) => format!(
                "{name}: its CSAT column is '{own}', the other ticket files' '{column}': their own CSAT is not read as survey responses (give the files one name, or the ratings with --surveys)"
            ),
            None => format!(
                "{name}: no '{column}' column, which the other ticket files hold: their own CSAT is not read as survey responses (give it with --surveys)"
            ),
        });
        return None;
    }
    let mapping = tickets.mapping();
    let filters = (read.filters.iter())
        .map(|c| match tickets.group_column(&c.column).ok() {
            Some(GroupColumn::Field(f)) => mapping.get(f).map(str::to_string),
            // Each file's own spelling of the name typed, found again by it.
            Some(GroupColumn::Raw(_)) => None,
            None => None,
        })
        .zip(&read.filters)
        .map(|(column, c)| Condition {
            column: column.unwrap_or_else(|| c.column.clone()),
            ..c.clone()
        })
        .collect();
    let sources = Sources {
        paths: paths.to_vec(),
        map,
        presets: Vec::new(),
        filters,
        ..read.clone()
    };
    Some((column, sources))
}

fn embedded_csat(tickets: &Input) -> Option<(String, Vec<(String, String)>)> {
    // In any of the files: one lacking it is said by the caller.
    let column = (tickets.files.iter()).find_map(|f| embedded_csat_column(&f.sniffed.headers))?;
    let mapping = tickets.mapping();
    let mut map = vec![("csat".to_string(), column.clone())];
    // The ticket's own id too, so that `--by team` finds each rating's ticket.
    for (survey_field, ticket_field) in [
        ("submitted_at", "created_at"),
        ("response_id", "ticket_id"),
        ("ticket_id", "ticket_id"),
    ] {
        if let Some(c) = mapping.get(ticket_field) {
            map.push((survey_field.to_string(), c.to_string()));
        }
    }
    Some((column.clone(), map))
}

/// How a ticket export's own CSAT `column` is read, for the lines that name its files.
pub fn own_csat_read_as(column: &str) -> String {
    format!("the tickets' own '{column}' read as survey responses")
}

/// A ticket export's own CSAT column, by its name.
pub fn embedded_csat_column(headers: &[String]) -> Option<&String> {
    headers.iter().find(|h| {
        matches!(
            crate::input::fields::normalize(h).as_str(),
            "satisfactionscore"
                | "satisfactionrating"
                | "csat"
                | "csatscore"
                // Intercom's conversations export: 1 to 5 stars.
                | "conversationrating"
        )
    })
}

/// Paths as the header names them, joined by ` + `.
fn files_named(paths: &[PathBuf]) -> String {
    let named = |p: &PathBuf| match p.as_os_str() == "-" {
        true => "<stdin>".to_string(),
        false => crate::text::path_shown(p),
    };
    crate::text::files_listed(&paths.iter().map(named).collect::<Vec<_>>(), " + ")
}

fn describe_files(section: &str, input: &Input, rows: u64) -> String {
    let names: Vec<&str> = input.files.iter().map(|f| f.source.name.as_str()).collect();
    let unit = if rows == 1 { "row" } else { "rows" };
    format!(
        "{section}: {} ({rows} {unit})",
        crate::text::files_listed(&names, " + ")
    )
}

fn describe_window(scope: &Scope) -> String {
    format!("window: {}", scope.describe())
}

/// The `--where` conditions, as the report's header says them.
fn describe_filters(filters: &[crate::input::filter::Condition]) -> Option<String> {
    (!filters.is_empty()).then(|| {
        let texts: Vec<&str> = filters.iter().map(|c| c.text.as_str()).collect();
        format!("where: {}", texts.join(" and "))
    })
}
