//! A table's groups: each one's encoded key, found by hash ([`Index`]), and its
//! partials (counts and sums side by side, quantiles' values apart).

use std::hash::BuildHasher;

use hashbrown::DefaultHashBuilder;

use super::index::Index;
use super::values::Values;
use crate::prefetch::prefetch;

/// Keys looked up together: each one's entry, then where its group's key is, then
/// the key, is asked of memory before any is compared, so that the waits of a batch
/// overlap.
pub const BATCH: usize = 16;

#[derive(Default)]
pub struct Groups {
    /// Group numbers, found by their keys' hashes.
    index: Index,
    /// Each group's hash, for merging.
    pub hashes: Vec<u32>,
    /// Every group's encoded key after its length (8 bytes, little-endian); group
    /// `g`'s starts at `starts[g]`.
    keys: Vec<u8>,
    starts: Vec<u64>,
    /// Group `g`'s counts and sums: `scalars[g * stride..][..stride]` (counts are
    /// whole numbers, exact as floats below 2^53).
    pub scalars: Vec<f64>,
    /// Per quantile partial, its values.
    pub values: Vec<Values>,
}

impl Groups {
    pub fn with_values(count: usize) -> Groups {
        Groups {
            values: (0..count).map(|_| Values::new()).collect(),
            ..Groups::default()
        }
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Group `g`'s encoded key.
    pub fn key(&self, g: u32) -> &[u8] {
        key_at(&self.keys, self.starts[g as usize])
    }

    /// Only the keys are read from here on: the index goes.
    pub fn forget_index(&mut self) {
        self.index = Index::default();
        self.hashes = Vec::new();
    }

    /// Room for `more` groups of `key_bytes` bytes of keys in all, taken in without
    /// growing on the way (a merge's groups).
    pub fn reserve(&mut self, more: usize, key_bytes: usize, stride: usize) {
        self.index.reserve(more);
        self.keys.reserve(key_bytes);
        self.starts.reserve(more);
        self.hashes.reserve(more);
        self.scalars.reserve(more * stride);
    }

    /// All keys' bytes, with their lengths.
    pub fn key_bytes(&self) -> usize {
        self.keys.len()
    }

    /// The number of the group with this encoded key (of this hash), added if new.
    pub fn group(&mut self, key: &[u8], hash: u32, stride: usize) -> u32 {
        let (keys, starts) = (&self.keys, &self.starts);
        let is_key = |g: u32| same_key(key_at(keys, starts[g as usize]), key);
        match self.index.find(hash, is_key) {
            Some(g) => g,
            None => self.add(key, hash, stride),
        }
    }

    /// [`Groups::group`] of each of at most [`BATCH`] keys (with their hashes), in
    /// order, to `found(i, group)`.
    pub fn groups_of_batch(
        &mut self,
        batch: &[(u32, &[u8])],
        stride: usize,
        mut found: impl FnMut(usize, u32),
    ) {
        let first = self.first_of_batch(batch);
        for (i, (&(hash, key), f)) in batch.iter().zip(first).enumerate() {
            // The first entry of the hash is the key's group unless two keys share
            // the hash, or the key is new (perhaps added earlier in this batch).
            let g = match f {
                Some(g) if same_key(self.key(g), key) => g,
                _ => self.group(key, hash, stride),
            };
            found(i, g);
        }
    }

    /// The group of each of at most [`BATCH`] keys (with their hashes), `None` for
    /// a key no group has, to `found(i, group)`. Nothing is added: threads can look
    /// up keys side by side.
    pub fn find_batch(&self, batch: &[(u32, &[u8])], mut found: impl FnMut(usize, Option<u32>)) {
        let first = self.first_of_batch(batch);
        for (i, (&(hash, key), f)) in batch.iter().zip(first).enumerate() {
            let g = match f {
                Some(g) if same_key(self.key(g), key) => Some(g),
                Some(_) => {
                    let (keys, starts) = (&self.keys, &self.starts);
                    let is_key = |g: u32| same_key(key_at(keys, starts[g as usize]), key);
                    self.index.find(hash, is_key)
                }
                None => None,
            };
            found(i, g);
        }
    }

    /// The first group of each key's hash, its entry, place and key asked of memory
    /// a batch at a time.
    fn first_of_batch(&self, batch: &[(u32, &[u8])]) -> [Option<u32>; BATCH] {
        for &(hash, _) in batch {
            self.index.prefetch(hash);
        }
        let mut first = [None; BATCH];
        for (f, &(hash, _)) in first.iter_mut().zip(batch) {
            *f = self.index.first_of(hash);
            if let Some(g) = *f {
                prefetch(&self.starts, g as usize);
            }
        }
        for &g in first.iter().flatten() {
            prefetch(&self.keys, self.starts[g as usize] as usize);
        }
        first
    }

    fn add(&mut self, key: &[u8], hash: u32, stride: usize) -> u32 {
        let group = self.starts.len() as u32;
        let at = self.keys.len() as u64;
        self.keys
            .extend_from_slice(&(key.len() as u64).to_le_bytes());
        self.keys.extend_from_slice(key);
        self.starts.push(at);
        self.hashes.push(hash);
        self.index.insert(hash, group);
        self.scalars.extend(std::iter::repeat_n(0.0, stride));
        group
    }
}

/// No group here: what [`Groups::find_all`] gives a key this table has not.
pub const NOT_HERE: u32 = u32::MAX;

/// Groups past which [`Groups::find_all`] looks them up on every core.
const FIND_ON_EVERY_CORE: usize = 1 << 16;

impl Groups {
    /// Each of `theirs`' groups' number here, [`NOT_HERE`] for a key this table has
    /// not. Nothing is added, so many groups are looked up on every core.
    pub fn find_all(&self, theirs: &Groups) -> Vec<u32> {
        let n = theirs.len();
        let mut found = vec![NOT_HERE; n];
        let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
        if n < FIND_ON_EVERY_CORE || cores < 2 {
            self.find_range(theirs, 0, &mut found);
            return found;
        }
        let per = n.div_ceil(cores);
        std::thread::scope(|s| {
            for (k, part) in found.chunks_mut(per).enumerate() {
                s.spawn(move || self.find_range(theirs, k * per, part));
            }
        });
        found
    }

