//! Rendering a [`Report`] as a terminal table, CSV, JSON, NDJSON, Markdown or HTML, and
//! writing it ([`Target`]) to stdout or atomically to a file.
//!
//! Numbers: CSV and JSON round to 4 decimals; tables and Markdown round for reading
//! (2 decimals). A metric with no data is an empty cell in CSV, `null` in JSON and
//! `–` in tables.

mod chart;
mod csv;
pub use self::csv::guard_formula;
pub mod document;
mod html;
mod json;
pub mod markdown;
mod rows;
pub mod table;
mod target;
pub mod triangle;
pub(crate) use target::parent_dir;
pub use target::{
    commit_staged, discard_staged, guard_stdout, hold_renames, is_staged, is_stdout, stage,
    stdout_closed, take_staged, Target,
};

use std::path::Path;

use crate::report::{Cell, Report};

/// Output formats (SPEC §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Table,
    Csv,
    Json,
    Ndjson,
    Markdown,
    Html,
}

/// Choose the format: `--format`, else the extension of `-o`, else table on a
/// terminal and CSV otherwise.
pub fn choose_format(flag: Option<Format>, output: Option<&Path>, stdout_is_tty: bool) -> Format {
    if let Some(f) = flag {
        return f;
    }
    if let Some(path) = output {
        return format_of_extension(path).unwrap_or(Format::Csv);
    }
    if stdout_is_tty {
        Format::Table
    } else {
        Format::Csv
    }
}

/// The format a file name's extension names, if it names one.
pub fn format_of_extension(path: &Path) -> Option<Format> {
    let name = path.to_string_lossy().to_ascii_lowercase();
    // `week.csv.gz` is CSV, compressed.
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let has = |exts: &[&str]| exts.iter().any(|e| name.ends_with(e));
    Some(match () {
        _ if has(&[".json"]) => Format::Json,
        _ if has(&[".ndjson", ".jsonl"]) => Format::Ndjson,
        _ if has(&[".md", ".markdown"]) => Format::Markdown,
        _ if has(&[".html", ".htm"]) => Format::Html,
        _ if has(&[".txt"]) => Format::Table,
        _ if has(&[".csv"]) => Format::Csv,
        _ => return None,
    })
}

/// Render to `out`: the machine formats as they go (a result of millions of rows is
/// never held twice), the formats for people whole.
pub fn write(
    report: &Report,
    format: Format,
    width: u16,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Csv => csv::write(&report.table, out),
        Format::Json => json::write(&report.table, false, out),
        Format::Ndjson => json::write(&report.table, true, out),
        Format::Table | Format::Markdown | Format::Html => {
            out.write_all(&render(report, format, width))
        }
    }
}

/// One command's report as an HTML page, `about` (what it covers) and the warnings
/// said under its title.
pub fn html_page(report: &Report, about: &[String], warnings: &[String]) -> String {
    html::report(report, about, warnings)
}

/// Render to bytes.
pub fn render(report: &Report, format: Format, width: u16) -> Vec<u8> {
    match format {
        Format::Table => table::render(report, width).into_bytes(),
        Format::Csv => csv::render(&report.table),
        Format::Json => json::render(&report.table, false),
        Format::Ndjson => json::render(&report.table, true),
        Format::Markdown => markdown::render(report).into_bytes(),
        Format::Html => html::report(report, &[], &[]).into_bytes(),
    }
}

/// A number rounded to `decimals`, printed without trailing zeros.
pub fn number(x: f64, decimals: i32) -> String {
    let r = rounded(x, decimals);
    let places = decimals.max(0) as usize;
    // Rounded to whole units of the last decimal: printed as exactly that many, less
    // trailing zeros (the shortest form of 600000000000.0179 is …018, a decimal short).
    if r.is_finite() && (r * 10f64.powi(decimals)).abs() < EXACT_UNITS {
        let exact = format!("{r:.places$}");
        return match places {
            0 => exact,
            _ => exact
                .trim_end_matches('0')
                .trim_end_matches('.')
                .to_string(),
        };
    }
    let shortest = format!("{r}");
    match shortest.split_once('.') {
        // A float too large to round by scaling keeps its own digits, and may have a
        // decimal more than asked: rounded exactly, trailing zeros left out.
        Some((_, fraction)) if fraction.len() > places => {
            let exact = format!("{r:.places$}");
            let trimmed = exact.trim_end_matches('0').trim_end_matches('.');
            trimmed.to_string()
        }
        _ => shortest,
    }
}

