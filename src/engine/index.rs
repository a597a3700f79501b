//! Group numbers found by their keys' hashes: open addressing with linear probing,
//! an entry of 8 bytes holding the key's hash and its group. With hundreds of
//! thousands of groups nearly every look-up misses the cache: a general hash table
//! made each look-up wait on its misses in turn (a third of a 10M-row run grouped by
//! customer). Here the caller asks memory for the entries of many keys
//! ([`Index::prefetch`]), then for their keys, before comparing any.

use crate::prefetch::prefetch;

/// An entry: the key's hash in the high half and its group in the low half.
type Entry = u64;

/// An empty entry: no group is numbered `u32::MAX` (each group takes far more than a
/// byte of memory). Written into every entry of a new table: a table of zeros
/// would be the system's shared zero page until written, and each page's first
/// write after a probe had read it cost a fault and a flush on every core.
const EMPTY: Entry = u64::MAX;

fn entry(hash: u32, group: u32) -> Entry {
    u64::from(hash) << 32 | u64::from(group)
}

fn is_empty(e: Entry) -> bool {
    e == EMPTY
}

fn hash_of(e: Entry) -> u32 {
    (e >> 32) as u32
}

fn group_of(e: Entry) -> u32 {
    e as u32
}

pub struct Index {
    /// A power of two of entries, at most half of them taken.
    entries: Vec<Entry>,
    len: usize,
    /// log2 of the entries' count.
    bits: u32,
}

impl Default for Index {
    fn default() -> Index {
        Index::with_bits(4)
    }
}

impl Index {
    fn with_bits(bits: u32) -> Index {
        Index {
            entries: vec![EMPTY; 1 << bits],
            len: 0,
            bits,
        }
    }

    /// The entry a key of this hash is looked for first: the top bits of the hash
    /// spread over 64 (neighbouring hashes land far apart).
    #[inline]
    fn home(&self, hash: u32) -> usize {
        (u64::from(hash).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - self.bits)) as usize
    }

    /// Ask memory for the first entry a key of this hash is looked for in.
    #[inline]
    pub fn prefetch(&self, hash: u32) {
        prefetch(&self.entries, self.home(hash));
    }

    /// The first group of this hash from its home, `None` at an empty entry: most
    /// often the key's own group, which the caller checks and, failing that,
    /// [`Index::find`]s.
    #[inline]
    pub fn first_of(&self, hash: u32) -> Option<u32> {
        self.find(hash, |_| true)
    }

    /// The group of this hash that `is_key`.
    #[inline]
    pub fn find(&self, hash: u32, is_key: impl Fn(u32) -> bool) -> Option<u32> {
        let mask = self.entries.len() - 1;
        let mut at = self.home(hash);
        loop {
            let e = self.entries[at];
            if is_empty(e) {
                return None;
            }
            if hash_of(e) == hash && is_key(group_of(e)) {
                return Some(group_of(e));
            }
            at = (at + 1) & mask;
        }
    }

    /// Add a group not yet in the index, its key of this hash.
    pub fn insert(&mut self, hash: u32, group: u32) {
        if (self.len + 1) * 2 > self.entries.len() {
            self.grow(self.bits + 1);
        }
        self.place(entry(hash, group));
        self.len += 1;
    }

    /// Room for `more` groups without growing on the way.
    pub fn reserve(&mut self, more: usize) {
        let wanted = (self.len + more).saturating_mul(2);
        if wanted > self.entries.len() {
            self.grow(wanted.next_power_of_two().trailing_zeros());
        }
    }

    /// Move every entry to a table of `2^bits` entries: by its kept hash, no key read.
    fn grow(&mut self, bits: u32) {
        let old = std::mem::replace(&mut self.entries, vec![EMPTY; 1 << bits]);
        self.bits = bits;
        for e in old.into_iter().filter(|&e| !is_empty(e)) {
            self.place(e);
        }
    }

    fn place(&mut self, e: Entry) {
        let mask = self.entries.len() - 1;
        let mut at = self.home(hash_of(e));
        while !is_empty(self.entries[at]) {
            at = (at + 1) & mask;
        }
        self.entries[at] = e;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// Keys found through the index (by `first_of`, else `find`) are the groups a
    /// map gives them, whatever their hashes: here few distinct hashes, so that
    /// runs of colliding entries wrap around the table's end and grow with it.
    #[test]
    fn groups_as_a_map_gives_them() {
        use proptest::prelude::*;
        proptest!(|(keys in prop::collection::vec(0u64..400, 0..2_000), spread in 1u32..64)| {
            let hash = |k: u64| (k as u32 % spread).wrapping_mul(0x0100_0193);
            let mut index = Index::default();
            let mut map: HashMap<u64, u32> = HashMap::new();
            let mut kept: Vec<u64> = Vec::new();
            for &k in &keys {
                let h = hash(k);
                let quick = index.first_of(h).filter(|&g| kept[g as usize] == k);
                let found = quick.or_else(|| index.find(h, |g| kept[g as usize] == k));
                prop_assert_eq!(found, map.get(&k).copied());
                if found.is_none() {
                    let group = map.len() as u32;
                    map.insert(k, group);
                    index.insert(h, group);
                    kept.push(k);
                }
            }
            prop_assert_eq!(index.len, map.len());
            prop_assert!(index.entries.len() >= 2 * index.len);
        });
    }
}
