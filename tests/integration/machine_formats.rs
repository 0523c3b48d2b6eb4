//! The machine formats (json, sarif, junit, github) under the gates: what could not be loaded
//! is in every report and nothing passes; each finding's due date and lateness, each
//! manifest's milestones and both verdicts in JSON; SARIF fingerprints and levels; what
//! fails a JUnit case and what GitHub annotates under `--gate on-track`.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::common::{check, check_in, code, formats, relcheck_in, stderr, stdout};
use crate::formats::{parse_junit, validate_sarif};

const READY: &str = "tests/fixtures/formats/ready/release.yaml";
const NOT_READY: &str = "tests/fixtures/formats/not-ready/release.yaml";

/// A manifest that cannot be loaded: an unknown key at 7:5.
const INVALID: &str = "relcheck: 1\nrelease:\n  name: X\n  date: 2026-12-15\nfeatures:\n  - id: a\n    tets: []\n    status: done\n";

/// The `failures` of a JUnit report's `<testsuites>`.
fn total_failures(junit: &str) -> usize {
    let line = junit.lines().nth(1).unwrap();
    assert!(line.starts_with("<testsuites "), "{line}");
    let at = line.find(r#" failures=""#).unwrap() + r#" failures=""#.len();
    line[at..].split('"').next().unwrap().parse().unwrap()
}

/// Whether `out` says READY on its own (not as part of NOT READY).
fn says_ready(out: &str) -> bool {
    out.match_indices("READY")
        .any(|(i, _)| !out[..i].ends_with("NOT "))
}

#[test]
fn what_cannot_be_loaded_is_in_every_report_and_nothing_passes() {
    let dir = tempfile::tempdir().unwrap();
    let invalid = dir.path().join("invalid/release.yaml");
    fs::create_dir_all(invalid.parent().unwrap()).unwrap();
    fs::write(&invalid, INVALID).unwrap();
    let empty = dir.path().join("empty");
    fs::create_dir(&empty).unwrap();
    let missing = dir.path().join("no-such/release.yaml");
    let (invalid, empty, missing) = (
        invalid.to_str().unwrap(),
        empty.to_str().unwrap(),
        missing.to_str().unwrap(),
    );
    // Each set of inputs, with the number of load errors it makes.
    let cases: [(&[&str], usize); 6] = [
        (&[invalid], 1),
        (&[invalid, READY], 1),
        (&[READY, invalid, "--gate", "on-track"], 1),
        (&[missing], 1),
        (&[empty, READY], 1),
        (&[NOT_READY, missing, invalid], 2),
    ];
    let mut checked = BTreeSet::new();
    for (inputs, errors) in cases {
        for format in formats() {
            let mut args = inputs.to_vec();
            args.extend(["--format", format]);
            let o = check(&args);
            let out = stdout(&o);
            let what = format!("{format} {inputs:?}");
            assert_eq!(code(&o), 2, "{what}: {}", stderr(&o));
            match format {
                "json" => {
                    let v: Value = serde_json::from_str(&out).unwrap();
                    assert_eq!(v["ready"], false, "{what}");
                    assert_eq!(v["on_track"], false, "{what}");
                    assert_eq!(v["gate"]["pass"], false, "{what}");
                    assert!(!out.contains("\"pass\": true"), "{what}");
                    let listed = v["errors"].as_array().unwrap();
                    assert_eq!(listed.len(), errors, "{what}");
                    for e in listed {
                        assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()));
                        let file = e["file"].as_str().unwrap();
                        assert!([invalid, empty, missing].contains(&file), "{what}: {e}");
                    }
                }
                "sarif" => {
                    let log = validate_sarif(&out);
                    let invocation = &log["runs"][0]["invocations"][0];
                    assert_eq!(invocation["executionSuccessful"], false, "{what}");
                    let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
                    assert_eq!(notes.len(), errors, "{what}");
                    assert!(notes.iter().all(|n| n["level"] == "error"), "{what}");
                }
                "junit" => {
                    let suites = parse_junit(&out);
                    let failures = suites
                        .iter()
                        .flat_map(|(_, cases)| cases)
                        .filter(|c| c.2.starts_with("failure:"))
                        .count();
                    assert!(failures >= errors, "{what}: {out}");
                    assert!(total_failures(&out) >= errors, "{what}: {out}");
                }
                "github" => {
                    let loads = out
                        .lines()
                        .filter(|l| {
                            l.starts_with("::error file=")
                                && l.contains(",title=relcheck load error::")
                        })
                        .count();
                    assert_eq!(loads, errors, "{what}: {out}");
                    let last = out.lines().last().unwrap();
                    assert!(
                        last.starts_with("relcheck: COULD NOT EVALUATE · gate ")
                            && last.contains(" fails: "),
                        "{what}: {last}"
                    );
                }
                "gitlab" => {
                    let issues = crate::more_formats::validate_gitlab(&out);
                    let mut blockers = issues.iter().filter(|i| i["severity"] == "blocker");
                    assert!(blockers.all(|i| i["check_name"] == "load-error"), "{what}");
                    let loads = issues.iter().filter(|i| i["check_name"] == "load-error");
                    assert_eq!(loads.count(), errors, "{what}: {out}");
                }
                // The readable reports: the verdict COULD NOT EVALUATE. The human report
                // prints nothing at all when nothing loaded (the errors are on stderr).
                "human" if out.is_empty() => assert!(!stderr(&o).is_empty(), "{what}"),
                _ => assert!(out.contains("COULD NOT EVALUATE"), "{what}: {out}"),
            }
            assert!(!says_ready(&out), "{what} says READY:\n{out}");
            checked.insert(format);
        }
    }
    assert_eq!(checked.len(), formats().count(), "{checked:?}");
}