/// [`number`]`(x, 4)`, appended to `out` without building a string per number:
/// the value is rounded to a whole number of ten-thousandths and printed from that
/// integer, which gives the same digits as printing the rounded float while it has
/// at most 15 significant digits (so up to 10^11); beyond, [`number`] itself.
#[inline]
pub fn push_number4(x: f64, out: &mut impl Ascii) {
    let scaled = x * 10_000.0;
    // Past 2^53 ten-thousandths the scaling itself rounds (and NaN): the fallback
    // below prints it.
    let n = match scaled.abs() < EXACT_UNITS {
        true => crate::cells::rounded_whole(scaled),
        false => i64::MAX,
    };
    let abs = n.unsigned_abs();
    if abs >= 1_000_000_000_000_000 {
        out.push_ascii(number(x, 4).as_bytes());
        return;
    }
    let (whole, fraction) = (abs / 10_000, abs % 10_000);
    let tail = FRACTIONS[fraction as usize];
    let sign = usize::from(n < 0);
    let head = sign + digit_count(whole);
    out.push_printed(head + (tail >> 56) as usize, |buf| {
        buf[0] = b'-';
        put_digits(whole, &mut buf[sign..head]);
        // All 8 bytes in one store; past the tail's length they are cut off.
        buf[head..head + 8].copy_from_slice(&tail.to_le_bytes());
    });
}

/// Each fraction of ten-thousandths as printed after the whole part: `.` and its
/// digits without trailing zeros (nothing for 0) in the low bytes, its length in the
/// top byte. Looked up rather than worked out digit by digit for every number.
static FRACTIONS: [u64; 10_000] = fractions();

const fn fractions() -> [u64; 10_000] {
    let mut table = [0u64; 10_000];
    let mut f = 1;
    while f < 10_000 {
        let digits = [f / 1000, f / 100 % 10, f / 10 % 10, f % 10];
        let mut len = 4;
        while digits[len - 1] == 0 {
            len -= 1;
        }
        let mut word = b'.' as u64;
        let mut d = 0;
        while d < len {
            word |= (b'0' as u64 + digits[d] as u64) << (8 * (d + 1));
            d += 1;
        }
        table[f] = word | ((len as u64 + 1) << 56);
        f += 1;
    }
    table
}

/// How many decimal digits `n` has (1 for 0).
#[inline]
fn digit_count(n: u64) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// `n` in decimal, zero-padded to fill `dst` (which must be at least as long as
/// its digits). Without `core::fmt`, whose formatting machinery was a fifth of
/// writing a million-row CSV.
#[inline]
fn put_digits(mut n: u64, dst: &mut [u8]) {
    // Two digits at a time, from a table of 00 to 99.
    const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
        2021222324252627282930313233343536373839\
        4041424344454647484950515253545556575859\
        6061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899";
    let mut end = dst.len();
    while end >= 2 {
        let pair = (n % 100) as usize * 2;
        n /= 100;
        dst[end - 2..end].copy_from_slice(&PAIRS[pair..pair + 2]);
        end -= 2;
    }
    if end == 1 {
        dst[0] = b'0' + (n % 10) as u8;
    }
}

/// Where numbers are printed: text, or the bytes of a machine format.
pub trait Ascii {
    /// Append ASCII bytes.
    fn push_ascii(&mut self, ascii: &[u8]);

    /// Append the first `len` ASCII bytes (at most [`PRINTED_MAX`]) of what `fill`
    /// writes (it may write past them).
    #[inline]
    fn push_printed(&mut self, len: usize, fill: impl FnOnce(&mut [u8; PRINTED_MAX])) {
        let mut buf = [b'0'; PRINTED_MAX];
        let len = len.min(PRINTED_MAX);
        fill(&mut buf);
        self.push_ascii(&buf[..len]);
    }
}

/// The longest number [`Ascii::push_printed`] takes.
const PRINTED_MAX: usize = 32;

impl Ascii for String {
    fn push_ascii(&mut self, ascii: &[u8]) {
        self.extend(ascii.iter().map(|&b| char::from(b)));
    }
}

impl Ascii for Vec<u8> {
    #[inline]
    fn push_ascii(&mut self, ascii: &[u8]) {
        self.extend_from_slice(ascii);
    }

