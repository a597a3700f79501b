//! Asking memory for data before it is read, so that the waits of many look-ups
//! overlap.

/// Ask memory for `items[i]`'s cache line, without waiting for it.
pub fn prefetch<T>(items: &[T], i: usize) {
    #[cfg(target_arch = "x86_64")]
    if let Some(item) = items.get(i) {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: SSE is part of every x86-64 processor; a prefetch is a hint that
        // reads nothing and cannot fault, here of an element of the slice.
        unsafe { _mm_prefetch::<_MM_HINT_T0>((item as *const T).cast()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (items, i);
}