#[test]
fn load_errors_keep_their_position_in_every_machine_format() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("release.yaml"), INVALID).unwrap();
    let run = |format: &str| stdout(&check_in(dir.path(), &["release.yaml", "--format", format]));
    let json: Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(json["manifests"], serde_json::json!([]));
    let e = &json["errors"][0];
    assert_eq!(
        (&e["file"], &e["line"], &e["column"]),
        (&"release.yaml".into(), &7.into(), &5.into())
    );
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .starts_with("unknown key 'tets' in feature")
    );

    let log = validate_sarif(&run("sarif"));
    let note = &log["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    let place = &note["locations"][0]["physicalLocation"];
    assert_eq!(place["artifactLocation"]["uri"], "release.yaml");
    assert_eq!(place["region"]["startLine"], 7);
    assert_eq!(place["region"]["startColumn"], 5);
    assert!(
        note["message"]["text"]
            .as_str()
            .unwrap()
            .contains("unknown key 'tets'")
    );

    let suites = parse_junit(&run("junit"));
    assert_eq!(suites.len(), 1);
    assert_eq!(suites[0].0, "release.yaml");
    let case = &suites[0].1[0];
    assert_eq!(case.0, "relcheck load");
    assert!(case.2.starts_with("failure:unknown key 'tets'"), "{case:?}");
    assert!(
        case.3.starts_with("release.yaml:7:5: unknown key 'tets'"),
        "{case:?}"
    );

    let github = run("github");
    assert!(
        github.starts_with("::error file=release.yaml,line=7,col=5,title=relcheck load error::unknown key 'tets' in feature"),
        "{github}"
    );
    // A path that does not exist has no position.
    let json: Value = serde_json::from_str(&stdout(&check_in(
        dir.path(),
        &["gone.yaml", "--format", "json"],
    )))
    .unwrap();
    assert_eq!(json["errors"][0]["line"], Value::Null);
    assert_eq!(json["errors"][0]["column"], Value::Null);
    let github = stdout(&check_in(dir.path(), &["gone.yaml", "--format", "github"]));
    assert!(
        github.starts_with("::error file=gone.yaml,title=relcheck load error::"),
        "{github}"
    );
}

/// A release frozen on 2026-12-01 and shipping 2026-12-15: a planned feature (RC105, due at
/// the freeze), a test not run (RC102, due on the release date), an orphan test (RC003, a
/// warning due now), and RC2xx moved to a date by `policy.due`.
const LIFECYCLE: &str = "relcheck: 1
release:
  name: Lifecycle
  date: 2026-12-15
  freeze: 2026-12-01
  roles: {product_owner: Dana Ruiz, deployment_engineer: Lee Park}
policy:
  due: {RC2: 2026-12-10}
features:
  - id: search
    title: Search
    status: planned
    tests: [search-it]
tests:
  - {id: search-it, kind: integration, status: not-run}
  - {id: orphan, kind: unit, status: passed}
";

/// `relcheck check release.yaml --today today args...` in `dir`.
fn run_on(dir: &Path, today: &str, args: &[&str]) -> (i32, String) {
    let o = relcheck_in(dir)
        .args(["check", "release.yaml", "--today", today])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(stderr(&o), "");
    (code(&o), stdout(&o))
}

fn lifecycle_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("release.yaml"), LIFECYCLE).unwrap();
    dir
}

