//! Distinct text keys, numbered, found by hash: the ticket ids a join looks up.
//!
//! A join probes millions of keys at random, so what costs is the cache lines a
//! look-up reads. A key of up to 11 bytes (ticket ids, mostly) lives inside its table
//! entry: one line read, no pointer to follow. Longer keys are kept in a buffer beside
//! the table, their entries holding their hash. The keys are split into parts by hash
//! and each part's table is built on its own, on every core, from [`Batch`]es the
//! block workers prepared.

use std::hash::BuildHasher;

use hashbrown::DefaultHashBuilder;

use crate::prefetch::prefetch;

/// How many parts the keys are split into, by the low bits of their hash.
const PARTS: usize = 64;

/// Entries a part's table has for each key it may hold (at most two-thirds full).
const ROOM: f64 = 1.5;

/// An entry's key: up to 11 bytes, then the length in the last byte; or, for a longer
/// key, its hash, its number among the part's long keys, and [`LONG`] last.
type Packed = [u8; SHORT + 1];

/// The longest key kept in its entry: an entry is then 16 bytes, four to a cache line,
/// none across two.
const SHORT: usize = 11;

const LONG: u8 = 0xFF;

/// An entry's local number when the entry is empty.
const EMPTY: u32 = u32::MAX;

#[derive(Clone, Copy)]
struct Entry {
    key: Packed,
    local: u32,
}

/// The keys of one block, split by part: what [`Keys::build`] takes.
pub struct Batch {
    /// Per part, its short keys packed.
    short: Vec<Vec<Packed>>,
    /// Per part, where its long keys are in `bytes`.
    long: Vec<Vec<(usize, usize)>>,
    bytes: Vec<u8>,
}

/// The numbered keys.
pub struct Keys {
    hasher: DefaultHashBuilder,
    parts: Vec<Part>,
}

#[derive(Default)]
struct Part {
    /// Open addressing with linear probing.
    entries: Vec<Entry>,
    /// The number of this part's first key among all keys.
    first: u32,
    len: u32,
    /// Long keys' bytes, one after another; the `i`th long key ends at `long_ends[i]`.
    long: Vec<u8>,
    long_ends: Vec<usize>,
}

/// A key of up to [`SHORT`] bytes, packed; `None` when longer.
fn pack(key: &[u8]) -> Option<Packed> {
    let mut packed = [0u8; SHORT + 1];
    if key.len() > SHORT {
        return None;
    }
    packed[..key.len()].copy_from_slice(key);
    packed[SHORT] = key.len() as u8;
    Some(packed)
}

