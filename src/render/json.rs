//! JSON and NDJSON.
//!
//! The contract: JSON is an array of objects, one per result row, keys in column
//! order (group columns, `period`, then metrics). NDJSON is the same objects, one per
//! line. Numbers are rounded to 4 decimals; a metric with no data is `null`.

use crate::render::push_number4;
use crate::report::{Cell, Table};

fn push_value(out: &mut String, v: Cell) {
    match v {
        Cell::Null => out.push_str("null"),
        Cell::Int(i) => {
            use std::fmt::Write;
            let _ = write!(out, "{i}");
        }
        Cell::Float(f) => push_number4(f, out),
        Cell::Text(t) => push_string(out, t),
    }
}

fn push_string(out: &mut String, s: &str) {
    // serde_json's escaping, written straight into the output.
    let _ = serde_json::to_writer(StringWriter(out), s);
}

/// `io::Write` into a `String` (serde_json writes valid UTF-8 only).
struct StringWriter<'a>(&'a mut String);

impl std::io::Write for StringWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = std::str::from_utf8(buf)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        self.0.push_str(text);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn push_object<'a>(out: &mut String, columns: &[String], row: impl IntoIterator<Item = Cell<'a>>) {
    out.push('{');
    for (i, (c, v)) in columns.iter().zip(row).enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_string(out, c);
        out.push(':');
        push_value(out, v);
    }
    out.push('}');
}

pub fn object<'a>(columns: &[String], row: impl IntoIterator<Item = Cell<'a>>) -> String {
    let mut out = String::new();
    push_object(&mut out, columns, row);
    out
}

/// The whole document as bytes.
pub fn render(table: &Table, lines: bool) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write(table, lines, &mut out);
    out
}

/// Bytes gathered before they are written out.
const CHUNK: usize = 1 << 16;

/// [`render`], written to `out` a chunk at a time (no per-row strings).
pub fn write(table: &Table, lines: bool, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut buf = String::with_capacity(CHUNK + 1024);
    let mut flush = |buf: &mut String, at_least: usize| -> std::io::Result<()> {
        if buf.len() >= at_least {
            out.write_all(buf.as_bytes())?;
            buf.clear();
        }
        Ok(())
    };
    if lines {
        for row in table.rows() {
            push_object(&mut buf, &table.columns, row.cells());
            buf.push('\n');
            flush(&mut buf, CHUNK)?;
        }
    } else if table.is_empty() {
        buf.push_str("[]\n");
    } else {
        buf.push_str("[\n");
        for (i, row) in table.rows().enumerate() {
            buf.push_str(if i == 0 { "  " } else { ",\n  " });
            push_object(&mut buf, &table.columns, row.cells());
            flush(&mut buf, CHUNK)?;
        }
        buf.push_str("\n]\n");
    }
    flush(&mut buf, 0)
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
}
