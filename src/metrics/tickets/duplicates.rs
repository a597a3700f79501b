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

/// Flag column of a repeated id's other rows where `--where` leaves out its kept row:
/// rows of a ticket left out, counted as left out, not as duplicates.
pub const STALE_LEFT_OUT: &str = "__stale_left_out";

/// Of a block's parsed and numbered rows ([`ORDER`]), the usable ones whose id may
/// repeat (`candidates`: ids whose hash repeats), as `ticket_id`, number and whether
/// `--where` keeps the row (`judged`: its flag is there).
pub fn candidate_rows(numbered: LazyFrame, candidates: Expr, judged: bool) -> LazyFrame {
    let kept = match judged {
        true => col(crate::input::WHERE_KEPT),
        false => lit(true),
    };
    numbered.filter(usable().and(candidates)).select([
        col("ticket_id"),
        col(ORDER).cast(DataType::UInt64),
        kept.alias(crate::input::WHERE_KEPT),
    ])
}

/// The row to keep of each repeated id (by its number), by id trimmed (` T1` is `T1`,
/// as the joins to tickets read it).
#[derive(Debug, Default)]
pub struct Kept {
    /// Each repeated id's kept row: its number, and whether `--where` keeps it.
    rows: std::collections::HashMap<String, (u64, bool)>,
    /// The other rows of ids whose kept row `--where` leaves out, that it would keep
    /// on their own (a ticket that moved from team `a` to `b`, under `team=a`).
    pub stale_kept_by_where: u64,
}

/// What is seen of one id's rows: the chosen row's number and `--where` verdict, how
/// many rows, and how many `--where` keeps.
struct Seen {
    chosen: (u64, bool),
    rows: u32,
    kept_by_where: u32,
}

impl Kept {
    /// From every block's [`candidate_rows`]: the ids with more than one usable row,
    /// each with its last row (its first with `Keep::First`).
    pub fn from_blocks(frames: &[DataFrame], keep: Keep) -> PolarsResult<Kept> {
        let mut seen: std::collections::HashMap<String, Seen> = std::collections::HashMap::new();
        for frame in frames {
            let ids = frame.column("ticket_id")?.str()?;
            let order = frame.column(ORDER)?.u64()?;
            let judged = frame.column(crate::input::WHERE_KEPT)?.bool()?;
            for ((id, at), by_where) in ids.iter().zip(order.iter()).zip(judged.iter()) {
                let (Some(id), Some(at)) = (id, at) else {
                    continue;
                };
                let by_where = by_where.unwrap_or(false);
                let id = id.trim();
                match seen.get_mut(id) {
                    Some(s) => {
                        s.rows += 1;
                        s.kept_by_where += u32::from(by_where);
                        let later = at > s.chosen.0;
                        if later != (keep == Keep::First) {
                            s.chosen = (at, by_where);
                        }
                    }
                    None => {
                        let first = Seen {
                            chosen: (at, by_where),
                            rows: 1,
                            kept_by_where: u32::from(by_where),
                        };
                        seen.insert(id.to_string(), first);
                    }
                }
            }
        }
        let repeated = seen.into_iter().filter(|(_, s)| s.rows > 1);
        let mut kept = Kept::default();
        for (id, s) in repeated {
            if !s.chosen.1 {
                kept.stale_kept_by_where += u64::from(s.kept_by_where);
            }
            kept.rows.insert(id, s.chosen);
        }
        Ok(kept)
    }
}

/// Add the [`DUPLICATE`] flag: a usable row of a repeated id that is not its kept
/// row, where `--where` keeps that (else [`STALE_LEFT_OUT`]). The rows are numbered
/// ([`ORDER`]); `None`: no id repeats. `filter(not DUPLICATE)` then drops the repeats.
pub fn mark_duplicates(lf: LazyFrame, kept: Option<&Arc<Kept>>) -> LazyFrame {
    let Some(kept) = kept else {
        return lf.with_columns([
            lit(false).alias(DUPLICATE),
            lit(false).alias(STALE_LEFT_OUT),
        ]);
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
            // 0: kept, 1: a duplicate, 2: a row of a ticket `--where` leaves out.
            let out: UInt8Chunked = ids
                .iter()
                .zip(order.iter())
                .zip(usable.iter())
                .map(|((id, at), usable)| {
                    let chosen = id.and_then(|id| kept.rows.get(id.trim()));
                    let other = usable == Some(true) && chosen.is_some_and(|c| Some(c.0) != at);
                    Some(match (other, chosen) {
                        (true, Some((_, true))) => 1,
                        (true, _) => 2,
                        (false, _) => 0,
                    })
                })
                .collect();
            Ok(out.with_name(c.name().clone()).into_column())
        },
        |_, f| Ok(Field::new(f.name().clone(), DataType::UInt8)),
    );
    lf.with_column(repeat.alias(DUPLICATE))
        .with_columns([
            col(DUPLICATE).eq(lit(2u8)).alias(STALE_LEFT_OUT),
            col(DUPLICATE).eq(lit(1u8)).alias(DUPLICATE),
        ])
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
