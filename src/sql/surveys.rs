//! The surveys query: scores read as the survey parse reads them (whole points of the
//! scale, labels of a label scale, reversed effort scales), then the survey metric
//! records.
//!
//! The table: `submitted_at` (timestamp) and either long form, `survey` (naming csat,
//! ces or nps per row) and `score` (the default), or wide form, a `csat`, `ces`
//! and/or `nps` column. Scores are numbers, except on the good/bad CSAT scale, whose
//! labels are text. `response_rate_pct` is empty: the table does not mark surveys
//! offered and not answered.

use crate::error::Result;
use crate::metrics::record::Value;
use crate::metrics::surveys::{self, Measure, Scale};

use super::dialect::Dialect;
use super::records::column;
use super::{optional_columns, RecordQuery, SqlRequest};

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
    let nps = Scale::parse(Measure::Nps, "0-10")
        .ok_or_else(|| crate::data_err!("the NPS scale is missing"))?;
    let mut read = Vec::new();
    let mut values = Vec::new();
    for (m, scale) in [
        (Measure::Csat, &req.csat),
        (Measure::Ces, &req.ces),
        (Measure::Nps, &nps),
    ] {
        let raw = format!("{}_raw", m.name());
        let source = if long {
            let names: Vec<String> = m.survey_names().iter().map(|n| d.string(n)).collect();
            Some(format!(
                "CASE WHEN LOWER(TRIM(survey)) IN ({}) THEN score END",
                names.join(", ")
            ))
        } else {
            has.iter()
                .any(|c| c == m.name())
                .then(|| m.name().to_string())
        };
        match source {
            Some(s) => {
                read.push(format!("{s} AS {raw}"));
                values.push(format!(
                    "{} AS {}",
                    point(d, &raw, scale),
                    column(m.value_column())
                ));
            }
            None => values.push(format!(
                "{} AS {}",
                d.null_float(),
                column(m.value_column())
            )),
        }
    }
    let mut metrics = surveys::metrics_on(&req.csat, &req.ces);
    for m in &mut metrics {
        if m.name == "response_rate_pct" {
            m.value = Value::Empty;
        }
    }
    RecordQuery {
        req,
        at: "submitted_at",
        required: Vec::new(),
        read,
        values,
        metrics,
    }
    .sql()
}

/// The point a score stands for on `scale`: a label's point on a label scale, else a
/// whole number within the scale (reversed where lower is better); else absent.
fn point(d: Dialect, raw: &str, scale: &Scale) -> String {
    if !scale.numeric {
        let arms: Vec<String> = scale
            .labels
            .iter()
            .map(|(label, p)| format!("WHEN {} THEN {}", d.string(label), d.number(*p)))
            .collect();
        return format!("CASE LOWER(TRIM({})) {} END", d.text(raw), arms.join(" "));
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
