//! Text from the data, made safe to print: control characters escaped (so an escape
//! sequence in a cell cannot drive the terminal) and long lists cut short.

/// `s` with control characters written as escapes (`\n`, `\t`, `\u{1b}`), and the
/// marks that turn the direction of text around (`\u{202e}`), which could make the
/// rest of a terminal row read backwards.
pub fn printable(s: &str) -> String {
    if !s.chars().any(unprintable) {
        return s.to_string();
    }
    s.chars()
        .map(|c| match unprintable(c) {
            true => c.escape_default().to_string(),
            false => c.to_string(),
        })
        .collect()
}

/// [`printable`], line by line: a message's own line breaks stay. A line of carets
/// under a quoted line (a TOML error's `  |    ^`) still points at the same
/// characters once those before them are written as escapes.
pub fn printable_lines(s: &str) -> String {
    if !s.chars().any(|c| c != '\n' && unprintable(c)) {
        return s.to_string();
    }
    let mut above: Option<&str> = None;
    let mut out = Vec::new();
    for line in s.split('\n') {
        out.push(match above {
            Some(quoted) if is_caret_line(line) => carets_under(quoted, line),
            _ => printable(line),
        });
        above = Some(line);
    }
    out.join("\n")
}

fn is_caret_line(line: &str) -> bool {
    line.contains('^') && line.chars().all(|c| matches!(c, ' ' | '|' | '^'))
}

/// `carets`, each of its characters as wide as the one above it is shown.
fn carets_under(quoted: &str, carets: &str) -> String {
    let mut widths = quoted.chars().map(|c| match unprintable(c) {
        true => c.escape_default().count(),
        false => 1,
    });
    carets
        .chars()
        .flat_map(|c| {
            let width = widths.next().unwrap_or(1);
            let fill = if c == '|' { ' ' } else { c };
            std::iter::once(c).chain(std::iter::repeat_n(fill, width - 1))
        })
        .collect()
}

/// A control character, a mark turning the direction of text, a line or paragraph
/// separator (`\u{2028}`, `\u{2029}`: a break to some terminals, nothing to others),
/// or an invisible character outside emoji (`\u{200b}`, `\u{2060}`, `\u{feff}`, a
/// soft hyphen, fillers: `bill\u{200b}ing` and `billing` are two groups that would read
/// alike). The joiners of emoji and of Persian words (`\u{200c}`, `\u{200d}`), and
/// variation selectors, are text.
pub fn unprintable(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') || invisible(c)
}

/// The characters that print as nothing, neither control characters nor blanks:
/// marks turning the direction of text, `\u{200b}`, `\u{2060}`–`\u{2064}`,
/// `\u{feff}`, a soft hyphen, fillers (inclusive ranges of code points).
pub const INVISIBLE: [(u32, u32); 14] = [
    (0xad, 0xad),
    (0x34f, 0x34f),
    (0x61c, 0x61c),
    (0x115f, 0x1160),
    (0x17b4, 0x17b5),
    (0x180e, 0x180e),
    (0x200b, 0x200b),
    (0x200e, 0x200f),
    (0x202a, 0x202e),
    (0x2060, 0x2064),
    (0x2066, 0x206f),
    (0x3164, 0x3164),
    (0xfeff, 0xfeff),
    (0xffa0, 0xffa0),
];

/// One of [`INVISIBLE`].
pub fn invisible(c: char) -> bool {
    let c = u32::from(c);
    INVISIBLE.iter().any(|&(lo, hi)| (lo..=hi).contains(&c))
}

/// A value from the data for a message: [`printable`], and cut at 80 characters so
/// that one enormous cell cannot flood stderr.
pub fn value_shown(value: &str) -> String {
    const LONGEST: usize = 80;
    let value = printable(value);
    match value.char_indices().nth(LONGEST) {
        Some((at, _)) => format!("{}…", &value[..at]),
        None => value,
    }
}

/// `; did you mean …` naming a header that is `name` but for its spaces (`Charge  Amount`
/// with two, a tab, a non-breaking space), which a list of headers does not show;
/// empty when there is none.
pub fn spaced_like(headers: &[String], name: &str) -> String {
    let squeezed = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let wanted = squeezed(name);
    match headers
        .iter()
        .find(|h| squeezed(h) == wanted && !same_in_any_case(h.trim(), name.trim()))
    {
        Some(h) => {
            // The header's odd spaces, else the name's (`Charge\u{a0}Amount` given
            // for `Charge Amount`), else only their ends differ.
            let how = match (spaces_told(h), spaces_told(name)) {
                (Some(its), Some(given)) => format!("{its}; the name given has {given}"),
                (Some(its), None) => its,
                (None, Some(given)) => format!("the name given has {given}"),
                (None, None) => "a space at an end".to_string(),
            };
            format!(
                "; did you mean '{}'? Its spaces differ ({how}), give it as written",
                printable(h)
            )
        }
        None => String::new(),
    }
}