    /// Written in place: a fixed 32 bytes appended (a few stores), filled, cut
    /// back. Printing into a buffer on the stack and copying it out stalled on every
    /// cell (wide loads of bytes just stored one or two at a time).
    #[inline]
    fn push_printed(&mut self, len: usize, fill: impl FnOnce(&mut [u8; PRINTED_MAX])) {
        let at = self.len();
        let len = len.min(PRINTED_MAX);
        self.extend_from_slice(&[b'0'; PRINTED_MAX]);
        if let Some(buf) = self.last_chunk_mut::<PRINTED_MAX>() {
            fill(buf);
        }
        self.truncate(at + len);
    }
}

/// A whole number in decimal, appended to `out`.
#[inline]
fn push_int(i: i64, out: &mut impl Ascii) {
    let abs = i.unsigned_abs();
    let sign = usize::from(i < 0);
    let len = sign + digit_count(abs);
    out.push_printed(len, |buf| {
        buf[0] = b'-';
        put_digits(abs, &mut buf[sign..len]);
    });
}

/// `x` rounded to `decimals`, as the machine formats print it.
pub fn rounded(x: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    // Past 2^53 units of the last decimal, a float has no digits that far after the
    // point, and scaling it would round it (134450807687990 was …989.98; and could
    // overflow to infinity): it is kept as it is.
    if !x.is_finite() || (x * scale).abs() >= EXACT_UNITS {
        return x;
    }
    let r = (x * scale).round() / scale;
    if r == 0.0 {
        0.0 // no "-0"
    } else {
        r
    }
}

/// A cell for machine formats (CSV): 4 decimals, empty for null.
pub fn machine_cell(v: Cell) -> String {
    match v {
        Cell::Null => String::new(),
        Cell::Int(i) => i.to_string(),
        Cell::Float(f) => number(f, 4),
        Cell::Text(t) => t.to_string(),
        Cell::Bool(b) => b.to_string(),
    }
}

/// A number cell as [`machine_cell`] prints it, appended to `out` (a text cell is
/// appended as it is, nothing for null).
#[inline]
pub fn push_machine_cell(v: Cell, out: &mut impl Ascii) {
    match v {
        Cell::Null => {}
        Cell::Int(i) => push_int(i, out),
        Cell::Float(f) => push_number4(f, out),
        Cell::Text(t) => out.push_ascii(t.as_bytes()),
        Cell::Bool(b) => out.push_ascii(if b { b"true" } else { b"false" }),
    }
}

/// How a document for people labels a warning said on stderr: a broken `--fail-if`
/// rule fails the run (exit 4), an alert, as stderr's error says; the rest warnings.
pub fn warning_label(warning: &str) -> &'static str {
    match warning.starts_with("--fail-if ") && warning.contains(" breached: ") {
        true => "alert",
        false => "warning",
    }
}

/// A cell for people (tables, Markdown): 2 fixed decimals, `–` for null.
pub fn human_cell(v: Cell) -> String {
    match v {
        Cell::Null => "–".to_string(),
        Cell::Int(i) => i.to_string(),
        Cell::Float(f) => fixed(f, 2),
        Cell::Text(t) => crate::text::printable(t),
        // `small_sample`: a question a person asks, answered.
        Cell::Bool(b) => if b { "yes" } else { "no" }.to_string(),
    }
}

/// `x` to `decimals` fixed decimals: [`number`]'s digits, padded with zeros. A
/// huge float's exact binary digits are not the number's: its own, as CSV writes
/// them (`71428571428571436000000.00`, not `…435761664.00`).
fn fixed(x: f64, decimals: usize) -> String {
    // Most figures: one format of the rounded value, which has these digits exactly.
    if x.is_finite() && (x * 10f64.powi(decimals as i32)).abs() < EXACT_UNITS {
        return format!("{:.decimals$}", rounded(x, decimals as i32));
    }
    let shown = number(x, decimals as i32);
    let (whole, fraction) = shown.split_once('.').unwrap_or((&shown, ""));
    match decimals {
        0 => whole.to_string(),
        d => format!("{whole}.{fraction:0<d$}"),
    }
}

/// Units of the last decimal past which a float no longer holds each one: 2^53.
const EXACT_UNITS: f64 = 9_007_199_254_740_992.0;

