//! CSV: a header of exact column names, numbers to 4 decimals, empty for null, and
//! no text cell that a spreadsheet would run as a formula.

use crate::render::machine_cell;
use crate::report::{Table, Value};

/// Prefix `'` to text that a spreadsheet would read as a formula (SPEC §6).
pub fn guard_formula(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

fn cell(v: &Value) -> String {
    match v {
        Value::Text(t) => guard_formula(t),
        other => machine_cell(other),
    }
}

pub fn render(table: &Table) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    // Writing to a Vec cannot fail; a failure here would be a bug, reported as empty output.
    let _ = w.write_record(table.columns.iter().map(|c| guard_formula(c)));
    for row in &table.rows {
        let _ = w.write_record(row.iter().map(cell));
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_numbers_are_not() {
        let t = Table {
            columns: vec!["agent".into(), "n".into(), "x".into()],
            rows: vec![
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
        };
        let out = String::from_utf8(render(&t)).unwrap();
        assert_eq!(
            out,
            "agent,n,x\n\"'=HYPERLINK(\"\"x\"\")\",-3,-1.2346\n\"'@bob, jr\",,2\n"
        );
    }
}
