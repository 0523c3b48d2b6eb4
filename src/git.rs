//! `--baseline-ref` and `--new-since`: a manifest (and, for `--new-since`, its root's files)
//! as it was at the merge base of a git ref and `HEAD`, read from the manifest's own
//! repository with the local `git` binary (never the network).
//!
//! `git rev-parse` finds the repository and resolves the refs, `git merge-base` finds the
//! base (a shallow clone that lacks it is told how to fetch it), `git diff -M` follows a
//! rename between the base and the work tree, `git cat-file -t` and `-s` say whether the file
//! existed at the base and how large it is, and `git cat-file blob` reads it, never more than
//! [`MAX_MANIFEST_BYTES`], the cap on a manifest file. The files of a root at the base (its
//! evidence) are listed by `git ls-tree` and read by one `git cat-file --batch`, each at most
//! [`MAX_TREE_FILE_BYTES`].
//!
//! Which repository: the one git finds from the manifest's folder. The variables that point
//! git elsewhere (`GIT_DIR`, `GIT_WORK_TREE` and the rest of `git rev-parse
//! --local-env-vars`, which a git hook runs with) are removed from git's environment, so they
//! cannot change which file is read. git runs with `LC_ALL=C`, so that its refusals can be
//! told from "not a git repository"; its reason is shown, escaped as load errors are.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::manifest::{MAX_MANIFEST_BYTES, MAX_MANIFEST_MIB, escape};

/// The variables that tell git which repository, work tree, index or objects to use: git's
/// own list (`local_repo_env`, printed by `git rev-parse --local-env-vars`, as of git 2.47).
/// The list the installed git prints is removed too.
const LOCAL_ENV: [&str; 15] = [
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_CONFIG",
    "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT",
    "GIT_OBJECT_DIRECTORY",
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_IMPLICIT_WORK_TREE",
    "GIT_GRAFT_FILE",
    "GIT_INDEX_FILE",
    "GIT_NO_REPLACE_OBJECTS",
    "GIT_REPLACE_REF_BASE",
    "GIT_PREFIX",
    "GIT_SHALLOW_FILE",
    "GIT_COMMON_DIR",
];

/// `git -C dir`, with none of the variables that would point it at another repository, and
/// its messages in English.
fn command(dir: &Path, local_env: &[String], args: &[&str]) -> Command {
    let mut c = Command::new("git");
    c.arg("-C").arg(dir).args(args).env("LC_ALL", "C");
    for name in LOCAL_ENV {
        c.env_remove(name);
    }
    for name in local_env {
        c.env_remove(name);
    }
    c
}

fn run(c: &mut Command) -> Result<Output, String> {
    c.stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))
}

fn stdout_line(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout)
        .trim_end_matches(['\n', '\r'])
        .to_owned()
}

/// git's message on standard error, on one line, escaped for a terminal as load errors are
/// (it may quote path names that a pull request chose), and at most 1,000 characters long.
fn reason(out: &Output) -> String {
    let text = String::from_utf8_lossy(&out.stderr);
    let joined = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let shown = match joined.char_indices().nth(1_000) {
        Some((cut, _)) => format!("{}...", escape::terminal(&joined[..cut])),
        None => escape::terminal(&joined).into_owned(),
    };
    if shown.is_empty() {
        format!("git failed ({})", out.status)
    } else {
        shown
    }
}