/// The first finding of `rule` in the first manifest of a JSON report.
fn finding<'v>(json: &'v Value, rule: &str) -> &'v Value {
    json["manifests"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule} finding"))
}

#[test]
fn json_has_due_dates_milestones_both_verdicts_and_the_gate() {
    let dir = lifecycle_dir();
    let (status, out) = run_on(
        dir.path(),
        "2026-11-20",
        &["--format", "json", "--gate", "on-track"],
    );
    assert_eq!(status, 0);
    let json: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(
        (&json["ready"], &json["on_track"]),
        (&false.into(), &true.into())
    );
    assert_eq!(
        json["gate"],
        serde_json::json!({"name": "on-track", "strict": false, "new_since": null, "base": null, "pass": true})
    );
    assert_eq!(json["errors"], serde_json::json!([]));
    assert_eq!(json["warnings"], serde_json::json!([]));
    let m = &json["manifests"][0];
    assert_eq!((&m["ready"], &m["on_track"]), (&false.into(), &true.into()));
    assert_eq!(
        m["milestones"],
        serde_json::json!({"freeze": "2026-12-01", "freeze_source": "release.freeze", "release": "2026-12-15"})
    );
    let due = |rule: &str| {
        let f = finding(&json, rule);
        (f["milestone"].clone(), f["due"].clone(), f["late"].clone())
    };
    assert_eq!(
        due("RC105"),
        ("freeze".into(), "2026-12-01".into(), false.into())
    );
    assert_eq!(
        due("RC102"),
        ("release".into(), "2026-12-15".into(), false.into())
    );
    assert_eq!(
        due("RC201"),
        ("date".into(), "2026-12-10".into(), false.into())
    );
    assert_eq!(due("RC003"), ("now".into(), Value::Null, true.into()));
    assert_eq!(json["summary"]["late"], 1);

    // On the freeze day the freeze's findings are late: off track, the gate fails.
    let (status, out) = run_on(
        dir.path(),
        "2026-12-01",
        &["--format", "json", "--gate", "on-track"],
    );
    assert_eq!(status, 1);
    let json: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(finding(&json, "RC105")["late"], true);
    assert_eq!(
        (&json["on_track"], &json["gate"]["pass"]),
        (&false.into(), &false.into())
    );
    let late = json["manifests"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["late"] == true && f["waived"] == false)
        .count();
    assert_eq!(json["summary"]["late"], late);
    assert!(late > 1);
}

#[test]
fn json_warns_once_about_manifests_without_a_freeze() {
    let dir = tempfile::tempdir().unwrap();
    let no_freeze = LIFECYCLE.replace("  freeze: 2026-12-01\n", "");
    for name in ["a", "b"] {
        fs::create_dir(dir.path().join(name)).unwrap();
        fs::write(dir.path().join(name).join("release.yaml"), &no_freeze).unwrap();
    }
    let o = check_in(
        dir.path(),
        &["a/release.yaml", "b/release.yaml", "--format", "json"],
    );
    let json: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        json["warnings"],
        serde_json::json!(["no scope freeze: everything falls due on the release date"])
    );
    for m in json["manifests"].as_array().unwrap() {
        assert_eq!(m["milestones"]["freeze_source"], "release date");
        assert_eq!(m["milestones"]["freeze"], "2026-12-15");
    }
}

/// Every result's fingerprints, by rule and subject, in report order.
fn fingerprints(sarif: &str) -> Vec<(String, String, String)> {
    let log = validate_sarif(sarif);
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let fp = &r["partialFingerprints"];
            assert_eq!(fp["relcheck/v1"], fp["primaryLocationLineHash"], "{r}");
            let hash = fp["relcheck/v1"].as_str().unwrap().to_owned();
            assert!(
                hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
                "{hash}"
            );
            (
                r["ruleId"].as_str().unwrap().to_owned(),
                r["properties"]["subject"].as_str().unwrap().to_owned(),
                hash,
            )
        })
        .collect()
}

