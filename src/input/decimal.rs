//! Numbers written with a decimal comma (`29,50`, `1.200,50`, `1 200,00`), as
//! spreadsheets save them in French, German or Spanish. A number column is read this
//! way when its sampled values show a decimal comma and none reads only with a
//! decimal point (`29.50`): then `1.200` is twelve hundred, not 1.2. Otherwise the
//! column is read with a decimal point, and a value with a comma is unreadable
//! (rejected and located), never read as another number, unless the column's sampled
//! values show thousands commas (`1,200`, `15,000.50`) in a comma-separated file,
//! where a quoted `"1,200"` is twelve hundred. Either way a currency sign before or
//! after an amount (`$20.00`, `12,50 €`) is left out.

use std::borrow::Cow;

use polars::prelude::*;

/// Does a number column whose sample is `values` write decimal commas?
pub fn writes_decimal_comma(values: &[&str]) -> bool {
    let mut comma = false;
    for v in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        let v = without_currency(v);
        match comma_form(&v) {
            Some(has_comma) => comma |= has_comma,
            None if point_decimal(&v) => return false,
            None => {}
        }
    }
    comma
}

/// Does a number column whose sample is `values`, read with a decimal point, write
/// thousands commas (`1,200`) or currency signs (`$20`)? `Some(thousands)` when it
/// does: thousands commas are read only when the sample shows them, in a file not
/// separated by semicolons (`delimiter`; there `1,200` is as likely 1.2 written with
/// a decimal comma, so it stays unreadable).
pub fn writes_grouped(values: &[&str], delimiter: u8) -> Option<bool> {
    let values = || values.iter().map(|v| v.trim()).filter(|v| !v.is_empty());
    if writes_decimal_comma(&values().collect::<Vec<_>>()) {
        return None;
    }
    let thousands = delimiter != b';' && values().any(|v| thousands_form(&without_currency(v)));
    let currency = values().any(|v| without_currency(v).len() != v.len());
    (thousands || currency).then_some(thousands)
}

/// Does an amount carry a currency sign (`$1,200.00`, `12,50 €`)?
pub fn has_currency_sign(v: &str) -> bool {
    let v = v.trim();
    without_currency(v).len() != v.len()
}

/// A currency sign an amount may carry.
const CURRENCY: [char; 5] = ['$', '€', '£', '¥', '₹'];

/// `v` without one currency sign before or after it (spaces between allowed), a
/// minus sign kept in front (`$20.00` is `20.00`, `-$5` and `$-5` are `-5`, `+$5` is
/// `5`, `12,50 €` is `12,50`); else `v` as it is.
fn without_currency(v: &str) -> Cow<'_, str> {
    let (negative, plus, rest) = match (v.strip_prefix('-'), v.strip_prefix('+')) {
        (Some(r), _) => (true, false, r),
        (None, Some(r)) => (false, true, r),
        (None, None) => (false, false, v),
    };
    // A sign alone is no amount (rejected as written, not read as blank).
    let Some(bare) = (rest.strip_prefix(CURRENCY))
        .or_else(|| rest.strip_suffix(CURRENCY))
        .map(str::trim)
        .filter(|b| !b.is_empty())
    else {
        return v.into();
    };
    match (negative, bare.strip_prefix('-')) {
        _ if plus && bare.starts_with(['-', '+']) => v.into(),
        (false, None) => bare.into(),
        (true, None) | (false, Some(_)) => format!("-{}", bare.trim_start_matches('-')).into(),
        // `-$-5`, `+$-5`: not an amount.
        (true, Some(_)) => v.into(),
    }
}

/// Is `v` `[-]d{1,3}(,ddd)+[.d+]`: whole part in groups of three split by commas?
fn thousands_form(v: &str) -> bool {
    let unsigned = v.strip_prefix('-').unwrap_or(v);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (unsigned, None),
    };
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or("");
    let digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    whole.contains(',')
        && (1..=3).contains(&first.len())
        && digits(first)
        && groups.all(|g| g.len() == 3 && digits(g))
        && fraction.is_none_or(|f| !f.is_empty() && digits(f))
}