/// The headline metrics: drawn over the buckets in HTML, sparklines in tables.
pub const HEADLINES: &[&str] = &[
    "tickets",
    "first_response_median_hours",
    "first_response_median_minutes",
    "first_response_median_seconds",
    "sla_pct",
    "csat_pct",
    "nps",
    "churn_pct",
];

/// Which way a compared metric's move is good: `Some(true)` where a rise is (shares
/// met, satisfaction, NPS), `Some(false)` where a fall is (waits, churn, reopens),
/// `None` where neither (counts).
pub fn rise_is_better(metric: &str) -> Option<bool> {
    const RISE: &[&str] = &[
        "sla_pct",
        "fcr_pct",
        "csat_pct",
        "csat_mean",
        // On every CES scale a higher mean is easier: a lower-is-easier scale is
        // turned over as it is read.
        "ces_mean",
        "ces_easy_pct",
        "nps",
        "retention_pct",
        "nrr_pct",
        "grr_pct",
    ];
    const FALL: &[&str] = &["churn_pct", "mrr_churn_pct", "reopen_pct"];
    match metric {
        m if RISE.contains(&m) => Some(true),
        m if FALL.contains(&m) => Some(false),
        m if m.starts_with("first_response_") || m.starts_with("resolution_") => Some(false),
        _ => None,
    }
}

/// Is column `name` a compared change (`change` of the compare section, `…_delta` of
/// `surveys --compare`), shown with its sign?
fn is_change(name: &str) -> bool {
    name == "change" || name.ends_with("_delta")
}

/// Escaped text with the spaces a page would trim or collapse (Markdown's cells,
/// HTML's runs of spaces) as `&nbsp;`: the leading and trailing ones and all but the
/// first of a run, so that ` c ` and `c`, two groups, do not show as one name twice.
pub(super) fn spaces_kept(text: String) -> String {
    if !text.starts_with(' ') && !text.ends_with(' ') && !text.contains("  ") {
        return text;
    }
    let trailing_from = text.trim_end_matches(' ').len();
    let mut out = String::with_capacity(text.len() + 16);
    let mut after_space = true;
    for (i, c) in text.char_indices() {
        match c == ' ' && (after_space || i >= trailing_from) {
            true => out.push_str("&nbsp;"),
            false => out.push(c),
        }
        after_space = c == ' ';
    }
    out
}

/// The cells of a table for people, row by row: [`human_cell`] with thousands
/// separators, money (`mrr…` columns) without decimals when every amount of the
/// column is whole, and a change's sign (`+4.91`).
pub fn human_rows(t: &crate::report::Table) -> Vec<Vec<String>> {
    let whole_money: Vec<bool> = t
        .columns
        .iter()
        .enumerate()
        .map(|(i, name)| {
            // `mrr_churn_pct` is a share, not money.
            name.starts_with("mrr")
                && !name.ends_with("_pct")
                && t.rows().all(|r| match r.get(i) {
                    Cell::Float(f) => rounded(f, 2).fract() == 0.0,
                    _ => true,
                })
        })
        .collect();
    // The compare section names its metrics in a column: named as their headers are.
    let metric_names: Vec<bool> = t.columns.iter().map(|c| c == "headline").collect();
    // A p-value to 4 decimals, as the CSV has it: to 2, `0.05` stood for both 0.0455
    // and 0.0547, either side of the test's cut (one change coloured, one not). One
    // below what 4 decimals show is `<0.0001`, not a `0.0000` that reads as certainty.
    let p_values: Vec<bool> = (t.columns.iter())
        .map(|c| c == "p_value" || c.ends_with("_delta_p") || c.ends_with("_p_value"))
        .collect();
    let changes: Vec<bool> = t.columns.iter().map(|c| is_change(c)).collect();
    t.rows()
        .map(|r| {
            r.cells()
                .enumerate()
                .map(|(i, v)| match v {
                    Cell::Text(name) if metric_names[i] => {
                        crate::text::printable(&human_header(name))
                    }
                    Cell::Int(n) if changes[i] && n > 0 => {
                        format!("+{}", thousands(&n.to_string()))
                    }
                    Cell::Int(n) => thousands(&n.to_string()),
                    Cell::Float(f) if p_values[i] && f < 0.00005 => "<0.0001".to_string(),
                    Cell::Float(f) if p_values[i] && f.is_finite() => {
                        format!("{:.4}", rounded(f, 4))
                    }
                    Cell::Float(f) if f.is_finite() => {
                        let decimals = if whole_money[i] { 0 } else { 2 };
                        let shown = rounded(f, decimals as i32);
                        let sign = if changes[i] && shown > 0.0 { "+" } else { "" };
                        format!("{sign}{}", thousands(&fixed(f, decimals)))
                    }
                    other => human_cell(other),
                })
                .collect()
        })
        .collect()
}