#[test]
fn sarif_fingerprints_survive_moved_lines_and_a_renamed_release() {
    let dir = lifecycle_dir();
    let (_, before) = run_on(dir.path(), "2026-11-20", &["--format", "sarif"]);
    let before = fingerprints(&before);
    let hashes: BTreeSet<&String> = before.iter().map(|f| &f.2).collect();
    assert_eq!(
        hashes.len(),
        before.len(),
        "fingerprints are distinct: {before:?}"
    );

    // Lines move (a comment on top), the release is renamed: every finding keeps its
    // fingerprint, release-wide ones included.
    let moved = format!(
        "# moved\n# down\n{}",
        LIFECYCLE.replace("name: Lifecycle", "name: Renamed")
    );
    fs::write(dir.path().join("release.yaml"), moved).unwrap();
    let (_, after) = run_on(dir.path(), "2026-11-20", &["--format", "sarif"]);
    let after = fingerprints(&after);
    let key = |f: &(String, String, String)| (f.0.clone(), f.2.clone());
    let before: BTreeSet<_> = before.iter().map(key).collect();
    let after: BTreeSet<_> = after.iter().map(key).collect();
    assert_eq!(before, after);
    assert!(
        before.iter().any(|(rule, _)| rule == "RC104"),
        "a release-wide finding: {before:?}"
    );

    // Another manifest path: other fingerprints.
    fs::create_dir(dir.path().join("other")).unwrap();
    fs::write(dir.path().join("other/release.yaml"), LIFECYCLE).unwrap();
    let o = check_in(dir.path(), &["other/release.yaml", "--format", "sarif"]);
    let other: BTreeSet<_> = fingerprints(&stdout(&o)).iter().map(key).collect();
    assert!(other.is_disjoint(&before));
}

#[test]
fn sarif_levels_follow_the_gate_and_keep_the_severity_in_properties() {
    let dir = lifecycle_dir();
    let results = |args: &[&str]| {
        let (_, out) = run_on(dir.path(), "2026-11-20", args);
        let log = validate_sarif(&out);
        log["runs"][0]["results"].as_array().unwrap().clone()
    };
    let level = |results: &[Value], rule: &str| {
        let r = results.iter().find(|r| r["ruleId"] == rule).unwrap();
        (
            r["level"].as_str().unwrap().to_owned(),
            r["properties"]["severity"].as_str().unwrap().to_owned(),
        )
    };
    // Release gate: errors count; a warning does not.
    let release = results(&["--format", "sarif"]);
    assert_eq!(level(&release, "RC105"), ("error".into(), "error".into()));
    assert_eq!(level(&release, "RC003"), ("note".into(), "warning".into()));
    let rc105 = release.iter().find(|r| r["ruleId"] == "RC105").unwrap();
    assert_eq!(rc105["properties"]["due"], "2026-12-01");
    assert_eq!(rc105["properties"]["late"], false);
    // Strict: the warning counts.
    let strict = results(&["--format", "sarif", "--strict"]);
    assert_eq!(
        level(&strict, "RC003"),
        ("warning".into(), "warning".into())
    );
    // On track: an error not due yet does not count.
    let on_track = results(&["--format", "sarif", "--gate", "on-track"]);
    assert_eq!(level(&on_track, "RC105"), ("note".into(), "error".into()));
    assert!(on_track.iter().all(|r| r["level"] == "note"));
}

#[test]
fn junit_fails_only_on_findings_that_count_for_the_gate() {
    let dir = lifecycle_dir();
    let case = |today: &str, gate: &str| {
        let (_, out) = run_on(dir.path(), today, &["--format", "junit", "--gate", gate]);
        let suites = parse_junit(&out);
        suites[0]
            .1
            .iter()
            .find(|c| c.0 == "RC105 unfinished-feature" && c.1 == "search")
            .unwrap()
            .clone()
    };
    let release = case("2026-11-20", "release");
    assert!(release.2.starts_with("failure:"), "{release:?}");
    let early = case("2026-11-20", "on-track");
    assert_eq!(early.2, "pass");
    assert!(
        early.3.starts_with(
            "error (blocks readiness, not late: due 2026-12-01 (freeze)):\nrelease.yaml:"
        ),
        "{early:?}"
    );
    let frozen = case("2026-12-01", "on-track");
    assert!(frozen.2.starts_with("failure:"), "{frozen:?}");
    // Before the freeze nothing that counts for on-track is late: no failure at all.
    let (status, out) = run_on(
        dir.path(),
        "2026-11-20",
        &["--format", "junit", "--gate", "on-track"],
    );
    assert_eq!(status, 0);
    assert_eq!(total_failures(&out), 0, "{out}");
}

