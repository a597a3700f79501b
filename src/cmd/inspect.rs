//! `cxm inspect FILE`: what cxm sees in a file before any metric runs.

use std::collections::BTreeMap;

use crate::calendar::parse_tz;
use crate::cli::{Format, InspectArgs};
use crate::compute::churn;
use crate::error::Result;
use crate::input::fields::{classify, normalize, Dataset, Kind};
use crate::input::source::{self, FileFormat};
use crate::input::timestamp::{self, Detected};
use crate::input::{preset, Input};
use crate::render::{self, Target};
use crate::report::{Document, Report, Section, Table, Value};

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
        if hits == vals.len() {
            let patterns: Vec<&str> = fmts.iter().map(|f| f.pattern.as_str()).collect();
            return ("timestamp".into(), patterns.join(" or "));
        }
    }
    let boolish = ["true", "false", "yes", "no", "y", "n", "t", "f"];
    if vals
        .iter()
        .all(|v| boolish.contains(&v.to_ascii_lowercase().as_str()))
    {
        return ("boolean".into(), String::new());
    }
    ("text".into(), String::new())
}

/// Sampled values of a timestamp or number field that the metric commands would
/// reject (not in the file's format, not a number), counted, with the first one
/// located: `None` when all read.
fn unreadable(
    file: &crate::input::InputFile,
    field: &crate::input::fields::Field,
    values: &[&str],
    format: Option<&timestamp::TsFormat>,
) -> Option<String> {
    let (kind, field) = (field.kind, field.name);
    let decimal_comma = file.decimal_comma.contains(&field);
    let (reads, what) = match (kind, format) {
        (Kind::Timestamp, Some(f)) => (
            Box::new(|v: &str| f.parses(v)) as Box<dyn Fn(&str) -> bool>,
            format!("a date-time in its format ({})", f.pattern),
        ),
        (Kind::Number, _) => (
            Box::new(move |v: &str| match decimal_comma {
                true => finite(&crate::input::decimal::normalized(v)),
                false => finite(v),
            }) as Box<dyn Fn(&str) -> bool>,
            "a number".to_string(),
        ),
        _ => return None,
    };
    let bad: Vec<usize> = values
        .iter()
        .enumerate()
        .filter(|(_, v)| !v.trim().is_empty() && !reads(v))
        .map(|(i, _)| i)
        .collect();
    let first = *bad.first()?;
    let at = match file.sniffed.sample.get(first).and_then(|r| r.position()) {
        Some(p) => format!("line {}", p.line()),
        None => format!("row {}", first + 1),
    };
    Some(format!(
        "{} of the {} values sampled {} not {what} (first at {at}: '{}'); the metric commands reject such values",
        bad.len(),
        values.len(),
        if bad.len() == 1 { "is" } else { "are" },
        shortened(&crate::text::printable(values[first]))
    ))
}

/// A number as the metric commands read one (`NaN` and `inf` are not).
fn finite(v: &str) -> bool {
    v.parse::<f64>().is_ok_and(f64::is_finite)
}

/// A value quoted in a message: its first 40 characters.
fn shortened(value: &str) -> String {
    match value.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &value[..at]),
        None => value.to_string(),
    }
}

