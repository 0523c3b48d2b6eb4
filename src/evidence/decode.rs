//! A report's bytes as the UTF-8 the XML reader reads: UTF-8 passes through, UTF-16 with a
//! byte-order mark (little- or big-endian, as Windows tools write it) is transcoded while it
//! streams, in bounded memory. What XML cannot be fails the read with a reason: a NUL
//! character (XML 1.0 allows none, in any encoding), UTF-32, UTF-16 without a byte-order
//! mark, and unpaired UTF-16 surrogates.
//!
//! The encoding is decided from the first four bytes, however few bytes each read gives
//! (a byte-order mark split across reads is still one).

use std::io::{self, Read};

/// Bytes read from the input at a time.
const CHUNK: usize = 64 << 10;

/// Why the bytes are not text the XML reader can take; carried inside an `io::Error`.
#[derive(Debug)]
pub(super) struct NotText(pub(super) String);

impl std::fmt::Display for NotText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NotText {}

/// The message of `e`: the reason itself when the bytes are not text, else `None`.
pub(super) fn not_text(e: &io::Error) -> Option<String> {
    e.get_ref()
        .and_then(|i| i.downcast_ref::<NotText>())
        .map(|n| n.0.clone())
}

/// How many of `b`'s first bytes are UTF-8 text without NUL, ending at a character boundary:
/// `min(valid_up_to, first NUL)`. Plain ASCII is checked [`STEP`] bytes at a time, UTF-8
/// decoded only in the steps that hold something else.
fn text_prefix(b: &[u8]) -> usize {
    let mut i = 0;
    while i < b.len() {
        i += plain_ascii(&b[i..]);
        let end = b.len().min(i + STEP);
        let (ok, stopped) = match std::str::from_utf8(&b[i..end]) {
            Ok(_) => (end, false),
            Err(e) => (i + e.valid_up_to(), true),
        };
        if let Some(z) = memchr::memchr(0, &b[i..ok]) {
            return i + z;
        }
        if !stopped {
            i = end;
            continue;
        }
        // Not UTF-8 from `ok`, or a character cut by the step's end: look at it alone.
        let upto = b.len().min(ok + 4);
        let next = match std::str::from_utf8(&b[ok..upto]) {
            Ok(_) => upto,
            Err(e) => ok + e.valid_up_to(),
        };
        if next == ok {
            return ok;
        }
        if let Some(z) = memchr::memchr(0, &b[ok..next]) {
            return ok + z;
        }
        i = next;
    }
    i
}

/// How many of `b`'s first bytes are ASCII other than NUL, in steps of [`STEP`] bytes (the
/// last step's bytes, and those of the step that holds a byte of any other kind, not
/// counted): one OR and one minimum per byte, which the compiler turns into vector
/// instructions, where `from_utf8` and a search for NUL would take two passes.
fn plain_ascii(b: &[u8]) -> usize {
    let mut n = 0;
    for step in b.chunks_exact(STEP) {
        let (any, least) = step
            .iter()
            .fold((0u8, u8::MAX), |(any, least), &x| (any | x, least.min(x)));
        if any >= 0x80 || least == 0 {
            break;
        }
        n += STEP;
    }
    n
}

/// The bytes [`plain_ascii`] checks at a time.
const STEP: usize = 64;

fn fail<T>(msg: String) -> io::Result<T> {
    Err(io::Error::other(NotText(msg)))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Undecided,
    Utf8,
    Utf16 { little: bool },
}

/// A reader of `inner` that gives UTF-8 (see the module documentation).
pub(super) struct Decoded<R> {
    inner: R,
    mode: Mode,
    buf: Box<[u8]>,
    pos: usize,
    len: usize,
    eof: bool,
    /// Input bytes taken from `buf` so far (for positions in messages).
    offset: u64,
    /// `buf[pos..checked]` is known to be text (UTF-8 without NUL) and is given out without
    /// a second look: a read may end inside a character, and the next must not then see
    /// its continuation bytes as text that is not UTF-8.
    checked: usize,
    /// A high surrogate waiting for its low half.
    high: Option<u16>,
    /// UTF-8 bytes of a decoded character not yet given out.
    pending: [u8; 4],
    pending_pos: usize,
    pending_len: usize,
}

