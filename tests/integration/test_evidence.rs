//! Test evidence as teams produce it: one shared JUnit report (written by a real pytest run,
//! `scripts/gen-junit-fixtures.sh`) judged per test through `cases`, and stale reports
//! (RC012) from the reports' own timestamps.

use std::fs;
use std::path::Path;

use crate::common::{code, crate_dir, json, relcheck_in, stderr};

const JUNIT: &str = "tests/fixtures/evidence/junit";

/// A folder holding both pytest reports under `reports/` and `release.yaml` (`yaml`).
fn project(yaml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("reports")).unwrap();
    for f in ["pytest-xunit2.xml", "pytest-xunit1.xml"] {
        fs::copy(
            crate_dir().join(JUNIT).join(f),
            dir.path().join("reports").join(f),
        )
        .unwrap();
    }
    fs::write(dir.path().join("release.yaml"), yaml).unwrap();
    dir
}

/// The date of a committed report's `timestamp`: tests derive their `--today` from it, so
/// regenerating the fixtures never breaks them.
fn report_date(file: &str) -> jiff::civil::Date {
    let xml = fs::read_to_string(crate_dir().join(JUNIT).join(file)).unwrap();
    let at = xml.find("timestamp=\"").unwrap() + "timestamp=\"".len();
    xml[at..at + 10].parse().unwrap()
}

fn check(dir: &Path, today: jiff::civil::Date, select: &str) -> serde_json::Value {
    let o = relcheck_in(dir)
        .args([
            "check",
            "release.yaml",
            "--format",
            "json",
            "--select",
            select,
        ])
        .args(["--today", &today.to_string()])
        .output()
        .unwrap();
    assert!(matches!(code(&o), 0 | 1), "{}", stderr(&o));
    json(&o)
}

/// The findings as `RULE subject: message`.
fn findings(v: &serde_json::Value) -> Vec<String> {
    v["manifests"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}: {}",
                f["rule"].as_str().unwrap(),
                f["subject"].as_str().unwrap(),
                f["message"].as_str().unwrap()
            )
        })
        .collect()
}

fn test(id: &str, report: &str, cases: &str) -> String {
    format!(
        "  - id: {id}\n    kind: unit\n    status: passed\n    report: reports/{report}\n    suite: pytest\n    cases: {cases}\n"
    )
}

fn manifest(tests: &[String]) -> String {
    let mut yaml =
        String::from("relcheck: 1\nrelease:\n  name: R\n  date: 2026-12-15\nfeatures:\n");
    for t in tests {
        let id = t.split_whitespace().nth(2).unwrap();
        yaml.push_str(&format!(
            "  - id: f-{id}\n    status: done\n    tests: [{id}]\n"
        ));
    }
    yaml.push_str("tests:\n");
    yaml.push_str(&tests.concat());
    yaml
}

#[test]
fn two_tests_sharing_a_pytest_report_are_judged_on_their_own_cases() {
    let yaml = manifest(&[
        test("checkout", "pytest-xunit2.xml", "[\"*test_checkout*\"]"),
        test("payouts", "pytest-xunit2.xml", "[\"*test_payouts*\"]"),
        test(
            "fee",
            "pytest-xunit2.xml",
            "[\"tests.test_payouts.test_fee\"]",
        ),
        test("ghost", "pytest-xunit2.xml", "[\"*test_ghost*\"]"),
        // xunit2 has no `file` attribute; xunit1 has one.
        test("by-file-2", "pytest-xunit2.xml", "[tests/test_checkout.py]"),
        test("by-file-1", "pytest-xunit1.xml", "[tests/test_checkout.py]"),
        test("tax", "pytest-xunit1.xml", "[\"*.test_tax[??]\"]"),
    ]);
    let dir = project(&yaml);
    let v = check(dir.path(), report_date("pytest-xunit2.xml"), "RC007,RC102");
    assert_eq!(
        findings(&v),
        [
            "RC102 f-payouts: feature 'f-payouts' links unit test 'payouts', whose status is passed but whose report does not show a pass",
            "RC102 f-ghost: feature 'f-ghost' links unit test 'ghost', whose status is passed but whose report does not show a pass",
            "RC102 f-by-file-2: feature 'f-by-file-2' links unit test 'by-file-2', whose status is passed but whose report does not show a pass",
            "RC007 payouts: test 'payouts' says passed, but its report 'reports/pytest-xunit2.xml' shows 1 failure in 3 test cases, 1 skipped in suite 'pytest' matching cases '*test_payouts*'",
            "RC007 ghost: test 'ghost' says passed, but its report 'reports/pytest-xunit2.xml' holds no test case in suite 'pytest' matching cases '*test_ghost*' (no test case matches)",
            "RC007 by-file-2: test 'by-file-2' says passed, but its report 'reports/pytest-xunit2.xml' holds no test case in suite 'pytest' matching cases 'tests/test_checkout.py' (no test case matches)",
        ]
    );
}

