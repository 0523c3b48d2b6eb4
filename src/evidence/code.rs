//! Coverage reports as evidence of the features' `code`: each reported file resolved to its
//! identity (a path relative to the root), the reports merged line by line, and the `code`
//! globs of each feature matched against the identities.
//!
//! Identity: a reported file is joined with each `<source>` folder in turn (the first that
//! yields an identity wins); a path still relative gets the entry's `prefix`; then the
//! longest suffix (starting at a folder boundary) that names an existing regular file under
//! the root is its identity. Suffixes are looked up with [`paths::Root::resolve_from_root`]:
//! nothing is opened, and a `<source>` that leaves the root only contributes the suffixes
//! that lie inside it. Lookups are bounded per report ([`MAX_LOOKUPS`]).

use std::collections::{BTreeMap, HashMap};
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};

use super::coverage::{Cobertura, Lines};
use super::paths::{Escape, NodeKind, Resolved, Root};

/// The most suffix lookups (each a few `symlink_metadata` calls) made for one report; the
/// files left when it is spent belong to no feature.
pub const MAX_LOOKUPS: usize = 2_000_000;
/// The longest suffix tried, in folders: deeper trees are not real source trees.
pub const MAX_SUFFIX_PARTS: usize = 64;
/// How many files a feature's message names that `code` matches on disk but no report lists.
pub const MAX_UNLISTED: usize = 5;
/// Entries looked at while walking the folders a feature's globs name.
pub const MAX_WALK_ENTRIES: usize = 100_000;

/// Every reported file with an identity, merged over all reports: identity (relative to the
/// root, `/`-separated) to lines.
#[derive(Clone, Debug, Default)]
pub struct Merged {
    pub files: BTreeMap<String, Lines>,
}

impl Merged {
    /// Adds `report`'s files (resolved under `root`, `prefix` for relative paths); returns
    /// how many of its files got an identity.
    pub fn add(&mut self, root: &Root, report: &Cobertura, prefix: Option<&str>) -> usize {
        let mut budget = MAX_LOOKUPS;
        let mut known: HashMap<Vec<String>, bool> = HashMap::new();
        let mut identified = 0;
        for (name, lines) in &report.files {
            let candidates: Vec<String> = if report.sources.is_empty() || is_absolute(name) {
                vec![name.clone()]
            } else {
                report
                    .sources
                    .iter()
                    .map(|s| format!("{}/{name}", s.trim_end_matches(['/', '\\'])))
                    .collect()
            };
            let found = candidates.iter().find_map(|c| {
                let mut parts = Vec::new();
                if !is_absolute(c)
                    && let Some(p) = prefix
                {
                    parts.extend(normal_parts(p));
                }
                parts.extend(normal_parts(c));
                identity(root, &parts, &mut budget, &mut known)
            });
            if let Some(id) = found {
                identified += 1;
                let merged = self.files.entry(id).or_default();
                for (n, covered) in lines {
                    *merged.entry(*n).or_insert(false) |= *covered;
                }
            }
        }
        identified
    }
}

/// `/x`, `\x`, `C:\x`, `C:/x`.
fn is_absolute(p: &str) -> bool {
    let b = p.as_bytes();
    p.starts_with(['/', '\\']) || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
}

/// The components of a path as written (`/` or `\`), `.` and empty ones dropped, `..`
/// applied lexically; what `..` climbs above the start of is dropped too (a suffix never
/// holds `..`). A drive (`C:`) is dropped.
fn normal_parts(p: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, part) in p.split(['/', '\\']).enumerate() {
        match part {
            "" | "." => {}
            _ if i == 0 && part.len() == 2 && part.ends_with(':') => {}
            ".." => {
                out.pop();
            }
            _ => out.push(part.to_owned()),
        }
    }
    out
}

/// The longest suffix of `parts` that is a regular file under the root.
fn identity(
    root: &Root,
    parts: &[String],
    budget: &mut usize,
    known: &mut HashMap<Vec<String>, bool>,
) -> Option<String> {
    let start = parts.len().saturating_sub(MAX_SUFFIX_PARTS);
    for i in start..parts.len() {
        let suffix = &parts[i..];
        let exists = if let Some(e) = known.get(suffix) {
            *e
        } else {
            if *budget == 0 {
                return None;
            }
            *budget -= 1;
            let rel: PathBuf = suffix.iter().collect();
            let e = matches!(
                root.resolve_from_root(&rel),
                Resolved::Node {
                    kind: NodeKind::File,
                    ..
                }
            );
            known.insert(suffix.to_vec(), e);
            e
        };
        if exists {
            return Some(suffix.join("/"));
        }
    }
    None
}

