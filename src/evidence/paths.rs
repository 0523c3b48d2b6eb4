//! Confinement: where a path-valued field leads, decided without leaving the root.
//!
//! A path is resolved component by component from the manifest's folder: `..` is applied
//! lexically first (an escape is RC004 whatever lies on disk), then each component is looked
//! at with `symlink_metadata` and every symlink is expanded by hand, at most
//! [`MAX_SYMLINKS`] times, so that a link leading out of the root is caught before anything
//! is opened and a loop ends in a finding instead of a hang. Nothing is opened here.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::fs::{self, Metadata};
use std::io;
use std::path::{Component, Path, PathBuf};

/// Symlinks followed while resolving one path; more is reported as a loop (as the OS does).
pub const MAX_SYMLINKS: usize = 40;

/// Why a path is not confined to the root (RC004).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Escape {
    /// `/etc/passwd`, `C:\x`.
    Absolute,
    /// `docs/../../x`: climbs `levels` folders above the root.
    DotDot { levels: usize },
    /// A symlink on the way resolves outside the root.
    Symlink { link: String, target: String },
    /// The manifest's folder itself is not inside `--root`.
    BaseOutside,
}

impl Escape {
    /// What is wrong, for a finding's message.
    pub fn describe(&self) -> String {
        match self {
            Escape::Absolute => "is absolute; paths are relative to the manifest's folder".into(),
            Escape::DotDot { levels } => format!(
                "climbs {levels} folder{} above the root with '..'",
                if *levels == 1 { "" } else { "s" }
            ),
            Escape::Symlink { link, target } => {
                format!(
                    "goes through symlink '{link}' -> '{target}', which resolves outside the root"
                )
            }
            Escape::BaseOutside => {
                "resolves outside the root: the manifest's folder is not inside it".into()
            }
        }
    }
}

/// Why a path inside the root leads to nothing usable (RC005).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Missing {
    NotFound,
    /// A component on the way is a file, not a folder.
    NotAFolder {
        part: String,
    },
    /// A named pipe, socket or device: never opened.
    Special(&'static str),
    /// More than [`MAX_SYMLINKS`] symlinks.
    Loop,
    /// A URL where a file path is expected.
    Url,
    /// The OS refused to tell (permission denied, ...).
    Unreadable(String),
}

impl Missing {
    /// What is wrong, for a finding's message.
    pub fn describe(&self) -> String {
        match self {
            Missing::NotFound => "does not exist".into(),
            Missing::NotAFolder { part } => {
                format!("does not exist: '{part}' is a file, not a folder")
            }
            Missing::Special(what) => {
                format!("is {what}, not a regular file or folder; relcheck never opens it")
            }
            Missing::Loop => format!("is a symlink loop (more than {MAX_SYMLINKS} links followed)"),
            Missing::Url => "is a URL, not a path: relcheck never fetches; give it as 'url:' where the field allows it".into(),
            Missing::Unreadable(e) => format!("cannot be read: {e}"),
        }
    }
}

/// What a path inside the root is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    File,
    Folder,
}

/// Where a path leads.
#[derive(Debug)]
pub enum Resolved {
    Outside(Escape),
    Missing(Missing),
    /// A regular file or a folder inside the root; `path` has no symlink left in it.
    Node {
        path: PathBuf,
        kind: NodeKind,
        meta: Metadata,
    },
}

/// The root of one manifest and the manifest's folder inside it.
#[derive(Debug)]
pub struct Root {
    /// The canonical root; `Err` when it cannot be resolved.
    canon: Result<PathBuf, String>,
    /// The manifest's folder, relative to the root; `None` when it is outside.
    base: Option<Vec<OsString>>,
}

impl Root {
    pub fn new(root: &Path, base: &Path) -> Self {
        let canon = fs::canonicalize(root).map_err(|e| format!("the root {}: {e}", root.display()));
        let base = match (&canon, fs::canonicalize(base)) {
            (Ok(r), Ok(b)) => b
                .strip_prefix(r)
                .ok()
                .map(|rel| rel.iter().map(OsString::from).collect()),
            _ => None,
        };
        Root { canon, base }
    }

    /// The canonical root, if it could be resolved.
    pub fn canonical(&self) -> Option<&Path> {
        self.canon.as_deref().ok()
    }

