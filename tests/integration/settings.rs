//! Shared settings: `relcheck.toml` or `pyproject.toml`'s `[tool.relcheck]`, found upwards
//! from each manifest, under the manifest's own `policy` and the command line; and
//! `check --show-settings`.

use std::path::Path;

use crate::common::{TODAY, check_in, code, json, relcheck_in, stderr, stdout};

/// A release whose release sprint plans 45 hours a week: RC303 (overtime) fires under the
/// default maximum of 40. `policy` is the manifest's own `policy:` block, if any.
fn release(policy: &str) -> String {
    format!(
        "relcheck: 1\nrelease:\n  name: Web 1.0\n  date: 2026-12-15\nsprints:\n  - {{id: R1, kind: release, start: 2026-11-30, end: 2026-12-11, hours_per_week: 45}}\n{policy}"
    )
}

/// A repository (a folder holding `.git`) with `files` written in it.
fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// The rule codes of the findings of each manifest of a JSON report.
fn fired(dir: &Path, args: &[&str]) -> Vec<Vec<String>> {
    let o = check_in(dir, &[args, &["--format", "json"]].concat());
    assert!(code(&o) < 2, "{}", stderr(&o));
    json(&o)["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            m["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["rule"].as_str().unwrap().to_owned())
                .collect()
        })
        .collect()
}

fn overtime(dir: &Path, args: &[&str]) -> Vec<bool> {
    fired(dir, args)
        .iter()
        .map(|codes| codes.iter().any(|c| c == "RC303"))
        .collect()
}

#[test]
fn a_relcheck_toml_above_the_manifest_sets_its_thresholds() {
    let dir = repo(&[("web/release.yaml", &release(""))]);
    assert_eq!(overtime(dir.path(), &["web/release.yaml"]), [true]);
    std::fs::write(
        dir.path().join("relcheck.toml"),
        "# Shared by every product\n[policy]\nmax_hours_per_week = 50\n",
    )
    .unwrap();
    assert_eq!(overtime(dir.path(), &["web/release.yaml"]), [false]);
    // Found upwards from the manifest's folder, wherever relcheck runs.
    assert_eq!(
        overtime(&dir.path().join("web"), &["release.yaml"]),
        [false]
    );
}

#[test]
fn a_pyproject_tool_relcheck_table_is_read_and_relcheck_toml_beats_it() {
    let dir = repo(&[
        ("web/release.yaml", &release("")),
        (
            "pyproject.toml",
            "[project]\nname = \"web\"\n\n[tool.relcheck.policy]\nmax_hours_per_week = 50\n",
        ),
    ]);
    assert_eq!(overtime(dir.path(), &["web/release.yaml"]), [false]);
    std::fs::write(
        dir.path().join("relcheck.toml"),
        "[policy]\nmax_hours_per_week = 44\n",
    )
    .unwrap();
    assert_eq!(overtime(dir.path(), &["web/release.yaml"]), [true]);
    // A pyproject.toml without [tool.relcheck] nearer the manifest is passed over.
    std::fs::write(
        dir.path().join("web/pyproject.toml"),
        "[project]\nname = \"w\"\n",
    )
    .unwrap();
    assert_eq!(overtime(dir.path(), &["web/release.yaml"]), [true]);
}

#[test]
fn the_manifest_s_policy_and_the_command_line_win() {
    let dir = repo(&[
        (
            "a/release.yaml",
            &release("policy:\n  max_hours_per_week: 42\n"),
        ),
        (
            "b/release.yaml",
            &release("policy:\n  rules:\n    overtime: warning\n"),
        ),
        (
            "relcheck.toml",
            "select = [\"RC3\"]\n\n[policy]\nmax_hours_per_week = 50\n\n[policy.rules]\nRC303 = \"off\"\n",
        ),
    ]);
    // a: its own maximum (42) replaces the file's, but the file turns RC303 off.
    // b: the file's maximum applies; its own rules.overtime replaces the file's RC303.
    let both = ["a/release.yaml", "b/release.yaml"];
    assert_eq!(overtime(dir.path(), &both), [false, false]);
    std::fs::write(
        dir.path().join("b/release.yaml"),
        release("policy:\n  max_hours_per_week: 44\n  rules:\n    overtime: warning\n"),
    )
    .unwrap();
    assert_eq!(overtime(dir.path(), &both), [false, true]);
    // The file selects the RC3xx rules alone; --select replaces that selection.
    let codes = fired(dir.path(), &["b/release.yaml"]);
    assert!(codes[0].iter().all(|c| c.starts_with("RC3")), "{codes:?}");
    let codes = fired(dir.path(), &["b/release.yaml", "--select", "RC104"]);
    assert_eq!(codes, [vec!["RC104".to_owned()]]);
}

