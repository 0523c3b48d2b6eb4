//! Streaming Cobertura XML (as coverage.py's `coverage xml`, gcovr and many others write it):
//! the `<source>` folders and, per reported file, which lines are coverable and which are
//! covered.
//!
//! Read tag by tag with the block tokenizer (`markup.rs`), the text of `<source>` handed on
//! as quick-xml's reader would, each node at most [`MAX_NODE_BYTES`]; the lines kept
//! are bounded by [`MAX_LINES`] and the files by [`MAX_FILES`]: over either, the report is
//! unreadable (RC013) rather than memory growing with it. A `<!DOCTYPE>` naming an external
//! DTD is allowed and never fetched; one with an internal subset (entity declarations)
//! makes the report unreadable, and an entity reference that is not XML's own is malformed.
//! [`super::code`] resolves the files to identities under the root and merges the reports.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::Arc;

use quick_xml::Reader;
use quick_xml::events::{BytesEnd, BytesRef, BytesStart, BytesText, Event};

use super::decode::Decoded;
use super::markup::{io_message, xml_error};
use super::source::Source;

/// The most one XML node (a tag with its attributes, a `<source>` text) may take: the same
/// bound as the JUnit reader's.
pub use super::junit::MAX_NODE_BYTES;
use super::markup::PLAIN_MAX;
/// The most `<line>` entries kept per report.
pub const MAX_LINES: usize = 10_000_000;
/// The most distinct files kept per report.
pub const MAX_FILES: usize = 1_000_000;
/// The deepest element nesting read.
pub const MAX_DEPTH: usize = 64;

/// Checks an element about to open at `depth` (the open elements around it): the one root
/// element must be the format's (`root`, named after `format` in the error), and nesting stays
/// within [`MAX_DEPTH`]. Shared by the Cobertura and JaCoCo readers.
pub(super) fn entering(
    tag: &str,
    depth: usize,
    root_done: bool,
    (root, format): (&str, &str),
) -> Result<(), String> {
    if depth == 0 {
        if root_done {
            return Err(format!("a second root element <{tag}>"));
        }
        if tag != root {
            return Err(format!(
                "the root element is <{tag}>, not {format}'s <{root}>"
            ));
        }
    }
    if depth >= MAX_DEPTH {
        return Err(format!("elements nested deeper than {MAX_DEPTH} levels"));
    }
    Ok(())
}

/// An element's name without its namespace prefix, as quick-xml's `local_name` gives it,
/// found by a walk over its few bytes instead of a general string search (this runs for
/// every element of a report).
#[inline]
pub(super) fn local_name<'a>(e: &'a BytesStart<'_>) -> &'a str {
    let name = e.name().into_inner();
    match name.bytes().position(|b| b == b':') {
        Some(at) => &name[at + 1..],
        None => name,
    }
}

/// One reported file's lines: each line number once, in order, with whether it is covered
/// (hits above zero), merged over the entries that name the file. Packed: the sorted line
/// numbers (4 bytes a line) and a bit per line for covered, about half of a vector of pairs
/// and a quarter of a map. Shared between the per-run cache of the report and the merge
/// over reports (a clone is a count, not a copy); rebuilt only when lines are added.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lines(Arc<Packed>);

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Packed {
    /// Line numbers, ascending, each once.
    numbers: Vec<u32>,
    /// Bit `i % 64` of word `i / 64`: line `numbers[i]` is covered; unused bits are 0.
    covered: Vec<u64>,
}

impl Packed {
    /// From pairs sorted by number, each number once.
    fn from_sorted(pairs: &[(u32, bool)]) -> Packed {
        let mut covered = vec![0u64; pairs.len().div_ceil(64)];
        for (i, &(_, c)) in pairs.iter().enumerate() {
            covered[i / 64] |= u64::from(c) << (i % 64);
        }
        Packed {
            numbers: pairs.iter().map(|p| p.0).collect(),
            covered,
        }
    }

    fn pairs(&self) -> impl Iterator<Item = (u32, bool)> + '_ {
        self.numbers
            .iter()
            .enumerate()
            .map(|(i, &n)| (n, self.covered[i / 64] >> (i % 64) & 1 == 1))
    }
}

impl Lines {
    pub fn new() -> Self {
        Lines::default()
    }

    /// How many distinct lines (the coverable ones).
    pub fn len(&self) -> usize {
        self.0.numbers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.numbers.is_empty()
    }

    /// How many of them are covered.
    pub fn covered(&self) -> usize {
        self.0.covered.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// (line, covered), by line number.
    pub fn iter(&self) -> impl Iterator<Item = (u32, bool)> + '_ {
        self.0.pairs()
    }

