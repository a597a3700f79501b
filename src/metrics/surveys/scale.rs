//! Score scales: whole points from `lo` to `hi`, the labels that stand for points
//! (satisfaction, agreement, effort, good/bad), and where the "good" share starts.

use super::*;

/// A score scale: whole points from `lo` to `hi`, the labels that stand for points,
/// and where the "good" share (satisfied, easy) starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    pub name: &'static str,
    pub lo: f64,
    pub hi: f64,
    pub good_from: f64,
    /// Numbers are scores (false on good/bad, where only labels are).
    pub numeric: bool,
    /// Normalised label (trimmed, lower case) → point.
    pub labels: Vec<(String, f64)>,
    /// Lower is better on the form (the older "how much effort" CES item, `5-1`):
    /// each point p is read as lo + hi − p, so every metric sees higher = easier.
    pub reversed: bool,
}

fn labels(pairs: &[(&str, f64)]) -> Vec<(String, f64)> {
    pairs.iter().map(|(l, v)| (l.to_string(), *v)).collect()
}

const SATISFACTION_5: &[(&str, f64)] = &[
    ("very satisfied", 5.0),
    ("extremely satisfied", 5.0),
    ("satisfied", 4.0),
    ("somewhat satisfied", 4.0),
    ("neutral", 3.0),
    ("neither satisfied nor dissatisfied", 3.0),
    ("dissatisfied", 2.0),
    ("somewhat dissatisfied", 2.0),
    ("unsatisfied", 2.0),
    ("very dissatisfied", 1.0),
    ("extremely dissatisfied", 1.0),
    ("very unsatisfied", 1.0),
    // Help Scout's three ratings, as its export writes them.
    ("great", 5.0),
    ("okay", 3.0),
    ("not good", 1.0),
];
const GOOD_BAD: &[(&str, f64)] = &[
    ("good", 1.0),
    ("good with comment", 1.0),
    ("bad", 0.0),
    ("bad with comment", 0.0),
    // Zoho Desk's middle answer (Good, Okay, Bad): not a good one.
    ("okay", 0.0),
];
/// A label both scales read, which tells neither apart.
const EITHER: &str = "okay";
const AGREEMENT_7: &[(&str, f64)] = &[
    ("strongly disagree", 1.0),
    ("disagree", 2.0),
    ("somewhat disagree", 3.0),
    ("neither agree nor disagree", 4.0),
    ("neutral", 4.0),
    ("somewhat agree", 5.0),
    ("agree", 6.0),
    ("strongly agree", 7.0),
];
/// The older effort item's answers, as [`EFFORT_5`] names them.
pub const EFFORT_WORDS: [&str; 6] = [
    "very low effort",
    "low effort",
    "neither high nor low effort",
    "moderate effort",
    "high effort",
    "very high effort",
];

/// The older effort item's answers, as asked (1 = the least effort).
const EFFORT_5: &[(&str, f64)] = &[
    ("very low effort", 1.0),
    ("low effort", 2.0),
    ("neither high nor low effort", 3.0),
    ("moderate effort", 3.0),
    ("high effort", 4.0),
    ("very high effort", 5.0),
];
/// The effort item on seven points: its ends and middle alone are named alike
/// everywhere (`Low effort` may be 2 or 3).
const EFFORT_7: &[(&str, f64)] = &[
    ("very low effort", 1.0),
    ("neither high nor low effort", 4.0),
    ("very high effort", 7.0),
];
/// The likelihood-to-recommend question's anchors, as survey tools export its ends
/// in choice text (Qualtrics, SurveyMonkey).
const NPS_ANCHORS: &[(&str, f64)] = &[("not at all likely", 0.0), ("extremely likely", 10.0)];
const AGREEMENT_5: &[(&str, f64)] = &[
    ("strongly disagree", 1.0),
    ("disagree", 2.0),
    ("neither agree nor disagree", 3.0),
    ("neutral", 3.0),
    ("agree", 4.0),
    ("strongly agree", 5.0),
];

