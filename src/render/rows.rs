//! Writing a long result's rows, printed on every core: CSV and JSON of a million
//! groups spent most of their time printing numbers on one.

use std::io::{self, Write};
use std::sync::mpsc::{channel, sync_channel, Receiver};

/// Rows a worker prints at a time.
const CHUNK_ROWS: usize = 8192;

/// Write rows `0..height` to `out` in order, each appended to a buffer by
/// `push(row, buffer)`. Below a few chunks, or on one core, they are printed here;
/// otherwise workers print chunks in turn (worker `k` the chunks `k`, `k + workers`,
/// …) and they are written as they come, at most two chunks ahead a worker. The
/// buffers go back to their worker once written: fresh ones were a page fault every
/// 4 KiB printed.
pub fn write(
    height: usize,
    push: impl Fn(usize, &mut Vec<u8>) + Sync,
    out: &mut dyn Write,
) -> io::Result<()> {
    let chunks = height.div_ceil(CHUNK_ROWS);
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(chunks);
    if workers < 2 || chunks < 4 {
        let mut buf = Vec::new();
        for chunk in 0..chunks {
            print_chunk(chunk, height, &push, &mut buf);
            out.write_all(&buf)?;
            buf.clear();
        }
        return Ok(());
    }
    std::thread::scope(|scope| {
        let (receivers, returns): (Vec<Receiver<Vec<u8>>>, Vec<_>) = (0..workers)
            .map(|k| {
                let (sender, receiver) = sync_channel(2);
                let (give_back, given_back) = channel::<Vec<u8>>();
                let push = &push;
                scope.spawn(move || {
                    for chunk in (k..chunks).step_by(workers) {
                        let mut buf = given_back.try_recv().unwrap_or_default();
                        buf.clear();
                        print_chunk(chunk, height, push, &mut buf);
                        // The writer stops taking chunks when writing fails.
                        if sender.send(buf).is_err() {
                            return;
                        }
                    }
                });
                (receiver, give_back)
            })
            .unzip();
        for chunk in 0..chunks {
            let buf = receivers[chunk % workers]
                .recv()
                .map_err(|_| io::Error::other("a worker printing the result stopped"))?;
            out.write_all(&buf)?;
            // A worker that has finished no longer takes buffers back.
            let _ = returns[chunk % workers].send(buf);
        }
        Ok(())
    })
}

fn print_chunk(
    chunk: usize,
    height: usize,
    push: &impl Fn(usize, &mut Vec<u8>),
    buf: &mut Vec<u8>,
) {
    let end = ((chunk + 1) * CHUNK_ROWS).min(height);
    for row in chunk * CHUNK_ROWS..end {
        push(row, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows come out in order, whatever the chunks and workers, each exactly once.
    #[test]
    fn rows_are_written_in_order() {
        for height in [0, 1, CHUNK_ROWS - 1, CHUNK_ROWS * 5 + 7, CHUNK_ROWS * 9] {
            let mut out = Vec::new();
            write(
                height,
                |i, b| b.extend_from_slice(format!("{i}\n").as_bytes()),
                &mut out,
            )
            .unwrap();
            let expected: String = (0..height).map(|i| format!("{i}\n")).collect();
            assert_eq!(String::from_utf8(out).unwrap(), expected, "{height}");
        }
    }

    /// A failed write stops the workers and is the error returned.
    #[test]
    fn a_failed_write_is_returned() {
        struct Full(usize);
        impl Write for Full {
            fn write(&mut self, b: &[u8]) -> io::Result<usize> {
                if self.0 == 0 {
                    return Err(io::Error::other("disk full"));
                }
                self.0 -= 1;
                Ok(b.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let err = write(CHUNK_ROWS * 20, |i, b| b.push(i as u8), &mut Full(3)).unwrap_err();
        assert_eq!(err.to_string(), "disk full");
    }
}
