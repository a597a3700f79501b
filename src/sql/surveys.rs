//! The surveys query: scores read as the survey parse reads them (whole points of the
//! scale, labels of a label scale, reversed effort scales), then the survey metric
//! records.
//!
//! The table: `submitted_at` (timestamp) and either long form, `survey` (naming csat,
//! ces or nps per row) and `score` (the default), or wide form, a `csat`, `ces`
//! and/or `nps` column. Score cells are read as text (numbers, labels, `Offered`).
//! `response_rate_pct` counts the CSAT cells saying `Offered` (a survey sent and not
//! answered), and is empty when no row of the table says so, as in the command.

use crate::error::Result;
use crate::metrics::record::Value;
use crate::metrics::surveys::{self, Measure, Scale};

use super::dialect::Dialect;
use super::records::column;
use super::{optional_columns, Presence, RecordQuery, SqlRequest};

const KNOWN: &[&str] = &["survey", "score", "csat", "ces", "nps"];
const DEFAULT: &[&str] = &["survey", "score"];

pub fn query(req: &SqlRequest) -> Result<String> {
    let d = req.dialect;
    let has = optional_columns(req, KNOWN, DEFAULT)?;
    let long = has.iter().any(|c| c == "survey" || c == "score");
    if long && !(has.iter().any(|c| c == "survey") && has.iter().any(|c| c == "score")) {
        return Err(crate::usage_err!(
            "--columns: the long form needs both survey and score"
        ));
    }
    if long
        && has
            .iter()
            .any(|c| matches!(c.as_str(), "csat" | "ces" | "nps"))
    {
        return Err(crate::usage_err!(
            "--columns: give the long form (survey, score) or the wide one (csat, ces, nps), not both"
        ));
    }
    // Each survey and score cell's words (its invisible characters out, its blanks
    // trimmed and made single spaces) are worked out once a row, in a first step: the
    // expressions below read them many times, and each working out is two regular
    // expressions (repeated, the query was 100 times slower than the command).
    let sources: Vec<&str> = match long {
        true => vec!["survey", "score"],
        false => (["csat", "ces", "nps"].into_iter())
            .filter(|c| has.iter().any(|h| h == c))
            .collect(),
    };
    // The table's columns the steps pass on (no others: a column of the table named as
    // a step's own would meet it), and a prefix for the steps' own names that none of
    // them starts with (`--by cxm_words_score`).
    let mut kept: Vec<String> = vec!["submitted_at".to_string()];
    for c in req.scope.by.iter().chain(&has) {
        if !kept.contains(c) {
            kept.push(c.clone());
        }
    }
    let prefix = (0..)
        .map(|k| match k {
            0 => "cxm_".to_string(),
            k => format!("cxm{k}_"),
        })
        .find(|p| !kept.iter().any(|c| c.to_ascii_lowercase().starts_with(p)))
        .unwrap_or_default();
    let prefix = prefix.as_str();
    let words_of = |column: &str| cell(prefix, "words", column);
    let words: Vec<(String, String)> = (sources.iter())
        .map(|c| (d.words(&d.text(c)), words_of(c)))
        .collect();
    // Then what a score cell's words read as, once a row for all three measures.
    let effort = crate::metrics::surveys::numbered_effort_pattern();
    let read_as: Vec<(String, String)> = (sources.iter().filter(|c| **c != "survey"))
        .flat_map(|c| {
            let w = words_of(c);
            [
                (d.folded(&w), cell(prefix, "folded", c)),
                (d.try_float(&w), cell(prefix, "float", c)),
                (d.numbered_label(&w), cell(prefix, "numbered", c)),
                (
                    d.matches(&format!("LOWER({w})"), &effort),
                    cell(prefix, "effort", c),
                ),
            ]
        })
        .collect();
    let cleaned = vec![words, read_as];
    let kept: Vec<String> = kept.iter().map(|c| d.ident(c)).collect();
    // Score cells are read as text, their numbers as numbers where they are ones: a
    // score column may hold labels, or Zendesk's `Offered` (a text column), and a
    // column the warehouse typed as numbers reads the same as text.
    let mut read = Vec::new();
    let mut values = Vec::new();
    let mut facts = Vec::new();
    let mut offered_fact: Option<String> = None;
    let mut guards = Vec::new();
    let mut absent: Vec<Measure> = Vec::new();
    // Per measure: its score given but rejected, its score read.
    let mut rejected = Vec::new();
    let mut scored = Vec::new();
    // A score cell holding something (NaN is a missing value, as the command reads it).
    let score_given = d.given_words(&words_of("score"), &d.text("score"));
    // Per measure, its score given (on the table's columns).
    let mut any_given: Vec<String> = Vec::new();
    for (m, scale) in [
        (Measure::Csat, &req.csat),
        (Measure::Ces, &req.ces),
        (Measure::Nps, &req.nps),
    ] {
        let raw = format!("{}_raw", m.name());
        // A CSAT cell saying a survey was sent and not answered, as the command marks it.
        let offered_in =
            |cell: &str| format!("LOWER({}) = {}", words_of(cell), d.string("offered"));
        let mut offered: Option<String> = None;
        let source = if long {
            let names: Vec<String> = m.survey_names().iter().map(|n| d.string(n)).collect();
            let named = format!("LOWER({}) IN ({})", words_of("survey"), names.join(", "));
            // A measure no row names has no figures at all, not zero responses.
            let fact = format!("{}_named", m.name());
            facts.push(format!("{} AS {fact}", d.count_if(&named)));
            for c in m.columns() {
                guards.push((c.to_string(), format!("{fact} > 0")));
            }
            // A number, or a label of this measure's scale (`Strongly agree`,
            // `[labels.ces]`), as the command reads it.
            let score = match scale.numeric {
                true => labelled_number(d, prefix, "score", scale),
                false => cell(prefix, "folded", "score"),
            };
            if m == Measure::Csat {
                offered = Some(format!("{named} AND {}", offered_in("score")));
            }
            Some((
                format!("CASE WHEN {named} THEN {score} END"),
                format!("{named} AND {score_given}"),
            ))
        } else {
            has.iter().any(|c| c == m.name()).then(|| {
                let c = m.name();
                if m == Measure::Csat {
                    offered = Some(offered_in(c));
                }
                let score = match scale.numeric {
                    true => labelled_number(d, prefix, c, scale),
                    false => cell(prefix, "folded", c),
                };
                (score, d.given_words(&words_of(c), &d.text(c)))
            })
        };
        match source {
            Some((s, is_given)) => {
                // As the command reads a row: a score given that reads as no point of
                // the scale is rejected.
                let p = point(d, &raw, scale);
                let flag = format!("{}_given", m.name());
                read.push(format!("CASE WHEN {is_given} THEN 1 ELSE 0 END AS {flag}"));
                any_given.push(format!("({is_given})"));
                rejected.push(format!("({flag} = 1 AND {p} IS NULL)"));
                scored.push(format!("{p} IS NOT NULL"));
                read.push(format!("{s} AS {raw}"));
                values.push(format!(
                    "{} AS {}",
                    point(d, &raw, scale),
                    column(m.value_column())
                ));
                if let Some(o) = offered {
                    read.push(format!(
                        "CASE WHEN {o} THEN 1 ELSE 0 END AS csat_offered_mark"
                    ));
                    values.push(format!(
                        "CASE WHEN csat_offered_mark = 1 THEN 1 END AS {}",
                        column(surveys::OFFERED)
                    ));
                    // No cell of the table marks an offered survey (a row rejected,
                    // a score given without a time, marks nothing): the rate is not
                    // known.
                    offered_fact = Some(o.clone());
                    guards.push(("response_rate_pct".into(), "csat_offered_marks > 0".into()));
                }
            }
            None => {
                absent.push(m);
                values.push(format!(
                    "{} AS {}",
                    d.null_float(),
                    column(m.value_column())
                ));
            }
        }
    }
    let mut metrics = surveys::metrics_on(&req.csat, &req.ces);
    for m in &mut metrics {
        let of_absent = absent
            .iter()
            .any(|a| a.columns().contains(&m.name.as_str()));
        if of_absent {
            m.value = Value::Empty;
        }
    }
    // `--by survey`: each measure by its name, as the command groups it.
    let keyed_as = match long {
        true => {
            let arms: Vec<String> = Measure::ALL
                .iter()
                .map(|m| {
                    let names: Vec<String> = m.survey_names().iter().map(|n| d.string(n)).collect();
                    format!(
                        "WHEN LOWER({}) IN ({}) THEN {}",
                        words_of("survey"),
                        names.join(", "),
                        d.string(m.name())
                    )
                })
                .collect();
            vec![(
                "survey",
                format!("CASE {} ELSE {} END", arms.join(" "), d.group_key("survey")),
            )]
        }
        false => Vec::new(),
    };
    // As the command rejects it: a row with a score naming no survey (long form),
    // and one whose only scores are rejected (off the scale, between its points, an
    // unknown label). A row without a score (a survey offered, not answered) counts.
    // Without a window or buckets, a row without any score (a survey offered and not
    // answered) counts though it has no date, as in the command: towards the response
    // rate, and its group; a row with a score and no date is rejected.
    // A row blank in every column read (`,,,`) is no row, as the command skips it.
    let unbounded = req.scope.window.since.is_none() && req.scope.window.until.is_none();
    let nan = ["NaN", "nan", "-NaN", "-nan"]
        .map(|s| d.string(s))
        .join(", ");
    let read_columns: Vec<String> = (req.scope.by.iter())
        .chain(has.iter())
        .map(|c| match c.as_str() {
            // A score of NaN is as blank as an empty one.
            "score" | "csat" | "ces" | "nps" => format!(
                "({} IS NOT NULL AND {} NOT IN ({nan}))",
                d.group_key(c),
                d.trim_blanks(&d.text(&d.ident(c)))
            ),
            _ => format!("{} IS NOT NULL", d.group_key(c)),
        })
        .collect();
    let undated = (unbounded && req.scope.every.is_none() && !any_given.is_empty()).then(|| {
        format!(
            "({} IS NULL AND NOT ({}) AND ({}))",
            d.ident("submitted_at"),
            any_given.join(" OR "),
            read_columns.join(" OR ")
        )
    });
    let dated = format!("{} IS NOT NULL", super::plausible_millis(d, "submitted_at"));
    if let Some(o) = offered_fact {
        let read = match any_given.is_empty() {
            true => String::new(),
            false => format!(
                " AND ({dated} OR ({} IS NULL AND NOT ({})))",
                d.ident("submitted_at"),
                any_given.join(" OR ")
            ),
        };
        facts.push(format!(
            "{} AS csat_offered_marks",
            d.count_if(&format!("({o}){read}"))
        ));
    }
    let mut required = vec![match &undated {
        Some(u) => format!("({dated} OR {u})"),
        None => dated,
    }];
    if long {
        required.push(format!(
            "({} IS NOT NULL OR NOT ({score_given}))",
            d.group_key("survey")
        ));
    }
    // A survey offered (CSAT `Offered`) beside a rejected score still counts towards
    // the response rate, as in the command.
    if read.iter().any(|r| r.ends_with(" AS csat_offered_mark")) {
        scored.push("csat_offered_mark = 1".to_string());
    }
    let kept_if = (!rejected.is_empty()).then(|| {
        format!(
            "(NOT ({}) OR {})",
            rejected.join(" OR "),
            scored.join(" OR ")
        )
    });
    RecordQuery {
        req,
        keyed_as,
        at: "submitted_at",
        undated,
        required,
        kept_if,
        read,
        values,
        metrics,
        presence: (!facts.is_empty()).then_some(Presence { facts, guards }),
        cleaned,
        kept,
    }
    .sql()
}

