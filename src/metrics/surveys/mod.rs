//! Survey metrics (SPEC §5 "Surveys"): CSAT, CES and NPS.
//!
//! [`parse`] turns raw score cells (numbers or labels, long or wide form) into one
//! numeric column per measure plus reject flags; [`metrics`] defines every column as
//! a record of the partials it needs (the engine runs them a block at a time;
//! [`compared_rows`] tags the rows of both windows of `--compare previous` for one
//! pass). [`with_previous`] and [`add_p_values`] implement `--compare previous`.
//!
//! | column | definition |
//! |---|---|
//! | `csat_responses` | CSAT scores on the scale |
//! | `csat_pct` | 100 × top-two-box scores ÷ CSAT responses (`good` on good/bad) |
//! | `csat_low95`, `csat_high95` | the Wilson score interval (95 %) of `csat_pct` |
//! | `response_rate_pct` | 100 × CSAT responses ÷ (responses + surveys offered and not answered), when the data marks offered surveys |
//! | `csat_mean` | mean CSAT score; empty on good/bad |
//! | `ces_responses`, `ces_mean` | CES scores, their mean (higher = easier) |
//! | `ces_easy_pct` | 100 × scores ≥ 5 (1–7) or ≥ 4 (1–5) ÷ CES responses |
//! | `nps_responses`, `promoters`, `passives`, `detractors` | NPS scores; 9–10, 7–8, 0–6 |
//! | `nps` | 100 × (promoters − detractors) ÷ NPS responses |
//! | `nps_moe95` | 196 × sqrt(((p + d) − (p − d)²) ÷ n), p and d the promoter and detractor shares |
//!
//! A blank score (or Zendesk's `Offered` / `Not Offered`) is not a response. A score
//! off the scale, a fraction on a whole-point scale or an unknown label is rejected,
//! never clamped. A measure with no source in the data has empty columns, not zeros.

use chrono_tz::Tz;
use polars::prelude::*;

use super::record::{self, Cond, Metric, Partial, Value};
use super::{count_true, reason, unparsed, Grouping, RejectRule, PERIOD};
use crate::accounting::Categories;
use crate::calendar::Every;
use crate::calendar::{in_window, Window};
use crate::input::timestamp::TsFormat;

mod compare;
mod scale;
pub use compare::*;
pub use scale::*;

/// The three survey measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Csat,
    Ces,
    Nps,
}

impl Measure {
    pub const ALL: [Measure; 3] = [Measure::Csat, Measure::Ces, Measure::Nps];

    /// The name used in `--scale`, in long-form `survey` cells and as the wide-form field.
    pub fn name(self) -> &'static str {
        match self {
            Measure::Csat => "csat",
            Measure::Ces => "ces",
            Measure::Nps => "nps",
        }
    }

    /// Does a long-form `survey` cell name this measure?
    pub fn is_named_by(self, cell: &str) -> bool {
        self.survey_names().contains(&normalized(cell).as_ref())
    }

    /// Long-form `survey` values (normalised: trimmed, lower case) naming this measure.
    pub fn survey_names(self) -> &'static [&'static str] {
        match self {
            Measure::Csat => &[
                "csat",
                "customer satisfaction",
                "customer satisfaction score",
                "satisfaction",
            ],
            Measure::Ces => &["ces", "customer effort", "customer effort score", "effort"],
            Measure::Nps => &["nps", "net promoter", "net promoter score"],
        }
    }

    /// Output columns of this measure, in SPEC §6 order.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Measure::Csat => &[
                "csat_responses",
                "csat_pct",
                "csat_low95",
                "csat_high95",
                "csat_mean",
                "response_rate_pct",
            ],
            Measure::Ces => &["ces_responses", "ces_mean", "ces_easy_pct"],
            Measure::Nps => &[
                "nps_responses",
                "promoters",
                "passives",
                "detractors",
                "nps",
                "nps_moe95",
            ],
        }
    }

    /// The parsed score column.
    pub fn value_column(self) -> &'static str {
        match self {
            Measure::Csat => "__csat",
            Measure::Ces => "__ces",
            Measure::Nps => "__nps",
        }
    }
}

/// Every metric column, in SPEC §6 order.
pub fn metric_columns() -> Vec<String> {
    Measure::ALL
        .iter()
        .flat_map(|m| m.columns().iter().map(|c| c.to_string()))
        .collect()
}

/// Where the scores are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A `survey` column names the measure of each row; `score` holds it.
    Long,
    /// A column per measure (`csat`, `ces`, `nps`); any may be missing.
    Wide,
}

/// Everything the survey metrics need to know about the data and the request.
#[derive(Debug, Clone)]
pub struct SurveyParams {
    pub shape: Shape,
    /// The measures with a source column (wide) or all three (long).
    pub measures: Vec<Measure>,
    pub csat: Scale,
    pub ces: Scale,
    pub nps: Scale,
    /// The format of `submitted_at`, when the data has it.
    pub submitted: Option<TsFormat>,
    pub tz: Tz,
    pub grouping: Grouping,
    /// Long form: the file's header of its `survey` column. A row naming it there is
    /// the header repeated (files joined with `cat`), no kind of survey: judged as a
    /// response, and rejected for its time.
    pub kind_header: Option<String>,
}

impl SurveyParams {
    pub fn scale(&self, m: Measure) -> &Scale {
        match m {
            Measure::Csat => &self.csat,
            Measure::Ces => &self.ces,
            Measure::Nps => &self.nps,
        }
    }

    /// The field a measure's cells are read from.
    fn source_field(&self, m: Measure) -> &'static str {
        match self.shape {
            Shape::Long => "score",
            Shape::Wide => m.name(),
        }
    }

    pub fn rule(&self, m: Measure, why: &'static str) -> RejectRule {
        match self.shape {
            Shape::Long => RejectRule::scoped("score", why, m.name()),
            Shape::Wide => RejectRule::new(m.name(), why),
        }
    }
}

// Column names of the parsed frame.
pub const SUBMITTED_MS: &str = "__submitted_ms";
const KIND: &str = "__kind";
/// Long form: whether the score cell is an answer, whatever the kind.
const ANSWERED: &str = "__answered";
/// Long form: the score's point on its kind's scale ([`point_by_kind`]).
const POINT: &str = "__point";
/// 1 where a CSAT survey was offered and not answered (Zendesk's `Offered`).
pub const OFFERED: &str = "__csat_offered";
/// Long form: the row names a kind of survey that is not CSAT, CES or NPS.
pub const OTHER_KIND: &str = "__other_kind";
/// Set by the ticket join: true when the response's ticket was found.
pub const TICKET_FOUND: &str = "__ticket_found";

