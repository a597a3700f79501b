//! Per-group partials accumulated row by row in plain tables, one per worker thread:
//! a block's rows add to the table of the worker that read it, and the few tables are
//! merged at the end. Time and memory grow with rows plus groups, however the groups
//! fall across blocks (a per-block group-by keeps blocks × groups partial rows).

use std::sync::Mutex;

use hashbrown::DefaultHashBuilder;
use polars_arrow::bitmap::Bitmap;

use polars::prelude::*;

use super::groups::{hash_of, Groups, Merged, BATCH, NOT_HERE};
use super::keys::KeyColumn;
use super::result;
use super::values::{many_values, Values, FEW_GROUPS};
use crate::cells::cells;
use crate::error::{CxmError, Result};
use crate::metrics::record::{self, Metric, Partial, Placed};
use crate::metrics::Grouping;

/// What a table accumulates: the grouping's keys and the records' partials.
pub struct Layout {
    pub(super) keys: Vec<String>,
    /// Which key is the bucket (a date), when there are buckets: the last.
    bucket: Option<usize>,
    pub(super) partials: Vec<Partial>,
    /// Where each partial is kept: a group's counts and sums side by side (one or two
    /// cache lines a group, whatever the number of partials), quantiles' values apart.
    slots: Vec<Slot>,
    /// Counts and sums a group has.
    pub(super) stride: usize,
    /// Counts of rows whose column equals a value (`Count(Equals(column, value))`),
    /// per column: read once a block, the row's value picks the slot to add 1 to
    /// (a verdict's achieved, breached and pending from one column).
    tallies: Vec<(&'static str, Vec<TallySlot>)>,
    quantiles: Vec<(&'static str, Vec<f64>)>,
    /// The metrics, read from a group's line of scalars (a quantile: from [`Found`]).
    pub(super) metrics: Vec<Placed>,
    /// One hasher for every table, so that merging reuses the hashes of the keys.
    hasher: DefaultHashBuilder,
}

/// A tallied value and the scalar slot its rows count in.
type TallySlot = (f64, usize);

#[derive(Clone, Copy)]
enum Slot {
    Scalar(usize),
    /// A scalar counted through [`Layout::tallies`].
    Tally(usize),
    Values(usize),
}

impl Layout {
    pub fn new(metrics: &[Metric], grouping: &Grouping) -> Layout {
        let keys = grouping.keys();
        let partials = record::partials_of(metrics);
        let (mut scalars, mut values) = (0, 0);
        let mut tallies: Vec<(&'static str, Vec<TallySlot>)> = Vec::new();
        let slots = partials
            .iter()
            .map(|p| match p {
                Partial::Values(_) => {
                    values += 1;
                    Slot::Values(values - 1)
                }
                Partial::Count(record::Cond::Equals(c, x)) => {
                    scalars += 1;
                    match tallies.iter_mut().find(|(t, _)| t == c) {
                        Some((_, slots)) => slots.push((*x, scalars - 1)),
                        None => tallies.push((c, vec![(*x, scalars - 1)])),
                    }
                    Slot::Tally(scalars - 1)
                }
                _ => {
                    scalars += 1;
                    Slot::Scalar(scalars - 1)
                }
            })
            .collect::<Vec<Slot>>();
        let scalar_of = |p: &Partial| {
            let at = partials.iter().position(|x| x == p);
            match at.map(|at| slots[at]) {
                Some(Slot::Scalar(k) | Slot::Tally(k)) => k,
                // Quantiles are not read from the line.
                _ => usize::MAX,
            }
        };
        let placed = metrics.iter().map(|m| m.placed(scalar_of)).collect();
        Layout {
            bucket: grouping.every.map(|_| keys.len() - 1),
            keys,
            partials,
            slots,
            stride: scalars,
            tallies,
            quantiles: record::quantiles_of(metrics),
            metrics: placed,
            hasher: DefaultHashBuilder::default(),
        }
    }

    /// From a block's rows (in the window, with their keys): the keys (group columns
    /// as text, the period as a date) and what each row adds to each partial.
    pub fn contributions(&self, rows: LazyFrame) -> LazyFrame {
        let mut select: Vec<Expr> = self
            .keys
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let kind = if self.is_bucket(i) {
                    DataType::Date
                } else {
                    DataType::String
                };
                col(k.as_str()).cast(kind)
            })
            .collect();
        for (p, partial) in self.partials.iter().enumerate() {
            if matches!(self.slots[p], Slot::Tally(_)) {
                continue;
            }
            if let Some(e) = partial.contribution() {
                select.push(e.alias(contribution(p)));
            }
        }
        for (t, (c, _)) in self.tallies.iter().enumerate() {
            // As it is: a verdict's codes are read as bytes ([`slots_of_rows`]).
            select.push(col(*c).alias(tally(t)));
        }
        rows.select(select)
    }

    fn is_tally_slot(&self, scalar: usize) -> bool {
        self.tallies
            .iter()
            .any(|(_, slots)| slots.iter().any(|&(_, k)| k == scalar))
    }

    /// The quantiles wanted of a column's values.
    pub(super) fn quantiles_of(&self, of: &str) -> &[f64] {
        let wanted = self.quantiles.iter().find(|(c, _)| *c == of);
        wanted.map(|(_, qs)| qs.as_slice()).unwrap_or(&[])
    }

    pub(super) fn is_bucket(&self, key: usize) -> bool {
        self.bucket == Some(key)
    }

    fn values_count(&self) -> usize {
        self.slots
            .iter()
            .filter(|s| matches!(s, Slot::Values(_)))
            .count()
    }
}

/// Each row's tally slot in a block's tallied `column` ([`NO_SLOT`]: the row's value
/// is tallied nowhere, or null). A byte column (a verdict's codes) is read through a
/// table of its 256 values, anything else as floats compared with each tallied value.
fn slots_of_rows(column: &Column, slots: &[TallySlot]) -> Result<Vec<u32>> {
    let slot = |k: usize| u32::try_from(k).unwrap_or(NO_SLOT);
    if let Ok(bytes) = column.u8() {
        let mut of_byte = [NO_SLOT; 256];
        for &(x, k) in slots {
            if (0.0..=255.0).contains(&x) && x.fract() == 0.0 {
                of_byte[x as usize] = slot(k);
            }
        }
        // Every byte's slot, then the nulls' none: a row at a time through its
        // validity was a tenth of the SLA verdicts' cost.
        let bytes = bytes.rechunk();
        let array = bytes.downcast_as_array();
        let mut out: Vec<u32> = array
            .values()
            .iter()
            .map(|&b| of_byte[b as usize])
            .collect();
        if let Some(valid) = array.validity().filter(|v| v.unset_bits() > 0) {
            for (slot, valid) in out.iter_mut().zip(valid.iter()) {
                if !valid {
                    *slot = NO_SLOT;
                }
            }
        }
        return Ok(out);
    }
    let floats = column.cast(&DataType::Float64)?;
    let floats = floats.f64()?.rechunk();
    let value = cells(&floats);
    Ok((0..floats.len())
        .map(|row| {
            let found = value(row).and_then(|v| slots.iter().find(|&&(x, _)| x == v));
            found.map_or(NO_SLOT, |&(_, k)| slot(k))
        })
        .collect())
}

/// Past every line's end: a row that counts nowhere.
const NO_SLOT: u32 = u32::MAX;

/// The column of a block's contributions to partial `p`.
fn contribution(p: usize) -> String {
    format!("__add{p}")
}

fn tally(t: usize) -> String {
    format!("__tally{t}")
}

/// Groups, by their encoded keys, and each partial's value per group. (Spreading
/// the groups over parts by hash, each part's rows added in turn so that its groups
/// stay in cache, was tried and was slower: the rows' contributions are then read
/// out of order.)
pub struct Table {
    groups: Groups,
}

impl Table {
    fn new(layout: &Layout) -> Table {
        let mut table = Table {
            groups: Groups::with_values(layout.values_count()),
        };
        if layout.keys.is_empty() {
            // Without keys there is one group, also when no row comes.
            table.group(layout, &[]);
        }
        table
    }

