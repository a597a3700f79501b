//! `--where EXPR` (SPEC §14): conditions on a row's columns, all of which must hold.
//! A condition names a canonical field or a raw column (in any case, as `--by`);
//! `COL=VALUE`, `COL!=VALUE`, `COL in (A,B)` compare trimmed values in any case;
//! `COL~REGEX` searches the value as it is, `COL!~REGEX` keeps the values it does not
//! find. A missing value (blank, or a marker of
//! [`super::missing`]) is the empty string, so
//! `COL=` keeps the rows without one and `COL!=x` keeps them too. Rows that fail are
//! dropped as they are read, before any parsing: they are neither used nor rejected,
//! and `-v` counts them apart.

use std::fmt;
use std::sync::Arc;

use polars::prelude::*;
use regex::Regex;

use crate::text::same_word;

/// One `--where` condition as given.
#[derive(Debug, Clone)]
pub struct Condition {
    /// The field or column it reads, as the user wrote it.
    pub column: String,
    pub test: Test,
    /// The text given, for messages.
    pub text: String,
}

#[derive(Debug, Clone)]
pub enum Test {
    /// The value is one of these (lower-cased); `COL=V` is a list of one.
    In(Words),
    /// The value is none of these (lower-cased).
    NotIn(Words),
    Matches(Regex),
    /// The pattern is not found in the value (`COL!~REGEX`).
    Lacks(Regex),
}

/// A list's words, lower-cased, looked up by hash: a list of thousands of ids costs
/// a row no more than a list of one.
#[derive(Debug, Clone)]
pub struct Words {
    /// Lower-cased, composed (NFC), then decomposed (NFD): a value written in one
    /// form, as a column's values are, is looked up as it is lower-cased.
    list: Vec<String>,
    set: std::collections::HashSet<String>,
    /// The words as given (trimmed, in their case), for telling a missing-value
    /// marker, which has a case.
    given: Vec<String>,
}

impl Words {
    /// Lists this long are compared word by word (no hashing, no lower-cased copy).
    const FEW: usize = 4;

    /// The words given (compared trimmed, in any case).
    fn of(words: impl IntoIterator<Item = String>) -> Words {
        let given: Vec<String> = words.into_iter().map(|w| w.trim().to_string()).collect();
        use unicode_normalization::UnicodeNormalization;
        let composed = given.iter().map(|w| crate::text::folded(w));
        let decomposed = composed.clone().map(|w| w.nfd().collect::<String>());
        // Each word once, in order (a list of thousands told apart by hash).
        let mut seen = std::collections::HashSet::new();
        let list: Vec<String> = (composed.chain(decomposed))
            .filter(|w| seen.insert(w.clone()))
            .collect();
        let set = match list.len() > Self::FEW {
            true => list.iter().cloned().collect(),
            false => Default::default(),
        };
        Words { list, set, given }
    }

    /// Is the value, trimmed and in any case, one of the words?
    fn holds(&self, value: &str) -> bool {
        let v = value.trim();
        if !v.is_ascii() {
            // Lower-cased once; a value in one Unicode form is found as it is, one
            // mixing the two (rare) once composed.
            let lower = v.to_lowercase();
            let found = |w: &String| match self.list.len() <= Self::FEW {
                true => self.list.contains(w),
                false => self.set.contains(w),
            };
            if found(&lower) {
                return true;
            }
            use unicode_normalization::{is_nfc_quick, is_nfd_quick, IsNormalized::Yes};
            let one_form = is_nfd_quick(lower.chars()) == Yes || is_nfc_quick(lower.chars()) == Yes;
            return !one_form && found(&crate::text::folded(&lower));
        }
        if self.list.len() <= Self::FEW {
            return self.list.iter().any(|w| same_word(v, w));
        }
        // An ASCII value lower-cased on the stack, as most ids and names are.
        let mut buf = [0u8; 64];
        if v.is_ascii() && v.len() <= buf.len() {
            let lower = &mut buf[..v.len()];
            lower.copy_from_slice(v.as_bytes());
            lower.make_ascii_lowercase();
            return std::str::from_utf8(lower).is_ok_and(|l| self.set.contains(l));
        }
        self.set.contains(&v.to_ascii_lowercase())
    }
}