/// The reject rules [`parse`] adds flags for.
pub fn reject_rules(p: &SurveyParams) -> Vec<RejectRule> {
    let mut rules = Vec::new();
    if p.submitted.is_some() {
        rules.push(RejectRule::new("submitted_at", reason::MISSING));
        rules.push(RejectRule::new("submitted_at", reason::BAD_TIMESTAMP));
    }
    if p.shape == Shape::Long {
        rules.push(RejectRule::new("survey", reason::MISSING));
    }
    for &m in &p.measures {
        rules.push(p.rule(m, reason::UNKNOWN_LABEL));
        if !p.scale(m).numeric {
            rules.push(p.rule(m, reason::NUMBER_ON_LABELS));
        }
        if p.scale(m).numeric {
            rules.push(p.rule(m, reason::OUT_OF_SCALE));
            rules.push(p.rule(m, reason::BETWEEN_POINTS));
        }
    }
    rules
}

/// The rule counting responses whose ticket was not found (see [`TICKET_FOUND`]).
pub fn no_ticket_rule() -> RejectRule {
    RejectRule::warning("ticket_id", reason::NO_TICKET)
}

/// `--verbose`: a row is used when one of its scores counts and its time is in the
/// window (`window`: the submitted-at filter, none when every row counts); otherwise
/// it was rejected (a rule fired), held no score at all, or lies outside the window.
/// `current`: the window itself, where `window` spans the one before it too.
pub fn categories(
    rules: &[RejectRule],
    window: Option<&Window>,
    current: Option<&Window>,
    shape: Shape,
) -> Categories {
    let used = scored();
    let flagged = rules
        .iter()
        .filter(|r| !r.warn_only)
        .map(|r| col(r.flag.as_str()))
        .reduce(|a, b| a.or(b))
        .unwrap_or(lit(false));
    let inside = window.map_or(lit(true), |w| {
        crate::calendar::in_window(col(SUBMITTED_MS), w)
    });
    let other = (shape == Shape::Long).then(|| {
        used.clone()
            .not()
            .and(flagged.clone().not())
            .and(col(OTHER_KIND))
    });
    let not_other = other.clone().map_or(lit(true), |o| o.not());
    // A survey offered and not answered counts towards the response rate, whatever
    // else its row holds: used, without a score.
    let offered = col(OFFERED).is_not_null();
    Categories {
        used: used.clone().and(inside.clone()),
        rejected: (used.clone().not())
            .and(flagged.clone())
            .and(offered.clone().not()),
        duplicates: None,
        empty: Some((
            (used.clone().not())
                .and(flagged.not().or(offered))
                .and(not_other),
            "without a score",
        )),
        current: current
            .map(|w| (used.clone()).and(crate::calendar::in_window(col(SUBMITTED_MS), w))),
        outside: window.map(|_| used.and(inside.not())),
        other: other.map(|o| (o, "of other survey kinds")),
    }
}

/// Flag and count responses whose ticket was not found, after a ticket join.
pub fn no_ticket_flag(lf: LazyFrame, needs_ticket: Expr) -> LazyFrame {
    let responded = scored();
    // A response without a ticket_id (relationship NPS) is not looking for a ticket.
    lf.with_column(
        responded
            .and(col("ticket_id").is_not_null())
            .and(needs_ticket)
            .and(col(TICKET_FOUND).fill_null(false).not())
            .alias(no_ticket_rule().flag),
    )
}

/// A cell trimmed and lower-cased, each run of blanks within it one space (`Very
/// \u{a0}satisfied`, `Very  satisfied`: a label as a spreadsheet or a web form may
/// write it) and without the characters that print as nothing (`csat\u{200b}` is
/// `csat`, as a header is read); borrowed when it already is. The two letters whose lower case differs
/// between engines are made one, as `cxm sql` folds them: `İ` is `i` (not `i` and a
/// combining dot: Turkish `İyi` is `iyi`), a final `ς` is `σ` (`ΚΑΚΌΣ` and `κακός`).
pub(crate) fn normalized(cell: &str) -> std::borrow::Cow<'_, str> {
    let t = cell.trim();
    let plain =
        |b: u8| b.is_ascii() && !b.is_ascii_uppercase() && (b == b' ' || !b.is_ascii_whitespace());
    if t.bytes().all(plain) && !t.contains("  ") {
        return std::borrow::Cow::Borrowed(t);
    }
    let visible: std::borrow::Cow<'_, str> = match t.contains(crate::text::invisible) {
        true => t.replace(crate::text::invisible, "").into(),
        false => t.into(),
    };
    let words: Vec<&str> = visible.split_whitespace().collect();
    let lower = crate::text::composed(&words.join(" ")).to_lowercase();
    std::borrow::Cow::Owned(match lower.contains(['\u{307}', 'ς']) {
        true => lower.replace("i\u{307}", "i").replace('ς', "σ"),
        false => lower,
    })
}

/// `f` of each normalised cell of a string column, in one pass over the strings
/// (a chain of comparisons per label would read every cell once per label).
fn per_cell<T, F>(raw: Expr, dtype: DataType, f: F) -> Expr
where
    T: PolarsDataType,
    ChunkedArray<T>: FromIterator<Option<T::Physical<'static>>> + IntoColumn,
    F: Fn(&str) -> Option<T::Physical<'static>> + Send + Sync + 'static,
{
    raw.map(
        move |c| {
            let out: ChunkedArray<T> = c
                .str()?
                .iter()
                .map(|v| v.and_then(|v| f(&normalized(v))))
                .collect();
            Ok(out.with_name(c.name().clone()).into_column())
        },
        move |_, field| Ok(Field::new(field.name().clone(), dtype.clone())),
    )
}

/// Cells that say "no response" (Zendesk writes `Offered` / `Not Offered` for surveys
/// sent but not answered).
pub const NOT_A_RESPONSE: &[&str] = &["", "offered", "not offered", "unoffered", "n/a"];

/// Is the cell an answer (not blank, not "offered", "n/a"…)?
fn answered(raw: Expr) -> Expr {
    per_cell::<BooleanType, _>(raw, DataType::Boolean, |v| {
        Some(!NOT_A_RESPONSE.contains(&v))
    })
    .fill_null(false)
}

/// The point a normalised cell stands for on `scale`: a label (the last given, when
/// one is given twice), or a number on a numeric scale, alone or before its label
/// ([`numbered_label`]); `None` if neither.
fn point_on(scale: &Scale, v: &str) -> Option<f64> {
    let p = match scale.labels.iter().rev().find(|(label, _)| label == v) {
        Some(&(_, p)) => Some(p),
        // `nan` and `inf` parse as floats, and are no score.
        None if scale.numeric => (v.parse::<f64>().ok())
            .or_else(|| numbered_on(scale, v))
            .filter(|x| x.is_finite()),
        None => None,
    };
    p.map(|p| {
        if scale.reversed {
            scale.lo + scale.hi - p
        } else {
            p
        }
    })
}

