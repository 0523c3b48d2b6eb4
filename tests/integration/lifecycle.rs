//! Gates across the release cycle: findings fall due at the release's own milestones, and
//! `--gate on-track` passes work that is simply not due yet while `--gate release` still
//! means ready to ship.

use std::fs;
use std::path::Path;

use crate::common::{code, relcheck_in, stderr, stdout};

/// A release frozen on 2026-12-01, shipping 2026-12-15: a feature still planned (RC105, due
/// at the freeze) with no docs, training or passing tests (due on the release date).
const RELEASE: &str = "relcheck: 1
release:
  name: Lifecycle
  date: 2026-12-15
  freeze: 2026-12-01
  roles: {product_owner: Dana Ruiz, deployment_engineer: Lee Park}
features:
  - id: search
    title: Search
    status: planned
    tests: [search-it]
tests:
  - {id: search-it, kind: integration, status: not-run}
";

fn gate(dir: &Path, manifest: &str, today: &str, gate: &str) -> i32 {
    let o = relcheck_in(dir)
        .args(["check", manifest, "--today", today, "--gate", gate])
        .output()
        .unwrap();
    assert_eq!(stderr(&o), "", "{}", stdout(&o));
    code(&o)
}

#[test]
fn on_track_until_findings_fall_due_and_ready_only_when_ready() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("release.yaml"), RELEASE).unwrap();
    let d = dir.path();
    // Before the freeze: nothing is late, yet nothing is ready.
    assert_eq!(gate(d, "release.yaml", "2026-11-20", "on-track"), 0);
    assert_eq!(gate(d, "release.yaml", "2026-11-20", "release"), 1);
    // On the freeze day the planned feature is late.
    assert_eq!(gate(d, "release.yaml", "2026-12-01", "on-track"), 1);
    assert_eq!(gate(d, "release.yaml", "2026-11-30", "on-track"), 0);
    // The default gate is the release gate.
    let o = relcheck_in(d)
        .args(["check", "release.yaml", "--today", "2026-11-20"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 1);
}

#[test]
fn policy_due_moves_a_rule_and_integrity_findings_are_due_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Documentation due now: late before the freeze.
    let due = format!("{RELEASE}policy:\n  due:\n    RC2: now\n");
    fs::write(d.join("due.yaml"), due).unwrap();
    assert_eq!(gate(d, "due.yaml", "2026-11-20", "on-track"), 1);
    // Everything moved to the release date: on track until then.
    let due =
        format!("{RELEASE}policy:\n  due:\n    RC1: release\n    RC2: release\n    RC4: release\n");
    fs::write(d.join("later.yaml"), due).unwrap();
    assert_eq!(gate(d, "later.yaml", "2026-12-10", "on-track"), 0);
    assert_eq!(gate(d, "later.yaml", "2026-12-15", "on-track"), 1);
    // An undefined test link (RC001, an integrity rule) is late at once.
    let broken = RELEASE.replace("tests: [search-it]", "tests: [search-it, ghost]");
    fs::write(d.join("broken.yaml"), broken).unwrap();
    assert_eq!(gate(d, "broken.yaml", "2026-11-20", "on-track"), 1);
}

#[test]
fn overtime_in_a_sprint_that_is_over_is_never_late() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let sprints = "sprints:
  - {id: S1, kind: feature, start: 2026-10-05, end: 2026-10-16, planned: 30, completed: 30, hours_per_week: 40, hours_per_day: 14}
policy:
  due:
    RC1: release
    RC2: release
    RC4: release
";
    fs::write(d.join("past.yaml"), format!("{RELEASE}{sprints}")).unwrap();
    // S1's crunch days (RC305, due now) are in the past: they cannot be fixed any more.
    assert_eq!(gate(d, "past.yaml", "2026-11-20", "on-track"), 0);
    assert_eq!(gate(d, "past.yaml", "2026-11-20", "release"), 1);
    // While the sprint runs they are late.
    assert_eq!(gate(d, "past.yaml", "2026-10-10", "on-track"), 1);
}
