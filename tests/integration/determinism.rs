//! Determinism: the same input gives byte-identical output in every format. A large release
//! (thousands of features, about 3% breaking each feature rule, waivers used, unused and
//! expired, files and JUnit reports on disk) and a program whose products differ widely in
//! size (they are checked in parallel, so they finish out of order) are each checked twice
//! per format (once writing every format at once with `--report`, once per format on
//! standard output), under different time zones, and the reports compared byte for byte. No report
//! may carry the wall-clock date: every date in them comes from the manifest or `--today`.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::time::Duration;

use crate::common::{formats, relcheck_in};

/// Far from the wall clock, so that a date taken from it would stand out.
const TODAY: &str = "2099-11-20";
const HANG_GUARD: Duration = Duration::from_secs(120);
/// The two faked wall clocks of the two runs: days no manifest here mentions and no rule's
/// documentation holds, far from `TODAY` and from each other.
const CLOCKS: [&str; 2] = ["2031-03-17", "2047-08-05"];

/// Writes `dir/release.yaml` with `n` features (and the files it names), deterministically.
fn release(dir: &Path, n: usize, program: Option<&str>) {
    fs::create_dir_all(dir.join("docs")).unwrap();
    fs::create_dir_all(dir.join("reports")).unwrap();
    fs::write(
        dir.join("docs/guide.md"),
        "# Guide\n\nHow to use the release.\n",
    )
    .unwrap();
    fs::write(dir.join("docs/todo.md"), "# Notes\n\nTODO\n").unwrap();
    fs::write(
        dir.join("reports/it.xml"),
        "<testsuites><testsuite name='IT'><testcase name='a'/><testcase name='b'/></testsuite></testsuites>\n",
    )
    .unwrap();
    fs::write(
        dir.join("reports/fail.xml"),
        "<testsuite name='IT'><testcase name='a'><failure/></testcase></testsuite>\n",
    )
    .unwrap();
    let mut y = String::new();
    writeln!(
        y,
        "relcheck: 1\nrelease:\n  name: Generated {n}\n  date: 2099-12-15\n  freeze: 2099-11-13"
    )
    .unwrap();
    if let Some(p) = program {
        writeln!(y, "  program: {p}").unwrap();
    }
    y.push_str(
        "  roles: {product_owner: Dana Ruiz, deployment_engineer: Lee Park}
  approvals: [{by: Dana Ruiz, status: approved, date: 2099-12-10}, {by: Kim Olsen, status: rejected, date: 2099-12-11}]
sprints:
  - {id: S1, kind: feature, start: 2099-10-05, end: 2099-10-16, planned: 30, completed: 29, hours_per_week: 45, hours_per_day: 11}
  - {id: S2, kind: feature, start: 2099-10-19, end: 2099-10-30, planned: 30, completed: 31, hours_per_week: 42}
  - {id: R1, kind: release, start: 2099-11-30, end: 2099-12-31, planned: 40, hours_per_week: 40}
features:
",
    );
    // About 3% of the features break each rule, cycling through them.
    let bad = [
        "untested",
        "failing",
        "missing-kind",
        "planned",
        "beta",
        "done",
        "late",
        "release-sprint",
        "critical",
        "major",
        "undocumented",
        "untrained",
        "draft-doc",
        "unknown-ref",
        "duplicate",
    ];
    let flaw = |i: usize| i.is_multiple_of(33).then(|| bad[(i / 33) % bad.len()]);
    for i in 0..n {
        let v = flaw(i);
        let id = if v == Some("duplicate") {
            format!("feature-{:06}", i - 33)
        } else {
            format!("feature-{i:06}")
        };
        let status = match v {
            Some("planned") => "planned",
            Some("done") => "done",
            _ => "accepted",
        };
        let maturity = if v == Some("beta") { "beta" } else { "stable" };
        let added = if v == Some("late") {
            "2099-11-25"
        } else {
            "2099-10-01"
        };
        let sprint = if v == Some("release-sprint") {
            "R1"
        } else if i % 2 == 1 {
            "S1"
        } else {
            "S2"
        };
        let tests = match v {
            Some("untested") => "[]".to_owned(),
            Some("missing-kind") => format!("[f{i}-it]"),
            Some("unknown-ref") => format!("[f{i}-it, f{i}-nope]"),
            _ => format!("[f{i}-it, f{i}-uat]"),
        };
        let docs = if v == Some("undocumented") {
            "[]".to_owned()
        } else {
            format!("[f{i}-guide]")
        };
        let training = if v == Some("untrained") {
            "[]".to_owned()
        } else {
            format!("[f{i}-course]")
        };
        let critical = u8::from(v == Some("critical"));
        let major = if v == Some("major") { 2 } else { 0 };
        writeln!(
            y,
            "  - {{id: {id}, title: Feature {i}, status: {status}, maturity: {maturity}, added: {added}, sprint: {sprint}, tests: {tests}, docs: {docs}, training: {training}, defects: {{critical: {critical}, major: {major}}}}}"
        )
        .unwrap();
    }
    y.push_str("tests:\n");
    for i in 0..n {
        let status = if flaw(i) == Some("failing") {
            "failed"
        } else {
            "passed"
        };
        let report = match i % 100 {
            1 => ", report: reports/it.xml, suite: IT",
            2 => ", report: reports/fail.xml",
            3 => ", report: reports/missing.xml",
            _ => "",
        };
        writeln!(
            y,
            "  - {{id: f{i}-it, kind: integration, status: {status}{report}}}"
        )
        .unwrap();
        writeln!(y, "  - {{id: f{i}-uat, kind: uat, status: passed}}").unwrap();
    }
    y.push_str("  - {id: system-e2e, kind: system, status: passed}\ndocs:\n");
    for i in 0..n {
        let status = if flaw(i) == Some("draft-doc") {
            "draft"
        } else {
            "final"
        };
        let at = match i % 100 {
            2 => "path: docs/guide.md".to_owned(),
            4 => "path: docs/todo.md".to_owned(),
            _ => format!("url: https://docs.example.com/f/{i}"),
        };
        writeln!(
            y,
            "  - {{id: f{i}-guide, kind: user, {at}, status: {status}}}"
        )
        .unwrap();
    }
    y.push_str(
        "  - {id: notes, kind: release-notes, path: docs/guide.md, status: final}\ntraining:\n",
    );
    for i in 0..n {
        writeln!(
            y,
            "  - {{id: f{i}-course, audience: end-user, url: https://learn.example.com/f/{i}, status: ready, session: 2099-12-08}}"
        )
        .unwrap();
    }
    y.push_str(
        "deployment:
  plan: docs/guide.md
  backout: {path: docs/todo.md, tested: false}
  communications: [{audience: customers, url: https://example.com/news}]
  controls: [{name: Package integrity verified, status: not-met}]
  infrastructure: [{name: db, status: installed}]
waivers:
  - {rule: RC106, subject: feature-000132, reason: Beta on purpose, owner: Dana Ruiz, expires: 2099-12-31}
  - {rule: RC101, subject: feature-000000, reason: Expired, owner: Dana Ruiz, expires: 2099-01-01}
  - {rule: RC201, subject: nothing-here, reason: Unused, owner: Dana Ruiz}
  - {rule: RC111, subject: feature-000297, reason: Expiring soon, owner: Lee Park, expires: 2099-11-25}
",
    );
    fs::write(dir.join("release.yaml"), y).unwrap();
}

/// `relcheck check --today TODAY args...` in `dir` with the time zone `tz` and the wall clock
/// faked to `clock`.
fn check(dir: &Path, tz: &str, clock: &str, args: &[&str]) -> (Option<i32>, Vec<u8>, Vec<u8>) {
    let o = relcheck_in(dir)
        .args(["check", "--today", TODAY])
        .args(args)
        .env("TZ", tz)
        .env("RELCHECK_TEST_CLOCK", clock)
        .timeout(HANG_GUARD)
        .output()
        .unwrap();
    (o.status.code(), o.stdout, o.stderr)
}

/// Checks `target` in `dir` twice per format: once with every format written at once by
/// `--report`, in UTC on one faked day, and once per format on standard output, in another
/// time zone on another faked day. Both copies of each format must be the same bytes, and
/// neither faked day may appear in them.
fn assert_deterministic(dir: &Path, target: &str, expected_code: i32) {
    let reports: Vec<String> = formats().map(|f| format!("{f}=report.{f}")).collect();
    let mut args = vec![target, "--format", "json", "--output", "report.stdout"];
    for r in &reports {
        args.extend(["--report", r.as_str()]);
    }
    let first = check(dir, "UTC", CLOCKS[0], &args);
    assert_eq!(
        first.0,
        Some(expected_code),
        "{}",
        String::from_utf8_lossy(&first.2)
    );
    assert!(first.2.is_empty(), "{}", String::from_utf8_lossy(&first.2));
    for format in formats() {
        let written = fs::read(dir.join(format!("report.{format}"))).unwrap();
        let second = check(
            dir,
            "Pacific/Kiritimati",
            CLOCKS[1],
            &[target, "--format", format],
        );
        assert_eq!(
            second.0,
            Some(expected_code),
            "{format}: {}",
            String::from_utf8_lossy(&second.2)
        );
        assert!(
            second.2.is_empty(),
            "{format}: {}",
            String::from_utf8_lossy(&second.2)
        );
        assert!(written.len() > 1000, "{format}: a short report");
        assert!(written == second.1, "{format}: two runs differ");
        let text = String::from_utf8_lossy(&written);
        for clock in CLOCKS {
            assert!(
                !text.contains(clock),
                "{format}: the report holds the wall-clock date {clock}"
            );
        }
    }
    assert!(
        fs::read(dir.join("report.stdout")).unwrap() == fs::read(dir.join("report.json")).unwrap()
    );
}

#[test]
fn a_large_release_gives_the_same_bytes_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    release(dir.path(), 1500, None);
    assert_deterministic(dir.path(), "release.yaml", 1);
}

#[test]
fn a_program_checked_in_parallel_gives_the_same_bytes_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Sizes far apart: with products checked on several threads, the small ones finish first.
    let sizes = [
        ("big", 400),
        ("tiny", 1),
        ("mid", 120),
        ("small", 20),
        ("large", 200),
        ("one", 2),
    ];
    let mut program = String::from(
        "relcheck: 1\nprogram:\n  id: train\n  name: Train\n  date: 2099-12-15\n  products:\n",
    );
    for (i, (name, n)) in sizes.iter().enumerate() {
        // Products name other products, so the program rules have something to report.
        let depends = match i {
            0 => "[tiny, mid]".to_owned(),
            1 => "[one]".to_owned(),
            2 => "[big]".to_owned(),
            _ => "[]".to_owned(),
        };
        let member = if *name == "small" {
            None
        } else {
            Some("train")
        };
        release(&d.join(name), *n, member);
        writeln!(
            program,
            "    - {{id: {name}, manifest: {name}/release.yaml, depends_on: {depends}}}"
        )
        .unwrap();
    }
    writeln!(program, "    - {{id: ghost, manifest: ghost/release.yaml}}").unwrap();
    fs::write(d.join("program.yaml"), program).unwrap();
    assert_deterministic(d, "program.yaml", 1);
    // Reports list the products in the program's order, then the program.
    let (_, json, _) = check(d, "UTC", CLOCKS[0], &["program.yaml", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let paths: Vec<&str> = v["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "big/release.yaml",
            "tiny/release.yaml",
            "mid/release.yaml",
            "small/release.yaml",
            "large/release.yaml",
            "one/release.yaml",
            "program.yaml",
        ]
    );
}

/// The faked clock is the clock: without `--today` it decides the day (so the tests above would
/// see a report that took its dates from the wall clock), and an invalid one is refused.
#[test]
fn the_faked_clock_replaces_the_wall_clock() {
    let dir = tempfile::tempdir().unwrap();
    for clock in CLOCKS {
        let o = relcheck_in(dir.path())
            .args(["init", "--output", "-"])
            .env("RELCHECK_TEST_CLOCK", clock)
            .timeout(HANG_GUARD)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0));
        let starter = String::from_utf8(o.stdout).unwrap();
        assert!(
            starter.contains(&format!("by `relcheck init` on {clock}.")),
            "{clock}: {starter}"
        );
    }
    let o = relcheck_in(dir.path())
        .args(["init", "--output", "-"])
        .env("RELCHECK_TEST_CLOCK", "2026-02-30")
        .timeout(HANG_GUARD)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}