impl Scale {
    /// Sampled scores off every scale fewer than this are rejected one by one, not a
    /// misfit.
    pub const FEW_OFF: usize = 5;

    /// The scale named `name` for a measure (`--scale csat=1-7`).
    pub fn parse(measure: Measure, name: &str) -> Option<Scale> {
        let numeric = |name, lo, hi, good_from, l: &[(&str, f64)]| Scale {
            name,
            lo,
            hi,
            good_from,
            numeric: true,
            labels: labels(l),
            reversed: false,
        };
        Some(match (measure, name.trim()) {
            (Measure::Csat, "1-5") => numeric("1-5", 1.0, 5.0, 4.0, SATISFACTION_5),
            (Measure::Csat, "1-7") => numeric("1-7", 1.0, 7.0, 6.0, &[]),
            (Measure::Csat, "1-10") => numeric("1-10", 1.0, 10.0, 9.0, &[]),
            (Measure::Csat, "good-bad") => Scale {
                name: "good-bad",
                lo: 0.0,
                hi: 1.0,
                good_from: 1.0,
                numeric: false,
                labels: labels(GOOD_BAD),
                reversed: false,
            },
            (Measure::Ces, "1-7") => numeric("1-7", 1.0, 7.0, 5.0, AGREEMENT_7),
            (Measure::Ces, "1-5") => numeric("1-5", 1.0, 5.0, 4.0, AGREEMENT_5),
            // "How much effort did you personally have to put forth?": 1 is the least.
            (Measure::Ces, "5-1") => Scale {
                reversed: true,
                ..numeric("5-1", 1.0, 5.0, 4.0, EFFORT_5)
            },
            (Measure::Ces, "7-1") => Scale {
                reversed: true,
                ..numeric("7-1", 1.0, 7.0, 5.0, EFFORT_7)
            },
            (Measure::Nps, "0-10") => numeric("0-10", 0.0, 10.0, 9.0, NPS_ANCHORS),
            _ => return None,
        })
    }

    /// Add (or replace) labels from the configuration: label → point on this scale.
    /// `file`: the config file they came from, for messages.
    pub fn with_labels(
        mut self,
        measure: Measure,
        extra: &std::collections::BTreeMap<String, f64>,
        file: Option<&std::path::Path>,
    ) -> crate::error::Result<Scale> {
        let mut added = Vec::new();
        for (label, &point) in extra {
            // Found only for a message: each search reads the file again.
            let config = || {
                file.map_or(String::new(), |f| {
                    let line = crate::config::line_of(f, &["labels", measure.name(), label]);
                    format!(" {}{line}", crate::text::path_shown(f))
                })
            };
            if !(self.lo..=self.hi).contains(&point) || point.fract() != 0.0 {
                let config = config();
                return Err(crate::usage_err!(
                    "--config{config}: labels.{}: {} = {point} is not a point of the {} scale ({}–{})",
                    measure.name(),
                    crate::config::key_quoted(label),
                    self.name,
                    self.lo,
                    self.hi
                ));
            }
            added.push((super::normalized(label).into_owned(), point));
        }
        let replaced: std::collections::HashSet<&str> =
            added.iter().map(|(l, _)| l.as_str()).collect();
        self.labels.retain(|(l, _)| !replaced.contains(l.as_str()));
        self.labels.extend(added);
        Ok(self)
    }

    /// Do these words (a numbered answer's) run against this scale: the older effort
    /// item's answers (1 = the least effort) on a scale where higher is easier?
    pub fn runs_against(&self, words: &str) -> bool {
        !self.reversed && is_effort(words)
    }

