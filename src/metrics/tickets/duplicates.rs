//! Rows sharing a ticket_id: which one `--keep` keeps, and the flag that drops the
//! others.

use std::sync::Arc;

use polars::prelude::*;

use super::{reason, Keep, RejectRule, CREATED_MS};

/// Flag column of rows dropped as duplicates of another row's ticket_id.
pub const DUPLICATE: &str = "__duplicate";

/// A row's number among all rows in order, as the engine numbers them.
const ORDER: &str = crate::engine::ORDER;

/// A row that can be used: it has an id and a creation time, and is not ragged (a
/// rejected row neither hides a good one nor counts as a repeat).
fn usable() -> Expr {
    col("ticket_id")
        .is_not_null()
        .and(col(CREATED_MS).is_not_null())
        .and(col(crate::input::RAGGED).not())
}

/// Of a block's parsed and numbered rows ([`ORDER`]), the usable ones whose id may
/// repeat (`candidates`: ids whose hash repeats), as `ticket_id` and number.
pub fn candidate_rows(numbered: LazyFrame, candidates: Expr) -> LazyFrame {
    numbered
        .filter(usable().and(candidates))
        .select([col("ticket_id"), col(ORDER).cast(DataType::UInt64)])
}

/// The row to keep of each repeated id (by its number), by id trimmed (` T1` is `T1`,
/// as the joins to tickets read it).
#[derive(Debug, Default)]
pub struct Kept(std::collections::HashMap<String, u64>);

impl Kept {
    /// From every block's [`candidate_rows`]: the ids with more than one usable row,
    /// each with its last row's number (its first with `Keep::First`).
    pub fn from_blocks(frames: &[DataFrame], keep: Keep) -> PolarsResult<Kept> {
        let mut seen: std::collections::HashMap<String, (u64, u32)> =
            std::collections::HashMap::new();
        for frame in frames {
            let ids = frame.column("ticket_id")?.str()?;
            let order = frame.column(ORDER)?.u64()?;
            for (id, at) in ids.iter().zip(order.iter()) {
                let (Some(id), Some(at)) = (id, at) else {
                    continue;
                };
                let id = id.trim();
                match seen.get_mut(id) {
                    Some((chosen, n)) => {
                        *n += 1;
                        let later = at > *chosen;
                        if later != (keep == Keep::First) {
                            *chosen = at;
                        }
                    }
                    None => {
                        seen.insert(id.to_string(), (at, 1));
                    }
                }
            }
        }
        Ok(Kept(
            seen.into_iter()
                .filter(|(_, (_, n))| *n > 1)
                .map(|(id, (at, _))| (id, at))
                .collect(),
        ))
    }
}

/// Add the [`DUPLICATE`] flag: a usable row of a repeated id that is not its kept
/// row. The rows are numbered ([`ORDER`]); `None`: no id repeats.
/// `filter(not DUPLICATE)` then drops the repeats.
pub fn mark_duplicates(lf: LazyFrame, kept: Option<&Arc<Kept>>) -> LazyFrame {
    let Some(kept) = kept else {
        return lf.with_column(lit(false).alias(DUPLICATE));
    };
    let kept = Arc::clone(kept);
    let repeat = as_struct(vec![
        col("ticket_id"),
        col(ORDER).cast(DataType::UInt64),
        usable().alias("__usable"),
    ])
    .map(
        move |c| {
            let f = c.struct_()?.fields_as_series();
            let (ids, order, usable) = (f[0].str()?, f[1].u64()?, f[2].bool()?);
            let out: BooleanChunked = ids
                .iter()
                .zip(order.iter())
                .zip(usable.iter())
                .map(|((id, at), usable)| {
                    let chosen = id.and_then(|id| kept.0.get(id.trim()));
                    Some(usable == Some(true) && chosen.is_some_and(|c| Some(*c) != at))
                })
                .collect();
            Ok(out.with_name(c.name().clone()).into_column())
        },
        |_, f| Ok(Field::new(f.name().clone(), DataType::Boolean)),
    );
    lf.with_column(repeat.alias(DUPLICATE))
        .drop(by_name([ORDER], true, false))
}

/// The warning rule counting duplicates (not a reject: `--strict` does not fail on it).
pub fn duplicate_rule(keep: Keep) -> Option<RejectRule> {
    let reason = match keep {
        Keep::All => return None,
        Keep::Last => reason::DUPLICATE_LAST,
        Keep::First => reason::DUPLICATE_FIRST,
    };
    let mut rule = RejectRule::warning("ticket_id", reason);
    rule.flag = DUPLICATE.to_string();
    Some(rule)
}

/// Reject and warning `flags` (boolean columns) raised only on rows that are kept: a
/// dropped repeat's values are not read.
pub fn kept_only(lf: LazyFrame, flags: &[String]) -> LazyFrame {
    let kept = |f: &String| col(f.as_str()).and(col(DUPLICATE).not()).alias(f.as_str());
    lf.with_columns(flags.iter().map(kept).collect::<Vec<_>>())
}
