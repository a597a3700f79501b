//! A group's keys: a block's key columns read as bits (a short key's view) and as
//! encoded bytes (what a table finds a row's group by), decoded back into columns of
//! the result, and the groups put in order by a single key.

use polars_arrow::array::{Array, PrimitiveArray, StaticArray, Utf8ViewArray, View};

use super::groups::Merged;
use super::table::Layout;

/// A key column of a block.
pub(super) enum KeyColumn<'a> {
    Text(&'a Utf8ViewArray),
    Date(&'a PrimitiveArray<i32>),
}

impl KeyColumn<'_> {
    /// Row `row`'s value as bits that equal another row's only when the values are
    /// equal: a short text's view, a date's days; `None` for a text too long to be
    /// held in its view. A null text is a length no view has, a null date zero.
    #[inline]
    pub(super) fn bits(&self, row: usize) -> Option<u128> {
        match self {
            KeyColumn::Text(a) if !a.is_valid(row) => Some(u128::from(u32::MAX - 1)),
            KeyColumn::Text(a) => {
                let view = a.views().get(row)?;
                (view.length <= View::MAX_INLINE_SIZE).then(|| view.as_u128())
            }
            KeyColumn::Date(a) => Some(match a.get(row) {
                Some(days) => 1 << 64 | u128::from(days as u32),
                None => 0,
            }),
        }
    }

    pub(super) fn encode(&self, row: usize, out: &mut Vec<u8>) {
        match self {
            KeyColumn::Text(a) => encode_text(a.get(row), out),
            KeyColumn::Date(a) => encode_date(a.get(row), out),
        }
    }
}

/// A key's text: 0 for null, else 1, its length (4 bytes) and its bytes.
fn encode_text(v: Option<&str>, out: &mut Vec<u8>) {
    match v {
        None => out.push(0),
        Some(s) => {
            out.push(1);
            out.extend_from_slice(&(s.len() as u32).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        }
    }
}

/// A key's date (days since 1970): 0 for null, else 1 and the days.
fn encode_date(v: Option<i32>, out: &mut Vec<u8>) {
    match v {
        None => out.push(0),
        Some(d) => {
            out.push(1);
            out.extend_from_slice(&d.to_le_bytes());
        }
    }
}

pub(super) enum KeyValues<'a> {
    Text(Vec<Option<&'a str>>),
    Date(Vec<Option<i32>>),
}

/// The key columns of the groups, encoded as [`encode_text`] and [`encode_date`]
/// wrote them: in ranges of groups on every core when they are many.
pub(super) fn decode<'a>(groups_of: &'a Merged, layout: &Layout) -> Vec<KeyValues<'a>> {
    let groups = groups_of.len();
    let mut out: Vec<KeyValues> = (0..layout.keys.len())
        .map(|i| match layout.is_bucket(i) {
            true => KeyValues::Date(vec![None; groups]),
            false => KeyValues::Text(vec![None; groups]),
        })
        .collect();
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    let range = groups.div_ceil(cores).max(DECODED_ON_ONE_CORE);
    // Per range, each key column's part.
    let mut ranges: Vec<Vec<Part>> = (0..groups.div_ceil(range)).map(|_| Vec::new()).collect();
    for values in &mut out {
        match values {
            KeyValues::Date(v) => v
                .chunks_mut(range)
                .zip(&mut ranges)
                .for_each(|(c, r)| r.push(Part::Date(c))),
            KeyValues::Text(v) => v
                .chunks_mut(range)
                .zip(&mut ranges)
                .for_each(|(c, r)| r.push(Part::Text(c))),
        }
    }
    if ranges.len() < 2 {
        for parts in ranges {
            decode_range(groups_of, 0, parts);
        }
        return out;
    }
    std::thread::scope(|s| {
        for (k, parts) in ranges.into_iter().enumerate() {
            s.spawn(move || decode_range(groups_of, k * range, parts));
        }
    });
    out
}

/// Groups up to which [`decode`] keeps to one core.
const DECODED_ON_ONE_CORE: usize = 1 << 16;

/// A key column's values for a range of groups.
enum Part<'p, 'a> {
    Text(&'p mut [Option<&'a str>]),
    Date(&'p mut [Option<i32>]),
}

