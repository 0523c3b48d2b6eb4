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

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::fs;
use std::ops::Bound;
use std::path::{Path, PathBuf};

use super::coverage::{Cobertura, Lines};
use super::paths::{Escape, NodeKind, Resolved, Root};
use crate::hash::Map;

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
        let mut known = Known::default();
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
                match self.files.entry(id) {
                    // The first report listing the file: its lines as they are, shared
                    // with the report's (no copy).
                    Entry::Vacant(v) => {
                        v.insert(lines.clone());
                    }
                    Entry::Occupied(mut o) => {
                        o.get_mut().merge(lines);
                    }
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
fn normal_parts(p: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for (i, part) in p.split(['/', '\\']).enumerate() {
        match part {
            "" | "." => {}
            _ if i == 0 && part.len() == 2 && part.ends_with(':') => {}
            ".." => {
                out.pop();
            }
            _ => out.push(part),
        }
    }
    out
}

/// What lookups found so far, for one report: whether a suffix is a regular file, and
/// whether a path (a suffix's leading parts) is a folder under the root. Keyed by the parts
/// joined with `/` (a part never holds one), built in a reused buffer: a lookup that was
/// made before allocates nothing.
struct Known {
    files: Map<String, bool>,
    folders: Map<String, bool>,
    key: String,
    /// The folders looked into, and their listings.
    looked: Map<String, Looked>,
    /// Entries the listings may still read, for the whole report.
    listing_budget: usize,
}

/// A folder's entries by name, with what each is (from the directory read, no `stat`).
type Listing = Map<String, Listed>;

/// How far a folder has been looked into.
enum Looked {
    /// One name was looked up in it (by `lstat`).
    Once,
    Listed(Listing),
    /// It could not be listed (unreadable, or over the budget): never tried again.
    Unlisted,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Listed {
    File,
    Folder,
    /// A symlink or anything else: left to `lstat` and the full resolution.
    Other,
}

/// The most entries the folder listings read for one report, all folders together.
const MAX_LISTED: usize = 1_000_000;

impl Default for Known {
    fn default() -> Self {
        Known {
            files: Map::default(),
            folders: Map::default(),
            key: String::new(),
            looked: Map::default(),
            listing_budget: MAX_LISTED,
        }
    }
}

impl Known {
    /// Whether `rel` is a `kind` node under the root, looked up at most once per report;
    /// `None` when the budget is spent.
    fn is(
        &mut self,
        root: &Root,
        rel: &[&str],
        kind: NodeKind,
        budget: &mut usize,
    ) -> Option<bool> {
        self.key.clear();
        for (i, part) in rel.iter().enumerate() {
            if i > 0 {
                self.key.push('/');
            }
            self.key.push_str(part);
        }
        let memo = if kind == NodeKind::Folder {
            &self.folders
        } else {
            &self.files
        };
        if let Some(e) = memo.get(self.key.as_str()) {
            return Some(*e);
        }
        if *budget == 0 {
            return None;
        }
        *budget -= 1;
        // A node in a folder already found to be one inside the root: one `lstat` of it
        // tells, unless it is a symlink, which is resolved in full (so it stays confined).
        // `identity` looks folders up shortest first, so a report's files cost one each.
        let in_known_folder = self
            .key
            .rfind('/')
            .is_some_and(|cut| self.folders.get(&self.key[..cut]) == Some(&true));
        let quick = match (root.canonical(), self.key.rsplit_once('/')) {
            (Some(canon), Some((folder, name))) if in_known_folder => listed(
                &mut self.looked,
                &mut self.listing_budget,
                canon,
                folder,
                name,
                kind,
            )
            .or_else(|| one_lstat(canon, &self.key, kind)),
            _ => None,
        };
        let e = quick.unwrap_or_else(|| {
            let path: PathBuf = rel.iter().collect();
            matches!(
                root.resolve_from_root(&path),
                Resolved::Node { kind: k, .. } if k == kind
            )
        });
        let memo = if kind == NodeKind::Folder {
            &mut self.folders
        } else {
            &mut self.files
        };
        memo.insert(self.key.clone(), e);
        Some(e)
    }
}

/// Whether `folder/name` is a `kind` node, from the listing of `canon/folder`: read the
/// second time a name in that folder is looked up (a folder of one reported file costs one
/// `lstat`, not a listing), within the report's budget of entries. `None` when the listing
/// does not hold `name` as a plain file or folder, or there is none: `lstat` then decides,
/// so a hit says what `lstat` would (names as the file system spells them, symlinks never
/// taken from a listing).
fn listed(
    looked: &mut Map<String, Looked>,
    budget: &mut usize,
    canon: &Path,
    folder: &str,
    name: &str,
    kind: NodeKind,
) -> Option<bool> {
    let Some(slot) = looked.get_mut(folder) else {
        looked.insert(folder.to_owned(), Looked::Once);
        return None;
    };
    if matches!(slot, Looked::Once) {
        *slot = list(&canon.join(folder), budget).map_or(Looked::Unlisted, Looked::Listed);
    }
    let Looked::Listed(listing) = slot else {
        return None;
    };
    match listing.get(name)? {
        Listed::File => Some(kind == NodeKind::File),
        Listed::Folder => Some(kind == NodeKind::Folder),
        Listed::Other => None,
    }
}

/// The entries of `dir` (names that are not UTF-8 left out: never a hit), each taken from
/// `budget`; `None` when it cannot be read or the budget runs out.
fn list(dir: &Path, budget: &mut usize) -> Option<Listing> {
    let mut out = Listing::default();
    for e in fs::read_dir(dir).ok()? {
        let e = e.ok()?;
        *budget = budget.checked_sub(1)?;
        let Ok(name) = e.file_name().into_string() else {
            continue;
        };
        let t = e.file_type().ok()?;
        let entry = if t.is_file() {
            Listed::File
        } else if t.is_dir() {
            Listed::Folder
        } else {
            Listed::Other
        };
        out.insert(name, entry);
    }
    Some(out)
}

/// Whether `canon/rel` is a `kind` node, from one `lstat`; `None` for a symlink. Only for a
/// `rel` whose folder resolves inside the root: then the kernel's walk to it stays inside
/// too, and only its last component could lead out.
fn one_lstat(canon: &Path, rel: &str, kind: NodeKind) -> Option<bool> {
    match fs::symlink_metadata(canon.join(rel)) {
        Ok(m) if m.file_type().is_symlink() => None,
        Ok(m) => Some(match kind {
            NodeKind::File => m.file_type().is_file(),
            NodeKind::Folder => m.file_type().is_dir(),
        }),
        Err(_) => Some(false),
    }
}

/// The longest suffix of `parts` that is a regular file under the root. A suffix is only
/// looked up when each of its leading folders is a folder under the root, shortest first
/// (each looked up once per report): most suffixes of a CI runner's absolute path, and of
/// a source folder the project does not use, stop at a first name the root does not hold,
/// for one lookup shared by every file under it.
fn identity(root: &Root, parts: &[&str], budget: &mut usize, known: &mut Known) -> Option<String> {
    let start = parts.len().saturating_sub(MAX_SUFFIX_PARTS);
    'suffixes: for i in start..parts.len() {
        let suffix = &parts[i..];
        for j in 1..suffix.len() {
            if !known.is(root, &suffix[..j], NodeKind::Folder, budget)? {
                continue 'suffixes;
            }
        }
        if known.is(root, suffix, NodeKind::File, budget)? {
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
    for id in matching(globs, merged) {
        if let Some(lines) = merged.files.get(id) {
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
    let mut unlisted = BTreeSet::new();
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

/// The identities in `merged` that any of `globs` matches, each once. Only the identities
/// under a glob's literal leading folders are tried against it (a range of the sorted
/// identities): `src/checkout/**` looks at `src/checkout/...` alone, a literal path at one
/// entry. Globs that start with a wildcard (`**/x.py`) are tried against every identity, in
/// one pass for all of them. The result is the set `globs.iter().any(|g| g.matches(id))`
/// selects over every identity.
pub fn matching<'m>(globs: &[Glob], merged: &'m Merged) -> BTreeSet<&'m str> {
    let mut hit: BTreeSet<&'m str> = BTreeSet::new();
    let mut wild: Vec<&Glob> = Vec::new();
    for g in globs {
        let prefix = g.literal_prefix();
        if prefix.is_empty() {
            wild.push(g);
            continue;
        }
        let folder = prefix.join("/");
        // The literal path itself (a literal glob, or `dir/**`, which matches `dir` too).
        if let Some((id, _)) = merged.files.get_key_value(folder.as_str())
            && g.matches(id)
        {
            hit.insert(id);
        }
        if prefix.len() == g.parts.len() {
            continue;
        }
        let under = format!("{folder}/");
        let range = merged
            .files
            .range::<str, _>((Bound::Included(under.as_str()), Bound::Unbounded))
            .map(|(id, _)| id.as_str())
            .take_while(|id| id.starts_with(under.as_str()));
        for id in range {
            if !hit.contains(id) && g.matches(id) {
                hit.insert(id);
            }
        }
    }
    if !wild.is_empty() {
        for id in merged.files.keys() {
            if !hit.contains(id.as_str()) && wild.iter().any(|g| g.matches(id)) {
                hit.insert(id);
            }
        }
    }
    hit
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
    fn matching_by_literal_prefix_selects_what_every_glob_against_every_file_does() {
        let ids = [
            "src",
            "src/a.py",
            "src/checkout",
            "src/checkout/a.py",
            "src/checkout/x/y/b.py",
            "src/checkout-old/c.py",
            "src/checkouts/d.py",
            "src/é.py",
            "srcx/a.py",
            "web/cart.ts",
            "web/cart.tsx",
            "web/sub/cart.ts",
            "a.py",
            "cart.py",
            "docs/src/a.py",
            "services/api/shop/checkout.py",
            "services/api/shop/pay/x.py",
            "services/web/shop/checkout.py",
        ];
        let mut m = Merged::default();
        for (i, id) in ids.iter().enumerate() {
            let lines: Lines = (1..=u32::try_from(i % 4 + 1).unwrap())
                .map(|n| (n, n % 2 == 0))
                .collect();
            m.files.insert((*id).to_owned(), lines);
        }
        let globs = [
            "src/**",
            "src/checkout/**",
            "src/checkout",
            "src/*.py",
            "src/?.py",
            "src/check*/**",
            "**/cart.ts",
            "**",
            "*",
            "*.py",
            "web/cart.ts",
            "web/*/cart.ts",
            "services/*/shop/checkout.py",
            "services/api/**/x.py",
            "missing/**",
            "src/checkout/x/y/b.py",
            "**/shop/**",
        ];
        // Every subset of up to three globs, and all of them.
        let mut sets: Vec<Vec<&str>> = vec![globs.to_vec()];
        for a in 0..globs.len() {
            sets.push(vec![globs[a]]);
            for b in a + 1..globs.len() {
                sets.push(vec![globs[a], globs[b]]);
                for c in b + 1..globs.len() {
                    sets.push(vec![globs[a], globs[b], globs[c]]);
                }
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let root = Root::new(dir.path(), dir.path());
        for set in sets {
            let gs: Vec<Glob> = set.iter().map(|g| glob(g)).collect();
            let brute: BTreeSet<&str> = m
                .files
                .keys()
                .filter(|id| gs.iter().any(|g| g.matches(id)))
                .map(String::as_str)
                .collect();
            assert_eq!(matching(&gs, &m), brute, "{set:?}");
            let (mut covered, mut coverable) = (0, 0);
            for id in &brute {
                let (c, n) = Cobertura::counts(&m.files[*id]);
                covered += c;
                coverable += n;
            }
            let fc = feature_code(&root, &gs, &m);
            assert_eq!(
                (fc.covered, fc.coverable, fc.files),
                (covered, coverable, brute.len())
            );
        }
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

    /// A folder is listed the second time a name in it is looked up, within the budget;
    /// a name the listing lacks, a symlink, no listing: `None`, for `lstat` to decide.
    #[test]
    fn folders_are_listed_on_the_second_lookup_within_the_budget() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::create_dir_all(d.join("src/sub")).unwrap();
        fs::write(d.join("src/a.py"), "a\n").unwrap();
        fs::write(d.join("src/b.py"), "b\n").unwrap();
        let mut looked = Map::default();
        let mut budget = 10;
        let file = NodeKind::File;
        assert_eq!(
            listed(&mut looked, &mut budget, d, "src", "a.py", file),
            None
        );
        assert_eq!(budget, 10);
        assert_eq!(
            listed(&mut looked, &mut budget, d, "src", "b.py", file),
            Some(true)
        );
        assert_eq!(budget, 7);
        assert_eq!(
            listed(&mut looked, &mut budget, d, "src", "sub", file),
            Some(false)
        );
        let folder = NodeKind::Folder;
        assert_eq!(
            listed(&mut looked, &mut budget, d, "src", "sub", folder),
            Some(true)
        );
        assert_eq!(
            listed(&mut looked, &mut budget, d, "src", "c.py", file),
            None
        );
        assert_eq!(budget, 7);
        // Over the budget: no listing, and none tried after it.
        let mut looked = Map::default();
        let mut budget = 2;
        assert_eq!(
            listed(&mut looked, &mut budget, d, "src", "a.py", file),
            None
        );
        assert_eq!(
            listed(&mut looked, &mut budget, d, "src", "b.py", file),
            None
        );
        assert_eq!(budget, 0);
        assert!(list(&d.join("src"), &mut 3).is_some());
        assert!(list(&d.join("src"), &mut 2).is_none());
    }

    /// A reported file in a folder already found inside the root costs one `lstat`; when it
    /// is a symlink it is resolved in full: one to a file inside counts, one leading out
    /// does not, nor does a folder or a missing name.
    #[cfg(unix)]
    #[test]
    fn symlinks_in_known_folders_are_resolved_in_full() {
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret.py"), "s = 1\n").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::create_dir_all(d.join("src/shop/sub")).unwrap();
        fs::write(d.join("src/shop/cart.py"), "x = 1\n").unwrap();
        std::os::unix::fs::symlink("cart.py", d.join("src/shop/alias.py")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.py"), d.join("src/shop/out.py"))
            .unwrap();
        let root = Root::new(d, d);
        let one = |v: &[(u32, bool)]| v.iter().copied().collect::<Lines>();
        let report = Cobertura {
            sources: vec!["/home/runner/work/app/app".into()],
            files: ["cart.py", "alias.py", "out.py", "sub", "gone.py"]
                .iter()
                .map(|f| (format!("src/shop/{f}"), one(&[(1, true)])))
                .collect(),
        };
        let mut m = Merged::default();
        assert_eq!(m.add(&root, &report, None), 2);
        let ids: Vec<&str> = m.files.keys().map(String::as_str).collect();
        assert_eq!(ids, ["src/shop/alias.py", "src/shop/cart.py"]);
    }
}
