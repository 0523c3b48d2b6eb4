//! The command line used in ways that must not give a green report or touch the wrong file:
//! selections that run nothing, a rule configured twice, report files that are inputs or one
//! file spelled twice, standard output named `-`, colours, closed pipes, escapes in errors.

use std::fs;
use std::io::Read as _;
use std::process::Stdio;

use crate::common::{TODAY, check, check_in, code, crate_dir, relcheck_in, run, stderr, stdout};

const READY: &str = "tests/fixtures/ready/release.yaml";
const NOT_READY: &str = "tests/fixtures/not-ready/release.yaml";

#[test]
fn a_selection_with_an_empty_item_is_a_usage_error() {
    for option in ["--select", "--ignore"] {
        for empty in ["", ",", " ", " , ,", "RC1,", ",RC1", "RC1,,RC2"] {
            let o = check(&[NOT_READY, option, empty]);
            assert_eq!(code(&o), 2, "{option} {empty:?}: {}", stdout(&o));
            assert!(
                stderr(&o).starts_with(&format!("error: {option} '{empty}' has an empty item")),
                "{}",
                stderr(&o)
            );
            assert_eq!(stdout(&o), "");
        }
    }
    // A real selection still works.
    assert_eq!(code(&check(&[NOT_READY, "--select", "RC1"])), 1);
}

#[test]
fn a_rule_configured_twice_in_policy_is_a_load_error() {
    let dir = tempfile::tempdir().unwrap();
    let text = "relcheck: 1\nrelease:\n  name: R\n  date: 2026-12-15\npolicy:\n  rules:\n    RC106: warning\n    immature-feature: off\n";
    fs::write(dir.path().join("release.yaml"), text).unwrap();
    let o = check_in(dir.path(), &["release.yaml"]);
    assert_eq!(code(&o), 2, "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.starts_with("release.yaml:8:5: RC106 (immature-feature) is configured twice in policy.rules: as 'RC106' at line 7"),
        "{err}"
    );
}

#[test]
fn output_dash_is_standard_output_and_report_dash_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = crate_dir().join(READY);
    let m = manifest.to_str().unwrap();
    let o = check_in(dir.path(), &[m, "--format", "json", "--output", "-"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).starts_with('{'), "{}", stdout(&o));
    assert!(
        !dir.path().join("-").exists(),
        "a file named '-' was written"
    );
    let o = check_in(dir.path(), &[m, "--report", "sarif=-"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("--report sarif=-: --report writes a file"));
    assert!(!dir.path().join("-").exists());
}

#[test]
fn a_report_over_a_file_the_check_reads_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir_all(d.join("reports")).unwrap();
    let junit = "<testsuite name='IT'><testcase name='a'/></testsuite>\n";
    fs::write(d.join("reports/it.xml"), junit).unwrap();
    let manifest = "relcheck: 1\nrelease:\n  name: R\n  date: 2026-12-15\nfeatures:\n  - id: f\n    status: accepted\n    tests: [t]\ntests:\n  - id: t\n    kind: integration\n    status: passed\n    report: reports/it.xml\n";
    fs::write(d.join("release.yaml"), manifest).unwrap();
    for args in [
        &["--output", "release.yaml"][..],
        &["--output", "./release.yaml"],
        &["--report", "junit=reports/it.xml"],
        &["--report", "json=reports/../reports/it.xml"],
    ] {
        let mut all = vec!["release.yaml"];
        all.extend_from_slice(args);
        let o = check_in(d, &all);
        assert_eq!(code(&o), 2, "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("a file relcheck reads for this check"),
            "{args:?}: {}",
            stderr(&o)
        );
        assert_eq!(
            fs::read_to_string(d.join("release.yaml")).unwrap(),
            manifest
        );
        assert_eq!(fs::read_to_string(d.join("reports/it.xml")).unwrap(), junit);
    }
}

#[test]
fn two_spellings_of_one_report_file_are_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = crate_dir().join(READY);
    let m = manifest.to_str().unwrap();
    let absolute = dir.path().join("r.json");
    for second in ["sarif=./r.json", &format!("sarif={}", absolute.display())] {
        let o = check_in(dir.path(), &[m, "--output", "r.json", "--report", second]);
        assert_eq!(code(&o), 2, "{second}");
        assert!(
            stderr(&o).contains("--output r.json already writes a report to this file"),
            "{}",
            stderr(&o)
        );
        assert!(!absolute.exists(), "nothing is written");
    }
}

#[test]
fn dev_null_stays_a_device() {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        let o = check(&[
            NOT_READY,
            "--output",
            "/dev/null",
            "--report",
            "json=/dev/null",
        ]);
        assert_eq!(code(&o), 1, "{}", stderr(&o));
        assert_eq!(stdout(&o), "");
        let kind = fs::metadata("/dev/null").unwrap().file_type();
        assert!(kind.is_char_device());
    }
}

#[test]
fn colours_follow_the_conventions() {
    let esc = |o: &std::process::Output| o.stdout.contains(&0x1b);
    let run_with = |vars: &[(&str, &str)]| {
        let mut cmd = relcheck_in(crate_dir());
        cmd.args(["check", "--today", TODAY, NOT_READY]);
        for (k, v) in vars {
            cmd.env(k, v);
        }
        cmd.output().unwrap()
    };
    // Standard output is a pipe here: no colour unless forced.
    assert!(!esc(&run_with(&[])));
    assert!(esc(&run_with(&[("CLICOLOR_FORCE", "1")])));
    assert!(!esc(&run_with(&[("CLICOLOR_FORCE", "0")])));
    assert!(!esc(&run_with(&[
        ("CLICOLOR_FORCE", "1"),
        ("NO_COLOR", "1")
    ])));
    let o = relcheck_in(crate_dir())
        .args(["check", "--today", TODAY, NOT_READY, "--color", "always"])
        .output()
        .unwrap();
    assert!(esc(&o));
}

/// The binary as a plain process, in the crate's root, whose output can be piped.
fn piped() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_relcheck"));
    cmd.current_dir(crate_dir())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("RELCHECK_TEST_CLOCK");
    cmd
}

/// A reader that stops reading (`| head`) is not an error in any format: the run still ends
/// with its verdict's status, says nothing on standard error, and writes its report files.
#[test]
fn a_closed_pipe_keeps_the_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("r.sarif");
    for format in crate::common::formats() {
        let mut child = piped()
            .args(["check", "--today", TODAY, NOT_READY, "--format", format])
            .args(["--report", &format!("sarif={}", report.display())])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the reading end before relcheck writes anything.
        drop(child.stdout.take());
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(1), "{format}: {err}");
        assert_eq!(err, "", "{format}");
        assert!(report.exists(), "{format}: the report file was not written");
        fs::remove_file(&report).unwrap();
    }
    let mut child = piped()
        .args(["rules", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(0), "{err}");
    assert_eq!(err, "");
}

#[test]
fn arguments_echoed_in_errors_are_escaped() {
    for args in [
        &["explain", "RC\u{1b}[31m1"][..],
        &["man", "ch\u{1b}]0;x\u{7}eck"],
        &["check", "--select", "RC\u{1b}[2J"],
    ] {
        let o = run(args);
        assert_eq!(code(&o), 2, "{args:?}");
        let err = stderr(&o);
        assert!(!err.contains('\u{1b}'), "{args:?}: {err:?}");
        assert!(err.contains("\\u{1b}"), "{args:?}: {err:?}");
    }
}
