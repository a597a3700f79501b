//! A quantile partial's values in an engine table ([`super::table`]). While the
//! groups are few, each group's are kept apart: no group number is stored with each
//! value, and nothing is left to sort out at the end. And while every value of a
//! group is a whole number of seconds (most durations are), it takes 4 bytes, not 8.

use crate::metrics::quantiles;

/// Groups up to which a table keeps each group's values apart ([`Values::ByGroup`]).
pub(super) const FEW_GROUPS: usize = 4096;

/// Values past which each partial is merged and selected on a thread of its own, even
/// when the groups are few: on 10M rows each takes a tenth of a second.
pub(super) const MANY_VALUES: usize = 1 << 20;

/// The values of one quantile partial.
pub(super) enum Values {
    /// Group `g`'s values are `by[g]`.
    ByGroup(Vec<Kept>),
    /// With many groups, each value with its group in the order they came, grouped at
    /// the end ([`by_group`]): one allocation for all groups rather than one each.
    /// Merged tables keep their parts as they are (renumbered in place): appending
    /// them to one another was a tenth of a 10M-row run in fresh pages alone.
    Tagged(Vec<Part>),
}

/// Are the values of all partials many enough to work each out on its own thread?
pub(super) fn many_values(values: &[Values]) -> bool {
    values.len() > 1 && values.iter().map(Values::len).sum::<usize>() > MANY_VALUES
}

/// One quantile of each group, in the order asked for.
#[derive(Clone)]
pub(super) struct Found {
    pub values: Vec<f64>,
    /// Whether the group has values (a quantile).
    pub present: Vec<bool>,
}

/// Values and their groups' numbers, side by side.
#[derive(Default)]
pub(super) struct Part {
    of: Vec<u32>,
    values: Vec<f64>,
}

/// One group's values.
pub(super) enum Kept {
    /// Whole, non-negative numbers below 2³², exactly.
    Whole(Vec<u32>),
    Exact(Vec<f64>),
}

impl Default for Kept {
    fn default() -> Self {
        Kept::Whole(Vec::new())
    }
}

impl Kept {
    #[inline]
    fn push(&mut self, x: f64) {
        match self {
            Kept::Whole(kept) => {
                let whole = x as u32;
                if whole as f64 == x {
                    kept.push(whole);
                } else {
                    let mut exact: Vec<f64> = kept.iter().map(|&w| w as f64).collect();
                    exact.push(x);
                    *self = Kept::Exact(exact);
                }
            }
            Kept::Exact(kept) => kept.push(x),
        }
    }

    fn is_empty(&self) -> bool {
        match self {
            Kept::Whole(v) => v.is_empty(),
            Kept::Exact(v) => v.is_empty(),
        }
    }

    /// Add another group's values.
    fn append(&mut self, other: Kept) {
        if self.is_empty() {
            *self = other;
            return;
        }
        match (&mut *self, other) {
            (Kept::Whole(mine), Kept::Whole(theirs)) => mine.extend_from_slice(&theirs),
            (Kept::Exact(mine), theirs) => theirs.each(|x| mine.push(x)),
            (Kept::Whole(mine), theirs) => {
                let mut exact: Vec<f64> = mine.iter().map(|&w| w as f64).collect();
                theirs.each(|x| exact.push(x));
                *self = Kept::Exact(exact);
            }
        }
    }

    /// Each value, in order.
    fn each(&self, mut f: impl FnMut(f64)) {
        match self {
            Kept::Whole(v) => v.iter().for_each(|&w| f(w as f64)),
            Kept::Exact(v) => v.iter().for_each(|&x| f(x)),
        }
    }

    fn len(&self) -> usize {
        match self {
            Kept::Whole(v) => v.len(),
            Kept::Exact(v) => v.len(),
        }
    }

    /// The `qs` quantiles ([`quantiles::of_each`]), into `out`.
    fn quantiles(&mut self, qs: &[f64], out: &mut [Option<f64>]) {
        match self {
            Kept::Whole(v) => quantiles::of_each_by(v, qs, u32::cmp, f64::from, out),
            Kept::Exact(v) => quantiles::of_each_by(v, qs, f64::total_cmp, |x| x, out),
        }
    }
}

impl Values {
    pub(super) fn new() -> Values {
        Values::ByGroup(Vec::new())
    }

    /// How many values there are, in all groups.
    pub(super) fn len(&self) -> usize {
        match self {
            Values::ByGroup(by) => by.iter().map(Kept::len).sum(),
            Values::Tagged(parts) => parts.iter().map(|p| p.values.len()).sum(),
        }
    }

