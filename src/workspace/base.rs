//! Manifests as they were at a git commit: `--baseline-ref` (a release's scope at the merge
//! base) and `--new-since` (a release, or a program with the products it named, at the merge
//! base, with the base's tree of its root written out so that its evidence is read as it was).

use std::path::{Path, PathBuf};

use super::{ProductProblem, folder_of, join_shown, not_a_product, product_path};
use crate::manifest::{self, LoadError, Manifest, Program, Release};
use crate::policy::{Plan, Selection};
use crate::settings;

/// A release's baseline read from git: the manifest at the merge base of the ref and `HEAD`
/// (`None`: it did not exist there, or was invalid).
pub struct RefBaseline {
    pub shown: String,
    pub release: Option<Box<Release>>,
    /// Why the manifest there is not compared (invalid there), for standard error.
    pub note: Option<String>,
}

/// A release as it was at the `--new-since` base: its manifest (absent or invalid: `None`) and
/// the base's tree of its root, written out to a temporary folder.
pub struct BaseManifest {
    /// The base commit; `None` when `HEAD` had no commit (every finding is new).
    pub commit: Option<String>,
    /// How it is named: `COMMIT:path` (its path there, a rename followed).
    pub shown: String,
    pub release: Option<(Box<Release>, Plan)>,
    /// The root in the base's tree, and the manifest's folder there.
    pub root: PathBuf,
    pub base: PathBuf,
    /// Why the manifest at the base is not compared (invalid there), for standard error.
    pub note: Option<String>,
    /// Keeps the written-out tree until the check is done.
    _tree: Option<tempfile::TempDir>,
}

impl BaseManifest {
    /// Nothing to compare with (`note`: why, for standard error).
    fn none(commit: Option<String>, shown: String, note: Option<String>) -> Self {
        BaseManifest {
            commit,
            shown,
            release: None,
            root: PathBuf::new(),
            base: PathBuf::new(),
            note,
            _tree: None,
        }
    }
}

/// A manifest file as it was at the `--new-since` base, before it is parsed.
enum AtBase {
    /// `HEAD` had no commit: every finding is new.
    NoHead,
    /// The file did not exist at the base commit; `shown` names where it was looked for.
    Absent { commit: String, shown: String },
    /// Its path there (a rename followed) and its text.
    Found {
        repo: crate::git::Repo,
        commit: String,
        from: String,
        text: String,
    },
}

/// Reads the manifest at `path` as it was at the merge base of `gitref` and `HEAD`.
fn read_at_base(gitref: &str, path: &Path, shown: &str) -> Result<AtBase, LoadError> {
    let fail = |message: String| LoadError::whole(shown, message);
    let option = "--new-since";
    let repo = crate::git::Repo::of(path, option, gitref).map_err(fail)?;
    let commit = match repo.merge_base(option, gitref).map_err(fail)? {
        crate::git::Base::Commit(c) => c,
        crate::git::Base::NoHead => return Ok(AtBase::NoHead),
    };
    let rel = repo.rel(path).ok_or_else(|| {
        fail(format!(
            "{option} '{gitref}': {} is outside its git repository",
            path.display()
        ))
    })?;
    match repo
        .file_at(&commit, &rel)
        .map_err(|e| fail(format!("{option} '{gitref}': {e}")))?
    {
        None => {
            let short: String = commit.chars().take(12).collect();
            Ok(AtBase::Absent {
                shown: format!("{short}:{rel} (absent at the base)"),
                commit,
            })
        }
        Some((from, text)) => Ok(AtBase::Found {
            repo,
            commit,
            from,
            text,
        }),
    }
}

/// A manifest at the `--new-since` base, parsed and planned as the head's is.
enum Parsed<T> {
    /// Nothing to compare with: `HEAD` had no commit (`commit` is `None`), the file was
    /// absent there, or it was invalid there (`note`, for standard error).
    Nothing {
        commit: Option<String>,
        shown: String,
        note: Option<String>,
    },
    Found(Found<T>),
}

/// The manifest of the kind wanted at the base, its plan, and where it was (`shown`:
/// `COMMIT:path`).
struct Found<T> {
    repo: crate::git::Repo,
    commit: String,
    from: String,
    shown: String,
    manifest: Box<T>,
    plan: Plan,
}

