//! The one pass over a file's bytes: a buffered reader that keeps the file's first
//! [`PREFIX_BYTES`](super::text::PREFIX_BYTES) for the text checks while the JUnit reader
//! streams through it, with a cap on how much one XML node may take.

use std::io::{self, BufRead, Read};

/// Read buffer size.
const CHUNK: usize = 64 << 10;

/// A read at least this large, with nothing held, bypasses the buffer.
const DIRECT: usize = 8 << 10;

/// A buffered reader with look-ahead, a copy of the first bytes, and a byte budget.
pub(crate) struct Source<R> {
    inner: R,
    buf: Box<[u8]>,
    start: usize,
    end: usize,
    eof: bool,
    /// Bytes that may still be taken through `fill_buf` before it fails; reset per XML node.
    budget: u64,
    consumed: u64,
    prefix: Vec<u8>,
    prefix_cap: usize,
}

impl<R: Read> Source<R> {
    pub(crate) fn new(inner: R, prefix_cap: usize) -> Self {
        Source {
            inner,
            buf: vec![0; CHUNK].into_boxed_slice(),
            start: 0,
            end: 0,
            eof: false,
            budget: u64::MAX,
            consumed: 0,
            prefix: Vec::new(),
            prefix_cap,
        }
    }

    /// The first bytes consumed so far, up to the prefix cap.
    pub(crate) fn prefix(&self) -> &[u8] {
        &self.prefix
    }

    /// Bytes consumed so far.
    #[cfg(test)]
    pub(crate) fn consumed(&self) -> u64 {
        self.consumed
    }

    /// Lets at most `bytes` more be taken before `fill_buf` fails (`u64::MAX`: no cap).
    pub(crate) fn set_budget(&mut self, bytes: u64) {
        self.budget = bytes;
    }

    fn read_more(&mut self) -> io::Result<usize> {
        loop {
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(0);
                }
                Ok(n) => {
                    self.end += n;
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// At least `n` bytes (fewer only at the end of the file) without consuming them.
    pub(crate) fn peek(&mut self, n: usize) -> io::Result<&[u8]> {
        let n = n.min(CHUNK);
        if self.end - self.start < n && !self.eof {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
            while self.end < n && !self.eof {
                self.read_more()?;
            }
        }
        Ok(&self.buf[self.start..self.end])
    }

    /// Reads on until the prefix is complete or the file ends.
    pub(crate) fn fill_prefix(&mut self) -> io::Result<()> {
        self.budget = u64::MAX;
        while self.prefix.len() < self.prefix_cap {
            let n = self
                .fill_buf()?
                .len()
                .min(self.prefix_cap - self.prefix.len());
            if n == 0 {
                break;
            }
            self.consume(n);
        }
        Ok(())
    }

    /// Whether bytes remain after what was consumed.
    pub(crate) fn at_end(&mut self) -> io::Result<bool> {
        Ok(self.fill_buf_unbudgeted()?.is_empty())
    }

    fn fill_buf_unbudgeted(&mut self) -> io::Result<&[u8]> {
        if self.start == self.end && !self.eof {
            self.start = 0;
            self.end = 0;
            self.read_more()?;
        }
        Ok(&self.buf[self.start..self.end])
    }
}

impl<R: Read> BufRead for Source<R> {
    // Called a few times per XML event: the common case (bytes held, within the budget) is
    // inlined into the XML reader, the rest is not.
    #[inline]
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let held = self.end - self.start;
        if held > 0 && self.budget >= held as u64 {
            return Ok(&self.buf[self.start..self.end]);
        }
        self.fill_buf_slow()
    }

    #[inline]
    fn consume(&mut self, amt: usize) {
        let amt = amt.min(self.end - self.start);
        if self.prefix.len() < self.prefix_cap {
            self.keep_prefix(amt);
        }
        self.start += amt;
        self.consumed += amt as u64;
        self.budget = self.budget.saturating_sub(amt as u64);
    }
}

impl<R: Read> Source<R> {
    #[inline(never)]
    fn fill_buf_slow(&mut self) -> io::Result<&[u8]> {
        let budget = self.budget;
        let avail = self.fill_buf_unbudgeted()?;
        if avail.is_empty() {
            return Ok(avail);
        }
        if budget == 0 {
            return Err(io::Error::other(BudgetExceeded));
        }
        let n = avail
            .len()
            .min(usize::try_from(budget).unwrap_or(usize::MAX));
        Ok(&avail[..n])
    }