    /// The number of the group with this encoded key, added if new.
    fn group(&mut self, layout: &Layout, key: &[u8]) -> u32 {
        let hash = hash_of(&layout.hasher, key);
        self.groups.group(key, hash, layout.stride)
    }

    /// Add a block's [`Layout::contributions`], a row at a time: each row's group is
    /// found once and all its counts and sums are added in one place (a group's
    /// counts and sums lie side by side, so a row touches one or two cache lines).
    fn add(&mut self, layout: &Layout, block: &DataFrame) -> Result<()> {
        let groups = self.groups_of(layout, block)?;
        // Per scalar slot, its contributions (none for `Rows`: one a row): a sum's
        // floats, a count's booleans (read as bits: a cast to floats cost more than
        // the adding).
        let mut sums: Vec<Option<Float64Chunked>> = vec![None; layout.stride];
        let mut counts: Vec<Option<Bitmap>> = vec![None; layout.stride];
        for (p, slot) in layout.slots.iter().enumerate() {
            match *slot {
                Slot::Scalar(k) if layout.partials[p] != Partial::Rows => {
                    let c = block.column(&contribution(p))?;
                    match c.dtype() {
                        DataType::Boolean => counts[k] = Some(true_bits(c.bool()?)),
                        _ => sums[k] = Some(c.f64()?.rechunk().into_owned()),
                    }
                }
                Slot::Scalar(_) | Slot::Tally(_) => {}
                Slot::Values(v) => {
                    let added = block.column(&contribution(p))?.f64()?.rechunk();
                    let count = self.groups.len();
                    self.groups.values[v].add(&groups, count, cells(&added));
                }
            }
        }
        let mut slices: Vec<(usize, Added)> = Vec::new();
        for k in (0..layout.stride).filter(|k| !layout.is_tally_slot(*k)) {
            slices.push((
                k,
                match (&sums[k], &counts[k]) {
                    (Some(c), _) => Added::Floats(c.cont_slice()?),
                    (None, Some(bits)) => Added::Bits(bits),
                    (None, None) => Added::One,
                },
            ));
        }
        let tallies: Vec<Vec<u32>> = (0..layout.tallies.len())
            .map(|t| slots_of_rows(block.column(&tally(t))?, &layout.tallies[t].1))
            .collect::<Result<_>>()?;
        let stride = layout.stride;
        let many = self.groups.len() > FEW_GROUPS;
        for (row, &g) in groups.iter().enumerate() {
            if many {
                if let Some(&ahead) = groups.get(row + AHEAD) {
                    let at = ahead as usize * stride;
                    crate::prefetch::prefetch(&self.groups.scalars, at);
                    let last = (at + stride).saturating_sub(1);
                    crate::prefetch::prefetch(&self.groups.scalars, last);
                }
            }
            let line = &mut self.groups.scalars[g as usize * stride..][..stride];
            for (k, added) in &slices {
                line[*k] += match added {
                    Added::One => 1.0,
                    Added::Floats(a) => a[row],
                    Added::Bits(bits) => f64::from(u8::from(bits.get_bit(row))),
                };
            }
            for slots in &tallies {
                if let Some(count) = line.get_mut(slots[row] as usize) {
                    *count += 1.0;
                }
            }
        }
        Ok(())
    }

