//! `cxm inspect FILE`: what cxm sees in a file before any metric runs.

use crate::calendar::parse_tz;
use crate::cli::{Format, InspectArgs};
use crate::compute::inspect::{inspect, Findings};
use crate::error::Result;
use crate::render::{self, Target};
use crate::report::{Document, Report, Section, Table, Value};

pub fn run(a: &InspectArgs) -> Result<()> {
    crate::cmd::require_inputs(&a.input)?;
    // Shared input options that judge rows: inspect judges none, and saying nothing
    // would let a user believe a clean exit passed them.
    if a.input.strict || a.input.rejects.is_some() {
        return Err(crate::usage_err!(
            "inspect: --strict and --rejects do not apply (inspect lists problems; a metric command rejects rows)"
        ));
    }
    crate::cmd::warn_unused_sheet(a.input.sheet.as_deref(), &a.input.inputs);
    // Before any work, whatever the output (`cxm inspect t.csv >> t.csv` too).
    crate::cmd::Paths {
        inputs: &a.input.inputs,
        config: a.input.config.as_deref(),
        outputs: &[("-o", a.output.as_deref())],
    }
    .check()?;
    // The config's zone, missing-value markers, presets and column maps, as the
    // metric commands read them.
    let cfg = crate::config::Config::load(a.input.config.as_deref())?;
    let tz = parse_tz(a.tz.as_deref().or(cfg.tz.as_deref()).unwrap_or("UTC"))?;
    let sources = crate::cmd::sources(&a.input, &[], &cfg, &Default::default());
    let pairs = |m: &std::collections::BTreeMap<String, String>| -> Vec<(String, String)> {
        m.iter().map(|(f, c)| (f.clone(), c.clone())).collect()
    };
    let maps = crate::request::SectionMaps {
        tickets: pairs(&cfg.map.tickets),
        surveys: pairs(&cfg.map.surveys),
        customers: pairs(&cfg.map.customers),
        events: pairs(&cfg.map.events),
    };
    let statuses = crate::metrics::events::EventWords::new(&cfg.statuses)
        .and_then(|w| w.with_roles(&cfg.roles))
        .map_err(|e| crate::usage_err!("{e}"))?;
    // The config's scales and labels, as `cxm surveys` reads them.
    let scales: Vec<(String, String)> = [("csat", &cfg.scale.csat), ("ces", &cfg.scale.ces)]
        .into_iter()
        .filter_map(|(m, s)| Some((m.to_string(), s.clone()?)))
        .collect();
    let configured: Vec<(String, String)> =
        [&maps.tickets, &maps.surveys, &maps.customers, &maps.events]
            .into_iter()
            .flatten()
            .filter(|pair| !a.input.map.contains(pair))
            .cloned()
            .collect();
    let found = inspect(&sources, &maps, &statuses, (&scales, &cfg.labels), tz)
        .map_err(|e| crate::compute::report::config_maps_of(e, Some(&configured)))?;
    if a.format.is_some() || a.output.is_some() {
        return write_document(a, found);
    }
    let mut text = Vec::new();
    for (i, file) in found.into_iter().enumerate() {
        if i > 0 {
            text.push(b'\n');
        }
        text.extend(as_text(file));
    }
    Target::Stdout.write(&text)
}

/// One file's findings for the terminal.
fn as_text(found: Findings) -> Vec<u8> {
    let preset = match found.preset {
        Some((p, true)) => format!(
            "\npreset: {} ({}), detected from the headers",
            p.name, p.describe
        ),
        Some((p, false)) => format!("\npreset: {} ({})", p.name, p.describe),
        None => String::new(),
    };
    let title = format!("{}\ndata: {}{preset}", found.summary, found.kind);
    let table = found.columns;
    // The terminal's width (off one, 120): panels repeat only the column's name, where
    // the field, type and format beside it took most of a narrow terminal.
    let tty = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let width = crate::cmd::table_width(tty, 120);
    let table = render::table::render_with_keys(&Report { title, table }, width, 1);
    let mut text = table.into_bytes();
    if !found.business.is_empty() {
        text.extend_from_slice(
            b"business hours (the vendor's own; not read as calendar time, see docs/metrics.md \"Checking a helpdesk's business-hours figures\"):\n",
        );
        for (header, what) in found.business {
            text.extend_from_slice(format!("  - '{header}': {what}\n").as_bytes());
        }
    }
    text.extend_from_slice(b"problems:\n");
    if found.problems.is_empty() {
        text.extend_from_slice(b"  none found\n");
    }
    for p in found.problems {
        text.extend_from_slice(format!("  - {p}\n").as_bytes());
    }
    text
}

