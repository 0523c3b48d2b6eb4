//! The integrations end to end: `init`, `schema` (and manifests against it), `completions`,
//! `man`, the rules reference, and the help text.

use std::fs;
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use serde_json::Value;

use crate::common::{TODAY, check_in, code, crate_dir, run, run_in, stderr, stdout};

/// Fails with the first line that differs and how to bring the committed file up to date.
fn assert_current(generated: &str, committed_path: &str, regenerate: &str) {
    let committed = fs::read_to_string(crate_dir().join(committed_path)).unwrap_or_default();
    if generated != committed {
        let line = generated
            .lines()
            .zip(committed.lines())
            .position(|(a, b)| a != b)
            .map_or_else(
                || generated.lines().count().min(committed.lines().count()) + 1,
                |i| i + 1,
            );
        panic!(
            "{committed_path} is stale (first difference at line {line}); regenerate it with:\n    {regenerate}"
        );
    }
}

// ---- init ----

#[test]
fn init_writes_a_commented_starter() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(dir.path(), &["init", "--today", TODAY]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    assert!(
        stderr(&o).starts_with("wrote release.yaml: fill in the placeholders"),
        "{}",
        stderr(&o)
    );
    let text = fs::read_to_string(dir.path().join("release.yaml")).unwrap();
    assert!(text.starts_with(
        "# yaml-language-server: $schema=https://github.com/relcheck/relcheck/raw/main/schema/relcheck.schema.json\n"
    ));
    for section in [
        "\nrelease:",
        "\nsprints:",
        "\nfeatures:",
        "\ntests:",
        "\ndocs:",
        "\ntraining:",
        "\ndeployment:",
        "\npolicy:",
        "\nwaivers:",
    ] {
        assert!(text.contains(section), "starter lacks {section}");
    }
    // `-o -` prints the same starter.
    assert_eq!(stdout(&run(&["init", "--today", TODAY, "-o", "-"])), text);
    insta::assert_snapshot!("init_release", text);
}

#[test]
fn init_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("release.yaml");
    fs::write(&file, "keep me\n").unwrap();
    let o = run_in(dir.path(), &["init", "--today", TODAY]);
    assert_eq!(code(&o), 2);
    assert_eq!(
        stderr(&o),
        "error: release.yaml already exists; relcheck init never overwrites a file: move it \
         away, or write the starter elsewhere with --output FILE\n"
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), "keep me\n");
    // Not even with --output naming it, nor as a program.
    let o = run_in(dir.path(), &["init", "--program", "-o", "release.yaml"]);
    assert_eq!(code(&o), 2);
    assert_eq!(fs::read_to_string(&file).unwrap(), "keep me\n");
}

