//! `--baseline-ref`: scope creep against the manifest as it was at a git commit, in a
//! temporary repository built by the test.

use std::path::Path;
use std::process::{Command, Output};

use crate::common::{check_in, stderr};

const V1: &str = "relcheck: 1\nrelease:\n  name: R\n  date: 2026-12-15\nfeatures:\n  - id: login\n    status: accepted\n";

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    std::fs::create_dir(dir.path().join("rel")).unwrap();
    std::fs::write(dir.path().join("rel/release.yaml"), V1).unwrap();
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "release 1"]);
    dir
}

/// `check` in `dir` with a fixed day, RC108 alone, as JSON.
fn check(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["--select", "RC108", "--format", "json"];
    all.extend_from_slice(args);
    check_in(dir, &all)
}

fn messages(o: &Output) -> Vec<String> {
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    j["manifests"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_feature_added_since_the_ref_is_scope_creep() {
    let dir = repo();
    std::fs::write(
        dir.path().join("rel/release.yaml"),
        format!("{V1}  - id: late-idea\n    status: done\n"),
    )
    .unwrap();
    let o = check(dir.path(), &["rel/release.yaml", "--baseline-ref", "HEAD"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        messages(&o),
        [
            "feature 'late-idea' is in scope, but the baseline HEAD:rel/release.yaml does not have it"
        ]
    );
    // Unchanged since the ref: nothing to report.
    git(dir.path(), &["commit", "-q", "-am", "late idea"]);
    let o = check(dir.path(), &["rel/release.yaml", "--baseline-ref", "HEAD"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The ref is resolved in the manifest's repository, wherever relcheck runs from.
    let o = check(
        dir.path().join("rel").as_path(),
        &["release.yaml", "--baseline-ref", "HEAD~1"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}

#[test]
fn a_manifest_new_since_the_ref_makes_every_feature_new() {
    let dir = repo();
    std::fs::write(dir.path().join("rel/new.release.yaml"), V1).unwrap();
    let o = check(
        dir.path(),
        &["rel/new.release.yaml", "--baseline-ref", "main"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        messages(&o),
        [
            "feature 'login' is in scope, but the baseline main:rel/new.release.yaml (absent at that commit) does not have it"
        ]
    );
}

#[test]
fn clear_errors_for_bad_refs_and_missing_repositories() {
    let dir = repo();
    let o = check(
        dir.path(),
        &["rel/release.yaml", "--baseline-ref", "no-such-branch"],
    );
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.starts_with(
            "rel/release.yaml: --baseline-ref 'no-such-branch' does not name a commit in "
        ),
        "{e}"
    );

    let plain = tempfile::tempdir().unwrap();
    std::fs::write(plain.path().join("release.yaml"), V1).unwrap();
    let o = check(plain.path(), &["release.yaml", "--baseline-ref", "HEAD"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "release.yaml: --baseline-ref needs a git repository, and release.yaml is not in one\n"
    );

    let o = check(
        dir.path(),
        &[
            "rel/release.yaml",
            "--baseline-ref",
            "HEAD",
            "--baseline",
            "rel/release.yaml",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(2),
        "--baseline and --baseline-ref exclude each other"
    );
}

#[test]
fn an_invalid_manifest_at_the_ref_is_reported_with_its_position() {
    let dir = repo();
    std::fs::write(
        dir.path().join("rel/release.yaml"),
        "relcheck: 1\nrelease:\n  name: R\n  date: 2026-13-01\n",
    )
    .unwrap();
    git(dir.path(), &["commit", "-q", "-am", "broken"]);
    std::fs::write(dir.path().join("rel/release.yaml"), V1).unwrap();
    let o = check(dir.path(), &["rel/release.yaml", "--baseline-ref", "HEAD"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "HEAD:rel/release.yaml:4:9: invalid date '2026-13-01', expected an existing day written YYYY-MM-DD\n"
    );
}
