//! What the fuzzers (`fuzz/`, run with `scripts/fuzz.sh`) found, kept as regression tests.
//!
//! Every file under `tests/fixtures/fuzz-regressions/<target>/` is an input one fuzz target
//! failed on, minimised (`cargo fuzz tmin`); each goes through the check its target makes.
//! `fuzz/README.md` lists them with what was wrong and the fix.

use relcheck::evidence::junit::parse_reader;

use crate::common::crate_dir;

#[path = "../oracles/junit.rs"]
mod oracle;
use oracle::Trickle;

#[path = "../oracles/coverage.rs"]
mod coverage_oracle;

/// The files under `tests/fixtures/fuzz-regressions/<target>/`, by name (none when the
/// target has found nothing yet).
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = crate_dir()
        .join("tests/fixtures/fuzz-regressions")
        .join(target);
    if !dir.exists() {
        return Vec::new();
    }
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

#[test]
fn junit_inputs_pass_the_junit_fuzz_targets_checks() {
    let inputs = inputs("junit");
    assert!(!inputs.is_empty());
    for (name, data) in inputs {
        oracle::check(&name, &data);
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

/// Every input the coverage targets failed on, and the committed reports of each format
/// (the oracle's own check that it holds for real reports), through the coverage targets'
/// checks.
#[test]
fn coverage_inputs_pass_the_coverage_fuzz_targets_checks() {
    use coverage_oracle::Format;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    coverage_oracle::make_root(&root, &dir.path().join("outside"));
    let fixture = |f: &str| {
        let path = crate_dir().join("tests/fixtures/evidence/coverage").join(f);
        (f.to_owned(), std::fs::read(path).unwrap())
    };
    for (format, target, seed) in [
        (Format::Cobertura, "cobertura", "coveragepy-cobertura.xml"),
        (Format::Lcov, "lcov", "coveragepy.lcov"),
        (Format::Jacoco, "jacoco", "jacoco/jacoco.xml"),
    ] {
        let mut all = inputs(target);
        all.push(fixture(seed));
        for (name, data) in all {
            coverage_oracle::check(format, &name, &data, &root);
        }
    }
}

/// `cobertura/not-utf8-before-nul.xml`: a byte that is not UTF-8 in a start tag, a NUL
/// further on. Read in one piece the NUL was named (the decoder saw it in its first read
/// before the XML reader decoded the tag); one byte per read, the XML reader's "cannot
/// decode input" instead. `jacoco/mismatched-end-before-nul.xml`: the same with a
/// mismatched end tag before the NUL. The JUnit reader shares the decoder and had the same
/// fault.
#[test]
fn the_first_byte_that_is_not_text_is_named_however_the_bytes_arrive() {
    let xml = b"<testsuite a='1'\xbe></testsuite>\0";
    let why = "it holds bytes that are not UTF-8 (at byte 16); relcheck reads XML reports in UTF-8, or UTF-16 with a byte-order mark";
    assert_eq!(parse_reader(&xml[..]).unwrap_err(), why);
    assert_eq!(parse_reader(Trickle(xml)).unwrap_err(), why);
    // `jacoco/mismatched-end-before-nul.xml`: malformed XML before a NUL is named first.
    let xml = b"<testsuite><testcase></testsuite>\0";
    for parsed in [parse_reader(&xml[..]), parse_reader(Trickle(xml))] {
        let err = parsed.unwrap_err();
        assert!(err.starts_with("malformed XML at byte 21: "), "{err}");
    }
    // A character cut between reads is still one character.
    let cut = "<testsuite name='caf\u{e9} \u{20ac}'><testcase/></testsuite>".as_bytes();
    for parsed in [parse_reader(cut), parse_reader(Trickle(cut))] {
        assert_eq!(
            parsed.unwrap().suite("caf\u{e9} \u{20ac}").map(|c| c.cases),
            Some(1)
        );
    }
}
