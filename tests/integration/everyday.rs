//! Everyday use of `relcheck check`: run from a subfolder it finds the manifest upwards (and
//! with none suggests `relcheck init`), `-` reads standard input, `--output` and `--report`
//! create missing folders, a manifest named twice is checked once, and an error that stops the
//! run comes out in the shape of the machine format asked for as well as on standard error.

use std::fs;
use std::path::Path;

use crate::common::{TODAY, check_in, code, crate_dir, formats, json, relcheck_in, stderr, stdout};
use crate::formats::{parse_junit, validate_sarif};
use crate::more_formats::validate_gitlab;

/// A repository (`.git`) holding a ready release manifest at its top, with a doc it points at,
/// and an empty nested folder `docs/user/guides`.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir_all(d.join(".git")).unwrap();
    fs::create_dir_all(d.join("docs/user/guides")).unwrap();
    let ready = crate_dir().join("tests/fixtures/ready");
    fs::write(
        d.join("release.yaml"),
        fs::read(ready.join("release.yaml")).unwrap(),
    )
    .unwrap();
    copy_tree(&ready.join("docs"), &d.join("docs"));
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// `relcheck check --today TODAY args...` in `dir` with `input` on standard input.
fn check_stdin(dir: &Path, input: &[u8], args: &[&str]) -> std::process::Output {
    relcheck_in(dir)
        .args(["check", "--today", TODAY])
        .args(args)
        .write_stdin(input)
        .output()
        .unwrap()
}

#[test]
fn check_without_a_path_finds_the_manifest_in_a_folder_above() {
    let repo = repo();
    let o = check_in(&repo.path().join("docs/user/guides"), &[]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("(../../../release.yaml): ready"),
        "{}",
        stdout(&o)
    );
    // Its paths resolve from its own folder, as when it is named.
    let o = check_in(&repo.path().join("docs"), &["--format", "json"]);
    assert_eq!(json(&o)["manifests"][0]["path"], "../release.yaml");
    assert_eq!(json(&o)["ready"], true);
}

#[test]
fn the_search_stops_at_the_repository_root_and_suggests_init() {
    let outer = tempfile::tempdir().unwrap();
    // A manifest above the repository is another project's.
    fs::write(outer.path().join("release.yaml"), "relcheck: 1\n").unwrap();
    let repo = outer.path().join("repo");
    fs::create_dir_all(repo.join(".git")).unwrap();
    fs::create_dir_all(repo.join("src")).unwrap();
    let o = check_in(&repo.join("src"), &[]);
    assert_eq!(code(&o), 2, "{}", stdout(&o));
    let err = stderr(&o);
    assert!(err.starts_with("error: no manifest found in "), "{err}");
    assert!(err.contains("up to the repository's root"), "{err}");
    assert!(
        err.contains("(looked for release.yaml, release.yml, program.yaml, program.yml)"),
        "{err}"
    );
    assert!(err.contains("write one with `relcheck init`"), "{err}");
    assert_eq!(stdout(&o), "");
    // The suggestion works: init, then check from the subfolder.
    let o = relcheck_in(&repo)
        .args(["init", "--today", TODAY])
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = check_in(&repo.join("src"), &["--format", "json"]);
    assert_eq!(json(&o)["manifests"][0]["path"], "../release.yaml");
}

#[test]
fn a_program_manifest_is_found_upwards_too() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir_all(d.join(".git")).unwrap();
    fs::create_dir_all(d.join("notes")).unwrap();
    let o = relcheck_in(d)
        .args(["init", "--program", "--today", TODAY])
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = check_in(&d.join("notes"), &["--format", "json"]);
    assert_eq!(
        json(&o)["manifests"][0]["path"],
        "../program.yaml",
        "{}",
        stderr(&o)
    );
    assert_eq!(json(&o)["manifests"][0]["kind"], "program");
}