    /// [`Groups::find_all`] of `theirs`' groups `first..first + out.len()`.
    fn find_range(&self, theirs: &Groups, first: usize, out: &mut [u32]) {
        let mut batch: [(u32, &[u8]); BATCH] = [(0, &[]); BATCH];
        for start in (0..out.len()).step_by(BATCH) {
            let n = BATCH.min(out.len() - start);
            for (k, b) in batch[..n].iter_mut().enumerate() {
                let g = first + start + k;
                *b = (theirs.hashes[g], theirs.key(g as u32));
            }
            self.find_batch(&batch[..n], |i, found| {
                out[start + i] = found.unwrap_or(NOT_HERE)
            });
        }
    }
}

/// The merged tables' groups: one table's, then those of the last table taken in
/// that the first had not, left where they are (copied in, a million of them were a
/// pass on one core over fresh memory).
pub struct Merged {
    pub main: Groups,
    /// The last table taken in, and which of its groups are groups `main.len()..`
    /// here, in order.
    rest: Groups,
    rest_of: Vec<u32>,
}

impl Merged {
    pub fn of(main: Groups) -> Merged {
        Merged {
            main,
            rest: Groups::default(),
            rest_of: Vec::new(),
        }
    }

    pub fn with_rest(main: Groups, rest: Groups, rest_of: Vec<u32>) -> Merged {
        Merged {
            main,
            rest,
            rest_of,
        }
    }

    pub fn len(&self) -> usize {
        self.main.len() + self.rest_of.len()
    }

    /// Group `g`'s encoded key.
    pub fn key(&self, g: u32) -> &[u8] {
        match (g as usize).checked_sub(self.main.len()) {
            None => self.main.key(g),
            Some(r) => self.rest.key(self.rest_of[r]),
        }
    }

    /// Group `g`'s counts and sums.
    pub fn line(&self, g: u32, stride: usize) -> &[f64] {
        let (scalars, at) = match (g as usize).checked_sub(self.main.len()) {
            None => (&self.main.scalars, g as usize),
            Some(r) => (&self.rest.scalars, self.rest_of[r] as usize),
        };
        &scalars[at * stride..][..stride]
    }

    /// Only the keys and lines are read from here on: the indexes go.
    pub fn forget_index(&mut self) {
        self.main.forget_index();
        self.rest.forget_index();
    }
}

/// The key kept at `at` in `keys` (after its 8-byte length).
#[inline]
fn key_at(keys: &[u8], at: u64) -> &[u8] {
    let at = at as usize;
    let len = keys
        .get(at..at + 8)
        .and_then(|b| b.try_into().ok())
        .map_or(0, |b| u64::from_le_bytes(b) as usize);
    keys.get(at + 8..at + 8 + len).unwrap_or_default()
}

pub fn hash_of(hasher: &DefaultHashBuilder, key: &[u8]) -> u32 {
    let h = hasher.hash_one(key);
    (h ^ (h >> 32)) as u32
}

/// Two encoded keys are equal: a key of 8 to 16 bytes (most: a short text and its
/// 5-byte header) in two 8-byte loads rather than a call to `memcmp`, which was a
/// twelfth of a run with 100k groups.
#[inline]
fn same_key(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if !(8..=16).contains(&n) {
        return a == b;
    }
    let word = |s: &[u8], at: usize| {
        let bytes: [u8; 8] = s[at..at + 8].try_into().unwrap_or_default();
        u64::from_le_bytes(bytes)
    };
    word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys compare equal exactly when their bytes do, at every length around the
    /// 8-to-16-byte loads.
    #[test]
    fn keys_compare_as_their_bytes() {
        for n in 0..24 {
            let a: Vec<u8> = (0..n as u8).collect();
            assert!(same_key(&a, &a.clone()), "{n}");
            for i in 0..n {
                let mut b = a.clone();
                b[i] ^= 0x40;
                assert!(!same_key(&a, &b), "{n} bytes, byte {i}");
            }
            let mut longer = a.clone();
            longer.push(0);
            assert!(!same_key(&a, &longer), "{n}");
        }
    }
}