/// Reads the manifest at `path` at the base, under the work tree's settings file (`shared`),
/// and plans it; `kind` takes the manifest of the kind wanted or names the kind it was.
fn parse_at_base<T>(
    (gitref, path, shown): (&str, &Path, &str),
    selection: &Selection,
    shared: Option<&settings::Settings>,
    kind: fn(Manifest) -> Result<Box<T>, &'static str>,
) -> Result<Parsed<T>, LoadError> {
    let (repo, commit, from, text) = match read_at_base(gitref, path, shown)? {
        AtBase::NoHead => {
            return Ok(Parsed::Nothing {
                commit: None,
                shown: format!("{gitref} (no commit yet)"),
                note: None,
            });
        }
        AtBase::Absent { commit, shown } => {
            return Ok(Parsed::Nothing {
                commit: Some(commit),
                shown,
                note: None,
            });
        }
        AtBase::Found {
            repo,
            commit,
            from,
            text,
        } => (repo, commit, from, text),
    };
    let short: String = commit.chars().take(12).collect();
    let at_shown = format!("{short}:{from}");
    let invalid = |e: &dyn std::fmt::Display| Parsed::Nothing {
        commit: Some(commit.clone()),
        shown: at_shown.clone(),
        note: Some(invalid_note(gitref, e)),
    };
    // The work tree's settings file applies at the base too.
    let mut parsed = match manifest::parse(&text, &at_shown) {
        Ok(m) => m,
        Err(e) => return Ok(invalid(&LoadError::first_of(e))),
    };
    settings::apply(&mut parsed, shared);
    let plan = Plan::new(
        &at_shown,
        parsed.policy().map(|p| &p.value),
        parsed.waivers(),
        selection,
    );
    let manifest = match kind(parsed) {
        Ok(m) => m,
        Err(was) => return Ok(invalid(&format!("{at_shown} was {was} at the base"))),
    };
    let plan = match plan {
        Ok(plan) => plan,
        Err(e) => return Ok(invalid(&e)),
    };
    Ok(Parsed::Found(Found {
        repo,
        commit,
        from,
        shown: at_shown,
        manifest,
        plan,
    }))
}

/// Where a manifest's paths resolve at the base: the base's tree of its root written out to
/// a temporary folder (the tree, the root in it, the manifest's folder in it). A root outside
/// the repository (or above its top) keeps the work tree's files.
fn base_tree(
    repo: &crate::git::Repo,
    commit: &str,
    (root, path, from): (&Path, &Path, &str),
    shown: &str,
    gitref: &str,
) -> Result<(Option<tempfile::TempDir>, PathBuf, PathBuf), LoadError> {
    let fail = |message: String| LoadError::whole(shown, message);
    let Some(root_rel) = repo.rel(root).filter(|r| !r.starts_with("..")) else {
        return Ok((None, root.to_path_buf(), folder_of(path)));
    };
    let tree = tempfile::tempdir().map_err(|e| fail(format!("temporary folder: {e}")))?;
    repo.write_tree(commit, &root_rel, tree.path())
        .map_err(|e| fail(format!("--new-since '{gitref}': {e}")))?;
    let base_root = tree.path().join(&root_rel);
    let base_dir = tree.path().join(folder_of(Path::new(from)));
    for dir in [&base_root, &base_dir] {
        std::fs::create_dir_all(dir).map_err(|e| fail(format!("temporary folder: {e}")))?;
    }
    Ok((Some(tree), base_root, base_dir))
}

/// Reads the release at `path` (confined to `root`) as it was at the merge base of `gitref`
/// and `HEAD`, with its root's files from the base's tree.
pub(super) fn base_manifest(
    gitref: &str,
    path: &Path,
    shown: &str,
    root: &Path,
    selection: &Selection,
    shared: Option<&settings::Settings>,
) -> Result<BaseManifest, LoadError> {
    let release = |m| match m {
        Manifest::Release(release) => Ok(release),
        Manifest::Program(_) => Err("a program manifest"),
    };
    let Found {
        repo,
        commit,
        from,
        shown: at_shown,
        manifest: release,
        plan,
    } = match parse_at_base((gitref, path, shown), selection, shared, release)? {
        Parsed::Nothing {
            commit,
            shown,
            note,
        } => return Ok(BaseManifest::none(commit, shown, note)),
        Parsed::Found(found) => found,
    };
    let (tree, base_root, base_dir) =
        base_tree(&repo, &commit, (root, path, &from), shown, gitref)?;
    Ok(BaseManifest {
        commit: Some(commit),
        shown: at_shown,
        release: Some((release, plan)),
        root: base_root,
        base: base_dir,
        note: None,
        _tree: tree,
    })
}