/// [`numbered_label`] on `scale`, but for an effort answer (`1 - Very low effort`) on
/// a scale where higher is easier: its words run the other way, and it is no score
/// there (as the effort words alone are not).
fn numbered_on(scale: &Scale, v: &str) -> Option<f64> {
    let (number, words) = split_numbered(v)?;
    (!scale.runs_against(words)).then_some(number)
}

/// The numbered effort answers [`numbered_on`] leaves out on a scale where higher is
/// easier, as a regular expression over the lower-cased cell, for SQL.
pub fn numbered_effort_pattern() -> String {
    format!(
        "^[0-9]+([.][0-9]+)? *[-–—:=(] *({}) *[)]?$",
        EFFORT_WORDS.join("|")
    )
}

/// The number of a choice written with its label, as survey tools export a scale's
/// anchors (`10 - Extremely likely`, `5 (Very satisfied)`, `0 = Not at all likely`):
/// digits (a fraction after a point), spaces, one of `-` `–` `—` `:` `=` `(`, spaces,
/// then anything but a digit. The number is the score, whatever the label says.
/// [`NUMBERED_LABEL`] is the same rule for SQL.
pub fn numbered_label(v: &str) -> Option<f64> {
    split_numbered(v).map(|(number, _)| number)
}

/// A score written with its label as its number and the label (`1 - Very low
/// effort` → 1 and `Very low effort`; a closing `)` left off).
pub fn split_numbered(v: &str) -> Option<(f64, &str)> {
    let digits = v
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b'.')
        .count();
    let (number, rest) = v.split_at(digits);
    let rest = rest.trim_start_matches(' ');
    let rest = rest.strip_prefix(['-', '–', '—', ':', '=', '('])?;
    let label = rest.trim_start_matches(' ');
    let first = label.chars().next()?;
    let well_formed = number.starts_with(|c: char| c.is_ascii_digit())
        && number.matches('.').count() <= 1
        && !number.ends_with('.');
    let label = label.strip_suffix(')').unwrap_or(label).trim_end();
    (well_formed && !first.is_ascii_digit())
        .then(|| Some((number.parse().ok()?, label)))
        .flatten()
}

/// A score cell's number, alone or before its label (`10 - Extremely likely`), as
/// the scale checks count numbers.
pub fn score_number(v: &str) -> Option<f64> {
    let v = v.trim();
    (v.parse::<f64>().ok())
        .or_else(|| numbered_label(v))
        .filter(|x| x.is_finite())
}

/// [`numbered_label`] as a regular expression (its one group the number), for SQL.
pub const NUMBERED_LABEL: &str = "^([0-9]+([.][0-9]+)?) *[-–—:=(] *[^ 0-9]";

/// Is a score cell an answer (not blank, not "offered", "n/a"…)? [`answered`] of one
/// cell.
pub fn is_answer(cell: &str) -> bool {
    !NOT_A_RESPONSE.contains(&normalized(cell).as_ref())
}

/// A normalised cell that is a finite number (`4`, `4.5`), not a word.
fn is_number(v: &str) -> bool {
    v.parse::<f64>().is_ok_and(f64::is_finite)
}

/// Why the metric commands reject a score cell on `scale` (an unknown label, a
/// score off the scale or between its points), `None` when it reads or is no answer:
/// [`parse`]'s flags of one cell, for `inspect`.
pub fn score_reason(scale: &Scale, cell: &str) -> Option<&'static str> {
    if !is_answer(cell) {
        return None;
    }
    let v = normalized(cell);
    let Some(p) = point_on(scale, &v) else {
        return Some(match !scale.numeric && is_number(&v) {
            true => reason::NUMBER_ON_LABELS,
            false => reason::UNKNOWN_LABEL,
        });
    };
    match scale.numeric {
        true if p < scale.lo || p > scale.hi => Some(reason::OUT_OF_SCALE),
        true if p.floor() != p => Some(reason::BETWEEN_POINTS),
        _ => None,
    }
}

/// A long-form row of another kind of survey than the three measures (eNPS): its
/// `survey` cell names none, nor is it the file's header repeated.
fn other_kind(p: &SurveyParams) -> Expr {
    let named = unparsed(col("survey"), col(KIND));
    match &p.kind_header {
        Some(header) => named.and(
            (col("survey").str().strip_chars(lit(NULL)))
                .neq(lit(header.trim().to_string()))
                .fill_null(lit(true)),
        ),
        None => named,
    }
}

/// The point each cell stands for on `scale` (null if none).
fn point(raw: Expr, scale: &Scale) -> Expr {
    let scale = scale.clone();
    per_cell::<Float64Type, _>(raw, DataType::Float64, move |v| point_on(&scale, v))
}

/// Long form: the point each cell stands for on the scale of the measure its row's
/// [`KIND`] names (null for other kinds): one pass for all three measures.
fn point_by_kind(kind: Expr, raw: Expr, p: &SurveyParams) -> Expr {
    let scales: Vec<Scale> = Measure::ALL.iter().map(|&m| p.scale(m).clone()).collect();
    as_struct(vec![kind, raw]).map(
        move |c| {
            let fields = c.struct_()?.fields_as_series();
            let (kinds, cells) = (fields[0].u8()?, fields[1].str()?);
            let out: Float64Chunked = kinds
                .iter()
                .zip(cells.iter())
                .map(|(kind, v)| point_on(scales.get(usize::from(kind?))?, &normalized(v?)))
                .collect();
            Ok(out.with_name(c.name().clone()).into_column())
        },
        |_, f| Ok(Field::new(f.name().clone(), DataType::Float64)),
    )
}

/// The measure a long-form `survey` cell names, as its place in [`Measure::ALL`]
/// (null if none): a number, as rows are compared with each measure several times.
fn measure_named(raw: Expr) -> Expr {
    raw.map(
        |c| {
            let out: UInt8Chunked = c
                .str()?
                .iter()
                .map(|v| {
                    let v = normalized(v?);
                    let m = Measure::ALL
                        .iter()
                        .position(|m| m.survey_names().contains(&v.as_ref()))?;
                    Some(m as u8)
                })
                .collect();
            Ok(out.with_name(c.name().clone()).into_column())
        },
        |_, field| Ok(Field::new(field.name().clone(), DataType::UInt8)),
    )
}

/// Long form: whether a row's [`KIND`] is measure `m`.
fn kind_is(m: Measure) -> Expr {
    let place = Measure::ALL
        .iter()
        .position(|x| *x == m)
        .unwrap_or(usize::MAX);
    col(KIND).eq(lit(place as u8)).fill_null(false)
}

