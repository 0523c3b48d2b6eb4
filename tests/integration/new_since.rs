//! `--new-since GITREF`: only what a change made worse counts for the gate, in temporary git
//! repositories built by the tests (fixed dates, fixed authors).

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use crate::common::{relcheck_in, stderr};

/// The freeze is 2026-12-01; checks run on 2026-11-26 unless a test says otherwise.
const BASE: &str = "relcheck: 1
release:
  name: R
  date: 2026-12-15
  freeze: 2026-12-01
features:
  - id: login
    status: accepted
    tests: []
";

pub(crate) fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("GIT_AUTHOR_DATE", "2026-11-01T12:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-11-01T12:00:00Z")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub(crate) fn write(dir: &Path, path: &str, text: &str) {
    let p = dir.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A repository whose `main` holds `rel/release.yaml` (`manifest`) and `files`.
fn repo(manifest: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    write(dir.path(), "rel/release.yaml", manifest);
    for (p, t) in files {
        write(dir.path(), p, t);
    }
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "base"]);
    dir
}

/// `check --today TODAY --format json ARGS` in `dir`.
pub(crate) fn check(dir: &Path, today: &str, args: &[&str]) -> (Output, Value) {
    let o = relcheck_in(dir)
        .args(["check", "--today", today, "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let j = serde_json::from_slice(&o.stdout).unwrap_or(Value::Null);
    (o, j)
}

/// Each finding as `RULE subject baseline`.
fn findings(j: &Value) -> Vec<String> {
    j["manifests"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {} {}",
                f["rule"].as_str().unwrap(),
                f["subject"].as_str().unwrap(),
                f["baseline"].as_str().unwrap_or("-")
            )
        })
        .collect()
}

fn listed(j: &Value, list: &str) -> Vec<String> {
    j["manifests"][0][list]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["rule"].as_str().unwrap(),
                f["subject"].as_str().unwrap()
            )
        })
        .collect()
}

fn has(list: &[String], item: &str) -> bool {
    list.iter().any(|l| l == item)
}

const ON_TRACK: [&str; 5] = [
    "rel/release.yaml",
    "--gate",
    "on-track",
    "--new-since",
    "main",
];