pub fn run(a: &InspectArgs) -> Result<()> {
    crate::cmd::require_inputs(&a.input)?;
    let tz = parse_tz(&a.tz)?;
    // Judge the kind of data from the first file's headers; tickets when unsure.
    // Resolved once: stdin (or a pipe) can be read only once.
    let resolved =
        source::resolve_with(&a.input.inputs, a.input.encoding, a.input.sheet.as_deref())?;
    let headers = match resolved.first() {
        Some(src) => source::sniff(src, a.input.delimiter, 1)?.headers,
        None => Vec::new(),
    };
    let dataset = classify(&headers);
    let fields = dataset.unwrap_or(Dataset::Tickets).fields();
    let sources = crate::cmd::sources(&a.input, &[], &Default::default(), &Default::default());
    let input = Input::open_sources(resolved, &sources, fields, tz, false)?;
    let mut problems: Vec<String> = Vec::new();
    let kind = match dataset {
        Some(Dataset::Subscriptions) | Some(Dataset::ChurnSnapshot) => {
            match churn::Mode::choose(&input, false) {
                Ok(mode) => format!(
                    "{}; {}",
                    dataset.map_or("", |d| d.describe()),
                    mode.describe(&input)
                ),
                Err(e) => e.to_string(),
            }
        }
        Some(d) => d.describe().to_string(),
        None => {
            problems.push(
                "the headers match no known kind of data (tickets, survey responses, subscriptions, churn snapshot); shown as tickets".into(),
            );
            "unknown".into()
        }
    };
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
    let formats = match input.timestamp_formats(&ts_fields) {
        Ok(f) => f.into_iter().next().unwrap_or_default(),
        Err(e) => {
            problems.push(e.to_string());
            BTreeMap::new()
        }
    };
    let rows = input.count_rows()?;
    let file = &input.files[0];
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
    for (i, h) in file.sniffed.headers.iter().enumerate() {
        *seen.entry(normalize(h)).or_default() += 1;
        let field = by_column.get(h.as_str()).copied().unwrap_or("");
        // A missing-value marker (`NA`, `N/A`, `--na`) reads as a blank cell, as the
        // metric commands read it.
        let values: Vec<&str> = file
            .sniffed
            .sample
            .iter()
            // A row short of this column has it missing, as the metric commands read it.
            .map(|r| r.get(i).unwrap_or(""))
            .map(|v| if input.is_missing(field, v) { "" } else { v })
            .collect();
        let (mut kind, mut format) = detect_type(&values);
        if file.decimal_comma.contains(&field) {
            kind = "number (decimal comma)".into();
        }
        if let Some((_, what)) = unread.iter().find(|(name, _)| name == h) {
            kind = format!("{what} (not read)");
            problems.push(format!(
                "column '{h}' holds {what}, which cxm does not read (export it as text or a number to use it)"
            ));
        }
        if let Some(f) = formats.get(field) {
            format = format!("{} ({:?})", f.pattern, f.zone);
            // Nothing sampled to detect it from: the format it will be read with.
            if values.iter().all(|v| v.trim().is_empty()) {
                format.push_str(", assumed");
            }
        }
        let read_as = fields.iter().find(|f| f.name == field);
        if let Some(p) = read_as.and_then(|f| unreadable(file, f, &values, formats.get(field))) {
            problems.push(format!("column '{h}' ({field}): {p}"));
        }
        let empty = values.iter().filter(|v| v.trim().is_empty()).count();
        let example = values
            .iter()
            .find(|v| !v.trim().is_empty())
            .copied()
            .unwrap_or("");
        let example: String = example.chars().take(40).collect();
        if !values.is_empty() && empty == values.len() && !field.is_empty() {
            problems.push(format!(
                "column '{h}' ({field}) is empty in the first {} rows",
                values.len()
            ));
        }
        table.push_row(vec![
            Value::Text(h.clone()),
            Value::Text(field.to_string()),
            Value::Text(kind),
            Value::Text(format),
            Value::Int(empty as i64),
            Value::Text(example.replace('\n', " ")),
        ]);
    }
    for (name, n) in seen.iter().filter(|(_, n)| **n > 1) {
        problems.push(format!(
            "{n} headers normalise to '{name}': where that is a field, the metric commands stop until --map chooses one"
        ));
    }
    let layout = match (file.source.format, file.sniffed.delimiter) {
        (FileFormat::Parquet, _) => "Parquet".to_string(),
        (FileFormat::Csv, b'\t') => "delimiter tab".to_string(),
        (FileFormat::Csv, d) => format!("delimiter '{}'", d as char),
    };
    let title = format!(
        "{}: {} rows, {} columns, {layout}; types judged on the first {} rows",
        input
            .files
            .iter()
            .map(|f| f.source.name.as_str())
            .collect::<Vec<_>>()
            .join(" + "),
        rows,
        file.sniffed.headers.len(),
        file.sniffed.sample.len()
    );
    let preset = match file.preset {
        Some((p, true)) => format!(
            "\npreset: {} ({}), detected from the headers",
            p.name, p.describe
        ),
        Some((p, false)) => format!("\npreset: {} ({})", p.name, p.describe),
        None => String::new(),
    };
    let business = preset::vendor_business_columns(&file.sniffed.headers);
    if a.format.is_some() || a.output.is_some() {
        return write_document(a, title, kind, file.preset, table, &business, problems);
    }
    let title = format!("{title}\ndata: {kind}{preset}");
    let mut text = render::render(&Report { title, table }, Format::Table, 120);
    if !business.is_empty() {
        text.extend_from_slice(
            b"business hours (the vendor's own; not read as calendar time, see README \"Checking a helpdesk's business-hours figures\"):\n",
        );
        for (header, what) in business {
            text.extend_from_slice(format!("  - '{header}': {what}\n").as_bytes());
        }
    }
    text.extend_from_slice(b"problems:\n");
    if problems.is_empty() {
        text.extend_from_slice(b"  none found\n");
    }
    for p in problems {
        text.extend_from_slice(format!("  - {p}\n").as_bytes());
    }
    Target::Stdout.write(&text)
}

/// `--format` or `-o`: the same findings as a document of sections (columns, the
/// vendor's business-hours columns, problems), in any format.
fn write_document(
    a: &InspectArgs,
    summary: String,
    kind: String,
    preset: Option<(&'static preset::Preset, bool)>,
    columns: Table,
    business: &[(String, &'static str)],
    problems: Vec<String>,
) -> Result<()> {
    let out = crate::cli::OutputArgs {
        format: a.format,
        output: a.output.clone(),
        quiet: false,
        verbose: false,
        fail_if: Vec::new(),
    };
    crate::cmd::Paths {
        inputs: &a.input.inputs,
        config: None,
        outputs: &[("-o", a.output.as_deref())],
    }
    .check()?;
    let output = crate::cmd::Output::from_args(&out)?;
    // CSV is one table for a spreadsheet: the columns, one row each; the problems go
    // to stderr.
    if output.format == Format::Csv {
        for p in &problems {
            eprintln!("cxm: warning: {p}");
        }
        return output.emit(&Report {
            title: String::new(),
            table: columns,
        });
    }
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
    if matches!(output.format, Format::Json | Format::Ndjson) {
        let rows = facts
            .into_iter()
            .map(|(k, v)| vec![Value::Text(k.into()), Value::Text(v)])
            .collect();
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
    let rows = problems.into_iter().map(|p| vec![Value::Text(p)]).collect();
    sections.push(section(
        "problems",
        "Problems",
        Table::new(vec!["problem".into()], rows),
    ));
    output.write_document(&Document {
        title: "Inspect".into(),
        header,
        sections,
        previous: None,
    })
}
