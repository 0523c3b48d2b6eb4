//! `--new-since GITREF` for a program: the program and its products are read at the base, its
//! own findings (RC501-RC505) are new, existing, resolved or relaxed as a release's are, and
//! the program is judged under the stricter settings of the two. Temporary git repositories
//! built by the tests, as in [`crate::new_since`].

use std::path::Path;

use serde_json::Value;

use crate::common::{relcheck_in, stderr};
use crate::new_since::{check, git, write};

/// A program of two products; `pay` depends on `web`. Neither product is ready (so RC501 and
/// RC502 are there at the base), none of their findings is late on 2026-11-26.
fn program(date: &str, products: &str) -> String {
    format!(
        "relcheck: 1
program:
  id: train
  name: Train
  date: {date}
  products:
{products}"
    )
}

const PRODUCTS: &str = "    - id: web
      manifest: web/release.yaml
    - id: pay
      manifest: pay/release.yaml
      depends_on: [web]
";

/// `web` depends on `pay` too: a dependency cycle (RC503, due now: late at once).
const CYCLE: &str = "    - id: web
      manifest: web/release.yaml
      depends_on: [pay]
    - id: pay
      manifest: pay/release.yaml
      depends_on: [web]
";

fn product(name: &str) -> String {
    format!(
        "relcheck: 1
release:
  name: {name}
  date: 2026-12-15
  freeze: 2026-12-01
  program: train
features:
  - id: login
    status: accepted
    tests: []
"
    )
}

/// A repository whose `main` holds `train/program.yaml` (`program`) and its two products; the
/// work tree is on a new branch `change`.
fn repo(program: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    write(dir.path(), "train/program.yaml", program);
    write(dir.path(), "train/web/release.yaml", &product("Web"));
    write(dir.path(), "train/pay/release.yaml", &product("Pay"));
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "base"]);
    git(dir.path(), &["checkout", "-q", "-b", "change"]);
    dir
}

const ON_TRACK: [&str; 5] = [
    "train/program.yaml",
    "--gate",
    "on-track",
    "--new-since",
    "main",
];

/// The report of the manifest at `path`.
fn manifest<'j>(j: &'j Value, path: &str) -> &'j Value {
    j["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["path"] == path)
        .unwrap_or_else(|| panic!("{path} in {j}"))
}

/// The program's findings as `RULE subject baseline`.
fn findings(j: &Value) -> Vec<String> {
    manifest(j, "train/program.yaml")["findings"]
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

/// The program's `resolved` or `relaxed` list as `RULE subject`.
fn listed(j: &Value, list: &str) -> Vec<String> {
    manifest(j, "train/program.yaml")[list]
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

fn run(dir: &Path, args: &[&str]) -> (Option<i32>, Value, String) {
    let (o, j) = check(dir, "2026-11-26", args);
    (o.status.code(), j, stderr(&o))
}

#[test]
fn a_program_change_that_adds_a_late_program_finding_fails() {
    let dir = repo(&program("2026-12-15", PRODUCTS));
    // Unchanged: the program's findings are there at the base, under either gate.
    let (code, j, e) = run(dir.path(), &ON_TRACK);
    let f = findings(&j);
    assert_eq!(code, Some(0), "{f:?} {e}");
    for existing in [
        "RC501 web existing",
        "RC501 pay existing",
        "RC502 pay existing",
    ] {
        assert!(has(&f, existing), "{f:?}");
    }
    assert_eq!(j["summary"]["new"], 0);
    let (code, j, e) = run(dir.path(), &["train/program.yaml", "--new-since", "main"]);
    assert_eq!(code, Some(0), "{:?} {e}", findings(&j));
    // The verdicts stay the head's: neither product is ready, so neither is the program.
    assert_eq!(manifest(&j, "train/program.yaml")["ready"], false);
    assert_eq!(j["ready"], false);

    // A dependency cycle: RC503 is due now, so late.
    write(
        dir.path(),
        "train/program.yaml",
        &program("2026-12-15", CYCLE),
    );
    let (code, j, e) = run(dir.path(), &ON_TRACK);
    let f = findings(&j);
    assert_eq!(code, Some(1), "{f:?} {e}");
    assert!(
        has(&f, "RC503 web new") && has(&f, "RC503 pay new"),
        "{f:?}"
    );
    assert!(has(&f, "RC501 web existing"), "{f:?}");
    assert_eq!(j["gate"]["pass"], false);
    // SARIF marks the program's results as it marks a release's.
    let o = relcheck_in(dir.path())
        .args(["check", "--today", "2026-11-26", "--format", "sarif"])
        .args(ON_TRACK)
        .output()
        .unwrap();
    let log = crate::formats::validate_sarif(&String::from_utf8(o.stdout).unwrap());
    let state = |rule: &str, subject: &str| {
        log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["ruleId"] == rule && r["properties"]["subject"] == subject)
            .map(|r| r["baselineState"].clone())
    };
    assert_eq!(state("RC503", "web"), Some(Value::from("new")));
    assert_eq!(state("RC501", "web"), Some(Value::from("unchanged")));

    // A product whose manifest does not exist: RC505, due now.
    write(
        dir.path(),
        "train/program.yaml",
        &program(
            "2026-12-15",
            &format!("{PRODUCTS}    - id: api\n      manifest: api/release.yaml\n"),
        ),
    );
    let (code, j, e) = run(dir.path(), &ON_TRACK);
    let f = findings(&j);
    assert_eq!(code, Some(1), "{f:?} {e}");
    assert!(has(&f, "RC505 api new"), "{f:?}");
}

#[test]
fn a_change_that_keeps_a_late_program_finding_passes_and_one_that_resolves_it_lists_it() {
    let dir = repo(&program("2026-12-15", CYCLE));
    // The cycle is late, but it was there at the base.
    write(dir.path(), "train/notes.txt", "unrelated\n");
    let (code, j, e) = run(dir.path(), &ON_TRACK);
    let f = findings(&j);
    assert_eq!(code, Some(0), "{f:?} {e}");
    assert!(
        has(&f, "RC503 web existing") && has(&f, "RC503 pay existing"),
        "{f:?}"
    );
    assert_eq!(manifest(&j, "train/program.yaml")["on_track"], false);
    assert!(listed(&j, "resolved").is_empty());

    // Breaking the cycle resolves both findings.
    write(
        dir.path(),
        "train/program.yaml",
        &program("2026-12-15", PRODUCTS),
    );
    let (code, j, e) = run(dir.path(), &ON_TRACK);
    assert_eq!(code, Some(0), "{:?} {e}", findings(&j));
    let resolved = listed(&j, "resolved");
    assert!(
        has(&resolved, "RC503 web") && has(&resolved, "RC503 pay"),
        "{resolved:?}"
    );
    assert!(!findings(&j).iter().any(|f| f.starts_with("RC503 ")));
    assert!(j["summary"]["resolved"].as_u64().unwrap() >= 2);
    let o = relcheck_in(dir.path())
        .args(["check", "--today", "2026-11-26", "--color", "never"])
        .args(ON_TRACK)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("resolved by this change:\n  RC503 "),
        "{text}"
    );
}