#[test]
fn github_annotates_what_counts_and_late_findings_as_notices() {
    let dir = lifecycle_dir();
    let (status, out) = run_on(
        dir.path(),
        "2026-11-20",
        &["--format", "github", "--gate", "on-track"],
    );
    assert_eq!(status, 0);
    let lines: Vec<&str> = out.lines().collect();
    // Nothing counts yet; the late warning is a notice, and the errors due later are not
    // annotated.
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0]
            .starts_with("::notice file=release.yaml,line=16,col=5,title=RC003 orphan-artifact::"),
        "{out}"
    );
    assert_eq!(
        lines[1],
        "relcheck: NOT READY · on track · gate on-track passes: 12 errors, 3 warnings, 0 waived"
    );

    let (status, out) = run_on(
        dir.path(),
        "2026-12-01",
        &["--format", "github", "--gate", "on-track"],
    );
    assert_eq!(status, 1);
    assert!(
        out.lines().any(|l| l.starts_with(
            "::error file=release.yaml,line=12,col=13,title=RC105 unfinished-feature::"
        )),
        "{out}"
    );
    assert!(
        !out.lines().any(|l| l.contains("title=RC102 ")),
        "due on the release date: {out}"
    );
    let last = out.lines().last().unwrap();
    assert!(
        last.starts_with("relcheck: NOT READY · not on track (")
            && last.contains(" late) · gate on-track fails: "),
        "{last}"
    );
    assert!(!says_ready(&out));

    let (_, out) = run_on(
        dir.path(),
        "2026-11-20",
        &["--format", "github", "--strict"],
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("::warning file=release.yaml,line=16,col=5,title=RC003")),
        "{out}"
    );
    assert!(out.ends_with("relcheck: NOT READY · not on track (1 late) · gate release fails: 12 errors, 3 warnings, 0 waived\n"), "{out}");
}

#[test]
fn a_hostile_file_name_that_cannot_be_loaded_fakes_no_line() {
    let dir = tempfile::tempdir().unwrap();
    let name = "::error title=pwned::fake\n\u{1b}[31m ::warning::x \u{202e}.release.yaml";
    fs::write(dir.path().join(name), "relcheck: 1\nrelease: [\u{1b}[2J\n").unwrap();
    for format in formats() {
        let o = check_in(dir.path(), &[name, "--format", format]);
        assert_eq!(code(&o), 2, "{format}");
        let out = stdout(&o);
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{202e}'),
            "{format}:\n{out}"
        );
        for line in out.split(['\n', '\r']) {
            let annotation = format == "github" && line.starts_with("::error file=");
            assert!(
                annotation || !line.trim_start().starts_with("::"),
                "{format} starts a line with '::': {line:?}"
            );
        }
        match format {
            "json" => {
                let v: Value = serde_json::from_str(&out).unwrap();
                assert_eq!(v["errors"][0]["file"], name);
            }
            "sarif" => {
                validate_sarif(&out);
            }
            "junit" => {
                let suites = parse_junit(&out);
                assert_eq!(suites[0].0, name.replace('\u{1b}', "\u{fffd}"));
            }
            _ => {}
        }
    }
}

#[test]
fn every_error_of_a_manifest_is_in_every_machine_format() {
    // Five independent errors: an unknown key, a bad value, a missing key, a duplicate key
    // and a value of the wrong shape; all of them on standard error and in each report.
    let yaml = "relcheck: 1\nrelease:\n  name: X\n  date: 2026-12-15\nfeatures:\n  - id: a\n    status: done\n    tets: [a-it]\n  - id: b\n    status: dne\n  - id: c\ntests:\n  - id: a-it\n    kind: unit\n    status: passed\n    status: failed\npolicy: 3\n";
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("release.yaml"), yaml).unwrap();
    let run = |format: &str| check_in(dir.path(), &["release.yaml", "--format", format]);
    let places = ["8:5", "10:13", "11:5", "16:5", "17:9"];
    let o = run("json");
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 5, "{err}");
    for (line, at) in lines.iter().zip(places) {
        assert!(line.starts_with(&format!("release.yaml:{at}: ")), "{line}");
    }
    let json: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let errors = json["errors"].as_array().unwrap();
    let found: Vec<String> = errors
        .iter()
        .map(|e| format!("{}:{}", e["line"], e["column"]))
        .collect();
    assert_eq!(found, places);
    let sarif = validate_sarif(&stdout(&run("sarif")));
    let notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    let found: Vec<String> = notes
        .iter()
        .map(|n| {
            let region = &n["locations"][0]["physicalLocation"]["region"];
            format!("{}:{}", region["startLine"], region["startColumn"])
        })
        .collect();
    assert_eq!(found, places);
    // The verdict line counts the one file that did not load, not its five errors.
    let concise = stdout(&run("concise"));
    assert!(
        concise.contains("1 manifest or folder not loaded;"),
        "{concise}"
    );
}
