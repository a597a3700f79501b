//! Ids a dataframe library wrote as floats: pandas keeps an integer column with a
//! gap (an id some rows lack) as floats, and its CSV writes `7.0` for the id `7`.
//! Such a column is read as the integers it holds, so that its ids meet the same
//! ids written elsewhere (as a Parquet file's whole floats are read).

use polars::prelude::*;

use super::missing::Markers;

/// The id fields read this way: those that join one file to another.
pub const FIELDS: [&str; 2] = ["ticket_id", "customer_id"];

/// Does an id column whose sample is `values` write every id as a whole float
/// (`7.0`, `-3.0`), with at least one id?
pub fn written_as_floats(values: &[&str], markers: &Markers) -> bool {
    let mut any = false;
    for v in values.iter().filter(|v| !markers.is_missing(v)) {
        if as_integer(v).is_none() {
            return false;
        }
        any = true;
    }
    any
}

/// `7` of `7.0` (or `7.00`): the digits before a fraction of zeros; `None` for
/// any other value.
fn as_integer(v: &str) -> Option<&str> {
    let v = v.trim();
    let (whole, zeros) = v.split_once('.')?;
    let digits = whole.strip_prefix('-').unwrap_or(whole);
    let is_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (is_digits(digits) && is_digits(zeros) && zeros.bytes().all(|b| b == b'0')).then_some(whole)
}

/// A column of such ids with each whole float as its integer (any other value as
/// written).
pub fn as_integers(c: Expr) -> Expr {
    c.map(
        |c| {
            let Ok(values) = c.str() else {
                return Ok(c);
            };
            let out: StringChunked = (values.iter())
                .map(|v| v.map(|v| as_integer(v).unwrap_or(v)))
                .collect();
            Ok(out.with_name(c.name().clone()).into_column())
        },
        |_, f| Ok(f.clone()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_column_of_whole_floats_is_read_as_integers() {
        let markers = Markers::new(&[]);
        assert!(written_as_floats(&["7.0", "", "12.0", "-3.0"], &markers));
        assert!(!written_as_floats(&["7.0", "8"], &markers));
        assert!(!written_as_floats(&["7.5"], &markers));
        assert!(!written_as_floats(&["", "  "], &markers));
        assert!(!written_as_floats(&["1.0.0", "2.0"], &markers));
        assert!(!written_as_floats(&[".0"], &markers));
        assert_eq!(as_integer("7.00"), Some("7"));
        assert_eq!(as_integer(" 42.0 "), Some("42"));
        assert_eq!(as_integer("7.01"), None);
        assert_eq!(as_integer("A7.0"), None);
    }
}