/// `v` as a plain number of a column [`writes_grouped`]: without its currency sign,
/// and without thousands commas when `thousands`; else `v` as it is (left for the
/// number parser to read or reject).
pub fn ungrouped(v: &str, thousands: bool) -> Cow<'_, str> {
    let t = v.trim();
    let bare = without_currency(t);
    match thousands && thousands_form(&bare) {
        true => bare.replace(',', "").into(),
        false if bare.len() != t.len() => bare.into_owned().into(),
        false => v.into(),
    }
}

/// The text column `c` of a column [`writes_grouped`] as plain numbers ([`ungrouped`]).
pub fn ungrouped_column(c: Expr, thousands: bool) -> Expr {
    c.map(
        move |c| {
            let Ok(values) = c.str() else {
                return Ok(c);
            };
            let out: StringChunked = (values.iter())
                .map(|v| v.map(|v| ungrouped(v, thousands)))
                .collect();
            Ok(out.with_name(c.name().clone()).into_column())
        },
        |_, f| Ok(f.clone()),
    )
}

/// What a decimal-comma column's value written with a decimal point alone reads as:
/// no number (its rows are rejected and located). Read as 1.2, `1.20` would sit beside
/// `1.200` read as twelve hundred in the same column.
const POINT_IN_A_COMMA_COLUMN: &str = "(a decimal point in a column of decimal commas)";