    /// The scales a measure accepts, for error messages.
    pub fn names(measure: Measure) -> &'static str {
        match measure {
            Measure::Csat => "1-5, 1-7, 1-10, good-bad",
            Measure::Ces => "1-7, 1-5, 5-1 and 7-1 (lower is easier)",
            Measure::Nps => "0-10",
        }
    }

    /// When most of the numeric sample cells fall outside this scale: how many of how
    /// many, an example, and the catalogue scale of `measure` that holds them all (None
    /// when none does), else the one that holds most of them, more than this one (a
    /// 0–10 CSAT's 1–10), as `Err`. A wrong default scale would reject most rows and
    /// report a figure from the few that fit.
    #[allow(clippy::type_complexity)]
    pub fn misfit(
        &self,
        measure: Measure,
        sample: &[&str],
    ) -> Option<(
        usize,
        usize,
        String,
        Result<&'static str, Option<&'static str>>,
    )> {
        if !self.numeric {
            return None;
        }
        let numbers: Vec<(f64, &str)> = sample
            .iter()
            .filter_map(|v| score_number(v).map(|x| (x, *v)))
            .collect();
        let outside: Vec<&(f64, &str)> = numbers
            .iter()
            .filter(|(x, _)| *x < self.lo || *x > self.hi)
            .collect();
        if numbers.is_empty() || outside.len() * 2 <= numbers.len() {
            return None;
        }
        let fits = |name: &&str| {
            Scale::parse(measure, name)
                .is_some_and(|s| numbers.iter().all(|(x, _)| *x >= s.lo && *x <= s.hi))
        };
        let candidates: &[&'static str] = match measure {
            Measure::Csat => &["1-5", "1-7", "1-10"],
            Measure::Ces => &["1-5", "1-7"],
            Measure::Nps => &["0-10"],
        };
        let held = |name: &str| {
            Scale::parse(measure, name).map_or(0, |s| {
                (numbers.iter())
                    .filter(|(x, _)| *x >= s.lo && *x <= s.hi)
                    .count()
            })
        };
        // Where no scale holds them all, a few stray scores are no evidence of a
        // scale: they are rejected one by one.
        let better = match candidates.iter().find(|n| fits(n)) {
            Some(all) => Ok(*all),
            None if outside.len() < Self::FEW_OFF => return None,
            None => Err((candidates.iter().copied())
                .filter(|n| held(n) > numbers.len() - outside.len())
                .max_by_key(|n| held(n))),
        };
        let example = outside.first().map(|o| o.1.to_string()).unwrap_or_default();
        Some((outside.len(), numbers.len(), example, better))
    }

    /// [`Scale::default_for`] a column that holds this measure alone: a scale of
    /// labels (good/bad for CSAT, the effort item's for CES) only when its labels are
    /// at least as many as the numbers, so one stray `bad` among a hundred 1–5
    /// scores does not turn them all into unknown labels.
    pub fn default_for_column(measure: Measure, sample: &[&str]) -> Scale {
        let is_label: fn(&str) -> bool = match measure {
            Measure::Csat => is_good_bad,
            Measure::Ces => is_effort,
            Measure::Nps => |_| false,
        };
        let labels = sample.iter().filter(|v| is_label(v)).count();
        let numbers = sample.iter().filter(|v| is_plain_number(v)).count();
        match labels >= numbers {
            true => Scale::default_for(measure, sample),
            // As `--scale csat=1-5` reads it.
            false => Scale::default_for(measure, &[]).help_scout_bad(measure, sample),
        }
    }

    /// The default scale of a measure, judged from sample cells: CSAT cells holding
    /// `good`/`bad` mean the good/bad scale, anything else 1–5.
    pub fn default_for(measure: Measure, sample: &[&str]) -> Scale {
        let name = match measure {
            Measure::Csat => {
                // Good and bad rather than five-point answers: a stray `Great` in a
                // Zendesk export stays an unknown label, a Help Scout one (`Great`,
                // `Okay`, `Not Good`) is five-point.
                let count = |is: fn(&str) -> bool| sample.iter().filter(|v| is(v)).count();
                // `Great` without `Good` is Help Scout's, whatever its `Bad`s number.
                let help_scout = said(sample, "great")
                    && !said(sample, "good")
                    && !said(sample, "good with comment");
                let good_bad = !help_scout && count(is_good_bad) > count(is_five_point);
                if good_bad {
                    "good-bad"
                } else {
                    "1-5"
                }
            }
            // The older effort item's own answers (`Very low effort`…) name its
            // scale and its direction, where they outnumber numbers and agreement.
            Measure::Ces => {
                let count = |is: fn(&str) -> bool| sample.iter().filter(|v| is(v)).count();
                let effort = count(is_effort);
                let numbers = count(is_plain_number);
                // A 6 or 7 says the numbers are the 1–7 scale: the words are strays,
                // unless they number them (`7 - Very high effort`), which says the
                // seven points run the effort item's way.
                let points: Vec<f64> = (sample.iter()).filter_map(|v| score_number(v)).collect();
                let on_five = points.iter().all(|x| (1.0..=5.0).contains(x));
                let numbered_seven = (sample.iter())
                    .filter(|v| super::split_numbered(v.trim()).is_some() && is_effort(v))
                    .filter_map(|v| score_number(v))
                    .any(|x| x > 5.0)
                    && points.iter().all(|x| (1.0..=7.0).contains(x));
                let effort_words = effort > 0 && effort >= numbers && effort > count(is_agreement);
                match (effort_words, on_five, numbered_seven) {
                    (true, true, _) => "5-1",
                    (true, false, true) => "7-1",
                    _ => "1-7",
                }
            }
            Measure::Nps => "0-10",
        };
        // The names above are all in the catalogue.
        let scale = Scale::parse(measure, name).unwrap_or(Scale {
            name: "1-5",
            lo: 1.0,
            hi: 5.0,
            good_from: 4.0,
            numeric: true,
            labels: Vec::new(),
            reversed: false,
        });
        scale.help_scout_bad(measure, sample)
    }

    /// Help Scout's API writes `Bad` for `Not Good`: on CSAT's 1–5 scale (the default
    /// or given), its lowest point where `Great` says the file is Help Scout's
    /// (elsewhere a `bad` beside numbers is an unknown label, as on CES's 1–5, where
    /// `Great` is one too).
    pub fn help_scout_bad(self, measure: Measure, sample: &[&str]) -> Scale {
        let help_scout = measure == Measure::Csat && said(sample, "great") && said(sample, "bad");
        match self.name == "1-5" && !self.reversed && help_scout {
            true => Scale {
                labels: [self.labels, labels(&[("bad", 1.0)])].concat(),
                ..self
            },
            false => self,
        }
    }
}

