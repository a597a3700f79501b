//! Columns read as classes of their values rather than as texts: a dataset that
//! only sorts a column's values into a few kinds (which SLA policy a channel falls
//! under, which priority name a priority is) gives a function from value to class,
//! and the reader hands it a column of classes, each distinct short value of a block
//! worked out once (missing-value markers included) instead of every cell's text
//! checked for markers and read again by the dataset.

use std::sync::Arc;

use polars::prelude::*;
use polars_arrow::array::{Array, Utf8ViewArray};

use super::missing::Markers;
use crate::cells::with_gaps;

/// A value's class; `None` is a missing value (blank, `null`, a marker).
pub type Classify = dyn Fn(Option<&str>) -> u32 + Send + Sync;

/// A field or raw column read as [`Classify`] classes.
#[derive(Clone)]
pub struct Class {
    /// The canonical field, or else raw column, whose values are classed.
    pub read: String,
    /// The frame's column of classes (UInt32; null where the value is missing).
    pub name: String,
    pub of: Arc<Classify>,
}

impl std::fmt::Debug for Class {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Class")
            .field("read", &self.read)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// A cell's class and whether it has a value, after the markers of missing values.
fn class_of(of: &Classify, markers: &Markers, cell: Option<&str>) -> (u32, bool) {
    let value = cell.filter(|v| !markers.is_missing(v));
    (of(value), value.is_some())
}

/// Values remembered per block and column, by their views.
const RECENT: usize = 64;

/// The longest text a string view holds in itself (equal views: equal texts).
const SHORT_TEXT: u32 = 12;

/// The classes of `text` (a column of any type, read as text), named `name`, null
/// where the value is missing (a reader of the classes takes the class of `None`
/// there).
pub fn class_expr(text: Expr, of: Arc<Classify>, markers: Arc<Markers>, name: &str) -> Expr {
    text.cast(DataType::String)
        .map(
            move |c| {
                let texts = c.str()?.rechunk();
                let (values, missing) = classes(texts.downcast_as_array(), &*of, &markers);
                let column = match missing.is_empty() {
                    true => UInt32Chunked::from_vec(c.name().clone(), values),
                    false => {
                        let mut valid = vec![true; values.len()];
                        missing.iter().for_each(|&row| valid[row] = false);
                        with_gaps::<UInt32Type>(c.name().clone(), values, &valid)
                    }
                };
                Ok(column.into_column())
            },
            |_, f| Ok(Field::new(f.name().clone(), DataType::UInt32)),
        )
        .alias(name)
}

/// Each text's class, and the rows without a value. A short text's view holds the
/// text itself, so the classes of recent views are remembered by their bits.
fn classes(texts: &Utf8ViewArray, of: &Classify, markers: &Markers) -> (Vec<u32>, Vec<usize>) {
    let mut values = Vec::with_capacity(texts.len());
    let mut missing_rows = Vec::new();
    // No short text's view has a length past `SHORT_TEXT`.
    let mut recent = [(u128::MAX, 0u32, false); RECENT];
    let missing = class_of(of, markers, None);
    let valid = texts.validity().filter(|v| v.unset_bits() > 0);
    for (row, view) in texts.views().iter().enumerate() {
        let (class, has) = if valid.is_some_and(|v| !v.get_bit(row)) {
            missing
        } else if view.length <= SHORT_TEXT {
            let bits = view.as_u128();
            let folded = (bits as u64) ^ ((bits >> 64) as u64);
            let at = (folded.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58) as usize % RECENT;
            let (seen, class, has) = recent[at];
            if seen == bits {
                (class, has)
            } else {
                let found = class_of(of, markers, Some(texts.value(row)));
                recent[at] = (bits, found.0, found.1);
                found
            }
        } else {
            class_of(of, markers, Some(texts.value(row)))
        };
        if !has {
            missing_rows.push(row);
        }
        values.push(class);
    }
    (values, missing_rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn length_class() -> Arc<Classify> {
        Arc::new(|v: Option<&str>| v.map_or(99, |v| v.trim().len() as u32))
    }

    /// Texts short and long, repeated (so that some are remembered), nulls, blanks
    /// and markers: the class the function gives each, null where the value is
    /// missing.
    #[test]
    fn texts_get_their_class_and_markers_are_missing() {
        let texts = [
            Some("a"),
            Some("bb"),
            Some("a"),
            Some("N/A"),
            None,
            Some("twelve bytes"),
            Some("thirteen byte"),
            Some("a"),
            Some(" x "),
            Some("bb"),
            Some("é"),
            Some("thirteen byte"),
            Some("?"),
            Some("  "),
        ];
        let column = Series::new("t".into(), texts.to_vec());
        let df = DataFrame::new_infer_height(vec![column.into_column()]).unwrap();
        let markers = Arc::new(Markers::new(&[]));
        let got = df
            .lazy()
            .select([class_expr(col("t"), length_class(), markers, "c")])
            .collect()
            .unwrap();
        let got = got.column("c").unwrap().u32().unwrap();
        let want: Vec<Option<u32>> = texts
            .iter()
            .map(|t| match t {
                None | Some("N/A" | "?" | "  ") => None,
                Some(t) => Some(t.trim().len() as u32),
            })
            .collect();
        assert_eq!(got.iter().collect::<Vec<_>>(), want);
    }
}