    /// Each row's group number.
    fn groups_of(&mut self, layout: &Layout, block: &DataFrame) -> Result<Vec<u32>> {
        if layout.keys.is_empty() {
            return Ok(vec![0; block.height()]);
        }
        let mut texts: Vec<StringChunked> = Vec::new();
        let mut dates: Vec<Int32Chunked> = Vec::new();
        for (i, k) in layout.keys.iter().enumerate() {
            let c = block.column(k.as_str())?;
            if layout.is_bucket(i) {
                dates.push(c.cast(&DataType::Int32)?.i32()?.rechunk().into_owned());
            } else {
                texts.push(c.str()?.rechunk().into_owned());
            }
        }
        let mut dates = dates.iter().map(|d| d.downcast_as_array());
        let mut texts = texts.iter().map(|t| t.downcast_as_array());
        let columns: Vec<KeyColumn> = (0..layout.keys.len())
            .map(|i| match layout.is_bucket(i) {
                true => dates.next().map(KeyColumn::Date),
                false => texts.next().map(KeyColumn::Text),
            })
            .collect::<Option<_>>()
            .ok_or_else(|| CxmError::Internal("a key column went missing".into()))?;
        Ok(self.groups_of_rows(layout, &columns, block.height()))
    }

    /// Each row's group from its key columns. A short text's view holds the text
    /// itself (equal views: equal texts), so the group of each recent combination of
    /// short texts and dates is remembered by their bits: with few groups, most rows
    /// are found without encoding or hashing their key.
    fn groups_of_rows(&mut self, layout: &Layout, columns: &[KeyColumn], rows: usize) -> Vec<u32> {
        const REMEMBERED: usize = 256;
        // No row's bits are these (a text's length is never u32::MAX, see `bits`).
        let mut remembered = [([u128::MAX; KEYS], 0u32); REMEMBERED];
        // Rows not remembered, looked up a batch at a time: their encoded keys one
        // after another in `keys`, each row's key ending at its `ends`.
        let mut keys: Vec<u8> = Vec::new();
        let mut pending: Vec<Pending> = Vec::with_capacity(BATCH);
        let mut out = Vec::with_capacity(rows);
        for row in 0..rows {
            let mut bits = [0u128; KEYS];
            let mut short = columns.len() <= KEYS;
            for (b, c) in bits.iter_mut().zip(columns) {
                match c.bits(row) {
                    Some(x) => *b = x,
                    None => short = false,
                }
            }
            let slot = {
                let folded = bits.iter().fold(0u64, |h, b| {
                    (h ^ (*b as u64) ^ ((*b >> 64) as u64)).wrapping_mul(0x9E37_79B9_7F4A_7C15)
                });
                (folded >> 56) as usize % REMEMBERED
            };
            // Compared word by word: `==` on the arrays was a call to `memcmp` a row.
            let same = remembered[slot].0.iter().zip(&bits).all(|(a, b)| a == b);
            if short && same {
                out.push(remembered[slot].1);
                continue;
            }
            for c in columns {
                c.encode(row, &mut keys);
            }
            pending.push(Pending {
                row,
                end: keys.len(),
                bits: short.then_some((bits, slot)),
            });
            // Found later: a row's number for now.
            out.push(0);
            if pending.len() == BATCH {
                self.look_up(layout, &pending, &keys, |p, g| {
                    out[p.row] = g;
                    if let Some((bits, slot)) = p.bits {
                        remembered[slot] = (bits, g);
                    }
                });
                pending.clear();
                keys.clear();
            }
        }
        self.look_up(layout, &pending, &keys, |p, g| out[p.row] = g);
        out
    }