#[test]
fn a_program_new_since_the_base_has_only_new_findings() {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    write(dir.path(), "README.md", "nothing yet\n");
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "base"]);
    write(
        dir.path(),
        "train/program.yaml",
        &program("2026-12-15", CYCLE),
    );
    write(dir.path(), "train/web/release.yaml", &product("Web"));
    write(dir.path(), "train/pay/release.yaml", &product("Pay"));
    let (code, j, e) = run(dir.path(), &ON_TRACK);
    let f = findings(&j);
    assert_eq!(code, Some(1), "{f:?} {e}");
    assert!(has(&f, "RC503 web new"), "{f:?}");
    assert!(
        !f.is_empty() && f.iter().all(|f| f.ends_with(" new")),
        "{f:?}"
    );
    assert!(listed(&j, "resolved").is_empty());
    assert!(e.is_empty(), "{e}");

    // A file that was a release manifest at the base is compared as if absent (and noted).
    let dir = repo(&product("Train"));
    write(
        dir.path(),
        "train/program.yaml",
        &program("2026-12-15", PRODUCTS),
    );
    let (code, j, e) = run(dir.path(), &ON_TRACK);
    let f = findings(&j);
    assert!(
        !f.is_empty() && f.iter().all(|f| f.ends_with(" new")),
        "{f:?}"
    );
    assert_eq!(code, Some(0), "nothing late: {f:?} {e}");
    assert!(
        e.contains("was a release manifest at the base; the manifest is compared as if absent"),
        "{e}"
    );
}