    /// Adds the lines a reader collected for one entry, in any order and with repeats
    /// (`raw` is left empty, its allocation kept for the next entry): a line is covered
    /// when any entry covers it.
    pub(super) fn absorb(&mut self, raw: &mut Vec<(u32, bool)>) {
        normalize(raw);
        if self.is_empty() {
            self.0 = Arc::new(Packed::from_sorted(raw));
        } else {
            self.add(raw);
        }
        raw.clear();
    }

    /// Adds another report's lines of the same file.
    pub fn merge(&mut self, other: &Lines) {
        if self.is_empty() {
            self.0 = Arc::clone(&other.0);
        } else {
            let pairs: Vec<(u32, bool)> = other.iter().collect();
            self.add(&pairs);
        }
    }

    /// Adds `more` (sorted or not) to lines that are not empty.
    fn add(&mut self, more: &[(u32, bool)]) {
        let mut all: Vec<(u32, bool)> = self.iter().collect();
        all.extend_from_slice(more);
        normalize(&mut all);
        self.0 = Arc::new(Packed::from_sorted(&all));
    }
}

impl FromIterator<(u32, bool)> for Lines {
    fn from_iter<I: IntoIterator<Item = (u32, bool)>>(iter: I) -> Self {
        let mut raw: Vec<(u32, bool)> = iter.into_iter().collect();
        normalize(&mut raw);
        Lines(Arc::new(Packed::from_sorted(&raw)))
    }
}

/// Sorts `lines` by number and keeps each number once, covered when any copy is.
fn normalize(lines: &mut Vec<(u32, bool)>) {
    if lines.is_sorted_by(|a, b| a.0 < b.0) {
        return;
    }
    lines.sort_unstable_by_key(|l| l.0);
    let mut kept = 0;
    for i in 0..lines.len() {
        let (n, covered) = lines[i];
        if kept > 0 && lines[kept - 1].0 == n {
            lines[kept - 1].1 |= covered;
        } else {
            lines[kept] = (n, covered);
            kept += 1;
        }
    }
    lines.truncate(kept);
}

/// Hands each of a tag's attributes to `keep` as (key, value) when every one is plainly
/// written, ` key="value"`: separated by spaces, a key without namespace prefix, a quoted
/// value, no `&`, tab or line break anywhere in the tag (so nothing to normalise), no key
/// twice, at most [`PLAIN_MAX`]. `false` at the first that is not: the caller then reads
/// them all again with quick-xml's iterator, which gives the same values for plain
/// attributes (so what `keep` was handed is handed again, and `keep` must only record
/// values) and the errors for the rest. Scanning the raw bytes spares the hot elements
/// (`<line>`, `<testcase>`) the iterator's per-attribute bookkeeping: the tag is searched
/// once for what would need normalising, then each value for its closing quote.
// Out of line: the readers' per-element code stays small (measured: fewer instructions).
#[inline(never)]
pub(super) fn plain_attributes<F: FnMut(&str, &str)>(raw: &str, mut keep: F) -> bool {
    let b = raw.as_bytes();
    let n = b.len();
    if memchr::memchr3(b'&', b'\t', b'\n', b).is_some() || memchr::memchr(b'\r', b).is_some() {
        return false;
    }
    // The keys seen, as (start, end) in `raw`, for the duplicate check.
    let mut keys = [(0usize, 0usize); PLAIN_MAX];
    let mut seen = 0;
    let mut i = 0;
    loop {
        while i < n && b[i] == b' ' {
            i += 1;
        }
        if i == n {
            return true;
        }
        let key_start = i;
        // The key runs to `=`; a space or a `:` before it is not plain.
        let Some(len) = b[i..].iter().position(|&c| matches!(c, b'=' | b' ' | b':')) else {
            return false;
        };
        i += len;
        if b[i] != b'=' || len == 0 {
            return false;
        }
        let key_end = i;
        i += 1;
        let Some(&quote @ (b'"' | b'\'')) = b.get(i) else {
            return false;
        };
        i += 1;
        let value_start = i;
        let Some(len) = memchr::memchr(quote, &b[i..]) else {
            return false;
        };
        i += len;
        let key = &b[key_start..key_end];
        if seen == PLAIN_MAX
            || keys[..seen]
                .iter()
                .any(|&(s, e)| e - s == key.len() && &b[s..e] == key)
        {
            return false;
        }
        keys[seen] = (key_start, key_end);
        seen += 1;
        // Cut at ASCII bytes: both are whole UTF-8.
        if let (Some(key), Some(value)) = (raw.get(key_start..key_end), raw.get(value_start..i)) {
            keep(key, value);
        }
        i += 1;
    }
}

