//! Writing report files (`--output FILE`, `--report FORMAT=FILE`) so that a pull request cannot
//! make relcheck write anywhere but where the command line says, and a reader never sees a
//! partial report.
//!
//! relcheck runs in CI on a checkout a pull request controls: any file or symlink in it may be
//! planted, while the report's name is fixed by the CI configuration. What the target is
//! decides how it is written (see `docs/hostile-inputs.md`, "Report files"):
//!
//! - **Missing, or a regular file**: the report is written to a temporary file beside it, then
//!   renamed over it. Missing folders on the way are created (as `init --output` does), each
//!   with `mkdir`, which never follows a symlink: a symlink that leads nowhere where a folder is
//!   missing is refused rather than created through. They are removed again when the report
//!   cannot be written. The temporary file is created exclusively (`O_EXCL`: never through a
//!   symlink, never an existing file) with an unpredictable name, `.NAME.XXXXXX.tmp`, by the
//!   `tempfile` crate; a planted symlink at any name it might use is never followed. It is
//!   removed when rendering or writing fails and when the run is interrupted (Ctrl-C, SIGTERM,
//!   SIGHUP: relcheck then exits with 130). Only a kill that cannot be caught (SIGKILL, a power
//!   cut) can leave one behind; `NAME` itself is then still the previous report, or absent,
//!   never a partial one.
//! - **A character device, FIFO or socket** (`/dev/null`, a named pipe): written in place. It
//!   is opened for appending, never created, truncated or renamed over, so `/dev/null` stays a
//!   device even for root. A write error (`/dev/full`: no space left on device) is an error. A
//!   stream cannot be replaced atomically: its reader may see part of a report before an error.
//! - **A folder or a block device**: refused.
//! - **A symlink**: refused, naming where it points, unless it is a system alias (below).
//!   Following it to a regular file is the attack the temporary file avoids, with a fixed name:
//!   a pull request that commits `relcheck.sarif -> ~/.ssh/authorized_keys` would have relcheck
//!   replace the victim. Replacing the link instead (a rename over it) would be safe but would
//!   silently break a link a user made on purpose and leave the file they meant stale; a refusal
//!   says what to do (name the file itself). Symlinks in the folders above the target are
//!   followed: the CI configuration names those folders, and `/tmp` may itself be a link.
//! - **A system alias**: a symlink whose folder is `/dev` or `/proc/PID/fd` (`/dev/stdout`,
//!   `/dev/stderr`, `/dev/fd/1`, `/proc/self/fd/1`). A checkout cannot put a file there, so
//!   the alias is followed and what it leads to is written in place, whatever it is (a pipe, a
//!   terminal, or the regular file a shell redirected the stream to: it is appended to, as the
//!   stream would be), except a folder or a block device.
//!
//! [`check_distinct`] and [`refuse_inputs`] compare targets by what they name, not by how they
//! are spelled: two reports to one file, or a report over a file relcheck reads, are usage
//! errors before anything is checked.

use std::ffi::{OsStr, OsString};
use std::fs::{self, File, FileType, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, Once};

use anyhow::bail;
use tempfile::NamedTempFile;

/// Temporary files being written, so an interrupt can remove them.
#[derive(Debug, Default)]
struct Pending {
    files: Vec<PathBuf>,
    /// Set by the interrupt handler: no new temporary file may be created.
    interrupted: bool,
}