impl PartialEq for Condition {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "--where {}", self.text)
    }
}

impl Condition {
    /// Parse `COL=VALUE`, `COL!=VALUE`, `COL in (A,B)`, `COL~REGEX` or `COL!~REGEX`: the operator
    /// that comes first in the text splits it, so values may hold any of them.
    pub fn parse(text: &str) -> Result<Condition, String> {
        // A list of thousands of ids, quoted by its start.
        let shown = crate::text::condition_shown(text);
        let lower = text.to_ascii_lowercase();
        let list_at = find_in_list(&lower);
        let ops = [
            // As `--fail-if` writes equality (`!==` as JavaScript writes its opposite).
            ("!==", text.find("!==")),
            ("!=", text.find("!=")),
            ("!~", text.find("!~")),
            ("==", text.find("==")),
            ("=", text.find('=')),
            ("~", text.find('~')),
            (" in", list_at),
        ];
        let Some((op, at)) = ops
            .iter()
            .filter_map(|(op, at)| at.map(|a| (*op, a)))
            // At the same place, the longest: `!==` before `!=`, `==` before `=`.
            .min_by_key(|(op, at)| (*at, std::cmp::Reverse(op.len())))
        else {
            return Err(format!(
                "'{shown}': expected COL=VALUE, COL!=VALUE, COL in (A,B), COL~REGEX or COL!~REGEX"
            ));
        };
        let column = text[..at].trim().to_string();
        if column.is_empty() {
            return Err(format!("'{shown}': no column before '{}'", op.trim()));
        }
        let rest = &text[at + op.len()..];
        let test = match op {
            // A value may be quoted, as a breach line quotes one (`team="Team A"`).
            "!=" | "!==" => Test::NotIn(Words::of([unquoted(rest).into_owned()])),
            "=" | "==" => Test::In(Words::of([unquoted(rest).into_owned()])),
            "~" | "!~" if rest.trim().is_empty() => {
                return Err(format!(
                    "'{shown}': an empty pattern (it would find every value)"
                ));
            }
            "~" | "!~" => {
                // `team !~ billing`: spaces around the pattern are the condition's, as
                // around a value (`\s` or `[ ]` stands for a space in it).
                let re = Regex::new(rest.trim()).map_err(|e| {
                    // The error quotes the whole pattern: its last line alone for a
                    // long one.
                    let why = e.to_string();
                    let why = match rest.len() > 120 {
                        true => why.lines().last().unwrap_or_default().to_string(),
                        false => why,
                    };
                    format!("'{shown}': not a regular expression: {why}")
                })?;
                match op {
                    "~" => Test::Matches(re),
                    _ => Test::Lacks(re),
                }
            }
            _ => {
                let inner = rest.trim();
                let inner = inner
                    .strip_prefix('(')
                    .and_then(|r| r.strip_suffix(')'))
                    .ok_or_else(|| format!("'{shown}': write the list as (A,B,…)"))?;
                Test::In(Words::of(items(inner).map(|v| unquoted(v).into_owned())))
            }
        };
        Ok(Condition {
            column,
            test,
            text: text.to_string(),
        })
    }

    /// Does a value (None: missing) pass?
    pub fn holds(&self, value: Option<&str>) -> bool {
        let v = value.unwrap_or("");
        match &self.test {
            Test::In(words) => words.holds(v),
            Test::NotIn(words) => !words.holds(v),
            Test::Matches(re) => re.is_match(v),
            Test::Lacks(re) => !re.is_match(v),
        }
    }

    /// The condition with each whole float it lists read as the integer (`=7.0` as
    /// `=7`), as an id column's values are ([`super::float_ids`]).
    pub fn with_integer_ids(&self) -> Condition {
        self.with_words(|v| super::float_ids::as_integer(v).unwrap_or(v).to_string())
    }

    /// The condition with each word that is a missing-value marker (`N/A`) read as
    /// the blank it stands for, as the cells are: `priority=N/A` keeps the rows
    /// whose priority is missing, however written.
    pub fn with_markers_blank(&self, markers: &super::missing::Markers) -> Condition {
        self.with_words(|v| match markers.is_missing(v) {
            true => String::new(),
            false => v.to_string(),
        })
    }

