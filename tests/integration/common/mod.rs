//! What the integration tests share, once: running the `relcheck` binary in a folder with an
//! environment that does not depend on the machine, `check` on a fixed day, reading what a
//! run printed, and the lists that come from the code (the output formats, the rules).

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use assert_cmd::cargo::cargo_bin_cmd;
use clap::ValueEnum as _;
use relcheck::report::{Format, RuleGroup};

/// The day `check` runs on (`--today`): no test depends on the day it runs.
pub(crate) const TODAY: &str = "2026-11-26";

/// Environment variables that change what relcheck prints: colours (`NO_COLOR`, and
/// `CLICOLOR`/`CLICOLOR_FORCE` that clap and `colored` read), the width clap wraps help to
/// (`COLUMNS`) and the faked wall clock (`RELCHECK_TEST_CLOCK`). Every run starts without
/// them; a test that needs one sets it on the command.
const MACHINE_ENV: [&str; 5] = [
    "NO_COLOR",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "COLUMNS",
    "RELCHECK_TEST_CLOCK",
];

/// The crate's root, where the fixtures and examples are.
pub(crate) fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The `relcheck` binary, to run in `dir`, without [`MACHINE_ENV`] and with `TZ=UTC`. A test
/// that needs its own time zone, clock or timeout adds it (`.env("TZ", ...)` replaces UTC).
pub(crate) fn relcheck_in(dir: &Path) -> Command {
    let mut cmd = cargo_bin_cmd!("relcheck");
    cmd.current_dir(dir);
    for name in MACHINE_ENV {
        cmd.env_remove(name);
    }
    cmd.env("TZ", "UTC");
    cmd
}

/// `relcheck args...` in `dir`.
pub(crate) fn run_in(dir: &Path, args: &[&str]) -> Output {
    relcheck_in(dir).args(args).output().unwrap()
}

/// `relcheck args...` in the crate's root.
pub(crate) fn run(args: &[&str]) -> Output {
    run_in(crate_dir(), args)
}

/// `relcheck check --today TODAY args...` in `dir`.
pub(crate) fn check_in(dir: &Path, args: &[&str]) -> Output {
    relcheck_in(dir)
        .args(["check", "--today", TODAY])
        .args(args)
        .output()
        .unwrap()
}

/// `relcheck check --today TODAY args...` in the crate's root.
pub(crate) fn check(args: &[&str]) -> Output {
    check_in(crate_dir(), args)
}

/// What a run printed on standard output (UTF-8).
pub(crate) fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// What a run printed on standard error (UTF-8).
pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// The exit code of a run (it was not killed).
pub(crate) fn code(o: &Output) -> i32 {
    o.status.code().unwrap()
}

/// Standard output of a run, parsed as JSON.
pub(crate) fn json(o: &Output) -> serde_json::Value {
    serde_json::from_str(&stdout(o)).unwrap()
}

/// `RULE: reason` for each rule the first manifest of a JSON report could not evaluate.
pub(crate) fn not_evaluated(report: &serde_json::Value) -> Vec<String> {
    report["manifests"][0]["not_evaluated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            format!(
                "{}: {}",
                n["rule"].as_str().unwrap(),
                n["reason"].as_str().unwrap()
            )
        })
        .collect()
}

/// The name of every output format (`--format`, `--report`), in the order `--help` lists
/// them.
pub(crate) fn formats() -> impl Iterator<Item = &'static str> {
    Format::value_variants().iter().map(|f| f.name())
}

/// The codes of the registry's rules in `group`, in code order.
pub(crate) fn rule_codes(group: RuleGroup) -> Vec<&'static str> {
    relcheck::rules::metas()
        .filter(|m| RuleGroup::of(m) == group)
        .map(|m| m.code)
        .collect()
}
