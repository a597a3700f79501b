//! Markdown: a heading and a pipe table, ready to paste into a wiki or an email.

use crate::render::{human_headers, human_rows};
use crate::report::Report;

/// A cell's text as Markdown shows it literally: the table's `|`, emphasis,
/// strikethrough, code and link marks escaped, `&` `<` as entities, so a value never becomes markup (a
/// team named `<b>VIP</b>` or `*urgent*` reads as written). `>` stays as written (a
/// rule `csat_pct>80` mailed as plain text): with `<` escaped it closes no tag, and
/// no escaped text starts a line, where it would begin a quote.
pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '~' => {
                out.push('\\');
                out.push(c);
            }
            // `&amp;` would show as `&`: the ampersand itself as an entity.
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
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
        let cells: Vec<String> = row.iter().map(|v| escape(v)).collect();
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
        assert_eq!(escape("&amp; ~~s~~"), "&amp;amp; \\~\\~s\\~\\~");
        assert_eq!(escape("<script>x</script>"), "&lt;script>x&lt;/script>");
        assert_eq!(
            escape("*x* [y](http://e) `z`"),
            "\\*x\\* \\[y\\](http://e) \\`z\\`"
        );
        assert_eq!(escape("first response (h)"), "first response (h)");
        assert_eq!(escape("1,234.50"), "1,234.50");
    }
}