impl<R: Read> Decoded<R> {
    pub(super) fn new(inner: R) -> Self {
        Decoded {
            inner,
            mode: Mode::Undecided,
            buf: vec![0; CHUNK].into_boxed_slice(),
            pos: 0,
            len: 0,
            eof: false,
            offset: 0,
            checked: 0,
            high: None,
            pending: [0; 4],
            pending_pos: 0,
            pending_len: 0,
        }
    }

    /// Reads more input after what `buf` holds; `false` at the end of the input.
    fn fill(&mut self) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.pos > 0 {
            self.buf.copy_within(self.pos..self.len, 0);
            self.len -= self.pos;
            self.checked = self.checked.saturating_sub(self.pos);
            self.pos = 0;
        }
        loop {
            match self.inner.read(&mut self.buf[self.len..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.len += n;
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    fn take(&mut self, n: usize) {
        self.pos += n;
        self.offset += n as u64;
    }

    /// Decides the encoding from the first four bytes (fewer in a shorter input).
    fn decide(&mut self) -> io::Result<()> {
        while self.len - self.pos < 4 && self.fill()? {}
        let head = self.buf[self.pos..self.len.min(self.pos + 4)].to_vec();
        let unmarked = |what: &str| {
            fail(format!(
                "it looks like UTF-16 ({what}) without a byte-order mark; XML requires one \
                 in UTF-16, so relcheck reads UTF-8, or UTF-16 with a byte-order mark"
            ))
        };
        self.mode = if head.starts_with(&[0, 0, 0xFE, 0xFF])
            || head.starts_with(&[0xFF, 0xFE, 0, 0])
        {
            return fail(
                "it is UTF-32 encoded; relcheck reads JUnit reports in UTF-8 or UTF-16".to_owned(),
            );
        } else if head.starts_with(&[0xFF, 0xFE]) {
            self.take(2);
            Mode::Utf16 { little: true }
        } else if head.starts_with(&[0xFE, 0xFF]) {
            self.take(2);
            Mode::Utf16 { little: false }
        } else if head.starts_with(&[0, b'<']) {
            return unmarked("big-endian");
        } else if head.starts_with(&[b'<', 0]) {
            return unmarked("little-endian");
        } else {
            Mode::Utf8
        };
        Ok(())
    }

    /// Gives out UTF-8 as it is, checked here rather than by the XML reader: the read fails
    /// when the next byte to give is a NUL or not UTF-8, never earlier, so what a report is
    /// refused for does not depend on how its bytes arrive (found by fuzzing: a NUL in the
    /// first read's bytes was named before an earlier byte that is not UTF-8, or an earlier
    /// mismatched end tag, which one byte per read named instead).
    fn read_utf8(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pos == self.len && !self.eof {
            // Nothing held: read straight into `out` and check the bytes there, sparing a
            // copy. What is not given out (a NUL, a byte that is not UTF-8, a character cut
            // at the end, and what follows) is held for the path below, as if read there.
            let room = out.len().min(self.buf.len());
            let n = loop {
                match self.inner.read(&mut out[..room]) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            };
            if n == 0 {
                self.eof = true;
                return Ok(0);
            }
            let got = &out[..n];
            let good = text_prefix(got);
            if good < n {
                self.buf[..n - good].copy_from_slice(&got[good..]);
                self.pos = 0;
                self.len = n - good;
                self.checked = 0;
            }
            if good > 0 {
                self.offset += good as u64;
                return Ok(good);
            }
        }
        if self.pos == self.len && !self.fill()? {
            return Ok(0);
        }
        if self.checked > self.pos {
            let n = (self.checked - self.pos).min(out.len());
            out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
            self.take(n);
            return Ok(n);
        }
        // How many of the held bytes are whole UTF-8 characters; `bad`: the next is not one.
        let (valid, bad) = loop {
            match std::str::from_utf8(&self.buf[self.pos..self.len]) {
                Ok(s) => break (s.len(), false),
                Err(e) if e.error_len().is_some() => break (e.valid_up_to(), true),
                // A character cut at the end of what is held: give out what comes before
                // it, or read on to complete it.
                Err(e) if e.valid_up_to() > 0 => break (e.valid_up_to(), false),
                Err(_) => {
                    if !self.fill()? {
                        break (0, true);
                    }
                }
            }
        };
        let held = &self.buf[self.pos..self.pos + valid];
        // Text up to the first NUL or byte that is not UTF-8 is given out first: the XML
        // reader names what is wrong before it, as it would one byte per read.
        let nul = memchr::memchr(0, held);
        let good = nul.unwrap_or(valid);
        if good == 0 {
            if nul.is_some() {
                return fail(format!(
                    "it holds a NUL byte (at byte {}), which XML does not allow",
                    self.offset
                ));
            }
            if bad {
                return fail(format!(
                    "it holds bytes that are not UTF-8 (at byte {}); relcheck reads XML \
                     reports in UTF-8, or UTF-16 with a byte-order mark",
                    self.offset
                ));
            }
        }
        let n = good.min(out.len());
        out[..n].copy_from_slice(&held[..n]);
        self.checked = self.pos + good;
        self.take(n);
        Ok(n)
    }

    /// The next UTF-16 code unit, or `None` at the end of the input.
    fn unit(&mut self, little: bool) -> io::Result<Option<u16>> {
        while self.len - self.pos < 2 {
            if !self.fill()? {
                if self.pos < self.len {
                    return fail(format!(
                        "it ends in the middle of a UTF-16 character (at byte {})",
                        self.offset
                    ));
                }
                return Ok(None);
            }
        }
        let b = [self.buf[self.pos], self.buf[self.pos + 1]];
        self.take(2);
        Ok(Some(if little {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        }))
    }

    /// Decodes the next character into `pending`; `false` at the end of the input.
    fn next_char(&mut self, little: bool) -> io::Result<bool> {
        loop {
            let at = self.offset;
            let Some(unit) = self.unit(little)? else {
                if self.high.is_some() {
                    return fail("it ends inside a UTF-16 surrogate pair".to_owned());
                }
                return Ok(false);
            };
            let c = match (self.high.take(), unit) {
                (None, 0xD800..=0xDBFF) => {
                    self.high = Some(unit);
                    continue;
                }
                (Some(high), 0xDC00..=0xDFFF) => char::from_u32(
                    0x10000 + ((u32::from(high) - 0xD800) << 10) + (u32::from(unit) - 0xDC00),
                ),
                (None, 0xDC00..=0xDFFF) | (Some(_), _) => None,
                (None, unit) => char::from_u32(u32::from(unit)),
            };
            let Some(c) = c else {
                return fail(format!(
                    "it holds an unpaired UTF-16 surrogate (at byte {at})"
                ));
            };
            if c == '\0' {
                return fail(format!(
                    "it holds a NUL character (at byte {at}), which XML does not allow"
                ));
            }
            self.pending_len = c.encode_utf8(&mut self.pending).len();
            self.pending_pos = 0;
            return Ok(true);
        }
    }
}

impl<R: Read> Read for Decoded<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        if self.mode == Mode::Undecided {
            self.decide()?;
        }
        let little = match self.mode {
            Mode::Utf16 { little } => little,
            Mode::Utf8 | Mode::Undecided => return self.read_utf8(out),
        };
        let mut written = 0;
        while written < out.len() {
            if self.pending_pos == self.pending_len && !self.next_char(little)? {
                break;
            }
            let n = (self.pending_len - self.pending_pos).min(out.len() - written);
            out[written..written + n]
                .copy_from_slice(&self.pending[self.pending_pos..self.pending_pos + n]);
            self.pending_pos += n;
            written += n;
        }
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Gives at most one byte per `read`.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            match (self.0.split_first(), out.first_mut()) {
                (Some((b, rest)), Some(o)) => {
                    *o = *b;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    fn decode(bytes: &[u8]) -> Result<String, String> {
        let mut whole = String::new();
        let a = Decoded::new(bytes)
            .read_to_string(&mut whole)
            .map(|_| whole)
            .map_err(|e| not_text(&e).unwrap_or_else(|| e.to_string()));
        let mut trickled = String::new();
        let b = Decoded::new(Trickle(bytes))
            .read_to_string(&mut trickled)
            .map(|_| trickled)
            .map_err(|e| not_text(&e).unwrap_or_else(|| e.to_string()));
        assert_eq!(a, b, "the result depends on how the bytes arrive");
        a
    }

    fn utf16(s: &str, little: bool) -> Vec<u8> {
        let mut out = if little {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for u in s.encode_utf16() {
            out.extend(if little {
                u.to_le_bytes()
            } else {
                u.to_be_bytes()
            });
        }
        out
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_transcoded() {
        let text = "<testsuite name='é 😀'><testcase/></testsuite>";
        for little in [true, false] {
            assert_eq!(decode(&utf16(text, little)).as_deref(), Ok(text));
        }
        assert_eq!(decode(b"<a/>").as_deref(), Ok("<a/>"));
        assert_eq!(decode(b"").as_deref(), Ok(""));
    }

    #[test]
    fn plain_ascii_counts_whole_steps_of_plain_ascii() {
        let text = vec![b'a'; 3 * STEP + 5];
        assert_eq!(plain_ascii(&text), 3 * STEP);
        for at in [0, 1, STEP - 1, STEP, 2 * STEP + 7] {
            for odd in [0u8, 0x80, 0xC3, 0xFF] {
                let mut b = text.clone();
                b[at] = odd;
                assert_eq!(plain_ascii(&b), at / STEP * STEP, "{odd:#x} at {at}");
            }
        }
    }

    #[test]
    fn text_prefix_is_the_utf8_prefix_up_to_the_first_nul() {
        let pieces: [&[u8]; 9] = [
            b"abcdefgh",
            b"<testcase name=\"x\"/>\n",
            "\u{e9}".as_bytes(),
            "\u{20ac}".as_bytes(),
            "\u{1f600}".as_bytes(),
            b"\0",
            b"\xff",
            b"\xe2\x82",
            b"\x80",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for round in 0..3000 {
            let mut b = Vec::new();
            while b.len() < 300 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                // Mostly text, now and then something XML cannot hold.
                let k = usize::try_from(seed % 200).unwrap();
                let piece = if k < 190 {
                    pieces[k % 5]
                } else {
                    pieces[5 + k % 4]
                };
                b.extend_from_slice(piece);
            }
            let cut = usize::try_from(seed % 300).unwrap();
            let b = &b[..cut.max(round % 300)];
            let valid = match std::str::from_utf8(b) {
                Ok(_) => b.len(),
                Err(e) => e.valid_up_to(),
            };
            let expected = memchr::memchr(0, &b[..valid]).unwrap_or(valid);
            assert_eq!(text_prefix(b), expected, "{b:?}");
        }
    }

    #[test]
    fn where_a_long_report_stops_being_text_does_not_depend_on_the_fast_check() {
        for at in [0, 5, STEP - 1, STEP, STEP + 1, 3 * STEP - 2, 3 * STEP + 4] {
            let mut b = vec![b'x'; 4 * STEP];
            b[at] = 0;
            assert_eq!(
                decode(&b).unwrap_err(),
                format!("it holds a NUL byte (at byte {at}), which XML does not allow")
            );
            b[at] = 0xFF;
            assert!(
                decode(&b)
                    .unwrap_err()
                    .starts_with(&format!("it holds bytes that are not UTF-8 (at byte {at})")),
                "{at}"
            );
            b[at] = 0xC3;
            b[at + 1] = 0xA9;
            let text = decode(&b).unwrap();
            assert_eq!(text.len(), b.len());
            assert!(text.contains('\u{e9}'));
        }
    }

    #[test]
    fn what_xml_cannot_hold_is_refused() {
        let nul = decode(b"<a>\0</a>").unwrap_err();
        assert_eq!(
            nul,
            "it holds a NUL byte (at byte 3), which XML does not allow"
        );
        let nul16 = decode(&utf16("<a>\0</a>", true)).unwrap_err();
        assert_eq!(
            nul16,
            "it holds a NUL character (at byte 8), which XML does not allow"
        );
        assert!(
            decode(&[0xFF, 0xFE, 0, 0, b'<', 0, 0, 0])
                .unwrap_err()
                .contains("UTF-32")
        );
        assert!(
            decode(&[0, b'<', 0, b'a'])
                .unwrap_err()
                .contains("big-endian")
        );
        assert!(
            decode(&[b'<', 0, b'a', 0])
                .unwrap_err()
                .contains("little-endian")
        );
        let mut odd = utf16("<a/>", true);
        odd.push(b'x');
        assert!(
            decode(&odd)
                .unwrap_err()
                .contains("middle of a UTF-16 character")
        );
        let mut lone = utf16("<a>", true);
        lone.extend([0x00, 0xD8, b'<', 0]);
        assert!(
            decode(&lone)
                .unwrap_err()
                .contains("unpaired UTF-16 surrogate")
        );
    }
}
