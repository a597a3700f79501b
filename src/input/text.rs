//! A string column built straight from a block's cells ([`super::blocks::plain_frame`]):
//! each cell's view (polars' 16-byte string view: a text of up to 12 bytes held in
//! the view itself, a longer one in the column's byte buffer) and the null rows. A
//! short cell's view is made from one fixed-size load of the block, with no copy of
//! varying length, which polars' general builder makes a cell at a time.

use polars::prelude::*;
use polars_arrow::array::{Utf8ViewArray, View};
use polars_arrow::bitmap::MutableBitmap;
use polars_arrow::datatypes::ArrowDataType;
use polars_buffer::Buffer;

pub struct TextColumn {
    views: Vec<View>,
    bytes: Vec<u8>,
    nulls: Vec<usize>,
    /// Bytes of all the texts.
    total: usize,
}

/// The longest text a view holds itself.
const INLINE: usize = View::MAX_INLINE_SIZE as usize;

impl TextColumn {
    pub fn with_capacity(rows: usize) -> TextColumn {
        TextColumn {
            views: Vec::with_capacity(rows),
            bytes: Vec::new(),
            nulls: Vec::new(),
            total: 0,
        }
    }

    /// Add the cell `block[start..end]`, whose bytes are the text `cell` (UTF-8).
    /// `None` (and no change) when the column's buffer would pass 4 GiB, the most a
    /// view can point into.
    #[inline]
    pub fn push(&mut self, block: &[u8], start: usize, cell: &str) -> Option<()> {
        let len = cell.len();
        let view = if len <= INLINE {
            // The 16 bytes from the cell's start, its own kept: length, then text.
            let word = match block.get(start..start + 16) {
                Some(w) => u128::from_le_bytes(w.try_into().ok()?),
                None => {
                    let mut w = [0u8; 16];
                    w[..len].copy_from_slice(cell.as_bytes());
                    u128::from_le_bytes(w)
                }
            };
            let text = word & ((1u128 << (8 * len)) - 1);
            View::from(text << 32 | len as u128)
        } else {
            let offset = u32::try_from(self.bytes.len()).ok()?;
            u32::try_from(self.bytes.len() + len).ok()?;
            self.bytes.extend_from_slice(cell.as_bytes());
            View::new_from_bytes(cell.as_bytes(), 0, offset)
        };
        self.total += len;
        self.views.push(view);
        Some(())
    }

    #[inline]
    pub fn push_null(&mut self) {
        self.nulls.push(self.views.len());
        self.views.push(View::default());
    }

    pub fn finish(self, name: PlSmallStr) -> Column {
        let rows = self.views.len();
        let validity = (!self.nulls.is_empty()).then(|| {
            let mut valid = MutableBitmap::from_len_set(rows);
            for &row in &self.nulls {
                valid.set(row, false);
            }
            valid.into()
        });
        let buffer_len = self.bytes.len();
        let buffers: Buffer<Buffer<u8>> = match buffer_len {
            0 => Buffer::default(),
            _ => vec![Buffer::from(self.bytes)].into(),
        };
        // SAFETY: a short view holds the bytes of its cell, a `&str`; a long one points
        // at its cell's bytes, copied from that `&str` to `bytes` (buffer 0) at its
        // offset: all UTF-8, all in bounds. `total` sums the texts' lengths, and the
        // validity has a bit a view.
        let array = unsafe {
            Utf8ViewArray::new_unchecked(
                ArrowDataType::Utf8View,
                self.views.into(),
                buffers,
                validity,
                Some(self.total),
                buffer_len,
            )
        };
        StringChunked::with_chunk(name, array).into_column()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Short (near the block's end too), exactly 12-byte, long and multi-byte texts
    /// and nulls read back as given, equal to the column polars builds itself.
    #[test]
    fn texts_and_nulls_read_back() {
        let cells = [
            Some("a"),
            None,
            Some("twelve bytes"),
            Some("thirteen byte"),
            Some("2025-01-01T00:08:30Z"),
            Some("Zürich – Genève, très long"),
            Some("Zürich"),
            None,
            Some("ab"),
        ];
        let block = cells
            .iter()
            .flatten()
            .copied()
            .collect::<Vec<_>>()
            .join(",");
        let mut column = TextColumn::with_capacity(2);
        let mut start = 0;
        for cell in cells {
            match cell {
                Some(text) => {
                    column.push(block.as_bytes(), start, text).unwrap();
                    start += text.len() + 1;
                }
                None => column.push_null(),
            }
        }
        let got = column.finish("c".into());
        let got = got.str().unwrap();
        let want = StringChunked::from_iter_options("c".into(), cells.into_iter());
        assert_eq!(got.null_count(), 2);
        assert!(got.equal_missing(&want).all());
        let views: Vec<u128> = got
            .downcast_as_array()
            .views()
            .iter()
            .map(|v| v.as_u128())
            .collect();
        let theirs: Vec<u128> = want
            .downcast_as_array()
            .views()
            .iter()
            .map(|v| v.as_u128())
            .collect();
        for (i, cell) in cells.iter().enumerate() {
            if cell.is_some_and(|c| c.len() <= INLINE) {
                assert_eq!(views[i], theirs[i], "the view of {cell:?}");
            }
        }
        let back: Vec<Option<&str>> = got.iter().collect();
        assert_eq!(back, cells);
    }
}