/// The output of `git cat-file blob`, read up to [`MAX_MANIFEST_BYTES`] and no further.
fn read_blob(mut c: Command, size: u64) -> Result<Vec<u8>, String> {
    let mut child = c
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    let read = child
        .stdout
        .take()
        .map(|out| out.take(MAX_MANIFEST_BYTES + 1).read_to_end(&mut bytes));
    if bytes.len() as u64 > MAX_MANIFEST_BYTES {
        // Cannot happen for a blob whose size was checked; never read on regardless.
        let _ = child.kill();
        let _ = child.wait();
        return Err(format!(
            "the manifest is over the limit of {MAX_MANIFEST_BYTES} bytes ({MAX_MANIFEST_MIB} MiB)"
        ));
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    match read {
        Some(Ok(_)) if out.status.success() => Ok(bytes),
        Some(Err(e)) => Err(format!("cannot read git's output: {e}")),
        _ => Err(format!("git cat-file failed: {}", reason(&out))),
    }
}

/// At most this many bytes of a base tree are written out for `--new-since` (1 GiB).
pub(crate) const MAX_TREE_BYTES: u64 = 1 << 30;
/// The largest single file read from a base's tree (evidence such as a JUnit report may be
/// larger than a manifest may).
pub(crate) const MAX_TREE_FILE_BYTES: u64 = 256 << 20;
/// The longest symbolic link target a base tree's link may have (a path: 4 KiB).
const MAX_LINK_BYTES: u64 = 4096;
/// At most this many files of a base tree are written out for `--new-since`.
pub(crate) const MAX_TREE_FILES: u64 = 100_000;

/// The repository that holds a path, found from the path's folder with git's environment
/// cleaned as for `--baseline-ref`.
pub(crate) struct Repo {
    top: std::path::PathBuf,
    local_env: Vec<String>,
}

/// The commit a change is compared with: the merge base of GITREF and `HEAD`, or none when
/// `HEAD` has no commit yet (every finding is new).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Base {
    Commit(String),
    NoHead,
}

impl Repo {
    /// The repository of `path` (a file or a folder). `option` and `gitref` name errors.
    pub(crate) fn of(path: &Path, option: &str, gitref: &str) -> Result<Repo, String> {
        if gitref.starts_with('-') || gitref.is_empty() {
            return Err(format!("{option} '{gitref}' is not a git ref"));
        }
        let real = path
            .canonicalize()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let dir = if real.is_dir() {
            real.as_path()
        } else {
            real.parent().unwrap_or(Path::new("/"))
        };
        let local_env: Vec<String> =
            run(&mut command(dir, &[], &["rev-parse", "--local-env-vars"]))
                .ok()
                .filter(|o| o.status.success())
                .map(|o| {
                    String::from_utf8_lossy(&o.stdout)
                        .lines()
                        .map(str::to_owned)
                        .filter(|l| l.starts_with("GIT_"))
                        .collect()
                })
                .unwrap_or_default();
        let top = run(&mut command(
            dir,
            &local_env,
            &["rev-parse", "--show-toplevel"],
        ))?;
        if !top.status.success() {
            let why = reason(&top);
            return Err(if why.contains("not a git repository") {
                format!(
                    "{option} '{gitref}' needs a git repository, and {} is not in one",
                    path.display()
                )
            } else {
                format!(
                    "{option} '{gitref}': git refuses the repository of {}: {why}",
                    path.display()
                )
            });
        }
        let top = Path::new(&stdout_line(&top))
            .canonicalize()
            .map_err(|e| format!("git repository top: {e}"))?;
        Ok(Repo { top, local_env })
    }

    /// The work tree's top folder (canonical).
    pub(crate) fn top(&self) -> &Path {
        &self.top
    }

    fn git(&self, args: &[&str]) -> Result<Output, String> {
        run(&mut command(&self.top, &self.local_env, args))
    }

    /// `path` (canonical, inside the work tree) from the repository's top, with `/`.
    pub(crate) fn rel(&self, path: &Path) -> Option<String> {
        let real = path.canonicalize().ok()?;
        let rel = real.strip_prefix(&self.top).ok()?;
        Some(rel.to_string_lossy().replace('\\', "/"))
    }

    /// The commit `rev` names, if it names one.
    pub(crate) fn resolve(&self, rev: &str) -> Result<Option<String>, String> {
        let commit = format!("{rev}^{{commit}}");
        let out = self.git(&[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &commit,
        ])?;
        Ok(out.status.success().then(|| stdout_line(&out)))
    }

    fn is_shallow(&self) -> bool {
        self.git(&["rev-parse", "--is-shallow-repository"])
            .is_ok_and(|o| stdout_line(&o) == "true")
    }