/// `v` with a decimal point and no thousands separator, when it is of the
/// decimal-comma form; no number when it reads only with a decimal point (`1.20`);
/// else `v` as it is.
pub fn normalized(v: &str) -> Cow<'_, str> {
    let t = without_currency(v.trim());
    match comma_form(&t) {
        Some(_) => t
            .chars()
            .filter_map(|c| match c {
                ',' => Some('.'),
                '.' | ' ' | '\u{a0}' | '\u{202f}' => None,
                c => Some(c),
            })
            .collect::<String>()
            .into(),
        // `1.20`, `+1.20`, `1.`, `1.5e2`: a point where the column writes commas.
        None if t.contains('.') => POINT_IN_A_COMMA_COLUMN.into(),
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

/// `Some(shows the comma form: a decimal comma, or dots that can only be thousands)`
/// when `v` is `[-]digits[,digits]` with its whole part either plain or in groups of
/// three split by one kind of separator (`.`, a space, a no-break space); `None`
/// otherwise.
fn comma_form(v: &str) -> Option<bool> {
    let unsigned = v.strip_prefix(['-', '+']).unwrap_or(v);
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
            // No group follows a lone `0` (`0.125` is a point decimal).
            (1..=3).contains(&first.len())
                && !first.starts_with('0')
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
    // Two or more groups after dots (`1.234.567`) can only be thousands: the comma
    // form's, so a `1.200` beside it is twelve hundred.
    let dotted_groups = separator == Some('.') && whole.matches('.').count() >= 2;
    grouped.then_some((fraction.is_some() && !thousands_too) || dotted_groups)
}

/// Does `v` read only with a decimal point (`29.50`, `1200.5`, `1,200.50`)?
fn point_decimal(v: &str) -> bool {
    let unsigned = v.strip_prefix(['-', '+']).unwrap_or(v);
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
        // Two dots of groups can only be thousands: the comma form, `1.200` too.
        assert!(writes_decimal_comma(&["1.200", "990", "1.234.567"]));
        assert!(!writes_decimal_comma(&["1.234.567", "29.50"]));
        // No thousands group follows a lone 0: `0.125` is a point decimal, and in a
        // column of commas a point's, rejected (it was 125).
        assert!(!writes_decimal_comma(&["1.234.567", "0.125"]));
        assert_eq!(normalized("0.500"), POINT_IN_A_COMMA_COLUMN);
        assert_eq!(normalized("1.500"), "1500");
        assert!(!writes_decimal_comma(&["29.50", "1,5"]));
        assert!(!writes_decimal_comma(&["+29.50", "1,5"]));
        assert!(writes_decimal_comma(&["+29,50", "1"]));
        assert!(!writes_decimal_comma(&["1,200.50", "3,5"]));
        assert!(!writes_decimal_comma(&["12", "7"]));
        // `1,200` is US thousands as much as 1.2: no evidence of a decimal comma
        // (read with a point, a comma is then rejected, never read as 1.2).
        assert!(!writes_decimal_comma(&["1,200", "2,500", "15,000", "450"]));
        assert!(writes_decimal_comma(&["1,200", "29,50"]));
        assert!(writes_decimal_comma(&["0,125", "3"]));
    }

    #[test]
    fn thousands_commas_and_currency_signs_are_read_in_a_point_column() {
        // Quoted `"1,200"` beside `20.00`: twelve hundred, in a comma-separated file.
        assert_eq!(
            writes_grouped(&["1,200", "20.00", "5.25"], b','),
            Some(true)
        );
        assert_eq!(writes_grouped(&["$1,200", "2,500"], b','), Some(true));
        // In a semicolon-separated file `1,200` may be 1.2: not read as thousands.
        assert_eq!(writes_grouped(&["1,200", "20"], b';'), None);
        // A currency sign, whatever the separator; thousands only when shown.
        assert_eq!(writes_grouped(&["$20.00", "5"], b';'), Some(false));
        assert_eq!(writes_grouped(&["$20.00", "5"], b','), Some(false));
        // A decimal-comma column is not grouped; nor is one of plain numbers.
        assert_eq!(writes_grouped(&["29,50", "1,200"], b','), None);
        assert_eq!(writes_grouped(&["20.00", "1200", ""], b','), None);
        for (v, thousands, want) in [
            ("1,200", true, "1200"),
            ("15,000.50", true, "15000.50"),
            ("-1,234,567", true, "-1234567"),
            ("$1,010.50", true, "1010.50"),
            ("-$5", true, "-5"),
            ("$-5", true, "-5"),
            ("+$5", true, "5"),
            ("$+5", true, "+5"),
            ("+$-5", true, "+$-5"),
            ("12.50 €", true, "12.50"),
            ("£ 3", true, "3"),
            ("20.00", true, "20.00"),
            // Not of the form: left for the number parser to reject.
            ("1,2", true, "1,2"),
            ("12,34,567", true, "12,34,567"),
            ("1,200.", true, "1,200."),
            ("-$-5", true, "-$-5"),
            ("$", true, "$"),
            ("- €", true, "- €"),
            // No thousands in a semicolon file: the sign goes, the comma stays.
            ("$1,200", false, "1,200"),
        ] {
            assert_eq!(ungrouped(v, thousands), want, "{v}");
        }
        // A decimal-comma column's amounts lose their sign too.
        assert_eq!(normalized("1.200,50 €"), "1200.50");
        assert!(writes_decimal_comma(&["12,50 €", "3 €"]));
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
            // A decimal point alone: not read (as 29.5 it would sit beside `1.200`
            // read as 1200).
            ("29.50", POINT_IN_A_COMMA_COLUMN),
            ("-0.5", POINT_IN_A_COMMA_COLUMN),
            ("+1.20", POINT_IN_A_COMMA_COLUMN),
            ("1.", POINT_IN_A_COMMA_COLUMN),
            ("1.5e2", POINT_IN_A_COMMA_COLUMN),
            ("+1,20", "+1.20"),
            // Not of the form: left for the number parser to read or reject.
            ("1.20.0", POINT_IN_A_COMMA_COLUMN),
            ("12.34,5", POINT_IN_A_COMMA_COLUMN),
            ("1,2,3", "1,2,3"),
            ("abc", "abc"),
        ] {
            assert_eq!(normalized(v), want, "{v}");
        }
    }
}
