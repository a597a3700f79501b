//! The cell ends of a block without quote characters, found 64 bytes at a time: a
//! bitmask of the bytes that are the delimiter or a newline, then its set bits. Cells
//! are a few bytes long, so a search that stops at each (`memchr2`) spends more on
//! starting than on searching.

/// The ends of `block`'s cells: each delimiter and newline in order, as `(position,
/// line_end)`, then the block's length if it does not end with a newline (a last record
/// without one). After [`CellEnds::skip_line`], the line's other delimiters are passed
/// over: the next end is the line's.
pub struct CellEnds<'a> {
    block: &'a [u8],
    delimiter: u8,
    /// Where the current 64 bytes start, and their bits not yet given.
    base: usize,
    ends: u64,
    newlines: u64,
    skipping: bool,
    /// Whether the end of a last line without a newline is still to give.
    tail: bool,
}

impl<'a> CellEnds<'a> {
    pub fn new(block: &'a [u8], delimiter: u8) -> CellEnds<'a> {
        let mut cells = CellEnds {
            block,
            delimiter,
            base: 0,
            ends: 0,
            newlines: 0,
            skipping: false,
            tail: !block.is_empty() && !block.ends_with(b"\n"),
        };
        cells.load();
        cells
    }

    /// Pass over the rest of the current line's delimiters.
    pub fn skip_line(&mut self) {
        self.skipping = true;
    }

    /// The masks of the 64 bytes from `base` (bits past the block's end cleared).
    fn load(&mut self) {
        let whole = self
            .block
            .get(self.base..self.base + 64)
            .and_then(|chunk| <&[u8; 64]>::try_from(chunk).ok());
        let (ends, newlines) = match whole {
            Some(chunk) => masks(chunk, self.delimiter),
            None => {
                let mut bytes = [0u8; 64];
                let rest = self.block.get(self.base..).unwrap_or_default();
                bytes[..rest.len()].copy_from_slice(rest);
                let inside = (1u64 << rest.len()) - 1;
                let (ends, newlines) = masks(&bytes, self.delimiter);
                (ends & inside, newlines & inside)
            }
        };
        (self.ends, self.newlines) = (ends, newlines);
    }
}

impl Iterator for CellEnds<'_> {
    type Item = (usize, bool);

    #[inline]
    fn next(&mut self) -> Option<(usize, bool)> {
        loop {
            if self.skipping {
                let line_ends = self.ends & self.newlines;
                if line_ends != 0 {
                    // Drop the delimiters before the line's end.
                    self.ends &= !((line_ends & line_ends.wrapping_neg()) - 1);
                    self.skipping = false;
                } else {
                    self.ends = 0;
                }
            }
            if self.ends != 0 {
                let bit = self.ends.trailing_zeros();
                self.ends &= self.ends - 1;
                let line_end = (self.newlines >> bit) & 1 == 1;
                return Some((self.base + bit as usize, line_end));
            }
            self.base += 64;
            if self.base >= self.block.len() {
                let tail = std::mem::take(&mut self.tail);
                return tail.then_some((self.block.len(), true));
            }
            self.load();
        }
    }
}

/// Bits of the bytes that end a cell (the delimiter or a newline), and of the newlines.
#[cfg(target_arch = "x86_64")]
fn masks(chunk: &[u8; 64], delimiter: u8) -> (u64, u64) {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    let (mut ends, mut newlines) = (0u64, 0u64);
    // SAFETY: SSE2 is part of every x86-64 processor; each load reads 16 bytes that
    // lie inside `chunk` (k * 16 + 16 <= 64), unaligned loads being allowed.
    unsafe {
        let (d, n) = (_mm_set1_epi8(delimiter as i8), _mm_set1_epi8(b'\n' as i8));
        for k in 0..4 {
            let v = _mm_loadu_si128(chunk.as_ptr().add(16 * k).cast());
            let nl = _mm_cmpeq_epi8(v, n);
            let end = _mm_or_si128(nl, _mm_cmpeq_epi8(v, d));
            newlines |= u64::from(_mm_movemask_epi8(nl) as u16) << (16 * k);
            ends |= u64::from(_mm_movemask_epi8(end) as u16) << (16 * k);
        }
    }
    (ends, newlines)
}

