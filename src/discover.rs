//! Finding the manifests to check: named files, folders walked for manifest names, or the
//! manifest in the current folder.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use walkdir::WalkDir;

use crate::manifest::LoadError;
use crate::manifest::escape::file_name;

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
pub(crate) fn is_manifest_name(name: &str) -> bool {
    ["release.yaml", "release.yml", "program.yaml", "program.yml"]
        .iter()
        .any(|m| {
            name == *m
                || name
                    .strip_suffix(m)
                    .is_some_and(|stem| stem.ends_with('.') && stem.len() > 1)
        })
}

/// The manifests named by `paths` (or the default one), and what could not be looked at:
/// paths that do not exist, and what a folder walk could not read (a check never passes over
/// what it did not see). A usage problem is an `Err`.
pub(crate) fn targets(paths: &[PathBuf]) -> Result<(Vec<Target>, Vec<LoadError>)> {
    if paths.is_empty() {
        for name in ["release.yaml", "release.yml"] {
            if Path::new(name).is_file() {
                return Ok((
                    vec![Target {
                        path: PathBuf::from(name),
                        shown: name.to_owned(),
                    }],
                    Vec::new(),
                ));
            }
        }
        bail!(
            "no manifest given, and neither release.yaml nor release.yml is in the current folder"
        );
    }
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p.is_dir() {
            let before = out.len();
            walk(p, &mut out, &mut errors);
            if out.len() == before {
                errors.push(problem(
                    p,
                    "no manifest found in this folder (looked for release.yaml, release.yml, *.release.yaml, *.release.yml and the same names with program)",
                ));
            }
        } else if p.exists() {
            out.push(Target {
                path: p.clone(),
                shown: p.display().to_string(),
            });
        } else {
            errors.push(problem(p, "no such file or folder"));
        }
    }
    Ok((out, errors))
}

/// What could not be looked at, about `p` (its display escapes the name).
fn problem(p: &Path, message: impl Into<String>) -> LoadError {
    LoadError {
        shown: p.display().to_string(),
        pos: None,
        message: message.into(),
    }
}

/// A path inside a message, escaped (a pull request names the files).
fn shown(p: &Path) -> String {
    file_name(&p.display().to_string()).into_owned()
}

/// A manifest a walk found, before duplicates are dropped.
struct Found {
    target: Target,
    /// The file itself (symlinks resolved), to find the same file reached twice.
    real: PathBuf,
    via_link: bool,
}

/// Walks `dir` for manifests into `out`. What it cannot read (a folder, a symlinked manifest
/// it cannot follow or that leads outside `dir`) goes to `errors`: a scan never passes over
/// what it did not see.
fn walk(dir: &Path, out: &mut Vec<Target>, errors: &mut Vec<LoadError>) {
    let scanned = match dir.canonicalize() {
        Ok(d) => d,
        Err(e) => {
            errors.push(problem(dir, format!("cannot read this folder: {e}")));
            return;
        }
    };
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
    let mut found: Vec<Found> = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let at = e.path().unwrap_or(dir);
                let why = e
                    .io_error()
                    .map_or_else(|| e.to_string(), ToString::to_string);
                errors.push(problem(
                    at,
                    format!("cannot read this folder: {why}; its manifests would go unchecked"),
                ));
                continue;
            }
        };
        let file_type = entry.file_type();
        if file_type.is_dir() || !entry.file_name().to_str().is_some_and(is_manifest_name) {
            continue;
        }
        let path = entry.path().to_path_buf();
        let target_shown = path
            .strip_prefix(".")
            .unwrap_or(&path)
            .display()
            .to_string();
        if file_type.is_symlink() {
            // A symlinked manifest is checked as the file it leads to (its paths resolve
            // from that file's folder), when that file is inside the scanned folder.
            match path.canonicalize() {
                Err(e) => errors.push(problem(
                    Path::new(&target_shown),
                    format!("a symlinked manifest relcheck cannot follow: {e}"),
                )),
                Ok(real) if !real.starts_with(&scanned) => errors.push(problem(
                    Path::new(&target_shown),
                    format!(
                        "a symlink to {}, outside the scanned folder {}; relcheck does not read it",
                        shown(&real),
                        shown(dir)
                    ),
                )),
                Ok(real) if real.is_dir() => errors.push(problem(
                    Path::new(&target_shown),
                    "a symlink named like a manifest that leads to a folder",
                )),
                Ok(real) => found.push(Found {
                    target: Target {
                        path: real.clone(),
                        shown: target_shown,
                    },
                    real,
                    via_link: true,
                }),
            }
        } else {
            // Regular files, and anything else with a manifest's name (a named pipe, a
            // socket): loading reports what is not a regular file.
            let real = path.canonicalize().unwrap_or_else(|_| path.clone());
            found.push(Found {
                target: Target {
                    path,
                    shown: target_shown,
                },
                real,
                via_link: false,
            });
        }
    }
    // The same file reached twice (a symlink to a manifest the walk also found) is checked
    // once, under its own name when the walk met it, else under the first link's.
    let direct: HashSet<PathBuf> = found
        .iter()
        .filter(|f| !f.via_link)
        .map(|f| f.real.clone())
        .collect();
    let mut seen = HashSet::new();
    for f in found {
        if f.via_link && direct.contains(&f.real) {
            continue;
        }
        if seen.insert(f.real) {
            out.push(f.target);
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
