//! Missing-value markers (SPEC §14): the words exports write for "no value" — R's
//! `NA`, pandas' defaults, ServiceNow's `?` — read as a blank cell, plus any given
//! with `--na` (config `na = [...]`). A marker is the whole cell, trimmed, in the
//! case listed (as pandas reads them: `NA` is missing, `Na` is a value).
//!
//! In a number field (MRR, amounts, replies, scores) `NaN`, `nan` and `-NaN` stay
//! unreadable numbers, rejected and located: a NaN where an amount belongs is more
//! often a computation gone wrong than an empty cell, and counting it as missing
//! would quietly count a subscription at no MRR. `--na NaN` makes it missing there too.

use std::sync::Arc;

use polars::prelude::*;

/// What pandas reads as missing by default, and ServiceNow's `?`.
pub const DEFAULT: &[&str] = &[
    "NA", "N/A", "n/a", "#N/A", "NULL", "null", "NaN", "nan", "-NaN", "None", "<NA>", "?",
];

/// The markers that stay unreadable numbers in a number field unless given with `--na`.
const NOT_A_NUMBER: &[&str] = &["NaN", "nan", "-NaN"];

/// The markers of one input, for text and for number fields.
#[derive(Debug, Clone)]
pub struct Markers {
    text: Vec<String>,
    number: Vec<String>,
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
        // `--na NaN` stands for every spelling of it (`nan`, `-NaN`).
        let nan_given = extra.iter().any(|e| NOT_A_NUMBER.contains(&e.as_str()));
        let number = text
            .iter()
            .filter(|m| !NOT_A_NUMBER.contains(&m.as_str()) || nan_given || extra.contains(m))
            .cloned()
            .collect();
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
            number,
            longest,
            starts,
            lengths,
        }
    }

    /// Is `value` (a whole cell) blank once trimmed, or a marker of missing, for a
    /// number field or not?
    pub fn is_missing(&self, value: &str, number: bool) -> bool {
        // Most cells are longer than any marker: one length test rules them out.
        if value.len() > self.longest + 8 {
            return false;
        }
        // And most others start (past ASCII blanks) with a byte no marker starts
        // with; a byte past ASCII may begin a Unicode blank, which trimming removes.
        let blank = |b: &u8| matches!(b, b'\t'..=b'\r' | b' ');
        match value.bytes().find(|b| !blank(b)) {
            Some(b) if self.starts[b as usize] => {}
            Some(_) => return false,
            // Nothing but ASCII blanks: a blank cell.
            None => return true,
        }
        // A cell with nothing to trim (ASCII at both ends, not blank) is a marker
        // only if it is as long as one ("normal" is not).
        let bytes = value.as_bytes();
        let plain = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii() && !blank(b));
        let untrimmed = plain(bytes.first()) && plain(bytes.last());
        if untrimmed && self.lengths & 1 << value.len().min(63) == 0 {
            return false;
        }
        let v = value.trim();
        let list = if number { &self.number } else { &self.text };
        v.is_empty() || list.iter().any(|m| m == v)
    }

    /// `column` with its markers turned into nulls (a text column; other types as they are).
    pub fn clear(self: &Arc<Self>, column: Expr, number: bool) -> Expr {
        let me = Arc::clone(self);
        column.map(
            move |c| {
                let Ok(values) = c.str() else {
                    return Ok(c);
                };
                if !values.iter().flatten().any(|v| me.is_missing(v, number)) {
                    return Ok(c);
                }
                let cleared: StringChunked = values
                    .iter()
                    .map(|v| v.filter(|v| !me.is_missing(v, number)))
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
            assert!(m.is_missing(v, false), "{v}");
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
            assert!(!m.is_missing(v, false), "{v}");
        }
        let m = Markers::new(&["not given".into()]);
        for v in ["not given", " not given\t", "NULL "] {
            assert!(m.is_missing(v, false), "{v}");
        }
        for v in ["not givens", "not give", "not  given"] {
            assert!(!m.is_missing(v, false), "{v}");
        }
    }

    #[test]
    fn nan_stays_a_bad_number_unless_given() {
        let m = Markers::default();
        assert!(m.is_missing("NaN", false));
        assert!(!m.is_missing("NaN", true));
        assert!(m.is_missing("NA", true));
        let m = Markers::new(&["NaN".into(), " - ".into()]);
        assert!(m.is_missing("NaN", true));
        assert!(m.is_missing("-", true));
        // Given one way, every spelling of NaN is missing in numbers.
        assert!(m.is_missing("nan", true) && m.is_missing("-NaN", true));
    }
}