impl Pending {
    /// Creates a temporary file for `name` in `dir` and records it, unless the run was
    /// interrupted. The lock is held meanwhile, so an interrupt sees every file created.
    fn create(&mut self, dir: &Path, name: &OsStr) -> io::Result<NamedTempFile> {
        if self.interrupted {
            return Err(io::Error::new(io::ErrorKind::Interrupted, "interrupted"));
        }
        // The temporary name must fit where the report's name fits (255 bytes on most file
        // systems): the report's name is cut to its first 64 characters in it.
        let short: String = name.to_string_lossy().chars().take(64).collect();
        let mut prefix = OsString::from(".");
        prefix.push(short);
        prefix.push(".");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        // tempfile's default is 0600; a report gets the mode any new file gets (0666 less the
        // umask), as before, so that whoever reads it after the job still can.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(0o666));
        }
        let file = builder.tempfile_in(dir).map_err(|e| {
            // tempfile's message names the random file; name the folder instead.
            io::Error::new(
                e.kind(),
                format!(
                    "cannot create a temporary file in {}: {}",
                    dir.display(),
                    e.kind()
                ),
            )
        })?;
        self.files.push(file.path().to_path_buf());
        Ok(file)
    }

    /// Forgets `tmp`, renamed or removed.
    fn done(&mut self, tmp: &Path) {
        self.files.retain(|f| f != tmp);
    }

    /// Removes every temporary file and refuses new ones.
    fn interrupt(&mut self) {
        self.interrupted = true;
        for f in self.files.drain(..) {
            let _ = fs::remove_file(f);
        }
    }
}

static PENDING: Mutex<Pending> = Mutex::new(Pending {
    files: Vec::new(),
    interrupted: false,
});

fn pending() -> MutexGuard<'static, Pending> {
    PENDING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// On an interrupt, removes the temporary files and exits 130. The handler holds the lock
/// while exiting, so the main thread cannot create another temporary file meanwhile; a
/// rename it has already made stands (the report is then complete).
fn install_interrupt_cleanup() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // Without a handler (one already set by an embedding program), a temporary file may
        // remain after an interrupt; the report itself is still never partial.
        let _ = ctrlc::set_handler(|| {
            let mut p = pending();
            p.interrupt();
            std::process::exit(130);
        });
    });
}

/// How a target is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    /// Missing or a regular file: a temporary file beside it, renamed over it.
    Replace,
    /// A character device, FIFO or socket, or what a system alias leads to: opened for
    /// appending. `alias` says a regular file may be found there.
    InPlace { alias: bool },
}

/// What a file is, as far as writing a report to it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Regular,
    Folder,
    Symlink,
    BlockDevice,
    /// A character device, FIFO or socket.
    Stream,
}

fn kind(t: FileType) -> Kind {
    if t.is_file() {
        return Kind::Regular;
    }
    if t.is_dir() {
        return Kind::Folder;
    }
    if t.is_symlink() {
        return Kind::Symlink;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_block_device() {
            return Kind::BlockDevice;
        }
    }
    Kind::Stream
}

fn refused(why: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, why)
}

/// Decides how `path` is written, or why it is not (see the module documentation).
fn classify(path: &Path) -> io::Result<Method> {
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        // A missing folder is reported when the temporary file is made.
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Method::Replace),
        Err(e) => return Err(e),
    };
    match kind(meta.file_type()) {
        Kind::Regular => Ok(Method::Replace),
        Kind::Stream => Ok(Method::InPlace { alias: false }),
        Kind::Folder => Err(refused("is a folder, not a file".into())),
        Kind::BlockDevice => Err(refused(
            "is a block device; relcheck never writes a report to a disk".into(),
        )),
        Kind::Symlink if is_system_alias(path) => match kind(fs::metadata(path)?.file_type()) {
            Kind::Folder => Err(refused("leads to a folder, not a file".into())),
            Kind::BlockDevice => Err(refused(
                "leads to a block device; relcheck never writes a report to a disk".into(),
            )),
            _ => Ok(Method::InPlace { alias: true }),
        },
        Kind::Symlink => {
            let to = fs::read_link(path)
                .map(|t| format!(" to {}", t.display()))
                .unwrap_or_default();
            Err(refused(format!(
                "is a symlink{to}; relcheck does not write a report through a symlink, which a \
                 checkout can plant to have another file overwritten: name the file itself"
            )))
        }
    }
}