/// Does any sampled cell say `label` (in any case)?
fn said(sample: &[&str], label: &str) -> bool {
    sample.iter().any(|v| super::normalized(v) == label)
}

/// A cell of the good/bad scale's own labels (`good`, `bad`…), in any case.
fn is_good_bad(v: &str) -> bool {
    let v = super::normalized(v);
    GOOD_BAD.iter().any(|(l, _)| *l == v && v != EITHER)
}

/// A cell of the older effort item's answers (`Low effort`…), in any case, alone or
/// after its number (`1 - Very low effort`: the words say which way the scale runs).
fn is_effort(v: &str) -> bool {
    let v = v.trim();
    let words = super::split_numbered(v).map_or(v, |(_, label)| label);
    let words = super::normalized(words);
    EFFORT_5.iter().any(|(l, _)| *l == words)
}

/// A number that is no effort answer: counted against the effort answers.
fn is_plain_number(v: &str) -> bool {
    score_number(v).is_some() && !is_effort(v)
}

/// A cell of the agreement answers (`Strongly agree`…), in any case.
fn is_agreement(v: &str) -> bool {
    let v = super::normalized(v);
    AGREEMENT_7.iter().any(|(l, _)| *l == v)
}

/// A cell of the five-point satisfaction labels that the good/bad scale lacks.
fn is_five_point(v: &str) -> bool {
    let v = super::normalized(v);
    SATISFACTION_5.iter().any(|(l, _)| *l == v && v != EITHER)
}