    /// The merge base of `gitref` and `HEAD`.
    pub(crate) fn merge_base(&self, option: &str, gitref: &str) -> Result<Base, String> {
        let Some(head) = self.resolve("HEAD")? else {
            return Ok(Base::NoHead);
        };
        let unshallow = "the clone is shallow: fetch the history (`git fetch --unshallow`, or \
                         `fetch-depth: 0` in actions/checkout)";
        let Some(other) = self.resolve(gitref)? else {
            return Err(if self.is_shallow() {
                format!(
                    "{option} '{gitref}' does not name a commit in {}; {unshallow}",
                    self.top.display()
                )
            } else {
                format!(
                    "{option} '{gitref}' does not name a commit in {}",
                    self.top.display()
                )
            });
        };
        let out = self.git(&["merge-base", &other, &head])?;
        if out.status.success() {
            return Ok(Base::Commit(stdout_line(&out)));
        }
        if !out.stderr.is_empty() {
            return Err(format!(
                "{option} '{gitref}': git merge-base failed: {}",
                reason(&out)
            ));
        }
        Err(if self.is_shallow() {
            format!(
                "{option} '{gitref}': the merge base of {gitref} and HEAD is not in this clone; \
                 {unshallow}"
            )
        } else {
            format!("{option} '{gitref}': {gitref} and HEAD have no common ancestor")
        })
    }

    /// The file at `rel` in `commit`, following a rename git detects between `commit` and the
    /// work tree: the path it had there and its text, or `None` when it did not exist.
    pub(crate) fn file_at(
        &self,
        commit: &str,
        rel: &str,
    ) -> Result<Option<(String, String)>, String> {
        let Some(from) = self.path_at(commit, rel)? else {
            return Ok(None);
        };
        let text = self
            .text_at(commit, &from)
            .map_err(|e| format!("{from} at {commit}: {e}"))?;
        Ok(Some((from, text)))
    }

    /// The path the file at `rel` had in `commit`: `rel` itself, or the path it was renamed
    /// from since (as git detects it between `commit` and the work tree); `None` when it did
    /// not exist there.
    pub(crate) fn path_at(&self, commit: &str, rel: &str) -> Result<Option<String>, String> {
        if self.object_kind(commit, rel)?.is_some() {
            return Ok(Some(rel.to_owned()));
        }
        self.renamed_from(commit, rel)
    }

    /// The text of the file at `path` in `commit` (which [`Repo::path_at`] found there), at
    /// most [`MAX_MANIFEST_BYTES`] long. Errors do not name the file: the caller does.
    pub(crate) fn text_at(&self, commit: &str, path: &str) -> Result<String, String> {
        let object = format!("{commit}:{path}");
        match self.object_kind(commit, path)?.as_deref() {
            Some("blob") => {}
            Some(kind) => return Err(format!("is a {kind} at that commit, not a file")),
            None => return Err("is not in that commit".to_owned()),
        }
        let size = self.git(&["cat-file", "-s", &object])?;
        let size: u64 = stdout_line(&size)
            .parse()
            .map_err(|_| format!("git cat-file -s failed: {}", reason(&size)))?;
        if size > MAX_MANIFEST_BYTES {
            return Err(format!(
                "the manifest is {size} bytes, over the limit of {MAX_MANIFEST_BYTES} bytes \
                 ({MAX_MANIFEST_MIB} MiB)"
            ));
        }
        let bytes = read_blob(
            command(&self.top, &self.local_env, &["cat-file", "blob", &object]),
            size,
        )?;
        String::from_utf8(bytes).map_err(|_| "the manifest is not valid UTF-8".to_owned())
    }

    fn object_kind(&self, commit: &str, rel: &str) -> Result<Option<String>, String> {
        let out = self.git(&["cat-file", "-t", &format!("{commit}:{rel}")])?;
        Ok(out.status.success().then(|| stdout_line(&out)))
    }

    /// The path `rel` had at `commit`, when git finds it renamed since (tracked files: the
    /// work tree against `commit`, `git diff --name-status -M`).
    fn renamed_from(&self, commit: &str, rel: &str) -> Result<Option<String>, String> {
        let out = self.git(&[
            "diff",
            "--name-status",
            "-M",
            "-z",
            "--no-ext-diff",
            "--no-textconv",
            commit,
        ])?;
        if !out.status.success() {
            return Err(format!("git diff failed: {}", reason(&out)));
        }
        let fields: Vec<&[u8]> = out.stdout.split(|&b| b == 0).collect();
        let mut i = 0;
        while i < fields.len() {
            let status = fields[i];
            if status.first() == Some(&b'R') || status.first() == Some(&b'C') {
                let (Some(old), Some(new)) = (fields.get(i + 1), fields.get(i + 2)) else {
                    break;
                };
                if status.first() == Some(&b'R') && *new == rel.as_bytes() {
                    return Ok(Some(String::from_utf8_lossy(old).into_owned()));
                }
                i += 3;
            } else {
                i += 2;
            }
        }
        Ok(None)
    }

