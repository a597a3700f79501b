//! `cxm inspect`: what cxm sees in a file before any metric runs. Each column's
//! field, the type and format of its sampled values, and the problems a metric
//! command would meet.

use std::collections::BTreeMap;

use chrono_tz::Tz;

use crate::compute::events::yes_no_word;
use crate::compute::{churn, surveys};
use crate::error::Result;
use crate::input::fields::{classify, normalize, Dataset, Kind};
use crate::input::source::{self, FileFormat};
use crate::input::timestamp::{self, Detected};
use crate::input::{preset, records, Input};
use crate::metrics::events::EventWords;
use crate::metrics::surveys::{is_answer, score_reason, Measure, Scale, Shape};
use crate::report::{Table, Value};
use crate::request::{Labels, SectionMaps, Sources};
use polars::prelude::{col, Column, DataFrame, Expr, IntoLazy};

/// What [`inspect`] found.
pub struct Findings {
    /// The file's name.
    pub file: String,
    /// The file, its rows, columns and layout, and how many rows were sampled.
    pub summary: String,
    /// The kind of data the headers match (or why none).
    pub kind: String,
    /// The preset read with, and whether it was detected from the headers.
    pub preset: Option<(&'static preset::Preset, bool)>,
    /// One row per column: its field, type, format, empties and an example.
    pub columns: Table,
    /// The vendor's own business-hours columns and what each holds.
    pub business: Vec<(String, &'static str)>,
    pub problems: Vec<String>,
    /// The summary's figures: rows, columns and rows sampled.
    pub counts: [u64; 3],
    /// What `cxm report DIR` makes of it beside the folder's other files.
    folder_role: FolderRole,
    /// The day/month order its dates tell, where they tell one.
    order_told: Option<timestamp::Order>,
    /// The problem saying its every date reads both ways (a stop, or month-first
    /// taken for a 12-hour clock), which the folder's other files may settle.
    order_unsettled: Option<usize>,
}

/// How `cxm report DIR` takes a file of tickets beside the other files of its folder.
#[derive(Clone, Copy, PartialEq)]
enum FolderRole {
    /// A ticket export: the tickets there are.
    Export,
    /// An event log: the tickets it tells of.
    Log,
    /// Ticket ids and creation times alone: a table keyed to the tickets of an export.
    KeyedToTickets,
    /// `tickets --per-ticket`'s table: worked out from an export or a log.
    PerTicket,
    Other,
}

/// Inspect each file on its own (files of different kinds or layouts are what one
/// wants told apart), timestamps without an offset read in `tz`.
/// `maps`: the config file's column maps, each kind's for the files of that kind
/// (after `--map`, which wins); `statuses`, the status words an event log's are read by.
pub fn inspect(
    sources: &Sources,
    maps: &SectionMaps,
    statuses: &EventWords,
    (scales_given, labels): (&[(String, String)], &Labels),
    tz: Tz,
) -> Result<Vec<Findings>> {
    // Resolved once: stdin (or a pipe) can be read only once.
    let resolved = source::resolve_with(
        &sources.paths,
        sources.encoding,
        sources.sheet.as_deref(),
        sources.delimiter,
    )?;
    let mut found = (resolved.into_iter())
        .map(|file| inspect_file(file, sources, maps, statuses, (scales_given, labels), tz))
        .collect::<Result<Vec<Findings>>>()?;
    told_beside_tickets(&mut found);
    orders_told_beside(&mut found);
    Ok(found)
}

/// A file whose every date reads both ways, among files of its kind that all tell
/// one order, is read in that order by the metric commands given them together
/// (`tickets DIR`): said so, rather than its stop or the month-first taken alone.
fn orders_told_beside(found: &mut [Findings]) {
    use timestamp::Order;
    let told: Vec<(String, Order, String)> = (found.iter())
        .filter_map(|f| Some((f.kind.clone(), f.order_told?, f.file.clone())))
        .collect();
    for f in found.iter_mut() {
        let Some(at) = f.order_unsettled else {
            continue;
        };
        let theirs: Vec<&(String, Order, String)> =
            told.iter().filter(|(kind, _, _)| *kind == f.kind).collect();
        let Some((_, order, by)) = theirs.first() else {
            continue;
        };
        if theirs.iter().any(|(_, o, _)| o != order) {
            continue;
        }
        let way = match order {
            Order::DayFirst => "day-first",
            _ => "month-first",
        };
        f.problems[at] = format!(
            "{}: every date reads both as month-first and as day-first: read {way} given with {by}, as it writes its dates (alone, it would not be)",
            f.file
        );
    }
}

/// A table `cxm report DIR` skips beside the tickets of its folder, inspected with
/// them, is said to be: on its own, it is the tickets there are.
fn told_beside_tickets(found: &mut [Findings]) {
    // The folder itself, however the path spells it (`./d`, `d`).
    let folder = |f: &Findings| {
        let parent = std::path::Path::new(&f.file).parent()?;
        let parent = match parent.as_os_str().is_empty() {
            true => std::path::Path::new("."),
            false => parent,
        };
        Some(std::fs::canonicalize(parent).unwrap_or_else(|_| parent.to_path_buf()))
    };
    let sources: Vec<(Option<std::path::PathBuf>, String, bool)> = (found.iter())
        .filter(|f| matches!(f.folder_role, FolderRole::Export | FolderRole::Log))
        .map(|f| {
            (
                folder(f),
                f.file.clone(),
                f.folder_role == FolderRole::Export,
            )
        })
        .collect();
    for f in found.iter_mut() {
        let here = folder(f);
        let beside = |export_only: bool| {
            (sources.iter())
                .filter(|(dir, _, export)| *dir == here && (*export || !export_only))
                .map(|(_, name, _)| name.as_str())
                .next()
        };
        let note = match f.folder_role {
            FolderRole::KeyedToTickets => beside(true).map(|export| format!(
                "`cxm report DIR` skips it beside the ticket export {export}: ticket ids and creation times alone (a table keyed to its tickets?); a file named tickets* is read as tickets"
            )),
            FolderRole::PerTicket => beside(false).map(|source| format!(
                "`cxm report DIR` skips it beside {source}: a table of tickets --per-ticket (cxm's), worked out from them, would count each ticket twice; an export of these columns is read when its name starts with tickets"
            )),
            FolderRole::Export | FolderRole::Log | FolderRole::Other => None,
        };
        f.problems.extend(note);
    }
}

/// [`inspect`] of one file; the kind of data judged from its headers (tickets when
/// unsure).
fn inspect_file(
    file: source::Source,
    sources: &Sources,
    maps: &SectionMaps,
    statuses: &EventWords,
    (scales_given, labels): (&[(String, String)], &Labels),
    tz: Tz,
) -> Result<Findings> {
    let sniffed = source::sniff(&file, sources.delimiter, 1)?;
    // A legacy Qualtrics export's names are in its second row.
    let (headers, legacy) = crate::input::preset::column_names(sniffed.headers, &sniffed.sample);
    // `--map`'s fields tell the kind where the headers do not (or tell another):
    // the metric command given them reads the file so.
    let fits = |d: &Dataset| {
        let fields = d.fields();
        (sources.map.iter()).all(|(f, _)| fields.iter().any(|x| x.name == f))
    };
    let by_map = || {
        let kinds = [
            Dataset::Tickets,
            Dataset::Surveys,
            Dataset::Subscriptions,
            Dataset::Events,
        ];
        kinds
            .into_iter()
            .find(fits)
            .filter(|_| !sources.map.is_empty())
    };
    // The headers as `--map` names them: `customer_id` beside a start date is a
    // subscription's.
    let renamed: Vec<String> = (headers.iter())
        .map(|h| {
            let mapped = (sources.map.iter())
                .find(|(_, c)| crate::text::same_in_any_case(c.trim(), h.trim()));
            mapped.map_or_else(|| h.clone(), |(f, _)| f.clone())
        })
        .collect();
    let dataset = match legacy {
        true => Some(Dataset::Surveys),
        false => match classify(&headers).or_else(|| super::report::mapped_kind(&headers, maps)) {
            Some(kind) if fits(&kind) => Some(kind),
            other => (classify(&renamed).filter(fits)).or_else(by_map).or(other),
        },
    };
    let kind = dataset.unwrap_or(Dataset::Tickets);
    let fields = kind.fields();
    let configured = match kind {
        Dataset::Tickets => &maps.tickets,
        Dataset::Surveys => &maps.surveys,
        Dataset::Subscriptions | Dataset::ChurnSnapshot => &maps.customers,
        Dataset::Events => &maps.events,
    };
    let mut sources = sources.clone();
    for (field, column) in configured {
        if !sources.map.iter().any(|(f, _)| f == field) {
            sources.map.push((field.clone(), column.clone()));
        }
    }
    // How `cxm report DIR` would sort it: by its name first.
    let named = super::report::by_name(std::path::Path::new(&file.name));
    let input = Input::open_sources(vec![file], &sources, fields, tz, false)?;
    // What reading left aside (a sheet's cells right of its header).
    let mut problems: Vec<String> = super::source_notes(&input);
    problems.extend(input.unfitting_presets());
    problems.extend(input.mangled_ids());
    // Presets asked for, none of them of this file's kind: why they do not fit (the
    // metric commands refuse them; of a list, each serves its own kind).
    let asked: Vec<&preset::Preset> = (sources.presets.iter())
        .filter_map(|name| preset::find(name))
        .collect();
    let headers = &input.files[0].sniffed.headers;
    let figures = dataset == Some(Dataset::Surveys)
        && named.is_none()
        && !super::report::responses_told_apart(headers, &maps.surveys);
    if figures {
        problems.push(format!(
            "`cxm report DIR` skips it: {}",
            super::report::FIGURES
        ));
    }
    let folder_role = match named {
        Some(Dataset::Tickets) => FolderRole::Export,
        Some(Dataset::Events) => FolderRole::Log,
        Some(_) => FolderRole::Other,
        None if crate::input::fields::per_ticket_table(headers) => FolderRole::PerTicket,
        None if crate::input::fields::bare_tickets(headers) => FolderRole::KeyedToTickets,
        None if dataset == Some(Dataset::Tickets) => FolderRole::Export,
        None if dataset == Some(Dataset::Events) => FolderRole::Log,
        None => FolderRole::Other,
    };
    if named == Some(Dataset::Events) && dataset != Some(Dataset::Events) {
        problems.push(
            "named events…: `cxm report DIR` reads it as an event log whatever its headers say (named otherwise, it is read as shown here)".into(),
        );
    }
    // A preset whose whole signature the headers carry reads this file (ServiceNow's
    // audit log, an event log that its ticket preset reads as incidents).
    let recognised = |p: &&preset::Preset| p.signature_found(headers) == p.signature.len();
    // The config's presets serve many files: one for another kind of data is not
    // this file's (each command takes the presets of what it reads).
    if !asked.is_empty()
        && !sources.presets_configured
        && !asked.iter().any(|p| p.dataset.reads(fields))
        && !asked.iter().any(recognised)
    {
        problems.extend(asked.iter().map(|p| {
            crate::input::preset_misfit(headers, p).unwrap_or_else(|| {
                format!(
                    "--preset {}: it reads the {}, another kind of data than this file's ({}): it does not read this file",
                    p.name,
                    p.export(),
                    kind.describe()
                )
            })
        }));
    }
    let kind = match dataset {
        Some(Dataset::Subscriptions) | Some(Dataset::ChurnSnapshot) => {
            match churn::Mode::choose(&input, false) {
                Ok(mode) => {
                    // A price in a currency's smallest unit, as the command warns.
                    if mode == churn::Mode::Subscriptions {
                        problems.extend(churn::minor_units(&input));
                    }
                    // Named by the churn it reads (a config's map of a flag too).
                    let data = match mode {
                        churn::Mode::Snapshot => Dataset::ChurnSnapshot,
                        _ => Dataset::Subscriptions,
                    };
                    format!("{}; {}", data.describe(), mode.describe(&input))
                }
                Err(e) => e.to_string(),
            }
        }
        Some(d) => d.describe().to_string(),
        None => {
            problems.push(match crate::input::fields::cxm_output(headers) {
                Some(what) => format!("{what}, not data: `cxm report DIR` skips it; shown as tickets"),
                None => "the headers match no known kind of data (tickets, survey responses, subscriptions, churn snapshot); shown as tickets".into(),
            });
            "unknown".into()
        }
    };
    // Scores on another scale than the default stop `cxm surveys`; on it, each
    // measure's cells are judged below.
    let mut scales: Vec<(Measure, Scale)> = Vec::new();
    let mut shape = None;
    // The fields of a survey layout the commands do not read beside the other.
    let mut unread_layout: &[&str] = &[];
    if dataset == Some(Dataset::Surveys) {
        match surveys::shape(&input) {
            Ok(s) => {
                shape = Some(s);
                for m in Measure::ALL {
                    // A scale given in the config is read, as the metric commands read it.
                    let given = scales_given.iter().rev().find(|(g, _)| g == m.name());
                    let scale = match given {
                        Some((_, name)) => match Scale::parse(m, name) {
                            Some(scale) => Ok(surveys::given_scale(&input, s, m, scale)),
                            None => {
                                problems.push(format!(
                                    "scale {}={name}: unknown scale (known: {})",
                                    m.name(),
                                    Scale::names(m)
                                ));
                                continue;
                            }
                        },
                        None => match surveys::default_scale_misfit(&input, s, m) {
                            Some(misfit) => Err(misfit),
                            None => Ok(surveys::default_scale(&input, s, m)),
                        },
                    };
                    match scale {
                        // The metric commands stop on it.
                        Err(misfit) => problems.push(format!(
                            "{misfit} (the metric commands stop here, exit 3, until it is given)"
                        )),
                        Ok(scale) => {
                            let extra = match m {
                                Measure::Csat => &labels.csat,
                                Measure::Ces => &labels.ces,
                                Measure::Nps => &labels.nps,
                            };
                            // A bad label in the config stops the metric commands
                            // before any cell is read.
                            match scale.with_labels(m, extra, labels.file.as_deref()) {
                                Ok(scale) => scales.push((m, scale)),
                                Err(e) => problems.push(e.to_string()),
                            }
                        }
                    }
                }
            }
            // What stops `cxm surveys` on the file (a Qualtrics export's Q1, Q2…).
            Err(e) => problems.push(e.to_string()),
        }
        // A seven-point item squeezed onto a built-in five-point scale, and columns of
        // the layout not read (measure columns beside survey and score), as `surveys`
        // warns.
        if let Some(shape) = shape {
            let read: Vec<(Measure, &Scale)> = scales.iter().map(|(m, s)| (*m, s)).collect();
            problems.extend(surveys::labels_sharing_a_point(&input, shape, &read));
            if let Some(unread) = surveys::unread_layout(&input, shape) {
                problems.push(unread);
                unread_layout = match shape {
                    Shape::Long => &["csat", "ces", "nps"],
                    Shape::Wide => &["survey", "score"],
                };
            }
        }
    }
    for f in fields.iter().filter(|f| f.required && !input.has(f.name)) {
        problems.push(format!(
            "no column for required field '{}' (use --map {}=COLUMN)",
            f.name, f.name
        ));
    }
    let ts_fields: Vec<&str> = fields
        .iter()
        .filter(|f| f.kind == Kind::Timestamp)
        .map(|f| f.name)
        .collect();
    // The first file's formats are shown; any file's failure is a problem.
    let mut order_unsettled = None;
    let formats = match input.timestamp_formats(&ts_fields) {
        Ok(f) => f.into_iter().next().unwrap_or_default(),
        Err(e) => {
            let e = e.to_string();
            if e.contains("day/month order is ambiguous") {
                order_unsettled = Some(problems.len());
            }
            problems.push(e);
            BTreeMap::new()
        }
    };
    // The day/month order taken where no date tells it.
    let assumed = input.files[0].order_assumed();
    if assumed.is_some() {
        order_unsettled = Some(problems.len());
    }
    problems.extend(assumed);
    let order_told = match order_unsettled {
        Some(_) => None,
        None => [timestamp::Order::DayFirst, timestamp::Order::MonthFirst]
            .into_iter()
            .find(|&o| formats.values().any(|f| f.order == o)),
    };
    let (rows, blank_lines) = input.count_rows_and_blank()?;
    let file = &input.files[0];
    // What stops the metric commands' reader (and makes the row count above wrong).
    if file.source.format == FileFormat::Csv {
        let sniffed = &file.sniffed;
        let path = &file.source.path;
        let name = &file.source.name;
        let above = file.source.line_offset;
        if let Some(cause) =
            records::read_problem(path, name, sniffed.delimiter, &sniffed.headers, above)
        {
            // A stray quote inside a field is counted as opening one: every row after
            // it may be taken into that one.
            let count = match cause.contains("a quote inside a field that does not start with one")
            {
                true => {
                    "counts past it, taking the quote as opening a quoted field, so it may be short"
                }
                false => "reads past it",
            };
            if !problems.iter().any(|p| p.starts_with(&cause)) {
                problems.push(format!(
                    "{cause} (a metric command may stop there, exit 3, as it does when it reads that field; the row count above {count})"
                ));
            }
        }
    }
    let by_column: BTreeMap<&str, &str> = file
        .mapping
        .columns
        .iter()
        .map(|(f, c)| (c.as_str(), *f))
        .collect();
    let unread = match file.source.format {
        FileFormat::Parquet => crate::input::parquet::unread_columns(&file.source)?,
        _ => Vec::new(),
    };
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut table = Table::new(
        ["column", "field", "type", "format", "empty", "example"]
            .map(String::from)
            .to_vec(),
        Vec::new(),
    );
    let passed_over = match dataset {
        Some(Dataset::Tickets) => times_passed_over(&input, &formats),
        _ => Vec::new(),
    };
    // A ragged row is rejected whole: its values, shifted, judge no column. A blank
    // row (a sheet's empty row) is skipped, as the metric commands skip it.
    let width = file.sniffed.headers.len();
    let blank_row = |k: usize| {
        let record = file.sniffed.sample[k].iter().map(Some);
        file.markers.is_blank_record(record, width)
    };
    let (kept, ragged): (Vec<usize>, Vec<usize>) = (0..file.sniffed.sample.len())
        .filter(|&k| !blank_row(k))
        .partition(|&k| !crate::input::source::is_ragged(&file.sniffed.sample[k], width));
    if let Some(&first) = ragged.first() {
        let extra = file.sniffed.sample[first].get(width).unwrap_or("");
        problems.push(format!(
            "{} of the {} rows sampled {} more fields than the header's {width} (first at {}: '{}'); the metric commands reject such rows whole, and their values are not judged below",
            ragged.len(),
            file.sniffed.sample.len(),
            if ragged.len() == 1 { "has" } else { "have" },
            sampled_at(file, first),
            shortened(&crate::text::printable(extra))
        ));
    }
    for (i, h) in file.sniffed.headers.iter().enumerate() {
        // A header's line breaks and controls shown escaped, as in the table.
        let shown = crate::text::printable(h);
        *seen.entry(normalize(h)).or_default() += 1;
        let field = by_column.get(h.as_str()).copied().unwrap_or("");
        // A missing-value marker (`NA`, `N/A`, `--na`) reads as a blank cell, as the
        // metric commands read it.
        let values: Vec<&str> = (kept.iter())
            .map(|&k| &file.sniffed.sample[k])
            // A row short of this column has it missing, as the metric commands read it.
            .map(|r| r.get(i).unwrap_or(""))
            .map(|v| if input.is_missing(v) { "" } else { v })
            .collect();
        let (mut kind, mut format) = detect_type(&values);
        // A duration field's clocks (`0:30:00`, a workbook's duration cells) are
        // durations, as the metric commands read them, not text.
        let duration = |v: &&str| crate::metrics::tickets::reads_as_duration(v);
        if kind == "text"
            && crate::metrics::tickets::is_duration_field(field)
            && values.iter().any(|v| v.contains(':'))
            && (values.iter()).all(|v| v.trim().is_empty() || duration(v))
        {
            kind = "duration".into();
            let numbers = values
                .iter()
                .any(|v| !v.trim().is_empty() && !v.contains(':'));
            format = match numbers {
                true => "numbers and H:MM:SS".into(),
                false => "H:MM:SS".into(),
            };
        }
        if file.decimal_comma.contains(&field) {
            kind = "number (decimal comma)".into();
        } else if let Some(thousands) = file.thousands(field) {
            let signs = values
                .iter()
                .any(|v| crate::input::decimal::has_currency_sign(v));
            kind = match (thousands, signs) {
                (true, true) => "number (thousands commas, currency signs)".into(),
                (true, false) => "number (thousands commas)".into(),
                (false, _) => "number (currency signs)".into(),
            };
        }
        if let Some((_, what)) = unread.iter().find(|(name, _)| name == h) {
            kind = format!("{what} (not read)");
            problems.push(format!(
                "column '{shown}' holds {what}, which cxm does not read (export it as text or a number to use it)"
            ));
        }
        if let Some((_, read)) = passed_over.iter().find(|(f, _)| *f == field) {
            kind = format!("{kind} (not read: {read} is)");
        }
        if unread_layout.contains(&field) {
            kind = format!("{kind} (not read)");
        }
        if let Some(f) = formats.get(field) {
            let declared = f.declared.map(|z| format!("{z}, as the file says"));
            let zone = match (f.zone, declared) {
                (crate::input::timestamp::Zone::Utc, _) => "UTC".to_string(),
                (crate::input::timestamp::Zone::Offset, _) => "its offset".to_string(),
                (crate::input::timestamp::Zone::Local, Some(z)) => format!("local in {z}"),
                (crate::input::timestamp::Zone::Local, None) => "local in --tz".to_string(),
                (crate::input::timestamp::Zone::DateOnly, Some(z)) => format!("a day in {z}"),
                (crate::input::timestamp::Zone::DateOnly, None) => "a day in --tz".to_string(),
            };
            format = format!("{} ({zone})", f.pattern);
            // Nothing sampled to detect it from: told by its values past the sample,
            // else the format it will be read with.
            if values.iter().all(|v| v.trim().is_empty()) {
                format.push_str(match file.past_sample(i).is_empty() {
                    true => ", assumed",
                    false => ", told by its values past the rows sampled",
                });
            }
        }
        let read_as = fields.iter().find(|f| f.name == field);
        // A scheduled start is read only where the start is blank: judged there alone.
        let start_at = (file.sniffed.headers.iter())
            .position(|h| by_column.get(h.as_str()) == Some(&"start_date"))
            .filter(|_| field == "scheduled_start");
        let (judged, judged_values): (Vec<usize>, Vec<&str>) = (kept.iter().zip(&values))
            .filter(|(&k, _)| {
                start_at.is_none_or(|j| {
                    let cell = file.sniffed.sample[k].get(j).unwrap_or("");
                    cell.trim().is_empty() || input.is_missing(cell)
                })
            })
            .map(|(&k, &v)| (k, v))
            .unzip();
        if let Some(p) = read_as
            .and_then(|f| unreadable(file, &judged, f, &judged_values, formats.get(field), tz))
        {
            problems.push(format!("column '{shown}' ({field}): {p}"));
        }
        if let Some(p) = formats
            .get(field)
            .and_then(|f| without_zone(file, &kept, &values, f, tz))
        {
            problems.push(format!("column '{shown}' ({field}): {p}"));
        }
        let survey_column = (file.mapping.get("survey"))
            .and_then(|c| file.sniffed.headers.iter().position(|h| h == c));
        let measure_of = |k: usize| -> Option<Measure> {
            match (shape, field) {
                (Some(Shape::Wide), f) => Measure::ALL.into_iter().find(|m| m.name() == f),
                (Some(Shape::Long), "score") => {
                    let cell = file.sniffed.sample[kept[k]].get(survey_column?)?;
                    Measure::ALL.into_iter().find(|m| m.is_named_by(cell))
                }
                _ => None,
            }
        };
        for p in unread_scores(file, &kept, field, &values, &scales, measure_of) {
            problems.push(format!("column '{shown}' ({field}): {p}"));
        }
        // The scale each measure is read on (`5-1`: low effort is 5, read reversed).
        let on = |(m, s): &(Measure, Scale)| format!("{} scale {}", m.name(), s.name);
        let read_on = match (shape, field) {
            (Some(Shape::Wide), f) => (scales.iter()).find(|(m, _)| m.name() == f).map(on),
            (Some(Shape::Long), "score") => {
                // Of the measures the sampled rows name.
                let named = |m: Measure| (0..kept.len()).any(|k| measure_of(k) == Some(m));
                let held: Vec<String> =
                    (scales.iter()).filter(|(m, _)| named(*m)).map(on).collect();
                (!held.is_empty()).then(|| held.join(", "))
            }
            _ => None,
        };
        if let Some(on) = read_on {
            format = match format.is_empty() {
                true => on,
                false => format!("{format}; {on}"),
            };
        }
        if dataset == Some(Dataset::Events) {
            // Read as the log's own export reads its codes (ServiceNow's 1–8).
            let export = preset::detect(&file.sniffed.headers, Dataset::Tickets);
            let words = statuses.with_defaults(export.map_or(&[][..], |p| p.statuses));
            // A threaded log's roles come from `inbound`, and a log's without
            // `author_role`; `private` is read where there is no `public`.
            let read = match field {
                "author_role" => !crate::compute::events::threaded(&input),
                "inbound" => crate::compute::events::roles_from_inbound(&input),
                "private" => crate::compute::events::private_column(&input),
                _ => true,
            };
            let unknown = read.then(|| unknown_event_words(file, &kept, field, &values, &words));
            if let Some(p) = unknown.flatten() {
                problems.push(format!("column '{shown}' ({field}): {p}"));
            }
        }
        if let Some(p) = repeated_ids(file, &kept, dataset, field, &values) {
            problems.push(format!("column '{shown}' ({field}): {p}"));
        }
        let empty = values.iter().filter(|v| v.trim().is_empty()).count();
        let example = values
            .iter()
            .find(|v| !v.trim().is_empty())
            .copied()
            .unwrap_or("");
        let example = shortened(example);
        if !values.is_empty() && empty == values.len() && !field.is_empty() {
            problems.push(format!(
                "column '{shown}' ({field}) is empty in {}",
                first_rows(values.len())
            ));
        }
        // A column of values cxm does not read (bytes) is sampled as blanks: how many
        // are empty is not known.
        let not_read = unread.iter().any(|(name, _)| name == h);
        table.push_row(vec![
            Value::Text(h.clone()),
            Value::Text(field.to_string()),
            Value::Text(kind),
            Value::Text(format),
            match not_read {
                true => Value::Null,
                false => Value::Int(empty as i64),
            },
            Value::Text(example.replace('\n', " ")),
        ]);
    }
    for (name, n) in seen.iter().filter(|(_, n)| **n > 1) {
        let alike: Vec<&String> = (file.sniffed.headers.iter())
            .filter(|h| normalize(h) == *name)
            .collect();
        // One name written twice: --map names a column by its name, so cannot choose.
        let twice = (alike.iter().enumerate()).any(|(i, a)| alike[i + 1..].contains(a));
        let way_out = match twice {
            true => "until the header is edited so that one name is not written twice",
            false => "until --map chooses one",
        };
        problems.push(format!(
            "{n} headers normalise to '{name}': where that is a field, the metric commands stop {way_out}"
        ));
    }
    let layout = match (file.source.format, file.sniffed.delimiter) {
        (FileFormat::Parquet, _) => "Parquet".to_string(),
        // A Parquet file whose rows a preset rewrites, read through a CSV copy.
        (FileFormat::Csv, _) if file.source.parquet_copy => "Parquet".to_string(),
        // A workbook's sheet, read through a CSV spool: its delimiter is cxm's own.
        (FileFormat::Csv, _) if file.source.sheet_row.is_some() => "Excel sheet".to_string(),
        (FileFormat::Csv, b'\t') => "delimiter tab".to_string(),
        (FileFormat::Csv, d) => format!("delimiter '{}'", d as char),
    };
    let summary = format!(
        "{}: {}, {}, {layout}; types and empty cells judged on {}",
        crate::text::files_listed(
            &input
                .files
                .iter()
                .map(|f| f.source.name.as_str())
                .collect::<Vec<_>>(),
            " + "
        ),
        match blank_lines {
            0 => counted(rows as usize, "row"),
            // As `-v` says of them: skipped.
            n => format!(
                "{} ({} skipped)",
                counted(rows as usize, "row"),
                counted(n as usize, "blank row")
            ),
        },
        counted(file.sniffed.headers.len(), "column"),
        first_rows(kept.len() + ragged.len()),
    );
    // Ragged rows are not judged (a problem below names them).
    let summary = match ragged.len() {
        0 => summary,
        n => format!("{summary} but the {n} ragged"),
    };
    // What was left out around the table (a `sep=` line, a title, a footer).
    let summary = match &file.source.left_out {
        Some(left_out) => format!("{summary}; {left_out}"),
        None => summary,
    };
    Ok(Findings {
        file: file.source.name.clone(),
        counts: [
            rows,
            file.sniffed.headers.len() as u64,
            file.sniffed.sample.len() as u64,
        ],
        summary,
        kind,
        preset: file.preset,
        business: preset::vendor_business_columns(&file.sniffed.headers),
        columns: table,
        problems,
        folder_role,
        order_told,
        order_unsettled,
    })
}

/// What the values of a column look like, judged on the sample.
fn detect_type(values: &[&str]) -> (String, String) {
    let vals: Vec<&str> = values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    if vals.is_empty() {
        return ("empty".into(), String::new());
    }
    if vals.iter().all(|v| v.parse::<i64>().is_ok()) {
        return ("integer".into(), String::new());
    }
    if vals.iter().all(|v| v.parse::<f64>().is_ok()) {
        return ("number".into(), String::new());
    }
    if let Detected::Formats(fmts, hits) = timestamp::detect(&vals) {
        // Every value read as the commands read the column: an ISO column of dates
        // beside date-times is read whole, each value with or without its time.
        let all_read = || vals.iter().all(|v| fmts[0].reads(v));
        if hits == vals.len() || all_read() {
            let patterns: Vec<&str> = fmts.iter().map(|f| f.pattern.as_str()).collect();
            return ("timestamp".into(), patterns.join(" or "));
        }
    }
    // Spreadsheets' own booleans too, as localised Excel writes them (`VRAI`/`FAUX`).
    let boolish = ["true", "false", "yes", "no", "y", "n", "t", "f"];
    let excel = [
        crate::metrics::EXCEL_TRUE,
        crate::metrics::EXCEL_FALSE,
        crate::metrics::SPOKEN_YES,
        crate::metrics::SPOKEN_NO,
    ]
    .concat();
    if vals.iter().all(|v| {
        let v = crate::text::folded(v);
        boolish.contains(&v.as_str()) || excel.contains(&v.as_str())
    }) {
        return ("boolean".into(), String::new());
    }
    ("text".into(), String::new())
}

/// Sampled values of a timestamp or number field that the metric commands would
/// reject (not in the file's format, not a number), counted, with the first one
/// located (`values[k]` is the sample's record `sampled[k]`): `None` when all read.
fn unreadable(
    file: &crate::input::InputFile,
    sampled: &[usize],
    field: &crate::input::fields::Field,
    values: &[&str],
    format: Option<&timestamp::TsFormat>,
    tz: Tz,
) -> Option<String> {
    let (kind, field) = (field.kind, field.name);
    let as_read = move |v: &str| file.number_as_read(field, v).into_owned();
    // A time that reads but is misread (a year outside 1900–2099, a local time the
    // clocks skipped): why, as the rejects say it.
    let misread = |v: &str| {
        let f = format.filter(|f| kind == Kind::Timestamp && f.reads(v))?;
        // A subscription's end from 2100 on is "no end", not a misread date.
        let never = field == "end_date"
            && crate::rejects::year_written(v.trim(), Some(&f.pattern)).is_some_and(|y| y >= 2100);
        match never {
            true => None,
            false => crate::rejects::why_unread(v, Some(&f.pattern), f.declared.unwrap_or(tz)),
        }
    };
    let (reads, what) = match (kind, format) {
        (Kind::Timestamp, Some(f)) => (
            Box::new(move |v: &str| f.reads(v) && misread(v).is_none())
                as Box<dyn Fn(&str) -> bool>,
            format!(
                "a date-time in its format ({}) from 1900 to 2099",
                f.pattern
            ),
        ),
        // A duration field reads a clock (`49:00:00`) too.
        (Kind::Number, _) if crate::metrics::tickets::is_duration_field(field) => (
            Box::new(move |v: &str| crate::metrics::tickets::reads_as_duration(&as_read(v)))
                as Box<dyn Fn(&str) -> bool>,
            "a duration (a number or H:MM:SS)".to_string(),
        ),
        (Kind::Number, _) => (
            Box::new(move |v: &str| finite(&as_read(v))) as Box<dyn Fn(&str) -> bool>,
            "a number".to_string(),
        ),
        // A flag, read by the metric commands' own parser of it.
        (Kind::Bool, _) => {
            let (parse, what): (fn(Expr) -> Expr, _) = match field {
                "churned" => (
                    crate::metrics::churn::churn_flag,
                    "a churn flag (yes/no, churned/active…)",
                ),
                "sla_met" => (
                    crate::metrics::tickets::sla_verdict,
                    "an SLA verdict (yes/no, met/breached…)",
                ),
                "fcr" => (
                    crate::metrics::tickets::boolean,
                    "yes or no (true/false, 1/0)",
                ),
                _ => return None,
            };
            let unread = flags_unread(values, parse)?;
            (
                Box::new(move |v: &str| !unread.contains(v)) as Box<dyn Fn(&str) -> bool>,
                what.to_string(),
            )
        }
        _ => return None,
    };
    let bad: Vec<usize> = values
        .iter()
        .enumerate()
        .filter(|(_, v)| !v.trim().is_empty() && !reads(v))
        .map(|(i, _)| i)
        .collect();
    let first = *bad.first()?;
    let at = sampled_at(file, sampled[first]);
    // A time that fits the format but for an offset no zone has (`+15:00`).
    let past_zones = (kind == Kind::Timestamp)
        .then(|| crate::calendar::written_offset(values[first]))
        .flatten()
        .filter(|&secs| !crate::calendar::is_zone_offset(secs))
        .map(|_| ": its offset is past every zone's (-12:00 to +14:00)".to_string());
    let why = (misread(values[first]).map(|why| format!(": {why}")))
        .or(past_zones)
        .unwrap_or_default();
    Some(format!(
        "{} of the {} filled values sampled {} not {what} (first at {at}: '{}'{why}); the metric commands reject such values",
        bad.len(),
        filled(file, values),
        if bad.len() == 1 { "is" } else { "are" },
        shortened(&crate::text::printable(values[first]))
    ))
}

/// In a column of times with their offset (or `Z`), the sampled ones written without
/// one, counted, with the first located: each is read in the file's zone or `--tz`,
/// which may not be the zone the export meant.
fn without_zone(
    file: &crate::input::InputFile,
    sampled: &[usize],
    values: &[&str],
    format: &timestamp::TsFormat,
    tz: Tz,
) -> Option<String> {
    use crate::input::timestamp::Zone;
    // A format that ends in the zone (not epoch seconds, UTC by definition; not one
    // that writes the year after the offset, as `Tue Oct 31 22:10:47 +0000 2017`).
    let p = format.pattern.as_str();
    let written = ["Z", "UTC", "%z", "%:z", "%#z", "%+"]
        .iter()
        .any(|end| p.ends_with(end));
    if !matches!(format.zone, Zone::Offset | Zone::Utc) || !written {
        return None;
    }
    let bare: Vec<usize> = (values.iter().enumerate())
        .filter(|(_, v)| !v.trim().is_empty() && format.reads(v) && !names_its_zone(v))
        .map(|(i, _)| i)
        .collect();
    let first = *bare.first()?;
    let zone = format
        .declared
        .map_or(format!("--tz ({tz})"), |z| format!("{z}, as the file says"));
    Some(format!(
        "{} of the {} filled values sampled {} no offset (first at {}: '{}'): read in {zone}, where the others carry their own",
        bare.len(),
        filled(file, values),
        if bare.len() == 1 { "has" } else { "have" },
        sampled_at(file, sampled[first]),
        shortened(&crate::text::printable(values[first]))
    ))
}

/// Does a date-time name its zone: `Z`, ` UTC`, or an offset (`+01:00`, `-0500`,
/// `+01`) after its time? (A date alone ends in `-03` too: no time, no offset.)
fn names_its_zone(value: &str) -> bool {
    let v = value.trim();
    v.ends_with(['Z', 'z'])
        || v.to_ascii_uppercase().ends_with("UTC")
        || v.to_ascii_uppercase().ends_with(" GMT")
        || crate::calendar::written_offset(v).is_some()
}

/// Sampled scores that `cxm surveys` would reject on their measure's scale (an
/// unknown label, a score off the scale or between its points), counted, with the
/// first one located; `measure_of(k)`: the measure of `values[k]` (`None`: no score).
fn unread_scores(
    file: &crate::input::InputFile,
    sampled: &[usize],
    field: &str,
    values: &[&str],
    scales: &[(Measure, Scale)],
    measure_of: impl Fn(usize) -> Option<Measure>,
) -> Vec<String> {
    // Each measure on its own scale (a long form's column holds all three).
    let of: Vec<Option<Measure>> = (0..values.len())
        .map(|k| measure_of(k).filter(|_| is_answer(values[k])))
        .collect();
    (scales.iter())
        .filter_map(|(m, scale)| {
            let judged: Vec<usize> = (0..values.len()).filter(|&k| of[k] == Some(*m)).collect();
            let bad: Vec<(usize, &str)> = (judged.iter())
                .filter_map(|&k| {
                    let why = score_reason(scale, &file.number_as_read(field, values[k]))?;
                    Some((k, why))
                })
                .collect();
            let &(first, why) = bad.first()?;
            let others = match m {
                Measure::Nps => format!("[labels.{}] in --config reads others", m.name()),
                _ => format!(
                    "--scale {}=…, or [labels.{}] in --config, reads others",
                    m.name(),
                    m.name()
                ),
            };
            Some(format!(
                "{} of the {} {} scores sampled {} not read on the {} scale (first at {}: '{}', {why}); cxm surveys rejects such rows ({others})",
                bad.len(),
                judged.len(),
                m.name(),
                if bad.len() == 1 { "is" } else { "are" },
                scale.name,
                sampled_at(file, sampled[first]),
                shortened(&crate::text::printable(values[first])),
            ))
        })
        .collect()
}

/// How many sampled values hold something (not blank, no marker of missing): the
/// share of bad ones is of these (a column of open tickets' blank resolution times
/// is no column of good ones).
fn filled(file: &crate::input::InputFile, values: &[&str]) -> usize {
    values
        .iter()
        .filter(|v| !file.markers.is_missing(v))
        .count()
}

/// The values that `parse` (a flag's parser) reads as neither yes nor no.
fn flags_unread(
    values: &[&str],
    parse: fn(Expr) -> Expr,
) -> Option<std::collections::HashSet<String>> {
    let cells = Column::new("v".into(), values);
    let parsed = DataFrame::new(values.len(), vec![cells])
        .ok()?
        .lazy()
        .select([col("v"), parse(col("v")).alias("read")])
        .collect()
        .ok()?;
    let (cells, read) = (
        parsed.column("v").ok()?.str().ok()?,
        parsed.column("read").ok()?.bool().ok()?,
    );
    Some(
        (cells.iter().zip(read.iter()))
            .filter(|(v, read)| v.is_some_and(|v| !v.trim().is_empty()) && read.is_none())
            .filter_map(|(v, _)| v.map(str::to_string))
            .collect(),
    )
}

/// An event log's words that no status, role or yes/no reads (`frobnicated`).
fn unknown_event_words(
    file: &crate::input::InputFile,
    sampled: &[usize],
    field: &str,
    values: &[&str],
    statuses: &EventWords,
) -> Option<String> {
    let (what, hint) = match field {
        "status" => (
            "a known status",
            " (add the word under [statuses] in a --config file)",
        ),
        "author_role" => (
            "a known role (agent, customer, system, bot…)",
            " (add the word under [roles] in a --config file)",
        ),
        "public" => ("yes or no (true/false, 1/0, public/private)", ""),
        "inbound" | "private" => ("yes or no (true/false, 1/0)", ""),
        _ => return None,
    };
    let reads = |v: &str| match field {
        "status" => statuses.parse(v).is_some(),
        "author_role" => statuses.role(v).is_some(),
        "public" => crate::compute::events::public_word(v).is_some(),
        _ => yes_no_word(v).is_some(),
    };
    let bad: Vec<usize> = (values.iter().enumerate())
        .filter(|(_, v)| !v.trim().is_empty() && !reads(v))
        .map(|(i, _)| i)
        .collect();
    let first = *bad.first()?;
    Some(format!(
        "{} of the {} filled values sampled {} not {what} (first at {}: '{}'); the metric commands reject such values{hint}",
        bad.len(),
        filled(file, values),
        if bad.len() == 1 { "is" } else { "are" },
        sampled_at(file, sampled[first]),
        shortened(&crate::text::printable(values[first]))
    ))
}

/// Where the `k`-th sampled record is, as the metric commands locate it: a sheet's
/// row, or the file's own line (past any header rows a preset left out).
/// Sampled rows whose id an earlier sampled row has (a ticket's, a response's; a
/// subscription's customer and an event's ticket repeat by nature): counted, the
/// first located, with what the metric commands do with them.
fn repeated_ids(
    file: &crate::input::InputFile,
    sampled: &[usize],
    dataset: Option<Dataset>,
    field: &str,
    values: &[&str],
) -> Option<String> {
    let done = match (dataset, field) {
        (Some(Dataset::Tickets), "ticket_id") => {
            "the metric commands keep the last row of each id (--keep first keeps the first)"
        }
        (Some(Dataset::Surveys), "response_id") => "the metric commands count each row",
        _ => return None,
    };
    let mut seen = std::collections::HashSet::new();
    let repeats: Vec<usize> = (values.iter().enumerate())
        .filter(|(_, v)| !file.markers.is_missing(v) && !seen.insert(v.trim()))
        .map(|(i, _)| i)
        .collect();
    let first = *repeats.first()?;
    let rows = if repeats.len() == 1 {
        "row repeats"
    } else {
        "rows repeat"
    };
    Some(format!(
        "{} sampled {rows} an earlier row's id (first at {}: '{}'); {done}",
        repeats.len(),
        sampled_at(file, sampled[first]),
        crate::text::value_shown(values[first].trim())
    ))
}

fn sampled_at(file: &crate::input::InputFile, k: usize) -> String {
    let source = &file.source;
    match (
        source.sheet_row,
        file.sniffed.sample.get(k).and_then(|r| r.position()),
    ) {
        (Some(header), _) => format!("row {}", header + 1 + k as u64),
        (None, Some(p)) => format!(
            "line {}",
            physical_line(&source.path, p) + source.line_offset
        ),
        (None, None) => format!("row {}", k + 1),
    }
}

/// The line a sampled record starts on. The reader's position (`at`) is where it
/// stood before the record: past the previous record's line end, but before blank
/// lines it skips, and after a CRLF at the LF still to be read; those line ends are
/// counted here (a CR before an LF with it, a lone CR alone).
fn physical_line(path: &std::path::Path, at: &csv::Position) -> u64 {
    use std::io::{BufRead, BufReader, Seek, SeekFrom};
    let mut line = at.line();
    let Ok(mut file) = std::fs::File::open(path) else {
        return line;
    };
    if file.seek(SeekFrom::Start(at.byte())).is_err() {
        return line;
    }
    let mut reader = BufReader::new(file);
    let mut cr = false;
    loop {
        let Ok(buf) = reader.fill_buf() else {
            return line;
        };
        if buf.is_empty() {
            return line + u64::from(cr);
        }
        let mut used = 0;
        for &b in buf {
            match b {
                b'\n' => line += 1,
                b'\r' if cr => line += 1,
                b'\r' => {}
                _ => return line + u64::from(cr),
            }
            cr = b == b'\r';
            used += 1;
        }
        reader.consume(used);
    }
}

/// `1 row`, `2 rows`.
fn counted(n: usize, what: &str) -> String {
    match n {
        1 => format!("1 {what}"),
        n => format!("{n} {what}s"),
    }
}

/// `the first row`, `the first 2 rows`.
fn first_rows(n: usize) -> String {
    match n {
        0 => "no row (there is none)".to_string(),
        1 => "the first row".to_string(),
        n => format!("the first {n} rows"),
    }
}

/// A number as the metric commands read one (`NaN` and `inf` are not).
/// A number as the commands read one: spaces around it are no part of it (` 2 `).
fn finite(v: &str) -> bool {
    v.trim().parse::<f64>().is_ok_and(f64::is_finite)
}

/// A value quoted in a message: its first 40 characters.
fn shortened(value: &str) -> String {
    match value.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &value[..at]),
        None => value.to_string(),
    }
}

