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
/// closing dot) given as its English abbreviation, or an English one's closing dot
/// (`Jan.`) taken off; `None` where it holds neither.
pub fn in_english(value: &str) -> Option<Cow<'_, str>> {
    let mut at = 0;
    while let Some(found) = value[at..].find(char::is_alphabetic) {
        let start = at + found;
        let len =
            (value[start..].find(|c: char| !c.is_alphabetic())).unwrap_or(value.len() - start);
        let (word, rest) = (&value[start..start + len], &value[start + len..]);
        let dotted = rest.starts_with('.');
        let english = english_month(word).or_else(|| {
            let abbreviation = word.len() == 3 && ENGLISH.contains(&word.to_lowercase().as_str());
            (abbreviation && dotted).then_some(word)
        });
        if let Some(english) = english {
            let rest = if dotted { &rest[1..] } else { rest };
            return Some(Cow::Owned(format!("{}{english}{rest}", &value[..start])));
        }
        at = start + len;
    }
    None
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
    let lower = word.to_lowercase();
    MONTHS
        .iter()
        .find(|(_, names)| names.contains(&lower.as_str()))
        .map(|(english, _)| *english)
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
            assert_eq!(in_english(value).as_deref(), Some(english), "{value}");
        }
        for value in [
            "01/Mar/24 9:00 AM",
            "01/Foo/24",
            "2025-03-01 10:00",
            "01/Mayonnaise/24",
        ] {
            assert_eq!(in_english(value), None, "{value}");
        }
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