/// A feature's `code` glob anchored at the root: its components relative to the root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Glob {
    parts: Vec<String>,
}

impl Glob {
    /// Anchors `raw` (relative to the manifest's folder, `base` relative to the root); `Err`
    /// when it is absolute or climbs above the root (RC004).
    pub fn anchor(raw: &str, base: &[OsString]) -> Result<Glob, Escape> {
        if is_absolute(raw) {
            return Err(Escape::Absolute);
        }
        let mut parts: Vec<String> = base
            .iter()
            .map(|b| b.to_string_lossy().into_owned())
            .collect();
        let mut lowest = 0isize;
        for part in raw.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    if parts.pop().is_none() {
                        lowest -= 1;
                    }
                }
                _ => parts.push(part.to_owned()),
            }
        }
        if lowest < 0 {
            return Err(Escape::DotDot {
                levels: lowest.unsigned_abs(),
            });
        }
        Ok(Glob { parts })
    }

    /// Whether the identity `path` (`/`-separated, relative to the root) matches.
    pub fn matches(&self, path: &str) -> bool {
        let p: Vec<&str> = path.split('/').collect();
        match_parts(&self.parts, &p)
    }

    /// The folder the glob's literal leading components name (where a walk starts).
    fn literal_prefix(&self) -> Vec<&str> {
        self.parts
            .iter()
            .take_while(|p| !p.contains(['*', '?']))
            .map(String::as_str)
            .collect()
    }
}

fn match_parts(glob: &[String], path: &[&str]) -> bool {
    // Iterative over `**` positions with memo-free backtracking: `**` only tries each split
    // once per position, and globs are short.
    let Some((first, rest)) = glob.split_first() else {
        return path.is_empty();
    };
    if first == "**" {
        (0..=path.len()).any(|i| match_parts(rest, &path[i..]))
    } else {
        match path.split_first() {
            Some((p, tail)) => {
                match_segment(first.as_bytes(), p.as_bytes()) && match_parts(rest, tail)
            }
            None => false,
        }
    }
}

/// `*` any run of characters, `?` one character (within one component).
fn match_segment(pat: &[u8], s: &[u8]) -> bool {
    let (mut p, mut i) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while i < s.len() {
        if p < pat.len() && (pat[p] == b'?' || pat[p] == s[i]) {
            if pat[p] == b'?' {
                // one character, not one byte
                i += utf8_len(s[i]);
            } else {
                i += 1;
            }
            p += 1;
        } else if p < pat.len() && pat[p] == b'*' {
            star = Some((p, i));
            p += 1;
        } else if let Some((sp, si)) = star {
            p = sp + 1;
            let ni = si + utf8_len(s[si]);
            star = Some((sp, ni));
            i = ni;
        } else {
            return false;
        }
    }
    pat[p..].iter().all(|c| *c == b'*')
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

/// One feature's coverage of its `code`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FeatureCode {
    /// Covered lines of the identities its globs match.
    pub covered: u64,
    /// Coverable lines of those identities.
    pub coverable: u64,
    /// How many reported files its globs match.
    pub files: usize,
    /// Up to [`MAX_UNLISTED`] files its globs match on disk that no report lists, sorted.
    pub unlisted: Vec<String>,
}

/// The coverage of the files `globs` match among `merged`, and the files on disk they match
/// that no report lists (hidden files and folders skipped, symlinks never followed).
pub fn feature_code(root: &Root, globs: &[Glob], merged: &Merged) -> FeatureCode {
    let mut fc = FeatureCode::default();
    for (id, lines) in &merged.files {
        if globs.iter().any(|g| g.matches(id)) {
            let (c, n) = Cobertura::counts(lines);
            fc.covered += c;
            fc.coverable += n;
            fc.files += 1;
        }
    }
    let Some(canon) = root.canonical() else {
        return fc;
    };
    let mut seen = 0usize;
    let mut unlisted = std::collections::BTreeSet::new();
    for g in globs {
        let start = g.literal_prefix();
        if start.len() == g.parts.len() {
            // A literal path: one file.
            let id = start.join("/");
            let rel: PathBuf = start.iter().collect();
            if !merged.files.contains_key(&id)
                && matches!(
                    root.resolve_from_root(&rel),
                    Resolved::Node {
                        kind: NodeKind::File,
                        ..
                    }
                )
            {
                unlisted.insert(id);
            }
            continue;
        }
        let rel: PathBuf = start.iter().collect();
        // Confined first: the walk starts only where no symlink leads out.
        let Resolved::Node {
            kind: NodeKind::Folder,
            ..
        } = root.resolve_from_root(&rel)
        else {
            continue;
        };
        walk(
            canon,
            &start.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(),
            &mut |id| {
                if g.matches(id) && !merged.files.contains_key(id) {
                    unlisted.insert(id.to_owned());
                }
            },
            &mut seen,
        );
    }
    fc.unlisted = unlisted.into_iter().take(MAX_UNLISTED).collect();
    fc
}