/// Whether a tag's attributes are all well-formed and plainly written, for an element none
/// of whose values is kept: ` key="value"` separated by XML whitespace (space, tab, carriage
/// return, line feed), no `&` anywhere in the tag (so no entity reference to check), no key
/// twice, at most [`PLAIN_MAX`]. What this accepts, quick-xml's checked iterator reads
/// without an error (a unit test holds the two together); `false` sends the caller to it.
/// Cheaper than [`plain_attributes`]: one search of the tag, nothing handed on.
#[inline(never)]
pub(super) fn well_formed_plain(raw: &str) -> bool {
    let b = raw.as_bytes();
    let n = b.len();
    if memchr::memchr(b'&', b).is_some() {
        return false;
    }
    let mut keys = [(0usize, 0usize); PLAIN_MAX];
    let mut seen = 0;
    let mut i = 0;
    loop {
        while i < n && matches!(b[i], b' ' | b'\t' | b'\r' | b'\n') {
            i += 1;
        }
        if i == n {
            return true;
        }
        let key_start = i;
        let Some(len) = b[i..]
            .iter()
            .position(|&c| matches!(c, b'=' | b' ' | b'\t' | b'\r' | b'\n'))
        else {
            return false;
        };
        i += len;
        if b[i] != b'=' || len == 0 {
            return false;
        }
        let key = &b[key_start..i];
        i += 1;
        let Some(&quote @ (b'"' | b'\'')) = b.get(i) else {
            return false;
        };
        i += 1;
        let Some(len) = memchr::memchr(quote, &b[i..]) else {
            return false;
        };
        i += len + 1;
        if seen == PLAIN_MAX
            || keys[..seen]
                .iter()
                .any(|&(s, e)| e - s == key.len() && &b[s..e] == key)
        {
            return false;
        }
        keys[seen] = (key_start, key_start + key.len());
        seen += 1;
    }
}

/// `v.trim().parse()`: a value of plain digits (nearly every one) without the general parse.
pub(super) fn number_in<T: std::str::FromStr + From<u32>>(v: &str) -> Option<T> {
    let b = v.as_bytes();
    if !b.is_empty() && b.len() <= 9 && b.iter().all(u8::is_ascii_digit) {
        Some(T::from(
            b.iter().fold(0u32, |n, &d| n * 10 + u32::from(d - b'0')),
        ))
    } else {
        v.trim().parse().ok()
    }
}

/// A `<line>`'s attributes written as coverage.py and most Cobertura writers write them,
/// exactly ` number="N" hits="H"` with plain digits (whitespace may follow): its number and
/// hits, read in one walk. `None` for any other writing, which [`plain_attributes`] and
/// quick-xml read instead, with the same result where this gives one (a unit test holds
/// the two together).
fn plain_line(raw: &str) -> Option<(u32, u64)> {
    let rest = after(raw.as_bytes(), b" number=\"")?;
    let (number, rest) = leading_digits(rest)?;
    let rest = after(rest, b"\" hits=\"")?;
    let (hits, rest) = leading_digits(rest)?;
    let rest = after(rest, b"\"")?;
    rest.iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        .then_some((number, u64::from(hits)))
}

/// What follows `head` when `b` starts with it (compared as one array, without a call).
#[inline]
fn after<'a, const N: usize>(b: &'a [u8], head: &[u8; N]) -> Option<&'a [u8]> {
    (b.first_chunk::<N>()? == head).then(|| &b[N..])
}

/// The number that 1 to 9 ASCII digits at the start of `b` write, and what follows them;
/// `None` for no digit, more than nine, or nothing after them.
#[inline]
fn leading_digits(b: &[u8]) -> Option<(u32, &[u8])> {
    let mut n = 0u32;
    for (i, &c) in b.iter().enumerate() {
        let digit = c.wrapping_sub(b'0');
        if digit > 9 {
            return (i > 0).then(|| (n, &b[i..]));
        }
        if i == 9 {
            return None;
        }
        n = n * 10 + u32::from(digit);
    }
    None
}

/// A parsed Cobertura report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cobertura {
    /// The `<source>` folders, in report order.
    pub sources: Vec<String>,
    /// Each `filename` as written, with its lines.
    pub files: BTreeMap<String, Lines>,
}