/// A symlink in `/dev` or `/proc/PID/fd` (`/dev/stdout`, `/dev/fd/1`): the system's names for
/// open streams, where a checkout cannot put a file.
#[cfg(unix)]
fn is_system_alias(path: &Path) -> bool {
    let Ok(dir) = fs::canonicalize(parent_or_dot(path)) else {
        return false;
    };
    let parts: Vec<&OsStr> = dir.iter().collect();
    match parts.as_slice() {
        [root, dev] => *root == "/" && *dev == "dev",
        [root, proc, _pid, fd] => *root == "/" && *proc == "proc" && *fd == "fd",
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_system_alias(_path: &Path) -> bool {
    false
}

fn parent_or_dot(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Writes `path` with what `render` produces. A missing or regular file is replaced only once
/// everything is written; a device, FIFO or socket is written in place. A folder, a block
/// device and a symlink (other than `/dev/stdout` and the like) are refused. See the module
/// documentation for why.
pub(crate) fn write_atomic(
    path: &Path,
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    match classify(path)? {
        Method::Replace => replace(path, render),
        Method::InPlace { alias } => write_in_place(path, alias, render),
    }
}

fn replace(path: &Path, render: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let dir = parent_or_dot(path);
    let created = create_folders(dir)?;
    let result = replace_in(path, name, dir, render);
    if result.is_err() {
        // Nothing is left behind: the folders made for the report go with it (only if empty).
        for folder in created.iter().rev() {
            let _ = fs::remove_dir(folder);
        }
    }
    result
}

/// Creates the folders of `dir` that are missing, outermost first, and returns them. Each is
/// made with `create_dir`, which never follows a symlink at its own name; a symlink that leads
/// nowhere where a folder should be (a checkout can plant one to have folders made elsewhere)
/// is refused rather than created through. Folders that exist are used as they are, symlinks
/// included (see the module documentation).
fn create_folders(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut missing = Vec::new();
    for folder in dir.ancestors().filter(|d| !d.as_os_str().is_empty()) {
        match fs::symlink_metadata(folder) {
            Ok(meta) if meta.file_type().is_symlink() && fs::metadata(folder).is_err() => {
                let to = fs::read_link(folder)
                    .map(|t| format!(" to {}", t.display()))
                    .unwrap_or_default();
                return Err(refused(format!(
                    "{} is a symlink{to} that leads nowhere; relcheck does not create folders \
                     through a symlink",
                    folder.display()
                )));
            }
            Ok(_) => break,
            Err(e) if e.kind() == io::ErrorKind::NotFound => missing.push(folder),
            Err(e) => return Err(e),
        }
    }
    let mut created = Vec::new();
    for folder in missing.into_iter().rev() {
        match fs::create_dir(folder) {
            Ok(()) => created.push(folder.to_path_buf()),
            // Made meanwhile by someone else: used if it is a folder (checked below).
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => {
                for made in created.iter().rev() {
                    let _ = fs::remove_dir(made);
                }
                return Err(io::Error::new(
                    e.kind(),
                    format!("cannot create the folder {}: {e}", folder.display()),
                ));
            }
        }
    }
    Ok(created)
}

/// [`replace`] once the folder exists.
fn replace_in(
    path: &Path,
    name: &OsStr,
    dir: &Path,
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    // The operating system's own words for a missing folder ("No such file or directory");
    // tempfile's would name the random file.
    if !fs::metadata(dir)?.is_dir() {
        return Err(refused(format!("{} is not a folder", dir.display())));
    }
    install_interrupt_cleanup();
    // A report that exists keeps its permissions (a 0600 report stays 0600).
    let keep = fs::symlink_metadata(path)
        .ok()
        .filter(fs::Metadata::is_file)
        .map(|m| m.permissions());
    let tmp = pending().create(dir, name)?;
    if let Some(permissions) = keep {
        tmp.as_file().set_permissions(permissions)?;
    }
    let tmp_path = tmp.path().to_path_buf();
    let written = (|| {
        let mut w = BufWriter::new(tmp.as_file());
        render(&mut w)?;
        w.into_inner()
            .map_err(std::io::IntoInnerError::into_error)?
            .sync_all()
    })();
    // Renaming or removing, then forgetting, under the lock: an interrupt comes before (and
    // removes the temporary file) or after (the report is complete), never in between.
    let mut p = pending();
    let result = match written {
        // A failed rename hands the file back in the error; dropping it removes it.
        Ok(()) => tmp.persist(path).map(drop).map_err(|e| e.error),
        Err(e) => {
            drop(tmp);
            Err(e)
        }
    };
    p.done(&tmp_path);
    result
}

fn write_in_place(
    path: &Path,
    alias: bool,
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    // Opening a FIFO blocks until it has a reader, as writing to one from a shell does.
    let file = OpenOptions::new().append(true).open(path)?;
    // What was opened must still be what was inspected: not a regular file put there since
    // (unless an alias leads to one), nor a folder or a disk.
    match kind(file.metadata()?.file_type()) {
        Kind::Stream => {}
        Kind::Regular if alias => {}
        _ => {
            return Err(refused(
                "changed while relcheck was opening it; nothing was written".into(),
            ));
        }
    }
    let mut w = BufWriter::new(file);
    render(&mut w)?;
    w.into_inner()
        .map_err(std::io::IntoInnerError::into_error)
        .map(drop::<File>)
}

/// What a path names, to tell whether two spellings are one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileId {
    /// The canonical path of the file when it exists, else of its folder joined with its name;
    /// the absolute spelling when not even the folder resolves.
    path: PathBuf,
    /// Device and inode of an existing file (Unix): hard links are one file too.
    node: Option<(u64, u64)>,
    /// Exists and is not a regular file: a device, FIFO, socket or folder.
    special: bool,
}

impl FileId {
    /// Resolves `path` without requiring it to exist. Never fails: what cannot be resolved is
    /// compared by its absolute spelling (and cannot be written either).
    pub(crate) fn of(path: &Path) -> FileId {
        let absolute = || std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        if let Ok(meta) = fs::metadata(path) {
            return FileId {
                path: fs::canonicalize(path).unwrap_or_else(|_| absolute()),
                node: node(&meta),
                special: !meta.is_file(),
            };
        }
        let resolved = path.file_name().and_then(|name| {
            fs::canonicalize(parent_or_dot(path))
                .ok()
                .map(|dir| dir.join(name))
        });
        FileId {
            path: resolved.unwrap_or_else(absolute),
            node: None,
            special: false,
        }
    }

    /// The resolved path, for messages.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Whether writing one would replace the other. A device, FIFO, socket or folder is never
    /// the same file as anything: writing to `/dev/null` twice loses nothing.
    pub(crate) fn is_same(&self, other: &FileId) -> bool {
        if self.special || other.special {
            return false;
        }
        match (self.node, other.node) {
            (Some(a), Some(b)) => a == b,
            (None, None) => self.path == other.path,
            // One exists and the other does not.
            _ => false,
        }
    }
}

#[cfg(unix)]
#[allow(clippy::unnecessary_wraps)] // `None` where the platform has no inode numbers
fn node(meta: &fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn node(_meta: &fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// How the command line spelled a target: `what` is the option before the file, `--output`
/// (shown `--output FILE`) or `--report sarif` (shown `--report sarif=FILE`).
fn spelled(what: &str, path: &Path) -> String {
    let sep = if what.contains(' ') { '=' } else { ' ' };
    format!("{what}{sep}{}", path.display())
}

/// A usage error when two report targets name the same file, however spelled (`r.json`,
/// `./r.json`, an absolute path, a path through a symlinked folder, a hard link): one report
/// would replace the other. Each target is `(option, file)`, e.g. `("--output", path)` or
/// `("--report sarif", path)`, in command-line order.
pub(crate) fn check_distinct(targets: &[(&str, &Path)]) -> anyhow::Result<()> {
    let ids: Vec<FileId> = targets.iter().map(|(_, p)| FileId::of(p)).collect();
    for (i, (what, path)) in targets.iter().enumerate() {
        for (j, (earlier, earlier_path)) in targets.iter().enumerate().take(i) {
            if ids[i].is_same(&ids[j]) {
                // The resolved path only when the spellings differ: it shows why they match.
                let resolved = if path == earlier_path {
                    String::new()
                } else {
                    format!(" ({})", ids[i].path().display())
                };
                bail!(
                    "{}: {} already writes a report to this file{resolved}; one report would \
                     replace the other",
                    spelled(what, path),
                    spelled(earlier, earlier_path),
                );
            }
        }
    }
    Ok(())
}

/// A usage error when a report target is one of the files relcheck reads for this check (the
/// manifest, a baseline, JUnit reports, docs), however spelled: the report would replace it.
/// `targets` as for [`check_distinct`].
pub(crate) fn refuse_inputs<'a>(
    targets: &[(&str, &Path)],
    inputs: impl IntoIterator<Item = &'a Path>,
) -> anyhow::Result<()> {
    // Every input exists (it was read), so only a target that exists as a regular file can
    // be one; usually none does, and the inputs (possibly many) are not even looked at.
    let existing: Vec<(usize, FileId)> = targets
        .iter()
        .enumerate()
        .map(|(i, (_, p))| (i, FileId::of(p)))
        .filter(|(_, id)| !id.special && id.node.is_some())
        .collect();
    if existing.is_empty() {
        return Ok(());
    }
    for input in inputs {
        let input_id = FileId::of(input);
        for (i, id) in &existing {
            if id.is_same(&input_id) {
                let (what, path) = targets[*i];
                bail!(
                    "{} would replace {}, a file relcheck reads for this check; write the \
                     report elsewhere",
                    spelled(what, path),
                    input.display()
                );
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The files in `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_long_report_name_and_its_permissions_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        // 250 bytes: a valid name, which a temporary name of `.NAME.XXXXXX.tmp` would not be.
        let file = dir.path().join(format!("{}.json", "r".repeat(245)));
        write_atomic(&file, |w| w.write_all(b"one")).unwrap();
        assert_eq!(fs::read_to_string(&file).unwrap(), "one");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&file, fs::Permissions::from_mode(0o600)).unwrap();
            write_atomic(&file, |w| w.write_all(b"two")).unwrap();
            let mode = fs::metadata(&file).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        assert_eq!(fs::read_to_string(&file).unwrap(), "two");
    }

    #[test]
    fn replaces_the_file_and_leaves_nothing_behind_on_failure() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("report.json");
        write_atomic(&file, |w| w.write_all(b"one")).unwrap();
        assert_eq!(fs::read_to_string(&file).unwrap(), "one");
        write_atomic(&file, |w| w.write_all(b"two")).unwrap();
        assert_eq!(fs::read_to_string(&file).unwrap(), "two");
        assert_eq!(names(dir.path()), ["report.json"]);
        let failed = write_atomic(&file, |w| {
            w.write_all(b"partial")?;
            Err(io::Error::other("interrupted"))
        });
        assert!(failed.is_err());
        assert_eq!(fs::read_to_string(&file).unwrap(), "two");
        assert_eq!(names(dir.path()), ["report.json"]);
    }

    #[test]
    fn missing_folders_are_created_and_removed_again_on_failure() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a").join("b").join("report.json");
        let failed = write_atomic(&file, |w| {
            w.write_all(b"partial")?;
            Err(io::Error::other("interrupted"))
        });
        assert!(failed.is_err());
        assert!(names(dir.path()).is_empty(), "the folders made are removed");
        write_atomic(&file, |w| w.write_all(b"x")).unwrap();
        assert_eq!(fs::read_to_string(&file).unwrap(), "x");
        assert_eq!(names(&dir.path().join("a/b")), ["report.json"]);
        // A folder that exists meanwhile is kept when a report in it fails.
        let other = dir.path().join("a").join("c").join("report.json");
        fs::create_dir(dir.path().join("a/c")).unwrap();
        assert!(write_atomic(&other, |_| Err(io::Error::other("no"))).is_err());
        assert!(dir.path().join("a/c").is_dir());
    }

    #[cfg(unix)]
    #[test]
    fn no_folder_is_created_through_a_dangling_symlink() {
        use std::os::unix::fs::symlink;
        let outside = tempfile::tempdir().unwrap();
        let nowhere = outside.path().join("made");
        let dir = tempfile::tempdir().unwrap();
        symlink(&nowhere, dir.path().join("out")).unwrap();
        for file in ["out/report.json", "out/deeper/report.json"] {
            let e = write_atomic(&dir.path().join(file), |w| w.write_all(b"x")).unwrap_err();
            assert!(e.to_string().contains("leads nowhere"), "{e}");
        }
        assert!(!nowhere.exists());
        assert_eq!(names(dir.path()), ["out"]);
        assert!(names(outside.path()).is_empty());
    }

    #[test]
    fn a_file_on_the_way_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("file"), "").unwrap();
        let e = write_atomic(&dir.path().join("file").join("report.json"), |w| {
            w.write_all(b"x")
        })
        .unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::NotADirectory, "{e}");
        assert_eq!(names(dir.path()), ["file"]);
    }

    #[test]
    fn a_folder_is_not_a_report_file() {
        let dir = tempfile::tempdir().unwrap();
        let e = write_atomic(dir.path(), |w| w.write_all(b"x")).unwrap_err();
        assert!(e.to_string().contains("is a folder"), "{e}");
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn an_interrupt_removes_temporary_files_and_refuses_new_ones() {
        let dir = tempfile::tempdir().unwrap();
        let mut p = Pending::default();
        let tmp = p.create(dir.path(), OsStr::new("report.sarif")).unwrap();
        let name = tmp
            .path()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert!(
            name.starts_with(".report.sarif.")
                && Path::new(&name).extension().is_some_and(|x| x == "tmp"),
            "{name}"
        );
        tmp.as_file().write_all(b"{\"partial").unwrap();
        p.interrupt();
        assert!(!tmp.path().exists());
        assert_eq!(
            p.create(dir.path(), OsStr::new("other"))
                .unwrap_err()
                .kind(),
            io::ErrorKind::Interrupted
        );
        drop(tmp);
        assert!(names(dir.path()).is_empty());
        // A file already renamed is left alone.
        let mut p = Pending::default();
        let tmp = p.create(dir.path(), OsStr::new("done")).unwrap();
        tmp.persist(dir.path().join("done")).unwrap();
        p.interrupt();
        assert_eq!(names(dir.path()), ["done"]);
    }

    /// The old temporary name was `.NAME.PID.tmp`: a checkout could plant symlinks at it for a
    /// range of pids (this test process's own among them) and have the victim overwritten.
    #[cfg(unix)]
    #[test]
    fn planted_symlinks_at_temporary_names_are_never_followed() {
        use std::os::unix::fs::symlink;
        let outside = tempfile::tempdir().unwrap();
        let victim = outside.path().join("victim");
        fs::write(&victim, "precious").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let pid = std::process::id();
        let mut planted = vec![
            ".report.sarif.tmp".to_string(),
            "report.sarif.tmp".to_string(),
            ".report.sarif.swp".to_string(),
        ];
        for p in pid.saturating_sub(200)..=pid + 200 {
            planted.push(format!(".report.sarif.{p}.tmp"));
        }
        for name in &planted {
            symlink(&victim, dir.path().join(name)).unwrap();
        }
        let report = dir.path().join("report.sarif");
        write_atomic(&report, |w| w.write_all(b"{\"runs\": []}")).unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
        let meta = fs::symlink_metadata(&report).unwrap();
        assert!(meta.is_file(), "the report is a regular file");
        assert_eq!(fs::read_to_string(&report).unwrap(), "{\"runs\": []}");
        // The planted links are still there, untouched, and nothing else is.
        let mut expected = planted.clone();
        expected.push("report.sarif".into());
        expected.sort();
        assert_eq!(names(dir.path()), expected);
        for name in &planted {
            assert_eq!(fs::read_link(dir.path().join(name)).unwrap(), victim);
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_target_is_refused_and_what_it_points_at_untouched() {
        use std::os::unix::fs::symlink;
        let outside = tempfile::tempdir().unwrap();
        let victim = outside.path().join("victim");
        fs::write(&victim, "precious").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let to_file = dir.path().join("relcheck.sarif");
        symlink(&victim, &to_file).unwrap();
        let e = write_atomic(&to_file, |w| w.write_all(b"report")).unwrap_err();
        assert!(e.to_string().contains("is a symlink to"), "{e}");
        assert!(e.to_string().contains("victim"), "{e}");
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
        assert_eq!(fs::read_link(&to_file).unwrap(), victim);
        // A dangling link: nothing is created where it points.
        let dangling = dir.path().join("dangling.json");
        let nowhere = outside.path().join("created");
        symlink(&nowhere, &dangling).unwrap();
        assert!(write_atomic(&dangling, |w| w.write_all(b"report")).is_err());
        assert!(!nowhere.exists());
        // A link to a device is refused too: only the system's aliases are followed.
        let to_null = dir.path().join("null.json");
        symlink("/dev/null", &to_null).unwrap();
        assert!(write_atomic(&to_null, |w| w.write_all(b"report")).is_err());
        assert_eq!(
            names(dir.path()),
            ["dangling.json", "null.json", "relcheck.sarif"]
        );
        assert_eq!(names(outside.path()), ["victim"]);
    }

    /// As root, the old code renamed its temporary file over `/dev/null`.
    #[cfg(unix)]
    #[test]
    fn dev_null_is_written_in_place_and_stays_a_device() {
        use std::os::unix::fs::FileTypeExt;
        let null = Path::new("/dev/null");
        write_atomic(null, |w| w.write_all(b"report")).unwrap();
        assert!(
            fs::symlink_metadata(null)
                .unwrap()
                .file_type()
                .is_char_device()
        );
        assert!(!fs::read_dir("/dev").unwrap().any(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".null.")
        }));
    }

    #[cfg(unix)]
    #[test]
    fn a_full_device_is_an_error_with_the_reason() {
        use std::os::unix::fs::FileTypeExt;
        let full = Path::new("/dev/full");
        let Ok(meta) = fs::symlink_metadata(full) else {
            return; // not every system has one (macOS)
        };
        assert!(meta.file_type().is_char_device());
        let e = write_atomic(full, |w| w.write_all(b"report")).unwrap_err();
        assert!(e.to_string().contains("No space left"), "{e}");
        assert!(
            fs::symlink_metadata(full)
                .unwrap()
                .file_type()
                .is_char_device()
        );
        assert!(!fs::read_dir("/dev").unwrap().any(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".full.")
        }));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_written_in_place() {
        use std::io::Read;
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("report.pipe");
        // mkfifo is in coreutils: the test runs everywhere the suite does.
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(
            made.as_ref().is_ok_and(std::process::ExitStatus::success),
            "mkfifo failed: {made:?}"
        );
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                let mut s = String::new();
                File::open(fifo).unwrap().read_to_string(&mut s).unwrap();
                s
            })
        };
        write_atomic(&fifo, |w| w.write_all(b"through the pipe")).unwrap();
        // Checked before joining: had the FIFO been replaced, the reader would wait forever.
        assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
        assert_eq!(reader.join().unwrap(), "through the pipe");
        assert_eq!(names(dir.path()), ["report.pipe"]);
    }

    /// `/dev/fd/N` and `/proc/self/fd/N` are symlinks (as `/dev/stdout` is): followed, since a
    /// checkout cannot plant them, and written in place.
    #[cfg(target_os = "linux")]
    #[test]
    fn system_aliases_of_streams_are_followed() {
        use std::io::Read;
        use std::os::fd::AsRawFd;
        for dir in ["/dev/fd", "/proc/self/fd"] {
            let (mut r, w) = io::pipe().unwrap();
            let alias = PathBuf::from(format!("{dir}/{}", w.as_raw_fd()));
            assert!(
                fs::symlink_metadata(&alias)
                    .unwrap()
                    .file_type()
                    .is_symlink()
            );
            write_atomic(&alias, |out| out.write_all(b"via the alias")).unwrap();
            drop(w);
            let mut s = String::new();
            r.read_to_string(&mut s).unwrap();
            assert_eq!(s, "via the alias");
        }
        assert_eq!(
            classify(Path::new("/dev/stdout")).unwrap(),
            Method::InPlace { alias: true }
        );
    }

    /// Only classified, never written: a report must never reach a disk.
    #[cfg(unix)]
    #[test]
    fn a_block_device_is_refused() {
        use std::os::unix::fs::FileTypeExt;
        let block = fs::read_dir("/dev")
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_block_device()));
        if let Some(block) = block {
            let e = classify(&block).unwrap_err();
            assert!(e.to_string().contains("block device"), "{e}");
        }
    }

    /// A folder under the current one, so that relative spellings can be tested (the current
    /// folder is the process's, shared by all tests: never changed).
    fn local_dir() -> tempfile::TempDir {
        tempfile::Builder::new()
            .prefix(".relcheck-output-test")
            .tempdir_in(".")
            .unwrap()
    }

    /// `r.json`, `./r.json`, absolute, through a symlinked folder.
    fn spellings(dir: &tempfile::TempDir, name: &str) -> Vec<PathBuf> {
        let rel = PathBuf::from(dir.path().file_name().unwrap()).join(name);
        let mut v = vec![
            rel.clone(),
            Path::new(".").join(&rel),
            std::env::current_dir().unwrap().join(&rel),
            dir.path().join("sub").join("..").join(name),
        ];
        #[cfg(unix)]
        {
            let link = dir.path().join("link");
            if !link.exists() {
                std::os::unix::fs::symlink(dir.path().canonicalize().unwrap(), &link).unwrap();
            }
            v.push(link.join(name));
        }
        v
    }

    #[test]
    fn check_distinct_sees_through_spellings() {
        let dir = local_dir();
        fs::create_dir(dir.path().join("sub")).unwrap();
        for exists in [false, true] {
            if exists {
                fs::write(dir.path().join("r.json"), "old").unwrap();
            }
            let all = spellings(&dir, "r.json");
            for (i, a) in all.iter().enumerate() {
                for b in &all[i + 1..] {
                    let e = check_distinct(&[("--output", a), ("--report sarif", b)])
                        .unwrap_err()
                        .to_string();
                    assert!(
                        e.starts_with(&format!("--report sarif={}: ", b.display())),
                        "{e}"
                    );
                    assert!(e.contains(&format!("--output {}", a.display())), "{e}");
                    assert!(e.contains("one report would replace the other"), "{e}");
                }
            }
        }
        let other = dir.path().join("other.json");
        let r = dir.path().join("r.json");
        check_distinct(&[
            ("--output", r.as_path()),
            ("--report sarif", other.as_path()),
            ("--report junit", Path::new("/dev/null")),
            ("--report html", Path::new("/dev/null")),
        ])
        .unwrap();
        check_distinct(&[]).unwrap();
        assert_eq!(
            check_distinct(&[("--report sarif", &r), ("--report junit", &r)])
                .unwrap_err()
                .to_string(),
            format!(
                "--report junit={0}: --report sarif={0} already writes a report to this file; \
                 one report would replace the other",
                r.display()
            )
        );
        // A hard link is the same file.
        #[cfg(unix)]
        {
            let hard = dir.path().join("hard.json");
            fs::hard_link(&r, &hard).unwrap();
            assert!(
                check_distinct(&[("--output", r.as_path()), ("--report json", &hard)]).is_err()
            );
        }
    }

    #[test]
    fn refuse_inputs_sees_through_spellings() {
        let dir = local_dir();
        fs::create_dir(dir.path().join("sub")).unwrap();
        fs::write(dir.path().join("release.yaml"), "relcheck: 1\n").unwrap();
        let all = spellings(&dir, "release.yaml");
        for target in &all {
            for input in &all {
                let e = refuse_inputs(&[("--output", target)], [input.as_path()])
                    .unwrap_err()
                    .to_string();
                assert_eq!(
                    e,
                    format!(
                        "--output {} would replace {}, a file relcheck reads for this check; \
                         write the report elsewhere",
                        target.display(),
                        input.display()
                    )
                );
            }
        }
        let report = dir.path().join("report.json");
        refuse_inputs(
            &[
                ("--output", report.as_path()),
                ("--report sarif", Path::new("/dev/null")),
            ],
            [all[0].as_path(), Path::new("/dev/null")],
        )
        .unwrap();
        assert_eq!(fs::read_to_string(&all[0]).unwrap(), "relcheck: 1\n");
    }
}
