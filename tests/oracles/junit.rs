//! What the `junit` fuzz target checks of an input, in one place: the fuzz target
//! (`fuzz/fuzz_targets/junit.rs`) and the regression tests
//! (`tests/integration/fuzz_regressions.rs`) both include this file, so an input the fuzzer
//! failed on is re-checked exactly as the fuzzer checked it.
//!
//! Oracles, beyond "no panic, no hang, no runaway memory": the reader's verdict must not
//! depend on how the bytes arrive. The input is read once from a slice (in one 64 KiB
//! chunk) and once from a reader that gives one byte per `read` call, which makes every
//! comment, CDATA terminator and look-ahead straddle reads; both must give the same counts,
//! suite names and error message. `read_content` must agree with them when the input starts
//! like XML. And the block tokenizer must agree with the reader it replaced (quick-xml's
//! buffered reader, kept as `parse_reader_reference`): the same reports accepted with the
//! same counts and names, the same refused (the messages may differ).

use std::io::{self, Read};

use relcheck::evidence::files::read_content;
use relcheck::evidence::junit::{Junit, parse_reader, parse_reader_reference};

/// Gives at most one byte per `read`.
pub(super) struct Trickle<'a>(pub &'a [u8]);

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

/// What a parse found, comparably: counts, the names kept, each kept name's counts.
fn summary(r: &Result<Junit, String>) -> Result<String, String> {
    match r {
        Ok(j) => {
            let mut s = format!("{:?} capped={} names=", j.total, j.names_capped);
            for name in &j.first_names {
                s.push_str(&format!("[{name}: {:?}]", j.suite(name)));
            }
            Ok(s)
        }
        Err(e) => Err(e.clone()),
    }
}

/// Panics when an oracle fails for `data`; `name` says which input it was.
pub(super) fn check(name: &str, data: &[u8]) {
    let whole = summary(&parse_reader(data));
    let trickled = summary(&parse_reader(Trickle(data)));
    assert_eq!(
        whole, trickled,
        "{name}: the verdict depends on how the bytes arrive"
    );

    let reference = summary(&parse_reader_reference(data));
    match (&whole, &reference) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{name}: the tokenizer counts otherwise"),
        (Err(_), Err(_)) => {}
        // The one known difference: the reference reader let a character or entity
        // reference (`&#65;`) stand before the root element, the tokenizer refuses it as
        // the text outside the root element it is.
        (Err(e), Ok(_)) if e == "text outside the root element" && leading_reference(data) => {}
        _ => panic!("{name}: the tokenizer says {whole:?}, the reference reader {reference:?}"),
    }

    let content = read_content(data, data.len() as u64).expect("reading a slice cannot fail");
    let head = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let like_xml = !data.is_empty()
        && head
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_none_or(|b| *b == b'<');
    if like_xml {
        assert_eq!(
            summary(&content.junit),
            whole,
            "{name}: read_content disagrees"
        );
    }
    let _ = content.text.is_placeholder();
}

/// Whether `data` starts (after a UTF-8 byte-order mark and whitespace) with `&`.
fn leading_reference(data: &[u8]) -> bool {
    let head = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'&')
}
