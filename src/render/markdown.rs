//! Markdown: a heading and a pipe table, ready to paste into a wiki or an email.

use crate::render::{human_headers, human_rows};
use crate::report::Report;

/// A cell's text as Markdown shows it literally: the table's `|`, emphasis,
/// strikethrough, code and link marks escaped, `&` and a `<` that could open a tag as
/// entities, so a value never becomes markup (a team named `<b>VIP</b>` or `*urgent*`
/// reads as written). `>` and `<0.0001` stay as written (a rule `csat_pct>80` mailed
/// as plain text): no tag is opened, and a value opening a line is [`escape_item`]'s.
pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '~' => {
                out.push('\\');
                out.push(c);
            }
            // `&amp;` would show as `&`: the ampersand itself as an entity.
            '&' => out.push_str("&amp;"),
            // Only where a tag could begin (`<b`, `</`, `<!`, `<?`): `<0.0001` stays.
            '<' if chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')) =>
            {
                out.push_str("&lt;")
            }
            '\n' | '\r' => out.push(' '),
            // As the tables show it: an escape sequence is no markup either.
            c if crate::text::unprintable(c) => out.push_str(&c.escape_default().to_string()),
            c => out.push(c),
        }
    }
    out
}

/// A value that opens a list item (`- {value}`), escaped as [`escape`] does and so
/// that its first characters begin no block inside the item: a quote (`>q.csv`), a
/// heading (`# q.csv`), a list (`- x`, `+ x`, `1. x`).
pub(super) fn escape_item(s: &str) -> String {
    let out = escape(s);
    if out.starts_with(['>', '#', '+', '-']) {
        return format!("\\{out}");
    }
    let digits = out.bytes().take_while(u8::is_ascii_digit).count();
    match out.as_bytes().get(digits) {
        Some(b'.' | b')') if digits > 0 => format!("{}\\{}", &out[..digits], &out[digits..]),
        _ => out,
    }
}

/// The run's warnings under a heading of their own (none: nothing), as the HTML page
/// lists them: a document mailed from a cron job says what stderr said.
/// `heading`: the marks of the document's section headings (`##`, `###`).
pub fn warnings(warnings: &[String], heading: &str) -> String {
    if warnings.is_empty() {
        return String::new();
    }
    let mut out = format!("\n{heading} Warnings\n\n");
    for w in warnings {
        out.push_str(&format!("- {}: {}\n", super::warning_label(w), escape(w)));
    }
    out
}

pub fn render(report: &Report) -> String {
    let t = &report.table;
    let mut out = String::new();
    if !report.title.is_empty() {
        out.push_str(&format!("### {}\n\n", escape(&report.title)));
    }
    let numeric: Vec<bool> = (0..t.columns.len()).map(|i| t.is_numeric(i)).collect();
    let header: Vec<String> = human_headers(t).iter().map(|c| escape(c)).collect();
    out.push_str(&format!("| {} |\n", header.join(" | ")));
    let align: Vec<&str> = numeric
        .iter()
        .map(|&n| if n { "---:" } else { ":---" })
        .collect();
    out.push_str(&format!("|{}|\n", align.join("|")));
    for row in human_rows(t) {
        let cells: Vec<String> = row.iter().map(|v| super::spaces_kept(escape(v))).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn values_never_become_markup() {
        assert_eq!(escape("a|b"), "a\\|b");
        // Opening a list item: no quote, heading or list of its own.
        assert_eq!(super::escape_item(">q.csv: 1 row"), "\\>q.csv: 1 row");
        assert_eq!(super::escape_item("# q.csv"), "\\# q.csv");
        assert_eq!(super::escape_item("- x"), "\\- x");
        assert_eq!(super::escape_item("12. x"), "12\\. x");
        assert_eq!(super::escape_item("2025-01-01: x"), "2025-01-01: x");
        assert_eq!(super::escape_item("tickets: a > b"), "tickets: a > b");
        assert_eq!(escape("&amp; ~~s~~"), "&amp;amp; \\~\\~s\\~\\~");
        assert_eq!(escape("<script>x</script>"), "&lt;script>x&lt;/script>");
        assert_eq!(escape("<0.0001 <!-- x"), "<0.0001 &lt;!-- x");
        assert_eq!(
            escape("*x* [y](http://e) `z`"),
            "\\*x\\* \\[y\\](http://e) \\`z\\`"
        );
        assert_eq!(escape("first response (h)"), "first response (h)");
        assert_eq!(escape("1,234.50"), "1,234.50");
    }
}