/// Raw string columns → one score column per measure and reject flags.
///
/// Output columns: the input columns, `__submitted_ms` (null when the row is
/// rejected or the data has no timestamp), `__csat`/`__ces`/`__nps` (valid points,
/// null otherwise), `__kind` (long form) and one boolean per [`reject_rules`] entry.
pub fn parse(lf: LazyFrame, p: &SurveyParams) -> LazyFrame {
    let mut stage1 = Vec::new();
    if let Some(fmt) = &p.submitted {
        // A time before 1900 or from 2100 on is misread, as a ticket's is.
        stage1.push(
            super::tickets::plausible(fmt.to_epoch_ms(col("submitted_at"), p.tz))
                .alias("__submitted_raw_ms"),
        );
    }
    if p.shape == Shape::Long {
        stage1.push(measure_named(col("survey")).alias(KIND));
        stage1.push(answered(col("score")).alias(ANSWERED));
    }
    let lf = if stage1.is_empty() {
        lf
    } else {
        lf.with_columns(stage1)
    };
    let lf = match p.shape {
        Shape::Long => lf.with_columns([
            point_by_kind(col(KIND), col("score"), p).alias(POINT),
            // A measure by its name, however a row spells it (`CSAT`, `csat `,
            // `Customer Satisfaction`): `--by survey` gives it one row.
            when(col(KIND).eq(lit(0u8)))
                .then(lit(Measure::ALL[0].name()))
                .when(col(KIND).eq(lit(1u8)))
                .then(lit(Measure::ALL[1].name()))
                .when(col(KIND).eq(lit(2u8)))
                .then(lit(Measure::ALL[2].name()))
                .otherwise(col("survey"))
                .alias("survey"),
        ]),
        Shape::Wide => lf,
    };

    let row_ok = match p.submitted {
        Some(_) => col("__submitted_raw_ms").is_not_null(),
        None => lit(true),
    };
    let mut out = Vec::new();
    let mut flags = Vec::new();
    if p.submitted.is_some() {
        out.push(
            when(row_ok.clone())
                .then(col("__submitted_raw_ms"))
                .otherwise(lit(NULL).cast(DataType::Int64))
                .alias(SUBMITTED_MS),
        );
        // Another kind of survey (eNPS) is neither used nor rejected, whatever its time.
        let other_kind = match p.shape {
            Shape::Long => other_kind(p),
            Shape::Wide => lit(false),
        };
        flags.push(
            unparsed(col("submitted_at"), col("__submitted_raw_ms"))
                .and(other_kind.not())
                .alias(RejectRule::new("submitted_at", reason::BAD_TIMESTAMP).flag),
        );
    }
    // A score's flags (and a long row's missing kind), judged only where the row's
    // time is: a row rejected for its time is rejected whole, once.
    let mut score_flags: Vec<(Expr, String)> = Vec::new();
    if p.shape == Shape::Long {
        score_flags.push((
            col("survey").is_null().and(col(ANSWERED)),
            RejectRule::new("survey", reason::MISSING).flag,
        ));
        // Another kind of survey (eNPS, PMF) is not a bad row: counted apart.
        flags.push(other_kind(p).alias(OTHER_KIND));
    }
    // A row without any score is an unanswered survey, not a response missing its date.
    let mut any_given = lit(false);
    let mut offered_csat = None;
    for m in Measure::ALL {
        if !p.measures.contains(&m) {
            out.push(lit(NULL).cast(DataType::Float64).alias(m.value_column()));
            if m == Measure::Csat {
                out.push(lit(NULL).cast(DataType::Float64).alias(OFFERED));
            }
            continue;
        }
        let scale = p.scale(m);
        let source = col(p.source_field(m));
        if m == Measure::Csat {
            let offered = per_cell::<Float64Type, _>(source.clone(), DataType::Float64, |v| {
                (v == "offered").then_some(1.0)
            });
            let offered = match p.shape {
                Shape::Long => when(kind_is(m))
                    .then(offered)
                    .otherwise(lit(NULL).cast(DataType::Float64)),
                Shape::Wide => offered,
            };
            offered_csat = Some(offered);
        }
        let (given, value) = match p.shape {
            Shape::Long => {
                let this = kind_is(m);
                (
                    this.clone().and(col(ANSWERED)),
                    when(this)
                        .then(col(POINT))
                        .otherwise(lit(NULL).cast(DataType::Float64)),
                )
            }
            Shape::Wide => (answered(source.clone()), point(source.clone(), scale)),
        };
        any_given = any_given.or(given.clone());
        let in_range = value
            .clone()
            .gt_eq(lit(scale.lo))
            .and(value.clone().lt_eq(lit(scale.hi)))
            .fill_null(false);
        let whole = value.clone().eq(value.clone().floor()).fill_null(false);
        let valid = in_range.clone().and(whole.clone());
        out.push(
            when(row_ok.clone().and(given.clone()).and(valid.clone()))
                .then(value.clone())
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias(m.value_column()),
        );
        // On a scale of labels, a number is told apart from a word it does not know.
        let number = match scale.numeric {
            true => lit(false),
            false => per_cell::<BooleanType, _>(source, DataType::Boolean, |v| Some(is_number(v)))
                .fill_null(false),
        };
        score_flags.push((
            given
                .clone()
                .and(value.clone().is_null())
                .and(number.clone().not()),
            p.rule(m, reason::UNKNOWN_LABEL).flag,
        ));
        if !scale.numeric {
            score_flags.push((
                given.clone().and(value.clone().is_null()).and(number),
                p.rule(m, reason::NUMBER_ON_LABELS).flag,
            ));
        }
        if scale.numeric {
            score_flags.push((
                given
                    .clone()
                    .and(value.clone().is_not_null())
                    .and(in_range.clone().not()),
                p.rule(m, reason::OUT_OF_SCALE).flag,
            ));
            score_flags.push((
                given
                    .and(value.is_not_null())
                    .and(in_range)
                    .and(whole.not()),
                p.rule(m, reason::BETWEEN_POINTS).flag,
            ));
        }
    }
    let time_missing = col("submitted_at").is_null().and(any_given);
    let time_ok = match p.submitted {
        Some(_) => (unparsed(col("submitted_at"), col("__submitted_raw_ms")))
            .or(time_missing.clone())
            .not(),
        None => lit(true),
    };
    for (flag, name) in score_flags {
        flags.push(flag.and(time_ok.clone()).alias(name));
    }
    if let Some(offered) = offered_csat {
        // A row rejected for its time (unreadable, or missing beside a score) is left
        // out of the rate as of every figure; an offered survey alone, without a time,
        // is undated, not rejected.
        let offered = match p.submitted {
            Some(_) => when(
                unparsed(col("submitted_at"), col("__submitted_raw_ms")).or(time_missing.clone()),
            )
            .then(lit(NULL).cast(DataType::Float64))
            .otherwise(offered),
            None => offered,
        };
        out.push(offered.alias(OFFERED));
    }
    if p.submitted.is_some() {
        flags.push(time_missing.alias(RejectRule::new("submitted_at", reason::MISSING).flag));
    }
    out.extend(flags);
    lf.with_columns(out)
}

