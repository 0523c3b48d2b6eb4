//! The `relcheck` binary end to end: exit codes, outputs, error messages.

use crate::common::{TODAY, check, code, crate_dir, relcheck_in, run, run_in, stderr, stdout};

#[test]
fn ready_manifest_exits_0() {
    let o = check(&["tests/fixtures/ready/release.yaml"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).ends_with(
            "\nREADY · on track · gate release passes: 0 errors, 0 warnings, 0 waived\n"
        ),
        "{}",
        stdout(&o)
    );
    assert_eq!(stderr(&o), "");
}

#[test]
fn not_ready_manifest_exits_1_with_ruff_style_lines() {
    let o = check(&["tests/fixtures/not-ready/release.yaml"]);
    assert_eq!(code(&o), 1);
    insta::assert_snapshot!("not_ready_human", stdout(&o));
}

#[test]
fn json_report_matches_the_spec() {
    let o = check(&["tests/fixtures/not-ready/release.yaml", "--format", "json"]);
    assert_eq!(code(&o), 1);
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["ready"], false);
    assert_eq!(json["manifests"][0]["kind"], "release");
    insta::assert_snapshot!("not_ready_json", stdout(&o));
}

#[test]
fn load_errors_exit_2_with_file_line_column() {
    let cases = [
        (
            "unknown-key",
            "8:5: unknown key 'tets' in feature, expected one of: id, status, title, maturity, added, sprint, user_facing, tests, docs, training, defects, code (did you mean 'tests'?)",
        ),
        (
            "bad-enum",
            "8:13: invalid test status 'pased', expected one of: passed, failed, skipped, not-run (did you mean 'passed'?)",
        ),
        (
            "bad-date",
            "4:9: invalid date '2026-02-30', expected an existing day written YYYY-MM-DD",
        ),
        (
            "missing-key",
            "6:5: missing required key 'status' in feature",
        ),
        (
            "bad-version",
            "1:11: unsupported format version 2 (this build supports: 1)",
        ),
        (
            "duplicate-key",
            "5:3: duplicate key 'name': a key may appear only once in a mapping",
        ),
        (
            "two-documents",
            "5:1: the manifest holds several YAML documents; it must be exactly one",
        ),
        (
            "latin1",
            "3:9: the manifest is not valid UTF-8 (byte 0xE9 at offset 29)",
        ),
        (
            "bad-id",
            "6:9: invalid id 'bad id': ids start with a letter or digit and contain only letters, digits, '.', '_' and '-'",
        ),
        (
            "waiver-integrity",
            "6:11: RC001 (unknown-reference) cannot be waived: RC001, RC002, RC004, RC007 and RC009 guard the manifest's integrity",
        ),
        (
            "waiver-unknown-rule",
            "6:11: unknown rule 'untested-feture'; closest: untested-feature in waiver",
        ),
        (
            "waiver-no-reason",
            "6:5: missing required key 'reason' in waiver",
        ),
        (
            "policy-unknown-rule",
            "7:5: unknown rule 'orphan-artefact'; closest: orphan-artifact in policy.rules",
        ),
        (
            "policy-integrity",
            "7:12: RC002 (duplicate-id) is an integrity rule: its severity can only be 'error'",
        ),
        (
            "empty",
            "1:1: the manifest is empty; it must start with 'relcheck: 1'",
        ),
    ];
    for (name, expected) in cases {
        let file = format!("tests/fixtures/errors/{name}.yaml");
        let o = check(&[&file]);
        assert_eq!(code(&o), 2, "{name}: {}", stderr(&o));
        assert_eq!(stderr(&o), format!("{file}:{expected}\n"), "{name}");
        assert_eq!(stdout(&o), "", "{name}");
    }
}