#[test]
fn an_error_in_the_settings_file_names_its_line_and_column_once() {
    let dir = repo(&[
        ("a/release.yaml", &release("")),
        ("b/release.yaml", &release("")),
        (
            "relcheck.toml",
            "[policy]\nmax_hours_per_week = 50\nmax_hours_per_dya = 9\n",
        ),
    ]);
    let o = check_in(dir.path(), &["a/release.yaml", "b/release.yaml"]);
    assert_eq!(code(&o), 2);
    assert_eq!(
        stderr(&o),
        "relcheck.toml:3:1: unknown key 'max_hours_per_dya' in policy, expected one of: \
         feature_tests, release_tests, min_release_load, max_release_load, max_hours_per_week, \
         max_hours_per_day, max_coverage_gap, deployment_plan_sections, max_report_age, \
         min_feature_coverage, rules, due (did you mean 'max_hours_per_day'?)\n"
    );
    for (text, error) in [
        (
            "[policy]\nmax_hours_per_week = 500\n",
            "relcheck.toml:2:22: number 500 is too large (at most 168)\n",
        ),
        (
            "[policy.rules]\nRC001 = \"off\"\n",
            "relcheck.toml:2:9: RC001 (unknown-reference) is an integrity rule: its severity can only be 'error'\n",
        ),
        (
            "strict = true\n",
            "relcheck.toml:1:1: unknown key 'strict' in relcheck.toml, expected one of: policy, select, ignore\n",
        ),
        (
            "select = [\"RC9\"]\n",
            "relcheck.toml:1:11: unknown rule 'RC9'; closest: RC009 in select\n",
        ),
        ("[policy\n", "relcheck.toml:1:8: invalid TOML: "),
    ] {
        std::fs::write(dir.path().join("relcheck.toml"), text).unwrap();
        let o = check_in(dir.path(), &["a/release.yaml"]);
        assert_eq!(code(&o), 2, "{text}");
        assert!(stderr(&o).starts_with(error), "{text}: {}", stderr(&o));
    }
}

#[test]
fn show_settings_says_where_each_value_comes_from() {
    let dir = repo(&[
        (
            "products/web/release.yaml",
            &release("policy:\n  max_hours_per_week: 42\n  due:\n    RC3: release\n"),
        ),
        (
            "products/relcheck.toml",
            "ignore = [\"RC5\"]\n\n[policy]\nmax_hours_per_week = 50\nmax_report_age = 14\nfeature_tests = [\"unit\", \"uat\"]\n\n[policy.rules]\novertime = \"error\"\n\n[policy.due]\nRC303 = \"freeze\"\nRC2 = 2026-12-01\n",
        ),
        ("other/release.yaml", &release("")),
    ]);
    let o = relcheck_in(dir.path())
        .args([
            "check",
            "--show-settings",
            "--today",
            TODAY,
            "--select",
            "RC3,RC2",
        ])
        .args(["products/web/release.yaml", "other/release.yaml"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    insta::assert_snapshot!("show_settings_human", stdout(&o));

    let o = check_in(
        &dir.path().join("products/web"),
        &["--show-settings", "--format", "json", "release.yaml"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let report = json(&o);
    let m = &report["manifests"][0];
    assert_eq!(m["settings"], "../relcheck.toml");
    let value = |key: &str| {
        m["values"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["key"] == key)
            .unwrap_or_else(|| panic!("no {key}"))
            .clone()
    };
    assert_eq!(value("policy.max_report_age")["value"], 14);
    assert_eq!(
        value("policy.max_report_age")["source"],
        "../relcheck.toml:5"
    );
    assert_eq!(value("policy.max_hours_per_week")["value"], 42);
    assert_eq!(
        value("policy.max_hours_per_week")["source"],
        "release.yaml:8"
    );
    assert_eq!(value("ignore")["value"], serde_json::json!(["RC5"]));
    assert_eq!(value("policy.min_release_load")["source"], "default");

    // Errors exit 2, and nothing is checked.
    std::fs::write(
        dir.path().join("products/relcheck.toml"),
        "[policy]\nmax_report_age = -1\n",
    )
    .unwrap();
    let o = check_in(
        dir.path(),
        &["--show-settings", "products/web/release.yaml"],
    );
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).starts_with("products/relcheck.toml:2:18: "),
        "{}",
        stderr(&o)
    );
    assert_eq!(stdout(&o), "");
}

#[test]
fn each_product_of_a_program_takes_its_own_nearest_settings_file() {
    let dir = repo(&[
        (
            "program.yaml",
            "relcheck: 1\nprogram:\n  id: train\n  name: Train\n  date: 2026-12-15\n  products:\n    - {id: web, manifest: web/release.yaml}\n    - {id: api, manifest: api/release.yaml}\n",
        ),
        ("web/release.yaml", &release("")),
        ("web/relcheck.toml", "[policy]\nmax_hours_per_week = 50\n"),
        ("api/release.yaml", &release("")),
    ]);
    let o = check_in(dir.path(), &["program.yaml", "--format", "json"]);
    assert!(code(&o) < 2, "{}", stderr(&o));
    let report = json(&o);
    let overtime: Vec<(String, bool)> = report["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == "release")
        .map(|m| {
            let fired = m["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["rule"] == "RC303");
            (m["path"].as_str().unwrap().to_owned(), fired)
        })
        .collect();
    assert_eq!(
        overtime,
        [
            ("web/release.yaml".to_owned(), false),
            ("api/release.yaml".to_owned(), true)
        ]
    );
}

/// `--isolated` reads no settings file, not even a broken one: the manifest's own policy and
/// the command line only, for the check and for `--show-settings`.
#[test]
fn isolated_reads_no_settings_file() {
    let dir = repo(&[
        ("web/release.yaml", &release("")),
        ("relcheck.toml", "[policy]\nmax_hours_per_week = 50\n"),
    ]);
    assert_eq!(overtime(dir.path(), &["web/release.yaml"]), [false]);
    assert_eq!(
        overtime(dir.path(), &["--isolated", "web/release.yaml"]),
        [true]
    );
    let o = check_in(
        dir.path(),
        &["--show-settings", "--isolated", "web/release.yaml"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("settings: none read (--isolated)"),
        "{}",
        stdout(&o)
    );
    assert!(!stdout(&o).contains("relcheck.toml"), "{}", stdout(&o));
    std::fs::write(dir.path().join("relcheck.toml"), "[policy\n").unwrap();
    let o = check_in(dir.path(), &["web/release.yaml"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("relcheck.toml"), "{}", stderr(&o));
    let o = check_in(dir.path(), &["--isolated", "web/release.yaml"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
}