impl Cobertura {
    /// (covered, coverable) lines of one reported file.
    pub fn counts(lines: &Lines) -> (u64, u64) {
        (lines.covered() as u64, lines.len() as u64)
    }
}

/// The coverage report formats relcheck reads, recognised from the content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Cobertura,
    Jacoco,
    Lcov,
}

impl Format {
    /// How messages name it: `cannot be read as a JaCoCo XML report`.
    pub fn label(self) -> &'static str {
        match self {
            Format::Cobertura => "a Cobertura XML report",
            Format::Jacoco => "a JaCoCo XML report",
            Format::Lcov => "an lcov tracefile",
        }
    }
}

/// Reads a Cobertura report from `input` (UTF-8, or UTF-16 with a byte-order mark); `Err`
/// says why it is not one.
pub fn parse<R: Read>(input: R) -> Result<Cobertura, String> {
    let mut st = State::default();
    stream(input, &mut |ev| {
        st.event(ev)?;
        Ok(st.source.is_some())
    })?;
    st.finish()
}

/// The Cobertura reader on quick-xml's event reader, as it read before the block tokenizer:
/// kept as the oracle the tokenizer is held to (the `cobertura` fuzz target). Not used to
/// check releases.
#[doc(hidden)]
pub fn parse_reference<R: Read>(input: R) -> Result<Cobertura, String> {
    let mut st = State::default();
    stream_reference(input, &mut |ev| st.event(ev))?;
    st.finish()
}

/// Reads an XML coverage report whose root element tells its format: Cobertura's
/// `<coverage>` or JaCoCo's `<report>`, in the one streaming pass. The format is the one
/// the root element (or, before it, the `<!DOCTYPE>`) names; `None` when neither names one.
pub fn parse_xml<R: Read>(input: R) -> (Option<Format>, Result<Cobertura, String>) {
    let mut format = None;
    let mut cobertura = State::default();
    let mut jacoco = super::jacoco::State::default();
    // The root element a `<!DOCTYPE>` names: the format, for the message, when the report
    // is refused before its root element.
    let mut named = None;
    let read = stream(input, &mut |ev| {
        if let Event::DocType(d) = &ev {
            named = match d.as_ref().split_whitespace().next() {
                Some("coverage") => Some(Format::Cobertura),
                Some("report") => Some(Format::Jacoco),
                _ => None,
            };
        }
        if format.is_none()
            && let Event::Start(e) | Event::Empty(e) = &ev
        {
            format = match e.local_name().as_ref() {
                "coverage" => Some(Format::Cobertura),
                "report" => Some(Format::Jacoco),
                other => {
                    return Err(format!(
                        "the root element is <{other}>, not Cobertura's <coverage> or JaCoCo's <report>"
                    ));
                }
            };
        }
        // Before the root element (declaration, comments, DOCTYPE) both readers agree: the
        // Cobertura reader's checks stand for both.
        match format {
            Some(Format::Jacoco) => jacoco.event(ev).map(|()| false),
            _ => cobertura.event(ev).map(|()| cobertura.source.is_some()),
        }
    });
    let report = read.and_then(|()| match format {
        Some(Format::Jacoco) => jacoco.finish(),
        _ => cobertura.finish(),
    });
    (format.or(named), report)
}