    /// Writes the files of `commit` under `dir` (from the repository's top; empty: all of
    /// it) into `dest`, at their paths from the top: regular files and symbolic links (as
    /// links; confinement judges them when read), at most [`MAX_TREE_FILES`] files and
    /// [`MAX_TREE_BYTES`] bytes, each at most [`MAX_TREE_FILE_BYTES`].
    pub(crate) fn write_tree(&self, commit: &str, dir: &str, dest: &Path) -> Result<(), String> {
        let mut args = vec!["ls-tree", "-r", "-z", "-l", "--full-tree", commit];
        if !dir.is_empty() {
            args.extend(["--", dir]);
        }
        let out = self.git(&args)?;
        if !out.status.success() {
            return Err(format!("git ls-tree failed: {}", reason(&out)));
        }
        let mut entries = Vec::new();
        let mut total: u64 = 0;
        for line in out.stdout.split(|&b| b == 0).filter(|l| !l.is_empty()) {
            let line = String::from_utf8_lossy(line);
            let Some((meta, path)) = line.split_once('\t') else {
                continue;
            };
            let mut parts = meta.split_whitespace();
            let (Some(mode), Some(kind), Some(oid), Some(size)) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            if kind != "blob" {
                continue; // submodules
            }
            let safe = Path::new(path)
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(n) if n != ".git"));
            if !safe {
                continue;
            }
            let size: u64 = size.parse().unwrap_or(u64::MAX);
            if size > MAX_TREE_FILE_BYTES {
                return Err(format!(
                    "{path} at {commit} is {size} bytes, over the limit of {MAX_TREE_FILE_BYTES} \
                     bytes (256 MiB)"
                ));
            }
            total = total.saturating_add(size);
            if total > MAX_TREE_BYTES || entries.len() as u64 >= MAX_TREE_FILES {
                return Err(format!(
                    "the files under '{dir}' at {commit} are over the limit of \
                     {MAX_TREE_FILES} files or {MAX_TREE_BYTES} bytes (1 GiB)"
                ));
            }
            entries.push((mode.to_owned(), oid.to_owned(), path.to_owned()));
        }
        // Every regular file before any symbolic link: on a file system that ignores case, a
        // link `A` made first could take the writing of `a/file` out of `dest`. Made last, no
        // link stands in any file's way, and a link whose name a folder already holds fails.
        entries.sort_by_key(|(mode, _, _)| mode == "120000");
        self.write_blobs(&entries, dest)
    }

    /// Writes each (mode, object, path) entry's blob to `dest/path` (a symlink for mode
    /// 120000), read through one `git cat-file --batch`: the object names go in on a thread
    /// of their own (so neither pipe can fill while the other waits), each blob comes out as
    /// a header and its bytes, copied straight into its file.
    fn write_blobs(&self, entries: &[(String, String, String)], dest: &Path) -> Result<(), String> {
        let mut child = command(&self.top, &self.local_env, &["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run git: {e}"))?;
        let names: Vec<u8> = entries
            .iter()
            .flat_map(|(_, oid, _)| oid.bytes().chain([b'\n']))
            .collect();
        let mut stdin = child.stdin.take();
        let feeder = std::thread::spawn(move || {
            // An early end of git shows in what it wrote, or did not.
            if let Some(input) = stdin.as_mut() {
                let _ = input.write_all(&names);
            }
        });
        let written = match child.stdout.take() {
            Some(out) => copy_blobs(&mut BufReader::new(out), entries, dest),
            None => Err("cannot read git's output".to_owned()),
        };
        if written.is_err() {
            let _ = child.kill();
        }
        let _ = feeder.join();
        let out = child
            .wait_with_output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        written?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!("git cat-file failed: {}", reason(&out)))
        }
    }
}

