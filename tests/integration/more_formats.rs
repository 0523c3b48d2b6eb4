//! The GitLab Code Quality and concise formats, `--quiet`, and case-insensitive format
//! names, through the binary. (The format-wide tests, determinism, hostile strings and load
//! errors, run these formats too: their list comes from `Format`.)

use std::collections::BTreeSet;
use std::fs;

use serde_json::Value;

use crate::common::{check, check_in, code, formats, stderr, stdout};

const READY: &str = "tests/fixtures/formats/ready/release.yaml";
const NOT_READY: &str = "tests/fixtures/formats/not-ready/release.yaml";
const PROGRAM: &str = "tests/fixtures/formats/program/program.yaml";

/// A manifest that cannot be loaded: an unknown key at 7:5.
const INVALID: &str = "relcheck: 1\nrelease:\n  name: X\n  date: 2026-12-15\nfeatures:\n  - id: a\n    tets: []\n    status: done\n";

/// The fields GitLab reads from a Code Quality report and their types, as GitLab's "Code
/// Quality report format" documentation lists them
/// (<https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format>): the
/// report is a JSON array of objects with `description` (string), `check_name` (string),
/// `fingerprint` (string, unique: GitLab shows one issue per fingerprint), `severity` (one
/// of `info`, `minor`, `major`, `critical`, `blocker`), `location.path` (string, relative to
/// the repository, not prefixed with `./`) and `location.lines.begin` (integer; or
/// `location.positions.begin.line`, which relcheck does not use).
const SEVERITIES: [&str; 5] = ["info", "minor", "major", "critical", "blocker"];

/// Checks `text` against GitLab's field list and returns the issues.
pub(crate) fn validate_gitlab(text: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(text).unwrap();
    let issues = v
        .as_array()
        .expect("a Code Quality report is a JSON array")
        .clone();
    let mut prints = BTreeSet::new();
    for i in &issues {
        let string = |key: &str| {
            i[key]
                .as_str()
                .unwrap_or_else(|| panic!("{key} is not a string: {i}"))
        };
        assert!(!string("description").is_empty(), "{i}");
        assert!(!string("check_name").is_empty(), "{i}");
        assert!(
            prints.insert(string("fingerprint").to_owned()),
            "duplicate: {i}"
        );
        assert!(SEVERITIES.contains(&string("severity")), "{i}");
        let path = i["location"]["path"].as_str().unwrap();
        assert!(!path.is_empty() && !path.starts_with("./"), "{i}");
        let begin = i["location"]["lines"]["begin"].as_u64().unwrap();
        assert!(begin >= 1, "{i}");
    }
    issues
}

fn gitlab(args: &[&str]) -> (i32, Vec<Value>) {
    let mut args = args.to_vec();
    args.extend(["--format", "gitlab"]);
    let o = check(&args);
    (code(&o), validate_gitlab(&stdout(&o)))
}

fn count(issues: &[Value], severity: &str) -> usize {
    issues.iter().filter(|i| i["severity"] == severity).count()
}

#[test]
fn gitlab_issues_are_the_open_findings_with_the_engines_severities() {
    let (c, issues) = gitlab(&[READY]);
    assert_eq!((c, issues.len()), (0, 0));

    let json: Value =
        serde_json::from_str(&stdout(&check(&[NOT_READY, "--format", "json"]))).unwrap();
    let open: Vec<&Value> = json["manifests"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["waived"] == false)
        .collect();
    let (c, issues) = gitlab(&[NOT_READY]);
    assert_eq!(c, 1);
    assert_eq!(issues.len(), open.len());
    for (issue, f) in issues.iter().zip(&open) {
        assert_eq!(issue["check_name"], f["rule"]);
        assert_eq!(issue["location"]["lines"]["begin"], f["line"]);
        assert_eq!(issue["location"]["path"], f["file"]);
        let message = f["message"].as_str().unwrap();
        assert!(
            issue["description"].as_str().unwrap().starts_with(message),
            "{issue}"
        );
    }
    // The release gate: every open error counts (critical), warnings do not.
    let errors = usize::try_from(json["summary"]["errors"].as_u64().unwrap()).unwrap();
    assert_eq!(count(&issues, "critical"), errors);
    assert_eq!(count(&issues, "major") + count(&issues, "blocker"), 0);
    let late_warnings = open
        .iter()
        .filter(|f| f["severity"] == "warning" && f["late"] == true)
        .count();
    assert_eq!(count(&issues, "minor"), late_warnings);
    assert!(count(&issues, "info") > 0);

    // --strict: warnings count too.
    let (c, strict) = gitlab(&[NOT_READY, "--strict"]);
    assert_eq!(c, 1);
    assert_eq!(count(&strict, "critical"), errors);
    assert_eq!(count(&strict, "major"), open.len() - errors);

    // --gate on-track: only late blocking findings count; the others are minor or info.
    let (c, on_track) = gitlab(&[NOT_READY, "--gate", "on-track"]);
    assert_eq!(c, 1);
    let late_errors = open
        .iter()
        .filter(|f| f["severity"] == "error" && f["late"] == true)
        .count();
    assert_eq!(count(&on_track, "critical"), late_errors);
    assert!(late_errors < errors);
}