#[test]
fn a_program_that_loosens_its_own_settings_is_judged_under_the_stricter_ones() {
    let dir = repo(&program("2026-12-15", PRODUCTS));
    // The change adds a cycle, switches RC503 off and waives it: still judged, and relaxed.
    let waivers = "waivers:\n  - rule: RC503\n    subject: web\n    reason: later\n    owner: me\n";
    write(
        dir.path(),
        "train/program.yaml",
        &format!(
            "{}policy:\n  rules:\n    RC503: off\n{waivers}",
            program("2026-12-15", CYCLE)
        ),
    );
    let (code, j, e) = run(dir.path(), &ON_TRACK);
    let f = findings(&j);
    assert_eq!(code, Some(1), "{f:?} {e}");
    assert!(
        has(&f, "RC503 web new") && has(&f, "RC503 pay new"),
        "{f:?}"
    );
    let relaxed = listed(&j, "relaxed");
    assert!(
        has(&relaxed, "RC503 web") && has(&relaxed, "RC503 pay"),
        "{relaxed:?}"
    );
    let web = manifest(&j, "train/program.yaml")["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "RC503" && f["subject"] == "web")
        .cloned()
        .unwrap();
    assert_eq!(web["waived"], false);
    // Without --new-since the head's own settings hold: RC503 is off.
    let (_, j, _) = run(dir.path(), &ON_TRACK[..3]);
    assert!(!findings(&j).iter().any(|f| f.starts_with("RC503 ")));

    // A missing product made due on the program's date: it stays due now.
    write(
        dir.path(),
        "train/program.yaml",
        &format!(
            "{}policy:\n  due:\n    RC505: release\n",
            program(
                "2026-12-15",
                &format!("{PRODUCTS}    - id: api\n      manifest: api/release.yaml\n"),
            )
        ),
    );
    let (code, j, e) = run(dir.path(), &ON_TRACK);
    assert_eq!(code, Some(1), "{:?} {e}", findings(&j));
    let api = manifest(&j, "train/program.yaml")["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "RC505")
        .cloned()
        .unwrap();
    assert_eq!(api["due"], Value::Null, "{api}");
    assert_eq!(api["late"], true);
    assert_eq!(api["baseline"], "new");
}

#[test]
fn a_program_date_moved_later_keeps_the_earlier_milestones() {
    // At the base the program ships on 2026-12-10, before its products' own date (RC504),
    // which caps their milestones too.
    let dir = repo(&program("2026-12-10", PRODUCTS));
    write(
        dir.path(),
        "train/program.yaml",
        &program("2026-12-20", PRODUCTS),
    );
    let (code, j, e) = run(dir.path(), &ON_TRACK);
    assert_eq!(code, Some(0), "{:?} {e}", findings(&j));
    let resolved = listed(&j, "resolved");
    assert!(
        has(&resolved, "RC504 web") && has(&resolved, "RC504 pay"),
        "{resolved:?}"
    );
    // Judged against the earlier date: the program's, and its products' capped at it.
    for path in [
        "train/program.yaml",
        "train/web/release.yaml",
        "train/pay/release.yaml",
    ] {
        assert_eq!(
            manifest(&j, path)["milestones"]["release"],
            "2026-12-10",
            "{path}"
        );
    }
    // Without --new-since, the head's own dates.
    let (_, j, _) = run(dir.path(), &ON_TRACK[..3]);
    assert_eq!(
        manifest(&j, "train/program.yaml")["milestones"]["release"],
        "2026-12-20"
    );
    assert_eq!(
        manifest(&j, "train/web/release.yaml")["milestones"]["release"],
        "2026-12-15"
    );
}

/// Copies the folder `from` into `to`.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The ready train of `examples/winter-2026` committed on `main` under `train/`, the work
/// tree on a new branch `change`.
fn winter_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/winter-2026"),
        &dir.path().join("train"),
    );
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "base"]);
    git(dir.path(), &["checkout", "-q", "-b", "change"]);
    dir
}

#[test]
fn the_products_at_the_base_are_checked_with_the_bases_files() {
    let dir = winter_repo();
    let (code, j, e) = run(dir.path(), &ON_TRACK);
    assert_eq!(code, Some(0), "{:?} {e}", findings(&j));
    assert!(findings(&j).is_empty(), "{:?}", findings(&j));
    // Deleting a product's runbook makes it not ready: new for the product and the program
    // (at the base, the product read the runbook from the base's tree).
    std::fs::remove_file(dir.path().join("train/checkout/docs/runbook.md")).unwrap();
    let (code, j, e) = run(dir.path(), &ON_TRACK);
    let f = findings(&j);
    assert_eq!(code, Some(1), "{f:?} {e}");
    assert!(has(&f, "RC501 checkout new"), "{f:?}");
    // Before the program's date, the program's finding is not late: the product's own
    // missing runbook (due now) is what fails the gate.
    let rc501 = &manifest(&j, "train/program.yaml")["findings"][0];
    assert_eq!(rc501["late"], false, "{rc501}");
    let checkout = manifest(&j, "train/checkout/release.yaml");
    assert!(
        checkout["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "RC005" && f["baseline"] == "new" && f["late"] == true),
        "{checkout}"
    );
}

#[test]
fn a_renamed_product_keeps_its_program_findings() {
    let dir = repo(&program("2026-12-15", PRODUCTS));
    git(
        dir.path(),
        &["mv", "train/web/release.yaml", "train/web/web.release.yaml"],
    );
    write(
        dir.path(),
        "train/program.yaml",
        &program(
            "2026-12-15",
            &PRODUCTS.replace("web/release.yaml", "web/web.release.yaml"),
        ),
    );
    let (code, j, e) = run(dir.path(), &ON_TRACK);
    let f = findings(&j);
    assert_eq!(code, Some(0), "{f:?} {e}");
    assert!(has(&f, "RC501 web existing"), "{f:?}");
    assert!(!f.iter().any(|f| f.ends_with(" new")), "{f:?}");
    assert!(
        listed(&j, "resolved").is_empty(),
        "{:?}",
        listed(&j, "resolved")
    );
    // The product's own findings followed the rename too.
    let web = manifest(&j, "train/web/web.release.yaml");
    assert!(
        web["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["baseline"] == "existing"),
        "{web}"
    );
}
