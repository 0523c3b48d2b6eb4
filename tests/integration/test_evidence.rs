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

const COVERAGE: &str = "tests/fixtures/evidence/coverage/coveragepy-cobertura.xml";

/// A project holding the coverage.py run's modules under `under` (plus `refunds.py`, which
/// no test imported), the committed Cobertura report (its `<sources>` removed when
/// `strip_sources`) as `coverage.xml`, and `release.yaml` (`yaml`).
fn coverage_project(under: &str, strip_sources: bool, yaml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let shop = dir.path().join(under).join("shop");
    fs::create_dir_all(&shop).unwrap();
    for m in ["__init__", "checkout", "payouts", "unused", "refunds"] {
        fs::write(shop.join(format!("{m}.py")), "pass\n").unwrap();
    }
    let mut xml = fs::read_to_string(crate_dir().join(COVERAGE)).unwrap();
    if strip_sources {
        let (a, b) = (
            xml.find("<sources>").unwrap(),
            xml.find("</sources>").unwrap(),
        );
        xml.replace_range(a..b + "</sources>".len(), "");
    }
    fs::write(dir.path().join("coverage.xml"), xml).unwrap();
    fs::write(dir.path().join("release.yaml"), yaml).unwrap();
    dir
}

fn coverage_yaml(base: &str, prefix: &str) -> String {
    format!(
        "relcheck: 1\nrelease:\n  name: Shop\n  date: 2026-12-15\nfeatures:\n\
         \x20 - id: checkout\n    status: done\n    code: [{base}shop/checkout.py]\n\
         \x20 - id: payouts\n    status: done\n    code: ['{base}shop/pay*.py', {base}shop/unused.py, {base}shop/refunds.py]\n\
         coverage:\n  - report: coverage.xml\n{prefix}"
    )
}