/// Streams `input` (UTF-8, or UTF-16 with a byte-order mark) through the block tokenizer,
/// each node at most [`MAX_NODE_BYTES`], handing every tag to `on` as the quick-xml event
/// its reader would give; `on` says whether the text that follows is wanted (the text of a
/// `<source>`), which is then handed on as quick-xml splits it (text, and each reference
/// by itself); other text is skipped unread. The first `Err` stops the read. Shared by the
/// Cobertura and JaCoCo readers.
pub(super) fn stream<R: Read>(
    input: R,
    on: &mut dyn FnMut(Event<'_>) -> Result<bool, String>,
) -> Result<(), String> {
    use super::markup::Tag as T;
    let mut m = super::markup::Markup::with_doctype(input);
    while let Some(tag) = m.next()? {
        let want = match tag {
            T::Start(e, _) => on(Event::Start(e))?,
            T::Empty(e, _) => on(Event::Empty(e))?,
            T::End => on(Event::End(BytesEnd::new("")))?,
            T::DocType(d) => on(Event::DocType(BytesText::from_escaped(d)))?,
            T::Text(t) => text_events(t, on)?,
        };
        m.want_text(want);
    }
    Ok(())
}

/// `text` as quick-xml's reader hands it on: runs of text, and each `&name;` as a reference
/// (the tokenizer has refused an `&` with no `;` before the next `&`).
fn text_events(
    text: &str,
    on: &mut dyn FnMut(Event<'_>) -> Result<bool, String>,
) -> Result<bool, String> {
    let mut want = true;
    let mut rest = text;
    while !rest.is_empty() {
        let i = rest.find('&').unwrap_or(rest.len());
        if i > 0 {
            want = on(Event::Text(BytesText::from_escaped(&rest[..i])))?;
            rest = &rest[i..];
            continue;
        }
        match rest[1..].find([';', '&']) {
            Some(j) if rest.as_bytes()[1 + j] == b';' => {
                want = on(Event::GeneralRef(BytesRef::new(&rest[1..=j])))?;
                rest = &rest[j + 2..];
            }
            // The tokenizer refuses an `&` that begins no reference before handing text on.
            _ => return Err("an entity or character reference not closed in <source>".into()),
        }
    }
    Ok(want)
}

/// [`stream`] on quick-xml's buffered event reader: the reference the oracle holds it to.
pub(super) fn stream_reference<R: Read>(
    input: R,
    on: &mut dyn FnMut(Event<'_>) -> Result<(), String>,
) -> Result<(), String> {
    let mut src = Source::new(Decoded::new(input), 0);
    let src = &mut src;
    // quick-xml strips a UTF-8 byte-order mark only when its first look holds all of it.
    src.peek(3).map_err(|e| io_message(&e))?;
    let mut reader = Reader::from_reader(src);
    let mut buf = Vec::new();
    loop {
        reader.get_mut().set_budget(MAX_NODE_BYTES);
        let event = reader.read_event_into(&mut buf);
        let at = reader.error_position();
        match event {
            Ok(Event::Eof) => return Ok(()),
            Ok(ev) => on(ev)?,
            Err(e) => return Err(xml_error(&e, at)),
        }
        buf.clear();
    }
}

/// A `<!DOCTYPE>`'s verdict: naming an external DTD (JaCoCo and some Cobertura writers do)
/// is allowed, and it is never fetched; an internal subset may declare entities: refused.
pub(super) fn doctype(text: &str) -> Result<(), String> {
    if text.contains('[') {
        Err("its <!DOCTYPE> declares entities; relcheck never expands them".into())
    } else {
        Ok(())
    }
}

/// The elements the reader tells apart; the rest are `Other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tag {
    Source,
    Class,
    Method,
    Other,
}

#[derive(Default)]
struct State {
    /// Open elements.
    stack: Vec<Tag>,
    /// How many `<method>` elements are open.
    methods: usize,
    root_done: bool,
    /// The `filename` of the `<class>` being read and its lines so far, as read (added to
    /// `report.files` when it closes: a `<line>` costs no lookup by name).
    class: Option<(String, Vec<(u32, bool)>)>,
    /// The lines of the last `<class>` read, emptied: its allocation is reused.
    spare: Vec<(u32, bool)>,
    /// The text of the `<source>` being read.
    source: Option<String>,
    lines: usize,
    report: Cobertura,
}

impl State {
    fn event(&mut self, ev: Event<'_>) -> Result<(), String> {
        match ev {
            Event::Start(e) => self.open(&e),
            Event::Empty(e) => {
                // A class's `<line/>` written plainly, nearly every event of a report: what
                // `open` and `close` would do with it, without the element stack.
                if e.name().into_inner() == "line"
                    && self.methods == 0
                    && self.stack.len() < MAX_DEPTH
                    && self.class.is_some()
                    && let Some((number, hits)) = plain_line(e.attributes_raw())
                {
                    return self.line(number, hits);
                }
                self.open(&e)?;
                self.close();
                Ok(())
            }
            Event::End(_) => {
                self.close();
                Ok(())
            }
            Event::DocType(d) => doctype(d.as_ref()),
            Event::Text(t) => {
                if let Some(s) = &mut self.source {
                    s.push_str(&t.xml10_content());
                } else if self.stack.is_empty()
                    && !t.as_ref().bytes().all(|b| b.is_ascii_whitespace())
                {
                    return Err("text outside the root element".into());
                }
                Ok(())
            }
            Event::GeneralRef(r) => {
                let Some(s) = &mut self.source else {
                    return Ok(());
                };
                match r.resolve_char_ref() {
                    Ok(Some(c)) => s.push(c),
                    _ => match r.as_ref() {
                        "amp" => s.push('&'),
                        "lt" => s.push('<'),
                        "gt" => s.push('>'),
                        "apos" => s.push('\''),
                        "quot" => s.push('"'),
                        _ => return Err("an undefined entity reference in <source>".into()),
                    },
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn open(&mut self, e: &BytesStart<'_>) -> Result<(), String> {
        let name = local_name(e);
        entering(
            name,
            self.stack.len(),
            self.root_done,
            ("coverage", "Cobertura"),
        )?;
        let mut filename = None;
        let mut number = None;
        let mut hits = None;
        // The element told apart once, not at each attribute.
        let (is_line, is_class) = (name == "line", name == "class");
        // Nearly every element of a report is a `<line>` written one way: read in one walk.
        if let Some((n, h)) = is_line.then(|| plain_line(e.attributes_raw())).flatten() {
            (number, hits) = (Some(Some(n)), Some(Some(h)));
        } else {
            let mut keep = |key: &str, v: &str| {
                if is_line {
                    match key {
                        "number" => number = Some(number_in::<u32>(v)),
                        "hits" => hits = Some(number_in::<u64>(v)),
                        _ => {}
                    }
                } else if is_class && key == "filename" {
                    filename = Some(v.to_owned());
                }
            };
            // Every attribute of every element must be well-formed; only three are kept.
            if !plain_attributes(e.attributes_raw(), &mut keep) {
                for a in e.attributes() {
                    let a = a.map_err(|err| format!("malformed attribute in <{name}>: {err}"))?;
                    let v = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|err| format!("malformed attribute in <{name}>: {err}"))?;
                    keep(a.key.local_name().as_ref(), &v);
                }
            }
        }
        let tag = match name {
            "source" => {
                self.source = Some(String::new());
                Tag::Source
            }
            "class" => {
                let name = filename.ok_or("a <class> without filename")?;
                self.put_back();
                // The class being read counts as a file too.
                if self.report.files.len() >= MAX_FILES && !self.report.files.contains_key(&name) {
                    return Err(format!("it lists more than {MAX_FILES} files"));
                }
                self.class = Some((name, std::mem::take(&mut self.spare)));
                Tag::Class
            }
            "method" => {
                self.methods += 1;
                Tag::Method
            }
            // `<line>`s under `<methods>` repeat the class's own lines.
            "line" if self.methods == 0 => {
                if self.class.is_some() {
                    let number = number.flatten().ok_or("a <line> without a valid number")?;
                    let hits = hits.flatten().ok_or("a <line> without valid hits")?;
                    self.line(number, hits)?;
                }
                Tag::Other
            }
            _ => Tag::Other,
        };
        self.stack.push(tag);
        Ok(())
    }

    /// A line of the `<class>` being read.
    fn line(&mut self, number: u32, hits: u64) -> Result<(), String> {
        if let Some((_, lines)) = &mut self.class {
            self.lines += 1;
            if self.lines > MAX_LINES {
                return Err(format!("it lists more than {MAX_LINES} lines"));
            }
            lines.push((number, hits > 0));
        }
        Ok(())
    }

    /// Puts the lines of the `<class>` being read back among the report's files.
    fn put_back(&mut self) {
        if let Some((name, mut lines)) = self.class.take() {
            self.report
                .files
                .entry(name)
                .or_default()
                .absorb(&mut lines);
            self.spare = lines;
        }
    }

    fn close(&mut self) {
        match self.stack.pop() {
            Some(Tag::Source) => {
                if let Some(s) = self.source.take() {
                    let s = s.trim();
                    if !s.is_empty() {
                        self.report.sources.push(s.to_owned());
                    }
                }
            }
            Some(Tag::Class) => self.put_back(),
            Some(Tag::Method) => self.methods -= 1,
            _ => {}
        }
        if self.stack.is_empty() {
            self.root_done = true;
        }
    }

    fn finish(mut self) -> Result<Cobertura, String> {
        if !self.stack.is_empty() {
            return Err("it ends inside an element (truncated?)".into());
        }
        if !self.root_done {
            return Err("no root element".into());
        }
        self.put_back();
        Ok(self.report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(xml: &str) -> Result<Cobertura, String> {
        parse(xml.as_bytes())
    }

    #[test]
    fn reads_sources_and_lines_merged_per_file() {
        let c = parse_str(
            r#"<?xml version="1.0" ?>
<!DOCTYPE coverage SYSTEM "http://cobertura.sourceforge.net/xml/coverage-04.dtd">
<coverage version="7.6" timestamp="1764488000000" line-rate="0.5">
  <!-- Generated by coverage.py -->
  <sources><source>/home/ci/work/app/src</source><source> a &amp; b </source></sources>
  <packages><package name="shop"><classes>
    <class name="cart.py" filename="shop/cart.py">
      <methods><method name="f"><lines><line number="9" hits="0"/></lines></method></methods>
      <lines><line number="1" hits="1"/><line number="2" hits="0"/><line number="3" hits="0" branch="true"/></lines>
    </class>
    <class name="cart.py#2" filename="shop/cart.py"><lines><line number="2" hits="4"/></lines></class>
    <class name="empty.py" filename="shop/empty.py"><lines/></class>
  </classes></package></packages>
</coverage>"#,
        )
        .unwrap();
        assert_eq!(c.sources, ["/home/ci/work/app/src", "a & b"]);
        let cart = &c.files["shop/cart.py"];
        assert_eq!(Cobertura::counts(cart), (2, 3));
        assert_eq!(Cobertura::counts(&c.files["shop/empty.py"]), (0, 0));
    }

    /// What the well-formedness scan accepts, quick-xml's checked iterator reads without an
    /// error and with no value to check for entities; the plain scan's tags it accepts too.
    #[test]
    fn well_formed_plain_agrees_with_quick_xml() {
        for raw in [
            "",
            " classname=\"a.b\" name=\"t[x-1]\" time=\"0.001\"",
            "\n\ta=\"1\"\r\n b='x\ty'  ",
            " x:a=\"1\" a=\"2\"",
            " a=\"1\"b=\"2\"",
            " a=\"&amp;\"",
            " a=\"1\" a=\"2\"",
            " x:a=\"1\" x:a=\"2\"",
            " a = \"1\"",
            " a=1",
            " a=\"1",
            " a",
            " =\"1\"",
            " a=\"x>y\" b='\"'",
        ] {
            let ok = well_formed_plain(raw);
            let tag = format!("<t{raw}>");
            let mut reader = quick_xml::Reader::from_str(&tag);
            let Ok(Event::Start(e)) = reader.read_event() else {
                assert!(!ok, "{raw:?}");
                continue;
            };
            let clean = e
                .attributes()
                .all(|a| a.is_ok_and(|a| !a.value.contains('&')));
            if ok {
                assert!(clean, "{raw:?}");
            }
            if plain_attributes(raw, |_, _| {}) {
                assert!(ok, "{raw:?}");
            }
            let expect = [
                "",
                " classname=\"a.b\" name=\"t[x-1]\" time=\"0.001\"",
                "\n\ta=\"1\"\r\n b='x\ty'  ",
                " x:a=\"1\" a=\"2\"",
                " a=\"1\"b=\"2\"",
                " a=\"x>y\" b='\"'",
            ]
            .contains(&raw);
            assert_eq!(ok, expect, "{raw:?}");
        }
    }

    /// The one-walk reading of a `<line>` gives what the general scan gives, or leaves it.
    #[test]
    fn plain_line_agrees_with_the_general_scan() {
        let general = |raw: &str| {
            let (mut number, mut hits) = (None, None);
            let plain = plain_attributes(raw, |k, v| match k {
                "number" => number = Some(number_in::<u32>(v)),
                "hits" => hits = Some(number_in::<u64>(v)),
                _ => {}
            });
            assert!(plain, "{raw}");
            (number.flatten(), hits.flatten())
        };
        for (raw, fast) in [
            (" number=\"12\" hits=\"3\"", Some((12, 3))),
            (" number=\"1\" hits=\"0\"  ", Some((1, 0))),
            (" number=\"007\" hits=\"999999999\"", Some((7, 999_999_999))),
            (" number=\"1234567890\" hits=\"1\"", None),
            (" number=\"1\" hits=\"1234567890\"", None),
            (" number=\"\" hits=\"1\"", None),
            (" number=\"+1\" hits=\"1\"", None),
            (" number=\" 1\" hits=\"1\"", None),
            (" hits=\"1\" number=\"1\"", None),
            (" number='1' hits='1'", None),
            (" number=\"1\" hits=\"1\" branch=\"true\"", None),
            (" number=\"1\"  hits=\"1\"", None),
            (" number=\"٣\" hits=\"1\"", None),
        ] {
            assert_eq!(plain_line(raw), fast, "{raw}");
            if let Some((n, h)) = fast {
                assert_eq!(general(raw), (Some(n), Some(h)), "{raw}");
            }
        }
        // The general scan still reads what the walk leaves.
        assert_eq!(general(" number=\"+1\" hits=\" 2 \""), (Some(1), Some(2)));
        assert_eq!(
            general(" number=\"1234567890\" hits=\"1\""),
            (Some(1_234_567_890), Some(1))
        );
    }

    /// Names with and without a namespace prefix, as quick-xml's `local_name` gives them.
    #[test]
    fn local_name_agrees_with_quick_xml() {
        for tag in [
            "<line/>",
            "<cov:line/>",
            "<a:b:c/>",
            "<:x/>",
            "<x:/>",
            "<é:ü/>",
        ] {
            let mut reader = quick_xml::Reader::from_str(tag);
            let Ok(Event::Empty(e)) = reader.read_event() else {
                panic!("{tag}");
            };
            let want = e.local_name();
            assert_eq!(local_name(&e), want.into_inner(), "{tag}");
        }
    }

    /// The scan takes only what quick-xml's iterator reads to the same values, and leaves
    /// the rest (entities, line breaks, namespaces, duplicates, malformed syntax) to it.
    #[test]
    fn plain_attributes_agree_with_quick_xml() {
        for raw in [
            "",
            " number=\"3\" hits='0' branch=\"true\"",
            "  a=\"x>y\"\tb='\"'  ",
            "  a=\"x>y\" b='\"'  ",
            " a=\"1\"b=\"2\"",
            " name=\"a long value, longer than the bytes walked before the search\"",
            " name=\"a long value, longer than the bytes walked, &amp; an entity\"",
            " name=\"a long value, longer than the bytes walked, never closed",
            " a=\"&amp;\"",
            " a=\"1\n2\"",
            " x:a=\"1\"",
            " a=\"1\" a=\"2\"",
            " a = \"1\"",
            " a=1",
            " a=\"1",
            " a",
            " =\"1\"",
        ] {
            let mut got = Vec::new();
            let plain = plain_attributes(raw, |k, v| got.push((k.to_owned(), v.to_owned())));
            let tag = format!("<t{raw}>");
            let mut reader = quick_xml::Reader::from_str(&tag);
            let Ok(Event::Start(e)) = reader.read_event() else {
                // Not even a tag (an unclosed quote swallows the `>`).
                assert!(!plain, "{raw}");
                continue;
            };
            let want: Result<Vec<(String, String)>, ()> = e
                .attributes()
                .map(|a| {
                    let a = a.map_err(|_| ())?;
                    let v = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|_| ())?;
                    let key: &str = a.key.as_ref();
                    Ok((key.to_owned(), v.into_owned()))
                })
                .collect();
            if plain {
                assert_eq!(Ok(got), want, "{raw}");
            }
            let expect_plain = [
                "",
                " number=\"3\" hits='0' branch=\"true\"",
                "  a=\"x>y\" b='\"'  ",
                " a=\"1\"b=\"2\"",
                " name=\"a long value, longer than the bytes walked before the search\"",
            ]
            .contains(&raw);
            assert_eq!(plain, expect_plain, "{raw}");
        }
    }

    #[test]
    fn lines_merge_sorted_and_covered_when_any_entry_covers() {
        let mut a: Lines = [(5, false), (1, true), (5, true), (3, false)]
            .into_iter()
            .collect();
        assert_eq!(
            a.iter().collect::<Vec<_>>(),
            [(1, true), (3, false), (5, true)]
        );
        let mut raw = vec![(3, true), (2, false), (9, false)];
        a.absorb(&mut raw);
        assert!(raw.is_empty());
        let b: Lines = [(9, true), (10, false)].into_iter().collect();
        a.merge(&b);
        assert_eq!(
            a.iter().collect::<Vec<_>>(),
            [
                (1, true),
                (2, false),
                (3, true),
                (5, true),
                (9, true),
                (10, false)
            ]
        );
        assert_eq!(Cobertura::counts(&a), (4, 6));
    }

    #[test]
    fn unreadable_reports() {
        for (xml, why) in [
            ("", "no root element"),
            ("<testsuite/>", "not Cobertura's <coverage>"),
            ("<coverage><packages>", "ends inside"),
            (
                "<!DOCTYPE coverage [<!ENTITY a 'b'>]><coverage/>",
                "declares entities",
            ),
            (
                "<coverage><sources><source>&lol;</source></sources></coverage>",
                "undefined entity",
            ),
            (
                "<coverage><packages><package><classes><class filename='&x;'/></classes></package></packages></coverage>",
                "malformed attribute",
            ),
            (
                "<coverage><classes><class filename='a'><lines><line number='x' hits='1'/></lines></class></classes></coverage>",
                "valid number",
            ),
            ("<coverage><class/></coverage>", "without filename"),
        ] {
            let err = parse_str(xml).unwrap_err();
            assert!(err.contains(why), "{xml}: {err}");
        }
    }
}