#[cfg(not(target_arch = "x86_64"))]
fn masks(chunk: &[u8; 64], delimiter: u8) -> (u64, u64) {
    masks_portable(chunk, delimiter)
}

/// [`masks`] eight bytes at a time in plain integer arithmetic.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn masks_portable(chunk: &[u8; 64], delimiter: u8) -> (u64, u64) {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const ONES: u64 = 0x0101_0101_0101_0101;
    // The high bit of each byte that is zero.
    let zero = |x: u64| !(((x & LOW7).wrapping_add(LOW7)) | x | LOW7);
    // Those high bits gathered into one byte, first byte lowest.
    let gather = |high: u64| (high >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56;
    let (mut ends, mut newlines) = (0u64, 0u64);
    for (k, word) in chunk.chunks_exact(8).enumerate() {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(word);
        let w = u64::from_le_bytes(bytes);
        let nl = zero(w ^ (ONES * u64::from(b'\n')));
        let end = nl | zero(w ^ (ONES * u64::from(delimiter)));
        newlines |= gather(nl) << (8 * k);
        ends |= gather(end) << (8 * k);
    }
    (ends, newlines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Each byte's own test, for comparison.
    fn bytewise(chunk: &[u8; 64], delimiter: u8) -> (u64, u64) {
        let (mut ends, mut newlines) = (0u64, 0u64);
        for (i, &b) in chunk.iter().enumerate() {
            newlines |= u64::from(b == b'\n') << i;
            ends |= u64::from(b == b'\n' || b == delimiter) << i;
        }
        (ends, newlines)
    }

    proptest! {
        /// Both ways of finding the masks agree with a test of each byte, for any
        /// bytes (those at 0x80 and above too) and any delimiter.
        #[test]
        fn masks_mark_the_cell_ends(
            bytes in proptest::collection::vec(
                prop_oneof![Just(b','), Just(b'\n'), Just(b';'), any::<u8>()], 64),
            delimiter in prop_oneof![Just(b','), Just(b';'), Just(b'\t'), any::<u8>()],
        ) {
            let mut chunk = [0u8; 64];
            chunk.copy_from_slice(&bytes);
            let expected = bytewise(&chunk, delimiter);
            prop_assert_eq!(masks(&chunk, delimiter), expected);
            prop_assert_eq!(masks_portable(&chunk, delimiter), expected);
        }

        /// The calls are the delimiters and newlines in order (a line's delimiters
        /// after a `true` passed over), and the end of a last line without a newline.
        #[test]
        fn cell_ends_are_the_separators(
            text in "[a,;\n]{0,300}",
            skip_after in 0usize..4,
        ) {
            let block = text.as_bytes();
            let mut expected = Vec::new();
            let mut field = 0;
            let mut skipping = false;
            for (i, &b) in block.iter().enumerate() {
                let line_end = b == b'\n';
                if (b == b',' && !skipping) || line_end {
                    expected.push((i, line_end));
                    field += 1;
                    skipping = !line_end && field > skip_after;
                    if line_end {
                        field = 0;
                    }
                }
            }
            if !block.is_empty() && !block.ends_with(b"\n") {
                expected.push((block.len(), true));
            }
            let mut got = Vec::new();
            let mut field = 0;
            let mut cells = CellEnds::new(block, b',');
            while let Some((end, line_end)) = cells.next() {
                got.push((end, line_end));
                field += 1;
                if line_end {
                    field = 0;
                } else if field > skip_after {
                    cells.skip_line();
                }
            }
            prop_assert_eq!(got, expected);
        }
    }
}
