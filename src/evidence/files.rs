//! What is on disk at a resolved path: a regular file's facts (read once, in one pass) and
//! whether a folder holds a real file.

use std::fs::{File, Metadata};
use std::io;
use std::path::Path;

use super::junit::{self, Counts, Junit};
use super::paths::{NodeKind, Resolved, Root};
use super::prefetch::Input;
use super::source::Source;
use super::text::{self, PREFIX_BYTES, TextFacts};

/// Folder walks look this deep (a file directly in the folder is at depth 1).
pub const MAX_FOLDER_DEPTH: usize = 32;
/// Folder walks look at this many entries at most.
pub const MAX_FOLDER_ENTRIES: u64 = 100_000;

/// A missing path's folder is listed for [`nearest`] only when it holds at most this many
/// entries (more gives no suggestion, so the answer never depends on the listing's order).
pub const MAX_NEAREST_ENTRIES: usize = 1_000;
/// Names longer than this (in characters) are compared by case only, never by edit distance.
pub const MAX_NEAREST_NAME: usize = 64;
/// Edit-distance work [`nearest`] may do for one manifest, in character pairs compared (the
/// cost of one comparison is the product of the two lengths): a few hundred typical lookups,
/// and a bound on what names crafted to be long and alike can cost.
pub const NEAREST_BUDGET: usize = 4_000_000;

/// What one read of a regular file found.
#[derive(Debug)]
pub struct FileFacts {
    /// Where it was read, and what it was then: a second pass ([`read_selected`]) reads
    /// this same file or nothing.
    pub(super) path: std::path::PathBuf,
    pub(super) meta: Metadata,
    /// The size when it was opened.
    pub size: u64,
    /// `Err`: it could not be read (the message says why).
    pub read: Result<Content, String>,
}

/// The content checks of a file.
#[derive(Debug)]
pub struct Content {
    pub text: TextFacts,
    /// The file as a JUnit report; `Err` says why it is not one.
    pub junit: Result<Junit, String>,
}

/// Reads the file at `path` (a regular file inside the root, as `meta` describes it) once:
/// the first [`PREFIX_BYTES`] for the text checks and, when it starts like XML, all of it
/// through the streaming JUnit reader.
pub fn read_file(path: &Path, meta: &Metadata) -> FileFacts {
    let file = match open_same(path, meta) {
        Ok(f) => f,
        Err(e) => {
            return FileFacts {
                path: path.to_path_buf(),
                meta: meta.clone(),
                size: meta.len(),
                read: Err(e.to_string()),
            };
        }
    };
    let size = file.metadata().map_or(meta.len(), |m| m.len());
    FileFacts {
        path: path.to_path_buf(),
        meta: meta.clone(),
        size,
        read: read_content(Input::new(file, size), size),
    }
}

/// Streams the report read as `facts` again, counting the test cases `selector` selects.
pub fn read_selected(facts: &FileFacts, selector: &junit::Selector) -> Result<Counts, String> {
    let file = open_same(&facts.path, &facts.meta).map_err(|e| format!("cannot be read: {e}"))?;
    junit::parse_selected(Input::new(file, facts.size), selector)
        .map_err(|e| format!("cannot be parsed as JUnit XML: {e}"))
}

/// Streams the file read as `facts` again as a coverage report, its format recognised from
/// its content: an lcov tracefile (it starts with `TN:` or `SF:`), else XML whose root
/// element tells Cobertura (`<coverage>`) from JaCoCo (`<report>`).
pub fn read_coverage(facts: &FileFacts) -> Result<super::coverage::Cobertura, String> {
    let file = open_same(&facts.path, &facts.meta).map_err(|e| format!("cannot be read: {e}"))?;
    read_coverage_from(io::BufReader::new(Input::new(file, facts.size)))
}

