//! Finding the manifests to check: named files, folders walked for manifest names, or the
//! manifest in the current folder.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use walkdir::WalkDir;

/// A manifest to check: where it is, and how reports name it (as the user gave it).
#[derive(Debug)]
pub struct Target {
    pub path: PathBuf,
    pub shown: String,
}

/// Folders a walk never enters.
const SKIPPED_DIRS: &[&str] = &["target", "node_modules"];

/// Whether a file name is a manifest name: `release.yaml`, `release.yml`, `*.release.yaml`,
/// `*.release.yml`, and the same with `program` for program manifests.
pub fn is_manifest_name(name: &str) -> bool {
    ["release.yaml", "release.yml", "program.yaml", "program.yml"]
        .iter()
        .any(|m| {
            name == *m
                || name
                    .strip_suffix(m)
                    .is_some_and(|stem| stem.ends_with('.') && stem.len() > 1)
        })
}

/// The manifests named by `paths` (or the default one). Paths that do not exist are
/// reported to `err` and flagged in the returned bool; a usage problem is an `Err`.
pub fn targets(paths: &[PathBuf], err: &mut dyn Write) -> Result<(Vec<Target>, bool)> {
    if paths.is_empty() {
        for name in ["release.yaml", "release.yml"] {
            if Path::new(name).is_file() {
                return Ok((
                    vec![Target {
                        path: PathBuf::from(name),
                        shown: name.to_owned(),
                    }],
                    false,
                ));
            }
        }
        bail!(
            "no manifest given, and neither release.yaml nor release.yml is in the current folder"
        );
    }
    let mut out = Vec::new();
    let mut failed = false;
    for p in paths {
        if p.is_dir() {
            let before = out.len();
            walk(p, &mut out);
            if out.len() == before {
                writeln!(
                    err,
                    "{}: no manifest found in this folder (looked for release.yaml, release.yml, *.release.yaml, *.release.yml and the same names with program)",
                    p.display()
                )?;
                failed = true;
            }
        } else if p.exists() {
            out.push(Target {
                path: p.clone(),
                shown: p.display().to_string(),
            });
        } else {
            writeln!(err, "{}: no such file or folder", p.display())?;
            failed = true;
        }
    }
    Ok((out, failed))
}

fn walk(dir: &Path, out: &mut Vec<Target>) {
    let walker = WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !e.file_type().is_dir()
                || e.file_name()
                    .to_str()
                    .is_some_and(|n| !n.starts_with('.') && !SKIPPED_DIRS.contains(&n))
        });
    // Unreadable entries are skipped: a walk reports what it can see.
    for entry in walker.filter_map(|e| e.ok()) {
        if entry.file_type().is_file() && entry.file_name().to_str().is_some_and(is_manifest_name) {
            let path = entry.path().to_path_buf();
            let shown = path
                .strip_prefix(".")
                .unwrap_or(&path)
                .display()
                .to_string();
            out.push(Target { path, shown });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_names() {
        for ok in [
            "release.yaml",
            "release.yml",
            "app.release.yaml",
            "a.b.release.yml",
            "program.yaml",
            "winter.program.yml",
        ] {
            assert!(is_manifest_name(ok), "{ok}");
        }
        for no in [
            ".release.yaml",
            "myrelease.yaml",
            "release.yaml.bak",
            "release.json",
            "programs.yaml",
        ] {
            assert!(!is_manifest_name(no), "{no}");
        }
    }
}