#[test]
fn a_change_that_adds_a_late_finding_fails_and_one_that_keeps_findings_passes() {
    let dir = repo(BASE, &[]);
    git(dir.path(), &["checkout", "-q", "-b", "change"]);
    // Unchanged: the existing findings do not count, under either gate.
    let (o, j) = check(dir.path(), "2026-11-26", &ON_TRACK);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        has(&findings(&j), "RC101 login existing"),
        "{:?}",
        findings(&j)
    );
    assert_eq!(j["summary"]["new"], 0);
    assert_eq!(j["gate"]["new_since"], "main");
    assert_eq!(j["gate"]["base"].as_str().map(str::len), Some(40));
    let (o, _) = check(
        dir.path(),
        "2026-11-26",
        &["rel/release.yaml", "--new-since", "main"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Without --new-since the release is not ready: the ratchet is what passes.
    let (o, j) = check(dir.path(), "2026-11-26", &["rel/release.yaml"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(j["ready"], false);

    // A feature that links an unknown test: RC001 is due now, so late.
    write(
        dir.path(),
        "rel/release.yaml",
        &format!("{BASE}  - id: pay\n    status: accepted\n    tests: [nowhere]\n"),
    );
    let (o, j) = check(dir.path(), "2026-11-26", &ON_TRACK);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let f = findings(&j);
    assert!(
        f.iter()
            .any(|f| f.starts_with("RC001 ") && f.ends_with(" new")),
        "{f:?}"
    );
    assert!(has(&f, "RC101 login existing"), "{f:?}");
    assert_eq!(j["ready"], false);
}

#[test]
fn before_the_freeze_only_late_new_findings_count_and_from_it_on_all_new_ones() {
    let dir = repo(BASE, &[]);
    git(dir.path(), &["checkout", "-q", "-b", "change"]);
    // A new feature without tests: RC101, due at the freeze, not late before it.
    write(
        dir.path(),
        "rel/release.yaml",
        &format!("{BASE}  - id: pay\n    status: accepted\n    tests: []\n"),
    );
    let (o, j) = check(dir.path(), "2026-11-26", &ON_TRACK);
    let f = findings(&j);
    assert!(has(&f, "RC101 pay new"), "{f:?}");
    assert_eq!(o.status.code(), Some(0), "{f:?} {}", stderr(&o));
    // The release gate counts every new blocking finding.
    let (o, _) = check(
        dir.path(),
        "2026-11-26",
        &["rel/release.yaml", "--new-since", "main"],
    );
    assert_eq!(o.status.code(), Some(1));
    // From the freeze on, no change may make the release worse.
    let (o, j) = check(dir.path(), "2026-12-01", &ON_TRACK);
    assert_eq!(o.status.code(), Some(1), "{:?}", findings(&j));
}

#[test]
fn resolved_and_relaxed_findings_are_listed() {
    let base = format!("{BASE}  - id: pay\n    status: accepted\n    tests: []\n");
    let dir = repo(&base, &[]);
    git(dir.path(), &["checkout", "-q", "-b", "change"]);
    // `pay` dropped (resolved); RC101 switched off by the change (relaxed: still judged).
    write(
        dir.path(),
        "rel/release.yaml",
        &format!("{BASE}policy:\n  rules:\n    RC101: off\n"),
    );
    let (o, j) = check(dir.path(), "2026-11-26", &ON_TRACK);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let resolved = listed(&j, "resolved");
    assert!(has(&resolved, "RC101 pay"), "{resolved:?}");
    let relaxed = listed(&j, "relaxed");
    assert!(has(&relaxed, "RC101 login"), "{relaxed:?}");
    // The gate judged RC101 as on: login's finding is still reported.
    assert!(has(&findings(&j), "RC101 login existing"));
    assert!(j["summary"]["resolved"].as_u64().unwrap() >= 1);
    // The human report lists both sections.
    let o = relcheck_in(dir.path())
        .args(["check", "--today", "2026-11-26", "--color", "never"])
        .args(ON_TRACK)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("resolved by this change:\n  RC101 pay: "),
        "{text}"
    );
    assert!(
        text.contains("relaxed by this change:\n  RC101 login: "),
        "{text}"
    );
}

#[test]
fn a_change_that_waives_its_own_new_finding_still_fails() {
    let dir = repo(BASE, &[]);
    git(dir.path(), &["checkout", "-q", "-b", "change"]);
    let waived = format!(
        "{BASE}  - id: pay\n    status: accepted\n    tests: []\nwaivers:\n  - rule: RC101\n    subject: pay\n    reason: later\n    owner: me\n"
    );
    write(dir.path(), "rel/release.yaml", &waived);
    let (o, j) = check(
        dir.path(),
        "2026-11-26",
        &["rel/release.yaml", "--new-since", "main"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let pay = j["manifests"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "RC101" && f["subject"] == "pay")
        .cloned()
        .unwrap();
    assert_eq!(pay["waived"], false);
    assert_eq!(pay["baseline"], "new");
    assert!(has(&listed(&j, "relaxed"), "RC101 pay"));
    // Once merged, the waiver is the base's too, and covers it.
    git(dir.path(), &["commit", "-q", "-am", "waive"]);
    git(dir.path(), &["checkout", "-q", "main"]);
    git(dir.path(), &["merge", "-q", "--ff-only", "change"]);
    let (o, _) = check(
        dir.path(),
        "2026-11-26",
        &["rel/release.yaml", "--new-since", "main"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn a_deleted_doc_is_a_new_finding_and_an_uncommitted_report_is_read_as_it_is() {
    let base = format!(
        "{}docs:\n  - id: guide\n    kind: user\n    path: docs/guide.md\n    status: final\n",
        BASE.replace("tests: []", "tests: [it]\n    docs: [guide]")
    ) + "tests:\n  - id: it\n    kind: integration\n    status: passed\n    report: reports/it.xml\n";
    let dir = repo(
        &base,
        &[("rel/docs/guide.md", "# Guide\n\nHow to log in.\n")],
    );
    git(dir.path(), &["checkout", "-q", "-b", "change"]);
    // A report CI generates (never committed): the base's check reads it as it is now.
    write(
        dir.path(),
        "rel/reports/it.xml",
        "<testsuite name=\"s\" tests=\"1\" failures=\"0\"><testcase name=\"c\"/></testsuite>\n",
    );
    let (o, j) = check(dir.path(), "2026-11-26", &ON_TRACK);
    let f = findings(&j);
    assert!(
        !f.iter().any(|f| f.contains("guide") || f.contains(" it ")),
        "{f:?}"
    );
    assert!(
        listed(&j, "resolved").is_empty(),
        "{:?}",
        listed(&j, "resolved")
    );
    assert_eq!(o.status.code(), Some(0), "{f:?}");
    std::fs::remove_file(dir.path().join("rel/docs/guide.md")).unwrap();
    let (o, j) = check(dir.path(), "2026-11-26", &ON_TRACK);
    let f = findings(&j);
    assert!(has(&f, "RC005 guide new"), "{f:?}");
    assert_eq!(o.status.code(), Some(1), "{f:?}");
}

#[test]
fn a_branch_behind_its_base_is_judged_from_the_merge_base() {
    let dir = repo(BASE, &[]);
    git(dir.path(), &["checkout", "-q", "-b", "change"]);
    write(dir.path(), "rel/notes.txt", "unrelated\n");
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "unrelated"]);
    // main moves on and fixes login's RC101 meanwhile.
    git(dir.path(), &["checkout", "-q", "main"]);
    write(
        dir.path(),
        "rel/release.yaml",
        &BASE.replace("tests: []", "tests: [t]"),
    );
    git(dir.path(), &["commit", "-q", "-am", "fix"]);
    git(dir.path(), &["checkout", "-q", "change"]);
    let (o, j) = check(dir.path(), "2026-11-26", &ON_TRACK);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(has(&findings(&j), "RC101 login existing"));
    assert!(listed(&j, "resolved").is_empty());
}

#[test]
fn a_renamed_manifest_and_a_renamed_release_keep_their_findings() {
    let dir = repo(BASE, &[]);
    git(dir.path(), &["checkout", "-q", "-b", "change"]);
    git(
        dir.path(),
        &["mv", "rel/release.yaml", "rel/web.release.yaml"],
    );
    write(
        dir.path(),
        "rel/web.release.yaml",
        &BASE.replace("name: R", "name: Web"),
    );
    git(dir.path(), &["add", "."]);
    let (o, j) = check(
        dir.path(),
        "2026-11-26",
        &["rel/web.release.yaml", "--new-since", "main"],
    );
    let f = findings(&j);
    assert!(has(&f, "RC101 login existing"), "{f:?}");
    assert!(!f.iter().any(|f| f.ends_with(" new")), "{f:?}");
    assert_eq!(o.status.code(), Some(0), "{f:?} {}", stderr(&o));
}

#[test]
fn a_manifest_new_since_the_base_has_only_new_findings() {
    let dir = repo(BASE, &[]);
    write(dir.path(), "other/release.yaml", BASE);
    let (o, j) = check(
        dir.path(),
        "2026-11-26",
        &["other/release.yaml", "--new-since", "main"],
    );
    assert_eq!(o.status.code(), Some(1));
    let f = findings(&j);
    assert!(
        !f.is_empty() && f.iter().all(|f| f.ends_with(" new")),
        "{f:?}"
    );
}

#[test]
fn a_repository_without_commits_makes_every_finding_new() {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    write(dir.path(), "rel/release.yaml", BASE);
    let (o, j) = check(
        dir.path(),
        "2026-11-26",
        &["rel/release.yaml", "--new-since", "HEAD"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(has(&findings(&j), "RC101 login new"));
    assert_eq!(j["gate"]["base"], Value::Null);
}

#[test]
fn a_shallow_clone_names_both_fixes() {
    let origin = repo(BASE, &[]);
    git(origin.path(), &["checkout", "-q", "-b", "change"]);
    write(origin.path(), "rel/notes.txt", "x\n");
    git(origin.path(), &["add", "."]);
    git(origin.path(), &["commit", "-q", "-m", "change"]);
    git(origin.path(), &["checkout", "-q", "main"]);
    write(origin.path(), "rel/other.txt", "y\n");
    git(origin.path(), &["add", "."]);
    git(origin.path(), &["commit", "-q", "-m", "main moves"]);
    let clones = tempfile::tempdir().unwrap();
    let url = format!("file://{}", origin.path().display());
    git(
        clones.path(),
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            "--no-single-branch",
            "-b",
            "change",
            &url,
            "c",
        ],
    );
    let clone = clones.path().join("c");
    let (o, j) = check(
        &clone,
        "2026-11-26",
        &["rel/release.yaml", "--new-since", "origin/main"],
    );
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("--new-since 'origin/main'"), "{e}");
    assert!(
        e.contains("git fetch --unshallow") && e.contains("fetch-depth: 0"),
        "{e}"
    );
    // The machine formats still print their report, holding the error.
    assert_eq!(j["ready"], false);
}

#[test]
fn a_bad_ref_or_no_repository_is_exit_2_naming_the_option_and_the_ref() {
    let dir = repo(BASE, &[]);
    let (o, _) = check(
        dir.path(),
        "2026-11-26",
        &["rel/release.yaml", "--new-since", "no-such-branch"],
    );
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("--new-since 'no-such-branch' does not name a commit"),
        "{e}"
    );

    let plain = tempfile::tempdir().unwrap();
    write(plain.path(), "release.yaml", BASE);
    let (o, _) = check(
        plain.path(),
        "2026-11-26",
        &["release.yaml", "--new-since", "main"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--new-since 'main' needs a git repository"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn git_dir_in_the_environment_does_not_change_the_base() {
    let dir = repo(BASE, &[]);
    git(dir.path(), &["checkout", "-q", "-b", "change"]);
    // Another repository where the manifest never had findings for `pay`.
    let decoy = repo(
        &format!("{BASE}  - id: pay\n    status: accepted\n    tests: []\n"),
        &[],
    );
    write(
        dir.path(),
        "rel/release.yaml",
        &format!("{BASE}  - id: pay\n    status: accepted\n    tests: []\n"),
    );
    let o = relcheck_in(dir.path())
        .args(["check", "--today", "2026-11-26", "--format", "json"])
        .args(["rel/release.yaml", "--new-since", "main"])
        .env("GIT_DIR", decoy.path().join(".git"))
        .env("GIT_WORK_TREE", decoy.path())
        .output()
        .unwrap();
    let j: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(has(&findings(&j), "RC101 pay new"), "{:?}", findings(&j));
    assert_eq!(o.status.code(), Some(1));
}

/// A change on `change` against `main`: `pay` dropped (its RC101 resolved), `cart` added
/// without tests (RC101 new), `login` waived by the change alone (RC101 existing, relaxed).
fn changed_repo() -> tempfile::TempDir {
    let base = format!("{BASE}  - id: pay\n    status: accepted\n    tests: []\n");
    let dir = repo(&base, &[]);
    git(dir.path(), &["checkout", "-q", "-b", "change"]);
    write(
        dir.path(),
        "rel/release.yaml",
        &format!(
            "{BASE}  - id: cart\n    status: accepted\n    tests: []\nwaivers:\n  - rule: RC101\n    subject: login\n    reason: later\n    owner: me\n    expires: 2026-12-10\n"
        ),
    );
    dir
}

const SINCE: [&str; 3] = ["rel/release.yaml", "--new-since", "main"];

/// `check --today 2026-11-26 --format FORMAT ARGS` in `dir`: the exit code and standard output.
fn report(dir: &Path, format: &str, args: &[&str]) -> (Option<i32>, String) {
    let o = relcheck_in(dir)
        .args(["check", "--today", "2026-11-26", "--format", format])
        .args(args)
        .output()
        .unwrap();
    (o.status.code(), String::from_utf8(o.stdout).unwrap())
}

/// The parts of `text` that begin with `heading`, each up to the next one.
fn sections<'t>(text: &'t str, heading: &str) -> Vec<&'t str> {
    text.split(heading).skip(1).collect()
}

/// The one part of `text` after `heading` whose title begins with `title`.
fn section<'t>(text: &'t str, heading: &str, title: &str) -> &'t str {
    let found: Vec<&str> = sections(text, heading)
        .into_iter()
        .filter(|s| {
            // Markdown's part begins with its title; HTML's with the heading's attributes.
            s.starts_with(title)
                || s.split_once('>')
                    .is_some_and(|(_, rest)| rest.starts_with(title))
        })
        .collect();
    assert_eq!(found.len(), 1, "one section {title:?} in:\n{text}");
    found[0]
}

#[test]
fn sarif_marks_new_and_unchanged_results_and_lists_resolved_ones_in_the_run() {
    let dir = changed_repo();
    let (code, text) = report(dir.path(), "sarif", &SINCE);
    assert_eq!(code, Some(1), "cart's RC101 is new and blocks");
    let log = crate::formats::validate_sarif(&text);
    let run = &log["runs"][0];
    let results = run["results"].as_array().unwrap();
    let state = |subject: &str| {
        let r: Vec<&Value> = results
            .iter()
            .filter(|r| r["ruleId"] == "RC101" && r["properties"]["subject"] == subject)
            .collect();
        assert_eq!(r.len(), 1, "{subject}: {text}");
        r[0]["baselineState"].clone()
    };
    assert_eq!(state("cart"), "new");
    assert_eq!(state("login"), "unchanged");
    assert!(
        results
            .iter()
            .all(|r| r["baselineState"] == "new" || r["baselineState"] == "unchanged"),
        "{text}"
    );
    // Resolved findings are listed in the run, never results.
    assert!(
        !results.iter().any(|r| r["properties"]["subject"] == "pay"),
        "{text}"
    );
    let resolved = run["properties"]["resolved"].as_array().unwrap();
    assert!(
        resolved.iter().any(|r| r["rule"] == "RC101"
            && r["subject"] == "pay"
            && r["manifest"] == "rel/release.yaml"
            && r["message"].as_str().is_some_and(|m| m.contains("'pay'"))),
        "{resolved:?}"
    );
    assert_eq!(run["properties"]["newSince"], "main");
    assert_eq!(run["properties"]["base"].as_str().map(str::len), Some(40));
    // Without --new-since, neither is written.
    let (_, text) = report(dir.path(), "sarif", &SINCE[..1]);
    let log = crate::formats::validate_sarif(&text);
    assert!(log["runs"][0].get("properties").is_none(), "{text}");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    assert!(results.iter().all(|r| r.get("baselineState").is_none()));
}

#[test]
fn github_annotates_only_new_findings_and_counts_the_others_in_its_summary() {
    let dir = changed_repo();
    let (code, text) = report(dir.path(), "github", &SINCE);
    assert_eq!(code, Some(1));
    let annotations: Vec<&str> = text.lines().filter(|l| l.starts_with("::")).collect();
    assert!(
        annotations
            .iter()
            .any(|l| l.starts_with("::error ") && l.contains("RC101") && l.contains("'cart'")),
        "{text}"
    );
    assert!(
        !annotations
            .iter()
            .any(|l| l.contains("title=RC101 ") && l.contains("'login'")),
        "an existing finding is not annotated:\n{text}"
    );
    assert!(
        !annotations.iter().any(|l| l.contains("title=RC202 ")),
        "{text}"
    );
    // The summary line counts as the JSON report does.
    let (_, j) = check(dir.path(), "2026-11-26", &SINCE);
    let existing = j["manifests"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["waived"] == false && f["baseline"] == "existing")
        .count();
    assert!(existing >= 1);
    let summary = text.lines().last().unwrap();
    assert!(summary.starts_with("relcheck: NOT READY"), "{summary}");
    assert!(
        summary.ends_with(&format!(
            " · since main: {} new, {existing} existing, {} resolved",
            j["summary"]["new"], j["summary"]["resolved"]
        )),
        "{summary}"
    );
    // Without --new-since, the release's missing notes (there at the base) are annotated.
    let (_, text) = report(dir.path(), "github", &SINCE[..1]);
    assert!(
        text.lines()
            .any(|l| l.starts_with("::error ") && l.contains("title=RC202 ")),
        "{text}"
    );
    assert!(!text.contains("since main"), "{text}");
}

#[test]
fn markdown_shows_new_findings_first_then_existing_resolved_and_relaxed() {
    let dir = changed_repo();
    let (code, text) = report(dir.path(), "markdown", &SINCE);
    assert_eq!(code, Some(1));
    assert!(text.len() <= relcheck::report::markdown::MAX_BYTES);
    let at = |heading: &str| {
        text.find(heading)
            .unwrap_or_else(|| panic!("{heading:?} in:\n{text}"))
    };
    let order = [
        at("\n#### New findings"),
        at("\n#### Existing findings"),
        at("\n#### Resolved by this change"),
        at("\n#### Relaxed by this change"),
    ];
    assert!(order.is_sorted(), "{order:?}:\n{text}");
    assert!(!text.contains("\n#### Findings"), "{text}");
    let rows = |title: &str, subject: &str| {
        section(&text, "\n#### ", title)
            .lines()
            .filter(|l| l.starts_with("| ") && l.contains("[RC101]") && l.contains(subject))
            .count()
    };
    assert_eq!(rows("New findings", "cart"), 1, "{text}");
    assert_eq!(rows("New findings", "login"), 0, "{text}");
    assert_eq!(rows("Existing findings", "login"), 1, "{text}");
    assert_eq!(rows("Existing findings", "cart"), 0, "{text}");
    assert_eq!(rows("Resolved by this change", "| pay |"), 1, "{text}");
    assert_eq!(rows("Relaxed by this change", "| login |"), 1, "{text}");
    // Without --new-since, one findings section and none of these.
    let (_, text) = report(dir.path(), "markdown", &SINCE[..1]);
    assert!(text.contains("\n#### Findings\n"), "{text}");
    assert!(!text.contains("New findings") && !text.contains("by this change"));
}

#[test]
fn html_shows_new_findings_first_then_existing_resolved_and_relaxed() {
    let dir = changed_repo();
    let (code, text) = report(dir.path(), "html", &SINCE);
    assert_eq!(code, Some(1));
    let at = |heading: &str| {
        text.find(heading)
            .unwrap_or_else(|| panic!("{heading:?} in:\n{text}"))
    };
    let order = [
        at(r#"<h3 class="new">New findings ("#),
        at(r#"<h3 class="existing">Existing findings ("#),
        at("<h3>Resolved by this change</h3>"),
        at("<h3>Relaxed by this change</h3>"),
    ];
    assert!(order.is_sorted(), "{order:?}:\n{text}");
    let rows = |title: &str, subject: &str| {
        section(&text, "<h3", title)
            .lines()
            .filter(|l| l.starts_with("<tr>") && l.contains(">RC101</a>") && l.contains(subject))
            .count()
    };
    assert_eq!(rows("New findings", "cart"), 1, "{text}");
    assert_eq!(rows("New findings", "login"), 0, "{text}");
    assert_eq!(rows("Existing findings", "login"), 1, "{text}");
    assert_eq!(rows("Existing findings", "cart"), 0, "{text}");
    assert_eq!(
        rows("Resolved by this change", "<code>pay</code>"),
        1,
        "{text}"
    );
    assert_eq!(
        rows("Relaxed by this change", "<code>login</code>"),
        1,
        "{text}"
    );
    let (_, text) = report(dir.path(), "html", &SINCE[..1]);
    assert!(!text.contains("New findings") && !text.contains("by this change"));
}
