//! Hostile inputs through the binary. relcheck runs in CI on files that come from pull
//! requests, so whatever a manifest or the files it names hold, it answers with the documented
//! exit code and a message naming the file (with line:column where there is one), and it never
//! hangs: every run is killed after [`HANG_GUARD`], and a run that had to be killed fails its
//! test. That guard is not a timing assertion; the times measured on the release binary are in
//! `docs/hostile-inputs.md`. Big inputs are generated here, into temporary folders, never
//! committed.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::time::Duration;

use crate::common::{TODAY, crate_dir, relcheck_in};

/// A run still going after this is hung: it is killed and its test fails.
const HANG_GUARD: Duration = Duration::from_secs(60);
/// Four lines: the smallest valid release manifest.
const HEAD: &str = "relcheck: 1\nrelease:\n  name: R\n  date: 2026-12-15\n";
/// How relcheck words every refusal of a YAML limit.
const REFUSES: &str = "relcheck refuses it rather than risk hanging a pipeline";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// `relcheck check --today TODAY args...` in `dir`, killed after [`HANG_GUARD`].
fn relcheck(dir: &Path, args: &[&str]) -> Run {
    let o = relcheck_in(dir)
        .args(["check", "--today", TODAY])
        .args(args)
        .timeout(HANG_GUARD)
        .output()
        .unwrap();
    let Some(code) = o.status.code() else {
        panic!(
            "relcheck {args:?} did not finish by itself: killed after {HANG_GUARD:?} (it hung) or by a signal ({})",
            o.status
        );
    };
    Run {
        code,
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// Checks `release.yaml` in `dir`: it must be refused (exit 2, no report); returns the error.
fn refused_in(dir: &Path) -> String {
    let r = relcheck(dir, &["release.yaml"]);
    assert_eq!(r.code, 2, "stderr: {}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    r.stderr.trim_end().to_owned()
}

/// Writes `bytes` as `release.yaml` in a fresh folder and checks it; it must be refused.
fn refused(bytes: impl AsRef<[u8]>) -> String {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("release.yaml"), bytes).unwrap();
    refused_in(dir.path())
}

/// Writes a large `release.yaml` in a fresh folder, buffered.
fn big_manifest(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut out = BufWriter::with_capacity(
        1 << 20,
        File::create(dir.path().join("release.yaml")).unwrap(),
    );
    write(&mut out).unwrap();
    out.flush().unwrap();
    dir
}

/// The last line of a report: the verdict.
fn verdict(r: &Run) -> &str {
    r.stdout.lines().last().unwrap_or("")
}

/// The verdict on [`HEAD`] alone, which big manifests made of `x-` keys must match.
fn head_verdict() -> String {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("release.yaml"), HEAD).unwrap();
    let r = relcheck(dir.path(), &["release.yaml"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    verdict(&r).to_owned()
}

/// Deterministic bytes (xorshift64), so that a failure can be reproduced.
fn random_bytes(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24).to_le_bytes()[0]
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Manifests that are YAML bombs or floods

#[test]
fn nesting_100000_deep_is_refused_at_33_levels() {
    let n = 100_000;
    let cases = [
        (
            format!("x-deep: {}{}\n", "[".repeat(n), "]".repeat(n)),
            "5:41",
        ),
        (
            format!("x-deep: {}b{}\n", "{a: ".repeat(n), "}".repeat(n)),
            "5:133",
        ),
        // Block sequences nest on one line: `- - - a`.
        (format!("x-deep:\n{}a\n", "- ".repeat(n)), "6:63"),
    ];
    for (deep, at) in cases {
        assert_eq!(
            refused(format!("{HEAD}{deep}")),
            format!(
                "release.yaml:{at}: the manifest is nested too deeply (more than 32 levels); {REFUSES}"
            )
        );
    }
}

#[test]
fn deep_block_mappings_are_refused_at_33_levels() {
    // A block mapping needs one more column of indentation per level, so 100,000 levels
    // take 5 GB: over the size cap (see `a_file_over_the_size_cap_is_refused_unread`). 10,000
    // levels (50 MB) make the same point: relcheck stops at level 33 without parsing on.
    let dir = big_manifest(|out| {
        out.write_all(HEAD.as_bytes())?;
        out.write_all(b"x-deep:\n")?;
        let spaces = vec![b' '; 10_000];
        for level in 1..=10_000 {
            out.write_all(&spaces[..level])?;
            out.write_all(b"a:\n")?;
        }
        out.write_all(b"b\n")
    });
    assert_eq!(
        refused_in(dir.path()),
        format!(
            "release.yaml:37:33: the manifest is nested too deeply (more than 32 levels); {REFUSES}"
        )
    );
}

#[test]
fn alias_bombs_are_refused() {
    // Billion laughs: nine levels of ten aliases each expand to 10^10 strings.
    let mut laughs = format!("{HEAD}x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let mut prev = "a".to_owned();
    for i in 0..9 {
        let refs = vec![format!("*{prev}"); 10].join(", ");
        laughs.push_str(&format!("x-a{i}: &a{i} [{refs}]\n"));
        prev = format!("a{i}");
    }
    assert_eq!(
        refused(&laughs),
        format!(
            "release.yaml:9:12: the manifest expands aliases beyond what its size allows (an alias bomb?); {REFUSES}"
        )
    );
    // Merge keys that double a mapping at every level.
    let mut merges = format!("{HEAD}x-m0: &m0 {{k0: 1, k1: 1, k2: 1, k3: 1}}\n");
    for i in 1..20 {
        merges.push_str(&format!(
            "x-m{i}: &m{i} {{<<: [*m{p}, *m{p}], k{i}: 1}}\n",
            p = i - 1
        ));
    }
    assert_eq!(
        refused(&merges),
        format!("release.yaml:14:22: the manifest uses too many merge keys; {REFUSES}")
    );
    // 100,000 aliases of a list of 1,000 items, in a file of 400 KB.
    let many = format!(
        "{HEAD}x-a: &a [{}]\nx-b: [{}]\n",
        vec!["x"; 1000].join(","),
        vec!["*a"; 100_000].join(", ")
    );
    assert_eq!(
        refused(&many),
        format!(
            "release.yaml:6:347: the manifest has too many YAML nodes for its size (87012 so far); {REFUSES}"
        )
    );
    // Aliases that would repeat real entries: the features list 5,000 times.
    let features: String = (0..100)
        .map(|i| format!("  - {{id: f{i}, status: done}}\n"))
        .collect();
    let repeated = format!(
        "{HEAD}features: &f\n{features}x-more: [{}]\n",
        vec!["*f"; 5000].join(",")
    );
    assert_eq!(
        refused(&repeated),
        format!(
            "release.yaml:106:142: the manifest has too many YAML nodes for its size (22978 so far); {REFUSES}"
        )
    );
}

#[test]
fn thousands_of_yaml_documents_are_refused() {
    let documents = format!("{HEAD}---\n").repeat(5000);
    assert_eq!(
        refused(&documents),
        "release.yaml:5:1: the manifest holds several YAML documents; it must be exactly one"
    );
}

#[test]
fn a_million_keys_are_read_and_checked() {
    let dir = big_manifest(|out| {
        out.write_all(HEAD.as_bytes())?;
        for i in 0..1_000_000 {
            writeln!(out, "x-k{i}: {i}")?;
        }
        Ok(())
    });
    let r = relcheck(dir.path(), &["release.yaml"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    assert_eq!(verdict(&r), head_verdict());
}

#[test]
fn strings_of_60_mb() {
    // Just under the 64 MiB cap on a manifest.
    let sixty_mb = 60_000_000;
    // Under an `x-` key, skipped unread (quoted, so the scanner goes through every byte).
    let dir = big_manifest(|out| {
        out.write_all(HEAD.as_bytes())?;
        out.write_all(b"x-note: \"")?;
        let chunk = vec![b'a'; 1 << 20];
        for _ in 0..sixty_mb / chunk.len() {
            out.write_all(&chunk)?;
        }
        out.write_all(&chunk[..sixty_mb % chunk.len()])?;
        out.write_all(b"\"\n")
    });
    let r = relcheck(dir.path(), &["release.yaml"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(verdict(&r), head_verdict());
    // As the release name, which every release-wide finding repeats: refused.
    let dir = big_manifest(|out| {
        out.write_all(b"relcheck: 1\nrelease:\n  name: ")?;
        let chunk = vec![b'n'; 1 << 20];
        for _ in 0..sixty_mb / chunk.len() {
            out.write_all(&chunk)?;
        }
        out.write_all(&chunk[..sixty_mb % chunk.len()])?;
        out.write_all(b"\n  date: 2026-12-15\n")
    });
    assert_eq!(
        refused_in(dir.path()),
        "release.yaml:3:9: this value is 60000000 bytes long; relcheck reads values of at most 65536 bytes (64 KiB)"
    );
}

#[test]
fn a_file_over_the_size_cap_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    // Sparse: no disk is used, and relcheck must not read it to refuse it.
    let file = File::create(dir.path().join("release.yaml")).unwrap();
    file.set_len(relcheck::manifest::MAX_MANIFEST_BYTES + 1)
        .unwrap();
    assert_eq!(
        refused_in(dir.path()),
        "release.yaml: the manifest is 67108865 bytes, over the limit of 67108864 bytes (64 MiB)"
    );
}

// ---------------------------------------------------------------------------------------------
// Manifests that are not YAML text

#[test]
fn random_bytes_are_refused() {
    assert_eq!(
        refused(random_bytes(1 << 20, 0x5EED)),
        "release.yaml:1:1: the manifest is not valid UTF-8 (byte 0x81 at offset 0)"
    );
    // Printable characters that YAML gives meaning to, in random order.
    let alphabet = b"abc:-[]{}\n #&*!|>'\",?\t";
    let yamlish: Vec<u8> = random_bytes(1 << 20, 7)
        .into_iter()
        .map(|b| alphabet[usize::from(b) % alphabet.len()])
        .collect();
    assert_eq!(
        refused(yamlish),
        "release.yaml:1:1: expected a value here, found ','"
    );
}

#[test]
fn encodings_other_than_utf8_are_named() {
    let latin1: Vec<u8> = "relcheck: 1\nrelease:\n  name: Caf\u{e9}\n  date: 2026-12-15\n"
        .chars()
        .map(|c| c as u8)
        .collect();
    assert_eq!(
        refused(latin1),
        "release.yaml:3:12: the manifest is not valid UTF-8 (byte 0xE9 at offset 32)"
    );
    let utf16 = |bom: &[u8], le: bool| -> Vec<u8> {
        let mut bytes = bom.to_vec();
        for unit in HEAD.encode_utf16() {
            bytes.extend(if le {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        bytes
    };
    let convert = "relcheck reads UTF-8 (convert it, e.g. with iconv)";
    for bytes in [utf16(&[0xFF, 0xFE], true), utf16(&[0xFE, 0xFF], false)] {
        assert_eq!(
            refused(bytes),
            format!("release.yaml:1:1: the manifest is UTF-16 encoded; {convert}")
        );
    }
    for bytes in [utf16(&[], true), utf16(&[], false)] {
        assert_eq!(
            refused(bytes),
            format!(
                "release.yaml:1:1: the manifest is UTF-16 encoded (without a byte-order mark); {convert}"
            )
        );
    }
    let utf32: Vec<u8> = [0xFF, 0xFE, 0, 0]
        .into_iter()
        .chain(HEAD.chars().flat_map(|c| u32::from(c).to_le_bytes()))
        .collect();
    assert_eq!(
        refused(utf32),
        format!("release.yaml:1:1: the manifest is UTF-32 encoded; {convert}")
    );
    assert_eq!(
        refused(format!("{HEAD}x-a: \"a\0b\"\n")),
        "release.yaml:5:8: the manifest holds a NUL byte (at offset 57); is it a binary file?"
    );
}

#[test]
fn empty_files_are_refused() {
    let empty = "release.yaml:1:1: the manifest is empty; it must start with 'relcheck: 1'";
    for text in [
        "",
        "\n\n  \n",
        "# only\n   # comments\n",
        "---\n...\n",
        &"---\n".repeat(5000),
    ] {
        assert_eq!(refused(text), empty, "{text:?}");
    }
}

#[test]
fn tabs_and_duplicate_keys_are_refused() {
    assert_eq!(
        refused("relcheck: 1\nrelease:\n\tname: R\n\tdate: 2026-12-15\n"),
        "release.yaml:3:1: a tab indents this line; YAML is indented with spaces only"
    );
    let dup = "a key may appear only once in a mapping";
    assert_eq!(
        refused(format!("{HEAD}release:\n  name: S\n  date: 2026-12-16\n")),
        format!("release.yaml:5:1: duplicate key 'release': {dup}")
    );
    assert_eq!(
        refused(format!(
            "{HEAD}features:\n  - {{id: a, status: done, status: accepted}}\n"
        )),
        format!("release.yaml:6:27: duplicate key 'status': {dup}")
    );
    assert_eq!(
        refused(format!(
            "{HEAD}policy:\n  rules:\n    RC101: off\n    RC101: error\n"
        )),
        format!("release.yaml:8:5: duplicate key 'RC101': {dup}")
    );
}

// ---------------------------------------------------------------------------------------------
// Manifests with wrong values

/// Checks `HEAD` + `tail` (or `whole`, when it starts with `relcheck`) and returns the error.
fn refused_yaml(yaml: &str) -> String {
    if yaml.starts_with("relcheck") {
        refused(yaml)
    } else {
        refused(format!("{HEAD}{yaml}"))
    }
}

#[test]
fn wrong_types_in_every_section() {
    let list = "expected a list under";
    let map = "expected a mapping (key: value lines) under";
    let one = "expected a single value under";
    let cases: &[(&str, String)] = &[
        (
            "relcheck: [1]\nrelease: {name: R, date: 2026-12-15}\n",
            format!("1:11: {one} 'relcheck', found a list"),
        ),
        (
            "relcheck: 1\nrelease: Storefront\n",
            format!("2:10: {map} 'release', found the value 'Storefront'"),
        ),
        (
            "relcheck: 1\nrelease: {name: {a: 1}, date: 2026-12-15}\n",
            format!("2:17: {one} 'release.name', found a mapping"),
        ),
        (
            "relcheck: 1\nrelease: {name: R, date: [2026-12-15]}\n",
            format!("2:26: {one} 'release.date', found a list"),
        ),
        (
            "relcheck: 1\nrelease: {name: R, date: 2026-12-15, roles: [Dana]}\n",
            format!("2:45: {map} 'release.roles', found a list"),
        ),
        (
            "relcheck: 1\nrelease: {name: R, date: 2026-12-15, approvals: Dana}\n",
            format!("2:49: {list} 'release.approvals', found the value 'Dana'"),
        ),
        (
            "sprints: {S1: feature}\n",
            format!("5:10: {list} 'sprints', found a mapping"),
        ),
        (
            "sprints: [S1]\n",
            format!("5:11: {map} 'sprints', found the value 'S1'"),
        ),
        (
            "features: 3\n",
            format!("5:11: {list} 'features', found the value '3'"),
        ),
        (
            "features: [{id: a, status: done, tests: login-it}]\n",
            format!("5:41: {list} 'features.tests', found the value 'login-it'"),
        ),
        (
            "features: [{id: a, status: done, defects: 2}]\n",
            format!("5:43: {map} 'features.defects', found the value '2'"),
        ),
        (
            "features: [{id: a, status: done, user_facing: yes}]\n",
            "5:47: invalid boolean 'yes', expected true or false".into(),
        ),
        (
            "tests: true\n",
            format!("5:8: {list} 'tests', found the value 'true'"),
        ),
        (
            "tests: [{id: t, kind: [unit], status: passed}]\n",
            format!("5:23: {one} 'tests.kind', found a list"),
        ),
        ("docs: {}\n", format!("5:7: {list} 'docs', found a mapping")),
        (
            "training: \"end-user\"\n",
            format!("5:11: {list} 'training', found the text 'end-user'"),
        ),
        (
            "deployment: []\n",
            format!("5:13: {map} 'deployment', found a list"),
        ),
        (
            "deployment: {backout: https://x}\n",
            format!("5:23: {map} 'deployment.backout', found the value 'https://x'"),
        ),
        (
            "deployment: {communications: {audience: all}}\n",
            format!("5:30: {list} 'deployment.communications', found a mapping"),
        ),
        (
            "deployment: {controls: [Package integrity]}\n",
            format!("5:25: {map} 'deployment.controls', found the value 'Package integrity'"),
        ),
        (
            "deployment: {infrastructure: db}\n",
            format!("5:30: {list} 'deployment.infrastructure', found the value 'db'"),
        ),
        (
            "policy: 3\n",
            format!("5:9: {map} 'policy', found the value '3'"),
        ),
        (
            "policy: {rules: [RC101]}\n",
            format!("5:17: {map} 'policy.rules', found a list"),
        ),
        (
            "policy: {feature_tests: uat}\n",
            format!("5:25: {list} 'policy.feature_tests', found the value 'uat'"),
        ),
        (
            "policy: {max_coverage_gap: [0.2]}\n",
            format!("5:28: {one} 'policy.max_coverage_gap', found a list"),
        ),
        (
            "waivers: {rule: RC101}\n",
            format!("5:10: {list} 'waivers', found a mapping"),
        ),
        (
            "waivers: [{rule: RC101, subject: a, reason: [x], owner: o}]\n",
            format!("5:45: {one} 'waivers.reason', found a list"),
        ),
        (
            "relcheck: 1\nprogram: [winter]\n",
            format!("2:10: {map} 'program', found a list"),
        ),
        (
            "relcheck: 1\nprogram: {id: p, name: P, date: 2026-12-15, products: web}\n",
            format!("2:55: {list} 'program.products', found the value 'web'"),
        ),
        (
            "relcheck: 1\nprogram: {id: p, name: P, date: 2026-12-15, products: [{id: w, manifest: w.yaml, depends_on: pay}]}\n",
            format!("2:94: {list} 'program.products.depends_on', found the value 'pay'"),
        ),
    ];
    for (yaml, expected) in cases {
        assert_eq!(
            refused_yaml(yaml),
            format!("release.yaml:{expected}"),
            "{yaml}"
        );
    }
    assert_eq!(
        refused("- relcheck: 1\n"),
        "release.yaml:1:1: the manifest must be a mapping that starts with 'relcheck: 1', found a list"
    );
}

#[test]
fn integers_that_overflow() {
    let cases = [
        (
            "relcheck: 18446744073709551616\nrelease: {name: R, date: 2026-12-15}\n",
            "1:11: unsupported format version 18446744073709551616 (this build supports: 1)",
        ),
        (
            "features: [{id: a, status: done, defects: {critical: 99999999999999999999999999}}]\n",
            "5:54: count 99999999999999999999999999 is too large (at most 1000000000)",
        ),
        (
            "features: [{id: a, status: done, defects: {major: 4294967296}}]\n",
            "5:51: count 4294967296 is too large (at most 1000000000)",
        ),
        (
            "sprints: [{id: S, kind: feature, start: 2026-10-01, end: 2026-10-10, planned: 18446744073709551616}]\n",
            "5:79: number 18446744073709551616 is too large (at most 1000000000)",
        ),
        (
            "sprints: [{id: S, kind: feature, start: 2026-10-01, end: 2026-10-10, completed: 1000000000.000000001}]\n",
            "5:81: number 1000000000.000000001 is too large (at most 1000000000)",
        ),
        (
            "policy: {max_hours_per_week: 169}\n",
            "5:30: number 169 is too large (at most 168)",
        ),
        (
            "policy: {max_coverage_gap: 1e400}\n",
            "5:28: invalid number '1e400', expected a finite non-negative number like 30 or 0.7",
        ),
    ];
    for (yaml, expected) in cases {
        assert_eq!(
            refused_yaml(yaml),
            format!("release.yaml:{expected}"),
            "{yaml}"
        );
    }
}

#[test]
fn negative_and_nan_thresholds_and_hours() {
    let finite = "expected a finite non-negative number like 30 or 0.7";
    let cases = [
        (
            "policy: {min_release_load: -0.5}\n",
            "5:28: invalid number '-0.5': must not be negative".to_owned(),
        ),
        (
            "policy: {max_hours_per_day: -0}\n",
            "5:29: invalid number '-0': must not be negative".to_owned(),
        ),
        (
            "policy: {max_release_load: .nan}\n",
            format!("5:28: invalid number '.nan', {finite}"),
        ),
        (
            "policy: {max_coverage_gap: .inf}\n",
            format!("5:28: invalid number '.inf', {finite}"),
        ),
        (
            "policy: {max_hours_per_week: -.inf}\n",
            format!("5:30: invalid number '-.inf', {finite}"),
        ),
        (
            "sprints: [{id: S, kind: feature, start: 2026-10-01, end: 2026-10-10, hours_per_week: -40}]\n",
            "5:86: invalid number '-40': must not be negative".to_owned(),
        ),
        (
            "sprints: [{id: S, kind: feature, start: 2026-10-01, end: 2026-10-10, hours_per_day: .NaN}]\n",
            format!("5:85: invalid number '.NaN', {finite}"),
        ),
        (
            "sprints: [{id: S, kind: feature, start: 2026-10-01, end: 2026-10-10, planned: -1}]\n",
            "5:79: invalid number '-1': must not be negative".to_owned(),
        ),
    ];
    for (yaml, expected) in cases {
        assert_eq!(
            refused_yaml(yaml),
            format!("release.yaml:{expected}"),
            "{yaml}"
        );
    }
}

#[test]
fn impossible_dates() {
    let day = "expected an existing day written YYYY-MM-DD";
    let release = |date: &str| format!("relcheck: 1\nrelease:\n  name: R\n  date: {date}\n");
    for (date, shown) in [
        ("2026-02-30", "2026-02-30"),
        ("'2026-02-30'", "2026-02-30"),
        ("2025-02-29", "2025-02-29"),
        ("\"2026-13-01\"", "2026-13-01"),
        ("2026-12-15T10:00:00Z", "2026-12-15T10:00:00Z"),
        ("2026-1-5", "2026-1-5"),
        ("20261215", "20261215"),
    ] {
        assert_eq!(
            refused(release(date)),
            format!("release.yaml:4:9: invalid date '{shown}', {day}"),
            "{date}"
        );
    }
    assert_eq!(
        refused_yaml(
            "waivers: [{rule: RC101, subject: a, reason: r, owner: o, expires: 2026-04-31}]\n"
        ),
        format!("release.yaml:5:67: invalid date '2026-04-31', {day}")
    );
}

// ---------------------------------------------------------------------------------------------
// Files and folders that are not what they seem (Unix: FIFOs, devices, symlinks)

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let ok = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(ok.success(), "mkfifo {}", path.display());
}

/// The findings of the first manifest of a JSON report, as `RULE line:column subject: message`.
fn findings(r: &Run) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    v["manifests"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}:{} {}: {}",
                f["rule"].as_str().unwrap(),
                f["line"],
                f["column"],
                f["subject"].as_str().unwrap(),
                f["message"].as_str().unwrap()
            )
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn artifacts_that_are_not_plain_files() {
    use std::os::unix::fs::symlink;
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("root");
    fs::create_dir(&root).unwrap();
    fs::write(outer.path().join("secret.md"), "outside the root\n").unwrap();
    mkfifo(&root.join("pipe.md"));
    mkfifo(&root.join("pipe.xml"));
    symlink("/dev/null", root.join("null.md")).unwrap();
    symlink("/dev/zero", root.join("zero.xml")).unwrap();
    symlink("loop-b", root.join("loop-a")).unwrap();
    symlink("loop-a", root.join("loop-b")).unwrap();
    symlink("../secret.md", root.join("out.md")).unwrap();
    let mut deep = root.join("deep");
    for _ in 0..200 {
        deep.push("d");
    }
    fs::create_dir_all(&deep).unwrap();
    fs::write(deep.join("page.md"), "A page 200 folders down.\n").unwrap();
    let deep_file = format!("deep/{}page.md", "d/".repeat(200));
    fs::write(
        root.join("lol.xml"),
        "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n \
         <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n]>\n\
         <testsuite name=\"s\"><testcase name=\"&lol2;\"/></testsuite>\n",
    )
    .unwrap();
    fs::write(
        root.join("undefined.xml"),
        "<testsuite name=\"s\"><testcase name=\"&lol9;\"/></testsuite>\n",
    )
    .unwrap();
    fs::write(
        root.join("unclosed.xml"),
        format!("<testsuites>{}\n", "<testsuite>".repeat(50_000)),
    )
    .unwrap();
    let manifest = format!(
        "{HEAD}tests:
  - {{id: t-pipe, kind: unit, status: passed, report: pipe.xml}}
  - {{id: t-zero, kind: unit, status: passed, report: zero.xml}}
  - {{id: t-dev, kind: unit, status: passed, report: /dev/zero}}
  - {{id: t-lol, kind: unit, status: passed, report: lol.xml}}
  - {{id: t-undefined, kind: unit, status: passed, report: undefined.xml}}
  - {{id: t-unclosed, kind: unit, status: passed, report: unclosed.xml}}
docs:
  - {{id: d-pipe, kind: user, status: final, path: pipe.md}}
  - {{id: d-null, kind: user, status: final, path: null.md}}
  - {{id: d-loop, kind: user, status: final, path: loop-a/page.md}}
  - {{id: d-out, kind: user, status: final, path: out.md}}
  - {{id: d-deep, kind: user, status: final, path: deep}}
  - {{id: d-deep-file, kind: user, status: final, path: {deep_file}}}
"
    );
    fs::write(root.join("release.yaml"), manifest).unwrap();
    let r = relcheck(
        &root,
        &[
            "release.yaml",
            "--select",
            "RC004,RC005,RC006,RC007",
            "--format",
            "json",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let never = "relcheck never opens it";
    let outside = "which resolves outside the root; relcheck did not read it";
    let unparsable = "says passed, but its report";
    assert_eq!(
        findings(&r),
        [
            format!("RC005 6:54 t-pipe: test 't-pipe': report 'pipe.xml' is a named pipe (FIFO), not a regular file or folder; {never}"),
            format!("RC004 7:54 t-zero: test 't-zero': report 'zero.xml' goes through symlink 'zero.xml' -> '/dev/zero', {outside}"),
            "RC004 8:53 t-dev: test 't-dev': report '/dev/zero' is absolute; paths are relative to the manifest's folder; relcheck did not read it".to_owned(),
            format!("RC007 9:53 t-lol: test 't-lol' {unparsable} 'lol.xml' cannot be parsed as JUnit XML: it declares a DTD (<!DOCTYPE>); relcheck never reads DTDs or entity declarations"),
            format!("RC007 10:59 t-undefined: test 't-undefined' {unparsable} 'undefined.xml' cannot be parsed as JUnit XML: malformed name in <testcase>: at 1..5: unrecognized entity `lol9`"),
            format!("RC007 11:58 t-unclosed: test 't-unclosed' {unparsable} 'unclosed.xml' cannot be parsed as JUnit XML: elements nested deeper than 256 levels"),
            format!("RC005 13:51 d-pipe: doc 'd-pipe': path 'pipe.md' is a named pipe (FIFO), not a regular file or folder; {never}"),
            format!("RC004 14:51 d-null: doc 'd-null': path 'null.md' goes through symlink 'null.md' -> '/dev/null', {outside}"),
            "RC005 15:51 d-loop: doc 'd-loop': path 'loop-a/page.md' is a symlink loop (more than 40 links followed)".to_owned(),
            format!("RC004 16:50 d-out: doc 'd-out': path 'out.md' goes through symlink 'out.md' -> '../secret.md', {outside}"),
            "RC005 17:51 d-deep: doc 'd-deep': path 'deep' is a folder that holds no non-empty regular file within 32 levels (0 empty files)".to_owned(),
        ]
    );
}

#[cfg(unix)]
#[test]
fn manifests_that_are_not_plain_files() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    mkfifo(&d.join("release.yaml"));
    symlink("/dev/zero", d.join("zero.release.yaml")).unwrap();
    fs::create_dir(d.join("scan")).unwrap();
    mkfifo(&d.join("scan/release.yaml"));
    for (path, error) in [
        ("release.yaml", "release.yaml: not a regular file"),
        ("zero.release.yaml", "zero.release.yaml: not a regular file"),
        ("/dev/null", "/dev/null: not a regular file"),
        // A scan names what it could not read, rather than finding nothing.
        ("scan", "scan/release.yaml: not a regular file"),
    ] {
        let r = relcheck(d, &[path]);
        assert_eq!((r.code, r.stderr.trim_end()), (2, error), "{path}");
        assert!(r.stdout.is_empty());
    }
    // A --baseline that is a FIFO is refused the same way, before anything is read.
    fs::write(d.join("real.release.yaml"), HEAD).unwrap();
    let r = relcheck(d, &["real.release.yaml", "--baseline", "release.yaml"]);
    assert_eq!(
        (r.code, r.stderr.trim_end()),
        (2, "release.yaml: not a regular file")
    );
}

#[cfg(unix)]
#[test]
fn program_products_outside_the_root_or_unreadable() {
    use std::os::unix::fs::symlink;
    let outer = tempfile::tempdir().unwrap();
    let d = outer.path().join("program");
    fs::create_dir(&d).unwrap();
    fs::write(outer.path().join("x.release.yaml"), HEAD).unwrap();
    symlink("/dev/zero", d.join("zero.yaml")).unwrap();
    symlink("../x.release.yaml", d.join("out.yaml")).unwrap();
    symlink("loop-b.yaml", d.join("loop-a.yaml")).unwrap();
    symlink("loop-a.yaml", d.join("loop-b.yaml")).unwrap();
    mkfifo(&d.join("fifo.yaml"));
    fs::write(
        d.join("program.yaml"),
        "relcheck: 1
program:
  id: p
  name: P
  date: 2026-12-15
  products:
    - {id: zero, manifest: zero.yaml}
    - {id: out, manifest: out.yaml}
    - {id: up, manifest: ../x.release.yaml}
    - {id: abs, manifest: /etc/passwd}
    - {id: loop, manifest: loop-a.yaml}
    - {id: fifo, manifest: fifo.yaml}
",
    )
    .unwrap();
    let r = relcheck(&d, &["program.yaml", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let leaves =
        |how: &str| format!("leaves the program's folder (it {how}); relcheck did not read it");
    let unread = "cannot be loaded";
    let symlink_out = |link: &str, target: &str| {
        leaves(&format!(
            "goes through symlink '{link}' -> '{target}', which resolves outside the root"
        ))
    };
    assert_eq!(
        findings(&r),
        [
            format!(
                "RC004 7:28 zero: product 'zero': its manifest zero.yaml {}",
                symlink_out("zero.yaml", "/dev/zero")
            ),
            format!(
                "RC004 8:27 out: product 'out': its manifest out.yaml {}",
                symlink_out("out.yaml", "../x.release.yaml")
            ),
            format!(
                "RC004 9:26 up: product 'up': its manifest ../x.release.yaml {}",
                leaves("climbs 1 folder above the root with '..'")
            ),
            format!(
                "RC004 10:27 abs: product 'abs': its manifest /etc/passwd {}",
                leaves("is absolute; paths are relative to the manifest's folder")
            ),
            format!(
                "RC505 11:28 loop: product 'loop': its manifest loop-a.yaml {unread}: loop-a.yaml: is a symlink loop (more than 40 links followed)"
            ),
            format!(
                "RC505 12:28 fifo: product 'fifo': its manifest fifo.yaml {unread}: fifo.yaml: is a named pipe (FIFO), not a regular file; relcheck never opens it"
            ),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Valid but unusual YAML keeps working

/// A JSON report without what depends on how the manifest is written: its path and the
/// findings' positions.
fn positionless(r: &Run) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    for m in v["manifests"].as_array_mut().unwrap() {
        m.as_object_mut().unwrap().remove("path");
        for f in m["findings"].as_array_mut().unwrap() {
            let f = f.as_object_mut().unwrap();
            for key in ["file", "line", "column"] {
                f.remove(key);
            }
        }
    }
    v
}

#[test]
fn valid_but_unusual_yaml_keeps_working() {
    let fixtures = crate_dir().join("tests/fixtures/hostile");
    let plain = relcheck(&fixtures, &["plain.release.yaml", "--format", "json"]);
    assert_eq!(plain.code, 1, "{}", plain.stderr);
    assert_eq!(
        findings(&plain),
        [
            "RC107 52:13 search: feature 'search' is done but not accepted by the product owner (Dana Ruiz)",
            "RC108 53:12 search: feature 'search' was added 2026-11-20, 7 days after the scope freeze 2026-11-13",
        ]
    );
    // Anchors and merge keys, flow style, quoted and unquoted dates, block scalars, tags,
    // explicit keys, a %YAML directive and document markers: the same release.
    let unusual = relcheck(&fixtures, &["unusual.release.yaml", "--format", "json"]);
    assert_eq!(unusual.code, 1, "{}", unusual.stderr);
    assert_eq!(positionless(&unusual), positionless(&plain));
    // CRLF line ends: the same report, positions included.
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(fixtures.join("plain.release.yaml")).unwrap();
    fs::write(
        dir.path().join("plain.release.yaml"),
        text.replace('\n', "\r\n"),
    )
    .unwrap();
    let crlf = relcheck(dir.path(), &["plain.release.yaml", "--format", "json"]);
    assert_eq!(crlf.code, 1, "{}", crlf.stderr);
    assert_eq!(crlf.stdout, plain.stdout);
}

#[test]
fn terminal_escape_sequences_in_manifest_strings_are_shown_not_sent() {
    let dir = tempfile::tempdir().unwrap();
    // A release name that would set the window title, clear the screen, turn the text red and
    // start a line of its own; a waiver reason with a C1 escape and a bidi override.
    let manifest = "relcheck: 1\nrelease:\n  name: \"R\\e]0;pwned\\a\\e[2J\\e[31m\\nREADY\"\n  date: 2026-12-15\n\
        waivers:\n  - rule: RC401\n    subject: \"R\\e]0;pwned\\a\\e[2J\\e[31m\\nREADY\"\n    reason: \"later\\x9b31m \\u202egnp.exe\"\n    owner: Kim\n";
    fs::write(dir.path().join("release.yaml"), manifest).unwrap();
    for format in ["human", "github"] {
        let r = relcheck(dir.path(), &["release.yaml", "--format", format]);
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        let raw = r.stdout.chars().filter(|c| {
            matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{202e}')
        });
        assert_eq!(
            raw.count(),
            0,
            "{format} sent control characters: {:?}",
            r.stdout
        );
        // The human report names the line break; GitHub's annotation keeps it, encoded.
        let shown = match format {
            "human" => r"R\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}[31m\nREADY",
            _ => r"R\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}[31m%0AREADY",
        };
        assert!(r.stdout.contains(shown), "{format}: {}", r.stdout);
        assert!(
            !r.stdout.lines().any(|l| l.starts_with("READY")),
            "{}",
            r.stdout
        );
    }
    let human = relcheck(dir.path(), &["release.yaml"]);
    assert!(
        human.stdout.contains(r"later\u{9b}31m \u{202e}gnp.exe"),
        "{}",
        human.stdout
    );
    // The JSON report keeps the strings as they are (JSON escapes them).
    let json = relcheck(dir.path(), &["release.yaml", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        v["manifests"][0]["name"],
        "R\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}[31m\nREADY"
    );
}

// ---------------------------------------------------------------------------------------------
// Folder scans: nothing unseen passes, symlinked manifests, file names in messages

/// A release manifest that is ready when checked with `--select RC005`.
const READY: &str = "relcheck: 1\nrelease:\n  name: R\n  date: 2026-12-15\n";

#[cfg(unix)]
#[test]
fn a_folder_the_scan_cannot_read_is_an_error() {
    // A folder whose path is longer than the system allows (4096 bytes on Linux) cannot be
    // opened, by root or anyone: built with short names, then renamed from the bottom up.
    let dir = tempfile::tempdir().unwrap();
    let scan = dir.path().join("scan");
    fs::create_dir(&scan).unwrap();
    fs::write(scan.join("release.yaml"), READY).unwrap();
    let mut chain = scan.clone();
    let mut levels = Vec::new();
    for _ in 0..18 {
        chain.push("d");
        levels.push(chain.clone());
    }
    fs::create_dir_all(&chain).unwrap();
    for level in levels.iter().rev() {
        fs::rename(level, level.with_file_name("d".repeat(250))).unwrap();
    }
    let r = relcheck(dir.path(), &["scan", "--select", "RC005"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(": cannot read this folder: ")
            && r.stderr.contains("its manifests would go unchecked"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.starts_with(&format!("scan/{}/", "d".repeat(250))),
        "{}",
        r.stderr
    );
}

#[cfg(unix)]
#[test]
fn symlinked_manifests_in_a_scanned_folder() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let scan = dir.path().join("scan");
    let real = scan.join("real");
    fs::create_dir_all(real.join("docs")).unwrap();
    fs::write(real.join("docs/guide.md"), "The guide.\n").unwrap();
    let with_doc = format!(
        "{READY}docs:\n  - id: guide\n    kind: support\n    status: final\n    path: docs/guide.md\n"
    );
    fs::write(real.join("release.yaml"), &with_doc).unwrap();
    fs::write(real.join("alt.yaml"), &with_doc).unwrap();
    // A link to a manifest the scan also finds is checked once; a link to a file with another
    // name is checked, its paths resolving from the file's own folder.
    symlink("real/release.yaml", scan.join("release.yaml")).unwrap();
    symlink("real/alt.yaml", scan.join("other.release.yaml")).unwrap();
    let r = relcheck(
        dir.path(),
        &["scan", "--select", "RC005", "--format", "json"],
    );
    assert_eq!(r.code, 0, "{}{}", r.stderr, r.stdout);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let paths: Vec<&str> = v["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["scan/other.release.yaml", "scan/real/release.yaml"]);

    // A link leading out of the scanned folder, or nowhere, is an error; the others are
    // still checked.
    let outside = dir.path().join("outside");
    fs::create_dir(&outside).unwrap();
    fs::write(outside.join("release.yaml"), READY).unwrap();
    let scan2 = dir.path().join("scan2");
    fs::create_dir(&scan2).unwrap();
    fs::write(scan2.join("app.release.yaml"), READY).unwrap();
    symlink("../outside/release.yaml", scan2.join("release.yaml")).unwrap();
    symlink("loop.release.yaml", scan2.join("loop.release.yaml")).unwrap();
    let r = relcheck(dir.path(), &["scan2", "--select", "RC005"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.stderr);
    assert!(
        lines[0]
            .starts_with("scan2/loop.release.yaml: a symlinked manifest relcheck cannot follow: "),
        "{}",
        r.stderr
    );
    assert!(
        lines[1].starts_with("scan2/release.yaml: a symlink to ")
            && lines[1].ends_with(
                "outside/release.yaml, outside the scanned folder scan2; relcheck does not read it"
            ),
        "{}",
        r.stderr
    );
    // The manifest that could be read is checked and reported; the run cannot pass.
    assert!(
        r.stdout.contains("(scan2/app.release.yaml): ready"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("\nCOULD NOT EVALUATE · gate release fails"),
        "{}",
        r.stdout
    );
}

#[cfg(unix)]
#[test]
fn file_names_cannot_write_workflow_commands_or_escapes() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "::error::pwned.release.yaml",
        "x\u{1b}]0;title\u{7}\n::add-mask::secret.release.yaml",
    ] {
        fs::write(dir.path().join(name), "relcheck: 2\n").unwrap();
    }
    let r = relcheck(dir.path(), &[".", "no\n::error::such\u{1b}[2J"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "no\\n::error::such\\u{1b}[2J: no such file or folder\n\
         ./::error::pwned.release.yaml:1:11: unsupported format version 2 (this build supports: 1)\n\
         x\\u{1b}]0;title\\u{7}\\n::add-mask::secret.release.yaml:1:11: unsupported format version 2 (this build supports: 1)\n"
    );
}

#[test]
fn yaml_the_format_does_not_read_is_named_where_it_is() {
    for (yaml, error) in [
        (
            format!("{HEAD}features:\n  - id: a\n    status: done\n\ttitle: A\n"),
            "release.yaml:8:1: a tab indents this line; YAML is indented with spaces only",
        ),
        (
            "relcheck: \"1\"\nrelease: {name: R, date: 2026-12-15}\n".to_owned(),
            "release.yaml:1:11: the format version must be the number 1, not quoted text: write `relcheck: 1`",
        ),
        (
            format!("{HEAD}features:\n  - id: !feature a\n    status: done\n"),
            "release.yaml:6:9: unsupported YAML tag '!feature': a manifest holds plain values; remove the tag",
        ),
        (
            HEAD.replace('\n', "\r"),
            "release.yaml:1:12: a carriage return (CR) without a line feed ends a line here; relcheck reads manifests with LF or CRLF line endings (convert it, e.g. with `dos2unix -c mac`)",
        ),
        (
            format!(
                "{HEAD}waivers:\n  - rule: RC101\n    subject: a\n    reason: \"\\u200B\"\n    owner: Dana\n"
            ),
            "release.yaml:8:13: 'reason' of a waiver must not be blank (it holds only whitespace or invisible characters)",
        ),
    ] {
        assert_eq!(refused(&yaml), error, "{yaml:?}");
    }
}

// Reports that must fit somewhere: the Markdown report in a pull-request comment

/// GitHub's limit for a comment, in characters (a job summary holds 1 MiB).
const COMMENT_CHARS: usize = 65_536;

/// Checks `file` in `dir` as Markdown: it must be not ready, under [`COMMENT_CHARS`] (in
/// characters and in bytes), open with the verdict, and say what it left out and where the
/// rest is.
fn bounded_markdown(dir: &Path, file: &str) -> String {
    let r = relcheck(dir, &[file, "--format", "markdown"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let out = r.stdout;
    assert!(out.len() < COMMENT_CHARS, "{} bytes", out.len());
    assert!(out.chars().count() < COMMENT_CHARS);
    assert!(
        out.starts_with("## ❌ relcheck: NOT READY\n\n"),
        "{}",
        &out[..200]
    );
    assert!(
        out.contains(": see the JSON or SARIF report."),
        "no note of what was left out: {}",
        &out[out.len() - 2000..]
    );
    out
}

#[test]
fn the_markdown_report_of_a_huge_release_fits_a_comment() {
    // 3,000 features that fail several rules each, with long titles full of characters the
    // Markdown escaping doubles, and a release name of 30,000 '@' that every release-wide
    // finding repeats.
    let dir = big_manifest(|out| {
        write!(
            out,
            "relcheck: 1\nrelease:\n  name: \"{}\"\n  date: 2026-12-15\nfeatures:\n",
            "@".repeat(30_000)
        )?;
        let title = "| *x* [l](u) <b> ".repeat(120);
        for i in 0..3000 {
            writeln!(
                out,
                "  - {{id: feature-{i:04}, title: \"{title}\", status: done}}"
            )?;
        }
        Ok(())
    });
    let out = bounded_markdown(dir.path(), "release.yaml");
    assert!(out.contains("### ❌ release "), "{}", &out[..2000]);
}

#[test]
fn the_markdown_report_of_a_program_of_thousands_of_products_fits_a_comment() {
    // 5,000 products whose manifests are missing, each depending on the first: the products
    // table, the findings and the ship order are all far over a comment.
    let dir = big_manifest(|out| {
        out.write_all(b"relcheck: 1\nprogram:\n  id: p\n  name: P\n  date: 2026-12-15\n  products:\n    - {id: product-0000, manifest: p0.release.yaml}\n")?;
        for i in 1..5000 {
            writeln!(
                out,
                "    - {{id: product-{i:04}, manifest: p{i}.release.yaml, depends_on: [product-0000]}}"
            )?;
        }
        Ok(())
    });
    std::fs::rename(
        dir.path().join("release.yaml"),
        dir.path().join("program.yaml"),
    )
    .unwrap();
    let out = bounded_markdown(dir.path(), "program.yaml");
    assert!(
        out.contains("### ❌ program P: not ready"),
        "{}",
        &out[..2000]
    );
    assert!(
        out.contains("more products") || out.contains("stops here"),
        "{out}"
    );
}

// ---------------------------------------------------------------------------------------------
// Programs whose dependencies form one long cycle

#[test]
fn a_long_dependency_cycle_gives_output_linear_in_the_program() {
    // Each product's RC503 names a cycle through it; before, every message and action spelled
    // out the whole cycle: output quadratic in the products (1.78 GB for 10,000).
    let n = 3_000;
    let dir = tempfile::tempdir().unwrap();
    let mut program = String::from(
        "relcheck: 1\nprogram:\n  id: p\n  name: P\n  date: 2026-12-15\n  products:\n",
    );
    for i in 0..n {
        program.push_str(&format!(
            "    - {{id: p{i}, manifest: p{i}.yaml, depends_on: [p{}]}}\n",
            (i + 1) % n
        ));
    }
    fs::write(dir.path().join("program.yaml"), &program).unwrap();
    for format in ["github", "json"] {
        let r = relcheck(
            dir.path(),
            &["program.yaml", "--select", "RC503", "--format", format],
        );
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(r.stdout.matches("RC503").count() >= n, "{format}");
        // A few hundred bytes per product, whatever the cycle's length.
        assert!(
            r.stdout.len() < n * 1_000,
            "{format}: {} bytes for {n} products",
            r.stdout.len()
        );
        assert!(
            r.stdout.contains(
                "product 'p2999' is on the dependency cycle p2999 -> p0 -> p1 -> p2 -> p3 -> ... (and 2995 more) -> p2999"
            ),
            "{format}"
        );
    }
}

/// A release whose feature `f` has `code: [src/**]` and whose coverage report is `xml`.
fn coverage_release(dir: &Path, xml: &str) -> Run {
    fs::create_dir_all(dir.join("src")).unwrap();
    fs::write(dir.join("src/a.py"), "a = 1\n").unwrap();
    fs::write(dir.join("coverage.xml"), xml).unwrap();
    fs::write(
        dir.join("release.yaml"),
        format!(
            "{HEAD}features:\n  - id: f\n    status: done\n    code: [src/**]\ncoverage:\n  - report: coverage.xml\n"
        ),
    )
    .unwrap();
    relcheck(
        dir,
        &[
            "release.yaml",
            "--select",
            "RC013,RC112",
            "--format",
            "json",
        ],
    )
}

fn class(filename: &str, lines: &str) -> String {
    format!("<class filename='{filename}'><lines>{lines}</lines></class>")
}

fn cobertura(sources: &str, classes: &str) -> String {
    format!(
        "<coverage><sources>{sources}</sources><packages><package><classes>{classes}</classes></package></packages></coverage>"
    )
}

#[test]
fn a_coverage_report_with_an_entity_bomb_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = "<?xml version='1.0'?><!DOCTYPE coverage [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'><!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'>]><coverage><sources><source>&c;</source></sources></coverage>";
    let r = coverage_release(dir.path(), bomb);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("its <!DOCTYPE> declares entities; relcheck never expands them"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("none of its code is in any coverage report"),
        "{}",
        r.stdout
    );
}

#[test]
fn huge_line_numbers_cost_nothing_and_overflowing_ones_are_malformed() {
    let dir = tempfile::tempdir().unwrap();
    let lines = "<line number='4294967295' hits='1'/><line number='1' hits='0'/>";
    let r = coverage_release(dir.path(), &cobertura("", &class("src/a.py", lines)));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v["manifests"][0]["coverage_of_code"],
        serde_json::json!({"f": {"covered": 1, "coverable": 2}})
    );
    let lines = "<line number='99999999999999999999' hits='1'/>";
    let r = coverage_release(dir.path(), &cobertura("", &class("src/a.py", lines)));
    assert!(
        r.stdout.contains("a <line> without a valid number"),
        "{}",
        r.stdout
    );
}

#[test]
fn a_coverage_report_of_hundreds_of_thousands_of_files_stays_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let n = 200_000;
    let mut xml = String::from("<coverage><packages><package><classes>");
    for i in 0..n {
        xml.push_str(&class(
            &format!("/home/runner/work/app/app/pkg{i}/deep/er/mod{i}.py"),
            "<line number='1' hits='1'/>",
        ));
    }
    xml.push_str(&class("src/a.py", "<line number='1' hits='1'/>"));
    xml.push_str("</classes></package></packages></coverage>");
    let r = coverage_release(dir.path(), &xml);
    assert_eq!(r.code, 0, "{}\n{}", r.stderr, r.stdout);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v["manifests"][0]["coverage_of_code"],
        serde_json::json!({"f": {"covered": 1, "coverable": 1}})
    );
}

#[test]
fn sources_that_leave_the_root_are_never_followed() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.py"), "s = 1\n").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    fs::create_dir_all(root.join("src")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path().join("secret.py"), root.join("src/link.py")).unwrap();
    let escape = outside.path().display().to_string();
    let xml = cobertura(
        &format!("<source>{escape}</source><source>../../..</source>"),
        &[
            class("secret.py", "<line number='1' hits='1'/>"),
            class("src/link.py", "<line number='1' hits='1'/>"),
            class(
                "../../../../../../etc/passwd",
                "<line number='1' hits='1'/>",
            ),
        ]
        .concat(),
    );
    let r = coverage_release(&root, &xml);
    assert_eq!(r.code, 1, "{}", r.stderr);
    // Only src/a.py (written by coverage_release, listed by no report) is the feature's.
    assert!(
        r.stdout
            .contains("none of its code is in any coverage report; no report lists 'src/a.py'"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("link.py"), "{}", r.stdout);
}

#[test]
fn thousands_of_unused_waivers_and_missing_files_get_bounded_suggestions() {
    // Ids near the 200-character limit that differ only at the end, so every pair is a
    // costly comparison: 3,000 features without tests, 3,000 waivers of their rule whose
    // subjects are near misses, and 3,000 docs whose paths miss a file of a folder of 1,000
    // alike names. Each did-you-mean (RC010, RC005) is paid from a per-manifest budget, so
    // the run stays linear; the first ones still get their suggestion.
    let pad = "x".repeat(180);
    let dir = big_manifest(|out| {
        writeln!(out, "{HEAD}features:")?;
        for i in 0..3000 {
            writeln!(
                out,
                "  - {{id: f-{pad}-{i:05}, status: done, docs: [d{i}]}}"
            )?;
        }
        writeln!(out, "docs:")?;
        for i in 0..3000 {
            writeln!(
                out,
                "  - {{id: d{i}, kind: user, status: final, path: docs/g-{i:04}x.md}}"
            )?;
        }
        writeln!(out, "waivers:")?;
        for i in 0..3000 {
            writeln!(
                out,
                "  - {{rule: RC101, subject: g-{pad}-{i:05}, reason: r, owner: o}}"
            )?;
        }
        Ok(())
    });
    fs::create_dir(dir.path().join("docs")).unwrap();
    for i in 0..1000 {
        fs::write(dir.path().join(format!("docs/g-{i:04}.md")), "Text.\n").unwrap();
    }
    let r = relcheck(dir.path(), &["release.yaml", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let findings = report["manifests"][0]["findings"].as_array().unwrap();
    let of = |rule: &str| -> Vec<&str> {
        findings
            .iter()
            .filter(|f| f["rule"] == rule)
            .map(|f| f["message"].as_str().unwrap())
            .collect()
    };
    let (unused, missing) = (of("RC010"), of("RC005"));
    assert_eq!((unused.len(), missing.len()), (3000, 3000));
    assert!(unused[0].contains(&format!("did you mean 'f-{pad}-00000'?")));
    assert!(unused.iter().any(|m| !m.contains("did you mean")));
    assert!(
        missing[0].ends_with("(did you mean 'docs/g-0000.md'?)"),
        "{}",
        missing[0]
    );
}

/// A JaCoCo report of `packages` (each `<package>` element, as written).
fn jacoco(packages: &str) -> String {
    format!(
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?><!DOCTYPE report PUBLIC '-//JACOCO//DTD Report 1.1//EN' 'report.dtd'><report name='r'>{packages}</report>"
    )
}

/// `src/a.py` as JaCoCo names it (package `src`), with `lines`.
fn jacoco_file(package: &str, file: &str, lines: &str) -> String {
    format!("<package name='{package}'><sourcefile name='{file}'>{lines}</sourcefile></package>")
}

#[test]
fn a_jacoco_report_with_an_entity_bomb_is_refused_unread_and_its_dtd_never_fetched() {
    let dir = tempfile::tempdir().unwrap();
    // The DOCTYPE JaCoCo writes names report.dtd, which does not exist here: never fetched.
    let ok = jacoco(&jacoco_file(
        "src",
        "a.py",
        "<line nr='1' mi='0' ci='1' mb='0' cb='0'/>",
    ));
    let r = coverage_release(dir.path(), &ok);
    assert_eq!(r.code, 0, "{}\n{}", r.stderr, r.stdout);
    let bomb = "<?xml version='1.0'?><!DOCTYPE report [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'><!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'>]><report name='&c;'/>";
    let r = coverage_release(dir.path(), bomb);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout.contains(
            "cannot be read as a JaCoCo XML report: its <!DOCTYPE> declares entities; relcheck never expands them"
        ),
        "{}",
        r.stdout
    );
}

#[test]
fn jacoco_huge_line_numbers_cost_nothing_and_overflowing_ones_are_malformed() {
    let dir = tempfile::tempdir().unwrap();
    let lines = "<line nr='4294967295' mi='0' ci='9' mb='0' cb='0'/><line nr='1' mi='1' ci='0' mb='0' cb='0'/>";
    let r = coverage_release(dir.path(), &jacoco(&jacoco_file("src", "a.py", lines)));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v["manifests"][0]["coverage_of_code"],
        serde_json::json!({"f": {"covered": 1, "coverable": 2}})
    );
    let lines = "<line nr='99999999999999999999' mi='0' ci='1'/>";
    let r = coverage_release(dir.path(), &jacoco(&jacoco_file("src", "a.py", lines)));
    assert!(
        r.stdout.contains("a <line> without a valid nr"),
        "{}",
        r.stdout
    );
}

#[test]
fn a_jacoco_report_of_a_hundred_thousand_files_stays_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let n = 100_000;
    // Sorted before `src/a.py`: every one of them is looked up (under each conventional
    // source folder) before the one file that exists.
    let mut packages = String::new();
    for i in 0..n {
        packages.push_str(&jacoco_file(
            &format!("com/example/p{i}/deep/er"),
            &format!("Mod{i}.java"),
            "<line nr='1' mi='0' ci='1'/>",
        ));
    }
    packages.push_str(&jacoco_file("src", "a.py", "<line nr='1' mi='0' ci='1'/>"));
    let r = coverage_release(dir.path(), &jacoco(&packages));
    assert_eq!(r.code, 0, "{}\n{}", r.stderr, r.stdout);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v["manifests"][0]["coverage_of_code"],
        serde_json::json!({"f": {"covered": 1, "coverable": 1}})
    );
}

#[test]
fn jacoco_packages_that_leave_the_root_are_never_followed() {
    let outside = tempfile::tempdir().unwrap();
    fs::create_dir_all(outside.path().join("src")).unwrap();
    fs::write(outside.path().join("secret.py"), "s = 1\n").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    fs::create_dir_all(root.join("src")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path(), root.join("src/link")).unwrap();
    let escape = outside.path().display().to_string();
    let one = "<line nr='1' mi='0' ci='1'/>";
    let xml = jacoco(
        &[
            jacoco_file(&escape, "secret.py", one),
            jacoco_file("src/link", "secret.py", one),
            jacoco_file("../../../../../..", "etc/passwd", one),
            jacoco_file("/etc", "passwd", one),
        ]
        .concat(),
    );
    let r = coverage_release(&root, &xml);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("none of its code is in any coverage report; no report lists 'src/a.py'"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("secret"), "{}", r.stdout);
}
