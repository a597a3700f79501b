//! Numbers written with a decimal comma (`29,50`, `1.200,50`, `1 200,00`), as
//! spreadsheets save them in French, German or Spanish. A number column is read this
//! way when its sampled values show a decimal comma and none reads only with a
//! decimal point (`29.50`): then `1.200` is twelve hundred, not 1.2. Otherwise the
//! column is read with a decimal point, and a value with a comma is unreadable
//! (rejected and located), never read as another number.

use polars::prelude::*;

/// Does a number column whose sample is `values` write decimal commas?
pub fn writes_decimal_comma(values: &[&str]) -> bool {
    let mut comma = false;
    for v in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        match comma_form(v) {
            Some(has_comma) => comma |= has_comma,
            None if point_decimal(v) => return false,
            None => {}
        }
    }
    comma
}

/// `v` with a decimal point and no thousands separator, when it is of the
/// decimal-comma form; else `v` as it is.
pub fn normalized(v: &str) -> std::borrow::Cow<'_, str> {
    let t = v.trim();
    match comma_form(t) {
        Some(_) => t
            .chars()
            .filter_map(|c| match c {
                ',' => Some('.'),
                '.' | ' ' | '\u{a0}' | '\u{202f}' => None,
                c => Some(c),
            })
            .collect::<String>()
            .into(),
        None => v.into(),
    }
}

/// The text column `c` with its decimal-comma values rewritten with a point.
pub fn rewritten(c: Expr) -> Expr {
    c.map(
        |c| {
            let Ok(values) = c.str() else {
                return Ok(c);
            };
            let out: StringChunked = values.iter().map(|v| v.map(normalized)).collect();
            Ok(out.with_name(c.name().clone()).into_column())
        },
        |_, f| Ok(f.clone()),
    )
}

/// `Some(has a decimal comma)` when `v` is `[-]digits[,digits]` with its whole part
/// either plain or in groups of three split by one kind of separator (`.`, a space, a
/// no-break space); `None` otherwise.
fn comma_form(v: &str) -> Option<bool> {
    let unsigned = v.strip_prefix('-').unwrap_or(v);
    let (whole, fraction) = match unsigned.split_once(',') {
        Some((w, f)) => (w, Some(f)),
        None => (unsigned, None),
    };
    if fraction.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let separator = whole.chars().find(|c| !c.is_ascii_digit());
    let grouped = match separator {
        None => !whole.is_empty(),
        Some(sep @ ('.' | ' ' | '\u{a0}' | '\u{202f}')) => {
            let mut groups = whole.split(sep);
            let first = groups.next().unwrap_or("");
            (1..=3).contains(&first.len())
                && first.bytes().all(|b| b.is_ascii_digit())
                && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
        }
        Some(_) => false,
    };
    // A dot alone with three digits after it (`1.200`) fits both readings: it is
    // evidence of neither, so it counts only with a comma somewhere. So does a comma
    // alone with three digits after it (`1,200`, `15,000`: US thousands as much as a
    // decimal comma), unless the whole part could not start a group (`0,125`).
    let thousands_too = separator.is_none()
        && (1..=3).contains(&whole.len())
        && !whole.starts_with('0')
        && fraction.is_some_and(|f| f.len() == 3);
    grouped.then_some(fraction.is_some() && !thousands_too)
}

/// Does `v` read only with a decimal point (`29.50`, `1200.5`, `1,200.50`)?
fn point_decimal(v: &str) -> bool {
    let unsigned = v.strip_prefix('-').unwrap_or(v);
    match unsigned.rsplit_once('.') {
        Some((whole, fraction)) => {
            !fraction.is_empty()
                && fraction.bytes().all(|b| b.is_ascii_digit())
                && whole.bytes().all(|b| b.is_ascii_digit() || b == b',')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_writes_decimal_commas_only_with_a_comma_and_no_point_decimal() {
        assert!(writes_decimal_comma(&[
            "1.200", "29,50", "1.200,50", "1 200,00", "99"
        ]));
        assert!(writes_decimal_comma(&["0,5", "", "12"]));
        // Only three-digit groups after a dot: either reading fits, so the point.
        assert!(!writes_decimal_comma(&["1.200", "99", "2.500"]));
        assert!(!writes_decimal_comma(&["29.50", "1,5"]));
        assert!(!writes_decimal_comma(&["1,200.50", "3,5"]));
        assert!(!writes_decimal_comma(&["12", "7"]));
        // `1,200` is US thousands as much as 1.2: no evidence of a decimal comma
        // (read with a point, a comma is then rejected, never read as 1.2).
        assert!(!writes_decimal_comma(&["1,200", "2,500", "15,000", "450"]));
        assert!(writes_decimal_comma(&["1,200", "29,50"]));
        assert!(writes_decimal_comma(&["0,125", "3"]));
    }

    #[test]
    fn comma_values_are_rewritten_with_a_point() {
        for (v, want) in [
            ("29,50", "29.50"),
            ("1,200", "1.200"),
            ("1.200", "1200"),
            ("1.200,50", "1200.50"),
            ("-1 200,00", "-1200.00"),
            ("1\u{a0}234\u{a0}567,8", "1234567.8"),
            ("99", "99"),
            // Not of the form: left for the number parser to read or reject.
            ("29.50", "29.50"),
            ("1.20.0", "1.20.0"),
            ("12.34,5", "12.34,5"),
            ("1,2,3", "1,2,3"),
            ("abc", "abc"),
        ] {
            assert_eq!(normalized(v), want, "{v}");
        }
    }
}
