//! Finding the manifests to check: named files, folders walked for manifest names, standard
//! input (`-`), or, with no path, the nearest manifest in the current folder or above it.
//!
//! - **No path**: the current folder, then each folder above it, is searched for the default
//!   names ([`DEFAULT_NAMES`]), as git finds `.git` and cargo finds `Cargo.toml`. The nearest
//!   folder holding one wins, and the first name present there (in that order) is checked:
//!   `release.yaml`, else `release.yml`, as in the current folder before. The search
//!   stops at the root of the git repository the current folder is in (a folder holding
//!   `.git`, a folder or a file): a manifest above the repository belongs to another project.
//!   Outside a repository it goes up to the filesystem's root. Found manifests are named
//!   relative to the current folder (`../release.yaml`), as git names paths.
//! - **`-`**: the manifest is read from standard input (at most the size limit of a file),
//!   named `<stdin>` in reports; its paths resolve against the current folder.
//! - **Duplicates**: a manifest named twice (`a.yaml ./a.yaml`, a file and the folder that
//!   holds it, `-` twice) is checked once, under the first name, in the order of first
//!   appearance. Two names are one manifest when they lead to the same file and their paths
//!   resolve from the same folder (a symlink in another folder is another check).

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use walkdir::WalkDir;

use crate::manifest::escape::file_name;
use crate::manifest::{LoadError, MAX_MANIFEST_BYTES};

/// A manifest to check: where it is, and how reports name it (as the user gave it).
#[derive(Debug)]
pub struct Target {
    /// The file; `-` for standard input (its folder, and so the folder its paths resolve
    /// against, is the current one).
    pub path: PathBuf,
    pub shown: String,
    /// The manifest's bytes when they were read already: standard input's (at most one byte
    /// over the size limit, for the loader to refuse).
    pub stdin: Option<Vec<u8>>,
}

/// How reports and errors name a manifest read from standard input.
pub(crate) const STDIN_SHOWN: &str = "<stdin>";

/// The names searched for when no path is given, in the order they are checked.
pub(crate) const DEFAULT_NAMES: [&str; 4] =
    ["release.yaml", "release.yml", "program.yaml", "program.yml"];

/// Folders a walk never enters.
const SKIPPED_DIRS: &[&str] = &["target", "node_modules"];

/// Whether a file name is a manifest name: `release.yaml`, `release.yml`, `*.release.yaml`,
/// `*.release.yml`, and the same with `program` for program manifests.
pub(crate) fn is_manifest_name(name: &str) -> bool {
    DEFAULT_NAMES.iter().any(|m| {
        name == *m
            || name
                .strip_suffix(m)
                .is_some_and(|stem| stem.ends_with('.') && stem.len() > 1)
    })
}

/// Whether a path names standard input.
pub(crate) fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// The manifests named by `paths` (or the nearest default one), and what could not be looked
/// at: paths that do not exist, and what a folder walk could not read (a check never passes
/// over what it did not see). `-` reads `stdin`. A usage problem is an `Err`.
pub(crate) fn targets(
    paths: &[PathBuf],
    stdin: &mut dyn Read,
) -> Result<(Vec<Target>, Vec<LoadError>)> {
    if paths.is_empty() {
        let here = std::env::current_dir().context("cannot tell which folder this is")?;
        return Ok((vec![nearest(&here)?], Vec::new()));
    }
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut read_stdin_once = false;
    for p in paths {
        if is_stdin(p) {
            // Standard input is read once: a second `-` is the same manifest.
            if !std::mem::replace(&mut read_stdin_once, true) {
                match read_stdin(stdin) {
                    Ok(t) => out.push(t),
                    Err(e) => errors.push(e),
                }
            }
        } else if p.is_dir() {
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
                stdin: None,
            });
        } else {
            errors.push(problem(p, "no such file or folder"));
        }
    }
    Ok((dedup(out), dedup_errors(errors)))
}

