//! Streaming JUnit XML: test cases, failures, errors and skips per `<testsuite>` name.
//!
//! The report is read in blocks by the tokenizer in `markup.rs` and never held whole; each
//! tag is handed here as quick-xml's `BytesStart`, whose attributes quick-xml checks where
//! the plain scan cannot. Text, CDATA and comments (where `<system-out>` and stack traces
//! live) are skipped without being buffered; any other single node (a tag with its
//! attributes, a declaration) may take at most [`MAX_NODE_BYTES`]. What counts is the
//! elements: `<testcase>`, `<failure>`, `<error>`, `<skipped>`; `tests=`/`failures=`
//! attributes are ignored. A `<!DOCTYPE>` (and so any
//! entity declaration) makes the report unparsable: it is never expanded.
//!
//! The same pass notes the newest `timestamp` date of any `<testsuite>` or `<testsuites>`
//! (RC012). A [`Selector`] (a test's `suite` and `cases` patterns) counts only the test
//! cases it selects: [`parse_selected`] streams the report again for it, so memory stays
//! bounded however many cases the report holds.

use crate::hash::Map;
use std::io::{BufRead, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::decode::Decoded;
use super::markup::{DTD, Markup, Tag, io_message, xml_error};
use super::source::Source;

/// The most one XML node (a start tag with its attributes, a declaration) may take.
pub const MAX_NODE_BYTES: u64 = super::markup::MAX_NODE_BYTES;
/// The deepest element nesting read.
pub const MAX_DEPTH: usize = 256;
/// Distinct `<testsuite>` names remembered per report.
pub const MAX_SUITE_NAMES: usize = 100_000;
/// Suite names kept for messages ("it has: ...").
const NAMES_SHOWN: usize = 5;

/// What a report (or one suite of it) holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// `<testcase>` elements.
    pub cases: u64,
    /// `<failure>` elements.
    pub failures: u64,
    /// `<error>` elements.
    pub errors: u64,
    /// Test cases with a `<skipped>` and neither failure nor error.
    pub skipped: u64,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.cases += o.cases;
        self.failures += o.failures;
        self.errors += o.errors;
        self.skipped += o.skipped;
    }

    /// At least one test case that ran (was not skipped), no failure, no error.
    pub fn clean(&self) -> bool {
        self.cases > self.skipped && self.failures == 0 && self.errors == 0
    }

    /// "2 failures and 1 error in 12 test cases".
    pub fn describe(&self) -> String {
        let plural =
            |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let cases = plural(self.cases, "test case", "test cases");
        match (self.failures, self.errors) {
            (0, 0) => cases,
            (f, 0) => format!("{} in {cases}", plural(f, "failure", "failures")),
            (0, e) => format!("{} in {cases}", plural(e, "error", "errors")),
            (f, e) => format!(
                "{} and {} in {cases}",
                plural(f, "failure", "failures"),
                plural(e, "error", "errors")
            ),
        }
    }
}

/// A parsed report.
#[derive(Clone, Debug, Default)]
pub struct Junit {
    /// Everything in the report.
    pub total: Counts,
    suites: Map<Box<str>, Counts>,
    /// More distinct suite names than [`MAX_SUITE_NAMES`]: later ones were not kept.
    pub names_capped: bool,
    /// The first few suite names, for messages.
    pub first_names: Vec<Box<str>>,
    /// The newest date (`YYYY-MM-DD`, the first ten characters) of the `timestamp`
    /// attributes of `<testsuite>` and `<testsuites>`; `None` when none is readable.
    pub newest: Option<jiff::civil::Date>,
    /// The counts of the cases a [`Selector`] selects (only read by [`parse_selected`]).
    selected: Counts,
}

/// Which test cases of a report count for a test: those inside a `<testsuite>` named
/// `suite` (any, when `None`) that match one of `cases`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Selector {
    pub suite: Option<String>,
    pub cases: Vec<String>,
}