/// The note for standard error about a manifest invalid at the base.
fn invalid_note(gitref: &str, e: &dyn std::fmt::Display) -> String {
    format!("note: --new-since '{gitref}': {e}; the manifest is compared as if absent at the base")
}

/// A program as it was at the `--new-since` base: its manifest (absent or invalid: `None`)
/// and the products that manifest names, read from the base's tree.
pub struct BaseProgram {
    /// The base commit; `None` when `HEAD` had no commit (every finding is new).
    pub commit: Option<String>,
    /// How it is named: `COMMIT:path` (its path there, a rename followed).
    pub shown: String,
    pub program: Option<(Box<Program>, Plan)>,
    /// Parallel to the base program's products.
    pub products: Vec<BaseProduct>,
    /// Why the manifest at the base is not compared (invalid there), for standard error.
    pub note: Option<String>,
    /// Keeps the written-out tree until the check is done.
    _tree: Option<tempfile::TempDir>,
}

impl BaseProgram {
    /// Nothing to compare with (`note`: why, for standard error).
    fn none(commit: Option<String>, shown: String, note: Option<String>) -> Self {
        BaseProgram {
            commit,
            shown,
            program: None,
            products: Vec::new(),
            note,
            _tree: None,
        }
    }
}

/// A product of a program as it was at the base: its release there, or why it had none.
pub struct BaseProduct {
    /// As reports name the product's manifest (the program's folder now, joined with its
    /// `manifest` at the base), so that unchanged findings keep their messages.
    pub shown: String,
    pub release: Result<BaseRelease, ProductProblem>,
}

/// A product's release at the base, and where its paths resolve.
pub struct BaseRelease {
    pub release: Box<Release>,
    pub plan: Plan,
    /// Its folder in the base's tree: its root, and what its paths are relative to.
    pub dir: PathBuf,
    /// The same folder in the work tree, where the paths the base's tree lacks resolve.
    pub fallback: PathBuf,
}

/// Reads the program at `path` (its products confined to `root`) as it was at the merge base
/// of `gitref` and `HEAD`, with its products' manifests and files from the base's tree.
pub(super) fn base_program(
    gitref: &str,
    path: &Path,
    shown: &str,
    root: &Path,
    selection: &Selection,
    shared: Option<&settings::Settings>,
    (command_line, finder): (&Selection, &settings::Finder),
) -> Result<BaseProgram, LoadError> {
    let program = |m| match m {
        Manifest::Program(program) => Ok(program),
        Manifest::Release(_) => Err("a release manifest"),
    };
    let Found {
        repo,
        commit,
        from,
        shown: at_shown,
        manifest: program,
        plan,
    } = match parse_at_base((gitref, path, shown), selection, shared, program)? {
        Parsed::Nothing {
            commit,
            shown,
            note,
        } => return Ok(BaseProgram::none(commit, shown, note)),
        Parsed::Found(found) => found,
    };
    let (tree, base_root, base_dir) =
        base_tree(&repo, &commit, (root, path, &from), shown, gitref)?;
    // The work tree's folder of a folder in the base's tree, for evidence the tree lacks.
    let tree_top = tree.as_ref().and_then(|t| t.path().canonicalize().ok());
    let top = repo.top().to_path_buf();
    let in_work_tree = |dir: &Path| match &tree_top {
        Some(t) => dir
            .strip_prefix(t)
            .map_or_else(|_| dir.to_path_buf(), |r| top.join(r)),
        None => dir.to_path_buf(),
    };
    let products = program
        .info
        .products
        .iter()
        .map(|product| {
            let product_shown = join_shown(shown, &product.manifest);
            let release = product_path(&base_dir, &base_root, &product.manifest, &product_shown)
                .and_then(|path| {
                    // Under the settings file nearest the product's folder in the work tree.
                    let shared = finder
                        .find(&in_work_tree(&path))
                        .map_err(ProductProblem::Invalid)?;
                    let selection = settings::selection(shared.as_deref(), command_line);
                    let (release, plan) =
                        load_product(&path, &product_shown, &selection, shared.as_deref())?;
                    let dir = folder_of(&path);
                    Ok(BaseRelease {
                        release,
                        plan,
                        fallback: in_work_tree(&dir),
                        dir,
                    })
                });
            BaseProduct {
                shown: product_shown,
                release,
            }
        })
        .collect();
    Ok(BaseProgram {
        commit: Some(commit),
        shown: at_shown,
        program: Some((program, plan)),
        products,
        note: None,
        _tree: tree,
    })
}