#[test]
fn without_cases_the_shared_report_fails_every_test() {
    let yaml = manifest(&[test("checkout", "pytest-xunit2.xml", "[\"*\"]")]);
    let yaml = yaml.replace("    cases: [\"*\"]\n", "");
    let dir = project(&yaml);
    let v = check(dir.path(), report_date("pytest-xunit2.xml"), "RC007");
    assert_eq!(findings(&v).len(), 1, "{:?}", findings(&v));
}

#[test]
fn empty_cases_are_load_errors() {
    for cases in ["[]", "[\"\"]"] {
        let dir = project(&manifest(&[test("t", "pytest-xunit2.xml", cases)]));
        let o = relcheck_in(dir.path())
            .args(["check", "release.yaml", "--today", "2026-11-01"])
            .output()
            .unwrap();
        assert_eq!(code(&o), 2, "{cases}");
        assert!(stderr(&o).contains("release.yaml:"), "{}", stderr(&o));
    }
}

#[test]
fn reports_go_stale_by_their_own_timestamps() {
    let yaml = manifest(&[
        test("checkout", "pytest-xunit2.xml", "[\"*test_checkout*\"]"),
        test("tax", "pytest-xunit1.xml", "[\"*test_tax*\"]"),
    ]);
    let dir = project(&yaml);
    let made = report_date("pytest-xunit2.xml");
    assert_eq!(made, report_date("pytest-xunit1.xml"));
    let v = check(
        dir.path(),
        made.checked_add(jiff::Span::new().days(30)).unwrap(),
        "RC012",
    );
    assert!(findings(&v).is_empty(), "{:?}", findings(&v));
    let today = made.checked_add(jiff::Span::new().days(31)).unwrap();
    let v = check(dir.path(), today, "RC012");
    assert_eq!(
        findings(&v),
        [
            format!(
                "RC012 checkout: the report 'reports/pytest-xunit2.xml' of test 'checkout' dates from {made}, 31 days before today (at most 30)"
            ),
            format!(
                "RC012 tax: the report 'reports/pytest-xunit1.xml' of test 'tax' dates from {made}, 31 days before today (at most 30)"
            ),
        ]
    );
    // The policy's age, and a file's modification time never counts.
    let strict = yaml.replace("features:\n", "policy:\n  max_report_age: 31\nfeatures:\n");
    fs::write(dir.path().join("release.yaml"), strict).unwrap();
    assert!(findings(&check(dir.path(), today, "RC012")).is_empty());
    let bad = yaml.replace("features:\n", "policy:\n  max_report_age: 1.5\nfeatures:\n");
    fs::write(dir.path().join("release.yaml"), bad).unwrap();
    let o = relcheck_in(dir.path())
        .args(["check", "release.yaml", "--today", "2026-11-01"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("release.yaml:6:19: invalid count '1.5'"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn other_producers_timestamps_and_reports_without_one() {
    let dir = project("");
    for f in ["jest-pass.xml", "nextest-pass.xml", "skipped-only.xml"] {
        fs::copy(
            crate_dir().join(JUNIT).join(f),
            dir.path().join("reports").join(f),
        )
        .unwrap();
    }
    let plain = |id: &str, report: &str| {
        format!(
            "  - id: {id}\n    kind: system\n    status: passed\n    report: reports/{report}\n"
        )
    };
    let yaml = format!(
        "relcheck: 1\nrelease:\n  name: R\n  date: 2026-12-15\ntests:\n{}{}{}",
        plain("jest", "jest-pass.xml"),
        plain("nextest", "nextest-pass.xml"),
        plain("hand-written", "skipped-only.xml"),
    );
    fs::write(dir.path().join("release.yaml"), yaml).unwrap();
    // Both were written on 2026-11-26 (jest-junit in local time, nextest in UTC).
    let v = check(dir.path(), jiff::civil::date(2026, 12, 26), "RC012");
    assert!(findings(&v).is_empty(), "{:?}", findings(&v));
    assert_eq!(
        v["manifests"][0]["not_evaluated"][0]["reason"],
        "no readable timestamp in the report of test 'hand-written'"
    );
    let v = check(dir.path(), jiff::civil::date(2026, 12, 27), "RC012");
    assert_eq!(
        findings(&v),
        [
            "RC012 jest: the report 'reports/jest-pass.xml' of test 'jest' dates from 2026-11-26, 31 days before today (at most 30)",
            "RC012 nextest: the report 'reports/nextest-pass.xml' of test 'nextest' dates from 2026-11-26, 31 days before today (at most 30)",
        ]
    );
}

#[test]
fn coverage_py_cobertura_is_read_line_by_line() {
    let file = crate_dir().join("tests/fixtures/evidence/coverage/coveragepy-cobertura.xml");
    let c = relcheck::evidence::coverage::parse(fs::File::open(file).unwrap()).unwrap();
    assert_eq!(c.sources.len(), 1);
    assert!(c.sources[0].ends_with("/project"), "{:?}", c.sources);
    let counts = |f: &str| relcheck::evidence::coverage::Cobertura::counts(&c.files[f]);
    assert_eq!(counts("shop/checkout.py"), (6, 6));
    assert_eq!(counts("shop/payouts.py"), (4, 6));
    assert_eq!(counts("shop/unused.py"), (0, 2));
}
