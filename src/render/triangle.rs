//! The cohort triangle for people: tidy cohort rows (`<groups>, cohort, age,
//! customers, …, retention_pct, …`) pivoted to one row per group and cohort, its size,
//! then one column per age holding the retention %.

use crate::metrics::retention::COHORT;
use crate::report::{Cell, Table, Value};

fn owned(c: Cell) -> Value {
    match c {
        Cell::Null => Value::Null,
        Cell::Int(i) => Value::Int(i),
        Cell::Float(f) => Value::Float(f),
        Cell::Text(t) => Value::Text(t.to_string()),
        Cell::Bool(b) => Value::Bool(b),
    }
}

/// The triangle of a tidy cohort table; the table itself when it is not one.
pub fn triangle(tidy: &Table) -> Table {
    let at = |name: &str| tidy.columns.iter().position(|c| c == name);
    let (Some(cohort), Some(age), Some(customers), Some(pct)) =
        (at(COHORT), at("age"), at("customers"), at("retention_pct"))
    else {
        return tidy.clone();
    };
    // Group columns come before the cohort; rows arrive by group, cohort, age.
    let keys = cohort + 1;
    let mut rows: Vec<(Vec<Value>, Vec<Value>)> = Vec::new();
    let mut ages = 0;
    for r in tidy.rows() {
        let key: Vec<Value> = (0..keys).map(|i| owned(r.get(i))).collect();
        let a = match r.get(age) {
            Cell::Int(a) => a.max(0) as usize,
            _ => continue,
        };
        if rows.last().is_none_or(|(k, _)| *k != key) {
            let mut head = key.clone();
            head.push(owned(r.get(customers)));
            rows.push((key, head));
        }
        if let Some((_, row)) = rows.last_mut() {
            // The head holds the keys and the size; age a sits after them.
            while row.len() < keys + 1 + a {
                row.push(Value::Null);
            }
            row.push(owned(r.get(pct)));
        }
        ages = ages.max(a + 1);
    }
    let mut columns: Vec<String> = tidy.columns[..keys].to_vec();
    columns.push("customers".into());
    columns.extend((0..ages).map(|a| format!("{a}")));
    let rows = rows
        .into_iter()
        .map(|(_, mut row)| {
            row.resize(columns.len(), Value::Null);
            row
        })
        .collect();
    Table::new(columns, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_rows_become_a_triangle() {
        let cols = ["cohort", "age", "customers", "active", "retention_pct"];
        let row = |c: &str, a: i64, n: i64, act: i64, p: f64| {
            vec![
                Value::Text(c.into()),
                Value::Int(a),
                Value::Int(n),
                Value::Int(act),
                Value::Float(p),
            ]
        };
        let tidy = Table::new(
            cols.iter().map(|c| c.to_string()).collect(),
            vec![
                row("2025-01", 0, 4, 4, 100.0),
                row("2025-01", 1, 4, 2, 50.0),
                row("2025-02", 0, 2, 1, 50.0),
            ],
        );
        let t = triangle(&tidy);
        assert_eq!(t.columns, vec!["cohort", "customers", "0", "1"]);
        let cells: Vec<Vec<Cell>> = t.rows().map(|r| r.cells().collect()).collect();
        assert_eq!(
            cells,
            vec![
                vec![
                    Cell::Text("2025-01"),
                    Cell::Int(4),
                    Cell::Float(100.0),
                    Cell::Float(50.0)
                ],
                vec![
                    Cell::Text("2025-02"),
                    Cell::Int(2),
                    Cell::Float(50.0),
                    Cell::Null
                ],
            ]
        );
    }
}
