//! Evidence checks through the binary: paths confined to the root (RC004), files and
//! folders (RC005), placeholders (RC006), JUnit reports (RC007), unverified tests (RC008),
//! and the per-test verification in the JSON report.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::Path;

use crate::common::{check, json, run, stdout};

const FIXTURE: &str = "tests/fixtures/evidence/release.yaml";

/// The findings of the first manifest as `RULE line subject`.
fn findings(v: &serde_json::Value) -> Vec<String> {
    v["manifests"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {} {}",
                f["rule"].as_str().unwrap(),
                f["line"],
                f["subject"].as_str().unwrap()
            )
        })
        .collect()
}

/// The `tests` entry of the first manifest with this id.
fn test_entry<'v>(v: &'v serde_json::Value, id: &str) -> &'v serde_json::Value {
    v["manifests"][0]["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap()
}

#[test]
fn real_reports_and_files_are_checked() {
    let o = check(&[FIXTURE, "--select", "RC0,RC008", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    assert_eq!(
        findings(&v),
        [
            "RC007 34 pytest-fail",
            "RC007 43 nextest-fail",
            "RC007 52 jest-fail",
            "RC007 56 nested-payment",
            "RC007 75 empty-report",
            "RC007 79 no-such-suite",
            "RC007 84 truncated",
            "RC007 88 doctype",
            "RC005 92 missing-report",
            "RC004 96 escaping-report",
            "RC008 103 trusted",
            "RC006 112 saved-carts-guide",
            "RC006 116 gift-guide",
            "RC005 128 empty-folder",
            "RC004 132 escaping-guide",
            "RC004 136 absolute-guide",
            "RC005 152 Evidence 1.0",
            "RC006 156 Evidence 1.0",
            "RC005 165 Evidence 1.0",
        ]
    );
    insta::assert_snapshot!("evidence_json", stdout(&o));
}

#[test]
fn each_test_says_whether_a_report_verified_it() {
    let v = json(&check(&[FIXTURE, "--format", "json"]));
    let verified = |id: &str| {
        let t = test_entry(&v, id);
        (
            t["verified"].as_bool().unwrap(),
            t["passing"].as_bool().unwrap(),
        )
    };
    // Real tools' passing reports back `passed`; the suite filter picks one suite.
    for id in [
        "pytest-pass",
        "nextest-pass",
        "jest-pass-suite",
        "nested-address",
        "nested-carts",
    ] {
        assert_eq!(verified(id), (true, true), "{id}");
    }
    // Their failing reports contradict it: not passing.
    for id in [
        "pytest-fail",
        "nextest-fail",
        "jest-fail",
        "nested-payment",
        "empty-report",
        "truncated",
        "doctype",
    ] {
        assert_eq!(verified(id), (false, false), "{id}");
    }
    // A missing or escaping report is not read: not passing either.
    assert_eq!(verified("missing-report"), (false, false));
    assert_eq!(verified("escaping-report"), (false, false));
    // `failed` and `skipped` statuses are verified by reports that show just that.
    assert_eq!(verified("failed-honestly"), (true, false));
    assert_eq!(verified("skipped-only"), (true, false));
    // No report: taken on trust.
    assert_eq!(verified("trusted"), (false, true));
    assert_eq!(test_entry(&v, "trusted")["reason"], "no report given");
    assert_eq!(test_entry(&v, "trusted")["report"], serde_json::Value::Null);
    assert_eq!(
        test_entry(&v, "nextest-fail")["reason"],
        "the report shows 1 failure in 3 test cases"
    );
    assert!(test_entry(&v, "pytest-pass").get("reason").is_none());
    // Coverage uses the same definition: only 'cart' has all its tests passing.
    assert_eq!(v["manifests"][0]["coverage"]["tested"], 1);
}

#[test]
fn human_report_names_the_numbers() {
    let out = stdout(&check(&[FIXTURE, "--select", "RC0"]));
    for line in [
        "release.yaml:43:13: RC007 [error] test 'nextest-fail' says passed, but its report 'junit/nextest-fail.xml' shows 1 failure in 3 test cases",
        "release.yaml:79:13: RC007 [error] test 'no-such-suite' says passed, but its report 'junit/jest-pass.xml' holds no test suite named 'cart checkout' (it has: cart total)",
        "release.yaml:116:11: RC006 [error] doc 'gift-guide': path 'docs/user/gift-messages.md' is mostly a placeholder: 3 of 3 lines hold TODO, TBD, lorem ipsum",
        "release.yaml:128:11: RC005 [error] doc 'empty-folder': path 'docs/empty' is a folder that holds no non-empty regular file within 32 levels (1 empty file; 1 hidden entry skipped)",
    ] {
        assert!(out.contains(line), "{line}\n---\n{out}");
    }
}

#[test]
fn evidence_rules_are_documented() {
    for code in ["RC004", "RC005", "RC006", "RC007", "RC008"] {
        let o = run(&["explain", code]);
        assert_eq!(o.status.code(), Some(0), "{code}");
        assert!(stdout(&o).contains("## Why it matters"), "{code}");
    }
}

/// Writes `yaml` as `dir/release.yaml` with the files `files` (path, content).
fn release_in(dir: &Path, yaml: &str, files: &[(&str, &[u8])]) -> String {
    for (path, content) in files {
        let p = dir.join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, content).unwrap();
    }
    let manifest = dir.join("release.yaml");
    fs::write(&manifest, yaml).unwrap();
    manifest.to_str().unwrap().to_owned()
}

const HEAD: &str = "relcheck: 1\nrelease:\n  name: Links 1.0\n  date: 2026-12-15\n";

fn doc(id: &str, path: &str) -> String {
    format!("  - id: {id}\n    kind: support\n    status: final\n    path: {path}\n")
}

#[cfg(unix)]
#[test]
fn symlinks_fifos_and_loops_on_a_real_tree() {
    use std::os::unix::fs::symlink;
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("release");
    fs::create_dir_all(&root).unwrap();
    let yaml = format!(
        "{HEAD}docs:\n{}{}{}{}{}{}",
        doc("inside", "docs/inside-link.md"),
        doc("escaping", "docs/escaping-link.md"),
        doc("folder-link", "shared-docs"),
        doc("loop", "docs/loop-a.md"),
        doc("pipe", "docs/pipe"),
        doc("dotdot", "docs/../../outside.md"),
    );
    let manifest = release_in(
        &root,
        &yaml,
        &[
            ("docs/guide.md", b"Real guide.\n"),
            ("shared/page.md", b"Shared page.\n"),
        ],
    );
    fs::write(outer.path().join("outside.md"), "Not in the release.\n").unwrap();
    symlink("guide.md", root.join("docs/inside-link.md")).unwrap();
    symlink("../../outside.md", root.join("docs/escaping-link.md")).unwrap();
    symlink("shared", root.join("shared-docs")).unwrap();
    symlink("loop-b.md", root.join("docs/loop-a.md")).unwrap();
    symlink("loop-a.md", root.join("docs/loop-b.md")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(root.join("docs/pipe"))
        .status()
        .unwrap();
    assert!(made.success());

    // A FIFO that were opened would block this run forever; it is never opened.
    let o = check(&[&manifest, "--select", "RC0", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    let messages: Vec<&str> = v["manifests"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        [
            "doc 'escaping': path 'docs/escaping-link.md' goes through symlink 'docs/escaping-link.md' -> '../../outside.md', which resolves outside the root; relcheck did not read it",
            "doc 'loop': path 'docs/loop-a.md' is a symlink loop (more than 40 links followed)",
            "doc 'pipe': path 'docs/pipe' is a named pipe (FIFO), not a regular file or folder; relcheck never opens it",
            "doc 'dotdot': path 'docs/../../outside.md' climbs 1 folder above the root with '..'; relcheck did not read it",
        ]
    );
}

#[test]
fn paths_resolve_from_the_manifest_and_stay_inside_root() {
    let outer = tempfile::tempdir().unwrap();
    let repo = outer.path().join("repo");
    let yaml = format!(
        "{HEAD}docs:\n{}{}",
        doc("own", "docs/own.md"),
        doc("shared", "../shared/faq.md")
    );
    let manifest = release_in(
        &repo.join("store"),
        &yaml,
        &[
            ("docs/own.md", b"Own page.\n"),
            ("../shared/faq.md", b"Shared FAQ.\n"),
        ],
    );
    // Default root: the manifest's folder; '../shared' leaves it.
    let o = check(&[&manifest, "--select", "RC004,RC005", "--format", "json"]);
    assert_eq!(findings(&json(&o)), ["RC004 13 shared"]);
    // With --root at the repository, the shared page is inside the root.
    let o = check(&[
        &manifest,
        "--root",
        repo.to_str().unwrap(),
        "--select",
        "RC004,RC005",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    // A root that does not hold the manifest's folder: nothing is inside.
    let elsewhere = outer.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    let o = check(&[
        &manifest,
        "--root",
        elsewhere.to_str().unwrap(),
        "--select",
        "RC004",
        "--format",
        "json",
    ]);
    assert_eq!(findings(&json(&o)), ["RC004 9 own", "RC004 13 shared"]);
}

#[test]
fn binary_files_only_need_to_be_non_empty() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = format!(
        "{HEAD}docs:\n{}{}",
        doc("pdf", "guide.pdf"),
        doc("empty-pdf", "empty.pdf")
    );
    let manifest = release_in(
        dir.path(),
        &yaml,
        &[
            ("guide.pdf", b"%PDF-1.7\n\0\0TODO TODO TODO"),
            ("empty.pdf", b""),
        ],
    );
    let o = check(&[&manifest, "--select", "RC005,RC006", "--format", "json"]);
    assert_eq!(findings(&json(&o)), ["RC006 13 empty-pdf"]);
}

#[test]
fn urls_are_present_and_never_fetched() {
    let dir = tempfile::tempdir().unwrap();
    // An address nothing listens on: fetching would fail or hang; it is only recorded.
    let yaml = format!(
        "{HEAD}docs:\n  - id: notes\n    kind: release-notes\n    status: final\n    url: http://127.0.0.1:9/notes\n\
         deployment:\n  plan: http://127.0.0.1:9/plan\n"
    );
    let manifest = release_in(dir.path(), &yaml, &[]);
    let o = check(&[&manifest, "--select", "RC0", "--format", "json"]);
    let v = json(&o);
    assert_eq!(findings(&v), Vec::<String>::new());
    let not_evaluated: Vec<&str> = v["manifests"][0]["not_evaluated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["rule"].as_str().unwrap())
        .collect();
    assert_eq!(not_evaluated, ["RC004", "RC005", "RC006", "RC007", "RC012"]);
}

/// Writes a JUnit report of at least `bytes`, with big `<system-out>` text and CDATA, whose
/// only failure is in the very last test case of suite `last`.
fn big_report(path: &Path, bytes: u64) -> u64 {
    let mut w = BufWriter::new(fs::File::create(path).unwrap());
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#).unwrap();
    writeln!(w, r#"<testsuites name="big" tests="1" failures="0">"#).unwrap();
    let out = "log line &amp; more &lt;noise&gt; ".repeat(60);
    let mut written = 0u64;
    let mut cases = 0u64;
    let mut suite = 0;
    while written < bytes {
        suite += 1;
        let mut s = format!(r#"<testsuite name="suite-{suite}">"#);
        for case in 0..200 {
            s.push_str(&format!(
                "<testcase classname=\"c{suite}\" name=\"t{case}\" time=\"0.01\"><system-out>{out}</system-out><system-err><![CDATA[{out} <failure/> ]]></system-err></testcase>\n"
            ));
        }
        s.push_str("</testsuite>\n");
        written += s.len() as u64;
        cases += 200;
        w.write_all(s.as_bytes()).unwrap();
    }
    writeln!(
        w,
        r#"<testsuite name="last"><testcase name="final"><failure message="the very last case">boom</failure></testcase></testsuite></testsuites>"#
    )
    .unwrap();
    w.flush().unwrap();
    cases + 1
}

#[test]
fn a_50_mb_report_is_streamed_to_the_end() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("reports/big.xml");
    fs::create_dir_all(report.parent().unwrap()).unwrap();
    let cases = big_report(&report, 50 << 20);
    assert!(fs::metadata(&report).unwrap().len() >= 50 << 20);
    let yaml = format!(
        "{HEAD}tests:\n  - id: all\n    kind: system\n    status: passed\n    report: reports/big.xml\n\
         \x20 - id: first\n    kind: system\n    status: passed\n    report: reports/big.xml\n    suite: suite-1\n"
    );
    let manifest = release_in(dir.path(), &yaml, &[]);
    let o = check(&[&manifest, "--select", "RC007", "--format", "json"]);
    let v = json(&o);
    assert_eq!(
        v["manifests"][0]["findings"][0]["message"],
        format!(
            "test 'all' says passed, but its report 'reports/big.xml' shows 1 failure in {cases} test cases"
        )
    );
    assert_eq!(findings(&v).len(), 1);
    assert_eq!(test_entry(&v, "first")["verified"], true);
}

/// The RC007 messages of a release whose tests each give one of `reports` (id, bytes).
fn rc007_messages(reports: &[(&str, &[u8])]) -> (Vec<String>, serde_json::Value) {
    let dir = tempfile::tempdir().unwrap();
    let mut yaml = format!("{HEAD}tests:\n");
    let mut files = Vec::new();
    for (id, _) in reports {
        yaml.push_str(&format!(
            "  - id: {id}\n    kind: system\n    status: passed\n    report: junit/{id}.xml\n"
        ));
    }
    for (id, bytes) in reports {
        files.push((format!("junit/{id}.xml"), *bytes));
    }
    let files: Vec<(&str, &[u8])> = files.iter().map(|(p, b)| (p.as_str(), *b)).collect();
    let manifest = release_in(dir.path(), &yaml, &files);
    let v = json(&check(&[
        &manifest, "--select", "RC007", "--format", "json",
    ]));
    let messages = v["manifests"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap().to_owned())
        .collect();
    (messages, v)
}

#[test]
fn a_report_whose_cases_were_all_skipped_does_not_back_passed() {
    let skipped = br#"<testsuite name="e2e"><testcase name="a"><skipped/></testcase><testcase name="b"><skipped message="staging down"/></testcase></testsuite>"#;
    let (messages, v) = rc007_messages(&[("all-skipped", skipped)]);
    assert_eq!(
        messages,
        [
            "test 'all-skipped' says passed, but its report 'junit/all-skipped.xml' holds no test case that ran: all 2 were skipped"
        ]
    );
    assert_eq!(test_entry(&v, "all-skipped")["verified"], false);
}

/// `text` in UTF-16 with a byte-order mark.
fn utf16(text: &str, little: bool) -> Vec<u8> {
    let mut out = if little {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for unit in text.encode_utf16() {
        out.extend(if little {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        });
    }
    out
}

#[test]
fn utf16_reports_are_read_and_nul_bytes_are_not_xml() {
    let pass = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\r\n<testsuite name=\"Windows é\"><testcase name=\"a\"/><testcase name=\"b\"/></testsuite>\r\n";
    let fail = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><testsuite><testcase name=\"a\"><failure/></testcase></testsuite>";
    let (le, be, le_fail) = (utf16(pass, true), utf16(pass, false), utf16(fail, true));
    let nul = b"<testsuite><testcase name=\"a\0\"/></testsuite>";
    let (messages, v) = rc007_messages(&[
        ("utf16le", &le),
        ("utf16be", &be),
        ("utf16-fail", &le_fail),
        ("nul", nul),
    ]);
    assert_eq!(
        messages,
        [
            "test 'utf16-fail' says passed, but its report 'junit/utf16-fail.xml' shows 1 failure in 1 test case",
            "test 'nul' says passed, but its report 'junit/nul.xml' cannot be parsed as JUnit XML: it holds a NUL byte (at byte 28), which XML does not allow",
        ]
    );
    assert_eq!(test_entry(&v, "utf16le")["verified"], true);
    assert_eq!(test_entry(&v, "utf16be")["verified"], true);
}

#[test]
fn a_setext_title_over_several_lines_is_all_heading() {
    let dir = tempfile::tempdir().unwrap();
    // A title of three lines, then one line of placeholder: all of it is placeholder.
    let guide = b"Gift messages\nfor Storefront 2.4\nand later\n==================\n\nTODO\n";
    let yaml = format!("{HEAD}docs:\n{}", doc("gift-guide", "docs/gift.md"));
    let manifest = release_in(dir.path(), &yaml, &[("docs/gift.md", guide)]);
    let o = check(&[&manifest, "--select", "RC006", "--format", "json"]);
    let v = json(&o);
    assert_eq!(findings(&v), ["RC006 9 gift-guide"]);
}
