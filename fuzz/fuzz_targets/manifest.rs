//! Fuzzes the manifest loader and everything after it, in memory.
//!
//! Arbitrary bytes are a manifest: UTF-8 text goes to `relcheck::manifest::parse`; other
//! bytes are written to `<dir>/input-<pid>.yaml` and read with `relcheck::manifest::load`,
//! so the UTF-8 check and its error position are fuzzed too. A manifest that loads is planned
//! (policy and waivers), checked with every rule, and rendered in every format, as
//! `relcheck check` does:
//!
//! - a release is checked against a fixed evidence root (below), with the storefront example
//!   as its `--baseline` for every other input (by length), so RC108 runs both ways;
//! - a program is checked with made-up product statuses (ready, not ready, missing, invalid,
//!   outside the root, in turn), as no product manifest is read.
//!
//! Oracles, beyond "no panic, no hang, no runaway memory": a manifest that does not load
//! has between one and `MAX_ERRORS` + 1 errors, each worded; every load error and report
//! renders; the JSON and SARIF reports are JSON; the JUnit report is a JUnit report to
//! relcheck's own reader; and no evidence path that leads to a file or folder lies outside
//! the root once symlinks are resolved.
//!
//! Everything the target touches is in one fixed folder, `<dir>`: `$RELCHECK_FUZZ_DIR`, else
//! `<temp>/relcheck-fuzz`. Its evidence root, `<dir>/root`, is built once (when missing) from
//! the folders of the example and fixture manifests, merged, plus a few hostile entries: a
//! symlink `link-out` leading out of the root to `<dir>/outside`, a named pipe `pipe.md`
//! (never to be opened: that would hang, and the fuzzer would report a timeout), an empty
//! file and an empty folder. Nothing outside `<dir>` is written and only the root is read
//! (the checks' confinement is what the last oracle tests). `scripts/fuzz.sh` deletes
//! `<dir>` first, so the root follows the fixtures.

#![no_main]

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use relcheck::check::{self, Settings};
use relcheck::engine::{Gate, GateKind, RunVerdict};
use relcheck::evidence::{Cache, Reach};
use relcheck::manifest::{self, Date, Manifest, Program, Release};
use relcheck::policy::{Plan, Selection};
use relcheck::program::ProductStatus;
use relcheck::report::{self, Format, ManifestContext, ManifestReport, Report};
use relcheck::workspace::{BaselineSpec, LoadedProgram, LoadedRelease};

/// What every input is checked with.
struct Fixed {
    dir: PathBuf,
    root: PathBuf,
    real_root: PathBuf,
    today: Date,
    selection: Selection,
    baseline: Box<Release>,
}

const FORMATS: [Format; 7] = [
    Format::Human,
    Format::Json,
    Format::Sarif,
    Format::Junit,
    Format::Github,
    Format::Markdown,
    Format::Html,
];

fn fixed() -> &'static Fixed {
    static FIXED: OnceLock<Fixed> = OnceLock::new();
    FIXED.get_or_init(|| {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let dir = std::env::var_os("RELCHECK_FUZZ_DIR")
            .map_or_else(|| std::env::temp_dir().join("relcheck-fuzz"), PathBuf::from);
        let root = dir.join("root");
        if !root.exists() {
            build_root(&repo, &dir);
        }
        let text = fs::read_to_string(repo.join("examples/storefront/release.yaml"))
            .expect("the storefront example");
        let Ok(Manifest::Release(baseline)) = manifest::parse(&text, "baseline.yaml") else {
            panic!("the storefront example is a release manifest");
        };
        Fixed {
            dir,
            real_root: root.canonicalize().expect("the evidence root"),
            root,
            today: Date::parse("2026-11-26").expect("a date"),
            selection: Selection::default(),
            baseline,
        }
    })
}

/// Builds `<dir>/root` and `<dir>/outside` in a staging folder, then renames them into
/// place (a concurrent fuzzer that got there first wins; the contents are the same).
fn build_root(repo: &Path, dir: &Path) {
    let stage = dir.join(format!("stage-{}", std::process::id()));
    let _ = fs::remove_dir_all(&stage);
    let inside = stage.join("root");
    fs::create_dir_all(&inside).expect("the staging folder");
    let mut folders = Vec::new();
    for top in ["examples", "tests/fixtures"] {
        manifest_folders(&repo.join(top), &mut folders);
    }
    folders.sort();
    folders.dedup();
    for folder in &folders {
        copy_tree(folder, &inside);
    }
    fs::create_dir_all(stage.join("outside")).expect("outside");
    fs::write(
        stage.join("outside/secret.md"),
        "# Secret\n\nNot evidence.\n",
    )
    .expect("secret");
    fs::write(inside.join("empty.md"), "").expect("empty file");
    fs::create_dir_all(inside.join("empty-dir")).expect("empty folder");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("../outside", inside.join("link-out")).expect("symlink");
        std::os::unix::fs::symlink("docs", inside.join("link-in")).expect("symlink");
        let fifo = std::process::Command::new("mkfifo")
            .arg(inside.join("pipe.md"))
            .status();
        assert!(fifo.is_ok_and(|s| s.success()), "mkfifo");
    }
    let _ = fs::rename(stage.join("outside"), dir.join("outside"));
    let root = dir.join("root");
    if fs::rename(&inside, &root).is_err() && !root.exists() {
        panic!("cannot build the evidence root at {}", root.display());
    }
    let _ = fs::remove_dir_all(&stage);
}

/// Every folder under `dir` that holds a `.yaml` file.
fn manifest_folders(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let Ok(kind) = e.file_type() else { continue };
        let path = e.path();
        if kind.is_dir() {
            manifest_folders(&path, out);
        } else if kind.is_file() && path.extension().is_some_and(|x| x == "yaml") {
            out.push(dir.to_path_buf());
        }
    }
}