/// A hash whose every bit depends on every bit of the key: the hasher's, whose high
/// bits cluster for keys that differ in a few bytes (linear probing then runs long),
/// finished by MurmurHash3's mix.
fn mixed(h: u64) -> u64 {
    let h = (h ^ (h >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
    let h = (h ^ (h >> 33)).wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

fn short_hash(hasher: &DefaultHashBuilder, packed: Packed) -> u64 {
    let mut wide = [0u8; 16];
    wide[..packed.len()].copy_from_slice(&packed);
    mixed(hasher.hash_one(u128::from_le_bytes(wide)))
}

fn long_hash(hasher: &DefaultHashBuilder, key: &[u8]) -> u64 {
    mixed(hasher.hash_one(key))
}

/// Bytes of a long key's hash kept in its entry, to pass over most other long keys.
const HASH_KEPT: usize = 7;

/// The long key packed for its entry.
fn pack_long(hash: u64, number: u32) -> Packed {
    let mut packed = [0u8; SHORT + 1];
    packed[..HASH_KEPT].copy_from_slice(&hash.to_le_bytes()[..HASH_KEPT]);
    packed[HASH_KEPT..HASH_KEPT + 4].copy_from_slice(&number.to_le_bytes());
    packed[SHORT] = LONG;
    packed
}

impl Keys {
    /// A hasher for [`Keys::batch`]; the keys are then built with it.
    pub fn hasher() -> DefaultHashBuilder {
        DefaultHashBuilder::default()
    }

    fn hash(hasher: &DefaultHashBuilder, key: &[u8]) -> (u64, Option<Packed>) {
        match pack(key) {
            Some(p) => (short_hash(hasher, p), Some(p)),
            None => (long_hash(hasher, key), None),
        }
    }

    /// One block's keys, ready for [`Keys::build`].
    pub fn batch<'a>(hasher: &DefaultHashBuilder, keys: impl Iterator<Item = &'a str>) -> Batch {
        let mut batch = Batch {
            short: vec![Vec::new(); PARTS],
            long: vec![Vec::new(); PARTS],
            bytes: Vec::new(),
        };
        for key in keys {
            let (hash, packed) = Keys::hash(hasher, key.as_bytes());
            let part = hash as usize % PARTS;
            match packed {
                Some(p) => batch.short[part].push(p),
                None => {
                    let start = batch.bytes.len();
                    batch.bytes.extend_from_slice(key.as_bytes());
                    batch.long[part].push((start, batch.bytes.len()));
                }
            }
        }
        batch
    }

    /// The distinct keys of all the batches (made with `hasher`), numbered 0, 1, …;
    /// the parts are built on every core.
    pub fn build(hasher: DefaultHashBuilder, batches: &[Batch]) -> Keys {
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, PARTS);
        let mut parts: Vec<Part> = (0..PARTS).map(|_| Part::default()).collect();
        std::thread::scope(|s| {
            for (t, chunk) in parts.chunks_mut(PARTS.div_ceil(threads)).enumerate() {
                let first_part = t * PARTS.div_ceil(threads);
                let hasher = &hasher;
                s.spawn(move || {
                    for (k, part) in chunk.iter_mut().enumerate() {
                        *part = Part::build(hasher, first_part + k, batches);
                    }
                });
            }
        });
        let mut first = 0u32;
        for part in &mut parts {
            part.first = first;
            first += part.len;
        }
        Keys { hasher, parts }
    }

    /// How many distinct keys there are.
    pub fn count(&self) -> usize {
        self.parts.iter().map(|p| p.len as usize).sum()
    }

    /// The number of each key that is one of them, in order: [`Keys::get`] on many
    /// keys at once. The first entry of each of a group of keys is asked of memory
    /// before any is probed, so that the reads overlap rather than wait on each other
    /// (a probe's read rarely finds its entry in cache: about 3 times faster at 2M keys).
    pub fn get_all<'k>(&self, keys: impl Iterator<Item = Option<&'k str>>) -> Vec<Option<u32>> {
        const GROUP: usize = 32;
        let mut found = Vec::with_capacity(keys.size_hint().0);
        let mut group: Vec<Option<(&str, u64, Option<Packed>)>> = Vec::with_capacity(GROUP);
        let mut keys = keys.peekable();
        while keys.peek().is_some() {
            group.clear();
            for key in keys.by_ref().take(GROUP) {
                group.push(key.map(|key| {
                    let (hash, packed) = Keys::hash(&self.hasher, key.as_bytes());
                    let part = &self.parts[hash as usize % PARTS];
                    prefetch(&part.entries, part.home(hash));
                    (key, hash, packed)
                }));
            }
            for key in &group {
                found.push(key.and_then(|(key, hash, packed)| {
                    let part = &self.parts[hash as usize % PARTS];
                    match part.probe(hash, packed, key.as_bytes()) {
                        Probe::Found(local) => Some(part.first + local),
                        Probe::Vacant(_) => None,
                    }
                }));
            }
        }
        found
    }

    /// The number of a key, if it is one of them.
    pub fn get(&self, key: &str) -> Option<u32> {
        let (hash, packed) = Keys::hash(&self.hasher, key.as_bytes());
        let part = &self.parts[hash as usize % PARTS];
        match part.probe(hash, packed, key.as_bytes()) {
            Probe::Found(local) => Some(part.first + local),
            Probe::Vacant(_) => None,
        }
    }
}

/// Where a key is in a part's table, or where it would go.
enum Probe {
    Found(u32),
    Vacant(usize),
}

impl Part {
    fn build(hasher: &DefaultHashBuilder, p: usize, batches: &[Batch]) -> Part {
        let upper: usize = batches
            .iter()
            .map(|b| b.short[p].len() + b.long[p].len())
            .sum();
        let room = ((upper as f64 * ROOM) as usize).max(8);
        let empty = Entry {
            key: [0; SHORT + 1],
            local: EMPTY,
        };
        let mut part = Part {
            entries: vec![empty; room],
            ..Part::default()
        };
        for batch in batches {
            for &packed in &batch.short[p] {
                let hash = short_hash(hasher, packed);
                if let Probe::Vacant(at) = part.probe(hash, Some(packed), &[]) {
                    part.fill(at, packed);
                }
            }
            for &(start, end) in &batch.long[p] {
                let bytes = &batch.bytes[start..end];
                let hash = long_hash(hasher, bytes);
                if let Probe::Vacant(at) = part.probe(hash, None, bytes) {
                    part.long.extend_from_slice(bytes);
                    part.long_ends.push(part.long.len());
                    let packed = pack_long(hash, part.long_ends.len() as u32 - 1);
                    part.fill(at, packed);
                }
            }
        }
        part
    }

    /// The next key, at an empty entry.
    fn fill(&mut self, at: usize, key: Packed) {
        self.entries[at] = Entry {
            key,
            local: self.len,
        };
        self.len += 1;
    }