    /// The manifest's folder relative to the root, as components; `None` when it is outside.
    pub fn base_parts(&self) -> Option<&[OsString]> {
        self.base.as_deref()
    }

    /// Resolves `raw` (as written in the manifest) against the manifest's folder.
    pub fn resolve(&self, raw: &str) -> Resolved {
        if is_url(raw) {
            return Resolved::Missing(Missing::Url);
        }
        let path = Path::new(raw);
        if is_absolute(raw, path) {
            return Resolved::Outside(Escape::Absolute);
        }
        let root = match &self.canon {
            Ok(r) => r,
            Err(e) => return Resolved::Missing(Missing::Unreadable(e.clone())),
        };
        let Some(base) = &self.base else {
            return Resolved::Outside(Escape::BaseOutside);
        };
        // `..` is judged on the text first: climbing above the root is an escape even when
        // the path would come back in.
        let mut depth = isize::try_from(base.len()).unwrap_or(isize::MAX);
        let mut lowest = depth;
        for c in path.components() {
            match c {
                Component::ParentDir => depth -= 1,
                Component::Normal(_) => depth += 1,
                _ => {}
            }
            lowest = lowest.min(depth);
        }
        if lowest < 0 {
            return Resolved::Outside(Escape::DotDot {
                levels: lowest.unsigned_abs(),
            });
        }
        let parts = path.components().filter_map(|c| match c {
            Component::ParentDir => Some(Part::Parent),
            Component::Normal(n) => Some(Part::Name(n.to_os_string())),
            _ => None,
        });
        resolve_in(root, base.clone(), parts.collect())
    }

    /// Resolves `rel`, a path relative to the root met while walking a folder.
    pub fn resolve_from_root(&self, rel: &Path) -> Resolved {
        let root = match &self.canon {
            Ok(r) => r,
            Err(e) => return Resolved::Missing(Missing::Unreadable(e.clone())),
        };
        let parts = rel
            .components()
            .filter_map(|c| match c {
                Component::ParentDir => Some(Part::Parent),
                Component::Normal(n) => Some(Part::Name(n.to_os_string())),
                _ => None,
            })
            .collect();
        resolve_in(root, Vec::new(), parts)
    }
}

/// A value with a scheme (`https://...`): a URL, never a path.
pub fn is_url(raw: &str) -> bool {
    let Some((scheme, _)) = raw.split_once("://") else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Absolute on this OS, or on another one (`/x`, `\x`, `C:\x`, `C:/x`).
fn is_absolute(raw: &str, path: &Path) -> bool {
    let b = raw.as_bytes();
    path.has_root()
        || path.is_absolute()
        || raw.starts_with(['/', '\\'])
        || (b.len() >= 3
            && b[0].is_ascii_alphabetic()
            && b[1] == b':'
            && matches!(b[2], b'/' | b'\\'))
}

#[derive(Debug)]
enum Part {
    Parent,
    Name(OsString),
}

fn join(root: &Path, parts: &[OsString]) -> PathBuf {
    let mut p = root.to_path_buf();
    p.extend(parts);
    p
}

fn shown(parts: &[OsString]) -> String {
    let p: PathBuf = parts.iter().collect();
    p.display().to_string()
}

fn io_missing(e: &io::Error) -> Missing {
    match e.kind() {
        io::ErrorKind::NotFound => Missing::NotFound,
        _ => Missing::Unreadable(e.to_string()),
    }
}

/// Walks `parts` from `cur` (a folder inside `root`, relative to it, free of symlinks).
fn resolve_in(root: &Path, mut cur: Vec<OsString>, parts: Vec<Part>) -> Resolved {
    let mut pending: VecDeque<Part> = parts.into();
    let mut links = 0;
    // The last symlink expanded: an escape after it is its doing.
    let mut last_link: Option<(String, String)> = None;
    let mut meta: Option<Metadata> = None;
    while let Some(part) = pending.pop_front() {
        match part {
            Part::Parent => {
                if cur.pop().is_none() {
                    let (link, target) = last_link.unwrap_or_default();
                    return Resolved::Outside(Escape::Symlink { link, target });
                }
                meta = None;
            }
            Part::Name(name) => {
                cur.push(name);
                let here = join(root, &cur);
                let m = match fs::symlink_metadata(&here) {
                    Ok(m) => m,
                    Err(e) => return Resolved::Missing(io_missing(&e)),
                };
                if m.file_type().is_symlink() {
                    links += 1;
                    if links > MAX_SYMLINKS {
                        return Resolved::Missing(Missing::Loop);
                    }
                    let target = match fs::read_link(&here) {
                        Ok(t) => t,
                        Err(e) => return Resolved::Missing(io_missing(&e)),
                    };
                    let link = shown(&cur);
                    cur.pop();
                    last_link = Some((link.clone(), target.display().to_string()));
                    if target.has_root() {
                        match absolute_target(root, &target) {
                            Some(inside) => cur = inside,
                            None => {
                                return Resolved::Outside(Escape::Symlink {
                                    link,
                                    target: target.display().to_string(),
                                });
                            }
                        }
                    } else {
                        for c in target.components().rev() {
                            match c {
                                Component::ParentDir => pending.push_front(Part::Parent),
                                Component::Normal(n) => {
                                    pending.push_front(Part::Name(n.to_os_string()));
                                }
                                _ => {}
                            }
                        }
                    }
                    meta = None;
                    continue;
                }
                if !m.is_dir() && !pending.is_empty() {
                    return Resolved::Missing(Missing::NotAFolder { part: shown(&cur) });
                }
                meta = Some(m);
            }
        }
    }
    let path = join(root, &cur);
    let meta = match meta {
        Some(m) => m,
        None => match fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(e) => return Resolved::Missing(io_missing(&e)),
        },
    };
    let ft = meta.file_type();
    let kind = if ft.is_file() {
        NodeKind::File
    } else if ft.is_dir() {
        NodeKind::Folder
    } else {
        return Resolved::Missing(Missing::Special(special_kind(&meta)));
    };
    Resolved::Node { path, kind, meta }
}

