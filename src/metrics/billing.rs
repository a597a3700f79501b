//! MRR of a subscription (SPEC §10): an `mrr` column as given, or a billing export's
//! price normalised to a month, `amount × quantity ÷ (interval_count × months per
//! interval)`, with a day 1/30.4375 of a month (a Julian year ÷ 12 ÷ its days), a week
//! 7/30.4375, a quarter 3 and a year 12. An amount whose interval is missing or unknown
//! is a rejected row, never taken as monthly. A blank amount is 0 (a free plan), a
//! blank quantity or interval count 1.

use polars::prelude::*;

use super::{finite_number, reason, unparsed, RejectRule};

/// Where a subscription's MRR comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MrrSource {
    /// No MRR: counts only.
    None,
    /// The `mrr` column, already monthly.
    Column,
    /// `amount` per `interval`, times `quantity` when mapped, per `interval_count`
    /// intervals when mapped.
    Price { quantity: bool, count: bool },
}

impl MrrSource {
    pub fn any(self) -> bool {
        self != MrrSource::None
    }

    /// The fields it reads.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            MrrSource::None => &[],
            MrrSource::Column => &["mrr"],
            MrrSource::Price { .. } => &["amount", "quantity", "interval", "interval_count"],
        }
    }
}

/// Months in one billing interval, by its name (any case); null when unknown.
pub fn months_per_interval(raw: Expr) -> Expr {
    let v = super::word(raw);
    let is = |words: &[&str]| super::one_of(&v, words);
    when(is(&["month", "months", "monthly", "mo"]))
        .then(lit(1.0))
        .when(is(&["year", "years", "yearly", "annual", "annually", "yr"]))
        .then(lit(12.0))
        .when(is(&["quarter", "quarters", "quarterly"]))
        .then(lit(3.0))
        .when(is(&["week", "weeks", "weekly", "wk"]))
        .then(lit(7.0 / DAYS_PER_MONTH))
        .when(is(&["day", "days", "daily"]))
        .then(lit(1.0 / DAYS_PER_MONTH))
        .otherwise(lit(NULL).cast(DataType::Float64))
}

const DAYS_PER_MONTH: f64 = super::retention::DAYS_PER_MONTH;

/// The reject rules of a source.
pub fn rules(src: MrrSource) -> Vec<RejectRule> {
    match src {
        MrrSource::None => Vec::new(),
        MrrSource::Column => vec![
            RejectRule::new("mrr", reason::BAD_NUMBER),
            RejectRule::new("mrr", reason::NEGATIVE_VALUE),
            RejectRule::new("mrr", reason::IMPLAUSIBLE),
        ],
        MrrSource::Price { quantity, count } => {
            let mut r = vec![
                RejectRule::new("amount", reason::BAD_NUMBER),
                RejectRule::new("amount", reason::NEGATIVE_VALUE),
                RejectRule::new("amount", reason::IMPLAUSIBLE),
                RejectRule::new("interval", reason::MISSING),
                RejectRule::new("interval", reason::UNKNOWN_INTERVAL),
            ];
            if quantity {
                r.push(RejectRule::new("quantity", reason::BAD_NUMBER));
                r.push(RejectRule::new("quantity", reason::NEGATIVE_VALUE));
            }
            if count {
                r.push(RejectRule::new("interval_count", reason::BAD_NUMBER));
                r.push(RejectRule::new(
                    "interval_count",
                    reason::NOT_WHOLE_INTERVALS,
                ));
            }
            r
        }
    }
}

/// The MRR (as `alias`), the flag of each of [`rules`], and whether the row's MRR is
/// usable.
pub fn parse(src: MrrSource, alias: &str) -> (Expr, Vec<Expr>, Expr) {
    let flag =
        |field: &'static str, why: &'static str, e: Expr| e.alias(RejectRule::new(field, why).flag);
    // A number column: parsed, its unparseable and negative flags.
    let number = |field: &'static str| {
        let x = finite_number(col(field));
        let bad = unparsed(col(field), x.clone());
        let negative = x.clone().lt(lit(0.0)).fill_null(false);
        (x, bad, negative)
    };
    // Money beyond any subscription's (a misread cell; its sums would overflow).
    let huge = |field: &'static str| {
        finite_number(col(field))
            .gt(lit(super::MOST_MONEY))
            .fill_null(false)
    };
    match src {
        MrrSource::None => (lit(0.0).alias(alias), Vec::new(), lit(true)),
        MrrSource::Column => {
            let (x, bad, negative) = number("mrr");
            let ok = bad.clone().or(negative.clone()).or(huge("mrr")).not();
            (
                x.fill_null(lit(0.0)).alias(alias),
                vec![
                    flag("mrr", reason::BAD_NUMBER, bad),
                    flag("mrr", reason::NEGATIVE_VALUE, negative),
                    flag("mrr", reason::IMPLAUSIBLE, huge("mrr")),
                ],
                ok,
            )
        }
        MrrSource::Price { quantity, count } => {
            let (amount, bad_amount, negative_amount) = number("amount");
            let months = months_per_interval(col("interval"));
            let no_interval = col("interval").is_null().and(col("amount").is_not_null());
            let unknown = unparsed(col("interval"), months.clone());
            let mut flags = vec![
                flag("amount", reason::BAD_NUMBER, bad_amount.clone()),
                flag("amount", reason::NEGATIVE_VALUE, negative_amount.clone()),
                flag("amount", reason::IMPLAUSIBLE, huge("amount")),
                flag("interval", reason::MISSING, no_interval.clone()),
                flag("interval", reason::UNKNOWN_INTERVAL, unknown.clone()),
            ];
            let mut bad = bad_amount
                .or(negative_amount)
                .or(huge("amount"))
                .or(no_interval)
                .or(unknown);
            let mut mrr = amount.fill_null(lit(0.0)) / months.fill_null(lit(1.0));
            if quantity {
                let (q, bad_q, negative_q) = number("quantity");
                flags.push(flag("quantity", reason::BAD_NUMBER, bad_q.clone()));
                flags.push(flag("quantity", reason::NEGATIVE_VALUE, negative_q.clone()));
                bad = bad.or(bad_q).or(negative_q);
                mrr = mrr * q.fill_null(lit(1.0));
            }
            if count {
                let n = finite_number(col("interval_count"));
                let bad_n = unparsed(col("interval_count"), n.clone());
                // 1.5 months is no billing period a plan has, nor a million days
                // (billing APIs allow a year's worth): a misread cell.
                let not_whole = (n.clone().lt_eq(lit(0.0)))
                    .or(n.clone().gt(lit(1000.0)))
                    .or(n.clone().neq(n.clone().floor()))
                    .fill_null(false);
                flags.push(flag("interval_count", reason::BAD_NUMBER, bad_n.clone()));
                flags.push(flag(
                    "interval_count",
                    reason::NOT_WHOLE_INTERVALS,
                    not_whole.clone(),
                ));
                bad = bad.or(bad_n).or(not_whole);
                mrr = mrr / n.fill_null(lit(1.0));
            }
            (mrr.alias(alias), flags, bad.not())
        }
    }
}