impl Selector {
    /// Whether a case with these attributes matches a pattern: by `name`, `classname`,
    /// `classname.name` or `file`.
    fn matches(&self, case: &CaseAttrs) -> bool {
        let joined = match (&case.classname, &case.name) {
            (Some(c), Some(n)) => Some(format!("{c}.{n}")),
            _ => None,
        };
        self.cases.iter().any(|p| {
            [&case.name, &case.classname, &joined, &case.file]
                .into_iter()
                .flatten()
                .any(|v| pattern_matches(p, v))
        })
    }
}

/// A case pattern: `*` matches any run of characters (`/`, `.`, `:` included), `?` exactly
/// one; everything else itself, case-sensitively. Linear in practice: one `*` is retried at
/// a time (the classic wildcard walk), never a tree of alternatives.
pub fn pattern_matches(pattern: &str, text: &str) -> bool {
    // Bytes are characters when both are ASCII (nearly always): no copy.
    if pattern.is_ascii() && text.is_ascii() {
        return wildcard(pattern.as_bytes(), text.as_bytes(), b'*', b'?');
    }
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    wildcard(&p, &t, '*', '?')
}

/// [`pattern_matches`] over characters (`char`s, or bytes of ASCII text).
fn wildcard<T: PartialEq + Copy>(p: &[T], t: &[T], any_run: T, any_one: T) -> bool {
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == any_one || (p[pi] != any_run && p[pi] == t[ti])) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == any_run {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == any_run)
}

/// The attributes of a `<testcase>` a pattern is matched against.
#[derive(Default)]
struct CaseAttrs {
    name: Option<String>,
    classname: Option<String>,
    file: Option<String>,
}

/// The date a `timestamp` value starts with: exactly `YYYY-MM-DD` in its first ten
/// characters (`2026-11-01T10:00:00.123456+00:00`, `2026-11-01T10:00:00`).
fn timestamp_date(v: &[u8]) -> Option<jiff::civil::Date> {
    let head = v.get(..10)?;
    let shape = head.iter().enumerate().all(|(i, b)| {
        if i == 4 || i == 7 {
            *b == b'-'
        } else {
            b.is_ascii_digit()
        }
    });
    if !shape {
        return None;
    }
    std::str::from_utf8(head).ok()?.parse().ok()
}

impl Junit {
    /// The counts of every `<testsuite name="...">` with this exact name (nested suites
    /// included), or `None` when there is none.
    pub fn suite(&self, name: &str) -> Option<Counts> {
        self.suites.get(name).copied()
    }
}

enum Frame {
    /// `name` is `None` when an enclosing suite has the same name (it counts these cases
    /// already) or when too many names are kept.
    Suite {
        name: Option<Box<str>>,
        counts: Counts,
        /// Inside a suite the selector names (or it names none).
        in_selected: bool,
    },
    Case {
        failures: u64,
        errors: u64,
        skipped: bool,
        /// The selector selects this case.
        selected: bool,
    },
    Other,
}

/// Reads a JUnit report from any reader (a byte slice, a file), exactly as relcheck reads a
/// test's `report:`; `Err` says why it is not one. The public entry point to this reader,
/// for callers outside the evidence module (the fuzz targets under `fuzz/`).
pub fn parse_reader<R: Read>(input: R) -> Result<Junit, String> {
    parse(input)
}

/// Reads a JUnit report from `input` (UTF-8, or UTF-16 with a byte-order mark); `Err` says
/// why it is not one.
pub fn parse<R: Read>(input: R) -> Result<Junit, String> {
    run(input, None)
}

/// Reads a JUnit report from `input` like [`parse`], and counts only the test cases
/// `selector` selects.
pub fn parse_selected<R: Read>(input: R, selector: &Selector) -> Result<Counts, String> {
    run(input, Some(selector)).map(|j| j.selected)
}