/// Per measure, how many rows name it (long form) — a measure no row names is absent.
pub fn measure_counts(p: &SurveyParams) -> Vec<Expr> {
    let mut out: Vec<Expr> = Measure::ALL
        .iter()
        .map(|m| {
            let named = match p.shape {
                Shape::Long => kind_is(*m),
                Shape::Wide => lit(p.measures.contains(m)),
            };
            count_true(named).alias(format!("__named_{}", m.name()))
        })
        .collect();
    // Wide form: the rows giving each measure a value (its column not blank).
    if p.shape == Shape::Wide {
        out.extend(p.measures.iter().map(|m| {
            count_true(col(m.name()).is_not_null()).alias(format!("__given_{}", m.name()))
        }));
    }
    out.push(count_true(col(OFFERED).is_not_null()).alias("__offered"));
    if p.submitted.is_some() {
        // A time written but unreadable is rejected as such, not undated.
        let unreadable = col(RejectRule::new("submitted_at", reason::BAD_TIMESTAMP).flag);
        let undated = (col(OFFERED).is_not_null())
            .and(col(SUBMITTED_MS).is_null())
            .and(unreadable.not());
        out.push(count_true(undated).alias(OFFERED_UNDATED));
    }
    out
}

/// The count of [`measure_counts`]: surveys offered and not answered without a time.
pub const OFFERED_UNDATED: &str = "__offered_undated";

/// Offered surveys without a time, left out of the response rate because the window
/// or the buckets place rows by time: the warning saying how many.
pub fn undated_offered_warning(counts: &DataFrame, p: &SurveyParams) -> Option<String> {
    if !places_by_time(p) {
        return None;
    }
    let n = counts
        .column(OFFERED_UNDATED)
        .ok()?
        .as_materialized_series()
        .sum::<u64>()
        .ok()?;
    let (surveys, have) = if n == 1 {
        ("survey", "has")
    } else {
        ("surveys", "have")
    };
    (n > 0).then(|| {
        format!(
            "{n} {surveys} offered and not answered {have} no submitted_at: the window and buckets place rows by time, so response_rate_pct leaves them out"
        )
    })
}

/// Blank `response_rate_pct` (and its comparison) when no row of the data marks a
/// survey offered and not answered: without such marks the rate is unknown, not 100 %.
pub fn blank_response_rate(df: DataFrame, counts: &DataFrame) -> PolarsResult<DataFrame> {
    let offered = counts
        .column("__offered")
        .ok()
        .and_then(|c| c.as_materialized_series().sum::<u64>().ok())
        .unwrap_or(0);
    if offered > 0 {
        return Ok(df);
    }
    let mut df = df;
    let height = df.height();
    for name in ["response_rate_pct", "response_rate_pct_prev"] {
        if df.column(name).is_ok() {
            df.with_column(Column::full_null(name.into(), height, &DataType::Float64))?;
        }
    }
    Ok(df)
}

/// The measures present in the data, from the frame of [`measure_counts`].
pub fn present_measures(counts: &DataFrame) -> Vec<Measure> {
    Measure::ALL
        .iter()
        .copied()
        .filter(|m| {
            counts
                .column(&format!("__named_{}", m.name()))
                .ok()
                .and_then(|c| c.as_materialized_series().sum::<u64>().ok())
                .unwrap_or(0)
                > 0
        })
        .collect()
}

/// Every survey metric in SPEC §6 order, one record each (see the table above).
pub fn metrics(p: &SurveyParams) -> Vec<Metric> {
    metrics_on(&p.csat, &p.ces)
}

/// [`metrics`] on these CSAT and CES scales.
pub fn metrics_on(csat: &Scale, ces: &Scale) -> Vec<Metric> {
    let responses = |m: Measure| Partial::Count(Cond::NotNull(m.value_column()));
    let at_least = |m: Measure, x: f64| Partial::Count(Cond::AtLeast(m.value_column(), x));
    let mean = |m: Measure| Value::Mean {
        sum: Partial::Sum(m.value_column(), None),
        n: responses(m),
        scale: 1.0,
    };
    let nps = Measure::Nps.value_column();
    let promoters = at_least(Measure::Nps, 9.0);
    let detractors = Partial::Count(Cond::AtMost(nps, 6.0));
    let passives = Partial::Count(Cond::both(Cond::AtLeast(nps, 7.0), Cond::AtMost(nps, 8.0)));
    let net = |plus: Partial, minus: Partial| (plus, minus, responses(Measure::Nps));
    let (plus, minus, whole) = net(promoters.clone(), detractors.clone());
    vec![
        Metric::new("csat_responses", Value::Count(responses(Measure::Csat))),
        Metric::new(
            "csat_pct",
            Value::Pct {
                part: at_least(Measure::Csat, csat.good_from),
                whole: responses(Measure::Csat),
            },
        ),
        Metric::new(
            "csat_low95",
            Value::Wilson95 {
                part: at_least(Measure::Csat, csat.good_from),
                whole: responses(Measure::Csat),
                upper: false,
            },
        ),
        Metric::new(
            "csat_high95",
            Value::Wilson95 {
                part: at_least(Measure::Csat, csat.good_from),
                whole: responses(Measure::Csat),
                upper: true,
            },
        ),
        Metric::new(
            "csat_mean",
            if csat.numeric {
                mean(Measure::Csat)
            } else {
                Value::Empty
            },
        ),
        Metric::new(
            "response_rate_pct",
            Value::Share {
                part: responses(Measure::Csat),
                rest: Partial::Count(Cond::NotNull(OFFERED)),
            },
        ),
        Metric::new("ces_responses", Value::Count(responses(Measure::Ces))),
        Metric::new("ces_mean", mean(Measure::Ces)),
        Metric::new(
            "ces_easy_pct",
            Value::Pct {
                part: at_least(Measure::Ces, ces.good_from),
                whole: responses(Measure::Ces),
            },
        ),
        Metric::new("nps_responses", Value::Count(responses(Measure::Nps))),
        Metric::new("promoters", Value::Count(promoters)),
        Metric::new("passives", Value::Count(passives)),
        Metric::new("detractors", Value::Count(detractors)),
        Metric::new(
            "nps",
            Value::NetPct {
                plus: plus.clone(),
                minus: minus.clone(),
                whole: whole.clone(),
            },
        ),
        Metric::new("nps_moe95", Value::NetPctMargin95 { plus, minus, whole }),
    ]
}

/// The responses in the window, with their group keys and the values the metrics read.
pub fn window_rows(parsed: LazyFrame, p: &SurveyParams) -> LazyFrame {
    rows_of(parsed, p, &metrics(p))
}