    /// The entry of a key (of this hash; `packed` if short, else its `bytes`), or the
    /// empty entry where it would go. The table is never full ([`ROOM`]).
    fn probe(&self, hash: u64, packed: Option<Packed>, bytes: &[u8]) -> Probe {
        let n = self.entries.len();
        let mut at = self.home(hash);
        let hash_bytes = hash.to_le_bytes();
        loop {
            let entry = &self.entries[at];
            if entry.local == EMPTY {
                return Probe::Vacant(at);
            }
            let same = match packed {
                Some(p) => entry.key == p,
                None => {
                    entry.key[SHORT] == LONG
                        && entry.key[..HASH_KEPT] == hash_bytes[..HASH_KEPT]
                        && self.long_key(&entry.key) == bytes
                }
            };
            if same {
                return Probe::Found(entry.local);
            }
            at += 1;
            if at == n {
                at = 0;
            }
        }
    }

    /// The entry a key of this hash is looked for first: the hash's high bits pick it
    /// (its low bits picked the part).
    fn home(&self, hash: u64) -> usize {
        ((hash as u128 * self.entries.len() as u128) >> 64) as usize
    }

    /// The bytes of the long key an entry holds.
    fn long_key(&self, key: &Packed) -> &[u8] {
        let mut number = [0u8; 4];
        number.copy_from_slice(&key[HASH_KEPT..HASH_KEPT + 4]);
        let i = u32::from_le_bytes(number) as usize;
        let start = if i == 0 { 0 } else { self.long_ends[i - 1] };
        &self.long[start..self.long_ends[i]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys_of(blocks: &[&[&str]]) -> Keys {
        let hasher = Keys::hasher();
        let batches: Vec<Batch> = blocks
            .iter()
            .map(|b| Keys::batch(&hasher, b.iter().copied()))
            .collect();
        Keys::build(hasher, &batches)
    }

    /// Every distinct key gets its own number below the count, found again from any
    /// block; others (a prefix, a longer key sharing its first bytes, the empty key when
    /// absent) are not found.
    #[test]
    fn keys_are_numbered_once_each() {
        let long = "a-key-longer-than-fifteen-bytes";
        // 11 bytes (the longest kept in an entry), 12 (the shortest kept apart), and
        // a key of multi-byte characters.
        let (eleven, twelve, accents) = ("12345678901", "123456789012", "équipe-été");
        let keys = keys_of(&[
            &["T1", "T2", "T1", long, eleven],
            &["", "T2", "T30", long, twelve, accents, twelve],
        ]);
        assert_eq!(keys.count(), 8);
        let found: Vec<u32> = ["T1", "T2", long, "", "T30", eleven, twelve, accents]
            .iter()
            .map(|k| keys.get(k).unwrap_or(u32::MAX))
            .collect();
        let mut distinct = found.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct, (0..8).collect::<Vec<u32>>(), "{found:?}");
        for absent in ["1234567890", "123456789013", "1234567890123"] {
            assert_eq!(keys.get(absent), None, "{absent}");
        }
        for absent in [
            "T",
            "T3",
            "a-key-longer-than-fifteen-bytez",
            "a-key-longer-th",
            "t1",
        ] {
            assert_eq!(keys.get(absent), None, "{absent}");
        }
        // Many at once: the same numbers, a null key giving none.
        let asked = [
            Some("T30"),
            None,
            Some("T3"),
            Some(long),
            Some("T1"),
            Some(""),
        ];
        let expected: Vec<Option<u32>> =
            asked.iter().map(|k| k.and_then(|k| keys.get(k))).collect();
        assert_eq!(expected.iter().flatten().count(), 4);
        assert_eq!(keys.get_all(asked.into_iter()), expected);
        assert_eq!(keys_of(&[&["x"]]).get(""), None);
    }

    /// Many keys, short and long, over several blocks: as many numbers as distinct
    /// keys, each found, none shared.
    #[test]
    fn many_keys_across_blocks() {
        let all: Vec<String> = (0..20_000)
            .map(|i| {
                if i % 3 == 0 {
                    format!("customer-with-a-long-id-{i}")
                } else {
                    format!("T{i}")
                }
            })
            .collect();
        let blocks: Vec<Vec<&str>> = all
            .chunks(3_000)
            .map(|c| {
                c.iter()
                    .chain(c.iter().take(100))
                    .map(String::as_str)
                    .collect()
            })
            .collect();
        let refs: Vec<&[&str]> = blocks.iter().map(Vec::as_slice).collect();
        let keys = keys_of(&refs);
        assert_eq!(keys.count(), all.len());
        let mut seen = vec![false; all.len()];
        for k in &all {
            let n = keys.get(k).map(|n| n as usize);
            let n = n.filter(|&n| n < all.len() && !seen[n]);
            assert!(n.is_some(), "{k}");
            if let Some(n) = n {
                seen[n] = true;
            }
        }
        assert_eq!(keys.get("T20000"), None);
        // Over several groups of look-ups, some keys absent.
        let asked: Vec<Option<&str>> = all
            .iter()
            .map(String::as_str)
            .chain(["T20000", "T-1"])
            .map(Some)
            .collect();
        let expected: Vec<Option<u32>> =
            asked.iter().map(|k| k.and_then(|k| keys.get(k))).collect();
        assert_eq!(keys.get_all(asked.into_iter()), expected);
    }
}
