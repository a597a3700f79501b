//! Month names in other languages, as an export written in its user's language gives
//! them (a German Jira account's `01/Mär/24 9:00 AM`, a French one's `01/févr./24`):
//! read as the English abbreviation `%b` parses. One table serves every language:
//! no abbreviation names one month in one language and another month in another.

use std::borrow::Cow;

/// Each month's names and abbreviations in German, French, Spanish, Portuguese,
/// Italian and Dutch (as written, lower case, without a closing dot), by month: those
/// English's `%b` reads already (`feb`, `mar`, `nov`) are not listed.
const MONTHS: [(&str, &[&str]); 12] = [
    (
        "Jan",
        &[
            "jän", "jänner", "januar", "janv", "janvier", "ene", "enero", "janeiro", "gen",
            "gennaio", "januari",
        ],
    ),
    (
        "Feb",
        &[
            "februar",
            "févr",
            "fevr",
            "fév",
            "fev",
            "février",
            "fevrier",
            "febrero",
            "fevereiro",
            "febbraio",
            "februari",
        ],
    ),
    (
        "Mar",
        &[
            "mär", "märz", "mrz", "maerz", "mars", "marzo", "março", "marco", "mrt", "maart",
        ],
    ),
    ("Apr", &["avr", "avril", "abr", "abril", "aprile"]),
    ("May", &["mai", "mayo", "maio", "mag", "maggio", "mei"]),
    ("Jun", &["juni", "juin", "junio", "junho", "giu", "giugno"]),
    (
        "Jul",
        &["juli", "juil", "juillet", "julio", "julho", "lug", "luglio"],
    ),
    ("Aug", &["août", "aout", "ago", "agosto", "augustus"]),
    (
        "Sep",
        &[
            "sept",
            "set",
            "septembre",
            "septiembre",
            "setiembre",
            "setembro",
            "settembre",
        ],
    ),
    (
        "Oct",
        &[
            "okt", "oktober", "octobre", "octubre", "out", "outubro", "ott", "ottobre",
        ],
    ),
    ("Nov", &["novembre", "noviembre", "novembro"]),
    (
        "Dec",
        &[
            "dez",
            "dezember",
            "déc",
            "decembre",
            "décembre",
            "dic",
            "diciembre",
            "dezembro",
            "dicembre",
        ],
    ),
];

/// `value` with a month name in another language (a run of letters, with its
/// closing dot unless the pattern writes a dot after the month: `keep_dot`) given as
/// its English abbreviation, or an English one's closing dot (`Jan.`) taken off;
/// `None` where it holds neither (nothing to change).
pub fn in_english(value: &str, keep_dot: bool) -> Option<Cow<'_, str>> {
    let mut at = 0;
    while let Some(found) = value[at..].find(char::is_alphabetic) {
        let start = at + found;
        let len =
            (value[start..].find(|c: char| !c.is_alphabetic())).unwrap_or(value.len() - start);
        let (word, rest) = (&value[start..start + len], &value[start + len..]);
        at = start + len;
        // No month is named in fewer than three letters (`AM`, `de`).
        if len < 3 {
            continue;
        }
        // The name's own closing dot; where the pattern writes one after the month
        // too, only a second dot is the name's (`14.janv..2025` under `%d.%b.%Y`).
        let dotted = match keep_dot {
            true => rest.starts_with(".."),
            false => rest.starts_with('.'),
        };
        let english = match ENGLISH.iter().any(|e| e.eq_ignore_ascii_case(word)) {
            // The month is there already: only a closing dot to take off.
            true if dotted => word,
            true => return None,
            false => match english_month(word) {
                Some(english) => english,
                None => continue,
            },
        };
        let rest = if dotted { &rest[1..] } else { rest };
        return Some(Cow::Owned(format!("{}{english}{rest}", &value[..start])));
    }
    None
}

/// Does `pattern` write a dot right after its month name (`%d.%b.%Y`, `%b. %d`)?
/// Then a month's closing dot is the pattern's, not the name's.
pub fn dot_follows(pattern: &str) -> bool {
    ["%b.", "%B.", "%h."].iter().any(|m| pattern.contains(m))
}

/// The English abbreviations `%b` reads.
const ENGLISH: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// The English abbreviation of a month named `word` in another language.
fn english_month(word: &str) -> Option<&'static str> {
    // No name is longer than `septiembre`'s ten letters.
    if word.chars().count() > 10 {
        return None;
    }
    let found = |w: &str| {
        (MONTHS.iter())
            .find(|(_, names)| names.iter().any(|n| n.eq_ignore_ascii_case(w)))
            .map(|(english, _)| *english)
    };
    match word.is_ascii() {
        true => found(word),
        // `Mär`, `févr`: lower case beyond ASCII.
        false => found(&word.to_lowercase()),
    }
}

/// Does a strftime pattern read month names?
pub fn reads_names(pattern: &str) -> bool {
    pattern.contains("%b") || pattern.contains("%B") || pattern.contains("%h")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// German, French, Spanish and Dutch abbreviations as their Jira accounts write
    /// them, with and without a dot, in any case; an English name, a word that is
    /// no month and a value without letters are left alone.
    #[test]
    fn other_languages_months_read_as_english() {
        let cases = [
            ("01/Mär/24 9:00 AM", "01/Mar/24 9:00 AM"),
            ("01/févr./24 9:00 AM", "01/Feb/24 9:00 AM"),
            ("15/DIC/24 10:00 PM", "15/Dec/24 10:00 PM"),
            ("03/mrt/25 11:30 AM", "03/Mar/25 11:30 AM"),
            ("03/Okt./2025", "03/Oct/2025"),
            ("12-mai-2025", "12-May-2025"),
            ("Mo 03/Okt/2025", "Mo 03/Oct/2025"),
            ("01/Jan./24 9:00 AM", "01/Jan/24 9:00 AM"),
        ];
        for (value, english) in cases {
            assert_eq!(
                in_english(value, false).as_deref(),
                Some(english),
                "{value}"
            );
        }
        for value in [
            "01/Mar/24 9:00 AM",
            "01/Foo/24",
            "2025-03-01 10:00",
            "01/Mayonnaise/24",
        ] {
            assert_eq!(in_english(value, false), None, "{value}");
        }
    }

    /// A dot the pattern writes after the month stays (`%d.%b.%Y`): a foreign name
    /// is given in English before it, an English one is left as it is.
    #[test]
    fn a_dot_the_pattern_writes_stays() {
        assert!(dot_follows("%d.%b.%Y %H:%M") && dot_follows("%b. %d %Y"));
        assert!(!dot_follows("%d/%b/%y %I:%M %p"));
        assert_eq!(in_english("14.Jan.2025 09:00", true), None);
        assert_eq!(
            in_english("14.Okt.2025 09:00", true).as_deref(),
            Some("14.Oct.2025 09:00")
        );
        assert_eq!(in_english("Jan. 5 2025", true), None);
        assert_eq!(
            in_english("14.janv..2025 09:00", true).as_deref(),
            Some("14.Jan.2025 09:00")
        );
        assert_eq!(
            in_english("14.Jan..2025", true).as_deref(),
            Some("14.Jan.2025")
        );
        assert_eq!(
            in_english("14.mars.2025", true).as_deref(),
            Some("14.Mar.2025")
        );
    }

    /// No name stands for two months.
    #[test]
    fn each_name_is_one_months() {
        let mut seen = std::collections::HashMap::new();
        for (english, names) in MONTHS {
            for name in names {
                assert_eq!(*seen.entry(*name).or_insert(english), english, "{name}");
                assert!(name.chars().count() <= 10, "{name}");
            }
        }
    }
}