    /// Every value, of all groups, in no particular order.
    pub(super) fn all(&self) -> Vec<f64> {
        let mut out = Vec::with_capacity(self.len());
        match self {
            Values::ByGroup(by) => by.iter().for_each(|kept| kept.each(|x| out.push(x))),
            Values::Tagged(parts) => (parts.iter()).for_each(|p| out.extend_from_slice(&p.values)),
        }
        out
    }

    /// Add the values of a block's rows (`None`: no value), row `r` of group
    /// `groups[r]`; the table has `count` groups.
    pub(super) fn add(
        &mut self,
        groups: &[u32],
        count: usize,
        value: impl Fn(usize) -> Option<f64>,
    ) {
        if count > FEW_GROUPS {
            self.tag();
        }
        match self {
            Values::ByGroup(by) => {
                by.resize_with(count, Kept::default);
                for (row, &g) in groups.iter().enumerate() {
                    if let Some(x) = value(row) {
                        by[g as usize].push(x);
                    }
                }
            }
            Values::Tagged(parts) => {
                if parts.is_empty() {
                    parts.push(Part::default());
                }
                let Some(part) = parts.last_mut() else {
                    return;
                };
                for (row, &g) in groups.iter().enumerate() {
                    if let Some(x) = value(row) {
                        part.of.push(g);
                        part.values.push(x);
                    }
                }
            }
        }
    }

    /// Take in another table's values; their group `g` is this table's `ids[g]`,
    /// which has `count` groups.
    pub(super) fn absorb(&mut self, theirs: Values, ids: &[u32], count: usize) {
        if count > FEW_GROUPS {
            self.tag();
        }
        match (&mut *self, theirs) {
            (Values::ByGroup(mine), Values::ByGroup(theirs)) => {
                mine.resize_with(count, Kept::default);
                for (&g, kept) in ids.iter().zip(theirs) {
                    mine[g as usize].append(kept);
                }
            }
            (_, theirs) => {
                self.tag();
                let mut added = theirs.into_parts();
                for part in &mut added {
                    part.of.iter_mut().for_each(|g| *g = ids[*g as usize]);
                }
                if let Values::Tagged(parts) = self {
                    parts.append(&mut added);
                }
            }
        }
    }

    /// The `qs` quantiles of each group, the groups in `order` (every group once).
    pub(super) fn quantiles(self, order: &[u32], qs: &[f64]) -> Vec<Found> {
        let groups = order.len();
        let mut found: Vec<Found> = qs
            .iter()
            .map(|_| Found {
                values: Vec::with_capacity(groups),
                present: Vec::with_capacity(groups),
            })
            .collect();
        let mut each = vec![None; qs.len()];
        let mut add = |each: &[Option<f64>]| {
            for (found, &q) in found.iter_mut().zip(each) {
                found.values.push(q.unwrap_or(0.0));
                found.present.push(q.is_some());
            }
        };
        match self {
            Values::ByGroup(mut by) => {
                by.resize_with(groups, Kept::default);
                for &g in order {
                    by[g as usize].quantiles(qs, &mut each);
                    add(&each);
                }
            }
            Values::Tagged(parts) => {
                let (starts, mut sorted) = by_group(parts, groups);
                for &g in order {
                    let g = g as usize;
                    let group = &mut sorted[starts[g]..starts[g + 1]];
                    quantiles::of_each_by(group, qs, f64::total_cmp, |x| x, &mut each);
                    add(&each);
                }
            }
        }
        found
    }

    /// Keep the values as [`Values::Tagged`].
    fn tag(&mut self) {
        if let Values::ByGroup(_) = self {
            let parts = std::mem::replace(self, Values::new()).into_parts();
            *self = Values::Tagged(parts);
        }
    }

    fn into_parts(self) -> Vec<Part> {
        match self {
            Values::Tagged(parts) => parts,
            Values::ByGroup(by) => {
                let n = by.iter().map(Kept::len).sum();
                let (mut of, mut values) = (Vec::with_capacity(n), Vec::with_capacity(n));
                for (g, kept) in by.iter().enumerate() {
                    of.extend(std::iter::repeat_n(g as u32, kept.len()));
                    kept.each(|x| values.push(x));
                }
                vec![Part { of, values }]
            }
        }
    }
}