#[test]
fn gitlab_fingerprints_are_the_sarif_fingerprints() {
    for target in [
        NOT_READY,
        PROGRAM,
        "tests/fixtures/formats/hostile/release.yaml",
    ] {
        let sarif: Value =
            serde_json::from_str(&stdout(&check(&[target, "--format", "sarif"]))).unwrap();
        // Each once: a manifest named twice (the program's products) repeats its results.
        let mut seen = BTreeSet::new();
        let from_sarif: Vec<(String, String)> = sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r.get("suppressions").is_none())
            .filter(|r| seen.insert(r["partialFingerprints"]["relcheck/v1"].to_string()))
            .map(|r| {
                (
                    r["ruleId"].as_str().unwrap().to_owned(),
                    r["partialFingerprints"]["relcheck/v1"]
                        .as_str()
                        .unwrap()
                        .to_owned(),
                )
            })
            .collect();
        let (_, issues) = gitlab(&[target]);
        let from_gitlab: Vec<(String, String)> = issues
            .iter()
            .map(|i| {
                (
                    i["check_name"].as_str().unwrap().to_owned(),
                    i["fingerprint"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        assert!(!from_gitlab.is_empty(), "{target}");
        assert_eq!(from_gitlab, from_sarif, "{target}");
    }
}

#[test]
fn gitlab_fingerprints_survive_moved_lines() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = fs::read_to_string(crate::common::crate_dir().join(NOT_READY)).unwrap();
    fs::write(dir.path().join("release.yaml"), &yaml).unwrap();
    let prints = |dir: &std::path::Path| -> Vec<(String, u64)> {
        let o = check_in(dir, &["release.yaml", "--format", "gitlab"]);
        validate_gitlab(&stdout(&o))
            .iter()
            .map(|i| {
                (
                    i["fingerprint"].as_str().unwrap().to_owned(),
                    i["location"]["lines"]["begin"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let before = prints(dir.path());
    // Two comment lines on top move every finding down by two lines.
    fs::write(dir.path().join("release.yaml"), format!("# a\n# b\n{yaml}")).unwrap();
    let after = prints(dir.path());
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!((&b.0, b.1 + 2), (&a.0, a.1));
    }
}

#[test]
fn load_errors_are_blocker_issues_at_their_position() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("release.yaml"), INVALID).unwrap();
    let o = check_in(
        dir.path(),
        &["./release.yaml", "no-such.yaml", "--format", "gitlab"],
    );
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("unknown key 'tets'"), "{}", stderr(&o));
    let issues = validate_gitlab(&stdout(&o));
    assert_eq!(issues.len(), 2, "{issues:?}");
    assert!(
        issues
            .iter()
            .all(|i| i["severity"] == "blocker" && i["check_name"] == "load-error")
    );
    let at = |path: &str| {
        issues
            .iter()
            .find(|i| i["location"]["path"] == path)
            .unwrap()
    };
    assert_eq!(at("release.yaml")["location"]["lines"]["begin"], 7);
    assert!(
        at("release.yaml")["description"]
            .as_str()
            .unwrap()
            .starts_with("unknown key 'tets' in feature")
    );
    // A file that does not exist has no line: line 1.
    assert_eq!(at("no-such.yaml")["location"]["lines"]["begin"], 1);
}

/// `file:line:col: CODE [severity] message` (the file name may hold `:` and `: ` itself).
fn is_finding_line(line: &str) -> bool {
    line.match_indices(": ").any(|(i, _)| {
        let mut place = line[..i].rsplitn(3, ':');
        let (Some(col), Some(l), Some(file)) = (place.next(), place.next(), place.next()) else {
            return false;
        };
        let mut words = line[i + 2..].splitn(3, ' ');
        !file.is_empty()
            && l.parse::<u32>().is_ok()
            && col.parse::<u32>().is_ok()
            && words
                .next()
                .is_some_and(|w| w.starts_with("RC") && w.len() == 5)
            && matches!(words.next(), Some("[error]" | "[warning]"))
            && words.next().is_some_and(|m| !m.is_empty())
    })
}

#[test]
fn concise_is_a_line_per_open_finding_then_the_verdict() {
    for (target, expected) in [(READY, 0), (NOT_READY, 1), (PROGRAM, 1)] {
        let o = check(&[target, "--format", "concise"]);
        assert_eq!(code(&o), expected, "{target}: {}", stderr(&o));
        assert_eq!(stderr(&o), "");
        let out = stdout(&o);
        let human = stdout(&check(&[target]));
        let (verdict, findings) = out
            .trim_end()
            .lines()
            .collect::<Vec<_>>()
            .split_last()
            .map(|(v, f)| (*v, f.to_vec()))
            .unwrap();
        // The verdict line is the human report's, word for word.
        assert_eq!(Some(verdict), human.lines().last(), "{target}");
        assert_eq!(verdict.starts_with("READY "), expected == 0, "{verdict}");
        // Each finding line is the human report's line without the due tag.
        for line in &findings {
            assert!(is_finding_line(line), "{target}: {line:?}");
            assert!(
                human.lines().any(|h| h.starts_with(&format!("{line} · "))),
                "{target}: {line:?} is not in the human report"
            );
        }
        let json: Value =
            serde_json::from_str(&stdout(&check(&[target, "--format", "json"]))).unwrap();
        let open: usize = json["manifests"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|m| m["findings"].as_array().unwrap())
            .filter(|f| f["waived"] == false)
            .count();
        assert_eq!(findings.len(), open, "{target}");
    }
    let (c, ready) = {
        let o = check(&[READY, "--format", "concise"]);
        (code(&o), stdout(&o))
    };
    assert_eq!(c, 0);
    assert_eq!(
        ready,
        "READY · on track · gate release passes: 0 errors, 0 warnings, 0 waived\n"
    );
}

#[test]
fn concise_escapes_hostile_file_names_and_strings() {
    let dir = tempfile::tempdir().unwrap();
    let name = "::error::x\n\u{1b}[31mrelease.yaml";
    let yaml = "relcheck: 1\nrelease:\n  name: \"R\\e[2J\\n::error::fake\"\n  date: 2026-12-15\nfeatures:\n  - id: f\n    status: done\n";
    fs::write(dir.path().join(name), yaml).unwrap();
    let o = check_in(dir.path(), &[name, "--format", "concise"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.len() > 2, "{out}");
    for line in &lines[..lines.len() - 1] {
        assert!(
            line.starts_with(r"./::error::x\n\u{1b}[31mrelease.yaml:"),
            "{line:?}"
        );
        assert!(is_finding_line(line), "{line:?}");
    }
    assert!(
        out.contains(r"release 'R\u{1b}[2J\n::error::fake'"),
        "{out}"
    );
    assert!(lines.last().unwrap().starts_with("NOT READY · "), "{out}");

    // The same file name in GitLab's report: exact JSON, no `./`.
    let o = check_in(dir.path(), &[name, "--format", "gitlab"]);
    assert_eq!(code(&o), 1);
    let text = stdout(&o);
    assert!(!text.contains('\u{1b}'));
    let issues = validate_gitlab(&text);
    assert!(
        issues.iter().all(|i| i["location"]["path"] == name),
        "{text}"
    );
}

#[test]
fn quiet_prints_only_the_verdict_line() {
    for (target, expected) in [(READY, 0), (NOT_READY, 1)] {
        let full = stdout(&check(&[target, "--format", "concise"]));
        let verdict = format!("{}\n", full.lines().last().unwrap());
        for args in [
            &["--quiet"][..],
            &["-q", "--format", "concise"],
            &["--format", "human", "-q", "--color", "never"],
        ] {
            let mut all = vec![target];
            all.extend(args);
            let o = check(&all);
            assert_eq!(code(&o), expected, "{args:?}");
            assert_eq!(stdout(&o), verdict, "{args:?}");
            assert_eq!(stderr(&o), "", "{args:?}");
        }
    }
    // Coloured like the human report's verdict line when asked for.
    let o = check(&[NOT_READY, "-q", "--color", "always"]);
    assert!(stdout(&o).starts_with("\u{1b}["), "{:?}", stdout(&o));
    let o = check(&[NOT_READY, "-q", "--format", "concise", "--color", "always"]);
    assert!(!stdout(&o).contains('\u{1b}'));

    // Errors still go to standard error.
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("release.yaml"), INVALID).unwrap();
    let o = check_in(dir.path(), &["release.yaml", "-q"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).starts_with("release.yaml:7:5: unknown key 'tets'"),
        "{}",
        stderr(&o)
    );
    assert!(
        stdout(&o).starts_with("COULD NOT EVALUATE · "),
        "{}",
        stdout(&o)
    );
    assert_eq!(stdout(&o).lines().count(), 1);
}

#[test]
fn quiet_is_refused_for_a_report_read_whole_on_standard_output() {
    for format in formats().filter(|f| !["human", "concise"].contains(f)) {
        let o = check(&[NOT_READY, "--quiet", "--format", format]);
        assert_eq!(code(&o), 2, "{format}");
        assert_eq!(stdout(&o), "", "{format}");
        assert!(
            stderr(&o).starts_with(&format!(
                "error: --quiet --format {format}: only the human and concise reports"
            )),
            "{format}: {}",
            stderr(&o)
        );
    }
    // Written to a file, the report is whole and standard output is empty; --report files
    // are whole too.
    let dir = tempfile::tempdir().unwrap();
    let file = |n: &str| dir.path().join(n).to_str().unwrap().to_owned();
    let o = check(&[
        NOT_READY,
        "-q",
        "--format",
        "gitlab",
        "--output",
        &file("cq.json"),
        "--report",
        &format!("concise={}", file("c.txt")),
    ]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    let written = fs::read_to_string(dir.path().join("cq.json")).unwrap();
    assert_eq!(written, stdout(&check(&[NOT_READY, "--format", "gitlab"])));
    let written = fs::read_to_string(dir.path().join("c.txt")).unwrap();
    assert_eq!(written, stdout(&check(&[NOT_READY, "--format", "concise"])));
}

#[test]
fn format_names_are_case_insensitive() {
    let dir = tempfile::tempdir().unwrap();
    for format in formats() {
        let lower = stdout(&check(&[NOT_READY, "--format", format]));
        let upper = format.to_uppercase();
        let o = check(&[NOT_READY, "--format", &upper]);
        assert_eq!(code(&o), 1, "{upper}: {}", stderr(&o));
        assert_eq!(stdout(&o), lower, "{upper}");
        let file = dir.path().join(format!("r.{format}"));
        let o = check(&[
            NOT_READY,
            "--report",
            &format!("{upper}={}", file.display()),
            "-q",
        ]);
        assert_eq!(code(&o), 1, "{upper}: {}", stderr(&o));
        assert_eq!(fs::read_to_string(&file).unwrap(), lower, "{upper}");
    }
    let o = check(&[NOT_READY, "--format", "Json"]);
    assert_eq!(code(&o), 1);
    let o = check(&[NOT_READY, "--format", "pdf"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("[possible values: human, concise, json"),
        "{}",
        stderr(&o)
    );
}