/// The ticket time fields mapped but not read, each with the field read instead: a
/// time beats a duration of the same metric unless the duration was given with `--map`
/// (Zendesk's `Full resolution time in minutes` beside `Solved at`).
fn times_passed_over(
    input: &Input,
    formats: &BTreeMap<&'static str, crate::input::timestamp::TsFormat>,
) -> Vec<(&'static str, &'static str)> {
    use crate::metrics::tickets::{DurationSource, TicketParams};
    let explicit = &input.files[0].mapping.explicit;
    let filled = crate::compute::tickets::filled_fields(input);
    let has = crate::metrics::tickets::sourced(|f| input.has(f), |f| filled.contains(&f));
    let (first_response, resolution) = TicketParams::sources(has, explicit, formats);
    let mut out = Vec::new();
    use crate::metrics::tickets::{FIRST_RESPONSE_DURATIONS, RESOLUTION_DURATIONS};
    for (source, stamp, durations) in [
        (
            first_response,
            "first_response_at",
            FIRST_RESPONSE_DURATIONS,
        ),
        (resolution, "resolved_at", RESOLUTION_DURATIONS),
    ] {
        let fields = std::iter::once(stamp).chain(durations.iter().map(|(f, _)| *f));
        let read = match source {
            DurationSource::Since(f, _) | DurationSource::Column(f, _) => f,
            DurationSource::Absent => continue,
        };
        for f in fields.filter(|&f| f != read && input.has(f)) {
            out.push((f, read));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The type named for each kind of sample, blanks and spacing aside.
    #[test]
    fn types_of_samples() {
        let kind = |values: &[&str]| detect_type(values).0;
        assert_eq!(kind(&["", "  "]), "empty");
        assert_eq!(kind(&["1", " 2 ", ""]), "integer");
        assert_eq!(kind(&["1.5", "2"]), "number");
        assert_eq!(kind(&["yes", "No", "t"]), "boolean");
        assert_eq!(kind(&["abc", "1"]), "text");
        // ISO dates beside date-times: a timestamp column, as the commands read it.
        assert_eq!(
            kind(&["2024-11-01", "2025-02-02 23:41:59", "2024-11-03"]),
            "timestamp"
        );
        assert_eq!(kind(&["2024-11-01", "2025-02-02 23:41:59", "soon"]), "text");
        let (named, format) = detect_type(&["2024-01-05 10:00:00", "2024-02-06 11:30:00"]);
        assert_eq!(named, "timestamp");
        assert!(format.contains("%Y") && format.contains("%H"), "{format}");
        // One value that is no timestamp makes the column text.
        assert_eq!(kind(&["2024-01-05 10:00:00", "soon"]), "text");
    }

    /// A quoted value keeps its first 40 characters (not bytes).
    #[test]
    fn localised_spreadsheet_booleans_are_booleans() {
        assert_eq!(detect_type(&["VRAI", "FAUX", "vrai"]).0, "boolean");
        assert_eq!(detect_type(&["Wahr", "Falsch"]).0, "boolean");
        assert_eq!(detect_type(&["Não", "Sim"]).0, "boolean");
        assert_eq!(detect_type(&["VRAI", "peut-être"]).0, "text");
    }

    #[test]
    fn a_zone_is_told_from_a_date_alone() {
        for named in [
            "2025-01-01T10:00:00Z",
            "2025-01-01 10:00:00 UTC",
            "2025-01-01T10:00:00+01:00",
            "2025-01-01T10:00:00.123-0500",
            "2025-01-01 10:00:00 +01",
        ] {
            assert!(names_its_zone(named), "{named}");
        }
        for bare in [
            "2025-01-03 10:00:00",
            "2025-01-03",
            "03/01/2025 10:00",
            "2025-01-03T10:00:00.5",
        ] {
            assert!(!names_its_zone(bare), "{bare}");
        }
    }

    #[test]
    fn long_values_are_shortened_by_characters() {
        let long = "é".repeat(45);
        assert_eq!(shortened(&long), format!("{}…", "é".repeat(40)));
        assert_eq!(shortened("short"), "short");
        assert_eq!(shortened(&"a".repeat(40)), "a".repeat(40));
    }
}