/// Groups `first..` decoded into `parts`, one per key column.
fn decode_range<'a>(groups_of: &'a Merged, first: usize, mut parts: Vec<Part<'_, 'a>>) {
    let len = parts.first().map_or(0, |p| match p {
        Part::Text(v) => v.len(),
        Part::Date(v) => v.len(),
    });
    for i in 0..len {
        let key = groups_of.key((first + i) as u32);
        let mut at = 0;
        for part in &mut parts {
            let present = key.get(at) == Some(&1);
            at += 1;
            if !present {
                continue;
            }
            match part {
                Part::Date(v) => {
                    let days = key.get(at..at + 4).and_then(|b| b.try_into().ok());
                    v[i] = days.map(i32::from_le_bytes);
                    at += 4;
                }
                Part::Text(v) => {
                    let len = key
                        .get(at..at + 4)
                        .and_then(|b| b.try_into().ok())
                        .map_or(0, |b| u32::from_le_bytes(b) as usize);
                    at += 4;
                    let text = key.get(at..at + len).unwrap_or_default();
                    // Encoded from text, so always UTF-8.
                    v[i] = std::str::from_utf8(text).ok();
                    at += len;
                }
            }
        }
    }
}

/// With one key, the groups in the result's order: the key ascending, null last, as
/// polars sorts it. The key column is then marked sorted and polars does not sort
/// the result again: a million groups are put in order here a line each, rather than
/// gathered there a column at a time. With several keys, `None` (polars sorts).
pub(super) fn sorted_order(keys: &[KeyValues]) -> Option<Vec<u32>> {
    let [key] = keys else {
        return None;
    };
    // Each group's sort key beside its number, so that comparing two reads no other
    // memory (with hundreds of thousands of groups in no order, a sort through the
    // group numbers missed the cache at every comparison). A text's first 8 bytes,
    // big-endian and zero-padded, order as the text does; only ties read the text
    // (16 bytes a group: with the text beside them, 32, a million groups' sort
    // touched 24 MB more of fresh memory). A stable sort: groups come in runs
    // already in order (the rows of a file often are), which it merges rather than
    // sorts again.
    let order = match key {
        KeyValues::Text(v) => {
            let mut keyed: Vec<(u64, u32, u32)> = v
                .iter()
                .enumerate()
                .map(|(g, t)| (t.map_or(0, prefix), u32::from(t.is_none()), g as u32))
                .collect();
            let text = |g: u32| v.get(g as usize).copied().flatten();
            keyed.sort_by(|a, b| {
                let quick = (a.1, a.0).cmp(&(b.1, b.0));
                quick.then_with(|| text(a.2).cmp(&text(b.2)))
            });
            keyed.into_iter().map(|k| k.2).collect()
        }
        KeyValues::Date(v) => {
            let mut keyed: Vec<(bool, Option<i32>, u32)> = v
                .iter()
                .enumerate()
                .map(|(g, d)| (d.is_none(), *d, g as u32))
                .collect();
            keyed.sort_by_key(|k| (k.0, k.1));
            keyed.into_iter().map(|k| k.2).collect()
        }
    };
    Some(order)
}

/// A text's first 8 bytes as a big-endian number, zero-padded.
fn prefix(text: &str) -> u64 {
    let mut bytes = [0u8; 8];
    let n = text.len().min(8);
    bytes[..n].copy_from_slice(&text.as_bytes()[..n]);
    u64::from_be_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The order of one text key is the order of its texts (bytes, null last), also
    /// for texts that share more than 8 bytes, are shorter than 8, empty, or not
    /// ASCII.
    #[test]
    fn one_text_key_sorts_as_its_texts() {
        let words = [
            "",
            "a",
            "ab",
            "ab\u{0}",
            "abcdefgh",
            "abcdefghi",
            "abcdefgha",
            "abcdefgh\u{0}",
            "é",
            "e",
            "zz",
            "T00000010",
            "T00000009",
            "T0000001",
        ];
        let mut seed = 11u64;
        for _ in 0..50 {
            let mut texts: Vec<Option<&str>> = Vec::new();
            for _ in 0..12 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let k = (seed >> 33) as usize % (words.len() + 1);
                let text = words.get(k).copied();
                if !texts.contains(&text) {
                    texts.push(text);
                }
            }
            let order = sorted_order(&[KeyValues::Text(texts.clone())]).unwrap();
            let got: Vec<Option<&str>> = order.iter().map(|&g| texts[g as usize]).collect();
            let mut want = texts.clone();
            want.sort_by(|a, b| match (a, b) {
                (Some(a), Some(b)) => a.as_bytes().cmp(b.as_bytes()),
                (a, b) => a.is_none().cmp(&b.is_none()),
            });
            assert_eq!(got, want);
        }
    }
}