    /// The condition with each word it lists (as given) turned by `turn`.
    fn with_words(&self, turn: impl Fn(&str) -> String) -> Condition {
        let turned = |w: &Words| Words::of(w.given.iter().map(|v| turn(v)));
        let test = match &self.test {
            Test::In(w) => Test::In(turned(w)),
            Test::NotIn(w) => Test::NotIn(turned(w)),
            other => other.clone(),
        };
        Condition {
            test,
            ..self.clone()
        }
    }

    /// Does an id pass, as written and as read (`7.0` as `7`), `ids` being this
    /// condition [`Condition::with_integer_ids`]: a value either names is named
    /// (`=7`, `=7.0`, `in (7.0, 8)` keep a `7` and a `7.0`; `!=` either leaves both
    /// out), however each file writes it.
    pub fn holds_for_id(&self, ids: &Condition, written: Option<&str>) -> bool {
        let read = written.map(|v| super::float_ids::as_integer(v).unwrap_or(v));
        match &self.test {
            Test::In(_) | Test::Matches(_) => {
                self.holds(written) || self.holds(read) || ids.holds(read)
            }
            Test::NotIn(_) | Test::Lacks(_) => {
                self.holds(written) && self.holds(read) && ids.holds(read)
            }
        }
    }
}

/// Where ` in (` begins a list, if it does.
fn find_in_list(lower: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(k) = lower[from..].find(" in") {
        let at = from + k;
        let after = lower[at + 3..].trim_start();
        if after.starts_with('(')
            && lower[at + 3..].starts_with(|c: char| c.is_whitespace() || c == '(')
        {
            return Some(at);
        }
        from = at + 3;
    }
    None
}

/// A list's items: split at commas outside quotes (`"Smith, John",Doe`).
fn items(list: &str) -> impl Iterator<Item = &str> {
    let mut quote: Option<char> = None;
    let mut start = 0;
    let mut out = Vec::new();
    for (i, c) in list.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, ',') => {
                out.push(&list[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&list[start..]);
    out.into_iter()
}

/// A list item without its surrounding quotes, if any.
fn unquoted(v: &str) -> std::borrow::Cow<'_, str> {
    let t = v.trim();
    if let Some(inner) = t.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
        return inner.into();
    }
    match t.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(inner) => unescaped(inner).map_or(inner.into(), Into::into),
        None => t.into(),
    }
}

/// A double-quoted value's escapes undone, as a `--fail-if` breach line writes them
/// (`\"`, `\\`, `\t`, `\n`, `\r`, `\u{…}`); None when it holds a backslash that
/// starts none (read as written).
fn unescaped(inner: &str) -> Option<String> {
    if !inner.contains('\\') {
        return Some(inner.to_string());
    }
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '"' => out.push('"'),
            '\\' => out.push('\\'),
            't' => out.push('\t'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            'u' => {
                let rest = chars.as_str().strip_prefix('{')?;
                let (hex, after) = rest.split_once('}')?;
                out.push(char::from_u32(u32::from_str_radix(hex, 16).ok()?)?);
                chars = after.chars();
            }
            _ => return None,
        }
    }
    Some(out)
}

/// Conditions bound to one file's columns.
#[derive(Debug, Clone, Default)]
pub struct FileFilter {
    /// Each condition with the file's column it reads.
    pub tests: Vec<(Arc<Condition>, String)>,
    /// The columns of ids (`ticket_id`, `customer_id`), tested as written and with
    /// whole floats as integers ([`Condition::holds_for_id`]).
    pub integer_ids: Vec<String>,
}

impl FileFilter {
    /// The columns read.
    pub fn columns(&self) -> impl Iterator<Item = &str> {
        self.tests.iter().map(|(_, c)| c.as_str())
    }