/// The column of the steps before `parsed` holding what a cell reads as (its
/// `words`, [`Dialect::words`]; its `folded` words, a `float`, a `numbered` label's
/// number, whether it is an `effort` answer's words), by a prefix no table column
/// read has.
fn cell(prefix: &str, what: &str, column: &str) -> String {
    format!("{prefix}{what}_{column}")
}

/// A text cell of a numeric scale, by what `column`'s cells read as ([`cell`]), as
/// its point before any reversal: a label of the scale (a later one, from the
/// config, winning over a built-in of the same name), else the number it reads as,
/// alone or before its label.
fn labelled_number(d: Dialect, prefix: &str, column: &str, scale: &Scale) -> String {
    let cell = |what: &str, column: &str| cell(prefix, what, column);
    // As text: a score column the warehouse typed as numbers holds no label, and
    // reads as one all the same.
    // A number alone, or before its label (`10 - Extremely likely`), but for an
    // effort answer where higher is easier (its words run the other way).
    let numbered = cell("numbered", column);
    let numbered = match scale.reversed {
        true => numbered,
        false => format!(
            "CASE WHEN {} THEN NULL ELSE {numbered} END",
            cell("effort", column)
        ),
    };
    let number = format!("COALESCE({}, {numbered})", cell("float", column));
    let mut seen: Vec<&str> = Vec::new();
    let arms: Vec<String> = (scale.labels.iter().rev())
        .filter(|(label, _)| {
            let new = !seen.contains(&label.as_str());
            seen.push(label);
            new
        })
        .flat_map(|(label, p)| label_arms(d, label, *p))
        .collect();
    if arms.is_empty() {
        return number;
    }
    let word = cell("folded", column);
    format!("CASE {word} {} ELSE {number} END", arms.join(" "))
}

