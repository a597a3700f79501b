//! CSV: a header of exact column names, numbers to 4 decimals, empty for null, and
//! no text cell that a spreadsheet would run as a formula.

use crate::render::push_machine_cell;
use crate::report::{Cell, Table};

/// Prefix `'` to text that a spreadsheet would read as a formula (SPEC §6).
pub fn guard_formula(text: &str) -> String {
    if needs_guard(text) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

fn needs_guard(text: &str) -> bool {
    match text.as_bytes().first() {
        Some(b'+' | b'-') => !is_plain_number(&text[1..]),
        Some(b'=' | b'@' | b'\t' | b'\r') => true,
        _ => false,
    }
}

/// Digits, perhaps with a fraction after a point or a comma (`1`, `0.5`, `0,5`): a
/// signed one is a number to a spreadsheet, no formula, and is written as it is.
fn is_plain_number(text: &str) -> bool {
    let (whole, fraction) = match text.split_once(['.', ',']) {
        Some((w, f)) => (w, Some(f)),
        None => (text, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && fraction.is_none_or(digits)
}

pub fn render(table: &Table) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write(table, &mut out);
    out
}

/// [`render`], written to `out` as it goes. Written here rather than through the
/// `csv` crate's writer, with the same quoting: numbers go straight into the buffer,
/// where the writer's per-field state machine was half the time of writing a
/// million-row result.
pub fn write(table: &Table, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut header = Vec::new();
    push_record(table.columns.iter().map(|c| Cell::Text(c)), &mut header);
    out.write_all(&header)?;
    super::rows::write(
        table.height(),
        |i, buf| push_record(table.row(i).cells(), buf),
        out,
    )?;
    out.flush()
}

fn push_record<'a>(cells: impl Iterator<Item = Cell<'a>>, buf: &mut Vec<u8>) {
    let start = buf.len();
    for (i, v) in cells.enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        match v {
            Cell::Text(t) => push_text(t, buf),
            other => push_machine_cell(other, buf),
        }
    }
    end_record(start, buf);
}

/// A record with nothing in it is written `""`, so that it still reads as a record
/// of one empty field (as the `csv` crate writes it).
fn end_record(start: usize, buf: &mut Vec<u8>) {
    if buf.len() == start {
        buf.extend_from_slice(b"\"\"");
    }
    buf.push(b'\n');
}

/// Text, guarded against formulas, in quotes (inner quotes doubled) when it holds a
/// comma, a quote or a line break.
fn push_text(text: &str, buf: &mut Vec<u8>) {
    let guard = needs_guard(text);
    let quoted = text
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'));
    if quoted {
        buf.push(b'"');
    }
    if guard {
        buf.push(b'\'');
    }
    if quoted {
        for &b in text.as_bytes() {
            if b == b'"' {
                buf.push(b'"');
            }
            buf.push(b);
        }
        buf.push(b'"');
    } else {
        buf.extend_from_slice(text.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Value;

    #[test]
    fn formulas_are_defused_and_numbers_are_not() {
        let t = Table::new(
            vec!["agent".into(), "n".into(), "x".into()],
            vec![
                vec![
                    Value::Text("=HYPERLINK(\"x\")".into()),
                    Value::Int(-3),
                    Value::Float(-1.23456),
                ],
                vec![
                    Value::Text("@bob, jr".into()),
                    Value::Null,
                    Value::Float(2.0),
                ],
            ],
        );
        let out = String::from_utf8(render(&t)).unwrap();
        assert_eq!(
            out,
            "agent,n,x\n\"'=HYPERLINK(\"\"x\"\")\",-3,-1.2346\n\"'@bob, jr\",,2\n"
        );
    }

    /// A signed number is written as it is; a sign before anything else is guarded.
    #[test]
    fn signed_numbers_are_not_formulas() {
        for plain in ["-1", "+2", "-0,5", "-12.25", "7"] {
            assert_eq!(guard_formula(plain), plain);
        }
        for formula in ["-1+1", "+A1", "-", "-.5", "-1.", "-1e3", "--1", "-1,2,3"] {
            assert_eq!(guard_formula(formula), format!("'{formula}"), "{formula}");
        }
    }

    /// The same bytes as the `csv` crate's writer (quoting, the formula guard, a
    /// record with nothing in it), on cells of every kind.
    #[test]
    fn quotes_as_the_csv_crate_does() {
        use proptest::prelude::*;
        let text = prop::sample::select(vec![
            "",
            "a",
            "a,b",
            "say \"hi\"",
            "line\nbreak",
            "cr\r",
            "=1+2",
            "-x",
            "@y,z",
            "\t",
            "plain text",
            "é",
            "\"",
        ]);
        let value = prop_oneof![
            Just(Value::Null),
            any::<i64>().prop_map(Value::Int),
            (-1e6f64..1e6).prop_map(Value::Float),
            text.clone().prop_map(|t| Value::Text(t.to_string())),
        ];
        let table = (1usize..4).prop_flat_map(move |width| {
            let names = prop::collection::vec(text.clone(), width);
            let rows = prop::collection::vec(prop::collection::vec(value.clone(), width), 0..5);
            (names, rows)
        });
        proptest!(|((names, rows) in table)| {
            let t = Table::new(names.iter().map(|n| n.to_string()).collect(), rows);
            let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
            w.write_record(t.columns.iter().map(|c| guard_formula(c))).unwrap();
            let mut text = String::new();
            for row in t.rows() {
                for v in row.cells() {
                    text.clear();
                    match v {
                        Cell::Text(t) => text.push_str(&guard_formula(t)),
                        other => push_machine_cell(other, &mut text),
                    }
                    w.write_field(text.as_bytes()).unwrap();
                }
                w.write_record(None::<&[u8]>).unwrap();
            }
            let want = w.into_inner().unwrap();
            prop_assert_eq!(String::from_utf8(render(&t)).unwrap(), String::from_utf8(want).unwrap());
        });
    }
}