/// Loads and plans a product's release manifest (a program there is invalid).
fn load_product(
    path: &Path,
    shown: &str,
    selection: &Selection,
    shared: Option<&settings::Settings>,
) -> Result<(Box<Release>, Plan), ProductProblem> {
    let invalid = ProductProblem::Invalid;
    // In the order a product is loaded at the head, so that its load error reads the same.
    let mut manifest = manifest::load(path, shown).map_err(|e| invalid(LoadError::first_of(e)))?;
    settings::apply(&mut manifest, shared);
    let plan = Plan::new(
        shown,
        manifest.policy().map(|p| &p.value),
        manifest.waivers(),
        selection,
    )
    .map_err(invalid)?;
    match manifest {
        Manifest::Release(release) => Ok((release, plan)),
        Manifest::Program(_) => Err(invalid(not_a_product(shown))),
    }
}

/// The release at `path` as it was at the merge base of `gitref` and `HEAD` (as
/// `--new-since` reads it: a rename followed, the size limits of a file), loaded as strictly
/// as the manifest. Absent there, or invalid there (noted for standard error), it has an
/// empty scope.
pub(super) fn baseline_at(
    gitref: &str,
    path: &Path,
    shown: &str,
) -> Result<RefBaseline, LoadError> {
    let fail = |message: String| LoadError::whole(shown, message);
    let option = "--baseline-ref";
    let repo = crate::git::Repo::of(path, option, gitref).map_err(fail)?;
    let rel = repo.rel(path).ok_or_else(|| {
        fail(format!(
            "{option} '{gitref}': {} is outside its git repository",
            path.display()
        ))
    })?;
    let commit = match repo.merge_base(option, gitref).map_err(fail)? {
        crate::git::Base::Commit(c) => c,
        crate::git::Base::NoHead => {
            return Ok(RefBaseline {
                shown: format!("{gitref}:{rel} (no commit yet)"),
                release: None,
                note: None,
            });
        }
    };
    // Named by the ref when the base is the commit it names (a branch up to date with it),
    // by the base's commit otherwise.
    let label = if repo.resolve(gitref).map_err(fail)?.as_deref() == Some(commit.as_str()) {
        gitref.to_owned()
    } else {
        commit.chars().take(12).collect()
    };
    let Some(from) = repo
        .path_at(&commit, &rel)
        .map_err(|e| fail(format!("{option} '{gitref}': {e}")))?
    else {
        return Ok(RefBaseline {
            shown: format!("{label}:{rel} (absent at that commit)"),
            release: None,
            note: None,
        });
    };
    let at = format!("{label}:{from}");
    let text = repo
        .text_at(&commit, &from)
        .map_err(|message| LoadError::whole(&at, message))?;
    let invalid = |e: &dyn std::fmt::Display| RefBaseline {
        shown: format!("{at} (invalid at that commit)"),
        release: None,
        note: Some(format!(
            "note: {option} '{gitref}': {e}; the manifest is compared with an empty scope"
        )),
    };
    match manifest::parse(&text, &at) {
        Ok(Manifest::Release(release)) => {
            match Plan::new(
                &at,
                release.policy.as_deref(),
                &release.waivers,
                &Selection::default(),
            ) {
                Ok(_) => Ok(RefBaseline {
                    shown: at,
                    release: Some(release),
                    note: None,
                }),
                Err(e) => Ok(invalid(&e)),
            }
        }
        Ok(Manifest::Program(_)) => Ok(invalid(&format!(
            "{at} was a program manifest at that commit, not a release manifest"
        ))),
        Err(e) => Ok(invalid(&LoadError::first_of(e))),
    }
}
