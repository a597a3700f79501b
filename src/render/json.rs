//! JSON and NDJSON.
//!
//! The contract: JSON is an array of objects, one per result row, keys in column
//! order (group columns, `period`, then metrics). NDJSON is the same objects, one per
//! line. Numbers are rounded to 4 decimals; a metric with no data is `null`.

use crate::render::number;
use crate::report::{Table, Value};

fn value(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => number(*f, 4),
        Value::Text(t) => serde_json::Value::String(t.clone()).to_string(),
    }
}

pub fn object(columns: &[String], row: &[Value]) -> String {
    let fields: Vec<String> = columns
        .iter()
        .zip(row)
        .map(|(c, v)| format!("{}:{}", serde_json::Value::String(c.clone()), value(v)))
        .collect();
    format!("{{{}}}", fields.join(","))
}

pub fn render(table: &Table, lines: bool) -> Vec<u8> {
    let objects: Vec<String> = table
        .rows
        .iter()
        .map(|r| object(&table.columns, r))
        .collect();
    let text = if lines {
        objects.iter().map(|o| format!("{o}\n")).collect::<String>()
    } else if objects.is_empty() {
        "[]\n".to_string()
    } else {
        format!("[\n  {}\n]\n", objects.join(",\n  "))
    };
    text.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_keep_column_order_and_nulls() {
        let t = Table {
            columns: vec!["team".into(), "tickets".into(), "sla_pct".into()],
            rows: vec![vec![Value::Text("a\"b".into()), Value::Int(3), Value::Null]],
        };
        let out = String::from_utf8(render(&t, false)).unwrap();
        assert_eq!(
            out,
            "[\n  {\"team\":\"a\\\"b\",\"tickets\":3,\"sla_pct\":null}\n]\n"
        );
        let parsed: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(parsed[0]["tickets"], 3);
        let nd = String::from_utf8(render(&t, true)).unwrap();
        assert_eq!(nd.lines().count(), 1);
    }
}