#[test]
fn dash_reads_the_manifest_from_standard_input() {
    let repo = repo();
    let text = fs::read(repo.path().join("release.yaml")).unwrap();
    // Its paths resolve against the current folder.
    let o = check_stdin(repo.path(), &text, &["-", "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(json(&o)["manifests"][0]["path"], "<stdin>");
    let o = check_stdin(
        &repo.path().join("docs"),
        &text,
        &["-", "--format", "concise"],
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stdout(&o).starts_with("<stdin>:"), "{}", stdout(&o));
    // Named twice, it is read and checked once; beside a file, both are checked.
    let o = check_stdin(
        repo.path(),
        &text,
        &["-", "release.yaml", "-", "--format", "json"],
    );
    let report = json(&o);
    let paths: Vec<&str> = report["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["<stdin>", "release.yaml"]);
    // Errors name it as reports do.
    let o = check_stdin(repo.path(), b"relcheck: 2\n", &["-"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).starts_with("<stdin>:1:11: "), "{}", stderr(&o));
    let o = check_stdin(repo.path(), b"", &["-", "--format", "json"]);
    assert_eq!(code(&o), 2);
    assert_eq!(json(&o)["errors"][0]["file"], "<stdin>");
}

#[test]
fn dash_with_an_option_that_reads_git_is_a_usage_error() {
    let repo = repo();
    for option in ["--new-since", "--baseline-ref"] {
        let o = check_stdin(repo.path(), b"relcheck: 1\n", &["-", option, "main"]);
        assert_eq!(code(&o), 2);
        assert!(
            stderr(&o).starts_with(&format!("error: {option} main reads each manifest's file")),
            "{}",
            stderr(&o)
        );
        assert!(stderr(&o).contains("name the manifest's file instead of -"));
    }
}

#[test]
fn report_files_are_written_into_new_folders() {
    let repo = repo();
    let d = repo.path();
    let o = check_in(
        d,
        &[
            "release.yaml",
            "--format",
            "json",
            "--output",
            "out/json/report.json",
            "--report",
            "sarif=out/sarif/deep/relcheck.sarif",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(d.join("out/json/report.json")).unwrap()).unwrap();
    assert_eq!(report["ready"], true);
    validate_sarif(&fs::read_to_string(d.join("out/sarif/deep/relcheck.sarif")).unwrap());
}

#[cfg(unix)]
#[test]
fn no_folder_is_created_through_a_dangling_symlink() {
    let repo = repo();
    let d = repo.path();
    let elsewhere = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path().join("planted"), d.join("out")).unwrap();
    let o = check_in(d, &["release.yaml", "--output", "out/reports/r.json"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("leads nowhere"), "{}", stderr(&o));
    assert!(!elsewhere.path().join("planted").exists());
}

#[test]
fn a_manifest_named_twice_is_checked_once() {
    let repo = repo();
    let o = check_in(
        repo.path(),
        &[
            "release.yaml",
            "./release.yaml",
            ".",
            "docs/../release.yaml",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let manifests = json(&o)["manifests"].as_array().unwrap().clone();
    assert_eq!(manifests.len(), 1);
    assert_eq!(manifests[0]["path"], "release.yaml");
}

/// The text of a usage error on standard error, as `main` prints it.
const UNKNOWN: &str = "unknown rule 'RC999'; closest: RC009, RC109, RC209";

#[test]
fn usage_errors_come_out_in_each_machine_format() {
    let repo = repo();
    for format in formats() {
        let o = check_in(
            repo.path(),
            &["release.yaml", "--select", "RC999", "--format", format],
        );
        assert_eq!(code(&o), 2, "{format}");
        assert_eq!(stderr(&o), format!("error: {UNKNOWN}\n"), "{format}");
        let out = stdout(&o);
        match format {
            "sarif" => {
                let log = validate_sarif(&out);
                let invocation = &log["runs"][0]["invocations"][0];
                assert_eq!(invocation["executionSuccessful"], false);
                let note = &invocation["toolExecutionNotifications"][0];
                assert_eq!(note["level"], "error");
                assert_eq!(note["message"]["text"], format!("usage error: {UNKNOWN}"));
                // No results: the tool did not run (an empty array would close every alert).
                assert!(log["runs"][0].get("results").is_none());
            }
            "github" => assert_eq!(
                out,
                format!("::error title=relcheck usage error::{UNKNOWN}\n")
            ),
            "json" => {
                let report: serde_json::Value = serde_json::from_str(&out).unwrap();
                assert_eq!(report["version"], 1);
                assert_eq!(report["ready"], false);
                assert_eq!(report["gate"]["pass"], false);
                assert_eq!(report["manifests"].as_array().unwrap().len(), 0);
                assert_eq!(
                    report["errors"],
                    serde_json::json!([{"file": null, "line": null, "column": null, "message": UNKNOWN}])
                );
            }
            "junit" => {
                let suites = parse_junit(&out);
                assert_eq!(suites.len(), 1, "{out}");
                assert_eq!(suites[0].0, "relcheck");
                let (class, name, outcome, _) = &suites[0].1[0];
                assert_eq!(
                    (class.as_str(), name.as_str(), outcome.as_str()),
                    (
                        "relcheck usage",
                        "command line",
                        format!("failure:{UNKNOWN}").as_str()
                    ),
                    "{out}"
                );
            }
            "gitlab" => {
                let issues = validate_gitlab(&out);
                assert_eq!(issues.len(), 1);
                assert_eq!(issues[0]["check_name"], "usage-error");
                assert_eq!(issues[0]["severity"], "blocker");
            }
            // The readable formats leave errors to standard error.
            _ => assert_eq!(out, "", "{format}"),
        }
        if !out.is_empty() {
            insta::assert_snapshot!(format!("usage_error_{format}"), out);
        }
    }
}

#[test]
fn other_usage_errors_take_the_same_shape() {
    let repo = repo();
    let d = repo.path();
    for (args, message) in [
        (
            &["--ignore", "no-such-rule"][..],
            "unknown rule 'no-such-rule' (see `relcheck rules` for the list)",
        ),
        (
            &["--today", "2026-02-30"],
            "invalid --today '2026-02-30': expected an existing day written YYYY-MM-DD",
        ),
        (&["--root", "nowhere"], "--root nowhere: not a folder"),
    ] {
        let o = relcheck_in(d)
            .args(["check", "release.yaml", "--format", "github"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(code(&o), 2, "{args:?}");
        assert_eq!(stderr(&o), format!("error: {message}\n"));
        assert_eq!(
            stdout(&o),
            format!("::error title=relcheck usage error::{message}\n")
        );
    }
    // No manifest found is one too: a hook or a CI job learns it in its own format.
    let empty = tempfile::tempdir().unwrap();
    fs::create_dir(empty.path().join(".git")).unwrap();
    let o = check_in(empty.path(), &["--format", "json"]);
    assert_eq!(code(&o), 2);
    let message = json(&o)["errors"][0]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(message.contains("relcheck init"), "{message}");
}

#[test]
fn a_usage_error_goes_into_new_report_files_and_leaves_existing_ones() {
    let repo = repo();
    let d = repo.path();
    fs::write(d.join("old.json"), "previous run").unwrap();
    let o = check_in(
        d,
        &[
            "release.yaml",
            "--select",
            "RC999",
            "--report",
            "junit=ci/relcheck.xml",
            "--report",
            "gitlab=old.json",
            "--report",
            "markdown=ci/summary.md",
            "--report",
            "sarif=ci/relcheck.sarif",
        ],
    );
    assert_eq!(code(&o), 2);
    // Human on standard output: the message on standard error is its shape.
    assert_eq!(stdout(&o), "");
    let suites = parse_junit(&fs::read_to_string(d.join("ci/relcheck.xml")).unwrap());
    assert_eq!(suites[0].1[0].0, "relcheck usage");
    assert_eq!(
        fs::read_to_string(d.join("old.json")).unwrap(),
        "previous run"
    );
    assert!(!d.join("ci/summary.md").exists());
    // upload-sarif refuses a run without results, and an empty list would close every alert.
    assert!(!d.join("ci/relcheck.sarif").exists());
    // With --output, standard output stays empty and the file gets the error.
    let o = check_in(
        d,
        &[
            "release.yaml",
            "--select",
            "RC999",
            "--format",
            "json",
            "--output",
            "ci/report.json",
        ],
    );
    assert_eq!(code(&o), 2);
    assert_eq!(stdout(&o), "");
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(d.join("ci/report.json")).unwrap()).unwrap();
    assert_eq!(report["errors"][0]["message"], UNKNOWN);
}

#[test]
fn an_invalid_baseline_is_a_load_error_in_the_machine_formats() {
    let repo = repo();
    let d = repo.path();
    fs::write(
        d.join("frozen.yaml"),
        "relcheck: 1\nrelease:\n  name: R\n  date: 2026-11-31\n",
    )
    .unwrap();
    let o = check_in(
        d,
        &[
            "release.yaml",
            "--baseline",
            "frozen.yaml",
            "--format",
            "sarif",
        ],
    );
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).starts_with("frozen.yaml:4:9: invalid date"),
        "{}",
        stderr(&o)
    );
    let log = validate_sarif(&stdout(&o));
    let note = &log["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(
        note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "frozen.yaml"
    );
    assert_eq!(
        note["locations"][0]["physicalLocation"]["region"]["startLine"],
        4
    );
    let o = check_in(
        d,
        &[
            "release.yaml",
            "--baseline",
            "frozen.yaml",
            "--format",
            "github",
        ],
    );
    assert!(
        stdout(&o).starts_with("::error file=frozen.yaml,line=4,col=9,title=relcheck load error::"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn clap_errors_stay_clap_errors() {
    // An unknown option stops the run before relcheck knows the format: clap's message only.
    let o = check_in(crate_dir(), &["--format", "sarif", "--no-such-option"]);
    assert_eq!(code(&o), 2);
    assert_eq!(stdout(&o), "");
    assert!(
        stderr(&o).starts_with("error: unexpected argument"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_hostile_usage_error_stays_inert_in_every_format() {
    let repo = repo();
    let hostile = "RC9\n::error file=x::fake\u{1b}[31m<x>&\u{1}\u{202e}";
    for format in formats() {
        let o = check_in(
            repo.path(),
            &["release.yaml", "--select", hostile, "--format", format],
        );
        assert_eq!(code(&o), 2, "{format}");
        let out = stdout(&o);
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{202e}'),
            "{format}: {out}"
        );
        match format {
            "github" => assert_eq!(out.lines().count(), 1, "{out}"),
            "junit" => assert_eq!(parse_junit(&out).len(), 1),
            "sarif" => drop(validate_sarif(&out)),
            "gitlab" => assert_eq!(validate_gitlab(&out).len(), 1),
            "json" => drop(serde_json::from_str::<serde_json::Value>(&out).unwrap()),
            _ => assert_eq!(out, ""),
        }
        // Standard error shows the control characters as escapes.
        assert!(!stderr(&o).contains('\u{1b}'), "{format}");
    }
}
