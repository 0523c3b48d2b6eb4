//! The hardening rules (RC102-RC111, pitfall 3) and `check --baseline` through the binary.
//! Checks select `RC1` so that rules of other families do not change what is asserted here.

use std::process::Output;

use serde_json::Value;

use crate::common::{self, code, json, run, stderr, stdout};

const NOT_READY: &str = "tests/fixtures/hardening/not-ready/release.yaml";
const READY: &str = "tests/fixtures/hardening/ready/release.yaml";
const BASELINE_DIR: &str = "tests/fixtures/hardening/baseline";

/// `check` with a fixed day, the RC1xx rules only.
fn check(args: &[&str]) -> Output {
    let mut all = vec!["--select", "RC1"];
    all.extend_from_slice(args);
    common::check(&all)
}

/// `(rule, subject, line:col, message)` of each finding of the first manifest.
fn findings(report: &Value) -> Vec<(String, String, String, String)> {
    report["manifests"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["subject"].as_str().unwrap().to_owned(),
                format!("{}:{}", f["line"], f["column"]),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn baseline(name: &str) -> String {
    format!("{BASELINE_DIR}/{name}")
}

#[test]
fn every_hardening_rule_fires_with_its_numbers() {
    let o = check(&[NOT_READY, "--format", "json"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let found = findings(&json(&o));
    let has = |rule: &str, subject: &str, at: &str, text: &str| {
        assert!(
            found
                .iter()
                .any(|(r, s, p, m)| r == rule && s == subject && p == at && m.contains(text)),
            "no {rule} for {subject} at {at} containing {text:?} in {found:#?}"
        );
    };
    has(
        "RC102",
        "checkout",
        "24:13",
        "integration test 'checkout-it', whose status is failed",
    );
    has(
        "RC102",
        "checkout",
        "24:26",
        "uat test 'checkout-uat', whose status is not-run",
    );
    has(
        "RC103",
        "reviews",
        "30:12",
        "links no integration or uat test: its 1 linked test is unit",
    );
    has(
        "RC104",
        "Hardening 3.0",
        "5:3",
        "its only system test, 'system-suite', has status failed",
    );
    has(
        "RC104",
        "Hardening 3.0",
        "5:3",
        "no performance test is defined",
    );
    has(
        "RC105",
        "chat",
        "32:13",
        "is in-progress, not done, and the release is due 2026-12-18, in 22 days",
    );
    has("RC106", "reviews", "27:15", "is beta, not stable");
    has(
        "RC107",
        "reviews",
        "26:13",
        "not accepted by the product owner (Ada Moss)",
    );
    has(
        "RC108",
        "chat",
        "33:12",
        "added 2026-11-30, 10 days after the scope freeze 2026-11-20",
    );
    has(
        "RC109",
        "chat",
        "34:13",
        "release sprint 'R1' (2026-11-30 to 2026-12-18, 19 days)",
    );
    has(
        "RC110",
        "payouts",
        "41:25",
        "has 1 open critical defect (allowed: 0)",
    );
    has(
        "RC111",
        "payouts",
        "41:35",
        "has 2 open major defects (allowed: 0)",
    );
    assert_eq!(found.len(), 12, "{found:#?}");
    // Deferred features are out of scope: nothing about legacy-export.
    assert!(found.iter().all(|(_, s, _, _)| s != "legacy-export"));
}

#[test]
fn severities_follow_the_catalogue() {
    let o = check(&[NOT_READY, "--format", "json"]);
    let report = json(&o);
    assert_eq!(report["summary"]["errors"], 10);
    assert_eq!(report["summary"]["warnings"], 2);
    for f in report["manifests"][0]["findings"].as_array().unwrap() {
        let expected = if matches!(f["rule"].as_str().unwrap(), "RC107" | "RC111") {
            "warning"
        } else {
            "error"
        };
        assert_eq!(f["severity"], expected, "{f}");
    }
}

#[test]
fn json_report_of_the_hardening_fixture() {
    let o = check(&[NOT_READY, "--format", "json"]);
    insta::assert_snapshot!("hardening_not_ready_json", stdout(&o));
}

#[test]
fn a_hardened_release_is_ready() {
    let o = check(&[READY, "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    let report = json(&o);
    assert_eq!(findings(&report), []);
    assert_eq!(
        report["manifests"][0]["not_evaluated"],
        serde_json::json!([])
    );
}

#[test]
fn scope_creep_is_not_evaluated_without_added_dates_or_baseline() {
    let o = check(&[&baseline("release.yaml"), "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert_eq!(
        json(&o)["manifests"][0]["not_evaluated"],
        serde_json::json!([{
            "rule": "RC108",
            "name": "scope-creep",
            "reason": "none of the 3 features in scope gives 'added', and no --baseline was given"
        }, {
            "rule": "RC112",
            "name": "marginally-tested-feature",
            "reason": "no coverage section"
        }])
    );
}

#[test]
fn baseline_that_lacks_a_feature() {
    let frozen = baseline("lacks-wishlist.yaml");
    let o = check(&[&baseline("release.yaml"), "--baseline", &frozen]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with(&format!(
            "{BASELINE_DIR}/release.yaml:12:5: RC108 [error] feature 'wishlist' is in scope, but the baseline {frozen} does not have it · late · subject: wishlist\n\n"
        )),
        "{out}"
    );
    assert!(
        out.ends_with("\nNOT READY · not on track (1 late) · gate release fails: 1 error, 0 warnings, 0 waived\n"),
        "{out}"
    );
}

#[test]
fn baseline_that_has_the_feature_deferred() {
    let frozen = baseline("defers-gift-cards.yaml");
    let o = check(&[
        &baseline("release.yaml"),
        "--baseline",
        &frozen,
        "--format",
        "json",
    ]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let report = json(&o);
    assert_eq!(
        findings(&report),
        [(
            "RC108".to_owned(),
            "gift-cards".to_owned(),
            "16:13".to_owned(),
            format!(
                "feature 'gift-cards' is accepted now, but the baseline {frozen} has it deferred"
            )
        )]
    );
    // With a baseline the rule is evaluated, freeze or not (RC112: no coverage section).
    assert_eq!(
        report["manifests"][0]["not_evaluated"],
        serde_json::json!([{
            "rule": "RC112",
            "name": "marginally-tested-feature",
            "reason": "no coverage section"
        }])
    );
}

#[test]
fn one_baseline_applies_to_each_manifest() {
    // READY's checkout is not in that baseline; the features of baseline/release.yaml all are.
    let o = check(&[
        READY,
        &baseline("release.yaml"),
        "--baseline",
        &baseline("release.yaml"),
    ]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with(&format!(
            "{READY}:19:5: RC108 [error] feature 'checkout' is in scope, but the baseline {BASELINE_DIR}/release.yaml does not have it · late · subject: checkout\n"
        )),
        "{out}"
    );
    assert_eq!(out.matches("RC108").count(), 1, "{out}");
    assert!(
        out.contains(&format!("({BASELINE_DIR}/release.yaml): ready")),
        "{out}"
    );
    // A manifest is its own baseline: nothing crept in (and the freeze check still runs).
    let o = check(&[READY, "--baseline", READY]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
}

#[test]
fn invalid_baseline_is_an_error_with_file_line_column() {
    let frozen = baseline("invalid.yaml");
    let o = check(&[&baseline("release.yaml"), "--baseline", &frozen]);
    assert_eq!(code(&o), 2);
    assert_eq!(
        stderr(&o),
        format!(
            "{frozen}:5:11: invalid date '2026-11-31', expected an existing day written YYYY-MM-DD\n"
        )
    );
    assert_eq!(stdout(&o), "");
}

#[test]
fn missing_or_program_baseline_is_an_error() {
    let missing = baseline("nothing-here.yaml");
    let o = check(&[&baseline("release.yaml"), "--baseline", &missing]);
    assert_eq!(code(&o), 2);
    assert_eq!(
        stderr(&o),
        format!("{missing}: no such file (given with --baseline)\n")
    );
    assert_eq!(stdout(&o), "");

    let program = baseline("program.yaml");
    let o = check(&[&baseline("release.yaml"), "--baseline", &program]);
    assert_eq!(code(&o), 2);
    assert_eq!(
        stderr(&o),
        format!(
            "{program}:3:3: a program manifest cannot be a --baseline: give the frozen copy of a release manifest\n"
        )
    );
}

#[test]
fn hardening_rules_are_listed_and_explained() {
    let expected = [
        ("RC102", "failing-test", "error"),
        ("RC103", "missing-test-kind", "error"),
        ("RC104", "missing-release-test", "error"),
        ("RC105", "unfinished-feature", "error"),
        ("RC106", "immature-feature", "error"),
        ("RC107", "unaccepted-feature", "warning"),
        ("RC108", "scope-creep", "error"),
        ("RC109", "developed-in-release-sprint", "error"),
        ("RC110", "open-critical-defects", "error"),
        ("RC111", "open-major-defects", "warning"),
    ];
    let o = run(&["rules", "--format", "json"]);
    assert_eq!(code(&o), 0);
    let list = json(&o);
    let list = list.as_array().unwrap();
    for (code_, name, default) in expected {
        assert!(
            list.iter()
                .any(|r| r["code"] == code_ && r["name"] == name && r["default"] == default),
            "{code_} {name} {default} not listed"
        );
        for token in [code_, name] {
            let o = run(&["explain", token]);
            assert_eq!(code(&o), 0, "{token}");
            let text = stdout(&o);
            assert!(
                text.starts_with(&format!("# {code_} {name}\n\nDefault severity: {default}.")),
                "{text}"
            );
            for section in [
                "## What it checks",
                "## Why it matters",
                "Pitfall 3",
                "## Example",
                "```yaml",
            ] {
                assert!(text.contains(section), "{code_} lacks {section}");
            }
        }
    }
}

#[test]
fn baseline_is_documented_in_check_help() {
    let out = stdout(&run(&["check", "--help"]));
    assert!(out.contains("--baseline <FILE>"), "{out}");
    assert!(out.contains("each is compared with the same FILE"), "{out}");
}
