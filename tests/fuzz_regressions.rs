//! What the fuzzers (`fuzz/`, run with `scripts/fuzz.sh`) found, kept as regression tests.
//!
//! Every file under `tests/fixtures/fuzz-regressions/<target>/` is an input one fuzz target
//! failed on, minimised (`cargo fuzz tmin`); each goes through the check its target makes.
//! `fuzz/README.md` lists them with what was wrong and the fix.
#![allow(clippy::unwrap_used)]

use std::io::{self, Read};
use std::path::Path;

use relcheck::evidence::junit::{Junit, parse_reader};

/// The files under `tests/fixtures/fuzz-regressions/<target>/`, by name.
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz-regressions")
        .join(target);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// Gives at most one byte per `read`, as the junit fuzz target does.
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

/// What a parse found, comparably (as the junit fuzz target compares it).
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

#[test]
fn junit_inputs_read_the_same_however_the_bytes_arrive() {
    let inputs = inputs("junit");
    assert!(!inputs.is_empty());
    for (name, data) in inputs {
        assert_eq!(
            summary(&parse_reader(&data[..])),
            summary(&parse_reader(Trickle(&data))),
            "{name}"
        );
    }
}

/// `bom-only.xml`: a report starting with a UTF-8 byte-order mark was refused ("text outside
/// the root element") when the first read gave fewer than its three bytes.
#[test]
fn a_byte_order_mark_is_skipped_however_the_bytes_arrive() {
    let xml = b"\xEF\xBB\xBF<testsuite name='s'><testcase/></testsuite>";
    for parsed in [parse_reader(&xml[..]), parse_reader(Trickle(xml))] {
        assert_eq!(parsed.unwrap().suite("s").map(|c| c.cases), Some(1));
    }
    let bom_only = parse_reader(Trickle(b"\xEF\xBB\xBF")).unwrap_err();
    assert_eq!(bom_only, "no root element");
}
