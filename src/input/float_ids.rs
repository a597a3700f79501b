//! Ids a dataframe library wrote as floats: pandas keeps an integer column with a
//! gap (an id some rows lack) as floats, and its CSV writes `7.0` for the id `7`
//! (`7,0` with `decimal=','`).
//! Such a column is read as the integers it holds, so that its ids meet the same
//! ids written elsewhere (as a Parquet file's whole floats are read).

use polars::prelude::*;

use super::missing::Markers;

/// The id fields read this way: those that join one file to another.
pub const FIELDS: [&str; 2] = ["ticket_id", "customer_id"];

/// May an id column whose sample is `values` write ids as whole floats (`7.0`): does
/// the sample hold one, or no id at all (a column with a gap as long as the sample)?
/// Each whole float is then read as its integer, any other id as written: the
/// decision is the file's, and ids written alike in two files must meet whatever
/// else each holds.
pub fn written_as_floats(values: &[&str], markers: &Markers) -> bool {
    let mut ids = values.iter().filter(|v| !markers.is_missing(v)).peekable();
    ids.peek().is_none() || ids.any(|v| as_integer(v).is_some())
}

/// `7` of `7.0` (or `7.00`, or `7,0` as pandas writes it with `decimal=','`): the
/// digits before a fraction of zeros; `None` for any other value. A comma before
/// three zeros (`1,000`) is a thousands separator, not read so.
pub fn as_integer(v: &str) -> Option<&str> {
    let v = v.trim();
    let (whole, zeros) = match v.split_once(',') {
        Some((w, z)) if z.len() < 3 && !v.contains('.') => (w, z),
        Some(_) => return None,
        None => v.split_once('.')?,
    };
    let digits = whole.strip_prefix('-').unwrap_or(whole);
    let is_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let whole_float = is_digits(digits) && is_digits(zeros) && zeros.bytes().all(|b| b == b'0');
    // `-0.0` is 0, as a Parquet file's float reads.
    let zero = digits.bytes().all(|b| b == b'0');
    whole_float.then_some(if zero { digits } else { whole })
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
    fn a_column_with_whole_floats_reads_them_as_integers() {
        let markers = Markers::new(&[]);
        assert!(written_as_floats(&["7.0", "", "12.0", "-3.0"], &markers));
        // One whole float is enough: `1.0` here must meet `1.0` read elsewhere.
        assert!(written_as_floats(&["7.0", "1.5"], &markers));
        assert!(!written_as_floats(&["7.5", "T1"], &markers));
        assert!(!written_as_floats(&["1.0.0", ".0"], &markers));
        // No id in the sample: the rest of the column may hold them.
        assert!(written_as_floats(&["", "  "], &markers));
        assert_eq!(as_integer("7.00"), Some("7"));
        assert_eq!(as_integer(" 42.0 "), Some("42"));
        assert_eq!(as_integer("7.01"), None);
        assert_eq!(as_integer("A7.0"), None);
        assert_eq!(as_integer("-0.0"), Some("0"));
        assert_eq!(as_integer("-3.0"), Some("-3"));
        // pandas' decimal commas (`to_csv(decimal=',')`), not thousands.
        assert_eq!(as_integer("1001,0"), Some("1001"));
        assert_eq!(as_integer("7,00"), Some("7"));
        assert_eq!(as_integer("1,000"), None);
        assert_eq!(as_integer("1,5"), None);
        assert!(written_as_floats(&["1001,0", ""], &markers));
    }
}