/// Reads `git cat-file --batch`'s answer for `entries`, in order, into their files.
fn copy_blobs(
    out: &mut impl BufRead,
    entries: &[(String, String, String)],
    dest: &Path,
) -> Result<(), String> {
    let broken = |e: std::io::Error| format!("cannot read git's output: {e}");
    let mut header = Vec::new();
    for (mode, oid, path) in entries {
        header.clear();
        out.take(200)
            .read_until(b'\n', &mut header)
            .map_err(broken)?;
        // `<oid> blob <size>`; anything else (`<oid> missing`, an early end) is an error.
        let line = String::from_utf8_lossy(&header);
        let mut fields = line.trim_end().split(' ');
        let size = match (fields.next(), fields.next(), fields.next()) {
            (Some(o), Some("blob"), Some(n)) if o == oid => n.parse::<u64>().ok(),
            _ => None,
        }
        .filter(|&n| n <= MAX_TREE_FILE_BYTES)
        .ok_or_else(|| format!("git cat-file gave no blob for {path}: {}", line.trim_end()))?;
        let target = dest.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{path}: {e}"))?;
        }
        let mut blob = out.take(size);
        if mode == "120000" {
            // A link's target is a path: no system takes one over 4 KiB, and holding a
            // longer blob in memory serves nothing.
            if size > MAX_LINK_BYTES {
                return Err(format!(
                    "{path} at the base is a symbolic link of {size} bytes (at most \
                     {MAX_LINK_BYTES})"
                ));
            }
            let mut link = Vec::new();
            blob.read_to_end(&mut link).map_err(broken)?;
            #[cfg(unix)]
            std::os::unix::fs::symlink(String::from_utf8_lossy(&link).as_ref(), &target)
                .map_err(|e| format!("{path}: {e}"))?;
        } else {
            let mut file = std::fs::File::create(&target).map_err(|e| format!("{path}: {e}"))?;
            let copied = std::io::copy(&mut blob, &mut file).map_err(|e| format!("{path}: {e}"))?;
            if copied != size {
                return Err(format!("git cat-file ended inside {path}"));
            }
        }
        // The newline after each blob.
        let mut end = [0u8; 1];
        out.read_exact(&mut end).map_err(broken)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(dir: &Path, args: &[&str]) {
        let ok = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .unwrap()
            .status
            .success();
        assert!(ok, "git {args:?}");
    }

    #[test]
    fn reads_the_file_at_a_commit() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path();
        sh(repo, &["init", "-q", "-b", "main"]);
        std::fs::create_dir(repo.join("rel")).unwrap();
        std::fs::write(repo.join("rel/release.yaml"), "first\n").unwrap();
        sh(repo, &["add", "."]);
        sh(repo, &["commit", "-q", "-m", "one"]);
        std::fs::write(repo.join("rel/release.yaml"), "second\n").unwrap();
        let git = Repo::of(&repo.join("rel/release.yaml"), "--opt", "HEAD").unwrap();
        let Base::Commit(head) = git.merge_base("--opt", "HEAD").unwrap() else {
            panic!("HEAD has a commit");
        };
        assert_eq!(
            git.file_at(&head, "rel/release.yaml").unwrap(),
            Some(("rel/release.yaml".to_owned(), "first\n".to_owned()))
        );
        assert_eq!(git.file_at(&head, "new.yaml").unwrap(), None);
        assert_eq!(
            git.text_at(&head, "rel").unwrap_err(),
            "is a tree at that commit, not a file"
        );
        let e = git.merge_base("--opt", "no-such-ref").unwrap_err();
        assert!(
            e.contains("--opt 'no-such-ref' does not name a commit"),
            "{e}"
        );
        assert!(Repo::of(repo, "--opt", "--output=x").is_err());
    }

    /// A root's files at a commit, written out through one `git cat-file --batch`: nested
    /// folders, a symlink kept as one, an empty file, and a report larger than a manifest may
    /// be (it was refused as "the manifest is over the limit" when each file was read on its
    /// own); what is outside the folder asked for is left out.
    #[test]
    fn writes_a_tree_with_files_larger_than_a_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path();
        sh(repo, &["init", "-q", "-b", "main"]);
        std::fs::create_dir_all(repo.join("rel/reports/deep")).unwrap();
        std::fs::write(repo.join("rel/release.yaml"), "relcheck: 1\n").unwrap();
        std::fs::write(repo.join("rel/reports/deep/empty.xml"), "").unwrap();
        let big: Vec<u8> = b"<testcase name=\"t\"/>\n"
            .iter()
            .copied()
            .cycle()
            .take(usize::try_from(MAX_MANIFEST_BYTES).unwrap() + 4096)
            .collect();
        std::fs::write(repo.join("rel/reports/big.xml"), &big).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("big.xml", repo.join("rel/reports/link.xml")).unwrap();
        std::fs::write(repo.join("elsewhere.txt"), "no\n").unwrap();
        sh(repo, &["add", "."]);
        sh(repo, &["commit", "-q", "-m", "one"]);
        let git = Repo::of(&repo.join("rel/release.yaml"), "--opt", "HEAD").unwrap();
        let Base::Commit(head) = git.merge_base("--opt", "HEAD").unwrap() else {
            panic!("HEAD has a commit");
        };
        let out = tempfile::tempdir().unwrap();
        git.write_tree(&head, "rel", out.path()).unwrap();
        let o = out.path();
        assert_eq!(std::fs::read(o.join("rel/reports/big.xml")).unwrap(), big);
        assert_eq!(
            std::fs::read(o.join("rel/release.yaml")).unwrap(),
            b"relcheck: 1\n"
        );
        assert_eq!(
            std::fs::read(o.join("rel/reports/deep/empty.xml")).unwrap(),
            b""
        );
        #[cfg(unix)]
        assert_eq!(
            std::fs::read_link(o.join("rel/reports/link.xml")).unwrap(),
            Path::new("big.xml")
        );
        assert!(!o.join("elsewhere.txt").exists());
    }

    /// A symbolic link whose target (its blob) is longer than any path is an error, never
    /// read into memory.
    #[test]
    fn a_link_longer_than_a_path_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path();
        sh(repo, &["init", "-q", "-b", "main"]);
        std::fs::write(repo.join("release.yaml"), "relcheck: 1\n").unwrap();
        std::fs::write(repo.join("target.txt"), "x".repeat(5000)).unwrap();
        let out = Command::new("git")
            .arg("-C")
            .arg(repo)
            .args(["hash-object", "-w", "target.txt"])
            .output()
            .unwrap();
        let oid = String::from_utf8(out.stdout).unwrap().trim().to_owned();
        std::fs::remove_file(repo.join("target.txt")).unwrap();
        sh(repo, &["add", "release.yaml"]);
        sh(
            repo,
            &[
                "update-index",
                "--add",
                "--cacheinfo",
                &format!("120000,{oid},long-link"),
            ],
        );
        sh(repo, &["commit", "-q", "-m", "one"]);
        let git = Repo::of(&repo.join("release.yaml"), "--opt", "HEAD").unwrap();
        let Base::Commit(head) = git.merge_base("--opt", "HEAD").unwrap() else {
            panic!("HEAD has a commit");
        };
        let out = tempfile::tempdir().unwrap();
        let e = git.write_tree(&head, "", out.path()).unwrap_err();
        assert!(
            e.contains("long-link at the base is a symbolic link of 5000 bytes (at most 4096)"),
            "{e}"
        );
    }

    #[test]
    fn outside_a_repository_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("release.yaml"), "x\n").unwrap();
        let e = Repo::of(&dir.path().join("release.yaml"), "--opt", "HEAD")
            .err()
            .unwrap();
        assert!(e.contains("--opt 'HEAD' needs a git repository"), "{e}");
    }
}

#[cfg(all(test, unix))]
mod reason_tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt;

    #[test]
    fn gits_reason_is_one_line_with_control_characters_escaped() {
        let out = Output {
            status: std::process::ExitStatus::from_raw(128 << 8),
            stdout: Vec::new(),
            stderr: "fatal: bad repo at '/tmp/\x1b[31mred\u{202e}'\n\n\tgit config x\n"
                .as_bytes()
                .to_vec(),
        };
        assert_eq!(
            reason(&out),
            "fatal: bad repo at '/tmp/\\u{1b}[31mred\\u{202e}' git config x"
        );
    }
}