/// Walks `root/dir` depth first in name order, calling `found` with each regular file's
/// identity; never follows a symlink, skips names starting with `.`.
fn walk(root: &Path, dir: &[String], found: &mut dyn FnMut(&str), seen: &mut usize) {
    let path: PathBuf = std::iter::once(root.as_os_str().to_owned())
        .chain(dir.iter().map(OsString::from))
        .collect();
    let Ok(entries) = fs::read_dir(&path) else {
        return;
    };
    let mut names = Vec::new();
    for e in entries.flatten() {
        *seen += 1;
        if *seen > MAX_WALK_ENTRIES {
            return;
        }
        let Ok(name) = e.file_name().into_string() else {
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        if let Ok(t) = e.file_type() {
            names.push((name, t));
        }
    }
    names.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, t) in names {
        let mut parts = dir.to_vec();
        parts.push(name);
        if t.is_dir() {
            walk(root, &parts, found, seen);
        } else if t.is_file() {
            found(&parts.join("/"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glob(g: &str) -> Glob {
        Glob::anchor(g, &[]).unwrap()
    }

    #[test]
    fn globs_anchor_at_the_manifest_folder_and_match_identities() {
        assert!(glob("src/checkout/**").matches("src/checkout/a.py"));
        assert!(glob("src/checkout/**").matches("src/checkout/x/y/a.py"));
        assert!(glob("src/**/a.py").matches("src/a.py"));
        assert!(!glob("src/*.py").matches("src/x/a.py"));
        assert!(glob("src/?.py").matches("src/é.py"));
        assert!(!glob("cart.py").matches("web/cart.py"));
        assert!(glob("**/cart.py").matches("web/cart.py"));
        let base = [OsString::from("svc")];
        assert_eq!(
            Glob::anchor("../web/*.ts", &base).map(|g| g.matches("web/a.ts")),
            Ok(true)
        );
        assert_eq!(
            Glob::anchor("../../x/**", &base),
            Err(Escape::DotDot { levels: 1 })
        );
        assert_eq!(Glob::anchor("/etc/**", &base), Err(Escape::Absolute));
    }

    #[test]
    fn identity_is_the_longest_existing_suffix_inside_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::create_dir_all(d.join("src/shop")).unwrap();
        fs::write(d.join("src/shop/cart.py"), "x = 1\n").unwrap();
        fs::write(d.join("cart.py"), "y = 1\n").unwrap();
        let root = Root::new(d, d);
        let lines = |v: &[(u32, bool)]| v.iter().copied().collect::<Lines>();
        let report = Cobertura {
            sources: vec!["/home/runner/work/app/app/src".into()],
            files: [
                ("shop/cart.py".to_owned(), lines(&[(1, true), (2, false)])),
                ("../../../../etc/passwd".to_owned(), lines(&[(1, true)])),
            ]
            .into_iter()
            .collect(),
        };
        let mut m = Merged::default();
        assert_eq!(m.add(&root, &report, None), 1);
        let second = Cobertura {
            sources: vec![],
            files: [("shop/cart.py".to_owned(), lines(&[(2, true), (3, false)]))]
                .into_iter()
                .collect(),
        };
        assert_eq!(m.add(&root, &second, Some("src")), 1);
        assert_eq!(Cobertura::counts(&m.files["src/shop/cart.py"]), (2, 3));
        assert_eq!(m.files.len(), 1);
        let fc = feature_code(&root, &[glob("**/*.py")], &m);
        assert_eq!((fc.covered, fc.coverable, fc.files), (2, 3, 1));
        assert_eq!(fc.unlisted, ["cart.py"]);
    }
}
