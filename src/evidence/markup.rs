//! XML markup read in blocks: the tokenizer of every XML evidence reader (JUnit, Cobertura,
//! JaCoCo).
//!
//! The report's text (already checked to be UTF-8 without NUL by [`Decoded`]) is read into
//! one buffer a block at a time, and each tag is handed on as a quick-xml [`BytesStart`]
//! borrowed from that buffer: no copy of the tag, no call per byte range into a buffered
//! reader. A tag cut by the end of a block is completed by the next read (up to
//! [`MAX_NODE_BYTES`]); text, comments and CDATA sections are skipped wherever they end,
//! in bounded memory, however long they are, unless the caller asks for the text (the
//! Cobertura reader, inside `<source>`): then a run of text is one node.
//!
//! It refuses what quick-xml's reader refuses in the markup relcheck reads: an end tag
//! that does not close the open element (or closes none), markup the file ends inside, a
//! `<!` that opens neither a comment nor a CDATA section, and a `<!DOCTYPE>` (so any entity
//! declaration: nothing is ever expanded) unless the caller judges it (the coverage
//! readers allow one naming an external DTD). Attributes are the caller's to check. Unit
//! tests and the `junit`, `cobertura` and `jacoco` fuzz targets hold it to quick-xml's
//! reader, which each reader keeps as its oracle.
//!
//! What every XML evidence reader shares lives here too: the node limit, and the words for
//! quick-xml's errors that the oracles give.

use std::io::Read;

use quick_xml::events::BytesStart;

use super::decode::{Decoded, not_text};
use super::source::BudgetExceeded;

/// The most one XML node (a start tag with its attributes, a declaration) may take; every
/// XML evidence reader's limit (`junit::MAX_NODE_BYTES`).
pub(super) const MAX_NODE_BYTES: u64 = 16 << 20;

/// The most attributes a tag may have to be plainly written (the plain scans' limit).
pub(super) const PLAIN_MAX: usize = 12;

/// Bytes read at a time.
const BLOCK: usize = 256 << 10;

