//! Missing-value markers (SPEC §14): the words exports write for "no value" — R's
//! `NA`, pandas' defaults, ServiceNow's `?` — read as a blank cell, plus any given
//! with `--na` (config `na = [...]`). A marker is the whole cell, trimmed, in the
//! case listed (as pandas reads them: `NA` is missing, `Na` is a value), in a number
//! field as in any other (`NaN` there is a blank, as pandas reads it).

use std::sync::Arc;

use polars::prelude::*;

/// What pandas reads as missing by default, and ServiceNow's `?`.
pub const DEFAULT: &[&str] = &[
    "NA", "N/A", "n/a", "#N/A", "NULL", "null", "NaN", "nan", "-NaN", "None", "<NA>", "?",
];

/// The markers of one input.
#[derive(Debug, Clone)]
pub struct Markers {
    text: Vec<String>,
    longest: usize,
    /// Per byte: does some marker start with it (any byte past ASCII counts)?
    starts: [bool; 256],
    /// Bit `n` set: some marker is `n` bytes long (bit 63: 63 or more).
    lengths: u64,
}

impl Markers {
    /// The defaults plus `extra` (each trimmed; blanks ignored).
    pub fn new(extra: &[String]) -> Markers {
        let extra: Vec<String> = extra
            .iter()
            .map(|e| e.trim().to_string())
            .filter(|e| !e.is_empty())
            .collect();
        let mut text: Vec<String> = DEFAULT.iter().map(|m| m.to_string()).collect();
        text.extend(extra.iter().cloned());
        let longest = text.iter().map(String::len).max().unwrap_or(0);
        let mut starts = [false; 256];
        for m in &text {
            if let Some(&b) = m.as_bytes().first() {
                starts[b as usize] = true;
            }
        }
        for s in &mut starts[0x80..] {
            *s = true;
        }
        let lengths = text.iter().fold(0, |bits, m| bits | 1 << m.len().min(63));
        Markers {
            text,
            longest,
            starts,
            lengths,
        }
    }

    /// Is `value` (a whole cell) blank once trimmed, or a marker of missing?
    pub fn is_missing(&self, value: &str) -> bool {
        let blank = |b: &u8| matches!(b, b'\t'..=b'\r' | b' ');
        let bytes = value.as_bytes();
        let plain = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii() && !blank(b));
        let untrimmed = plain(bytes.first()) && plain(bytes.last());
        // Most cells have nothing to trim and are longer than any marker: ruled out
        // by length (a cell padded with blanks, `\u{3000}` too, is trimmed first).
        if untrimmed && value.len() > self.longest {
            return false;
        }
        // And most others start (past ASCII blanks) with a byte no marker starts
        // with; a byte past ASCII may begin a Unicode blank, which trimming removes.
        match value.bytes().find(|b| !blank(b)) {
            Some(b) if self.starts[b as usize] => {}
            Some(_) => return false,
            // Nothing but ASCII blanks: a blank cell.
            None => return true,
        }
        // A cell with nothing to trim (ASCII at both ends, not blank) is a marker
        // only if it is as long as one ("normal" is not).
        if untrimmed && self.lengths & 1 << value.len().min(63) == 0 {
            return false;
        }
        let v = value.trim();
        v.is_empty() || self.text.iter().any(|m| m == v)
    }

    /// Is a record of these fields (`None`: not text) blank as the commands read it:
    /// each of the header's `width` fields missing, and a first field past them blank
    /// (one holding something makes the row ragged, rejected); those further on are
    /// not read.
    pub fn is_blank_record<S: AsRef<str>>(
        &self,
        fields: impl IntoIterator<Item = Option<S>>,
        width: usize,
    ) -> bool {
        for (k, field) in fields.into_iter().enumerate() {
            if k > width {
                return true;
            }
            let Some(field) = field else {
                return false;
            };
            let f = field.as_ref();
            let blank = match k < width {
                true => self.is_missing(f),
                false => f.trim().is_empty() || matches!(f, "null" | "NULL"),
            };
            if !blank {
                return false;
            }
        }
        true
    }

    /// `column` with its markers turned into nulls (a text column; other types as they are).
    pub fn clear(self: &Arc<Self>, column: Expr) -> Expr {
        let me = Arc::clone(self);
        column.map(
            move |c| {
                let Ok(values) = c.str() else {
                    return Ok(c);
                };
                if !values.iter().flatten().any(|v| me.is_missing(v)) {
                    return Ok(c);
                }
                let cleared: StringChunked = values
                    .iter()
                    .map(|v| v.filter(|v| !me.is_missing(v)))
                    .collect();
                Ok(cleared.with_name(c.name().clone()).into_column())
            },
            |_, f| Ok(f.clone()),
        )
    }
}

impl Default for Markers {
    fn default() -> Self {
        Markers::new(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_whole_cells_in_their_listed_case() {
        let m = Markers::default();
        for v in [
            "NA", " N/A ", "#N/A", "NULL", "None", "<NA>", "?", "nan", "\u{b}NA", "\u{a0}?", "",
            " ", "\t \r",
        ] {
            assert!(m.is_missing(v), "{v}");
        }
        for v in [
            "Na",
            "NAME",
            "none",
            "??",
            "0",
            "North America",
            "normal",
            "nulls",
        ] {
            assert!(!m.is_missing(v), "{v}");
        }
        let m = Markers::new(&["not given".into()]);
        for v in ["not given", " not given\t", "NULL "] {
            assert!(m.is_missing(v), "{v}");
        }
        for v in ["not givens", "not give", "not  given"] {
            assert!(!m.is_missing(v), "{v}");
        }
    }

    /// pandas' NaN spellings are markers; a given marker is read trimmed.
    #[test]
    fn nan_is_a_marker_and_given_ones_are_trimmed() {
        let m = Markers::default();
        for v in ["NaN", "nan", "-NaN", " NaN "] {
            assert!(m.is_missing(v), "{v}");
        }
        assert!(!m.is_missing("NAN") && !m.is_missing("inf"));
        let m = Markers::new(&[" - ".into()]);
        assert!(m.is_missing("-") && !m.is_missing("--"));
    }
}