/// Reads a coverage report from `input` as relcheck reads a `coverage:` entry's report, its
/// format recognised from its content; `Err` says why it cannot be read (RC013). The entry
/// point for callers outside the evidence module (the fuzz targets under `fuzz/`).
pub fn read_coverage_from<R: io::BufRead>(
    mut input: R,
) -> Result<super::coverage::Cobertura, String> {
    use super::coverage::Format;
    let head = input
        .fill_buf()
        .map_err(|e| format!("cannot be read: {e}"))?;
    if super::lcov::looks_like_lcov(head) {
        return super::lcov::parse(input)
            .map_err(|e| format!("cannot be read as {}: {e}", Format::Lcov.label()));
    }
    match super::coverage::parse_xml(input) {
        (_, Ok(report)) => Ok(report),
        (Some(format), Err(e)) => Err(format!("cannot be read as {}: {e}", format.label())),
        (None, Err(e)) => Err(format!(
            "cannot be read as a coverage report (Cobertura XML, JaCoCo XML or lcov): {e}"
        )),
    }
}

/// Reads `input`'s content checks; `size` is its length.
pub fn read_content<R: io::Read>(input: R, size: u64) -> Result<Content, String> {
    let mut src = Source::new(input, PREFIX_BYTES);
    let io = |e: io::Error| e.to_string();
    let junit = if size == 0 {
        Err("the file is empty".to_owned())
    } else if starts_like_xml(src.peek(1024).map_err(io)?) {
        junit::parse(&mut src)
    } else {
        Err("it is not XML (it does not start with '<')".to_owned())
    };
    src.fill_prefix().map_err(io)?;
    let truncated = !src.at_end().map_err(io)?;
    Ok(Content {
        text: text::scan(src.prefix(), truncated),
        junit,
    })
}

/// Whether `head` starts like XML: `<` after any whitespace, or a UTF-16 or UTF-32 byte-order
/// mark or UTF-16 text without one (the JUnit reader reads UTF-16 and names what it
/// does not read).
fn starts_like_xml(head: &[u8]) -> bool {
    if [&[0xFF, 0xFE][..], &[0xFE, 0xFF], &[0, b'<'], &[b'<', 0]]
        .iter()
        .any(|p| head.starts_with(p))
    {
        return true;
    }
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    head.iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_none_or(|b| *b == b'<')
}

/// Opens `path` and checks it is still the regular file that was resolved (not swapped for
/// something else in between).
fn open_same(path: &Path, meta: &Metadata) -> io::Result<File> {
    let file = File::open(path)?;
    let now = file.metadata()?;
    if !now.is_file() || !same_file(meta, &now) {
        return Err(io::Error::other("it changed while relcheck was reading it"));
    }
    Ok(file)
}

#[cfg(unix)]
fn same_file(a: &Metadata, b: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_a: &Metadata, _b: &Metadata) -> bool {
    true
}

/// What a folder walk found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FolderFacts {
    /// A non-empty regular file was found.
    pub found: bool,
    /// Empty regular files seen.
    pub empty_files: u64,
    /// Hidden entries skipped (names starting with `.`).
    pub hidden: u64,
    /// Symlinks skipped because they resolve outside the root (or nowhere).
    pub links_skipped: u64,
    /// Stopped at [`MAX_FOLDER_ENTRIES`].
    pub capped: bool,
}

impl FolderFacts {
    /// "2 empty files; 1 hidden entry and 1 symlink leaving the root skipped".
    pub fn describe(&self) -> String {
        let mut parts = vec![format!(
            "{} empty file{}",
            self.empty_files,
            if self.empty_files == 1 { "" } else { "s" }
        )];
        if self.hidden > 0 {
            parts.push(format!(
                "{} hidden entr{} skipped",
                self.hidden,
                if self.hidden == 1 { "y" } else { "ies" }
            ));
        }
        if self.links_skipped > 0 {
            parts.push(format!(
                "{} symlink{} leading outside the root or nowhere skipped",
                self.links_skipped,
                if self.links_skipped == 1 { "" } else { "s" }
            ));
        }
        if self.capped {
            parts.push(format!("stopped after {MAX_FOLDER_ENTRIES} entries"));
        }
        parts.join("; ")
    }
}

