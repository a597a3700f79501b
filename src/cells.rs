//! Primitive columns read and written a row at a time, for the steps that work on a
//! block row by row (business time, SLA verdicts, the engine's tables): no
//! iterator of options per row, which costs more than the work done on it.

use polars::prelude::*;

/// A one-chunk column's value at a row (`None`: null), read without an iterator.
pub fn cells<T: PolarsNumericType>(
    column: &ChunkedArray<T>,
) -> impl Fn(usize) -> Option<T::Native> + '_ {
    let array = column.downcast_as_array();
    let (values, valid) = (array.values().as_slice(), array.validity());
    move |row| valid.is_none_or(|v| v.get_bit(row)).then(|| values[row])
}

/// A column of `values`, null where `present` is false (built without a per-row
/// option).
pub fn with_gaps<T: PolarsNumericType>(
    name: PlSmallStr,
    values: Vec<T::Native>,
    present: &[bool],
) -> ChunkedArray<T> {
    if present.iter().all(|&p| p) {
        return ChunkedArray::from_vec(name, values);
    }
    let present = BooleanChunked::from_slice(PlSmallStr::EMPTY, present);
    let validity = present.downcast_as_array().values().clone();
    ChunkedArray::from_vec_validity(name, values, Some(validity))
}
