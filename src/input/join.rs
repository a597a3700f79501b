//! Attributing the rows of one input to the rows of another by a key: each survey
//! response to its ticket's team. Keys are compared trimmed (` T1 ` is `T1`), as
//! scores and filters read values. Only the keys the first input names are looked up,
//! so memory grows with those keys and the columns asked for, not with the other
//! input; both inputs are read by the block reader on every core.

use std::sync::Arc;

use polars::prelude::*;

use super::keys::Keys;
use super::Input;
use crate::error::Result;

/// For each key one input names, the values another input's last (or first) row of
/// that key holds in some columns.
pub struct Lookup {
    /// Key → its slot.
    slots: Keys,
    /// Per slot and column, the value's code in `values` (`NONE`: no row of the key).
    codes: Vec<u32>,
    /// Per column, its distinct values (a code's value).
    values: Vec<Vec<Option<String>>>,
    /// Rows of the other input whose wanted key an earlier row has (not used).
    pub repeated: u64,
    /// Rows of a key on several rows that the usable filter left out (a ticket row
    /// rejected whole), and the first: its file and key.
    pub unusable: u64,
    pub first_unusable: Option<(usize, String)>,
    /// Rows of the other input read (ragged ones too), and the ragged ones (rejected
    /// whole: no row of their key), for `-v`.
    pub rows_read: u64,
    pub ragged: u64,
    /// The distinct keys the first input names, and how many of them the other has.
    pub keys_named: u64,
    pub keys_found: u64,
}

const NONE: u32 = u32::MAX;

/// A matched row's place among its block's matched rows, through the usable filter.
const POSITION: &str = "__position";

/// Which rows of a key on several rows of the other input may be looked up (a ticket
/// row rejected whole is not its ticket's): the fields it reads, and the filter of file
/// `i`'s rows. A key on one row keeps it, and so does a key none of whose rows pass.
pub struct Usable<'a> {
    pub reads: &'a [&'static str],
    pub rows: &'a (dyn Fn(usize, LazyFrame) -> LazyFrame + Sync),
}

