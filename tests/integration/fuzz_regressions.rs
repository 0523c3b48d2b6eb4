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

/// The files under `tests/fixtures/fuzz-regressions/<target>/`, by name.
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = crate_dir()
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