    /// The group of each pending row (its key in `keys`), to `found`.
    fn look_up(
        &mut self,
        layout: &Layout,
        pending: &[Pending],
        keys: &[u8],
        mut found: impl FnMut(&Pending, u32),
    ) {
        let mut batch: [(u32, &[u8]); BATCH] = [(0, &[]); BATCH];
        let mut start = 0;
        for (b, p) in batch.iter_mut().zip(pending) {
            let key = &keys[start..p.end];
            *b = (hash_of(&layout.hasher, key), key);
            start = p.end;
        }
        let batch = &batch[..pending.len()];
        self.groups
            .groups_of_batch(batch, layout.stride, |i, g| found(&pending[i], g));
    }

    /// One row per group, sorted by keys: its keys, then each metric's value.
    #[cfg(test)]
    fn finished(self, layout: &Layout) -> Result<DataFrame> {
        result::frame(Merged::of(self.groups), layout)
    }

    /// Take in the last other table: its groups are looked up here on every core,
    /// the lines of those found added in, and the others left in it, to be read
    /// from there ([`Merged`]).
    fn absorb_apart(mut self, other: Table, stride: usize) -> Merged {
        let mut theirs = other.groups;
        let found = self.groups.find_all(&theirs);
        let here = self.groups.len();
        let mut ids: Vec<u32> = Vec::with_capacity(found.len());
        let mut rest_of: Vec<u32> = Vec::new();
        for (g, &f) in found.iter().enumerate() {
            if f == NOT_HERE {
                ids.push((here + rest_of.len()) as u32);
                rest_of.push(g as u32);
                continue;
            }
            ids.push(f);
            let added = &theirs.scalars[g * stride..][..stride];
            let mine = &mut self.groups.scalars[f as usize * stride..][..stride];
            for (a, b) in mine.iter_mut().zip(added) {
                *a += b;
            }
        }
        let values = std::mem::take(&mut theirs.values);
        absorb_values(&mut self.groups.values, values, &ids, here + rest_of.len());
        Merged::with_rest(self.groups, theirs, rest_of)
    }

    /// Take in another table's groups (hashed by the same hasher).
    fn absorb(&mut self, other: Table, stride: usize) {
        let theirs = other.groups;
        self.groups
            .reserve(theirs.len(), theirs.key_bytes(), stride);
        let mut ids: Vec<u32> = Vec::with_capacity(theirs.len());
        let mut batch: [(u32, &[u8]); BATCH] = [(0, &[]); BATCH];
        for first in (0..theirs.len()).step_by(BATCH) {
            let n = BATCH.min(theirs.len() - first);
            for (k, b) in batch[..n].iter_mut().enumerate() {
                let g = (first + k) as u32;
                *b = (theirs.hashes[g as usize], theirs.key(g));
            }
            self.groups
                .groups_of_batch(&batch[..n], stride, |_, g| ids.push(g));
        }
        for (&g, added) in ids.iter().zip(theirs.scalars.chunks_exact(stride.max(1))) {
            let mine = &mut self.groups.scalars[g as usize * stride..][..stride];
            for (a, b) in mine.iter_mut().zip(added) {
                *a += b;
            }
        }
        let count = self.groups.len();
        absorb_values(&mut self.groups.values, theirs.values, &ids, count);
    }
}

/// Take in another table's quantile values, their group `g` being `ids[g]` of
/// `count` groups here: each partial on a thread of its own when they are many.
fn absorb_values(mine: &mut [Values], theirs: Vec<Values>, ids: &[u32], count: usize) {
    let many = many_values(mine);
    let pairs = mine.iter_mut().zip(theirs);
    if !many {
        pairs.for_each(|(mine, kept)| mine.absorb(kept, ids, count));
        return;
    }
    std::thread::scope(|s| {
        for (mine, kept) in pairs {
            s.spawn(move || mine.absorb(kept, ids, count));
        }
    });
}

/// The tables of the workers: a block's rows go to a table no other thread is using.
pub struct Tables {
    layout: Layout,
    idle: Mutex<Vec<Table>>,
}

impl Tables {
    pub fn new(layout: Layout) -> Tables {
        Tables {
            layout,
            idle: Mutex::new(Vec::new()),
        }
    }

    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Add a block's [`Layout::contributions`].
    pub fn add(&self, block: &DataFrame) -> Result<()> {
        let taken = self.lock().pop();
        let mut table = taken.unwrap_or_else(|| Table::new(&self.layout));
        let added = table.add(&self.layout, block);
        self.lock().push(table);
        added
    }