/// What [`Markup::next`] found.
pub(super) enum Tag<'a> {
    /// `<name ...>`; the element is now open. With whether its attributes are well-formed
    /// and plainly written ([`plain_by_quotes`]).
    Start(BytesStart<'a>, bool),
    /// `<name .../>`.
    Empty(BytesStart<'a>, bool),
    /// The end tag of the innermost open element.
    End,
    /// Text inside the root element, raw (references not resolved), up to the next markup:
    /// only when [`Markup::want_text`] asked for it.
    Text(&'a str),
    /// A `<!DOCTYPE`'s content after its keyword (up to its `>`, or up to and with the `[`
    /// of an internal subset): only from [`Markup::with_doctype`].
    DocType(&'a str),
}

/// The quote offsets kept per tag (where its values open and close, as the scan for its end
/// found them): a dozen attributes.
const QUOTES_KEPT: usize = 24;

/// Why a report with a `<!DOCTYPE>` is refused.
pub(super) const DTD: &str =
    "it declares a DTD (<!DOCTYPE>); relcheck never reads DTDs or entity declarations";

/// The tokenizer over a report's bytes.
pub(super) struct Markup<R> {
    src: Decoded<R>,
    buf: Vec<u8>,
    /// `buf[lo..hi]`: read and not yet taken.
    lo: usize,
    hi: usize,
    /// The offset in the text of `buf[0]`.
    base: u64,
    eof: bool,
    /// The names of the open elements, one after another, and where each starts.
    names: String,
    starts: Vec<usize>,
    /// Whether the first bytes were looked at for a byte-order mark.
    begun: bool,
    /// The current tag's quote offsets (into its content, after `<`, in pairs), how many,
    /// and whether some were left out.
    quotes: [u32; QUOTES_KEPT],
    quoted: usize,
    quotes_left_out: bool,
    search: Search,
    asks: Asks,
}

/// What the caller asks of the tokenizer beyond tags.
#[derive(Default)]
struct Asks {
    /// Text inside the root, handed on (else skipped unread).
    text: bool,
    /// A `<!DOCTYPE>`, handed on (else refused).
    doctype: bool,
    /// Every `&` in text inside the root begins a reference closed by `;` before the next
    /// `&` or markup, as quick-xml's reader requires of the text it reads (else malformed).
    references: bool,
}

/// The byte searches of a tag's scan, built once: `memchr`'s functions build their searcher
/// on every call, which costs more than the search itself over a short attribute value.
struct Search {
    #[cfg(target_arch = "x86_64")]
    avx2: Option<(
        memchr::arch::x86_64::avx2::memchr::Three,
        memchr::arch::x86_64::avx2::memchr::One,
        memchr::arch::x86_64::avx2::memchr::One,
        memchr::arch::x86_64::avx2::memchr::One,
    )>,
}

impl Search {
    fn new() -> Search {
        #[cfg(target_arch = "x86_64")]
        use memchr::arch::x86_64::avx2::memchr::{One, Three};
        Search {
            #[cfg(target_arch = "x86_64")]
            avx2: Three::new(b'>', b'"', b'\'')
                .zip(One::new(b'"'))
                .zip(One::new(b'\''))
                .zip(One::new(b'&'))
                .map(|(((t, d), s), a)| (t, d, s, a)),
        }
    }

    /// The first `>`, `"` or `'`.
    #[inline]
    fn tag_end(&self, h: &[u8]) -> Option<usize> {
        #[cfg(target_arch = "x86_64")]
        if let Some((three, _, _, _)) = &self.avx2 {
            return three.find(h);
        }
        memchr::memchr3(b'>', b'"', b'\'', h)
    }

    /// The first `q`, a quote.
    #[inline]
    fn quote(&self, q: u8, h: &[u8]) -> Option<usize> {
        #[cfg(target_arch = "x86_64")]
        if let Some((_, double, single, _)) = &self.avx2 {
            return if q == b'"' {
                double.find(h)
            } else {
                single.find(h)
            };
        }
        memchr::memchr(q, h)
    }

    /// Whether `h` holds a `&`.
    #[inline]
    fn amp(&self, h: &[u8]) -> bool {
        self.amp_at(h).is_some()
    }

    /// The first `&` in `h`.
    #[inline]
    fn amp_at(&self, h: &[u8]) -> Option<usize> {
        #[cfg(target_arch = "x86_64")]
        if let Some((_, _, _, amp)) = &self.avx2 {
            return amp.find(h);
        }
        memchr::memchr(b'&', h)
    }
}

/// A quick-xml error in words: a node over [`MAX_NODE_BYTES`], bytes that are no text, or the
/// position of malformed XML. Shared by every XML evidence reader.
pub(super) fn xml_error(e: &quick_xml::Error, at: u64) -> String {
    if let quick_xml::Error::Io(io) = e {
        if matches!(io.get_ref(), Some(i) if i.is::<BudgetExceeded>()) {
            return format!(
                "one XML node near byte {at} is longer than {} MiB",
                MAX_NODE_BYTES >> 20
            );
        }
        if let Some(why) = not_text(io) {
            return why;
        }
    }
    format!("malformed XML at byte {at}: {e}")
}

/// Why reading the report failed: the bytes are no text XML can hold, or the read itself.
pub(super) fn io_message(e: &std::io::Error) -> String {
    not_text(e).unwrap_or_else(|| format!("cannot read the report: {e}"))
}

/// What a tag the text ends inside is.
const TAG_NOT_CLOSED: &str = "syntax error: tag not closed: `>` not found before end of input";

/// `bytes`, which start at offset `at` of the text, as text: cut at ASCII markup from text
/// the decoder checked, they always are; `Err` names the place if not.
fn utf8(bytes: &[u8], at: u64) -> Result<&str, String> {
    std::str::from_utf8(bytes).map_err(|_| malformed_at(at, "not UTF-8 text"))
}

fn malformed_at(at: u64, what: &str) -> String {
    format!("malformed XML at byte {at}: {what}")
}

/// Whether every `&` of `text` (which starts with one) begins a reference closed by `;`
/// before the next `&`: `Dangling` at the first that is not, `Open` at one the text ends
/// inside.
enum Refs {
    Closed,
    Dangling(usize),
    Open(usize),
}

fn references(text: &[u8]) -> Refs {
    let mut at = 0;
    while let Some(i) = memchr::memchr(b'&', &text[at..]) {
        let amp = at + i;
        match memchr::memchr2(b';', b'&', &text[amp + 1..]) {
            Some(j) if text[amp + 1 + j] == b';' => at = amp + 2 + j,
            Some(_) => return Refs::Dangling(amp),
            None => return Refs::Open(amp),
        }
    }
    Refs::Closed
}

/// XML's whitespace (text between elements outside the root may hold nothing else; a form
/// feed is let through, as the reader before this one let it).
fn blank(b: &[u8]) -> bool {
    b.iter().all(u8::is_ascii_whitespace)
}

impl<R: Read> Markup<R> {
    pub(super) fn new(input: R) -> Self {
        Markup {
            src: Decoded::new(input),
            buf: vec![0; BLOCK],
            lo: 0,
            hi: 0,
            base: 0,
            eof: false,
            names: String::new(),
            starts: Vec::new(),
            begun: false,
            quotes: [0; QUOTES_KEPT],
            quoted: 0,
            quotes_left_out: false,
            search: Search::new(),
            asks: Asks::default(),
        }
    }

    /// A tokenizer that hands a `<!DOCTYPE>` on for the caller to judge.
    pub(super) fn with_doctype(input: R) -> Self {
        let mut m = Markup::new(input);
        m.asks.doctype = true;
        m.asks.references = true;
        m
    }

    /// Whether the text up to the next markup is to be handed on ([`Tag::Text`]).
    pub(super) fn want_text(&mut self, want: bool) {
        self.asks.text = want;
    }

    /// Whether an element is open (the root's content is being read).
    pub(super) fn inside_root(&self) -> bool {
        !self.starts.is_empty()
    }

    /// Reads more after what is held (moved to the front first); `false` at the end of the
    /// text. `keep` bytes from `lo` must stay whole: a buffer too small for them grows, up
    /// to the node limit.
    fn fill(&mut self) -> Result<bool, String> {
        if self.eof {
            return Ok(false);
        }
        if self.lo > 0 {
            self.buf.copy_within(self.lo..self.hi, 0);
            self.hi -= self.lo;
            self.base += self.lo as u64;
            self.lo = 0;
        }
        // What is held now is one node being read (a tag, a declaration).
        if self.hi as u64 > MAX_NODE_BYTES {
            return Err(format!(
                "one XML node near byte {} is longer than {} MiB",
                self.base,
                MAX_NODE_BYTES >> 20
            ));
        }
        if self.hi == self.buf.len() {
            // The node fills the buffer: it grows, to the limit and a block past it.
            let cap = usize::try_from(MAX_NODE_BYTES).unwrap_or(usize::MAX) + BLOCK;
            let grown = (self.buf.len() * 2).min(cap);
            self.buf.resize(grown, 0);
        }
        let n = loop {
            match self.src.read(&mut self.buf[self.hi..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(io_message(&e)),
            }
        };
        if n == 0 {
            self.eof = true;
            return Ok(false);
        }
        self.hi += n;
        Ok(true)
    }

    /// An error at `at` (an index into `buf`), worded as the reader before this one worded
    /// it.
    fn malformed(&self, at: usize, what: &str) -> String {
        malformed_at(self.base_of(at), what)
    }

    /// The offset in the text of `buf[at]`, taken before a read moves the buffer.
    fn base_of(&self, at: usize) -> u64 {
        self.base + at as u64
    }

    /// Whether the node from `lo` to its `>` at `gt` is within the node limit.
    fn fits(&self, gt: usize) -> Result<(), String> {
        if (gt - self.lo) as u64 >= MAX_NODE_BYTES {
            return Err(format!(
                "one XML node near byte {} is longer than {} MiB",
                self.base_of(self.lo),
                MAX_NODE_BYTES >> 20
            ));
        }
        Ok(())
    }

    /// The next tag, `None` at the end of the text.
    pub(super) fn next(&mut self) -> Result<Option<Tag<'_>>, String> {
        if !self.begun {
            // A UTF-8 byte-order mark is no text: skipped, however the first reads fall.
            while self.hi < 3 && self.fill()? {}
            if self.buf[..self.hi].starts_with(b"\xEF\xBB\xBF") {
                self.lo = 3;
            }
            self.begun = true;
        }
        loop {
            // Text up to the next markup.
            let held = &self.buf[self.lo..self.hi];
            let lt = memchr::memchr(b'<', held);
            if self.asks.text && self.inside_root() && lt != Some(0) && !held.is_empty() {
                // The whole run, read on until its end (within the node limit).
                if lt.is_none() && !self.eof {
                    self.fill()?;
                    continue;
                }
                let (start, end) = (self.lo, lt.map_or(self.hi, |i| self.lo + i));
                self.lo = end;
                let text = utf8(&self.buf[start..end], self.base_of(start))?;
                return Ok(Some(Tag::Text(text)));
            }
            let text = &held[..lt.unwrap_or(held.len())];
            if !self.inside_root() && !blank(text) {
                return Err("text outside the root element".into());
            }
            if self.asks.references
                && let Some(at) = self.search.amp_at(text)
            {
                match references(&text[at..]) {
                    Refs::Closed => {}
                    Refs::Open(i) if lt.is_none() && !self.eof => {
                        // The reference may close in the next read: keep it.
                        self.lo += at + i;
                        self.fill()?;
                        continue;
                    }
                    Refs::Open(i) | Refs::Dangling(i) => {
                        return Err(self.malformed(
                            self.lo + at + i,
                            "ill-formed document: entity or character reference not closed: `;` not found",
                        ));
                    }
                }
            }
            match lt {
                None => {
                    self.lo = self.hi;
                    if !self.fill()? {
                        return Ok(None);
                    }
                    continue;
                }
                Some(i) => self.lo += i,
            }
            // At `<`: enough to tell the markup apart (`<![CDATA[` is the longest opening).
            if self.hi - self.lo < 9 && !self.eof {
                self.fill()?;
                continue;
            }
            let m = &self.buf[self.lo..self.hi];
            match m.get(1) {
                None => {
                    return Err(self.malformed(self.lo, TAG_NOT_CLOSED));
                }
                Some(b'/') => return self.end_tag(),
                Some(b'?') => {
                    let at = self.base_of(self.lo);
                    // `<?>` is no processing instruction: its `?` opens it, none closes it
                    // (as quick-xml reads it; found by fuzzing).
                    if m.get(2) == Some(&b'>') || !self.skip_past(2, b"?>", Some(MAX_NODE_BYTES))? {
                        return Err(malformed_at(
                            at,
                            "syntax error: processing instruction or xml declaration not closed: `?>` not found before end of input",
                        ));
                    }
                }
                Some(b'!') => {
                    let closed = if m.starts_with(b"<!--") {
                        self.skip_past(4, b"-->", None)?
                    } else if m.starts_with(b"<![CDATA[") {
                        if !self.inside_root() {
                            return Err("a CDATA section outside the root element".into());
                        }
                        self.skip_past(9, b"]]>", None)?
                    } else if matches!(m.get(2), Some(b'D' | b'd')) {
                        if !self.asks.doctype {
                            return Err(DTD.into());
                        }
                        return self.doctype();
                    } else {
                        return Err(self.malformed(
                            self.lo,
                            "syntax error: unknown or missed symbol in markup",
                        ));
                    };
                    if !closed {
                        return Err("the report ends inside a CDATA section or comment".into());
                    }
                }
                Some(_) => return self.start_tag(),
            }
        }
    }

    /// Skips from `<` past `close`, searched from `from` bytes after the `<`, across reads
    /// and in bounded memory; with a `limit`, fails once the markup is longer. `false`: the
    /// text ends first.
    fn skip_past(&mut self, from: usize, close: &[u8], limit: Option<u64>) -> Result<bool, String> {
        let opened = self.base + self.lo as u64;
        let mut at = self.lo + from;
        loop {
            let found = memchr::memmem::find(&self.buf[at.min(self.hi)..self.hi], close);
            let upto = found.map_or(self.hi, |i| at + i + close.len());
            if limit.is_some_and(|l| self.base + upto as u64 - opened > l) {
                return Err(format!(
                    "one XML node near byte {opened} is longer than {} MiB",
                    MAX_NODE_BYTES >> 20
                ));
            }
            if found.is_some() {
                self.lo = upto;
                return Ok(true);
            }
            // Only the last bytes, one fewer than `close`, may begin it: the rest is dropped.
            self.lo = self.hi.saturating_sub(close.len() - 1).max(at.min(self.hi));
            if !self.fill()? {
                return Ok(false);
            }
            at = self.lo;
        }
    }

    /// At `<!D`: the `<!DOCTYPE`'s content, read as quick-xml reads it up to its `>` (quoted
    /// literals may hold one) or to the `[` of an internal subset.
    fn doctype(&mut self) -> Result<Option<Tag<'_>>, String> {
        let m = &self.buf[self.lo..self.hi];
        if m.len() < 9 || !m[2..9].eq_ignore_ascii_case(b"DOCTYPE") {
            return Err(self.malformed(self.lo, "syntax error: unknown or missed symbol in markup"));
        }
        let mut at = self.lo + 9;
        let mut quote = None;
        let end = 'scan: loop {
            while at < self.hi {
                let b = self.buf[at];
                if let Some(q) = quote {
                    quote = (b != q).then_some(q);
                } else if matches!(b, b'"' | b'\'') {
                    quote = Some(b);
                } else if matches!(b, b'[' | b'>') {
                    break 'scan at;
                }
                at += 1;
            }
            let done = at - self.lo;
            if !self.fill()? {
                return Err(self.malformed(
                    self.lo,
                    "syntax error: DOCTYPE not closed: `>` not found before end of input",
                ));
            }
            at = self.lo + done;
        };
        self.fits(end)?;
        let subset = self.buf[end] == b'[';
        let content = &self.buf[self.lo + 9..if subset { end + 1 } else { end }];
        let skip = content
            .iter()
            .position(|&b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
        let Some(skip) = skip else {
            return Err(self.malformed(
                end,
                "ill-formed document: missing name of document type (DOCTYPE)",
            ));
        };
        let start = self.lo + 9 + skip;
        let stop = self.lo + 9 + content.len();
        self.lo = end + 1;
        let text = utf8(&self.buf[start..stop], self.base_of(start))?;
        Ok(Some(Tag::DocType(text)))
    }

    /// At `</`: the end tag of the innermost open element.
    fn end_tag(&mut self) -> Result<Option<Tag<'_>>, String> {
        let gt = loop {
            if let Some(i) = memchr::memchr(b'>', &self.buf[self.lo + 2..self.hi]) {
                break self.lo + 2 + i;
            }
            if !self.fill()? {
                return Err(self.malformed(self.lo, TAG_NOT_CLOSED));
            }
        };
        self.fits(gt)?;
        let content = &self.buf[self.lo + 2..gt];
        // Whitespace may follow the name.
        let name_end = content
            .iter()
            .rposition(|&b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
            .map_or(0, |i| i + 1);
        let name = &content[..name_end];
        let Some(start) = self.starts.pop() else {
            return Err(self.malformed(
                self.lo,
                &format!(
                    "ill-formed document: close tag `</{}>` does not match any open tag",
                    String::from_utf8_lossy(name)
                ),
            ));
        };
        if self.names.as_bytes()[start..] != *name {
            return Err(self.malformed(
                self.lo,
                &format!(
                    "ill-formed document: expected `</{}>`, but `</{}>` was found",
                    &self.names[start..],
                    String::from_utf8_lossy(name)
                ),
            ));
        }
        self.names.truncate(start);
        self.lo = gt + 1;
        Ok(Some(Tag::End))
    }

    /// At `<` and a name: the tag up to its `>` (outside quoted values).
    fn start_tag(&mut self) -> Result<Option<Tag<'_>>, String> {
        // Searched from here; inside a quoted value when `quote` is set.
        let mut from = 1;
        let mut quote = None;
        self.quoted = 0;
        self.quotes_left_out = false;
        let gt = 'find: loop {
            let held = &self.buf[self.lo..self.hi];
            loop {
                // Outside a value the tag's end or a value's opening quote, inside it the
                // closing quote.
                let found = match quote {
                    None => self.search.tag_end(&held[from..]),
                    Some(q) => self.search.quote(q, &held[from..]),
                };
                let Some(i) = found else { break };
                let b = held[from + i];
                from += i + 1;
                quote = match quote {
                    None if b == b'>' => break 'find self.lo + from - 1,
                    None => Some(b),
                    Some(_) => None,
                };
                // A quote that opens or closes a value: its offset in the content.
                match (self.quotes.get_mut(self.quoted), u32::try_from(from - 2)) {
                    (Some(slot), Ok(at)) => {
                        *slot = at;
                        self.quoted += 1;
                    }
                    _ => self.quotes_left_out = true,
                }
            }
            from = held.len();
            if !self.fill()? {
                return Err(self.malformed(self.lo, TAG_NOT_CLOSED));
            }
        };
        self.fits(gt)?;
        let content = &self.buf[self.lo + 1..gt];
        let (content, empty) = match content.strip_suffix(b"/") {
            Some(c) => (c, true),
            None => (content, false),
        };
        let name_len = content
            .iter()
            .position(|&b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
            .unwrap_or(content.len());
        // Cut at `<` and `>`, ASCII: whole characters of text already checked to be UTF-8.
        let text = utf8(content, self.base_of(self.lo + 1))?;
        if !empty {
            // The open elements' names are kept to check their end tags: together at most
            // one node's worth, so 256 nested elements of 16 MiB names cannot take 4 GiB.
            if (self.names.len() + name_len) as u64 > MAX_NODE_BYTES {
                return Err(format!(
                    "the names of the open elements are longer than {} MiB together",
                    MAX_NODE_BYTES >> 20
                ));
            }
            self.starts.push(self.names.len());
            self.names.push_str(&text[..name_len]);
        }
        self.lo = gt + 1;
        let tag = BytesStart::from_content(text, name_len);
        let plain = !self.quotes_left_out
            && plain_by_quotes(
                tag.attributes_raw(),
                name_len,
                &self.quotes[..self.quoted],
                &self.search,
            );
        Ok(Some(if empty {
            Tag::Empty(tag, plain)
        } else {
            Tag::Start(tag, plain)
        }))
    }
}

/// Whether a tag's attributes are well-formed and plainly written, decided from the quote
/// offsets its scan found: what
/// [`well_formed_plain`](super::coverage::well_formed_plain) decides (a unit test holds the
/// two together), without searching for the values' ends a second time. `raw` is the tag's
/// attributes as `BytesStart::attributes_raw` gives them, after a name `skip` bytes long
/// (the offsets count from the name's start).
fn plain_by_quotes(raw: &str, skip: usize, quotes: &[u32], search: &Search) -> bool {
    let b = raw.as_bytes();
    if !quotes.len().is_multiple_of(2) || quotes.len() / 2 > PLAIN_MAX || search.amp(b) {
        return false;
    }
    let ws = |c: &u8| matches!(c, b' ' | b'\t' | b'\r' | b'\n');
    let mut keys: [&[u8]; PLAIN_MAX] = [&[]; PLAIN_MAX];
    let mut i = 0;
    for (k, pair) in quotes.chunks_exact(2).enumerate() {
        let (Some(open), Some(close)) = (
            (pair[0] as usize).checked_sub(skip),
            (pair[1] as usize).checked_sub(skip),
        ) else {
            return false;
        };
        // Between values: whitespace, a key, `=`, right before the quote.
        let Some((&b'=', before)) = b.get(i..open).and_then(<[u8]>::split_last) else {
            return false;
        };
        let key = &before[before.iter().position(|c| !ws(c)).unwrap_or(before.len())..];
        if key.is_empty()
            || key.iter().any(|c| ws(c) || *c == b'=')
            || keys[..k]
                .iter()
                .any(|o| o.len() == key.len() && o[0] == key[0] && *o == key)
        {
            return false;
        }
        keys[k] = key;
        i = close + 1;
    }
    b.get(i..).is_some_and(|rest| rest.iter().all(ws))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every tag of `xml`, as `<name`, `<name/` or `/`, or the error.
    fn tags(xml: &[u8]) -> Result<Vec<String>, String> {
        let mut m = Markup::new(xml);
        let mut out = Vec::new();
        while let Some(tag) = m.next()? {
            out.push(match tag {
                Tag::Start(e, _) => format!("<{}", e.name().as_ref() as &str),
                Tag::Empty(e, _) => format!("<{}/", e.name().as_ref() as &str),
                Tag::End => "/".to_owned(),
                Tag::Text(t) => format!("text {t}"),
                Tag::DocType(d) => format!("doctype {d}"),
            });
        }
        Ok(out)
    }

    #[test]
    fn tags_with_their_attributes_and_what_is_skipped() {
        let xml = b"\xEF\xBB\xBF<?xml version='1.0'?>\n<!-- a > b --><a x='>' y=\"'\">text &amp; more<b/><![CDATA[<c>]]><?pi x?></a >\n";
        assert_eq!(tags(xml).unwrap(), ["<a", "<b/", "/"]);
        let mut m = Markup::new(&b"<t a='1' b=\"2\"/>"[..]);
        let Some(Tag::Empty(e, plain)) = m.next().unwrap() else {
            panic!("not an empty tag");
        };
        assert_eq!(e.attributes_raw(), " a='1' b=\"2\"");
        assert!(plain);
        assert_eq!(m.quotes[..m.quoted], [4, 6, 10, 12]);
    }

    /// The decision from the scan's quote offsets is the plain scan's, on tags written
    /// every way the plain scan tells apart.
    #[test]
    fn plain_by_quotes_agrees_with_the_plain_scan() {
        let mut raws = vec![
            String::new(),
            " classname=\"a.b\" name=\"t[x-1]\" time=\"0.001\"".into(),
            "\n\ta=\"1\"\r\n b='x\ty'  ".into(),
            " x:a=\"1\" a=\"2\"".into(),
            " a=\"1\"b=\"2\"".into(),
            " a=\"&amp;\"".into(),
            " a=\"1\" a=\"2\"".into(),
            " a = \"1\"".into(),
            " a= \"1\"".into(),
            " a =\"1\"".into(),
            " a=1".into(),
            " a".into(),
            " =\"1\"".into(),
            " a=b=\"1\"".into(),
            " a=\"x>y\" b='\"' c=\"'\"".into(),
            " a=\"1\" junk".into(),
            " a=\"1\" &b=\"2\"".into(),
        ];
        let many: String = (0..13).map(|i| format!(" k{i}=\"{i}\"")).collect();
        raws.push(many);
        raws.push((0..12).map(|i| format!(" k{i}='{i}'")).collect());
        for raw in raws {
            let xml = format!("<t{raw}>");
            let mut m = Markup::new(xml.as_bytes());
            let Some(Tag::Start(_, by_quotes)) = m.next().unwrap() else {
                panic!("{raw:?} is no start tag");
            };
            assert_eq!(
                by_quotes,
                super::super::coverage::well_formed_plain(&raw),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn text_and_doctypes_when_asked_for() {
        let xml = b"<!DOCTYPE coverage SYSTEM 'a>b.dtd'><coverage><source>/a &amp; b</source> <x/></coverage>";
        let mut m = Markup::with_doctype(&xml[..]);
        let mut seen = Vec::new();
        while let Some(tag) = m.next().unwrap() {
            let (shown, source) = match tag {
                Tag::Start(e, _) => (
                    format!("<{}", e.name().as_ref() as &str),
                    e.name().as_ref() == "source",
                ),
                Tag::Empty(e, _) => (format!("<{}/", e.name().as_ref() as &str), false),
                Tag::End => ("/".to_owned(), false),
                Tag::Text(t) => (format!("text {t}"), false),
                Tag::DocType(d) => (format!("doctype {d}"), false),
            };
            seen.push(shown);
            // Text is wanted inside <source> only.
            m.want_text(source);
        }
        assert_eq!(
            seen,
            [
                "doctype coverage SYSTEM 'a>b.dtd'",
                "<coverage",
                "<source",
                "text /a &amp; b",
                "/",
                "<x/",
                "/"
            ]
        );
        // An internal subset is handed on up to its `[` (for the caller to refuse).
        let mut m = Markup::with_doctype(&b"<!doctype x [<!ENTITY a 'b'>]><x/>"[..]);
        assert!(matches!(m.next().unwrap(), Some(Tag::DocType("x ["))));
        for bad in [
            &b"<!DOCTYPE>"[..],
            b"<!DOCTYPEx",
            b"<!DOCTYP x>",
            b"<!DOCTYPE x",
        ] {
            assert!(Markup::with_doctype(bad).next().is_err(), "{bad:?}");
        }
    }

    /// Read for the coverage readers, every `&` in text must begin a closed reference, as
    /// quick-xml's reader requires, wherever the reads fall.
    #[test]
    fn references_in_skipped_text_are_checked_when_asked() {
        let read = |xml: &[u8]| {
            let mut m = Markup::with_doctype(xml);
            while m.next()?.is_some() {}
            Ok::<(), String>(())
        };
        assert!(read(b"<a>x &amp; y &#65; &lt;&gt;</a>").is_ok());
        for bad in [
            &b"<a>x & y</a>"[..],
            b"<a>&amp</a>",
            b"<a>&&amp;</a>",
            b"<a><b/>&",
        ] {
            let err = read(bad).unwrap_err();
            assert!(err.contains("reference not closed"), "{bad:?}: {err}");
        }
        // A reference cut by the end of a read is completed by the next.
        for at in [
            BLOCK - 3,
            BLOCK - 1,
            BLOCK,
            BLOCK + 1,
            (64 << 10) - 2,
            64 << 10,
        ] {
            let mut xml = b"<a>".to_vec();
            xml.resize(at, b' ');
            xml.extend_from_slice(b"&amp; &#x41;</a>");
            assert!(read(&xml).is_ok(), "{at}");
            let mut xml = b"<a>".to_vec();
            xml.resize(at, b' ');
            xml.extend_from_slice(b"&amp &#x41;</a>");
            assert!(read(&xml).is_err(), "{at}");
        }
        // The JUnit reader skips text unread.
        let mut m = Markup::new(&b"<a>x & y</a>"[..]);
        while m.next().unwrap().is_some() {}
    }

    #[test]
    fn end_tags_must_close_the_open_element() {
        assert_eq!(
            tags(b"<a><b></a>").unwrap_err(),
            "malformed XML at byte 6: ill-formed document: expected `</b>`, but `</a>` was found"
        );
        assert_eq!(
            tags(b"<a/></a>").unwrap_err(),
            "malformed XML at byte 4: ill-formed document: close tag `</a>` does not match any open tag"
        );
        assert_eq!(tags(b"<x:a></x:a\t\n>").unwrap(), ["<x:a", "/"]);
    }

    #[test]
    fn markup_the_text_ends_inside_is_refused() {
        for (xml, why) in [
            (&b"<a"[..], "tag not closed"),
            (b"<a x='>", "tag not closed"),
            (b"<a></a", "tag not closed"),
            (b"<a><", "tag not closed"),
            (b"<a><!-- x -", "ends inside a CDATA section or comment"),
            (
                b"<a><![CDATA[ x ]]",
                "ends inside a CDATA section or comment",
            ),
            (b"<?xml ", "`?>` not found"),
            (b"<?>?><a/>", "`?>` not found"),
            (b"<a><!x>", "unknown or missed symbol"),
            (b"&#65;<a/>", "text outside the root element"),
            (
                b"<![CDATA[x]]><a/>",
                "a CDATA section outside the root element",
            ),
        ] {
            let err = tags(xml).unwrap_err();
            assert!(err.contains(why), "{}: {err}", String::from_utf8_lossy(xml));
        }
        assert_eq!(tags(b"<!DOCTYPE a><a/>").unwrap_err(), DTD);
    }

    #[test]
    fn long_text_comments_and_cdata_stream_but_a_long_tag_or_declaration_is_refused() {
        let long = "x]-".repeat(2 * BLOCK);
        let xml = format!("<a>{long}<!--{long}--><![CDATA[{long}]]></a>");
        assert_eq!(tags(xml.as_bytes()).unwrap(), ["<a", "/"]);
        let limit = usize::try_from(MAX_NODE_BYTES).unwrap();
        let x = "x".repeat(limit);
        let err = tags(format!("<a>\n<b c='{x}'/></a>").as_bytes()).unwrap_err();
        assert_eq!(err, "one XML node near byte 4 is longer than 16 MiB");
        let err = tags(format!("<?pi {x}?><a/>").as_bytes()).unwrap_err();
        assert_eq!(err, "one XML node near byte 0 is longer than 16 MiB");
        let name = "n".repeat(limit / 3);
        let err = tags(format!("<{name}><{name}><{name}><{name}>").as_bytes()).unwrap_err();
        assert_eq!(
            err,
            "the names of the open elements are longer than 16 MiB together"
        );
        let near = "x".repeat(limit - 100);
        assert_eq!(
            tags(format!("<?pi {near}?><a b='{near}'/>").as_bytes()).unwrap(),
            ["<a/"]
        );
    }
}