/// Copies the regular files under `from` into `to` (symlinks and special files are left out).
fn copy_tree(from: &Path, to: &Path) {
    let Ok(entries) = fs::read_dir(from) else {
        return;
    };
    for e in entries.flatten() {
        let Ok(kind) = e.file_type() else { continue };
        let target = to.join(e.file_name());
        if kind.is_dir() {
            let _ = fs::create_dir_all(&target);
            copy_tree(&e.path(), &target);
        } else if kind.is_file() {
            let _ = fs::copy(e.path(), &target);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let fx = fixed();
    let loaded = match std::str::from_utf8(data) {
        Ok(text) => manifest::parse(text, "fuzz.yaml"),
        Err(_) => {
            let path = fx.dir.join(format!("input-{}.yaml", std::process::id()));
            fs::write(&path, data).expect("write the input");
            manifest::load(&path, "fuzz.yaml")
        }
    };
    let manifest = match loaded {
        Ok(m) => m,
        Err(errors) => {
            // A manifest that does not load has errors, each worded, at most the cap (and
            // a last line counting the others).
            assert!(!errors.is_empty(), "no error for a manifest that does not load");
            assert!(errors.len() <= manifest::MAX_ERRORS + 1, "{} errors", errors.len());
            for e in &errors {
                assert!(!e.message.is_empty(), "an empty error message");
                let _ = e.to_string();
            }
            return;
        }
    };
    let plan = match Plan::new(
        "fuzz.yaml",
        manifest.policy().map(|p| &p.value),
        manifest.waivers(),
        &fx.selection,
    ) {
        Ok(plan) => plan,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    let gate = Gate {
        strict: data.len() % 3 == 0,
        kind: if data.len() % 5 == 0 {
            GateKind::OnTrack
        } else {
            GateKind::Release
        },
    };
    let cache = Cache::new();
    let with_baseline = data.len() % 2 == 1;
    let settings = Settings {
        today: fx.today,
        gate,
        cache: &cache,
        baseline: with_baseline.then(|| BaselineSpec::File(&fx.baseline, "baseline.yaml")),
    };
    match manifest {
        Manifest::Release(release) => {
            let loaded = LoadedRelease {
                path: fx.root.join("fuzz.yaml"),
                shown: "fuzz.yaml".to_owned(),
                root: fx.root.clone(),
                base: fx.root.clone(),
                release,
                plan,
                baseline: None,
                at_base: None,
                program_date: None,
                base_program_date: None,
            };
            render_all(fx, check::check_release(&loaded, &settings), gate);
        }
        Manifest::Program(program) => {
            let statuses = product_statuses(&program);
            let loaded = LoadedProgram {
                path: fx.root.join("fuzz.yaml"),
                shown: "fuzz.yaml".to_owned(),
                root: fx.root.clone(),
                program,
                plan,
                products: Vec::new(),
                at_base: None,
            };
            render_all(fx, check::check_program(&loaded, statuses, &settings), gate);
        }
    }
});

/// The oracles on one checked manifest: confinement, then every format renders and parses.
fn render_all(fx: &Fixed, report: ManifestReport<'_>, gate: Gate) {
    check_evidence(fx, &report);
    let run = RunVerdict::of([&report.outcome], true);
    let report = Report {
        manifests: vec![report],
        errors: Vec::new(),
        gate,
        verdict: run.ready,
        on_track: run.on_track,
        pass: run.pass,
        new_since: None,
    };
    for format in FORMATS {
        let mut out = Vec::new();
        report::render(&report, format, format == Format::Human, &mut out).expect("renders");
        match format {
            Format::Json | Format::Sarif => {
                if let Err(e) = serde_json::from_slice::<serde_json::Value>(&out) {
                    panic!("the {} report is not JSON: {e}", format.name());
                }
            }
            Format::Junit => {
                if let Err(e) = relcheck::evidence::junit::parse_reader(&out[..]) {
                    panic!("the JUnit report does not read as JUnit: {e}");
                }
            }
            _ => {}
        }
    }
}

/// Made-up product statuses (ready, not ready, missing, invalid, outside the root, in turn):
/// no product manifest is read.
fn product_statuses(program: &Program) -> Vec<ProductStatus> {
    program
        .info
        .products
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let path = p.manifest.value.clone();
            match i % 5 {
                0 | 1 => ProductStatus::Checked {
                    path,
                    ready: i % 5 == 0,
                    on_track: i % 2 == 0,
                    errors: i % 5,
                    warnings: i % 3,
                    date: Date::parse(if i % 2 == 0 {
                        "2026-12-01"
                    } else {
                        "2027-03-01"
                    })
                    .expect("a date"),
                    program: (i % 4 != 1).then(|| program.info.id.value.to_string()),
                },
                2 => ProductStatus::Missing { path },
                3 => ProductStatus::Invalid {
                    error: format!("{path}:1:1: invalid"),
                    path,
                },
                _ => ProductStatus::OutsideRoot {
                    path,
                    how: "climbs 1 folder above the root with '..'".to_owned(),
                },
            }
        })
        .collect()
}

/// Confinement: a path that reached a file or folder must lie inside the root.
fn check_evidence(fx: &Fixed, report: &ManifestReport<'_>) {
    let ManifestContext::Release(cx) = &report.context else {
        return;
    };
    for a in cx.evidence.artifacts() {
        if matches!(a.reach, Reach::File(_) | Reach::Folder(_))
            && let Ok(real) = fx.root.join(&a.value).canonicalize()
        {
            assert!(
                real.starts_with(&fx.real_root),
                "{} '{}' was read although it leads outside the root, to {}",
                a.field,
                a.value,
                real.display()
            );
        }
    }
}
