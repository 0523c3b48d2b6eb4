//! The files of one run, each read at most once, shareable across threads.

use crate::hash::Map;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use super::coverage::Cobertura;
use super::files::{self, FileFacts, FolderFacts};
use super::junit::{Counts, Selector};
use super::paths::Root;

type Slot<T> = Arc<OnceLock<Arc<T>>>;
/// What a selection counted in one report, or why it could not.
type Selected = Result<Counts, String>;

/// Files (and folder walks) of one run, each read at most once; shareable across threads.
#[derive(Debug, Default)]
pub struct Cache {
    files: Mutex<Map<PathBuf, Slot<FileFacts>>>,
    /// Keyed by (root, folder): what a walk may follow depends on the root.
    folders: Mutex<Map<(PathBuf, PathBuf), Slot<FolderFacts>>>,
    /// A report's test cases a test's `cases` select, keyed by (file, selector).
    selections: Mutex<Map<(PathBuf, Selector), Slot<Selected>>>,
    /// Coverage reports, parsed, keyed by file.
    coverage: Mutex<Map<PathBuf, Slot<Parsed>>>,
    reads: AtomicUsize,
}

/// A coverage report, or why it could not be read (RC013).
type Parsed = Result<Cobertura, String>;

impl Cache {
    pub fn new() -> Self {
        Cache::default()
    }

    /// How many files have been opened and read so far.
    pub fn files_read(&self) -> usize {
        self.reads.load(Ordering::Relaxed)
    }

    /// Every file read (or about to be) so far, as resolved inside its root.
    pub fn files(&self) -> Vec<PathBuf> {
        self.files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .keys()
            .cloned()
            .collect()
    }

    pub(super) fn file(&self, path: &Path, meta: &std::fs::Metadata) -> Arc<FileFacts> {
        let slot = self
            .files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(path.to_path_buf())
            .or_default()
            .clone();
        // The lock is released: other files are read meanwhile; readers of this one wait.
        slot.get_or_init(|| {
            self.reads.fetch_add(1, Ordering::Relaxed);
            Arc::new(files::read_file(path, meta))
        })
        .clone()
    }

    /// The counts of the cases `selector` selects in the report read as `facts`: a second
    /// streaming pass over that file, once per selector and run.
    pub(super) fn selected(&self, facts: &FileFacts, selector: &Selector) -> Arc<Selected> {
        let slot = self
            .selections
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry((facts.path.clone(), selector.clone()))
            .or_default()
            .clone();
        slot.get_or_init(|| {
            self.reads.fetch_add(1, Ordering::Relaxed);
            Arc::new(files::read_selected(facts, selector))
        })
        .clone()
    }

    /// The coverage report read as `facts`, parsed once per run (a second streaming pass).
    pub(super) fn coverage(&self, facts: &FileFacts) -> Arc<Parsed> {
        let slot = self
            .coverage
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(facts.path.clone())
            .or_default()
            .clone();
        slot.get_or_init(|| {
            self.reads.fetch_add(1, Ordering::Relaxed);
            Arc::new(files::read_coverage(facts))
        })
        .clone()
    }

    pub(super) fn folder(&self, root: &Root, dir: &Path) -> Arc<FolderFacts> {
        let key = (
            root.canonical().map(Path::to_path_buf).unwrap_or_default(),
            dir.to_path_buf(),
        );
        let slot = self
            .folders
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(key)
            .or_default()
            .clone();
        slot.get_or_init(|| Arc::new(files::walk_folder(root, dir)))
            .clone()
    }
}