fn run<R: Read>(input: R, selector: Option<&Selector>) -> Result<Junit, String> {
    let mut markup = Markup::new(input);
    let mut state = State {
        selector,
        ..State::default()
    };
    while let Some(tag) = markup.next()? {
        match tag {
            Tag::Start(e, plain) => state.open(&e, Some(plain))?,
            Tag::Empty(e, plain) => {
                state.open(&e, Some(plain))?;
                state.close();
            }
            Tag::End => state.close(),
            // Neither is asked for.
            Tag::Text(_) => {}
            Tag::DocType(_) => return Err(DTD.into()),
        }
    }
    state.finish()
}

/// The reader before [`Markup`]: quick-xml's buffered reader, event by event. Kept as the
/// oracle the tokenizer is held to (unit tests, the `junit` fuzz target): both must accept
/// the same reports with the same counts and refuse the same. Not used to check releases.
#[doc(hidden)]
pub fn parse_reader_reference<R: Read>(input: R) -> Result<Junit, String> {
    run_reference(input, None)
}

fn run_reference<R: Read>(input: R, selector: Option<&Selector>) -> Result<Junit, String> {
    let mut src = Source::new(Decoded::new(input), 0);
    let src = &mut src;
    // quick-xml strips a UTF-8 byte-order mark only when its first look at the input holds
    // all three bytes; make sure it does, however few bytes a read gives (found by fuzzing).
    src.peek(3).map_err(|e| io_message(&e))?;
    let mut reader = Reader::from_reader(src);
    let mut state = State {
        selector,
        ..State::default()
    };
    let mut buf = Vec::new();
    loop {
        reader.get_mut().set_budget(MAX_NODE_BYTES);
        let event = reader.read_event_into(&mut buf);
        let at = reader.error_position();
        match event {
            Ok(Event::Eof) => break,
            Ok(ev) => state.event(ev)?,
            Err(e) => return Err(xml_error(&e, at)),
        }
        buf.clear();
        reader.get_mut().set_budget(u64::MAX);
        skip_text(&mut reader, state.stack.is_empty())?;
    }
    state.finish()
}

#[derive(Default)]
struct State<'s> {
    selector: Option<&'s Selector>,
    stack: Vec<Frame>,
    root_done: bool,
    junit: Junit,
}