#[test]
fn strict_makes_warnings_fail() {
    let file = "tests/fixtures/warnings/release.yaml";
    let o = check(&[file]);
    assert_eq!(code(&o), 0);
    assert!(
        stdout(&o)
            .ends_with("\nREADY · on track · gate release passes: 0 errors, 1 warning, 0 waived\n"),
        "{}",
        stdout(&o)
    );
    let o = check(&[file, "--strict"]);
    assert_eq!(code(&o), 1);
    assert!(
        stdout(&o).ends_with("\nNOT READY · not on track (1 late) · gate release fails: 0 errors, 1 warning, 0 waived\n"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn select_and_ignore() {
    let file = "tests/fixtures/not-ready/release.yaml";
    // Only the orphan warning: ready.
    let o = check(&[file, "--select", "RC003", "--format", "json"]);
    assert_eq!(code(&o), 0);
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let rules: Vec<&str> = json["manifests"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["RC003"]);
    // A prefix, repeated and comma-separated options, names: RC0 minus RC001 and orphan-artifact.
    let o = check(&[
        file,
        "--select",
        "RC0",
        "--ignore",
        "RC001,orphan-artifact",
        "--format",
        "json",
    ]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    let o = check(&[file, "--ignore", "RC001", "--ignore", "untested-feature"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    // Unknown tokens are usage errors.
    let o = check(&[file, "--select", "RC9"]);
    assert_eq!(code(&o), 2);
    assert_eq!(stderr(&o), "error: unknown rule 'RC9'; closest: RC009\n");
    let o = check(&[file, "--ignore", "untested"]);
    assert_eq!(code(&o), 2);
    assert_eq!(
        stderr(&o),
        "error: unknown rule 'untested'; closest: untested-feature, untested-backout-plan\n"
    );
}

#[test]
fn waivers_cover_expire_and_go_unused() {
    let o = check(&["tests/fixtures/waivers/release.yaml"]);
    assert_eq!(code(&o), 1);
    insta::assert_snapshot!("waivers_human", stdout(&o));
    let o = check(&["tests/fixtures/waivers/release.yaml", "--format", "json"]);
    insta::assert_snapshot!("waivers_json", stdout(&o));
}

#[test]
fn rules_lists_every_rule() {
    let o = run(&["rules"]);
    assert_eq!(code(&o), 0);
    insta::assert_snapshot!("rules_human", stdout(&o));
    let o = run(&["rules", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let list = json.as_array().unwrap();
    assert!(list.iter().any(|r| r["code"] == "RC101"
        && r["name"] == "untested-feature"
        && r["default"] == "error"));
}

#[test]
fn explain_by_code_or_name() {
    let by_code = run(&["explain", "RC101"]);
    let by_name = run(&["explain", "untested-feature"]);
    assert_eq!(code(&by_code), 0);
    assert_eq!(stdout(&by_code), stdout(&by_name));
    let text = stdout(&by_code);
    assert!(
        text.starts_with("# RC101 untested-feature\n\nDefault severity: error."),
        "{text}"
    );
    for section in [
        "## What it checks",
        "## Why it matters",
        "## Example",
        "```yaml",
    ] {
        assert!(text.contains(section), "{section}");
    }
    let o = run(&["explain", "untested-featur"]);
    assert_eq!(code(&o), 2);
    assert_eq!(
        stderr(&o),
        "error: unknown rule 'untested-featur'; closest: untested-feature\n"
    );
}

#[test]
fn output_file_gets_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.json");
    let o = check(&[
        "tests/fixtures/ready/release.yaml",
        "--format",
        "json",
        "--output",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0);
    assert_eq!(stdout(&o), "");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(json["ready"], true);
}

#[test]
fn colour_only_when_asked() {
    let file = "tests/fixtures/not-ready/release.yaml";
    assert!(stdout(&check(&[file, "--color", "always"])).contains("\u{1b}["));
    assert!(!stdout(&check(&[file, "--color", "never"])).contains("\u{1b}["));
    // auto: not a terminal here, so no colour.
    assert!(!stdout(&check(&[file])).contains("\u{1b}["));
}

#[test]
fn folders_are_walked_for_manifests() {
    let o = check(&["tests/fixtures/ready", "tests/fixtures/warnings"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("(tests/fixtures/ready/release.yaml): ready"),
        "{out}"
    );
    assert!(
        out.contains("(tests/fixtures/warnings/release.yaml): ready"),
        "{out}"
    );
}

#[test]
fn default_manifest_is_in_the_current_folder() {
    let dir = crate_dir().join("tests/fixtures/ready");
    let o = run_in(&dir, &["check", "--today", TODAY]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("(release.yaml): ready"));
    // A repository without one (the search stops at its root: tests/integration/everyday.rs).
    let empty = tempfile::tempdir().unwrap();
    std::fs::create_dir(empty.path().join(".git")).unwrap();
    let o = run_in(empty.path(), &["check"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).starts_with("error: no manifest found in "),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("`relcheck init`"), "{}", stderr(&o));
}

#[test]
fn one_invalid_manifest_does_not_hide_the_others() {
    let o = check(&[
        "tests/fixtures/errors/bad-date.yaml",
        "tests/fixtures/ready/release.yaml",
    ]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).starts_with("tests/fixtures/errors/bad-date.yaml:4:9:"));
    assert!(stdout(&o).contains("(tests/fixtures/ready/release.yaml): ready"));
}

#[test]
fn bad_today_and_missing_paths_are_usage_errors() {
    let o = run(&[
        "check",
        "--today",
        "2026-02-30",
        "tests/fixtures/ready/release.yaml",
    ]);
    assert_eq!(code(&o), 2);
    assert_eq!(
        stderr(&o),
        "error: invalid --today '2026-02-30': expected an existing day written YYYY-MM-DD\n"
    );
    let o = check(&["tests/fixtures/nothing-here.yaml"]);
    assert_eq!(code(&o), 2);
    assert_eq!(
        stderr(&o),
        "tests/fixtures/nothing-here.yaml: no such file or folder\n"
    );
}

/// The README's command checks the storefront example as of the real today: it is ready on any
/// day, before, during and long after its release sprint (the wall clock is faked so that the
/// test does not depend on the day it runs). So is the shared-evidence example (its reports go
/// stale, a warning, a month after they were written).
#[test]
fn the_shipped_examples() {
    for day in [
        "2026-01-01",
        "2026-11-30",
        "2026-12-15",
        "2027-06-30",
        "2031-12-31",
    ] {
        for example in [
            "examples/storefront/release.yaml",
            "examples/shared-evidence/release.yaml",
        ] {
            let o = relcheck_in(crate_dir())
                .args(["check", example])
                .env("RELCHECK_TEST_CLOCK", day)
                .output()
                .unwrap();
            assert_eq!(code(&o), 0, "{example} {day}: {}{}", stdout(&o), stderr(&o));
        }
    }
    let o = check(&["examples/not-ready/release.yaml"]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
}

#[test]
fn help_documents_exit_codes() {
    for args in [&["--help"][..], &["check", "--help"]] {
        let out = stdout(&run(args));
        assert!(out.contains("Exit codes:\n  0  ready"), "{out}");
    }
    assert!(stdout(&run(&["--version"])).starts_with("relcheck "));
}