/// Looks for a non-empty regular file below `dir` (a folder inside `root`, free of
/// symlinks), at most [`MAX_FOLDER_DEPTH`] levels down. Hidden entries are skipped;
/// symlinks are followed only while they stay inside the root; each folder is walked once.
pub fn walk_folder(root: &Root, dir: &Path) -> FolderFacts {
    let mut facts = FolderFacts::default();
    let mut seen = crate::hash::Set::default();
    let mut skipped_links = crate::hash::Set::default();
    let mut todo = vec![(dir.to_path_buf(), MAX_FOLDER_DEPTH)];
    let mut entries = 0u64;
    let Some(canon_root) = root.canonical() else {
        return facts;
    };
    while let Some((folder, depth)) = todo.pop() {
        if !seen.insert(folder.clone()) {
            continue;
        }
        let walk = walkdir::WalkDir::new(&folder)
            .min_depth(1)
            .max_depth(depth)
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| {
                let hidden = e.file_name().to_string_lossy().starts_with('.');
                !hidden
            });
        for entry in walk {
            entries += 1;
            if entries > MAX_FOLDER_ENTRIES {
                facts.capped = true;
                return facts;
            }
            let Ok(entry) = entry else { continue };
            let ft = entry.file_type();
            if ft.is_file() {
                match entry.metadata() {
                    Ok(m) if m.len() > 0 => {
                        facts.found = true;
                        return facts;
                    }
                    Ok(_) => facts.empty_files += 1,
                    Err(_) => {}
                }
            } else if ft.is_symlink() {
                let Ok(rel) = entry.path().strip_prefix(canon_root) else {
                    continue;
                };
                match root.resolve_from_root(rel) {
                    Resolved::Node {
                        kind: NodeKind::File,
                        meta,
                        ..
                    } => {
                        if meta.len() > 0 {
                            facts.found = true;
                            return facts;
                        }
                        facts.empty_files += 1;
                    }
                    Resolved::Node {
                        kind: NodeKind::Folder,
                        path,
                        ..
                    } => {
                        let left = depth.saturating_sub(entry.depth());
                        if left > 0 {
                            todo.push((path, left));
                        }
                    }
                    _ => {
                        if skipped_links.insert(entry.path().to_path_buf()) {
                            facts.links_skipped += 1;
                        }
                    }
                }
            }
        }
        // Hidden entries are not yielded by the walk; count them at the top level only, so
        // the message can say why an apparently full folder is empty.
        if folder == dir {
            facts.hidden = std::fs::read_dir(&folder).map_or(0, |rd| {
                rd.filter_map(Result::ok)
                    .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
                    .count() as u64
            });
        }
    }
    facts
}