impl State<'_> {
    fn event(&mut self, ev: Event<'_>) -> Result<(), String> {
        match ev {
            Event::Start(e) => self.open(&e, None),
            Event::Empty(e) => {
                self.open(&e, None)?;
                self.close();
                Ok(())
            }
            Event::End(_) => {
                self.close();
                Ok(())
            }
            Event::DocType(_) => Err(DTD.into()),
            Event::Text(t)
                if self.stack.is_empty()
                    && !t.as_ref().bytes().all(|b| b.is_ascii_whitespace()) =>
            {
                Err("text outside the root element".into())
            }
            Event::CData(_) if self.stack.is_empty() => {
                Err("a CDATA section outside the root element".into())
            }
            _ => Ok(()),
        }
    }

    /// `plain`: whether the tag's attributes are well-formed and plainly written, when the
    /// tokenizer found out.
    fn open(&mut self, e: &BytesStart<'_>, plain: Option<bool>) -> Result<(), String> {
        let tag = super::coverage::local_name(e);
        let mut name = None;
        let mut case = CaseAttrs::default();
        // A case's attributes are copied only when `cases:` patterns are to match them.
        let is_case = tag == "testcase" && self.selector.is_some_and(|s| !s.cases.is_empty());
        let is_suite = tag == "testsuite" || tag == "testsuites";
        let newest = &mut self.junit.newest;
        // What a value is kept for, once normalised.
        let mut keep = |key: &str, v: &str| {
            if key == "name" && tag == "testsuite" {
                name = Some(v.to_owned());
            }
            if is_suite
                && key == "timestamp"
                && let Some(d) = timestamp_date(v.as_bytes())
            {
                *newest = (*newest).max(Some(d));
            }
            if is_case {
                let slot = match key {
                    "name" => &mut case.name,
                    "classname" => &mut case.classname,
                    "file" => &mut case.file,
                    _ => return,
                };
                *slot = Some(v.to_owned());
            }
        };
        // An element none of whose values is kept (a case without `cases:` patterns, a
        // failure, output) only has to be well-formed; plain attributes have nothing to
        // normalise and nothing malformed: the values as written. Anything else is read by
        // quick-xml's iterator, which says what is wrong.
        let plain = if is_suite || is_case {
            super::coverage::plain_attributes(e.attributes_raw(), &mut keep)
        } else if let Some(plain) = plain {
            plain
        } else {
            super::coverage::well_formed_plain(e.attributes_raw())
        };
        if !plain {
            for a in e.attributes() {
                let a = a.map_err(|err| format!("malformed attribute in <{tag}>: {err}"))?;
                let key = a.key.local_name();
                let key = key.as_ref();
                let suite_name = key == "name" && tag == "testsuite";
                let case_key = is_case && matches!(key, "name" | "classname" | "file");
                let timestamp = is_suite && key == "timestamp";
                // Other values are not needed, but an undefined entity reference (`&lol;`, a
                // bomb without its DTD) still makes the report malformed.
                if suite_name || case_key || timestamp || a.value.contains('&') {
                    let v = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|err| {
                            let key: &str = a.key.as_ref();
                            format!("malformed {key} in <{tag}>: {err}")
                        })?;
                    if suite_name || case_key || timestamp {
                        keep(key, &v);
                    }
                }
            }
        }
        if self.stack.is_empty() {
            if self.root_done {
                return Err(format!("a second root element <{tag}>"));
            }
            if tag != "testsuites" && tag != "testsuite" {
                return Err(format!(
                    "the root element is <{tag}>, not <testsuites> or <testsuite>"
                ));
            }
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(format!("elements nested deeper than {MAX_DEPTH} levels"));
        }
        let frame = match tag {
            "testsuite" => {
                let name = name.unwrap_or_default();
                let nested_twice = self
                    .stack
                    .iter()
                    .any(|f| matches!(f, Frame::Suite { name: Some(n), .. } if **n == *name));
                let in_selected = self.in_selected_suite()
                    || self
                        .selector
                        .is_some_and(|s| s.suite.as_deref().is_none_or(|s| s == name));
                Frame::Suite {
                    name: (!nested_twice).then(|| name.into_boxed_str()),
                    counts: Counts::default(),
                    in_selected,
                }
            }
            "testcase" => Frame::Case {
                failures: 0,
                errors: 0,
                skipped: false,
                // Without `suite`, a case outside any `<testsuite>` counts too, as for the
                // report's totals.
                selected: self.selector.is_some_and(|s| {
                    (s.suite.is_none() || self.in_selected_suite()) && s.matches(&case)
                }),
            },
            "failure" | "error" | "skipped" => {
                self.mark(tag);
                Frame::Other
            }
            _ => Frame::Other,
        };
        self.stack.push(frame);
        Ok(())
    }

    /// Whether the innermost suite is one the selector names (or inside one).
    fn in_selected_suite(&self) -> bool {
        self.stack.iter().rev().find_map(|f| match f {
            Frame::Suite { in_selected, .. } => Some(*in_selected),
            _ => None,
        }) == Some(true)
    }

    /// Records a `<failure>`, `<error>` or `<skipped>` on the innermost case, or on the
    /// innermost suite when it stands outside any case.
    fn mark(&mut self, tag: &str) {
        for f in self.stack.iter_mut().rev() {
            match f {
                Frame::Case {
                    failures,
                    errors,
                    skipped,
                    ..
                } => {
                    match tag {
                        "failure" => *failures += 1,
                        "error" => *errors += 1,
                        _ => *skipped = true,
                    }
                    return;
                }
                Frame::Suite { counts, .. } => {
                    match tag {
                        "failure" => counts.failures += 1,
                        "error" => counts.errors += 1,
                        _ => {}
                    }
                    return;
                }
                Frame::Other => {}
            }
        }
        match tag {
            "failure" => self.junit.total.failures += 1,
            "error" => self.junit.total.errors += 1,
            _ => {}
        }
    }

    fn close(&mut self) {
        let done = match self.stack.pop() {
            Some(Frame::Case {
                failures,
                errors,
                skipped,
                selected,
            }) => {
                let counts = Counts {
                    cases: 1,
                    failures,
                    errors,
                    skipped: u64::from(skipped && failures == 0 && errors == 0),
                };
                if selected {
                    self.junit.selected.add(&counts);
                }
                counts
            }
            Some(Frame::Suite { name, counts, .. }) => {
                if let Some(name) = name {
                    self.remember(name, &counts);
                }
                counts
            }
            Some(Frame::Other) | None => Counts::default(),
        };
        let parent = self.stack.iter_mut().rev().find_map(|f| match f {
            Frame::Suite { counts, .. } => Some(counts),
            _ => None,
        });
        parent.unwrap_or(&mut self.junit.total).add(&done);
        if self.stack.is_empty() {
            self.root_done = true;
        }
    }

    fn remember(&mut self, name: Box<str>, counts: &Counts) {
        let j = &mut self.junit;
        if let Some(c) = j.suites.get_mut(&name) {
            c.add(counts);
        } else if j.suites.len() < MAX_SUITE_NAMES {
            if j.first_names.len() < NAMES_SHOWN {
                j.first_names.push(name.clone());
            }
            j.suites.insert(name, *counts);
        } else {
            j.names_capped = true;
        }
    }

    fn finish(self) -> Result<Junit, String> {
        if !self.stack.is_empty() {
            let what = self
                .stack
                .iter()
                .rev()
                .find_map(|f| match f {
                    Frame::Suite { .. } => Some("<testsuite>"),
                    Frame::Case { .. } => Some("<testcase>"),
                    Frame::Other => None,
                })
                .unwrap_or("the root element");
            return Err(format!("it ends inside {what} (truncated?)"));
        }
        if !self.root_done {
            return Err("no root element".into());
        }
        Ok(self.junit)
    }
}