/// The `CASE` arms of a label and its point: the label as the command reads it
/// (composed), and with its accents written apart where that differs (as the command
/// composes a cell first; not every warehouse can).
fn label_arms(d: Dialect, label: &str, point: f64) -> Vec<String> {
    crate::text::both_forms(label)
        .iter()
        .map(|form| format!("WHEN {} THEN {}", d.string(form), d.number(point)))
        .collect()
}

/// The point a score stands for on `scale`: a label's point on a label scale (`raw`
/// its folded words), else a whole number within the scale (reversed where lower is
/// better); else absent.
fn point(d: Dialect, raw: &str, scale: &Scale) -> String {
    if !scale.numeric {
        let arms: Vec<String> = scale
            .labels
            .iter()
            .flat_map(|(label, p)| label_arms(d, label, *p))
            .collect();
        return format!("CASE {raw} {} END", arms.join(" "));
    }
    let (lo, hi) = (d.number(scale.lo), d.number(scale.hi));
    let value = if scale.reversed {
        format!("{} - {raw}", d.number(scale.lo + scale.hi))
    } else {
        raw.to_string()
    };
    format!(
        "CASE WHEN {raw} >= {lo} AND {raw} <= {hi} AND {raw} = FLOOR({raw}) THEN {} END",
        d.float(&value)
    )
}