/// [`window_rows`] with the columns `records` read.
fn rows_of(parsed: LazyFrame, p: &SurveyParams, records: &[Metric]) -> LazyFrame {
    let inputs = record::inputs_of(records);
    // Without bounds or buckets the time places nothing, and a survey offered and not
    // answered (often undated) still counts towards the response rate. An answered
    // row without a time is rejected before this.
    let ts = (p.submitted.is_some() && places_by_time(p)).then(|| col(SUBMITTED_MS));
    // A row rejected whole (no score and no offered survey left to count) is in no
    // group, as a ticket without its creation time is in none. (A row of another
    // kind of survey, eNPS, still is: `--by survey` lists it, as the SQL does.)
    let counts = counted();
    let flagged = (reject_rules(p).iter())
        .map(|r| col(r.flag.as_str()))
        .reduce(|a, b| a.or(b));
    let parsed = match flagged {
        Some(flagged) => parsed.filter(counts.or(flagged.not())),
        None => parsed,
    };
    p.grouping.rows(parsed, ts, Some(&inputs))
}

/// A row the table counts: a score that counts, or a survey offered (a response
/// rate's denominator).
pub fn counted() -> Expr {
    scored().or(col(OFFERED).is_not_null())
}

/// A row with a score that counts.
fn scored() -> Expr {
    (Measure::ALL.iter())
        .map(|m| col(m.value_column()).is_not_null())
        .reduce(|a, b| a.or(b))
        .unwrap_or(lit(false))
}

/// Does a row's time decide whether and where it counts (a window bound or buckets)?
pub fn places_by_time(p: &SurveyParams) -> bool {
    let g = &p.grouping;
    g.window.since.is_some() || g.window.until.is_some() || g.every.is_some()
}

/// Column of `--compare previous`'s rows telling their window: [`NOW`] or [`BEFORE`].
pub const COMPARED: &str = "__compared";
/// [`COMPARED`] of a row of the window.
pub const NOW: &str = "now";
/// [`COMPARED`] of a row of the window before it.
pub const BEFORE: &str = "before";

/// The records of `--compare previous`: [`metrics`], and for [`add_p_values`]'s tests
/// of the means, the hidden mean of each measure's squared scores.
pub fn compared_metrics(p: &SurveyParams) -> Vec<Metric> {
    let mut metrics = metrics(p);
    for (measure, square, mean_square) in SQUARES {
        metrics.push(Metric::new(
            mean_square,
            Value::Mean {
                sum: Partial::Sum(square, None),
                n: Partial::Count(Cond::NotNull(measure.value_column())),
                scale: 1.0,
            },
        ));
    }
    metrics
}

/// The grouping of [`compared_rows`]: the window's keys after [`COMPARED`], no bound.
pub fn compared_grouping(p: &SurveyParams) -> Grouping {
    let mut group_by = vec![COMPARED.to_string()];
    group_by.extend(p.grouping.group_by.iter().cloned());
    Grouping {
        window: Window::default(),
        group_by,
        ..p.grouping.clone()
    }
}

/// Well-formed parsed rows of the window (`now`) and of the one before it, each
/// tagged with its window in [`COMPARED`], with the keys of [`compared_grouping`] and
/// the columns [`compared_metrics`] read: what one pass of the engine groups for
/// both windows at once.
pub fn compared_rows(
    parsed: LazyFrame,
    p: &SurveyParams,
    now: &Window,
    before: Option<&Window>,
) -> LazyFrame {
    let ts = || col(SUBMITTED_MS);
    let tag = match before {
        Some(before) => when(in_window(ts(), now))
            .then(lit(NOW))
            .when(in_window(ts(), before))
            .then(lit(BEFORE))
            .otherwise(lit(NULL).cast(DataType::String)),
        None => when(in_window(ts(), now))
            .then(lit(NOW))
            .otherwise(lit(NULL).cast(DataType::String)),
    };
    let squared: Vec<Expr> = (SQUARES.iter())
        .map(|(measure, square, _)| {
            let score = col(measure.value_column()).cast(DataType::Float64);
            (score.clone() * score).alias(*square)
        })
        .collect();
    let tagged = parsed
        .with_column(tag.alias(COMPARED))
        .filter(col(COMPARED).is_not_null())
        .with_columns(squared);
    let q = SurveyParams {
        grouping: compared_grouping(p),
        ..p.clone()
    };
    rows_of(tagged, &q, &compared_metrics(p))
}

/// Each measure with a mean, its squared scores' column and the hidden column of their
/// mean, which [`aggregate`] adds for [`add_p_values`]'s test of the means.
pub const SQUARES: [(Measure, &str, &str); 2] = [
    (Measure::Csat, "__csat_sq", "__csat_mean_sq"),
    (Measure::Ces, "__ces_sq", "__ces_mean_sq"),
];

/// Null every column of the measures not in `present` (and their comparison columns).
pub fn blank_absent(df: DataFrame, present: &[Measure]) -> PolarsResult<DataFrame> {
    let mut blank: Vec<String> = Vec::new();
    for m in Measure::ALL.iter().filter(|m| !present.contains(m)) {
        for c in m.columns() {
            blank.push(c.to_string());
            blank.push(format!("{c}_prev"));
            blank.push(format!("{c}_delta"));
        }
        let tests = TESTS.iter().filter(|(_, of)| m.columns().contains(of));
        blank.extend(tests.map(|(p, _)| p.to_string()));
    }
    let height = df.height();
    let mut df = df;
    for name in blank {
        if df.column(&name).is_ok() {
            df.with_column(Column::full_null(
                name.as_str().into(),
                height,
                &DataType::Float64,
            ))?;
        }
    }
    Ok(df)
}

#[cfg(test)]
mod scale_tests {
    use super::*;

    /// An effort answer with its number is no score where higher is easier (1-7), and
    /// its number on the effort item's own scale (5-1, flipped); the effort words are
    /// the built-in scale's.
    #[test]
    fn numbered_effort_answers_only_on_their_scale() {
        let (agree, effort) = (
            Scale::parse(Measure::Ces, "1-7").unwrap(),
            Scale::parse(Measure::Ces, "5-1").unwrap(),
        );
        assert_eq!(point_on(&agree, "1 - very low effort"), None);
        assert_eq!(point_on(&agree, "6 - agree"), Some(6.0));
        assert_eq!(point_on(&effort, "1 - very low effort"), Some(5.0));
        let words: Vec<&str> = effort.labels.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(words, EFFORT_WORDS);
    }