impl Lookup {
    /// The values of `columns` (canonical `fields` and raw `raw` names, in that order)
    /// that `other`'s last row of each key (its `key` field; its first when
    /// `first_wins`) holds, for every key the `key` field of `rows` names.
    pub fn build(
        rows: &Input,
        other: &Input,
        key: &'static str,
        (fields, raw): (&[&str], &[String]),
        (first_wins, usable): (bool, &Usable),
    ) -> Result<Lookup> {
        let hasher = Keys::hasher();
        let wanted = rows.map_blocks(&[key], &[], |_, lf| {
            let frame = lf.select([col(key)]).collect()?;
            Ok(Keys::batch(
                &hasher,
                frame.column(key)?.str()?.iter().flatten().map(str::trim),
            ))
        })?;
        let slots = Keys::build(hasher, &wanted);
        drop(wanted);
        let names: Vec<String> = fields
            .iter()
            .map(|f| f.to_string())
            .chain(raw.iter().cloned())
            .collect();
        let mut read: Vec<&str> = vec![key];
        read.extend(fields.iter().filter(|f| **f != key));
        for f in usable.reads {
            if !read.contains(f) && other.has(f) {
                read.push(f);
            }
        }
        // Each block: its rows whose key is wanted and that are usable (judged of those
        // rows alone: a response names a fraction of the tickets), with their slots.
        let judged: Vec<&str> = (usable.reads.iter().copied())
            .filter(|f| other.has(f) && !names.iter().any(|n| n == f))
            .collect();
        let matched = other.map_blocks(&read, raw, |i, lf| {
            let all = lf.collect()?;
            let rows = all.height() as u64;
            // A ragged row is rejected whole: it is no row of its key.
            let whole = !all.column(super::RAGGED)?.bool()?;
            let df = all.filter(&whole)?;
            let ids = df.column(key)?.str()?;
            let (mut at, mut found) = (Vec::new(), Vec::new());
            let ids = ids.iter().map(|id| id.map(str::trim));
            for (i, slot) in slots.get_all(ids).into_iter().enumerate() {
                if let Some(slot) = slot {
                    at.push(i as IdxSize);
                    found.push(slot);
                }
            }
            let at = IdxCa::from_vec("at".into(), at);
            let columns = names
                .iter()
                .map(String::as_str)
                .chain(judged.iter().copied());
            let picked = df.select(columns)?.take(&at)?;
            if judged.is_empty() {
                let keep = vec![true; found.len()];
                return Ok((found, picked, keep, Vec::new(), (rows, df.height() as u64)));
            }
            let numbered = picked.with_row_index(POSITION.into(), None)?;
            let passed = (usable.rows)(i, numbered.clone().lazy()).collect()?;
            let mut keep = vec![false; found.len()];
            for p in passed.column(POSITION)?.idx()?.into_no_null_iter() {
                keep[p as usize] = true;
            }
            // The rows left out, with their keys (to name one).
            let keys = df.column(key)?.str()?;
            let failed: Vec<(u32, usize, String)> = (keep.iter().enumerate())
                .filter(|(_, &k)| !k)
                .map(|(p, _)| {
                    let id = keys.get(at.get(p).unwrap_or(0) as usize).unwrap_or("");
                    (found[p], i, id.trim().to_string())
                })
                .collect();
            Ok((found, numbered, keep, failed, (rows, df.height() as u64)))
        })?;
        let rows_read = matched.iter().map(|m| m.4 .0).sum();
        let ragged = matched.iter().map(|m| m.4 .0 - m.4 .1).sum();
        let width = names.len();
        // Which keys are on several rows, of all rows read.
        let mut seen = vec![false; slots.count()];
        let mut on_several_rows = vec![false; slots.count()];
        for (found, _, _, _, _) in &matched {
            for &slot in found {
                on_several_rows[slot as usize] |= seen[slot as usize];
                seen[slot as usize] = true;
            }
        }
        let keys_found = seen.iter().filter(|&&s| s).count() as u64;
        // A key none of whose rows is usable keeps them all, as a key on one row does.
        let mut any_usable = vec![false; slots.count()];
        for (found, _, keep, _, _) in &matched {
            for (&slot, &k) in found.iter().zip(keep) {
                any_usable[slot as usize] |= k;
            }
        }
        let judged_out = |slot: u32| on_several_rows[slot as usize] && any_usable[slot as usize];
        let left_out = (matched.iter())
            .flat_map(|(_, _, _, failed, _)| failed)
            .filter(|(slot, _, _)| judged_out(*slot));
        let (mut unusable, mut first_unusable) = (0, None);
        for (_, file, id) in left_out {
            unusable += 1;
            first_unusable.get_or_insert_with(|| (*file, id.clone()));
        }
        // A key on one row keeps it whatever the filter says; of a key on several, the
        // rows the filter passes.
        let mut kept_rows = Vec::with_capacity(matched.len());
        for (found, picked, keep, _, _) in matched {
            let keep: Vec<bool> = (found.iter().zip(&keep))
                .map(|(&slot, &k)| k || !judged_out(slot))
                .collect();
            if keep.iter().all(|&k| k) {
                kept_rows.push((found, picked));
                continue;
            }
            let mask = BooleanChunked::from_slice("keep".into(), &keep);
            let found = (found.iter().zip(&keep))
                .filter(|(_, &k)| k)
                .map(|(&s, _)| s)
                .collect();
            kept_rows.push((found, picked.filter(&mask)?));
        }
        let matched = kept_rows;
        seen.iter_mut().for_each(|s| *s = false);
        let mut repeated = 0;
        for (found, _) in &matched {
            for &slot in found {
                repeated += u64::from(seen[slot as usize]);
                seen[slot as usize] = true;
            }
        }
        drop(seen);
        let mut codes = vec![NONE; slots.count() * width];
        let mut values: Vec<Vec<Option<String>>> = vec![Vec::new(); width];
        let mut interned: Vec<PlHashMap<Box<str>, u32>> = vec![PlHashMap::default(); width];
        // In file and block order, so the last row of a key wins (or the first).
        for (found, picked) in &matched {
            for (j, name) in names.iter().enumerate() {
                let column = picked.column(name)?.str()?;
                for (&slot, value) in found.iter().zip(column.iter()) {
                    // An empty cell reads as null, so "" can stand for null here.
                    let word = value.unwrap_or("");
                    let code = match interned[j].get(word) {
                        Some(&c) => c,
                        None => {
                            let c = values[j].len() as u32;
                            values[j].push(value.map(str::to_string));
                            interned[j].insert(word.into(), c);
                            c
                        }
                    };
                    let at = slot as usize * width + j;
                    if !first_wins || codes[at] == NONE {
                        codes[at] = code;
                    }
                }
            }
        }
        if width == 0 {
            // Still record which keys were found.
            codes = vec![NONE; slots.count()];
            values = vec![vec![None]];
            for (found, _) in &matched {
                for &slot in found {
                    codes[slot as usize] = 0;
                }
            }
        }
        let keys_named = slots.count() as u64;
        Ok(Lookup {
            slots,
            codes,
            values,
            repeated,
            unusable,
            first_unusable,
            rows_read,
            ragged,
            keys_named,
            keys_found,
        })
    }

    fn width(&self) -> usize {
        self.values.len()
    }

    /// The code of column `j` at a slot (`None`: no row has its key).
    fn code_at(&self, slot: usize, j: usize) -> Option<u32> {
        let code = *self.codes.get(slot * self.width() + j)?;
        (code != NONE).then_some(code)
    }

    /// For each key (the string column `key`), its slot when the other input has a
    /// row of it, else null: the one hash lookup a row needs ([`Lookup::column`]
    /// then reads by slot).
    pub fn slot(self: &Arc<Self>, key: Expr) -> Expr {
        let me = Arc::clone(self);
        key.map(
            move |c| {
                let out: UInt32Chunked = me
                    .slots
                    .get_all(c.str()?.iter().map(|k| k.map(str::trim)))
                    .into_iter()
                    .map(|slot| {
                        let slot = slot?;
                        me.code_at(slot as usize, 0).map(|_| slot)
                    })
                    .collect();
                Ok(out.with_name(c.name().clone()).into_column())
            },
            |_, f| Ok(Field::new(f.name().clone(), DataType::UInt32)),
        )
    }

    /// The value of the `j`th column for each slot of [`Lookup::slot`] (null where
    /// there is none).
    pub fn column(self: &Arc<Self>, slot: Expr, j: usize) -> Expr {
        let me = Arc::clone(self);
        slot.map(
            move |c| {
                let out: StringChunked = c
                    .u32()?
                    .iter()
                    .map(|slot| {
                        let code = me.code_at(slot? as usize, j)?;
                        me.values[j][code as usize].as_deref()
                    })
                    .collect();
                Ok(out.with_name(c.name().clone()).into_column())
            },
            |_, f| Ok(Field::new(f.name().clone(), DataType::String)),
        )
    }
}