    /// All tables merged: one row per group, its keys then each metric, sorted by
    /// keys.
    pub fn finish(self) -> Result<DataFrame> {
        Ok(self.finish_keeping(None)?.0)
    }

    /// [`finish`](Tables::finish), and the values of the quantile partial of column
    /// `of` (all groups'), when asked for.
    pub fn finish_keeping(self, of: Option<&str>) -> Result<(DataFrame, Option<Vec<f64>>)> {
        let mut tables = self.idle.into_inner().unwrap_or_else(|p| p.into_inner());
        // The biggest takes in the others: the fewest groups are looked up again.
        tables.sort_by_key(|t| t.groups.len());
        let mut all = tables.pop().unwrap_or_else(|| Table::new(&self.layout));
        let merged = match tables.pop() {
            None => Merged::of(all.groups),
            Some(last) => {
                for t in tables {
                    all.absorb(t, self.layout.stride);
                }
                all.absorb_apart(last, self.layout.stride)
            }
        };
        let kept = of.map(|of| result::all_values(&merged, &self.layout, of));
        Ok((result::frame(merged, &self.layout)?, kept))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Table>> {
        self.idle.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// How many rows ahead a row's group line is asked of memory when the groups are many.
const AHEAD: usize = 8;

/// A row whose group is yet to be looked up: where its encoded key ends in the
/// batch's keys, and its remembered bits and slot (when its keys are short).
struct Pending {
    row: usize,
    end: usize,
    bits: Option<([u128; KEYS], usize)>,
}

/// Key columns of a row whose bits are remembered, at most.
const KEYS: usize = 3;

/// What a block's row adds to one of its group's scalars.
enum Added<'a> {
    One,
    Floats(&'a [f64]),
    Bits(&'a Bitmap),
}

/// The rows where a boolean column is true (not null).
fn true_bits(c: &BooleanChunked) -> Bitmap {
    let c = c.rechunk();
    let bits = c.downcast_iter().next().map(|a| match a.validity() {
        Some(valid) => a.values() & valid,
        None => a.values().clone(),
    });
    bits.unwrap_or_else(|| Bitmap::new_zeroed(c.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{Every, Window};
    use crate::engine::values::{Values, FEW_GROUPS, MANY_VALUES};
    use crate::metrics::record::{Cond, Value};
    use crate::metrics::PERIOD;

    /// Rows grouped by column `g`, no window, no buckets.
    fn by_g() -> Grouping {
        Grouping {
            window: Window::default(),
            every: None,
            tz: chrono_tz::Tz::UTC,
            group_by: vec!["g".into()],
        }
    }

    /// `other` taken in by `all` and the result: by adding its groups to `all`
    /// (every table but the last) or by leaving those `all` has not in place (the
    /// last).
    fn merged(mut all: Table, other: Table, layout: &Layout, apart: bool) -> DataFrame {
        if apart {
            return result::frame(all.absorb_apart(other, layout.stride), layout).unwrap();
        }
        all.absorb(other, layout.stride);
        all.finished(layout).unwrap()
    }

    fn median_of_x() -> Metric {
        let median = Value::Quantile {
            of: "x",
            q: 0.5,
            scale: 1.0,
        };
        Metric::new("median", median)
    }

    /// Rows are grouped by their keys' values whether found by their remembered bits
    /// or by the encoded key: short and long texts (a long one sharing a short one's
    /// first bytes), an empty text, nulls, and dates beside them, in a block long
    /// enough that remembered slots are taken over. Two rows share a group exactly
    /// when their values are equal.
    #[test]
    fn remembered_keys_group_as_the_encoded_keys() {
        let texts = [
            "a",
            "",
            "billing",
            "billing-and-payments-team",
            "billing-and-",
            "x",
        ];
        let rows = 2_000;
        let text_of = |r: usize| match r % 7 {
            6 => None,
            k if k < texts.len() => Some(texts[k].to_string()),
            _ => Some(format!("n{}", r % 300)),
        };
        let date_of = |r: usize| (!r.is_multiple_of(11)).then_some((r % 3) as i32 - 1);
        let t: Vec<Option<String>> = (0..rows).map(text_of).collect();
        let d: Vec<Option<i32>> = (0..rows).map(date_of).collect();
        let texts_ca = StringChunked::from_iter_options("t".into(), t.iter().map(|v| v.as_deref()));
        let dates_ca = Int32Chunked::from_iter_options("d".into(), d.iter().copied());
        let metrics = [median_of_x()];
        for keys in [1, 2] {
            let grouping = by_g();
            let layout = Layout::new(&metrics, &grouping);
            let mut table = Table::new(&layout);
            let columns: Vec<KeyColumn> = match keys {
                1 => vec![KeyColumn::Text(texts_ca.downcast_as_array())],
                _ => vec![
                    KeyColumn::Text(texts_ca.downcast_as_array()),
                    KeyColumn::Date(dates_ca.downcast_as_array()),
                ],
            };
            let groups = table.groups_of_rows(&layout, &columns, rows);
            let value = |r: usize| (t[r].clone(), if keys == 2 { d[r] } else { None });
            for a in 0..rows {
                for b in (a..rows).step_by(37) {
                    assert_eq!(
                        groups[a] == groups[b],
                        value(a) == value(b),
                        "rows {a} and {b}: {:?} {:?}",
                        value(a),
                        value(b)
                    );
                }
            }
        }
    }

    /// A table past [`FEW_GROUPS`] keeps values with their group numbers; merged with
    /// one that keeps them apart, each group's median is still that of its values
    /// (worked out here by sorting each group's values).
    #[test]
    fn many_groups_and_few_merge_to_the_same_quantiles() {
        let metrics = [median_of_x()];
        let grouping = by_g();
        let layout = Layout::new(&metrics, &grouping);
        let rows = |keys: Vec<String>, xs: Vec<f64>| {
            let df = df!("g" => keys, "x" => xs).unwrap();
            layout.contributions(df.lazy()).collect().unwrap()
        };
        let many = FEW_GROUPS + 10;
        // Table 0: group k has k and k + 0.5; table 1: groups 0..3 have 100 + k.
        let tables = || {
            let mut keys: Vec<String> = (0..many).map(|k| format!("k{k}")).collect();
            keys.extend(keys.clone());
            let mut xs: Vec<f64> = (0..many).map(|k| k as f64).collect();
            xs.extend((0..many).map(|k| k as f64 + 0.5));
            let mut first = Table::new(&layout);
            first.add(&layout, &rows(keys, xs)).unwrap();
            assert!(matches!(first.groups.values[0], Values::Tagged(..)));
            let mut second = Table::new(&layout);
            let few: Vec<String> = (0..3).map(|k| format!("k{k}")).collect();
            second
                .add(&layout, &rows(few, vec![100.0, 101.0, 102.0]))
                .unwrap();
            assert!(matches!(second.groups.values[0], Values::ByGroup(..)));
            (first, second)
        };
        for (many_absorbs, apart) in [(true, false), (false, false), (true, true), (false, true)] {
            let (first, second) = tables();
            let (all, other) = match many_absorbs {
                true => (first, second),
                false => (second, first),
            };
            let out = merged(all, other, &layout, apart);
            let groups = out.column("g").unwrap().str().unwrap().clone();
            let medians = out.column("median").unwrap().f64().unwrap().clone();
            assert_eq!(groups.len(), many);
            for (g, m) in groups.iter().zip(medians.iter()) {
                let (g, m) = (g.unwrap(), m.unwrap());
                let k: f64 = g[1..].parse().unwrap();
                // k, k + 0.5 and, for k < 3, 100 + k: the middle one is k + 0.5.
                let want = if k < 3.0 { k + 0.5 } else { k + 0.25 };
                assert_eq!(m, want, "group {g}");
            }
        }
    }

    /// Past [`MANY_VALUES`] each partial is merged and selected on its own thread;
    /// the medians are still those of every value. Rows 0..2N, alternately of group
    /// a and b, half in each table: a's x are 0, 2, …, 2N - 2 (median N - 1), b's
    /// 1, 3, …, 2N - 1 (median N); y is x + 0.5 (not whole seconds).
    #[test]
    fn many_values_in_few_groups_merge_to_the_same_quantiles() {
        let median_of = |name: &'static str, of: &'static str| {
            let median = Value::Quantile {
                of,
                q: 0.5,
                scale: 1.0,
            };
            Metric::new(name, median)
        };
        let metrics = [median_of("mx", "x"), median_of("my", "y")];
        let grouping = by_g();
        let layout = Layout::new(&metrics, &grouping);
        let n = MANY_VALUES / 2 + 1000;
        for apart in [false, true] {
            let mut tables = Vec::new();
            for rows in [0..n, n..2 * n] {
                let keys: Vec<&str> = rows.clone().map(|i| ["a", "b"][i % 2]).collect();
                let xs: Vec<f64> = rows.map(|i| i as f64).collect();
                let ys: Vec<f64> = xs.iter().map(|x| x + 0.5).collect();
                let df = df!("g" => keys, "x" => xs, "y" => ys).unwrap();
                let block = layout.contributions(df.lazy()).collect().unwrap();
                let mut table = Table::new(&layout);
                table.add(&layout, &block).unwrap();
                tables.push(table);
            }
            let second = tables.pop().unwrap();
            let all = tables.pop().unwrap();
            assert!(many_values(&all.groups.values));
            let out = merged(all, second, &layout, apart);
            let f = |c: &str| -> Vec<Option<f64>> {
                out.column(c).unwrap().f64().unwrap().iter().collect()
            };
            let n = n as f64;
            assert_eq!(f("mx"), [Some(n - 1.0), Some(n)]);
            assert_eq!(f("my"), [Some(n - 0.5), Some(n + 0.5)]);
        }
    }

    /// Rows added in blocks to two tables, merged: the same partials as adding them
    /// all to one. Worked by hand: group (a, 2025-01-01) has x = 1, 3, null; group
    /// (null, 2025-01-01) has x = 10; group (a, null) has x = 5.
    #[test]
    fn tables_merge_to_the_partials_of_all_rows() {
        let metrics = [
            Metric::new("rows", Value::Count(Partial::Rows)),
            Metric::new("n", Value::Count(Partial::Count(Cond::NotNull("x")))),
            Metric::new(
                "sum",
                Value::Mean {
                    sum: Partial::Sum("x", None),
                    n: Partial::Rows,
                    scale: 1.0,
                },
            ),
            median_of_x(),
        ];
        let grouping = Grouping {
            window: Window::default(),
            every: Some(Every::Day),
            tz: chrono_tz::Tz::UTC,
            group_by: vec!["g".into()],
        };
        let day = |d: Option<i32>| d;
        let df = df!(
            "g" => [Some("a"), Some("a"), None, Some("a"), Some("a")],
            PERIOD => [day(Some(20089)), day(Some(20089)), day(Some(20089)), day(None), day(Some(20089))],
            "x" => [Some(1.0), Some(3.0), Some(10.0), Some(5.0), None],
        )
        .unwrap()
        .lazy()
        .with_column(col(PERIOD).cast(DataType::Date))
        .collect()
        .unwrap();
        let layout = Layout::new(&metrics, &grouping);
        for apart in [false, true] {
            let mut tables = vec![Table::new(&layout), Table::new(&layout)];
            for (i, part) in [df.slice(0, 2), df.slice(2, 3)].iter().enumerate() {
                let block = layout.contributions(part.clone().lazy()).collect().unwrap();
                tables[i].add(&layout, &block).unwrap();
            }
            let second = tables.pop().unwrap();
            let all = tables.pop().unwrap();
            let out = merged(all, second, &layout, apart);
            let f = |c: &str| -> Vec<Option<f64>> {
                let c = out.column(c).unwrap().cast(&DataType::Float64).unwrap();
                c.f64().unwrap().iter().collect()
            };
            // Sorted by g (nulls last), then period (nulls last).
            let g: Vec<Option<String>> = out
                .column("g")
                .unwrap()
                .str()
                .unwrap()
                .iter()
                .map(|v| v.map(str::to_string))
                .collect();
            assert_eq!(g, [Some("a".to_string()), Some("a".to_string()), None]);
            assert_eq!(f("rows"), [Some(3.0), Some(1.0), Some(1.0)]);
            assert_eq!(f("n"), [Some(2.0), Some(1.0), Some(1.0)]);
            assert_eq!(f("sum"), [Some(4.0 / 3.0), Some(5.0), Some(10.0)]);
            assert_eq!(f("median"), [Some(2.0), Some(5.0), Some(10.0)]);
        }
    }

    /// One key: the groups come out in the key's order, null last, from tables that
    /// met them in other orders, each with its own rows (worked by hand: a has
    /// x = 2, 4; b has 1, 3; c has 5; null has 6).
    #[test]
    fn one_key_comes_out_in_order() {
        let metrics = [
            Metric::new("rows", Value::Count(Partial::Rows)),
            median_of_x(),
        ];
        let grouping = by_g();
        let layout = Layout::new(&metrics, &grouping);
        let block = |g: Vec<Option<&str>>, x: Vec<f64>| {
            let df = df!("g" => g, "x" => x).unwrap();
            layout.contributions(df.lazy()).collect().unwrap()
        };
        for apart in [false, true] {
            let mut first = Table::new(&layout);
            first
                .add(
                    &layout,
                    &block(
                        vec![Some("b"), None, Some("a"), Some("b")],
                        vec![1.0, 6.0, 2.0, 3.0],
                    ),
                )
                .unwrap();
            let mut second = Table::new(&layout);
            second
                .add(&layout, &block(vec![Some("c"), Some("a")], vec![5.0, 4.0]))
                .unwrap();
            let out = merged(first, second, &layout, apart);
            let g: Vec<Option<&str>> = out.column("g").unwrap().str().unwrap().iter().collect();
            assert_eq!(g, [Some("a"), Some("b"), Some("c"), None]);
            let rows = out
                .column("rows")
                .unwrap()
                .cast(&DataType::Float64)
                .unwrap();
            let rows: Vec<Option<f64>> = rows.f64().unwrap().iter().collect();
            assert_eq!(rows, [Some(2.0), Some(2.0), Some(1.0), Some(1.0)]);
            let median: Vec<Option<f64>> = out
                .column("median")
                .unwrap()
                .f64()
                .unwrap()
                .iter()
                .collect();
            assert_eq!(median, [Some(3.0), Some(2.0), Some(5.0), Some(6.0)]);
        }
    }

    /// Past the groups looked up on every core, the last table's groups are found
    /// (those both tables have) or left in place (the others): group k has rows k
    /// (table 0, k < N) and 2k (table 1, N/2 <= k < 3N/2), counted and summed as a
    /// map of each group's rows gives them.
    #[test]
    fn many_groups_taken_in_apart_keep_their_partials() {
        let metrics = [
            Metric::new("rows", Value::Count(Partial::Rows)),
            Metric::new(
                "mean",
                Value::Mean {
                    sum: Partial::Sum("x", None),
                    n: Partial::Rows,
                    scale: 1.0,
                },
            ),
            median_of_x(),
        ];
        let grouping = by_g();
        let layout = Layout::new(&metrics, &grouping);
        let n = (1 << 16) + 100;
        let table = |ks: std::ops::Range<usize>, times: f64| {
            let keys: Vec<String> = ks.clone().map(|k| format!("k{k:07}")).collect();
            let xs: Vec<f64> = ks.map(|k| k as f64 * times).collect();
            let df = df!("g" => keys, "x" => xs).unwrap();
            let mut t = Table::new(&layout);
            t.add(&layout, &layout.contributions(df.lazy()).collect().unwrap())
                .unwrap();
            t
        };
        let out = merged(
            table(0..n, 1.0),
            table(n / 2..n + n / 2, 2.0),
            &layout,
            true,
        );
        let g: Vec<&str> = out
            .column("g")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .flatten()
            .collect();
        let f = |c: &str| -> Vec<f64> {
            let c = out.column(c).unwrap().cast(&DataType::Float64).unwrap();
            c.f64().unwrap().into_no_null_iter().collect()
        };
        let (rows, means, medians) = (f("rows"), f("mean"), f("median"));
        assert_eq!(g.len(), n + n / 2);
        for (i, name) in g.iter().enumerate() {
            let k: usize = name[1..].parse().unwrap();
            assert_eq!(k, i, "in order");
            let xs: Vec<f64> = [
                (k < n).then_some(k as f64),
                (k >= n / 2).then_some(2.0 * k as f64),
            ]
            .into_iter()
            .flatten()
            .collect();
            let mean = xs.iter().sum::<f64>() / xs.len() as f64;
            assert_eq!(rows[i], xs.len() as f64, "{name}");
            assert_eq!(means[i], mean, "{name}");
            assert_eq!(medians[i], mean, "{name}: the median of one or two values");
        }
    }

    /// Rows whose column equals a value are counted, the column read as bytes (a
    /// verdict's codes) or as floats: by hand, group a has 1 and 2, b has 1 and null.
    #[test]
    fn tallies_count_bytes_and_floats() {
        let metrics = [
            Metric::new("ones", Value::Count(Partial::Count(Cond::Equals("v", 1.0)))),
            Metric::new("twos", Value::Count(Partial::Count(Cond::Equals("v", 2.0)))),
        ];
        let grouping = by_g();
        let layout = Layout::new(&metrics, &grouping);
        let v = [Some(1.0), Some(2.0), Some(1.0), None];
        for dtype in [DataType::UInt8, DataType::Float64] {
            let df = df!("g" => ["a", "a", "b", "b"], "v" => v)
                .unwrap()
                .lazy()
                .with_column(col("v").cast(dtype.clone()))
                .collect()
                .unwrap();
            let block = layout.contributions(df.lazy()).collect().unwrap();
            let mut table = Table::new(&layout);
            table.add(&layout, &block).unwrap();
            let out = table.finished(&layout).unwrap();
            let counts = |c: &str| -> Vec<Option<f64>> {
                let c = out.column(c).unwrap().cast(&DataType::Float64).unwrap();
                c.f64().unwrap().iter().collect()
            };
            assert_eq!(counts("ones"), [Some(1.0), Some(1.0)], "{dtype}");
            assert_eq!(counts("twos"), [Some(1.0), Some(0.0)], "{dtype}");
        }
        // A null byte is counted nowhere, whatever value lies under it (a 1 here).
        let validity = Bitmap::from_iter([true, true, true, false]);
        let bytes = UInt8Chunked::from_vec_validity("v".into(), vec![1, 2, 1, 1], Some(validity));
        let g = StringChunked::from_iter_values("g".into(), ["a", "a", "b", "b"].into_iter());
        let block =
            DataFrame::new_infer_height(vec![g.into_column(), bytes.into_column()]).unwrap();
        let block = layout.contributions(block.lazy()).collect().unwrap();
        let mut table = Table::new(&layout);
        table.add(&layout, &block).unwrap();
        let out = table.finished(&layout).unwrap();
        let ones = out
            .column("ones")
            .unwrap()
            .cast(&DataType::Float64)
            .unwrap();
        let ones: Vec<Option<f64>> = ones.f64().unwrap().iter().collect();
        assert_eq!(ones, [Some(1.0), Some(1.0)]);
    }
}