    /// True for the rows every condition keeps (on the file's raw columns).
    /// A `markers` value is missing, as a blank cell is.
    pub fn keeps(&self, markers: &Arc<super::missing::Markers>) -> Option<Expr> {
        self.tests
            .iter()
            .map(|(cond, column)| {
                let cond = Arc::new(cond.with_markers_blank(markers));
                let markers = Arc::clone(markers);
                let ids = (self.integer_ids.contains(column)).then(|| cond.with_integer_ids());
                // By its literal name: `col` reads `*` and `^…$` as patterns.
                Expr::Column(column.as_str().into())
                    .cast(DataType::String)
                    .map(
                        move |c| {
                            let values = c.str()?;
                            let out: BooleanChunked = values
                                .iter()
                                .map(|v| {
                                    let v = v.filter(|v| !markers.is_missing(v));
                                    Some(match &ids {
                                        Some(ids) => cond.holds_for_id(ids, v),
                                        None => cond.holds(v),
                                    })
                                })
                                .collect();
                            Ok(out.with_name(c.name().clone()).into_column())
                        },
                        |_, f| Ok(Field::new(f.name().clone(), DataType::Boolean)),
                    )
            })
            .reduce(|a, b| a.and(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keeps(text: &str, value: Option<&str>) -> bool {
        Condition::parse(text).unwrap().holds(value)
    }

    /// A value in either Unicode form, or mixing the two, is the word typed in any;
    /// in a list of one or of many (looked up by hash).
    #[test]
    fn values_match_in_either_unicode_form() {
        let (nfc, nfd, mixed) = (
            "Jos\u{e9} N\u{fa}\u{f1}ez",
            "Jose\u{301} Nu\u{301}n\u{303}ez",
            "Jos\u{e9} Nu\u{301}\u{f1}ez",
        );
        for typed in [nfc, nfd] {
            for condition in [
                format!("agent={typed}"),
                format!("agent in ({typed},a,b,c,d,e)"),
            ] {
                for value in [nfc, nfd, mixed, &nfc.to_uppercase()] {
                    assert!(keeps(&condition, Some(value)), "{condition} {value:?}");
                }
                assert!(!keeps(&condition, Some("Jose Nunez")), "{condition}");
            }
        }
    }

    #[test]
    fn equality_ignores_case_and_spaces() {
        assert!(keeps("channel=email", Some(" Email ")));
        assert!(!keeps("channel=email", Some("chat")));
        assert!(!keeps("channel=email", None));
        assert!(keeps("channel=", None));
    }

    /// A marker of a missing value given as the value stands for the blank it is in
    /// the cells (`NA` is one, `na` a word: markers have a case); `--na` adds some.
    #[test]
    fn a_missing_values_marker_is_the_blank() {
        let markers = crate::input::missing::Markers::new(&["-".to_string()]);
        let blanked = |text: &str| Condition::parse(text).unwrap().with_markers_blank(&markers);
        for text in [
            "priority=N/A",
            "priority= NA ",
            "priority=-",
            "priority in (high, \"#N/A\")",
        ] {
            assert!(blanked(text).holds(None), "{text}");
            assert!(!blanked(text).holds(Some("low")), "{text}");
        }
        assert!(blanked("priority in (high, N/A)").holds(Some("High")));
        assert!(!blanked("priority!=N/A").holds(None));
        assert!(blanked("priority!=N/A").holds(Some("low")));
        assert!(!blanked("priority=na").holds(None));
        assert!(blanked("priority=na").holds(Some("NA ")));
    }

    #[test]
    fn not_equal_keeps_missing_values() {
        assert!(keeps("priority!=low", None));
        assert!(keeps("priority!=low", Some("high")));
        assert!(!keeps("priority!=low", Some("LOW")));
    }

    #[test]
    fn lists_take_quotes_and_any_case() {
        let c = Condition::parse("Priority IN (urgent, 'High', \"normal\")").unwrap();
        assert_eq!(c.column, "Priority");
        for v in ["urgent", "high", "Normal"] {
            assert!(c.holds(Some(v)), "{v}");
        }
        assert!(!c.holds(Some("low")));
        assert!(!c.holds(None));
        // A quoted item may hold a comma.
        let c = Condition::parse("tag in (\"Smith, John\",Doe, 'a,b')").unwrap();
        for v in ["smith, john", "Doe", "A,B"] {
            assert!(c.holds(Some(v)), "{v}");
        }
        assert!(!c.holds(Some("Smith")));
    }

    /// A long list is looked up by hash, as a short one compares: trimmed, any case,
    /// Unicode too; a value longer than the stack buffer as well.
    #[test]
    fn long_lists_hold_as_short_ones() {
        let long = "x".repeat(80);
        let text = format!("team in (a, b, c, d, Équipe, {long}, z)");
        let c = Condition::parse(&text).unwrap();
        for v in [" A", "équipe", "ÉQUIPE", "Z ", &long.to_uppercase()] {
            assert!(c.holds(Some(v)), "{v}");
        }
        for v in ["e", "equipe", "", "zz"] {
            assert!(!c.holds(Some(v)), "{v}");
        }
        assert!(!c.holds(None));
    }

    #[test]
    fn regex_searches_the_value_as_is() {
        assert!(keeps("subject~^Re(fund)?", Some("Refund please")));
        assert!(!keeps("subject~^re", Some("Refund")));
        assert!(keeps("subject~(?i)^re", Some("Refund")));
    }

    /// `!~` keeps what the pattern is not found in, a missing value too (as `!=`).
    #[test]
    fn a_negated_regex_keeps_what_it_does_not_find() {
        assert!(!keeps("team !~ billing", Some("billing")));
        assert!(Condition::parse("team ~ ").is_err());
        assert!(Condition::parse("team!~").is_err());
        assert!(keeps("team ~ ^bill", Some("billing")));
        assert!(!keeps("agent!~n", Some("Ann")));
        assert!(keeps("agent!~n", Some("Bob")));
        assert!(keeps("agent!~n", None));
        assert_eq!(Condition::parse("agent!~n").unwrap().column, "agent");
        // `!=` written first still splits there: the value may hold `~`.
        assert!(keeps("subject!=a~b", Some("x")));
        assert!(!keeps("subject!=a~b", Some("A~B")));
    }

    #[test]
    fn the_first_operator_splits() {
        let c = Condition::parse("note=a!=b").unwrap();
        assert_eq!(c.column, "note");
        assert!(c.holds(Some("a!=b")));
        let c = Condition::parse("Ticket status!=Solved").unwrap();
        assert_eq!(c.column, "Ticket status");
        assert!(!c.holds(Some("solved")));
        // "in" inside a name is not the list operator.
        let c = Condition::parse("Origin=inbox").unwrap();
        assert_eq!(c.column, "Origin");
        let c = Condition::parse("team in(a,b)").unwrap();
        assert!(c.holds(Some("b")));
    }

    /// `==` is `=`, as `--fail-if` writes it; after a first `=`, it is the value's.
    #[test]
    fn double_equals_is_equals() {
        let c = Condition::parse("team==A").unwrap();
        assert_eq!(c.column, "team");
        assert!(c.holds(Some("a")) && !c.holds(Some("=A")));
        assert!(keeps("priority==", None));
        let c = Condition::parse("note=a==b").unwrap();
        assert_eq!(c.column, "note");
        assert!(c.holds(Some("a==b")));
        assert!(keeps("team!==A", Some("=a")) && !keeps("team!==A", Some("a")));
        // Quoted, as a breach line writes a key.
        assert!(keeps("team=\"Team A\"", Some("team a")) && keeps("team=='x'", Some("X")));
        assert!(!keeps("team!=\"Team A\"", Some("Team A")));
        // A breach line's escapes undone; a backslash that starts none is the value's.
        assert!(keeps(r#"team="say \"hi\"""#, Some(r#"say "hi""#)));
        assert!(keeps(r#"team="tab\there""#, Some("tab\there")));
        assert!(keeps(r#"team="a \\b""#, Some(r"a \b")));
        assert!(keeps(r#"team="\u{e9}t\u{e9}""#, Some("été")));
        assert!(keeps(r#"team="C:\dir""#, Some(r"C:\dir")));
        assert!(keeps(r#"team="'x'""#, Some("'x'")) && !keeps(r#"team="'x'""#, Some("x")));
    }

    #[test]
    fn malformed_conditions_are_refused() {
        for bad in ["channel", "=email", "team in a,b", "subject~(unclosed"] {
            assert!(Condition::parse(bad).is_err(), "{bad}");
        }
    }
}
