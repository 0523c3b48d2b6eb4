//! Writing report files atomically: a temporary file in the same folder, then a rename, so
//! a reader never sees a partial report.
//!
//! The temporary file is `.NAME.PID.tmp` beside `NAME`. It is removed when rendering or
//! writing fails, and when the run is interrupted (Ctrl-C, SIGTERM, SIGHUP: relcheck then
//! exits with 130). Only a kill that cannot be caught (SIGKILL, a power cut) can leave one
//! behind; `NAME` itself is then still the previous report, or absent, never a partial one.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, Once};

/// Temporary files being written, so an interrupt can remove them.
#[derive(Debug, Default)]
struct Pending {
    files: Vec<PathBuf>,
    /// Set by the interrupt handler: no new temporary file may be created.
    interrupted: bool,
}

impl Pending {
    /// Creates `tmp` and records it, unless the run was interrupted.
    fn create(&mut self, tmp: &Path) -> io::Result<File> {
        if self.interrupted {
            return Err(io::Error::new(io::ErrorKind::Interrupted, "interrupted"));
        }
        let file = File::create(tmp)?;
        self.files.push(tmp.to_path_buf());
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
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
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

/// Writes `path` with what `render` produces, replacing it only once everything is written.
pub fn write_atomic(
    path: &Path,
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    install_interrupt_cleanup();
    let file = pending().create(&tmp)?;
    let result = (|| {
        let mut w = BufWriter::new(file);
        render(&mut w)?;
        w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    pending().done(&tmp);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_nothing_behind_on_failure() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("report.json");
        write_atomic(&file, |w| w.write_all(b"one")).unwrap();
        assert_eq!(fs::read_to_string(&file).unwrap(), "one");
        let failed = write_atomic(&file, |w| {
            w.write_all(b"partial")?;
            Err(io::Error::other("interrupted"))
        });
        assert!(failed.is_err());
        assert_eq!(fs::read_to_string(&file).unwrap(), "one");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_folder_is_not_a_report_file() {
        let dir = tempfile::tempdir().unwrap();
        assert!(write_atomic(dir.path(), |w| w.write_all(b"x")).is_err());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn an_interrupt_removes_temporary_files_and_refuses_new_ones() {
        let dir = tempfile::tempdir().unwrap();
        let mut p = Pending::default();
        let tmp = dir.path().join(".report.sarif.1.tmp");
        let mut file = p.create(&tmp).unwrap();
        file.write_all(b"{\"partial").unwrap();
        p.interrupt();
        assert!(!tmp.exists());
        assert_eq!(
            p.create(&dir.path().join(".other.tmp")).unwrap_err().kind(),
            io::ErrorKind::Interrupted
        );
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
        // A file already renamed is left alone.
        let mut p = Pending::default();
        let tmp = dir.path().join(".done.tmp");
        drop(p.create(&tmp).unwrap());
        fs::rename(&tmp, dir.path().join("done")).unwrap();
        p.interrupt();
        assert!(dir.path().join("done").exists());
    }
}
