//! `--baseline-ref`: scope creep against the manifest as it was at a git commit, in a
//! temporary repository built by the test.

use std::path::Path;
use std::process::{Command, Output};

use crate::common::{check_in, stderr};

/// Frozen before the tests' day (2026-11-26): the baseline is compared (before the freeze,
/// the scope is open).
const V1: &str = "relcheck: 1\nrelease:\n  name: R\n  date: 2026-12-15\n  freeze: 2026-11-13\nfeatures:\n  - id: login\n    status: accepted\n";

fn git(dir: &Path, args: &[&str]) {
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
        // Named with the ref, as --new-since names it (one implementation for both).
        "release.yaml: --baseline-ref 'HEAD' needs a git repository, and release.yaml is not in one\n"
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
fn an_invalid_manifest_at_the_ref_is_noted_with_its_position_and_compared_as_empty() {
    // Read as --new-since reads the base: a manifest invalid there has an empty scope (it
    // used to stop the run with exit 2), and why is noted on standard error.
    let dir = repo();
    std::fs::write(
        dir.path().join("rel/release.yaml"),
        "relcheck: 1\nrelease:\n  name: R\n  date: 2026-13-01\n",
    )
    .unwrap();
    git(dir.path(), &["commit", "-q", "-am", "broken"]);
    std::fs::write(dir.path().join("rel/release.yaml"), V1).unwrap();
    let o = check(dir.path(), &["rel/release.yaml", "--baseline-ref", "HEAD"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "note: --baseline-ref 'HEAD': HEAD:rel/release.yaml:4:9: invalid date '2026-13-01', expected an existing day written YYYY-MM-DD; the manifest is compared with an empty scope\n"
    );
    assert_eq!(
        messages(&o),
        [
            "feature 'login' is in scope, but the baseline HEAD:rel/release.yaml (invalid at that commit) does not have it"
        ]
    );
}

/// `check` in `dir` as [`check`] does, with `env` set (as a git hook has it).
fn check_with_env(dir: &Path, env: &[(&str, &Path)], args: &[&str]) -> Output {
    let mut cmd = crate::common::relcheck_in(dir);
    for (name, value) in env {
        cmd.env(name, value);
    }
    cmd.args(["check", "--today", crate::common::TODAY])
        .args(["--select", "RC108", "--format", "json"])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn git_variables_of_a_hook_do_not_change_which_file_is_read() {
    // A hook runs at the work tree's top with GIT_DIR set (relative: `.git`); the manifest is
    // in a subfolder and unchanged since HEAD, so there is nothing to report. Before, git
    // looked for `HEAD:release.yaml` (false RC108) or found no repository (exit 2).
    let dir = repo();
    let elsewhere = tempfile::tempdir().unwrap();
    let git_dir = dir.path().join(".git");
    let cases: [&[(&str, &Path)]; 4] = [
        &[("GIT_DIR", Path::new(".git"))],
        &[("GIT_DIR", &git_dir)],
        &[("GIT_DIR", &git_dir), ("GIT_WORK_TREE", dir.path())],
        &[
            ("GIT_DIR", &git_dir),
            ("GIT_WORK_TREE", elsewhere.path()),
            ("GIT_INDEX_FILE", &elsewhere.path().join("index")),
        ],
    ];
    for env in cases {
        let o = check_with_env(
            dir.path(),
            env,
            &["rel/release.yaml", "--baseline-ref", "HEAD"],
        );
        assert_eq!(o.status.code(), Some(0), "{env:?}: {}", stderr(&o));
        assert!(messages(&o).is_empty(), "{env:?}");
    }
    // And a feature added since HEAD is still found, named by its path in the repository.
    std::fs::write(
        dir.path().join("rel/release.yaml"),
        format!("{V1}  - id: late-idea\n    status: done\n"),
    )
    .unwrap();
    let o = check_with_env(
        dir.path(),
        &[("GIT_DIR", Path::new(".git"))],
        &["rel/release.yaml", "--baseline-ref", "HEAD"],
    );
    assert_eq!(
        messages(&o),
        [
            "feature 'late-idea' is in scope, but the baseline HEAD:rel/release.yaml does not have it"
        ]
    );
}

#[test]
fn a_committed_manifest_over_the_size_cap_is_refused_unread() {
    let dir = repo();
    let manifest = dir.path().join("rel/release.yaml");
    // Sparse: the cap (64 MiB) + 1 byte of zeros, stored by git in a stream (no copy in memory).
    std::fs::File::create(&manifest)
        .unwrap()
        .set_len(relcheck::manifest::MAX_MANIFEST_BYTES + 1)
        .unwrap();
    git(
        dir.path(),
        &[
            "-c",
            "core.bigFileThreshold=1m",
            "commit",
            "-q",
            "-am",
            "huge",
        ],
    );
    std::fs::write(&manifest, V1).unwrap();
    let o = check(dir.path(), &["rel/release.yaml", "--baseline-ref", "HEAD"]);
    assert_eq!(o.status.code(), Some(2));
    // Worded as for the file itself.
    assert_eq!(
        stderr(&o),
        "HEAD:rel/release.yaml: the manifest is 67108865 bytes, over the limit of 67108864 bytes (64 MiB)\n"
    );
}

#[test]
fn gits_refusal_of_a_repository_is_shown_not_taken_for_no_repository() {
    let dir = repo();
    // A repository this git cannot read.
    git(
        dir.path(),
        &["config", "core.repositoryformatversion", "99"],
    );
    let o = check(dir.path(), &["rel/release.yaml", "--baseline-ref", "HEAD"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "rel/release.yaml: --baseline-ref 'HEAD': git refuses the repository of rel/release.yaml: fatal: Expected git repo version <= 1, found 99\n"
    );

    // "Dubious ownership", as in a CI container whose checkout another user owns (git's own
    // switch to act as if it were so).
    let dir = repo();
    let mut cmd = crate::common::relcheck_in(dir.path());
    let o = cmd
        .env("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
        .args(["check", "--today", crate::common::TODAY])
        .args(["rel/release.yaml", "--baseline-ref", "HEAD"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.starts_with(
            "rel/release.yaml: --baseline-ref 'HEAD': git refuses the repository of rel/release.yaml: fatal: detected dubious ownership in repository at "
        ),
        "{e}"
    );
    assert!(e.contains("safe.directory"), "{e}");
    assert_eq!(e.lines().count(), 1, "{e}");
}

fn write(dir: &Path, rel: &str, text: &str) {
    std::fs::write(dir.join(rel), text).unwrap();
}

#[test]
fn a_branch_behind_its_base_is_not_blamed_for_what_the_base_changed_since() {
    // After the branch left main, main defers 'login' and adds 'search'; the branch adds
    // 'late-idea'. Against main's own manifest the branch's 'login' would look new (main
    // has it out of scope); against the merge base only the branch's own feature is.
    let dir = repo();
    git(dir.path(), &["checkout", "-q", "-b", "change"]);
    write(
        dir.path(),
        "rel/release.yaml",
        &V1.replace(
            "features:\n",
            "features:\n  - id: late-idea\n    status: done\n",
        ),
    );
    git(dir.path(), &["commit", "-q", "-am", "late idea"]);
    git(dir.path(), &["checkout", "-q", "main"]);
    write(
        dir.path(),
        "rel/release.yaml",
        &format!(
            "{}  - id: search\n    status: accepted\n",
            V1.replace("status: accepted", "status: deferred")
        ),
    );
    git(
        dir.path(),
        &["commit", "-q", "-am", "main defers login, adds search"],
    );
    git(dir.path(), &["checkout", "-q", "change"]);

    let o = check(dir.path(), &["rel/release.yaml", "--baseline-ref", "main"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let found = messages(&o);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("feature 'late-idea' is in scope, but the baseline "),
        "{found:?}"
    );
    // Named by the merge base's commit, not by 'main' (whose manifest is not the one read).
    assert!(!found[0].contains("main:"), "{found:?}");

    // main merged in: the merge base is main's tip, named 'main'; 'search' came from main
    // and is not blamed either.
    git(dir.path(), &["merge", "-q", "--no-edit", "main"]);
    let o = check(dir.path(), &["rel/release.yaml", "--baseline-ref", "main"]);
    assert_eq!(
        messages(&o),
        [
            "feature 'late-idea' is in scope, but the baseline main:rel/release.yaml does not have it"
        ]
    );
}

#[test]
fn a_renamed_manifest_is_followed_to_its_path_at_the_base() {
    let dir = repo();
    git(
        dir.path(),
        &["mv", "rel/release.yaml", "rel/storefront.release.yaml"],
    );
    // Unchanged but for its name: nothing is new.
    let o = check(
        dir.path(),
        &["rel/storefront.release.yaml", "--baseline-ref", "HEAD"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(messages(&o).is_empty());
    // Renamed and grown, committed: compared with the old path at the base.
    write(
        dir.path(),
        "rel/storefront.release.yaml",
        &format!("{V1}  - id: late-idea\n    status: done\n"),
    );
    git(dir.path(), &["commit", "-q", "-am", "renamed"]);
    let o = check(
        dir.path(),
        &["rel/storefront.release.yaml", "--baseline-ref", "HEAD~1"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        messages(&o),
        [
            "feature 'late-idea' is in scope, but the baseline HEAD~1:rel/release.yaml does not have it"
        ]
    );
}

#[test]
fn a_manifest_absent_at_the_base_has_an_empty_scope() {
    // The branch adds the manifest; main moved on meanwhile (with a manifest of that name
    // of its own, which is not the base's).
    let dir = repo();
    git(dir.path(), &["checkout", "-q", "-b", "change"]);
    write(dir.path(), "rel/web.release.yaml", V1);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "web"]);
    git(dir.path(), &["checkout", "-q", "main"]);
    write(dir.path(), "rel/web.release.yaml", V1);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "web on main"]);
    git(dir.path(), &["checkout", "-q", "change"]);
    let o = check(
        dir.path(),
        &["rel/web.release.yaml", "--baseline-ref", "main"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let m = messages(&o);
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(
        m[0].starts_with("feature 'login' is in scope, but the baseline ")
            && m[0].ends_with(":rel/web.release.yaml (absent at that commit) does not have it"),
        "{m:?}"
    );
}

#[test]
fn a_shallow_clone_lacking_the_base_is_exit_2_naming_both_fixes() {
    let origin = repo();
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
    let o = check(
        &clone,
        &["rel/release.yaml", "--baseline-ref", "origin/main"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.starts_with("rel/release.yaml: --baseline-ref 'origin/main'"),
        "{e}"
    );
    assert!(
        e.contains("git fetch --unshallow") && e.contains("fetch-depth: 0"),
        "{e}"
    );
    // The full history resolves it.
    git(&clone, &["fetch", "-q", "--unshallow"]);
    let o = check(
        &clone,
        &["rel/release.yaml", "--baseline-ref", "origin/main"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}