#[test]
fn coverage_py_report_measures_each_features_code() {
    let today: jiff::civil::Date = "2026-11-30".parse().unwrap();
    // The report's <source> is the runner's temporary folder: identities by suffix.
    let dir = coverage_project(".", false, &coverage_yaml("", ""));
    // And a monorepo: no <sources>, the project under services/api, given as `prefix`.
    let mono = coverage_project(
        "services/api",
        true,
        &coverage_yaml("services/api/", "    prefix: services/api\n"),
    );
    for (dir, base) in [(dir.path(), ""), (mono.path(), "services/api/")] {
        let v = check(dir, today, "RC013,RC112");
        let m = &v["manifests"][0];
        assert_eq!(
            m["coverage_of_code"],
            serde_json::json!({
                "checkout": {"covered": 6, "coverable": 6},
                "payouts": {"covered": 4, "coverable": 8}
            })
        );
        let messages: Vec<&str> = m["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["message"].as_str().unwrap())
            .collect();
        assert_eq!(
            messages,
            [format!(
                "feature 'payouts': 4 of its 8 coverable lines are covered (50.0%; at least 0.6 wanted); no report lists '{base}shop/refunds.py'"
            )]
        );
    }
}

#[test]
fn coverage_py_lcov_report_is_recognised_and_merged_with_cobertura() {
    let today: jiff::civil::Date = "2026-11-30".parse().unwrap();
    // The same run as lcov (relative `SF:` paths) and as Cobertura, both under `prefix`:
    // merged line by line they measure what either does.
    let yaml = coverage_yaml("services/api/", "    prefix: services/api\n")
        + "  - report: coverage.info\n    prefix: services/api\n";
    for reports in [
        yaml.clone(),
        yaml.replace("  - report: coverage.xml\n    prefix: services/api\n", ""),
    ] {
        let dir = coverage_project("services/api", true, &reports);
        fs::copy(
            crate_dir().join("tests/fixtures/evidence/coverage/coveragepy.lcov"),
            dir.path().join("coverage.info"),
        )
        .unwrap();
        let v = check(dir.path(), today, "RC013,RC112");
        let m = &v["manifests"][0];
        assert_eq!(m["findings"].as_array().map(Vec::len), Some(1), "{m}");
        assert_eq!(
            m["coverage_of_code"],
            serde_json::json!({
                "checkout": {"covered": 6, "coverable": 6},
                "payouts": {"covered": 4, "coverable": 8}
            })
        );
    }
}

const JACOCO: &str = "tests/fixtures/evidence/coverage/jacoco";

/// Copies the JaCoCo fixture's `src/` (the project its report measured) to `to`.
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &to.join(e.file_name()));
        } else {
            fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn jacoco_report_is_recognised_and_its_packages_found_under_the_source_folder() {
    let today: jiff::civil::Date = "2026-11-30".parse().unwrap();
    // The project at the root (no prefix), and a module of a monorepo (`prefix`): JaCoCo's
    // `com/shop/Cart.java` is found under `src/main/java` either way.
    for (under, prefix) in [("", ""), ("services/shop/", "    prefix: services/shop\n")] {
        let dir = tempfile::tempdir().unwrap();
        let module = dir.path().join(under);
        copy_tree(&crate_dir().join(JACOCO).join("src"), &module.join("src"));
        fs::create_dir_all(module.join("target/site/jacoco")).unwrap();
        fs::copy(
            crate_dir().join(JACOCO).join("jacoco.xml"),
            module.join("target/site/jacoco/jacoco.xml"),
        )
        .unwrap();
        let java = format!("{under}src/main/java/com/shop");
        fs::write(
            dir.path().join("release.yaml"),
            format!(
                "relcheck: 1\nrelease:\n  name: Shop\n  date: 2026-12-15\nfeatures:\n\
                 \x20 - id: cart\n    status: done\n    code: [{java}/Cart.java]\n\
                 \x20 - id: payouts\n    status: done\n    code: ['{java}/pay/**', {java}/Unused.java]\n\
                 \x20 - id: tests\n    status: done\n    code: ['{under}src/test/**']\n\
                 coverage:\n  - report: {under}target/site/jacoco/jacoco.xml\n{prefix}"
            ),
        )
        .unwrap();
        let v = check(dir.path(), today, "RC013,RC112");
        let m = &v["manifests"][0];
        // Cart: 10 of its 11 lines ran (never a negative price); Payouts: 2 of 4, Unused 0
        // of 1; the test driver is not in the report (the agent measured com.shop only by
        // its includes, and JaCoCo reports the classes analysed).
        assert_eq!(
            m["coverage_of_code"],
            serde_json::json!({
                "cart": {"covered": 10, "coverable": 11},
                "payouts": {"covered": 2, "coverable": 5},
                "tests": {"covered": 0, "coverable": 0}
            }),
            "{under}"
        );
        assert_eq!(
            findings(&v),
            [
                "RC112 payouts: feature 'payouts': 2 of its 5 coverable lines are covered (40.0%; at least 0.6 wanted)".to_owned(),
                format!("RC112 tests: feature 'tests': none of its code is in any coverage report; no report lists '{under}src/test/java/com/shop/CartTest.java'"),
            ],
            "{under}"
        );
    }
}

#[test]
fn a_truncated_jacoco_report_is_rc013_named_as_jacoco() {
    let today: jiff::civil::Date = "2026-11-30".parse().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let xml = fs::read_to_string(crate_dir().join(JACOCO).join("jacoco.xml")).unwrap();
    fs::write(dir.path().join("jacoco.xml"), &xml[..xml.len() / 2]).unwrap();
    fs::write(
        dir.path().join("release.yaml"),
        "relcheck: 1\nrelease:\n  name: Shop\n  date: 2026-12-15\ncoverage:\n  - report: jacoco.xml\n",
    )
    .unwrap();
    let v = check(dir.path(), today, "RC013");
    let f = findings(&v);
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(
        f[0].starts_with(
            "RC013 jacoco.xml: coverage report 'jacoco.xml' cannot be read as a JaCoCo XML report: "
        ),
        "{f:?}"
    );
}