    /// A number before its label is the score; a range, a date or a number alone
    /// is not a numbered label.
    #[test]
    fn numbered_labels() {
        let read = |v: &str| numbered_label(v);
        assert_eq!(read("10 - extremely likely"), Some(10.0));
        assert_eq!(read("5 (very satisfied)"), Some(5.0));
        assert_eq!(read("0 = not at all likely"), Some(0.0));
        assert_eq!(read("4:satisfied"), Some(4.0));
        assert_eq!(read("7 – neutral"), Some(7.0));
        assert_eq!(read("9.5 - x"), Some(9.5));
        for no in [
            "1-5",
            "10 -",
            "10",
            "- 5 x",
            "1.2.3 - x",
            "10. - x",
            "10\t- x",
            "x - 10",
        ] {
            assert_eq!(read(no), None, "{no}");
        }
    }

    #[test]
    fn most_scores_off_the_default_scale_is_a_misfit() {
        let default = Scale::default_for(Measure::Csat, &[]);
        // 3 of 4 numbers above 5: a misfit, and 1-10 holds them all.
        let sample = ["10", "7", "NA", "9", "4"];
        assert_eq!(
            default.misfit(Measure::Csat, &sample),
            Some((3, 4, "10".to_string(), Ok("1-10")))
        );
        // 0–10 satisfaction: 0, 8, 10, 0, 7 are off 1–5 (5 of 6), no scale holds 0;
        // 1–10 holds 4 of them, more than 1–5's 1 and 1–7's 2.
        assert_eq!(
            default.misfit(Measure::Csat, &["0", "8", "10", "3", "0", "7"]),
            Some((5, 6, "0".to_string(), Err(Some("1-10"))))
        );
        // NPS on 0–100: nothing holds more than 0–10 itself.
        let nps = Scale::default_for(Measure::Nps, &[]);
        assert_eq!(
            nps.misfit(Measure::Nps, &["80", "90", "100", "30", "60", "6"]),
            Some((5, 6, "80".to_string(), Err(None)))
        );
        // Fewer than 5 off every scale: rejected one by one.
        assert_eq!(nps.misfit(Measure::Nps, &["11"]), None);
        // Half or fewer outside: rejects, not a misfit.
        assert_eq!(default.misfit(Measure::Csat, &["5", "6"]), None);
        assert_eq!(default.misfit(Measure::Csat, &["good", "bad"]), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csat_z_test_worked_example() {
        // 80 of 100 satisfied against 70 of 100: pooled p = 150/200 = 0.75,
        // se = sqrt(0.75 × 0.25 × (1/100 + 1/100)) = sqrt(0.00375) = 0.0612372,
        // z = 0.10 / 0.0612372 = 1.632993, p = 2 × (1 − Φ(1.632993)) = 0.102470.
        let p = two_proportion_p(80.0, 100.0, 70.0, 100.0).unwrap();
        assert!((p - 0.102470).abs() < 1e-5, "{p}");
        assert_eq!(two_proportion_p(5.0, 5.0, 3.0, 3.0), Some(1.0));
        assert_eq!(two_proportion_p(1.0, 0.0, 3.0, 3.0), None);
    }

    #[test]
    fn nps_z_test_worked_example() {
        // Now: 50 promoters, 30 passives, 20 detractors (n 100): NPS 0.30,
        // variance (0.7 − 0.09)/100 = 0.0061.
        // Before: 40, 30, 30 (n 100): NPS 0.10, variance (0.7 − 0.01)/100 = 0.0069.
        // se = sqrt(0.0130) = 0.1140175, z = 0.20 / 0.1140175 = 1.754116,
        // p = 2 × (1 − Φ(1.754116)) = 0.079411.
        let p = nps_difference_p((50.0, 20.0, 100.0), (40.0, 30.0, 100.0)).unwrap();
        assert!((p - 0.079411).abs() < 1e-5, "{p}");
        // All promoters against all detractors: no variance to test by.
        // No spread on either side, the scores apart: the pooled variance. Two
        // promoters against one detractor: pooled shares 2/3 and 1/3, variance
        // 1 − 1/9 = 8/9, se = sqrt(8/9 × (1/2 + 1/1)) = 1.154701, z = 2 / se =
        // 1.732051, p = 0.083265.
        let p = nps_difference_p((2.0, 0.0, 2.0), (0.0, 1.0, 1.0)).unwrap();
        assert!((p - 0.083265).abs() < 1e-6, "{p}");
        assert_eq!(
            nps_difference_p((3.0, 0.0, 3.0), (1.0, 0.0, 1.0)),
            Some(1.0)
        );
    }

    #[test]
    fn mean_z_test_worked_example() {
        // A side of one score has no spread of its own: the pooled variance. Now 5
        // and 3 (mean 4, mean square 17), before 1: together 5, 3, 1, mean 3,
        // squared deviations 4 + 0 + 4 = 8, s² = 8/2 = 4; se = sqrt(4 × (1/2 + 1/1)) =
        // 2.449490, z = 3 / se = 1.224745, p = 0.220671.
        let p = mean_difference_p((4.0, 17.0, 2.0), (1.0, 1.0, 1.0)).unwrap();
        assert!((p - 0.220671).abs() < 1e-6, "{p}");
        // Equal means without spread: no change.
        assert_eq!(
            mean_difference_p((4.0, 16.0, 3.0), (4.0, 16.0, 5.0)),
            Some(1.0)
        );
        assert_eq!(mean_difference_p((4.0, 16.0, 0.0), (4.0, 16.0, 5.0)), None);
    }

    /// Wide-form parameters of `measures`, CSAT on the scale named `csat`.
    fn wide(measures: Vec<Measure>, csat: &str) -> SurveyParams {
        SurveyParams {
            shape: Shape::Wide,
            measures,
            csat: Scale::parse(Measure::Csat, csat).unwrap(),
            ces: Scale::parse(Measure::Ces, "1-7").unwrap(),
            nps: Scale::parse(Measure::Nps, "0-10").unwrap(),
            submitted: None,
            tz: Tz::UTC,
            grouping: Grouping {
                window: Window::default(),
                every: None,
                tz: Tz::UTC,
                group_by: Vec::new(),
            },
            kind_header: None,
        }
    }

    /// The records name the columns in the order the rest of the code (`--compare`,
    /// blanking an absent measure) knows them by, whatever the scales.
    #[test]
    fn records_name_every_column_in_order() {
        for csat in ["1-5", "good-bad"] {
            let p = wide(Measure::ALL.to_vec(), csat);
            let names: Vec<String> = metrics(&p).into_iter().map(|m| m.name).collect();
            assert_eq!(names, metric_columns(), "{csat}");
        }
    }

    /// [`score_reason`] of a cell is the flag [`parse`] raises for it, on a numeric
    /// scale with labels and on good/bad: the reasons worked out by hand below.
    #[test]
    fn a_cell_is_judged_as_parse_flags_it() {
        let cells = [
            ("4", None),
            (" Satisfied ", None),
            ("x", Some(reason::UNKNOWN_LABEL)),
            ("11", Some(reason::OUT_OF_SCALE)),
            ("0", Some(reason::OUT_OF_SCALE)),
            ("4.5", Some(reason::BETWEEN_POINTS)),
            ("offered", None),
            ("N/A", None),
            ("", None),
            ("inf", Some(reason::UNKNOWN_LABEL)),
        ];
        let good_bad = [
            ("Good", None),
            ("bad with comment", None),
            ("4", Some(reason::NUMBER_ON_LABELS)),
            ("x", Some(reason::UNKNOWN_LABEL)),
            ("Offered", None),
        ];
        for (csat, cells) in [("1-5", &cells[..]), ("good-bad", &good_bad[..])] {
            let p = wide(vec![Measure::Csat], csat);
            let scale = p.csat.clone();
            let column: Vec<&str> = cells.iter().map(|(c, _)| *c).collect();
            let df = DataFrame::new(cells.len(), vec![Column::new("csat".into(), column)]).unwrap();
            let parsed = parse(df.lazy(), &p).collect().unwrap();
            let rules = reject_rules(&p);
            for (row, &(cell, want)) in cells.iter().enumerate() {
                assert_eq!(score_reason(&scale, cell), want, "{csat} '{cell}'");
                let flagged: Vec<&str> = (rules.iter())
                    .filter(|r| {
                        let flags = parsed.column(&r.flag).unwrap().bool().unwrap().get(row);
                        flags == Some(true)
                    })
                    .map(|r| r.reason)
                    .collect();
                assert_eq!(
                    flagged,
                    want.into_iter().collect::<Vec<_>>(),
                    "{csat} '{cell}'"
                );
            }
        }
    }

    #[test]
    fn scales() {
        assert_eq!(
            Scale::parse(Measure::Csat, "1-10").map(|s| s.good_from),
            Some(9.0)
        );
        assert!(Scale::parse(Measure::Ces, "1-10").is_none());
        assert_eq!(
            Scale::default_for(Measure::Csat, &[" Good ", "Offered"]).name,
            "good-bad"
        );
        assert_eq!(Scale::default_for(Measure::Csat, &["4", "5"]).name, "1-5");
        // A column of CSAT alone: the labels must be at least as many as the numbers.
        let mut mostly_numbers = vec!["4"; 100];
        mostly_numbers.push("bad");
        assert_eq!(
            Scale::default_for_column(Measure::Csat, &mostly_numbers).name,
            "1-5"
        );
        assert_eq!(
            Scale::default_for_column(Measure::Csat, &["Good", "Bad", "4", "Offered"]).name,
            "good-bad"
        );
        // Zoho Desk's Good, Okay, Bad; Help Scout's Great, Okay, Not Good: Okay is not
        // a good answer on either; Great is the top box. A stray Great among good and
        // bad keeps the good/bad scale.
        let zoho = Scale::default_for(Measure::Csat, &["Good", "Okay", "Bad"]);
        assert_eq!(zoho.name, "good-bad");
        assert_eq!(point_on(&zoho, "okay"), Some(0.0));
        let help_scout = Scale::default_for(Measure::Csat, &["Great", "Okay", "Not Good"]);
        assert_eq!(help_scout.name, "1-5");
        let points: Vec<Option<f64>> = ["great", "okay", "not good"]
            .iter()
            .map(|l| point_on(&help_scout, l))
            .collect();
        assert_eq!(points, [Some(5.0), Some(3.0), Some(1.0)]);
        let stray = ["Good", "Bad", "good", "Great"];
        assert_eq!(Scale::default_for(Measure::Csat, &stray).name, "good-bad");
        // Help Scout's API writes Bad for Not Good: beside Great and Okay, the lowest
        // of its three; Bad alone stays the good/bad scale's.
        let api = Scale::default_for(Measure::Csat, &["Great", "Okay", "Bad", "Great"]);
        assert_eq!(api.name, "1-5");
        assert_eq!(point_on(&api, "bad"), Some(1.0));
        let bad = Scale::default_for(Measure::Csat, &["Bad", "Bad"]);
        assert_eq!((bad.name, point_on(&bad, "bad")), ("good-bad", Some(0.0)));
        // More Bads than Greats, and no Good: still Help Scout's.
        let unhappy = ["Great", "Great", "Okay", "Bad", "Bad", "Bad"];
        let unhappy = Scale::default_for_column(Measure::Csat, &unhappy);
        assert_eq!(
            (unhappy.name, point_on(&unhappy, "bad")),
            ("1-5", Some(1.0))
        );
        // 1–5 given: its Bad too, where Great says so; not beside numbers alone.
        let given = |sample: &[&str]| {
            let scale = Scale::parse(Measure::Csat, "1-5").unwrap();
            point_on(&scale.help_scout_bad(Measure::Csat, sample), "bad")
        };
        assert_eq!(given(&["Great", "Bad"]), Some(1.0));
        // A CES column's Great is no Help Scout rating, nor its Bad a score.
        let ces = Scale::parse(Measure::Ces, "1-5").unwrap();
        assert_eq!(
            point_on(&ces.help_scout_bad(Measure::Ces, &["Great", "Bad"]), "bad"),
            None
        );
        assert_eq!(given(&["5", "Bad"]), None);
        // Numbers outnumbering the labels: the default reads it as 1–5 given does.
        let mixed = ["5", "Bad", "4", "Great"];
        let default = Scale::default_for_column(Measure::Csat, &mixed);
        assert_eq!(
            (default.name, point_on(&default, "bad")),
            ("1-5", given(&mixed))
        );
        // CES answers in the effort item's words are its 5-1 scale (lower is easier);
        // a stray one among 1–7 scores, or among agreement, is not.
        let effort = ["Very low effort", "High effort", "low effort"];
        let ces = Scale::default_for(Measure::Ces, &effort);
        assert_eq!((ces.name, ces.reversed), ("5-1", true));
        let stray = ["6", "7", "2", "High effort"];
        assert_eq!(Scale::default_for(Measure::Ces, &stray).name, "1-7");
        let agree = ["Agree", "Strongly agree", "Low effort"];
        assert_eq!(Scale::default_for(Measure::Ces, &agree).name, "1-7");
        // A column of CES alone: as many effort words as numbers is the 5-1 scale,
        // fewer is not.
        let half = ["very low effort", "2"];
        assert_eq!(Scale::default_for_column(Measure::Ces, &half).name, "5-1");
        assert_eq!(Scale::default_for_column(Measure::Ces, &stray).name, "1-7");
        // A number off 1–5 says the numbers are 1–7, however many words.
        let seven = ["very low effort", "high effort", "low effort", "7", "6"];
        assert_eq!(Scale::default_for_column(Measure::Ces, &seven).name, "1-7");
    }
}