/// The path of an existing entry nearest to `raw` (a path that does not exist, as written,
/// relative to the manifest's folder), written the same way: `docs/user/PDF.md` ->
/// `docs/user/pdf.md`. Only the missing path's own folder is looked at, through `root` (so
/// never outside it), and only when it holds at most [`MAX_NEAREST_ENTRIES`] entries. A name
/// equal but for case wins; else the closest name within a plausible typo
/// ([`crate::suggest::did_you_mean`]); hidden names only for a hidden name. The suggestion
/// itself is resolved through `root` too, so it never names a dangling or escaping symlink.
/// The comparisons by edit distance are charged to `budget` ([`NEAREST_BUDGET`] per
/// manifest); once it cannot pay for them, only a name equal but for case is found.
pub fn nearest(root: &Root, raw: &str, budget: &mut usize) -> Option<String> {
    let (folder, name) = match raw.rfind('/') {
        Some(i) => (&raw[..i], &raw[i + 1..]),
        None => ("", raw),
    };
    if name.is_empty() || name == "." || name == ".." {
        return None;
    }
    let Resolved::Node {
        path,
        kind: NodeKind::Folder,
        ..
    } = root.resolve(if folder.is_empty() { "." } else { folder })
    else {
        return None;
    };
    let hidden = name.starts_with('.');
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&path).ok()? {
        if names.len() == MAX_NEAREST_ENTRIES {
            return None;
        }
        let Ok(n) = entry.ok()?.file_name().into_string() else {
            continue;
        };
        if hidden || !n.starts_with('.') {
            names.push(n);
        }
    }
    names.sort_unstable();
    let lower = name.to_lowercase();
    let best = if let Some(i) = names.iter().position(|n| n.to_lowercase() == lower) {
        names.swap_remove(i)
    } else {
        let len = name.chars().count();
        names.retain(|n| n.chars().count() <= MAX_NEAREST_NAME);
        let cost = len * names.iter().map(|n| n.chars().count()).sum::<usize>();
        if len > MAX_NEAREST_NAME || cost > *budget {
            return None;
        }
        *budget -= cost;
        crate::suggest::did_you_mean(name, names.iter().map(String::as_str))?.to_owned()
    };
    let suggested = if folder.is_empty() {
        best
    } else {
        format!("{folder}/{best}")
    };
    matches!(root.resolve(&suggested), Resolved::Node { .. }).then_some(suggested)
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    #[test]
    fn the_nearest_name_in_the_missing_paths_own_folder() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::create_dir_all(d.join("docs/user")).unwrap();
        fs::write(d.join("docs/user/pdf.md"), "x").unwrap();
        fs::write(d.join("docs/user/pdfs.md"), "x").unwrap();
        fs::write(d.join("docs/user/.hidden.md"), "x").unwrap();
        fs::write(d.join("guide.md"), "x").unwrap();
        if d.join("docs/user/PDF.md").exists() {
            return; // a case-insensitive file system
        }
        let root = Root::new(d, d);
        let near = |raw: &str| {
            let mut budget = NEAREST_BUDGET;
            nearest(&root, raw, &mut budget)
        };
        // Case first, then edit distance; the path keeps its folder as written.
        assert_eq!(
            near("docs/user/PDF.md").as_deref(),
            Some("docs/user/pdf.md")
        );
        assert_eq!(
            near("docs/user/pfd.md").as_deref(),
            Some("docs/user/pdf.md")
        );
        assert_eq!(
            near("./docs/user/pdfs.mdx").as_deref(),
            Some("./docs/user/pdfs.md")
        );
        assert_eq!(near("gide.md").as_deref(), Some("guide.md"));
        // A spent budget still finds a name equal but for case, and no other.
        let mut spent = 0;
        assert_eq!(
            nearest(&root, "docs/user/PDF.md", &mut spent).as_deref(),
            Some("docs/user/pdf.md")
        );
        assert_eq!(nearest(&root, "docs/user/pfd.md", &mut spent), None);
        let mut budget = NEAREST_BUDGET;
        assert!(nearest(&root, "docs/user/pfd.md", &mut budget).is_some());
        assert!(budget < NEAREST_BUDGET, "the comparisons were charged");
        // Nothing close, no folder, a hidden name for a plain one, nothing outside the root.
        assert_eq!(near("docs/user/installation.md"), None);
        assert_eq!(near("docs/usr/pdf.md"), None);
        assert_eq!(near("docs/user/hidden.md"), None);
        assert_eq!(
            near("docs/user/.hiden.md").as_deref(),
            Some("docs/user/.hidden.md")
        );
        assert_eq!(near("../guide.md"), None);
        assert_eq!(near("docs/user/"), None);
    }

    #[test]
    fn a_crowded_folder_gives_no_suggestion() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..=MAX_NEAREST_ENTRIES {
            fs::write(dir.path().join(format!("f{i}.md")), "x").unwrap();
        }
        let root = Root::new(dir.path(), dir.path());
        let mut budget = NEAREST_BUDGET;
        assert_eq!(nearest(&root, "F1.md", &mut budget), None);
    }

    #[test]
    fn one_pass_gives_text_and_junit() {
        let xml = "<testsuite name='s'><testcase/></testsuite>\n";
        let c = read_content(xml.as_bytes(), xml.len() as u64).unwrap();
        assert_eq!(c.junit.unwrap().total.cases, 1);
        assert_eq!(c.text.lines, 1);
        let md = "# Guide\n\nTODO\n";
        let c = read_content(md.as_bytes(), md.len() as u64).unwrap();
        assert!(c.junit.unwrap_err().contains("not XML"));
        assert!(c.text.is_placeholder());
        let c = read_content(&b""[..], 0).unwrap();
        assert_eq!(c.junit.unwrap_err(), "the file is empty");
        let c = read_content(&b"\xEF\xBB\xBF  <testsuite/>"[..], 16).unwrap();
        assert_eq!(c.junit.unwrap().total.cases, 0);
    }

    #[test]
    fn only_the_prefix_is_scanned() {
        let mut big = "Real text.\n".repeat(PREFIX_BYTES / 11 + 1);
        big.push_str(&"TODO\n".repeat(1000));
        let c = read_content(big.as_bytes(), big.len() as u64).unwrap();
        assert!(c.text.truncated);
        assert_eq!(c.text.placeholder_lines, 0);
    }

    fn folder_facts(dir: &Path, sub: &str) -> FolderFacts {
        let root = Root::new(dir, dir);
        let canon = fs::canonicalize(dir.join(sub)).unwrap();
        walk_folder(&root, &canon)
    }

    #[test]
    fn folders_need_a_non_empty_visible_file() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::create_dir_all(d.join("empty/a/b")).unwrap();
        fs::write(d.join("empty/a/b/zero.md"), "").unwrap();
        fs::write(d.join("empty/.hidden.md"), "hidden text").unwrap();
        fs::create_dir_all(d.join("empty/.git")).unwrap();
        fs::write(d.join("empty/.git/config"), "x").unwrap();
        let f = folder_facts(d, "empty");
        assert!(!f.found);
        assert_eq!((f.empty_files, f.hidden), (1, 2));
        assert_eq!(f.describe(), "1 empty file; 2 hidden entries skipped");

        fs::create_dir_all(d.join("deep/1/2/3")).unwrap();
        fs::write(d.join("deep/1/2/3/page.md"), "text").unwrap();
        assert!(folder_facts(d, "deep").found);
    }

    #[test]
    fn folders_deeper_than_the_limit_are_not_looked_at() {
        let dir = tempfile::tempdir().unwrap();
        let mut p = dir.path().join("tall");
        for i in 0..MAX_FOLDER_DEPTH {
            p.push(i.to_string());
        }
        fs::create_dir_all(&p).unwrap();
        fs::write(p.join("too-deep.md"), "text").unwrap();
        assert!(!folder_facts(dir.path(), "tall").found);
        fs::write(p.parent().unwrap().join("just-fits.md"), "text").unwrap();
        assert!(folder_facts(dir.path(), "tall").found);
    }

    #[cfg(unix)]
    #[test]
    fn folder_symlinks_are_followed_inside_the_root_only() {
        use std::os::unix::fs::symlink;
        let outer = tempfile::tempdir().unwrap();
        let d = outer.path().join("root");
        fs::create_dir_all(d.join("docs")).unwrap();
        fs::create_dir_all(d.join("shared")).unwrap();
        fs::write(outer.path().join("outside.md"), "text").unwrap();
        symlink("../../outside.md", d.join("docs/out.md")).unwrap();
        symlink("..", d.join("docs/up")).unwrap();
        let f = folder_facts(&d, "docs");
        assert!(!f.found);
        assert_eq!(f.links_skipped, 1);
        fs::write(d.join("shared/page.md"), "text").unwrap();
        symlink("../shared", d.join("docs/shared")).unwrap();
        assert!(folder_facts(&d, "docs").found);
    }

    #[cfg(unix)]
    #[test]
    fn a_swapped_file_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.md");
        let b = dir.path().join("b.md");
        fs::write(&a, "a").unwrap();
        fs::write(&b, "b").unwrap();
        let meta_b = fs::metadata(&b).unwrap();
        let facts = read_file(&a, &meta_b);
        assert!(facts.read.unwrap_err().contains("changed"));
    }
}
