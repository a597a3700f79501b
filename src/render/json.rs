//! JSON and NDJSON.
//!
//! The contract: JSON is an array of objects, one per result row, keys in column
//! order (group columns, `period`, then metrics). NDJSON is the same objects, one per
//! line. Numbers are rounded to 4 decimals; a metric with no data is `null`.

use crate::render::{push_machine_cell, Ascii};
use crate::report::{Cell, Table};

fn push_value(out: &mut Vec<u8>, v: Cell) {
    match v {
        Cell::Null => out.push_ascii(b"null"),
        Cell::Text(t) => push_string(out, t),
        number => push_machine_cell(number, out),
    }
}

fn push_string(out: &mut Vec<u8>, s: &str) {
    // Most texts (ids, names) need no escape: written as they are. Else serde_json's
    // escaping; writing to a Vec cannot fail.
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
        return;
    }
    let _ = serde_json::to_writer(out, s);
}

/// Each column's `"name":`, escaped once for every row.
fn keys(columns: &[String]) -> Vec<Vec<u8>> {
    columns
        .iter()
        .map(|c| {
            let mut key = Vec::new();
            push_string(&mut key, c);
            key.push(b':');
            key
        })
        .collect()
}

fn push_object<'a>(out: &mut Vec<u8>, keys: &[Vec<u8>], row: impl IntoIterator<Item = Cell<'a>>) {
    out.push(b'{');
    for (i, (key, v)) in keys.iter().zip(row).enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(key);
        push_value(out, v);
    }
    out.push(b'}');
}

pub fn object<'a>(columns: &[String], row: impl IntoIterator<Item = Cell<'a>>) -> String {
    let mut out = Vec::new();
    push_object(&mut out, &keys(columns), row);
    // Escaped by serde_json and ASCII otherwise: UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// The whole document as bytes.
pub fn render(table: &Table, lines: bool) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write(table, lines, &mut out);
    out
}

/// [`render`], written to `out` as it goes (no per-row strings).
pub fn write(table: &Table, lines: bool, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let keys = keys(&table.columns);
    if lines {
        return super::rows::write(
            table.height(),
            |i, buf| {
                push_object(buf, &keys, table.row(i).cells());
                buf.push(b'\n');
            },
            out,
        );
    }
    if table.is_empty() {
        return out.write_all(b"[]\n");
    }
    out.write_all(b"[\n")?;
    super::rows::write(
        table.height(),
        |i, buf| {
            buf.extend_from_slice(if i == 0 { b"  " } else { b",\n  " });
            push_object(buf, &keys, table.row(i).cells());
        },
        out,
    )?;
    out.write_all(b"\n]\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Value;

    #[test]
    fn objects_keep_column_order_and_nulls() {
        let t = Table::new(
            vec!["team".into(), "tickets".into(), "sla_pct".into()],
            vec![vec![Value::Text("a\"b".into()), Value::Int(3), Value::Null]],
        );
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

    /// Texts are written as serde_json writes them: quotes, backslashes, control
    /// characters and any other character.
    #[test]
    fn strings_as_serde_json_writes_them() {
        use proptest::prelude::*;
        let text = prop::collection::vec(
            prop_oneof![
                Just('"'),
                Just('\\'),
                Just('\n'),
                Just('\u{1}'),
                Just('\u{7f}'),
                Just('é'),
                Just('/'),
                any::<char>(),
                prop::char::range('a', 'z'),
            ],
            0..12,
        )
        .prop_map(|chars| chars.into_iter().collect::<String>());
        proptest!(|(s in text)| {
            let mut out = Vec::new();
            push_string(&mut out, &s);
            prop_assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&s).unwrap());
        });
    }
}