#[test]
fn init_rejects_a_bad_today() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(dir.path(), &["init", "--today", "2026-02-30"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("invalid --today '2026-02-30'"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("release.yaml").exists());
}

/// The starter loads, and checking it right away fails with findings that say what to do.
#[test]
fn starter_loads_and_check_explains_what_to_fill_in() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(code(&run_in(dir.path(), &["init", "--today", TODAY])), 0);
    let o = check_in(dir.path(), &["--format", "json"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert_eq!(stderr(&o), "", "the starter must load");
    let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(report["ready"], false);
    assert!(report["summary"]["errors"].as_u64().unwrap() >= 1);
    let findings = report["manifests"][0]["findings"].as_array().unwrap();
    assert!(
        findings.iter().any(|f| f["subject"] == "second-feature"),
        "the bare feature is reported: {findings:?}"
    );
}

/// `init --program`, and products started with `init --output DIR/release.yaml`.
#[test]
fn init_program_and_its_products() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(dir.path(), &["init", "--program", "--today", TODAY]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = fs::read_to_string(dir.path().join("program.yaml")).unwrap();
    assert!(text.contains("\nprogram:\n"), "{text}");
    for product in ["first-product", "second-product"] {
        let file = format!("{product}/release.yaml");
        let o = run_in(dir.path(), &["init", "--today", TODAY, "--output", &file]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
    }
    let o = check_in(dir.path(), &["--format", "json", "program.yaml"]);
    // Products that are not ready keep the program from shipping (RC501).
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
    let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let program = report["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["kind"] == "program")
        .unwrap();
    assert_eq!(program["name"], "My Release Train");
    // Each product starter loads and is not ready yet.
    for product in ["first-product", "second-product"] {
        let file = format!("{product}/release.yaml");
        let o = check_in(dir.path(), &[&file]);
        assert_eq!(code(&o), 1, "{}", stderr(&o));
    }
}

// ---- schema ----

#[test]
fn schema_output_is_the_committed_file() {
    let o = run(&["schema"]);
    assert_eq!(code(&o), 0);
    assert_current(
        &stdout(&o),
        "schema/relcheck.schema.json",
        "cargo run -- schema > schema/relcheck.schema.json",
    );
}

fn validator() -> jsonschema::Validator {
    validator_for(|_| {})
}

/// A validator for the schema as `edit` leaves it.
fn validator_for(edit: impl FnOnce(&mut Value)) -> jsonschema::Validator {
    let mut schema: Value = serde_json::from_str(&stdout(&run(&["schema"]))).unwrap();
    edit(&mut schema);
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

/// The schema's verdict on a manifest file: `None` when it is not even YAML relcheck reads.
fn schema_errors(validator: &jsonschema::Validator, path: &Path) -> Option<Vec<String>> {
    let text = fs::read_to_string(path).ok()?;
    let json = relcheck::manifest::to_json(&text, &path.display().to_string()).ok()?;
    Some(
        validator
            .iter_errors(&json)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect(),
    )
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

/// Whatever relcheck loads, the schema accepts: editors never flag a valid manifest.
#[test]
fn every_manifest_that_loads_validates() {
    let validator = validator();
    let mut files = Vec::new();
    yaml_files(&crate_dir().join("examples"), &mut files);
    yaml_files(&crate_dir().join("tests/fixtures"), &mut files);
    files.sort();
    let mut loaded = 0;
    for path in &files {
        if relcheck::manifest::load(path, "m").is_err() {
            continue;
        }
        loaded += 1;
        let errors = schema_errors(&validator, path).unwrap();
        assert!(
            errors.is_empty(),
            "{} loads but fails the schema:\n{}",
            path.display(),
            errors.join("\n")
        );
    }
    assert!(loaded >= 8, "only {loaded} manifests loaded");
}

#[test]
fn starters_validate() {
    let validator = validator();
    let dir = tempfile::tempdir().unwrap();
    for (args, file) in [
        (&["init"][..], "release.yaml"),
        (&["init", "--program"][..], "program.yaml"),
    ] {
        let o = run_in(dir.path(), &[args, &["--today", TODAY]].concat());
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let errors = schema_errors(&validator, &dir.path().join(file)).unwrap();
        assert!(errors.is_empty(), "{file}: {errors:?}");
    }
}

/// Invalid manifests are flagged by the schema too, where a schema can tell. The messages
/// are read from the release variant alone: the whole schema's `oneOf` says only that no
/// variant matched (editors pick the closest variant and show its errors).
#[test]
fn invalid_manifests_fail_the_schema() {
    let validator = validator();
    let release = validator_for(|s| {
        let o = s.as_object_mut().unwrap();
        o.remove("oneOf");
        o.insert("$ref".into(), "#/$defs/ReleaseManifest".into());
    });
    for (file, expected) in [
        ("bad-enum.yaml", "\"pased\" is not one of"),
        ("bad-id.yaml", "does not match"),
        ("bad-version.yaml", "is not one of"),
        ("bad-date.yaml", "is not a \"date\""),
        ("missing-key.yaml", "\"status\" is a required property"),
        ("unknown-key.yaml", "'tets' was unexpected"),
        ("waiver-no-reason.yaml", "\"reason\" is a required property"),
    ] {
        let path = crate_dir().join("tests/fixtures/errors").join(file);
        assert!(
            relcheck::manifest::load(&path, file).is_err(),
            "{file} loads"
        );
        assert!(
            !schema_errors(&validator, &path).unwrap().is_empty(),
            "{file} passes the schema"
        );
        let errors = schema_errors(&release, &path).unwrap().join("\n");
        assert!(
            errors.contains(expected),
            "{file}: expected {expected:?} in:\n{errors}"
        );
    }
    // A release manifest with a program key, and a program manifest with features.
    for text in [
        "relcheck: 1\nrelease: {name: R, date: 2026-12-15}\nprogram: {id: p, name: P, date: 2026-12-15, products: []}\n",
        "relcheck: 1\nprogram: {id: p, name: P, date: 2026-12-15, products: [{id: a, manifest: a.yaml}]}\nfeatures: []\n",
        "relcheck: 1\nrelease:\n",
    ] {
        let json = relcheck::manifest::to_json(text, "m").unwrap();
        assert!(!validator.is_valid(&json), "{text}");
        assert!(relcheck::manifest::parse(text, "m").is_err(), "{text}");
    }
}

// ---- completions and man ----

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let o = run(&["completions", shell]);
        assert_eq!(code(&o), 0, "{shell}: {}", stderr(&o));
        let script = stdout(&o);
        assert!(script.contains("check"), "{shell}");
        assert!(script.contains("strict"), "{shell}");
        assert!(script.contains("relcheck"), "{shell}");
    }
    let o = run(&["completions", "tcsh"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("invalid value 'tcsh'"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn man_prints_roff_pages() {
    let o = run(&["man"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let page = stdout(&o);
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq \\(aq"),
        "{}",
        &page[..80]
    );
    assert!(page.contains("\n.TH relcheck 1 "), "{page}");
    assert!(page.contains("check"), "{page}");

    let page = stdout(&run(&["man", "check"]));
    assert!(page.contains("\n.TH relcheck-check 1 "), "{page}");
    assert!(page.contains("strict"), "{page}");

    let o = run(&["man", "chek"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).starts_with("error: no subcommand 'chek', expected one of: check, rules,"),
        "{}",
        stderr(&o)
    );
}

// ---- the rules reference ----

#[test]
fn rules_reference_is_current() {
    let o = run(&["rules", "--format", "markdown"]);
    assert_eq!(code(&o), 0);
    assert_current(
        &stdout(&o),
        "docs/rules.md",
        "cargo run -- rules --format markdown > docs/rules.md",
    );
}

// ---- help ----

#[test]
fn cli_definition_is_consistent() {
    relcheck::cli::Cli::command().debug_assert();
}

/// Every subcommand has a one-line summary and a `--help` with an example; every option
/// has a help line.
#[test]
fn every_subcommand_and_option_is_helped() {
    let cmd = relcheck::cli::Cli::command();
    let mut names = Vec::new();
    for sub in cmd.get_subcommands() {
        let name = sub.get_name();
        names.push(name.to_owned());
        let about = sub.get_about().map(ToString::to_string).unwrap_or_default();
        assert!(
            !about.is_empty() && !about.contains('\n'),
            "{name}: one-line about"
        );
        for arg in sub.get_arguments() {
            let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
            assert!(
                !help.is_empty() && !help.contains('\n'),
                "{name} {}: one-line help",
                arg.get_id()
            );
        }
        let o = run(&[name, "--help"]);
        assert_eq!(code(&o), 0, "{name}");
        assert!(
            stdout(&o).contains("Example: relcheck "),
            "{name} --help has no example"
        );
    }
    for name in [
        "check",
        "rules",
        "explain",
        "init",
        "schema",
        "completions",
        "man",
    ] {
        assert!(names.iter().any(|n| n == name), "{name} missing");
    }
    let o = run(&["--help"]);
    assert!(stdout(&o).contains("Exit codes:"), "{}", stdout(&o));
    assert!(stdout(&o).contains("Example: relcheck "), "{}", stdout(&o));
}

#[test]
fn version_is_printed() {
    let o = run(&["--version"]);
    assert_eq!(code(&o), 0);
    assert_eq!(
        stdout(&o),
        format!("relcheck {}\n", env!("CARGO_PKG_VERSION"))
    );
}

// ---- init and the gates ----

/// `relcheck check --today DAY --gate GATE args...` in `dir`: its exit code and what it
/// printed (the starter must load: nothing on standard error).
fn check_gate(dir: &Path, day: &str, gate: &str, args: &[&str]) -> (i32, String) {
    let o = run_in(
        dir,
        &[&["check", "--today", day, "--gate", gate], args].concat(),
    );
    assert_eq!(stderr(&o), "", "{}", stdout(&o));
    (code(&o), stdout(&o))
}

/// The finding lines of a human report whose rule is `code`.
fn finding_lines<'a>(report: &'a str, code: &str) -> Vec<&'a str> {
    let tag = format!(": {code} [");
    report.lines().filter(|l| l.contains(&tag)).collect()
}

/// A fresh starter is on track (its findings fall due at the freeze or on the release date,
/// both ahead) but not ready; the release gate lists what falls due at the freeze.
#[test]
fn init_starter_is_on_track_but_not_ready() {
    // A plain day, and one whose freeze and release date cross a leap day.
    for (today, freeze, release) in [
        (TODAY, "2026-12-10", "2026-12-24"),
        ("2028-02-20", "2028-03-05", "2028-03-19"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let o = run_in(d, &["init", "--today", today]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));

        let (exit, report) = check_gate(d, today, "on-track", &[]);
        assert_eq!(exit, 0, "{report}");
        assert!(
            report.ends_with(
                "NOT READY · on track · gate on-track passes: 22 errors, 7 warnings, 0 waived\n"
            ),
            "{report}"
        );
        assert!(!report.contains("· late"), "nothing is late: {report}");

        let (exit, report) = check_gate(d, today, "release", &[]);
        assert_eq!(exit, 1, "{report}");
        assert!(
            report.contains("NOT READY · on track · gate release fails:"),
            "{report}"
        );
        // What falls due at the freeze is listed with its due date: the untested feature
        // (RC101) and both unfinished features (RC105).
        let due_at_freeze = format!("· due {freeze} (freeze)");
        for (rule, count) in [("RC101", 1), ("RC105", 2)] {
            let lines = finding_lines(&report, rule);
            assert_eq!(lines.len(), count, "{rule}: {lines:?}");
            assert!(
                lines
                    .iter()
                    .all(|l| l.contains(&format!("{due_at_freeze} · subject: "))),
                "{rule}: {lines:?}"
            );
        }
        assert!(
            report.contains(&format!(
                "  freeze   {freeze}  release.freeze  in 14 days  3 open"
            )),
            "{report}"
        );
        // The files the starter names but nobody has written yet fall due with the release.
        let missing = finding_lines(&report, "RC005");
        assert!(!missing.is_empty(), "{report}");
        let due_at_release = format!("· due {release} (release)");
        assert!(
            missing
                .iter()
                .all(|l| l.contains(&format!("{due_at_release} · subject: "))),
            "{missing:?}"
        );
    }
}

/// From the freeze day on, the starter's unfinished feature work is late: not on track.
#[test]
fn init_starter_is_late_from_the_freeze() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert_eq!(code(&run_in(d, &["init", "--today", TODAY])), 0);
    // The day before the freeze (2026-12-10) is the last day on track.
    assert_eq!(check_gate(d, "2026-12-09", "on-track", &[]).0, 0);
    for day in ["2026-12-10", "2026-12-11"] {
        let (exit, report) = check_gate(d, day, "on-track", &[]);
        assert_eq!(exit, 1, "{day}: {report}");
        assert!(
            report.contains("NOT READY · not on track (3 late) · gate on-track fails:"),
            "{day}: {report}"
        );
        let late: Vec<&str> = ["RC101", "RC105"]
            .iter()
            .flat_map(|rule| finding_lines(&report, rule))
            .collect();
        assert_eq!(late.len(), 3, "{late:?}");
        assert!(
            late.iter().all(|l| l.contains("· late · subject: ")),
            "{late:?}"
        );
    }
    // Still not late: what falls due on the release date.
    let (_, report) = check_gate(d, "2026-12-11", "on-track", &[]);
    assert!(
        finding_lines(&report, "RC005")
            .iter()
            .all(|l| l.contains("· due 2026-12-24 (release) · subject: ")),
        "{report}"
    );
}

/// A program started with `init --program` and its products started with `init --output`
/// is on track and not ready too.
#[test]
fn init_program_starter_is_on_track_but_not_ready() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert_eq!(
        code(&run_in(d, &["init", "--program", "--today", TODAY])),
        0
    );
    for product in ["first-product", "second-product"] {
        let file = format!("{product}/release.yaml");
        assert_eq!(
            code(&run_in(d, &["init", "--today", TODAY, "--output", &file])),
            0
        );
    }
    let (exit, report) = check_gate(d, TODAY, "on-track", &["program.yaml"]);
    assert_eq!(exit, 0, "{report}");
    assert!(
        report.contains("NOT READY · on track · gate on-track passes:"),
        "{report}"
    );
    assert_eq!(check_gate(d, TODAY, "release", &["program.yaml"]).0, 1);
    assert_eq!(
        check_gate(d, "2026-12-10", "on-track", &["program.yaml"]).0,
        1
    );
}

// ---- the pre-commit hook's command ----

/// The command of the `relcheck` hook in `.pre-commit-hooks.yaml` (its folded `entry:`),
/// without the program name.
fn hook_entry() -> Vec<String> {
    let hooks = fs::read_to_string(crate_dir().join(".pre-commit-hooks.yaml")).unwrap();
    let entry: Vec<&str> = hooks
        .lines()
        .skip_while(|l| l.trim() != "entry: >-")
        .skip(1)
        .take_while(|l| l.starts_with("    "))
        .flat_map(str::split_whitespace)
        .collect();
    assert_eq!(entry.first(), Some(&"relcheck"), "{entry:?}");
    entry[1..].iter().map(|&a| a.to_owned()).collect()
}

fn git_in(dir: &Path, args: &[&str]) {
    let o = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("GIT_AUTHOR_DATE", "2026-11-26T12:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-11-26T12:00:00Z")
        .output()
        .unwrap();
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
}

/// The hook judges a commit by what it adds since `HEAD`: the starter's late findings,
/// committed already, never block a commit; a doc turned into a placeholder (a new finding,
/// due on the release date under the starter's `policy.due`) does not block it before the
/// freeze, and does after it.
#[test]
fn the_pre_commit_hook_judges_a_commit_by_the_findings_it_adds() {
    let entry = hook_entry();
    assert!(
        entry.windows(2).any(|w| w == ["--gate", "on-track"])
            && entry.windows(2).any(|w| w == ["--new-since", "HEAD"]),
        "{entry:?}"
    );
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git_in(d, &["init", "-q", "-b", "main"]);
    assert_eq!(code(&run_in(d, &["init", "--today", TODAY])), 0);
    let doc = d.join("docs/user/first-feature.md");
    fs::create_dir_all(d.join("docs/user")).unwrap();
    fs::write(
        &doc,
        "# First feature\n\nOpen the menu and choose First feature.\n",
    )
    .unwrap();
    git_in(d, &["add", "."]);
    git_in(d, &["commit", "-q", "-m", "starter"]);
    let hook = |today: &str| {
        let mut args: Vec<&str> = entry.iter().map(String::as_str).collect();
        args.extend(["--today", today]);
        let o = run_in(d, &args);
        assert_eq!(stderr(&o), "", "{}", stdout(&o));
        (code(&o), stdout(&o))
    };

    // The day after the freeze (2026-12-10): 3 late findings, all in the last commit.
    let (exit, report) = hook("2026-12-11");
    assert_eq!(exit, 0, "{report}");
    assert!(
        report.contains("NOT READY · not on track (3 late) · gate on-track passes:"),
        "{report}"
    );

    // The doc turned into a placeholder: a new RC006, due on the release date.
    fs::write(&doc, "TODO\n").unwrap();
    let (exit, report) = hook(TODAY);
    assert_eq!(exit, 0, "before the freeze, not due yet: {report}");
    let placeholder = finding_lines(&report, "RC006");
    assert_eq!(placeholder.len(), 1, "{report}");
    assert!(
        placeholder[0].ends_with("· due 2026-12-24 (release) · subject: first-feature-guide"),
        "{placeholder:?}"
    );
    let (exit, report) = hook("2026-12-11");
    assert_eq!(exit, 1, "after the freeze, any new finding: {report}");
    assert!(
        report.contains("NOT READY · not on track (3 late) · gate on-track fails:"),
        "{report}"
    );
}