/// The parts' values ordered by their group (copied once, each part freed once
/// copied): group `g`'s are then `values[starts[g]..starts[g + 1]]`.
fn by_group(parts: Vec<Part>, groups: usize) -> (Vec<usize>, Vec<f64>) {
    let mut starts = vec![0usize; groups + 1];
    for part in &parts {
        for &g in &part.of {
            starts[g as usize + 1] += 1;
        }
    }
    for g in 0..groups {
        starts[g + 1] += starts[g];
    }
    // `starts[g]` is group `g`'s next unfilled place while filling, and ends as where
    // group `g + 1` starts: shifted back by one, without a second array of places.
    let mut sorted = vec![0.0; starts[groups]];
    for part in parts {
        for (&g, v) in part.of.iter().zip(part.values) {
            let next = &mut starts[g as usize];
            sorted[*next] = v;
            *next += 1;
        }
    }
    starts.copy_within(0..groups, 1);
    starts[0] = 0;
    (starts, sorted)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Grouping keeps each group's values, whatever their order.
    #[test]
    fn values_are_grouped() {
        let mut seed = 7u64;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        for groups in [1usize, 2, 5, 300, FEW_GROUPS + 1] {
            let of_group: Vec<u32> = (0..5000).map(|_| next(groups as u64) as u32).collect();
            let values: Vec<f64> = (0..5000).map(|i| i as f64).collect();
            let mut expected = vec![Vec::new(); groups];
            for (&g, &v) in of_group.iter().zip(&values) {
                expected[g as usize].push(v);
            }
            // In two parts, as two merged tables leave them.
            let half = of_group.len() / 2;
            let parts = vec![
                Part {
                    of: of_group[..half].to_vec(),
                    values: values[..half].to_vec(),
                },
                Part {
                    of: of_group[half..].to_vec(),
                    values: values[half..].to_vec(),
                },
            ];
            let (starts, grouped) = by_group(parts, groups);
            for (g, want) in expected.iter().enumerate() {
                let mut got = grouped[starts[g]..starts[g + 1]].to_vec();
                got.sort_by(f64::total_cmp);
                assert_eq!(&got, want, "group {g} of {groups}");
            }
        }
    }

    /// Whole seconds are kept in 4 bytes until a value is not one; the quantiles are
    /// those of the values as given, worked out by hand: {3, 1, 2} has median 2 and
    /// p90 2.8; {3, 1, 2, 0.5} median 1.5, p90 2.7; {4294967296, 1} median
    /// 2147483648.5.
    #[test]
    fn whole_values_until_one_is_not() {
        fn quantiles(kept: &mut Kept, qs: &[f64]) -> Vec<Option<f64>> {
            let mut out = vec![Some(-1.0); qs.len()];
            kept.quantiles(qs, &mut out);
            out
        }
        let mut kept = Kept::default();
        for x in [3.0, 1.0, 2.0] {
            kept.push(x);
        }
        assert!(matches!(kept, Kept::Whole(_)));
        assert_eq!(quantiles(&mut kept, &[0.9, 0.5]), [Some(2.8), Some(2.0)]);
        kept.push(0.5);
        assert!(matches!(kept, Kept::Exact(_)));
        let got = quantiles(&mut kept, &[0.5, 0.9]);
        assert_eq!(got[0], Some(1.5));
        assert!((got[1].unwrap() - 2.7).abs() < 1e-12);

        let mut big = Kept::default();
        big.push(4294967296.0);
        big.push(1.0);
        assert!(matches!(big, Kept::Exact(_)));
        assert_eq!(quantiles(&mut big, &[0.5]), [Some(2147483648.5)]);
        let mut one = Kept::default();
        one.push(7.0);
        assert_eq!(quantiles(&mut one, &[0.5, 0.9]), [Some(7.0), Some(7.0)]);
        assert_eq!(quantiles(&mut Kept::default(), &[0.5]), [None]);
    }

    /// Merging whole and exact groups keeps every value.
    #[test]
    fn appended_groups_keep_every_value() {
        let whole = || {
            let mut k = Kept::default();
            k.push(1.0);
            k.push(5.0);
            k
        };
        let exact = || {
            let mut k = Kept::default();
            k.push(2.5);
            k
        };
        for (mut a, b) in [(whole(), exact()), (exact(), whole()), (whole(), whole())] {
            let n = a.len() + b.len();
            a.append(b);
            let mut all = Vec::new();
            a.each(|x| all.push(x));
            all.sort_by(f64::total_cmp);
            assert_eq!(all.len(), n);
            assert!(all.windows(2).all(|w| w[0] <= w[1]));
            assert!(all.contains(&1.0) && all.contains(&5.0));
        }
    }
}