/// How a name's spaces run where they are not one plain space between words: `two
/// spaces after 'Charge'`, `a tab after 'Call'`; `None` when they all are.
fn spaces_told(header: &str) -> Option<String> {
    let mut told = Vec::new();
    let mut word = "";
    let mut rest = header;
    while let Some(at) = rest.find(|c: char| c.is_whitespace()) {
        let before = rest[..at].trim_end();
        if !before.is_empty() {
            word = before.rsplit(char::is_whitespace).next().unwrap_or(before);
        }
        let run: String = rest[at..]
            .chars()
            .take_while(|c| c.is_whitespace())
            .collect();
        rest = &rest[at + run.len()..];
        let what = match run.as_str() {
            " " => continue,
            "  " => "two spaces".to_string(),
            r if r.chars().all(|c| c == ' ') => format!("{} spaces", r.chars().count()),
            r if r.contains('\t') => "a tab".to_string(),
            "\u{a0}" => "a no-break space".to_string(),
            _ => "an unusual space".to_string(),
        };
        told.push(match word {
            "" => format!("{what} first"),
            w => format!("{what} after '{w}'"),
        });
    }
    (!told.is_empty()).then(|| told.join(", "))
}

/// A command-line word as a shell reads it back: as it is when it holds nothing a
/// shell reads otherwise, else in single quotes, or in double quotes (with `\ " $ ``
/// escaped) when it holds a single quote (`Customer's team`). One holding a control
/// character (a header's tab or line break) is written `$'…'` with escapes, as bash
/// and zsh read it (`$'Resolution\nTime'`).
pub fn shell_word(s: &str) -> String {
    let plain = |c: char| c.is_alphanumeric() || "_-.:/@%+".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        return s.to_string();
    }
    if s.chars().any(unprintable) {
        let mut out = String::from("$'");
        for c in s.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\'' => out.push_str("\\'"),
                '\t' => out.push_str("\\t"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                c if unprintable(c) => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('\'');
        return out;
    }
    if !s.contains('\'') {
        return format!("'{s}'");
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        if matches!(c, '\\' | '"' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// A path as messages show it: a line break or another control character in a
/// name written as an escape, so that a file dropped in a folder cannot start a
/// line of its own.
pub fn path_shown(path: &std::path::Path) -> String {
    printable(&path.display().to_string())
}

/// Files named in a line (`a.csv + b.csv`): at most 40, then how many more, so that
/// a folder of thousands of exports names them in a line one can read.
pub fn files_listed<S: AsRef<str>>(names: &[S], separator: &str) -> String {
    const MOST: usize = 40;
    let mut shown: Vec<&str> = names.iter().take(MOST).map(AsRef::as_ref).collect();
    let more = names.len().saturating_sub(MOST);
    let rest = match more {
        1 => "… and 1 more file".to_string(),
        n => format!("… and {n} more files"),
    };
    if more > 0 {
        shown.push(&rest);
    }
    shown.join(separator)
}

/// Headers for an error message: at most 40 of them, each at most 80 characters, so
/// that a file with one enormous line cannot flood stderr.
pub fn headers_shown(headers: &[String]) -> String {
    const MOST: usize = 40;
    const LONGEST: usize = 80;
    let mut shown: Vec<String> = headers
        .iter()
        .take(MOST)
        .map(|h| {
            let h = printable(h);
            match h.char_indices().nth(LONGEST) {
                Some((cut, _)) => format!("{}…", &h[..cut]),
                None => h,
            }
        })
        .collect();
    if headers.len() > MOST {
        shown.push(format!("… and {} more", headers.len() - MOST));
    }
    shown.join(", ")
}

/// `value` equals the [`folded`] `word`, in any case and either Unicode form.
pub fn same_word(value: &str, word: &str) -> bool {
    if value.is_ascii() {
        value.eq_ignore_ascii_case(word)
    } else {
        folded(value) == word
    }
}

/// Are two names the same in any case, Unicode letters too (`Équipe`, `équipe`), an
/// accent written as its own character or not (`E` and U+0301 is `É`)?
pub fn same_in_any_case(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b) || (!a.is_ascii() || !b.is_ascii()) && folded(a) == folded(b)
}

/// A name for a message, [`printable`], its accents written apart (not in NFC)
/// shown as escapes (`E\u{301}quipe`): two names of one spelling in two Unicode forms
/// print alike otherwise.
pub fn form_shown(name: &str) -> String {
    if unicode_normalization::is_nfc(name) {
        return printable(name);
    }
    let marked: String = (name.chars())
        .map(
            |c| match unicode_normalization::char::is_combining_mark(c) {
                true => format!("\\u{{{:x}}}", u32::from(c)),
                false => c.to_string(),
            },
        )
        .collect();
    printable(&marked)
}

/// `text` lower-cased, in Unicode's composed form (NFC): two spellings of one name
/// fold alike, as a person reads them.
pub fn folded(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let lower = text.to_lowercase();
    match unicode_normalization::is_nfc(&lower) {
        true => lower,
        false => lower.nfc().collect(),
    }
}

/// `text` in Unicode's composed form (NFC): a word with its accents written apart
/// (`Re` and U+0301, as macOS writes names) reads as the word written whole.
pub fn composed(text: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::UnicodeNormalization;
    match text.is_ascii() || unicode_normalization::is_nfc(text) {
        true => std::borrow::Cow::Borrowed(text),
        false => std::borrow::Cow::Owned(text.nfc().collect()),
    }
}

/// `text` composed (NFC), and decomposed (NFD) too where that differs: the two
/// spellings a warehouse query matches for one word.
pub fn both_forms(text: &str) -> Vec<String> {
    use unicode_normalization::UnicodeNormalization;
    let whole = composed(text).into_owned();
    let apart: String = whole.nfd().collect();
    match apart == whole {
        true => vec![whole],
        false => vec![whole, apart],
    }
}

/// An error message cut to its first 4,000 characters: one may quote a value of a
/// file given to it (a 15 MB line of a configuration), which no one reads whole.
pub fn cut_message(message: &str) -> std::borrow::Cow<'_, str> {
    const MOST: usize = 4000;
    match message.char_indices().nth(MOST) {
        None => std::borrow::Cow::Borrowed(message),
        Some((at, _)) => {
            let more = message[at..].chars().count();
            std::borrow::Cow::Owned(format!("{}… ({more} more characters)", &message[..at]))
        }
    }
}

/// The terminal columns `text` takes (an ideograph or emoji: two).
pub fn columns_of(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// `text` in at most `columns` terminal columns: cut with `…` when wider.
pub fn within_columns(text: &str, columns: usize) -> String {
    if columns_of(text) <= columns {
        return text.to_string();
    }
    // Measured as a whole at each cut: a character's columns may depend on the next
    // (`❤` with the emoji selector U+FE0F takes two).
    let mut end = 0;
    for (at, c) in text.char_indices() {
        let next = at + c.len_utf8();
        if columns_of(&text[..next]) + 1 > columns {
            break;
        }
        end = next;
    }
    format!("{}…", &text[..end])
}

/// [`within_columns`] with the `…` in the middle: the text's end in up to half the
/// columns, so that names alike at the start stay apart (`Support EMEA …North`).
pub fn within_columns_both_ends(text: &str, columns: usize) -> String {
    if columns_of(text) <= columns || columns < 3 {
        return within_columns(text, columns);
    }
    let tail_room = (columns - 1) / 2;
    let mut start = text.len();
    for (at, _) in text.char_indices().rev() {
        if columns_of(&text[at..]) > tail_room {
            break;
        }
        start = at;
    }
    let tail = &text[start..];
    let head = within_columns(text, columns - columns_of(tail));
    format!("{head}{tail}")
}

/// A `--where` condition as a message shows it: a list of thousands of ids by its
/// first few, so that what the message says of it is not cut off.
pub fn condition_shown(condition: &str) -> String {
    const MOST: usize = 120;
    match condition.char_indices().nth(MOST) {
        None => condition.to_string(),
        Some((at, _)) => {
            let more = condition[at..].chars().count();
            format!("{}… ({more} more characters)", &condition[..at])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The odd spaces told are the header's, else the name's given, else their ends.
    #[test]
    fn spaces_told_are_those_that_differ() {
        let headers = ["Charge  Amount".to_string(), "Call Minutes".to_string()];
        assert!(spaced_like(&headers, "Charge Amount").contains("(two spaces after 'Charge')"));
        let given = spaced_like(&headers, "Call\u{a0}Minutes");
        assert!(
            given.contains("did you mean 'Call Minutes'? Its spaces differ (the name given has a no-break space after 'Call')"),
            "{given}"
        );
        let both = spaced_like(&headers, "Charge\tAmount");
        assert!(
            both.contains("(two spaces after 'Charge'; the name given has a tab after 'Charge')"),
            "{both}"
        );
        assert_eq!(spaced_like(&headers, "Call Minutes"), "");
    }

    #[test]
    fn long_file_lists_are_cut_after_forty() {
        let names: Vec<String> = (1..=42).map(|i| format!("f{i}.csv")).collect();
        let listed = files_listed(&names, " + ");
        assert!(listed.starts_with("f1.csv + f2.csv + "), "{listed}");
        assert!(listed.ends_with("f40.csv + … and 2 more files"), "{listed}");
        assert_eq!(files_listed(&names[..40], ", ").matches(", ").count(), 39);
        assert!(files_listed(&names[..41], ", ").ends_with("f40.csv, … and 1 more file"));
    }

    /// A TOML error's caret stays under the character it names once the tab (`\t`,
    /// two columns) and the control character (`\u{1}`, five) before it are escaped;
    /// carets under an escaped character cover all of its escape.
    #[test]
    fn carets_follow_escapes() {
        let said = "at line 2\n  |\n2 | \tby = \u{1}x\n  |       ^\nbad";
        let shown = printable_lines(said);
        assert_eq!(
            shown,
            "at line 2\n  |\n2 | \\tby = \\u{1}x\n  |        ^^^^^\nbad"
        );
        let under = printable_lines("2 | a\tb\n  | ^^^");
        assert_eq!(under, "2 | a\\tb\n  | ^^^^");
    }

    /// Cut in the middle, within the columns: 11 columns keep 5 of the end (at most
    /// half of the 10 past the `…`), the `…` and 5 of the start; 7 columns of
    /// ideographs (2 each) keep one of the end (3 columns' room) and two of the start.
    #[test]
    fn both_ends_kept_within_the_columns() {
        let cut = within_columns_both_ends("Support EMEA North", 11);
        assert_eq!(cut, "Suppo…North");
        assert!(columns_of(&cut) <= 11);
        assert_eq!(within_columns_both_ends("short", 11), "short");
        assert_eq!(within_columns_both_ends("客服团队客服团队", 7), "客服…队");
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(printable("a\u{1b}[31mb\n"), "a\\u{1b}[31mb\\n");
        assert_eq!(printable("plain é"), "plain é");
        assert_eq!(printable("\u{202e}RTL"), "\\u{202e}RTL");
        assert_eq!(printable("عربي"), "عربي");
        assert_eq!(printable("a\u{2028}b\u{2029}"), "a\\u{2028}b\\u{2029}");
        assert_eq!(printable("bill\u{200b}ing"), "bill\\u{200b}ing");
        assert_eq!(printable("\u{feff}x\u{2060}"), "\\u{feff}x\\u{2060}");
        assert_eq!(
            printable("a\u{ad}b\u{2061}c\u{180e}"),
            "a\\u{ad}b\\u{2061}c\\u{180e}"
        );
        // An emoji's joiner stays: the family reads as one.
        assert_eq!(printable("👨\u{200d}👩"), "👨\u{200d}👩");
    }

    #[test]
    fn header_lists_are_bounded() {
        let many: Vec<String> = (0..100).map(|i| format!("c{i}")).collect();
        let shown = headers_shown(&many);
        assert!(shown.starts_with("c0, c1, "));
        assert!(shown.ends_with("c39, … and 60 more"));
        let long = vec!["x".repeat(1000)];
        assert_eq!(headers_shown(&long).chars().count(), 81);
    }

    /// Widths count terminal columns (an ideograph or emoji takes two); a cut text
    /// with its `…` fits the columns given, a wide character left out whole rather
    /// than split.
    #[test]
    fn texts_are_cut_to_terminal_columns() {
        assert_eq!(columns_of("客服团队"), 8);
        assert_eq!(columns_of("😀 emoji"), 8);
        assert_eq!(within_columns("billing", 7), "billing");
        assert_eq!(within_columns("billing", 6), "billi…");
        assert_eq!(within_columns("客服团队", 8), "客服团队");
        // 7 columns: three ideographs (6) and `…` (1); in 6, the third would leave no
        // room for the `…`.
        assert_eq!(within_columns("客服团队", 7), "客服团…");
        assert_eq!(within_columns("客服团队", 6), "客服…");
        // `❤️` (a heart and the emoji selector) takes two columns: 30 of them are
        // cut to 4 in 9 columns (8 and the `…`).
        let hearts = "\u{2764}\u{fe0f}".repeat(30);
        assert_eq!(columns_of(&hearts), 60);
        let cut = within_columns(&hearts, 9);
        assert!(columns_of(&cut) <= 9, "{cut}");
        assert!(cut.starts_with(&"\u{2764}\u{fe0f}".repeat(4)), "{cut}");
    }
}