/// `1234567.5` as `1,234,567.5`: commas in the whole part of a number.
pub fn thousands(number: &str) -> String {
    let (sign, rest) = match number.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", number),
    };
    let (whole, fraction) = match rest.find('.') {
        Some(p) => rest.split_at(p),
        None => (rest, ""),
    };
    if !whole.bytes().all(|b| b.is_ascii_digit()) {
        return number.to_string();
    }
    let mut out = String::with_capacity(number.len() + whole.len() / 3);
    out.push_str(sign);
    for (k, c) in whole.chars().enumerate() {
        if k > 0 && (whole.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out.push_str(fraction);
    out
}

/// The headers of a table for people: a metric's as [`human_header`] words it; a
/// text column (a group key, a label) keeps its name, underscores as spaces, since
/// a raw column's `_pct` or `_hours` says nothing of its values.
pub fn human_headers(t: &crate::report::Table) -> Vec<String> {
    t.columns
        .iter()
        .enumerate()
        .map(|(i, c)| match t.is_text(i) && !is_verdict(c) {
            // A group column is named as the data's header: made safe to print.
            true => crate::text::printable(&c.replace('_', " ")),
            false => crate::text::printable(&human_header(c)),
        })
        .collect()
}

/// A per-ticket SLA verdict's column (`sla_first_response`: achieved, breached…),
/// worded as its target's column beside it.
fn is_verdict(column: &str) -> bool {
    crate::metrics::sla::SlaMetric::ALL
        .iter()
        .any(|m| column.strip_prefix("sla_") == Some(m.name()))
}

/// A column header for people: units spelled out, `_pct` as `%` (before a compared
/// window's suffix too: `csat_pct_prev` is `csat % prev`).
pub fn human_header(name: &str) -> String {
    // The tests of `surveys --compare previous`, named by what they test.
    match name {
        "csat_delta_p" => return "csat % delta p".into(),
        "ces_delta_p" => return "ces easy % delta p".into(),
        _ => {}
    }
    const COMPARED: [&str; 6] = [
        "_delta_p",
        "_p_value",
        "_prev",
        "_previous",
        "_delta",
        "_change",
    ];
    let (name, compared) = COMPARED
        .iter()
        .find_map(|c| name.strip_suffix(c).map(|stem| (stem, *c)))
        .unwrap_or((name, ""));
    let mut s = name.to_string();
    for (suffix, unit) in [
        ("_hours", " (h)"),
        ("_minutes", " (min)"),
        ("_seconds", " (s)"),
        ("_pct", " %"),
    ] {
        if let Some(stem) = s.strip_suffix(suffix) {
            s = format!("{stem}{unit}");
            break;
        }
    }
    format!("{s}{compared}")
        .replace("first_response", "1st response")
        .replace('_', " ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn spaces_a_page_would_lose_are_kept() {
        let kept = |t: &str| super::spaces_kept(t.to_string());
        assert_eq!(kept(" c "), "&nbsp;c&nbsp;");
        assert_eq!(kept("a  b"), "a &nbsp;b");
        assert_eq!(kept("a b"), "a b");
        assert_eq!(kept("  "), "&nbsp;&nbsp;");
        assert_eq!(kept("é  ü "), "é &nbsp;ü&nbsp;");
    }

    use super::*;
    use std::path::PathBuf;

    /// A per-ticket verdict is worded as its target beside it; a group column keeps
    /// the data's name.
    #[test]
    fn verdicts_are_worded_as_their_targets() {
        use crate::report::{Table, Value};
        let text = |s: &str| Value::Text(s.into());
        let t = Table::new(
            [
                "first_response_team",
                "sla_first_response",
                "sla_first_response_target_hours",
            ]
            .map(String::from)
            .to_vec(),
            vec![vec![text("a"), text("achieved"), Value::Float(1.0)]],
        );
        assert_eq!(
            human_headers(&t),
            [
                "first response team",
                "sla 1st response",
                "sla 1st response target (h)"
            ]
        );
    }

    /// A p-value reads to 4 decimals for people, one too small for them `<0.0001`.
    #[test]
    fn tiny_p_values_are_not_zero_for_people() {
        use crate::report::{Table, Value};
        let t = Table::new(
            vec![
                "headline".into(),
                "p_value".into(),
                "nps_delta_p".into(),
                "value".into(),
            ],
            vec![
                vec![
                    Value::Text("nps".into()),
                    Value::Float(4e-19),
                    Value::Float(0.0049),
                    Value::Float(0.001),
                ],
                vec![
                    Value::Text("sla_pct".into()),
                    Value::Float(0.0493),
                    Value::Float(0.005),
                    Value::Float(0.0),
                ],
            ],
        );
        let rows = human_rows(&t);
        assert_eq!(rows[0][1..], ["<0.0001", "0.0049", "0.00"]);
        assert_eq!(rows[1][1..], ["0.0493", "0.0050", "0.00"]);
    }

    /// Rounding to 4 decimals never overflows a finite number into `inf` (10^305 ×
    /// 10^4 would), so JSON stays JSON.
    #[test]
    fn huge_numbers_print_as_numbers() {
        for x in [1.7e308, -1e305, 1e15 + 0.5] {
            let mut out = String::new();
            push_number4(x, &mut out);
            let back: f64 = out.parse().unwrap_or(f64::NAN);
            assert!(
                back.is_finite() && (back - x).abs() <= x.abs() * 1e-15,
                "{x}: {out}"
            );
        }
        assert_eq!(number(1234.56789, 4), "1234.5679");
    }

    /// A huge figure is shown with its shortest digits, as CSV writes it, not the
    /// binary value's exact expansion (`…435761664.00`).
    #[test]
    fn huge_figures_keep_their_shortest_digits() {
        assert_eq!(
            human_cell(Cell::Float(7.142857142857143e22)),
            "71428571428571430000000.00"
        );
        assert_eq!(human_cell(Cell::Float(1e15)), "1000000000000000.00");
        assert_eq!(
            human_cell(Cell::Float(1234567890123456.8)),
            "1234567890123456.80"
        );
        assert_eq!(human_cell(Cell::Float(2.5)), "2.50");
        assert_eq!(fixed(7.142857142857135e16, 2), "71428571428571350.00");
        // Past 2^39 a float's shortest form may hold fewer decimals than it has.
        let big: f64 = "600000000000.0179".parse().unwrap_or_default();
        assert_eq!(number(big, 4), "600000000000.0179");
        assert_eq!(number(0.1 + 0.2, 4), "0.3");
        assert_eq!(number(-0.00001, 4), "0");
        assert_eq!(fixed(1234567890123456.5, 0), "1234567890123457");
    }

    #[test]
    fn thousands_go_in_the_whole_part_only() {
        assert_eq!(thousands("88543.50"), "88,543.50");
        assert_eq!(thousands("-1234567"), "-1,234,567");
        assert_eq!(thousands("999"), "999");
        assert_eq!(thousands("0.1234"), "0.1234");
        assert_eq!(thousands("2025-W09"), "2025-W09");
    }

    #[test]
    fn money_drops_decimals_only_when_every_amount_is_whole() {
        use crate::report::{Table, Value};
        let t = Table::new(
            vec!["mrr".into(), "mrr_end".into(), "nps".into()],
            vec![
                vec![
                    Value::Float(2581.0),
                    Value::Float(88543.5),
                    Value::Float(12.0),
                ],
                vec![Value::Float(100.0), Value::Float(1.0), Value::Int(1234)],
            ],
        );
        let rows = human_rows(&t);
        assert_eq!(rows[0], ["2,581", "88,543.50", "12.00"]);
        assert_eq!(rows[1], ["100", "1.00", "1,234"]);
        // A share of MRR is no amount: two decimals, whole or not.
        let t = Table::new(
            vec!["mrr_churn_pct".into()],
            vec![vec![Value::Float(0.0009)], vec![Value::Float(0.0)]],
        );
        assert_eq!(human_rows(&t), [["0.00"], ["0.00"]]);
    }

    proptest::proptest! {
        /// The fast path prints what printing the rounded float prints.
        #[test]
        fn fast_numbers_print_as_the_rounded_float(
            x in proptest::prelude::any::<f64>(),
            n in -1_000_000_000_000_000i64..1_000_000_000_000_000,
            near in -1e11f64..1e11,
        ) {
            for v in [x, n as f64 / 10_000.0, near, (n as f64 + 0.5) / 10_000.0] {
                let mut fast = String::new();
                push_number4(v, &mut fast);
                proptest::prop_assert_eq!(&fast, &number(v, 4), "{}", v);
                let mut bytes = b"x,".to_vec();
                push_number4(v, &mut bytes);
                proptest::prop_assert_eq!(bytes, format!("x,{fast}").into_bytes());
            }
        }
    }

    /// Every fraction of ten-thousandths, after a whole part and alone, positive and
    /// negative: what printing the rounded float prints.
    #[test]
    fn every_fraction_prints_as_the_rounded_float() {
        for f in 0..10_000u32 {
            for whole in [0.0, 7.0, 123_456.0] {
                for v in [
                    whole + f64::from(f) / 10_000.0,
                    -(whole + f64::from(f) / 10_000.0),
                ] {
                    let mut bytes = Vec::new();
                    push_number4(v, &mut bytes);
                    assert_eq!(String::from_utf8(bytes).unwrap(), number(v, 4), "{v}");
                }
            }
        }
    }

    proptest::proptest! {
        /// Whole numbers print as Rust prints them, the extremes too.
        #[test]
        fn whole_numbers_print_as_rust_prints_them(i in proptest::prelude::any::<i64>()) {
            for v in [i, 0, 1, -1, 9, 10, i64::MIN, i64::MAX] {
                let mut fast = String::new();
                push_int(v, &mut fast);
                proptest::prop_assert_eq!(&fast, &v.to_string());
                let mut bytes = Vec::new();
                push_int(v, &mut bytes);
                proptest::prop_assert_eq!(bytes, v.to_string().into_bytes());
            }
        }
    }

    #[test]
    fn numbers_round_to_four_decimals_without_trailing_zeros() {
        for x in [
            48.414873,
            30.0,
            -0.00001,
            2.5,
            -2.5,
            0.00005,
            -1234.56789,
            1e12 + 0.5,
        ] {
            let mut fast = String::new();
            push_number4(x, &mut fast);
            assert_eq!(fast, number(x, 4), "{x}");
        }
        assert_eq!(number(48.414873, 4), "48.4149");
        assert_eq!(number(30.0, 4), "30");
        assert_eq!(number(-0.00001, 4), "0");
        assert_eq!(number(2.5, 4), "2.5");
    }

    #[test]
    fn headers_show_units() {
        assert_eq!(
            human_header("first_response_p90_hours"),
            "1st response p90 (h)"
        );
        assert_eq!(
            human_header("resolution_mean_minutes"),
            "resolution mean (min)"
        );
        assert_eq!(human_header("sla_pct"), "sla %");
        assert_eq!(human_header("csat_pct_prev"), "csat % prev");
        assert_eq!(human_header("ces_easy_pct_delta_p"), "ces easy % delta p");
        assert_eq!(
            human_header("first_response_median_hours_previous"),
            "1st response median (h) previous"
        );
        // The same words for every column of a metric.
        assert_eq!(human_header("sla_first_response_pct"), "sla 1st response %");
        assert_eq!(
            human_header("sla_first_response_achieved"),
            "sla 1st response achieved"
        );
    }

    #[test]
    fn format_from_extension() {
        let p = |s: &str| Some(PathBuf::from(s));
        assert_eq!(
            choose_format(None, p("a.json").as_deref(), true),
            Format::Json
        );
        assert_eq!(
            choose_format(None, p("a.md").as_deref(), true),
            Format::Markdown
        );
        assert_eq!(
            choose_format(None, p("a.ndjson").as_deref(), true),
            Format::Ndjson
        );
        assert_eq!(
            choose_format(None, p("a.csv").as_deref(), true),
            Format::Csv
        );
        assert_eq!(
            choose_format(Some(Format::Json), p("a.csv").as_deref(), true),
            Format::Json
        );
        assert_eq!(choose_format(None, None, true), Format::Table);
        assert_eq!(choose_format(None, None, false), Format::Csv);
    }
}