/// Standard input as a manifest. It is read up to one byte over the size limit, so that a
/// stream that never ends cannot fill the memory; the loader refuses it as it refuses a file
/// that size.
fn read_stdin(stdin: &mut dyn Read) -> Result<Target, LoadError> {
    let mut bytes = Vec::new();
    match stdin.take(MAX_MANIFEST_BYTES + 1).read_to_end(&mut bytes) {
        Ok(_) => Ok(Target {
            path: PathBuf::from("-"),
            shown: STDIN_SHOWN.to_owned(),
            stdin: Some(bytes),
        }),
        Err(e) => Err(LoadError::whole(
            STDIN_SHOWN,
            format!("cannot read standard input: {e}"),
        )),
    }
}

/// The manifest with a default name in the nearest folder, from `here` upwards, that holds
/// one (the first name in [`DEFAULT_NAMES`] order), named relative to `here`. See the module
/// documentation.
fn nearest(here: &Path) -> Result<Target> {
    let mut up = PathBuf::new();
    for dir in here.ancestors() {
        if let Some(name) = DEFAULT_NAMES.iter().find(|n| dir.join(n).is_file()) {
            let path = up.join(name);
            return Ok(Target {
                shown: path.display().to_string(),
                path,
                stdin: None,
            });
        }
        if std::fs::symlink_metadata(dir.join(".git")).is_ok() {
            bail!(
                "no manifest found in {} or the folders above it up to the repository's root {} \
                 (looked for {}); write one with `relcheck init`, or name a manifest or a folder: \
                 relcheck check PATH",
                shown(here),
                shown(dir),
                DEFAULT_NAMES.join(", ")
            );
        }
        up.push("..");
    }
    bail!(
        "no manifest found in {} or any folder above it (looked for {}); write one with \
         `relcheck init`, or name a manifest or a folder: relcheck check PATH",
        shown(here),
        DEFAULT_NAMES.join(", ")
    )
}

/// What makes two names one manifest: the file (symlinks resolved) and the folder its paths
/// resolve from. Standard input is itself.
fn identity(t: &Target) -> (PathBuf, PathBuf) {
    if t.stdin.is_some() {
        return (PathBuf::from("-"), PathBuf::new());
    }
    let folder = match t.path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    (resolved(&t.path), resolved(folder))
}