/// An absolute symlink target, as components below `root`; `None` when it is outside.
fn absolute_target(root: &Path, target: &Path) -> Option<Vec<OsString>> {
    let resolved = match fs::canonicalize(target) {
        Ok(c) => c,
        // Dangling: judge the text; a dangling link inside the root is then "not found".
        Err(_) => target.to_path_buf(),
    };
    resolved
        .strip_prefix(root)
        .ok()
        .map(|rel| rel.iter().map(OsString::from).collect())
}

#[cfg(unix)]
fn special_kind(meta: &Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let ft = meta.file_type();
    if ft.is_fifo() {
        "a named pipe (FIFO)"
    } else if ft.is_socket() {
        "a socket"
    } else if ft.is_block_device() || ft.is_char_device() {
        "a device"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_meta: &Metadata) -> &'static str {
    "a special file"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("root/docs/sub")).unwrap();
        fs::write(dir.path().join("root/docs/a.md"), "# A\n\nText.\n").unwrap();
        fs::write(dir.path().join("secret.txt"), "outside").unwrap();
        dir
    }

    fn resolve(dir: &Path, raw: &str) -> Resolved {
        let root = dir.join("root");
        Root::new(&root, &root).resolve(raw)
    }

    fn kind(r: &Resolved) -> Option<NodeKind> {
        match r {
            Resolved::Node { kind, .. } => Some(*kind),
            _ => None,
        }
    }

    #[test]
    fn plain_files_and_folders_resolve() {
        let dir = tree();
        assert_eq!(
            kind(&resolve(dir.path(), "docs/a.md")),
            Some(NodeKind::File)
        );
        assert_eq!(
            kind(&resolve(dir.path(), "./docs/sub/../a.md")),
            Some(NodeKind::File)
        );
        assert_eq!(kind(&resolve(dir.path(), "docs")), Some(NodeKind::Folder));
        assert_eq!(
            kind(&resolve(dir.path(), "docs/sub/")),
            Some(NodeKind::Folder)
        );
    }

    #[test]
    fn absolute_and_dotdot_escapes() {
        let dir = tree();
        let abs = dir.path().join("secret.txt");
        for raw in [abs.to_str().unwrap(), "/etc/passwd", "C:\\x", "c:/x", "\\x"] {
            assert!(
                matches!(
                    resolve(dir.path(), raw),
                    Resolved::Outside(Escape::Absolute)
                ),
                "{raw}"
            );
        }
        assert!(matches!(
            resolve(dir.path(), "docs/../../secret.txt"),
            Resolved::Outside(Escape::DotDot { levels: 1 })
        ));
        // Out and back in is still an escape.
        assert!(matches!(
            resolve(dir.path(), "../root/docs/a.md"),
            Resolved::Outside(Escape::DotDot { levels: 1 })
        ));
        assert_eq!(
            Escape::DotDot { levels: 2 }.describe(),
            "climbs 2 folders above the root with '..'"
        );
    }

    #[test]
    fn missing_things() {
        let dir = tree();
        assert!(matches!(
            resolve(dir.path(), "docs/nope.md"),
            Resolved::Missing(Missing::NotFound)
        ));
        assert!(matches!(
            resolve(dir.path(), "docs/a.md/b.md"),
            Resolved::Missing(Missing::NotAFolder { .. })
        ));
        assert!(matches!(
            resolve(dir.path(), "https://example.com/x"),
            Resolved::Missing(Missing::Url)
        ));
    }

    #[test]
    fn base_outside_the_root() {
        let dir = tree();
        let r = Root::new(&dir.path().join("root/docs"), &dir.path().join("root"));
        assert!(matches!(
            r.resolve("docs/a.md"),
            Resolved::Outside(Escape::BaseOutside)
        ));
    }

    #[test]
    fn urls_need_a_scheme() {
        assert!(is_url("https://wiki.example.com/x"));
        assert!(is_url("s3+x://b/k"));
        assert!(!is_url("docs/a.md"));
        assert!(!is_url("://x"));
        assert!(!is_url("1http://x"));
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_inside_escaping_and_looping() {
        use std::os::unix::fs::symlink;
        let dir = tree();
        let root = dir.path().join("root");
        symlink("docs/a.md", root.join("inside.md")).unwrap();
        symlink("../../secret.txt", root.join("docs/out.txt")).unwrap();
        symlink(dir.path().join("secret.txt"), root.join("abs-out.txt")).unwrap();
        symlink(root.join("docs/a.md"), root.join("abs-in.md")).unwrap();
        symlink("../..", root.join("docs/sub/up")).unwrap();
        symlink("loop-b", root.join("loop-a")).unwrap();
        symlink("loop-a", root.join("loop-b")).unwrap();
        symlink("nowhere.md", root.join("dangling.md")).unwrap();
        symlink("sub", root.join("docs/subdir")).unwrap();

        assert_eq!(
            kind(&resolve(dir.path(), "inside.md")),
            Some(NodeKind::File)
        );
        assert_eq!(
            kind(&resolve(dir.path(), "abs-in.md")),
            Some(NodeKind::File)
        );
        assert_eq!(
            kind(&resolve(dir.path(), "docs/subdir")),
            Some(NodeKind::Folder)
        );
        // Through a link to a folder and back up: the OS's `..` semantics.
        assert_eq!(
            kind(&resolve(dir.path(), "docs/sub/up/docs/a.md")),
            Some(NodeKind::File)
        );
        match resolve(dir.path(), "docs/out.txt") {
            Resolved::Outside(Escape::Symlink { link, target }) => {
                assert_eq!(
                    (link.as_str(), target.as_str()),
                    ("docs/out.txt", "../../secret.txt")
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            resolve(dir.path(), "abs-out.txt"),
            Resolved::Outside(Escape::Symlink { .. })
        ));
        // `up` -> the root; one more `..` through it leaves.
        assert!(matches!(
            resolve(dir.path(), "docs/sub/up/../secret.txt"),
            Resolved::Outside(Escape::Symlink { .. })
        ));
        assert!(matches!(
            resolve(dir.path(), "loop-a"),
            Resolved::Missing(Missing::Loop)
        ));
        assert!(matches!(
            resolve(dir.path(), "dangling.md"),
            Resolved::Missing(Missing::NotFound)
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_never_a_file() {
        let dir = tree();
        let fifo = dir.path().join("root/pipe");
        let ok = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(ok.success());
        assert!(matches!(
            resolve(dir.path(), "pipe"),
            Resolved::Missing(Missing::Special("a named pipe (FIFO)"))
        ));
    }
}