/// `--format` or `-o`: the same findings as a document of sections (columns, the
/// vendor's business-hours columns, problems) for each file, in any format.
fn write_document(a: &InspectArgs, found: Vec<Findings>) -> Result<()> {
    let out = crate::cli::OutputArgs {
        format: a.format,
        output: a.output.clone(),
        quiet: false,
        verbose: false,
        fail_if: Vec::new(),
    };
    let output = crate::cmd::Output::from_args(&out)?;
    // CSV is one table for a spreadsheet: the columns, one row each (after their
    // file's name, when there are several); the problems go to stderr.
    if output.format == Format::Csv {
        let several = found.len() > 1;
        for f in &found {
            for p in &f.problems {
                // With several files, each problem names its own.
                match several && !p.starts_with(&format!("{}:", f.file)) {
                    true => crate::say!("cxm: warning: {}: {p}", f.file),
                    false => crate::say!("cxm: warning: {p}"),
                }
            }
        }
        let table = match <[Findings; 1]>::try_from(found) {
            Ok([one]) => one.columns,
            Err(several) => {
                let mut all = Table::new(Vec::new(), Vec::new());
                for f in several {
                    if all.columns.is_empty() {
                        let mut names = vec!["file".to_string()];
                        names.extend(f.columns.columns.iter().cloned());
                        all = Table::new(names, Vec::new());
                    }
                    for row in f.columns.rows() {
                        let mut cells = vec![Value::Text(f.file.clone())];
                        cells.extend(row.cells().map(|c| c.to_value()));
                        all.push_row(cells);
                    }
                }
                all
            }
        };
        return output.emit(&Report {
            title: String::new(),
            table,
        });
    }
    let several = found.len() > 1;
    let mut sections = Vec::new();
    let mut header = Vec::new();
    for f in found {
        let name = f.file.clone();
        let (head, mut own) = file_sections(f, output.format);
        if several {
            header.push(head[0].clone());
            for s in &mut own {
                s.key = format!("{name}: {}", s.key);
                s.report.title = format!("{name}: {}", s.report.title);
            }
        } else {
            header = head;
        }
        sections.extend(own);
    }
    output.write_document(&Document {
        title: "Inspect".into(),
        header,
        sections,
        previous: None,
        buckets: Vec::new(),
        by: Vec::new(),
    })
}

/// One file's header lines and sections.
fn file_sections(found: Findings, format: Format) -> (Vec<String>, Vec<Section>) {
    let Findings {
        summary,
        kind,
        preset,
        columns,
        business,
        problems,
        counts,
        ..
    } = found;
    let mut facts = vec![("file", summary), ("data", kind)];
    if let Some((p, detected)) = preset {
        let how = if detected {
            ", detected from the headers"
        } else {
            ""
        };
        facts.push(("preset", format!("{} ({}){how}", p.name, p.describe)));
    }
    let header: Vec<String> = facts
        .iter()
        .enumerate()
        .map(|(i, (k, v))| {
            if i == 0 {
                v.clone()
            } else {
                format!("{k}: {v}")
            }
        })
        .collect();
    let section = |key: &str, title: &str, table: Table| Section {
        key: key.into(),
        report: Report {
            title: title.into(),
            table,
        },
        groups: Vec::new(),
    };
    let mut sections = Vec::new();
    // JSON and NDJSON carry sections alone: the header's facts go in one.
    if matches!(format, Format::Json | Format::Ndjson) {
        let mut rows: Vec<Vec<Value>> = facts
            .into_iter()
            .map(|(k, v)| vec![Value::Text(k.into()), Value::Text(v)])
            .collect();
        // The summary's figures as numbers, for a program to read.
        let named = ["rows", "columns", "sampled_rows"];
        rows.extend(
            (named.iter().zip(counts))
                .map(|(k, n)| vec![Value::Text(k.to_string()), Value::Int(n as i64)]),
        );
        sections.push(section(
            "file",
            "File",
            Table::new(vec!["fact".into(), "value".into()], rows),
        ));
    }
    sections.push(section("columns", "Columns", columns));
    if !business.is_empty() {
        let rows = business
            .iter()
            .map(|(h, what)| vec![Value::Text(h.clone()), Value::Text(what.to_string())])
            .collect();
        sections.push(section(
            "business_hours",
            "The vendor's business-hours columns (not read as calendar time)",
            Table::new(vec!["column".into(), "holds".into()], rows),
        ));
    }
    let mut rows: Vec<Vec<Value>> = problems.into_iter().map(|p| vec![Value::Text(p)]).collect();
    // For people, as the terminal says it; a program reads an empty list.
    if rows.is_empty() && !matches!(format, Format::Json | Format::Ndjson) {
        rows.push(vec![Value::Text("none found".into())]);
    }
    sections.push(section(
        "problems",
        "Problems",
        Table::new(vec!["problem".into()], rows),
    ));
    (header, sections)
}