    #[inline(never)]
    fn keep_prefix(&mut self, amt: usize) {
        let take = amt.min(self.prefix_cap - self.prefix.len());
        self.prefix
            .extend_from_slice(&self.buf[self.start..self.start + take]);
    }
}

impl<R: Read> Read for Source<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        // Nothing held, a large read (a decoder filling its reader's buffer) and the budget
        // not in the way: straight from the input into `out`, as `BufReader` does, the
        // prefix kept from there; a copy of every byte less.
        if self.start == self.end
            && !self.eof
            && out.len() >= DIRECT
            && self.budget >= out.len() as u64
        {
            let n = loop {
                match self.inner.read(out) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            };
            if n == 0 {
                self.eof = true;
            }
            if self.prefix.len() < self.prefix_cap {
                let take = n.min(self.prefix_cap - self.prefix.len());
                self.prefix.extend_from_slice(&out[..take]);
            }
            self.consumed += n as u64;
            self.budget -= n as u64;
            return Ok(n);
        }
        let avail = self.fill_buf()?;
        let n = avail.len().min(out.len());
        out[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

/// The error `fill_buf` returns once the budget is spent.
#[derive(Debug)]
pub(crate) struct BudgetExceeded;

impl std::fmt::Display for BudgetExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("byte budget exceeded")
    }
}

impl std::error::Error for BudgetExceeded {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_prefix_and_peeks_across_chunks() {
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let mut s = Source::new(&data[..], 100_000);
        let mut sink = Vec::new();
        s.read_to_end(&mut sink).unwrap();
        assert_eq!(sink, data);
        assert_eq!(s.prefix(), &data[..100_000]);
        assert_eq!(s.consumed(), 200_000);

        let mut s = Source::new(&data[..], 10);
        let first = s.fill_buf().unwrap().len();
        s.consume(first - 2);
        assert_eq!(s.peek(9).unwrap()[..9], data[first - 2..first + 7]);
        assert_eq!(s.prefix().len(), 10);
    }

    /// Large reads with nothing held go straight to the caller: the same bytes, prefix and
    /// count as small reads through the buffer, a peek before them served first.
    #[test]
    fn large_reads_bypass_the_buffer_with_the_same_result() {
        let data: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        for (size, prefix) in [
            (7usize, 1_000usize),
            (DIRECT, 100_000),
            (CHUNK * 2, 250_000),
        ] {
            let mut s = Source::new(&data[..], prefix);
            assert_eq!(s.peek(5).unwrap()[..5], data[..5]);
            let mut got = Vec::new();
            let mut chunk = vec![0u8; size];
            loop {
                let n = s.read(&mut chunk).unwrap();
                if n == 0 {
                    break;
                }
                got.extend_from_slice(&chunk[..n]);
            }
            assert_eq!(got, data, "{size}");
            assert_eq!(s.prefix(), &data[..prefix], "{size}");
            assert_eq!(s.consumed(), 300_000, "{size}");
            assert!(s.at_end().unwrap());
        }
    }

    #[test]
    fn the_budget_caps_what_fill_buf_gives() {
        let data = vec![b'x'; 1000];
        let mut s = Source::new(&data[..], 0);
        s.set_budget(10);
        assert_eq!(s.fill_buf().unwrap().len(), 10);
        s.consume(10);
        assert!(s.fill_buf().is_err());
        s.set_budget(u64::MAX);
        assert_eq!(s.fill_buf().unwrap().len(), 990);
        s.fill_prefix().unwrap();
        assert!(!s.at_end().unwrap());
    }
}