/// `path` with its symlinks, `.` and `..` resolved; as much of it as exists.
fn resolved(path: &Path) -> PathBuf {
    if let Ok(real) = path.canonicalize() {
        return real;
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match (absolute.parent(), absolute.file_name()) {
        (Some(dir), Some(name)) => dir
            .canonicalize()
            .map_or_else(|_| absolute.clone(), |d| d.join(name)),
        _ => absolute,
    }
}

/// Each manifest once, under its first name, in the order of first appearance.
fn dedup(targets: Vec<Target>) -> Vec<Target> {
    let mut seen = HashSet::new();
    targets
        .into_iter()
        .filter(|t| seen.insert(identity(t)))
        .collect()
}

/// Each problem once: a missing path named twice (however spelt), a folder walked twice.
fn dedup_errors(errors: Vec<LoadError>) -> Vec<LoadError> {
    let mut seen = HashSet::new();
    errors
        .into_iter()
        .filter(|e| seen.insert((resolved(Path::new(&e.shown)), e.message.clone())))
        .collect()
}

/// What could not be looked at, about `p` (its display escapes the name).
fn problem(p: &Path, message: impl Into<String>) -> LoadError {
    LoadError::whole(&p.display().to_string(), message)
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
                        stdin: None,
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
                    stdin: None,
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
    fn the_nearest_folder_with_a_manifest_wins() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        let deep = repo.join("product/docs/user");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::create_dir(repo.join(".git")).unwrap();
        std::fs::write(repo.join("program.yaml"), "").unwrap();
        std::fs::write(repo.join("product/release.yaml"), "").unwrap();
        std::fs::write(repo.join("product/release.yml"), "").unwrap();
        // Only exact default names count: a folder walk's `*.release.yaml` does not.
        std::fs::write(repo.join("product/docs/app.release.yaml"), "").unwrap();
        let found = nearest(&deep).unwrap();
        assert_eq!(found.shown, "../../release.yaml");
        assert_eq!(found.path, Path::new("../../release.yaml"));
        // release.yaml, else release.yml.
        assert_eq!(
            nearest(&repo.join("product")).unwrap().shown,
            "release.yaml"
        );
        std::fs::remove_file(repo.join("product/release.yaml")).unwrap();
        assert_eq!(nearest(&repo.join("product")).unwrap().shown, "release.yml");
        assert_eq!(nearest(&repo).unwrap().shown, "program.yaml");
    }

    #[test]
    fn the_search_stops_at_the_repository_root() {
        let dir = tempfile::tempdir().unwrap();
        // A manifest above the repository belongs to another project.
        std::fs::write(dir.path().join("release.yaml"), "").unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(repo.join("a/b")).unwrap();
        // A worktree or a submodule has a `.git` file.
        std::fs::write(repo.join(".git"), "gitdir: elsewhere\n").unwrap();
        let e = nearest(&repo.join("a/b")).unwrap_err().to_string();
        assert!(e.starts_with("no manifest found in "), "{e}");
        assert!(e.contains("up to the repository's root"), "{e}");
        assert!(e.contains("`relcheck init`"), "{e}");
        // Outside a repository, the folder above is searched.
        std::fs::remove_file(repo.join(".git")).unwrap();
        assert_eq!(
            nearest(&repo.join("a/b")).unwrap().shown,
            "../../../release.yaml"
        );
    }

    #[test]
    fn a_manifest_named_twice_is_checked_once_in_first_order() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("a")).unwrap();
        std::fs::write(d.join("a/release.yaml"), "").unwrap();
        std::fs::write(d.join("b.release.yaml"), "").unwrap();
        let paths = [
            d.join("b.release.yaml"),
            d.join("a/release.yaml"),
            d.join("a/../b.release.yaml"),
            d.join("a"),
            d.to_path_buf(),
            d.join("./a/release.yaml"),
            PathBuf::from("-"),
            PathBuf::from("-"),
            d.join("missing.yaml"),
            d.join("a/../missing.yaml"),
        ];
        let mut input: &[u8] = b"relcheck: 1\n";
        let (targets, errors) = targets(&paths, &mut input).unwrap();
        let names: Vec<String> = targets
            .iter()
            .map(|t| t.shown.replace(&d.display().to_string(), "D"))
            .collect();
        assert_eq!(names, ["D/b.release.yaml", "D/a/release.yaml", "<stdin>"]);
        assert_eq!(targets[2].stdin.as_deref(), Some(&b"relcheck: 1\n"[..]));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].message.contains("no such file"));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_manifest_in_another_folder_is_another_check() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("a")).unwrap();
        std::fs::create_dir_all(d.join("b")).unwrap();
        std::fs::write(d.join("a/release.yaml"), "").unwrap();
        std::os::unix::fs::symlink(d.join("a/release.yaml"), d.join("b/release.yaml")).unwrap();
        std::os::unix::fs::symlink(d.join("a/release.yaml"), d.join("a/link.yaml")).unwrap();
        let paths = [
            d.join("a/release.yaml"),
            d.join("b/release.yaml"),
            d.join("a/link.yaml"),
        ];
        let (targets, _) = targets(&paths, &mut std::io::empty()).unwrap();
        // Its paths resolve from b/: not the same check. From a/ through a link: the same.
        assert_eq!(targets.len(), 2);
    }

    #[test]
    fn standard_input_is_read_up_to_one_byte_over_the_limit() {
        let mut endless = std::io::repeat(b'#');
        let (targets, errors) = targets(&[PathBuf::from("-")], &mut endless).unwrap();
        assert!(errors.is_empty());
        let bytes = targets[0].stdin.as_ref().unwrap();
        assert_eq!(bytes.len() as u64, MAX_MANIFEST_BYTES + 1);
        let e = crate::manifest::load_bytes(bytes, STDIN_SHOWN)
            .unwrap_err()
            .remove(0);
        assert!(
            e.to_string()
                .starts_with("<stdin>: the manifest is over the limit"),
            "{e}"
        );
    }

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
