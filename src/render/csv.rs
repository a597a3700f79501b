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

/// A cell's text into `out` (cleared first).
fn cell(v: Cell, out: &mut String) {
    out.clear();
    match v {
        Cell::Text(t) if needs_guard(t) => {
            out.push('\'');
            out.push_str(t);
        }
        other => push_machine_cell(other, out),
    }
}

fn needs_guard(text: &str) -> bool {
    matches!(
        text.chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r')
    )
}

pub fn render(table: &Table) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write(table, &mut out);
    out
}

/// [`render`], written to `out` as it goes (the csv writer buffers).
pub fn write(table: &Table, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut w = csv::WriterBuilder::new().from_writer(out);
    w.write_record(table.columns.iter().map(|c| guard_formula(c)))?;
    // One buffer for every cell: no string is built per cell.
    let mut text = String::new();
    for row in table.rows() {
        for v in row.cells() {
            cell(v, &mut text);
            w.write_field(text.as_bytes())?;
        }
        w.write_record(None::<&[u8]>)?;
    }
    w.flush()
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
}
