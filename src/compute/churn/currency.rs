//! The currency checks of MRR: amounts in several currencies added up, a price in
//! a currency's smallest unit.

use super::*;

/// A warning when the MRR comes from a price named as a JSON field of a billing API
/// (`plan.amount`, `price.unit_amount`): Stripe's API writes a price in the currency's
/// smallest unit (4900 for 49.00), so the MRR would be in cents.
pub(crate) fn minor_units(input: &Input) -> Option<String> {
    if input.has("mrr") || !input.has("amount") {
        return None;
    }
    let column = input.mapping().get("amount")?;
    let lower = column.trim().to_ascii_lowercase();
    let (path, field) = lower.rsplit_once('.')?;
    (!path.is_empty() && field.ends_with("amount")).then(|| {
        format!(
            "the MRR comes from '{column}', a billing API's field: Stripe's API writes a price in the currency's smallest unit (4900 for 49.00), and read so the MRR figures are 100 times the amounts in currency units; map an amount in currency units (--map amount=COLUMN) or a monthly figure (--map mrr=COLUMN)"
        )
    })
}

/// Column of the subscriptions' currency codes as the currency checks read them
/// (trimmed, upper-cased), kept beside the spans.
pub(super) const CURRENCY: &str = "__currency";

/// Does the run read a currency code beside each subscription's MRR (to warn of
/// amounts in several currencies added up)?
pub(super) fn reads_currency(input: &Input, mode: Mode, view: &ChurnView) -> bool {
    input.has("currency")
        && has_mrr(input)
        && mode == Mode::Subscriptions
        && !matches!(view, ChurnView::Survival { .. })
}

/// A warning when the subscriptions' MRR adds amounts of several currencies (a
/// `currency` column with more than one code among the subscriptions read) and the
/// rows are not split by it.
pub(super) fn mixed_currencies(column: &str, spans: &DataFrame) -> Result<Option<String>> {
    let codes = spans.column(CURRENCY)?.as_materialized_series().unique()?;
    let mut all: Vec<&str> = codes
        .str()?
        .iter()
        .flatten()
        .filter(|c| !c.is_empty())
        .collect();
    all.sort();
    if all.len() < 2 {
        return Ok(None);
    }
    Ok(Some(format!(
        "MRR adds amounts in {} currencies ({}, column '{column}') as if they were one: convert them to one currency first, or split the figures with --by currency",
        all.len(),
        all.join(", ")
    )))
}

/// Under `--by currency`, a warning naming the customers billed in several
/// currencies: a customer's MRR is one figure under one currency at a time.
pub(super) fn switched_currencies(spans: &DataFrame) -> Result<Option<String>> {
    let several = spans
        .clone()
        .lazy()
        .select([col("customer_id"), col(CURRENCY)])
        .filter(
            col(CURRENCY)
                .neq(lit(""))
                .and(col("customer_id").neq(lit(""))),
        )
        .unique(None, UniqueKeepStrategy::Any)
        .group_by([col("customer_id")])
        .agg([len().alias("n")])
        .filter(col("n").gt(lit(1)))
        .sort(["customer_id"], Default::default())
        .collect()?;
    if several.height() == 0 {
        return Ok(None);
    }
    let ids = several.column("customer_id")?.str()?;
    let shown: Vec<&str> = ids.iter().flatten().take(3).collect();
    let more = match several.height() > shown.len() {
        true => ", …",
        false => "",
    };
    Ok(Some(format!(
        "--by currency: {} billed in several currencies ({}{more}): a customer's MRR, all its subscriptions added, counts under the currency of its latest-started one, and its change in a bucket under its currency at the bucket's start, so amounts of two currencies are added or set against each other (a switch from USD to JPY reads as USD expansion); convert the amounts to one currency first",
        match several.height() {
            1 => "1 customer is".to_string(),
            n => format!("{n} customers are"),
        },
        shown.join(", ")
    )))
}