/// Skips text, CDATA sections and comments up to the next other markup, without buffering
/// them. Outside the root only whitespace and comments may stand.
fn skip_text<R: Read>(
    reader: &mut Reader<&mut Source<R>>,
    outside_root: bool,
) -> Result<(), String> {
    let io = |e: std::io::Error| io_message(&e);
    let mut s = reader.stream();
    loop {
        loop {
            let buf = s.fill_buf().map_err(io)?;
            if buf.is_empty() {
                return Ok(());
            }
            let n = memchr::memchr(b'<', buf).unwrap_or(buf.len());
            if outside_root && !buf[..n].iter().all(u8::is_ascii_whitespace) {
                return Err("text outside the root element".into());
            }
            let at_markup = n < buf.len();
            s.consume(n);
            if at_markup {
                break;
            }
        }
        let head = s.get_mut().peek(9).map_err(io)?;
        let (open, close): (usize, &[u8; 3]) = if head.starts_with(b"<![CDATA[") {
            if outside_root {
                return Err("a CDATA section outside the root element".into());
            }
            (9, b"]]>")
        } else if head.starts_with(b"<!--") {
            (4, b"-->")
        } else {
            return Ok(());
        };
        s.consume(open);
        // Find `close`, which may straddle two reads.
        let mut last = [0u8; 2];
        loop {
            let buf = s.fill_buf().map_err(io)?;
            if buf.is_empty() {
                return Err("the report ends inside a CDATA section or comment".into());
            }
            let mut found = None;
            for i in memchr::memchr_iter(close[2], buf) {
                let before = |k: usize| {
                    if i >= k {
                        buf[i - k]
                    } else {
                        last[2 - (k - i)]
                    }
                };
                if before(1) == close[1] && before(2) == close[0] {
                    found = Some(i + 1);
                    break;
                }
            }
            let n = found.unwrap_or(buf.len());
            last = match n {
                0 => last,
                1 => [last[1], buf[0]],
                _ => [buf[n - 2], buf[n - 1]],
            };
            s.consume(n);
            if found.is_some() {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(xml: &str) -> Result<Junit, String> {
        parse_reader(xml.as_bytes())
    }

    fn counts(cases: u64, failures: u64, errors: u64, skipped: u64) -> Counts {
        Counts {
            cases,
            failures,
            errors,
            skipped,
        }
    }

    #[test]
    fn a_long_report_in_any_script_is_text_wherever_its_reads_end() {
        // Characters of two, three and four bytes, cut by reads at every possible place
        // (each file read is 64 KiB, each XML read what is left of the buffer).
        for name in ["caf\u{e9}", "\u{30c6}\u{30b9}\u{30c8}", "\u{1f600}"] {
            let mut xml = String::from("<testsuite name=\"s\">");
            for i in 0..3000 {
                xml.push_str(&format!(
                    "<testcase name=\"{name}_{i}\"><system-out>{}</system-out></testcase>",
                    name.repeat(i % 7)
                ));
            }
            xml.push_str("</testsuite>");
            assert_eq!(parse_str(&xml).unwrap().total.cases, 3000, "{name}");
            // Reads of uneven sizes, as a pipe or a network file system gives them.
            for step in [1, 2, 3, 5, 4093, 65_537] {
                let uneven = Uneven {
                    bytes: xml.as_bytes(),
                    step,
                    turn: 0,
                };
                assert_eq!(parse(uneven).unwrap().total.cases, 3000, "{name} {step}");
            }
        }
    }

    /// Gives reads of `step`, `2 * step` and `3 * step` bytes in turn.
    struct Uneven<'a> {
        bytes: &'a [u8],
        step: usize,
        turn: usize,
    }

    impl std::io::Read for Uneven<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            self.turn = self.turn % 3 + 1;
            let n = (self.step * self.turn).min(out.len()).min(self.bytes.len());
            out[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    #[test]
    fn counts_cases_not_attributes() {
        let j = parse_str(
            r#"<?xml version="1.0"?>
            <testsuites tests="99" failures="0">
              <testsuite name="A" tests="1" failures="0">
                <testcase name="a1"/>
                <testcase name="a2"><failure message="boom">trace &amp; more</failure></testcase>
                <testcase name="a3"><skipped/></testcase>
              </testsuite>
              <testsuite name="B"><testcase name="b1"><error/></testcase></testsuite>
            </testsuites>"#,
        )
        .unwrap();
        assert_eq!(j.total, counts(4, 1, 1, 1));
        assert_eq!(j.suite("A"), Some(counts(3, 1, 0, 1)));
        assert_eq!(j.suite("B"), Some(counts(1, 0, 1, 0)));
        assert_eq!(j.suite("C"), None);
        assert_eq!(j.total.describe(), "1 failure and 1 error in 4 test cases");
    }

    #[test]
    fn a_bare_testsuite_root_and_nested_suites() {
        let j = parse_str(
            r#"<testsuite name="all">
                 <testsuite name="inner"><testcase/><testcase/></testsuite>
                 <testsuite name="all"><testcase/></testsuite>
                 <testcase/>
               </testsuite>"#,
        )
        .unwrap();
        assert_eq!(j.suite("inner"), Some(counts(2, 0, 0, 0)));
        // The nested suite of the same name is inside the outer one: counted once.
        assert_eq!(j.suite("all"), Some(counts(4, 0, 0, 0)));
        assert_eq!(j.total.cases, 4);
    }

    #[test]
    fn empty_and_failure_outside_cases() {
        let j = parse_str("<testsuites><testsuite name='e'/></testsuites>").unwrap();
        assert_eq!(j.suite("e"), Some(Counts::default()));
        assert!(!j.total.clean());
        let j = parse_str("<testsuite name='s'><testcase/><error message='setup'/></testsuite>")
            .unwrap();
        assert_eq!(j.suite("s"), Some(counts(1, 0, 1, 0)));
    }

    #[test]
    fn suite_names_are_unescaped() {
        let j = parse_str(r#"<testsuite name="a &amp; b"><testcase/></testsuite>"#).unwrap();
        assert_eq!(j.suite("a & b").map(|c| c.cases), Some(1));
    }

    #[test]
    fn cdata_and_comments_are_skipped_even_when_they_look_like_markup() {
        let j = parse_str(
            "<testsuite name='s'><!-- <testcase/> --><testcase><system-out><![CDATA[ <failure/> ]] ]]]></system-out></testcase></testsuite>",
        )
        .unwrap();
        assert_eq!(j.total, counts(1, 0, 0, 0));
    }

    #[test]
    fn malformed_reports() {
        for (xml, why) in [
            ("", "no root element"),
            ("not xml", "text outside the root element"),
            ("<html><body/></html>", "the root element is <html>"),
            ("<testsuite><testcase></testsuite>", "malformed XML at byte"),
            ("<testsuite><testcase/>", "ends inside <testsuite>"),
            ("<testsuite/><testsuite/>", "a second root element"),
            ("<testsuite/>trailing", "text outside the root element"),
            ("<testsuite><![CDATA[ never closed", "ends inside a CDATA"),
            ("<testsuite name='a' name='b'/>", "malformed attribute"),
            ("<testsuite name='&bogus;'/>", "malformed name"),
            (
                "<testsuite><testcase name='&lol3;' classname='a &amp; b'/></testsuite>",
                "malformed name in <testcase>",
            ),
            (
                "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><testsuite/>",
                "declares a DTD",
            ),
        ] {
            let err = parse_str(xml).unwrap_err();
            assert!(err.contains(why), "{xml}: {err}");
        }
    }

    #[test]
    fn a_huge_tag_is_refused_but_huge_text_is_fine() {
        let big = "x".repeat(usize::try_from(MAX_NODE_BYTES + 10).unwrap());
        let err = parse_str(&format!("<testsuite name='{big}'/>")).unwrap_err();
        assert!(err.contains("longer than 16 MiB"), "{err}");
        let j = parse_str(&format!(
            "<testsuite><testcase><system-out>{big}</system-out><system-err><![CDATA[{big}]]></system-err></testcase></testsuite>"
        ))
        .unwrap();
        assert_eq!(j.total.cases, 1);
    }

    const SHARED: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<testsuites name="pytest tests"><testsuite name="pytest" errors="0" failures="1" skipped="0" tests="4" timestamp="2026-10-20T09:15:02.123456+00:00" hostname="ci">
<testcase classname="tests.test_checkout" name="test_total" time="0.001"/>
<testcase classname="tests.test_checkout" name="test_tax[eu]" time="0.001"/>
<testcase classname="tests.test_payouts" name="test_split" time="0.001"><failure message="assert 1 == 2">boom</failure></testcase>
<testcase classname="Cart" name="adds" file="web/cart.test.ts"><skipped/></testcase>
</testsuite></testsuites>"#;

    fn select(suite: Option<&str>, cases: &[&str]) -> Counts {
        let s = Selector {
            suite: suite.map(str::to_owned),
            cases: cases.iter().map(|c| (*c).to_owned()).collect(),
        };
        parse_selected(SHARED.as_bytes(), &s).unwrap()
    }

    #[test]
    fn cases_count_only_what_their_patterns_select() {
        assert_eq!(select(None, &["*test_checkout*"]), counts(2, 0, 0, 0));
        assert_eq!(
            select(Some("pytest"), &["*test_payouts*"]),
            counts(1, 1, 0, 0)
        );
        // classname.name, `?`, and several patterns (a case counts once).
        assert_eq!(
            select(None, &["tests.test_checkout.test_tax[??]", "*tax*"]),
            counts(1, 0, 0, 0)
        );
        // `file`, where the report has one.
        assert_eq!(select(None, &["web/*.ts"]), counts(1, 0, 0, 1));
        // Case-sensitive; a pattern matches the whole value.
        assert_eq!(select(None, &["*TEST_CHECKOUT*"]), Counts::default());
        assert_eq!(select(None, &["test_checkout"]), Counts::default());
        // Only inside the suite named.
        assert_eq!(select(Some("jest"), &["*"]), Counts::default());
        let bare = "<testsuites><testcase name='loose'/></testsuites>";
        let loose = |suite: Option<&str>| Selector {
            suite: suite.map(str::to_owned),
            cases: vec!["loose".into()],
        };
        assert_eq!(
            parse_selected(bare.as_bytes(), &loose(None)).unwrap().cases,
            1
        );
        assert_eq!(
            parse_selected(bare.as_bytes(), &loose(Some("x")))
                .unwrap()
                .cases,
            0
        );
        // The report as a whole is unchanged.
        assert_eq!(parse_str(SHARED).unwrap().total, counts(4, 1, 0, 1));
    }

    #[test]
    fn a_selection_refuses_what_the_first_pass_refuses() {
        let s = Selector {
            suite: None,
            cases: vec!["*".into()],
        };
        for xml in [
            "<testsuite><testcase name='&lol9;'/></testsuite>",
            "<?xml version='1.0'?><!DOCTYPE t [<!ENTITY a 'b'>]><testsuite><testcase name='&a;'/></testsuite>",
            "<testsuite><testcase name='a'/>",
        ] {
            assert!(parse_selected(xml.as_bytes(), &s).is_err(), "{xml}");
        }
        // Escaped names are matched unescaped.
        let xml = "<testsuite><testcase classname='a &amp; b' name='c'/></testsuite>";
        let s = Selector {
            suite: None,
            cases: vec!["a & b.c".into()],
        };
        assert_eq!(parse_selected(xml.as_bytes(), &s).unwrap().cases, 1);
    }

    #[test]
    fn patterns() {
        for (p, t, m) in [
            ("*", "", true),
            ("*", "a/b.c:d", true),
            ("a*c", "abbbc", true),
            ("a*c", "abbbcd", false),
            ("a?c", "abc", true),
            ("a?c", "ac", false),
            (
                "*a*a*a*b",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                false,
            ),
            ("héllo*", "héllo wörld", true),
            ("??", "é!", true),
        ] {
            assert_eq!(pattern_matches(p, t), m, "{p} {t}");
        }
    }

    #[test]
    fn the_newest_timestamp_date_of_any_suite() {
        let j = parse_str(SHARED).unwrap();
        assert_eq!(j.newest, Some(jiff::civil::date(2026, 10, 20)));
        let j = parse_str(
            "<testsuites timestamp='2026-01-02T00:00:00'><testsuite timestamp='2026-03-04T23:59:59Z'><testcase/></testsuite>\
             <testsuite name='x' timestamp='2025-12-31'/><testsuite timestamp='yesterday'/><testsuite timestamp='2026-13-01'/></testsuites>",
        )
        .unwrap();
        assert_eq!(j.newest, Some(jiff::civil::date(2026, 3, 4)));
        let j = parse_str("<testsuite timestamp='20260304'><testcase/></testsuite>").unwrap();
        assert_eq!(j.newest, None);
        // A timestamp with an undefined entity is malformed, as any other value.
        assert!(parse_str("<testsuite timestamp='&x;'/>").is_err());
    }
}
