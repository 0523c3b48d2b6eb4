//! Loading everything one `relcheck check` run looks at into a [`Workspace`]: the manifests
//! named on the command line and, for each program, its products' manifests, each loaded
//! once (a product also named on the command line is not loaded twice).
//!
//! Releases are addressed by index: a program's products refer to the releases they loaded
//! as, so checking walks plain vectors and never depends on two loops visiting things in the
//! same order.
//!
//! What a manifest was at a git commit (`--baseline-ref`, `--new-since`) is read in `base`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::discover::Target;
use crate::evidence::Missing;
use crate::evidence::paths::{Escape, NodeKind, Resolved, Root};
use crate::manifest::{self, Date, LoadError, Manifest, Program, Release};
use crate::par::par_map;
use crate::policy::{Plan, Selection};
use crate::settings;

mod base;

pub use base::{BaseManifest, BaseProduct, BaseProgram, BaseRelease, RefBaseline};
use base::{base_manifest, base_program, baseline_at};

/// How a run compares releases with a baseline (RC108).
#[derive(Clone, Copy)]
pub enum BaselineSpec<'s> {
    /// `--baseline FILE`: one frozen copy for every release, as shown.
    File(&'s Release, &'s str),
    /// `--baseline-ref GITREF`: each release as it was at the merge base of GITREF and
    /// `HEAD`.
    GitRef(&'s str),
}

/// A release manifest that loaded and passed its configuration checks.
pub struct LoadedRelease {
    /// The manifest file as it was opened.
    pub path: PathBuf,
    /// The manifest as reports name it.
    pub shown: String,
    /// The folder its paths must stay in (the manifest's folder, or `--root`).
    pub root: PathBuf,
    /// The manifest's folder: its relative paths resolve against it.
    pub base: PathBuf,
    pub release: Box<Release>,
    pub plan: Plan,
    /// With `--baseline-ref`: the release as it was at the merge base.
    pub baseline: Option<RefBaseline>,
    /// With `--new-since`: the release as it was at the base commit.
    pub at_base: Option<Box<BaseManifest>>,
    /// The date of the program it ships in, when it was loaded as a program's product: its
    /// milestones are capped at it (one train, one date).
    pub program_date: Option<Date>,
    /// With `--new-since`, for a product: the date of its program at the base, when the
    /// program was one there and named a product of the same id. The release at the base is
    /// capped at it.
    pub base_program_date: Option<Date>,
}

/// Why a program cannot be a product.
fn not_a_product(shown: &str) -> LoadError {
    LoadError::whole(
        shown,
        "a product's manifest must be a release manifest, not a program",
    )
}

/// Why a program's product could not be checked.
pub enum ProductProblem {
    Missing,
    Invalid(LoadError),
    /// How the path leaves the program's folder (absolute, `..`, a symlink).
    OutsideRoot(Escape),
}

/// A product of a program: the release it loaded as, or why it did not.
pub struct Product {
    /// The product's manifest as reports name it (the program's folder joined with it).
    pub shown: String,
    /// An index into [`Workspace::releases`].
    pub release: Result<usize, ProductProblem>,
}

/// A program manifest that loaded, with its products.
pub struct LoadedProgram {
    /// The manifest file as it was opened.
    pub path: PathBuf,
    pub shown: String,
    pub root: PathBuf,
    pub program: Box<Program>,
    pub plan: Plan,
    /// Parallel to the program's `products`.
    pub products: Vec<Product>,
    /// With `--new-since`: the program as it was at the base commit.
    pub at_base: Option<Box<BaseProgram>>,
}

/// What a run reports, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A release named on the command line (not a product of a program of the run).
    Release(usize),
    /// A program: its products' reports come first, then its own.
    Program(usize),
}

/// Everything one run checks.
#[derive(Default)]
pub struct Workspace {
    pub releases: Vec<LoadedRelease>,
    pub programs: Vec<LoadedProgram>,
    /// The report order: targets in the order given.
    pub entries: Vec<Entry>,
    /// Why targets could not be loaded, in target order: each is a manifest not checked.
    pub errors: Vec<LoadError>,
}

/// What loading needs from the run's settings.
pub struct LoadSettings<'s> {
    pub selection: &'s Selection,
    /// `--root`: replaces the folder of the manifests named on the command line as the root
    /// their paths must stay in.
    pub root: Option<&'s Path>,
    pub baseline: Option<BaselineSpec<'s>>,
    /// `--new-since GITREF`: each release is also read as it was at the merge base.
    pub new_since: Option<&'s str>,
    /// `--isolated`: no settings file is read.
    pub isolated: bool,
}

impl Workspace {
    /// With `--new-since`: the base commit (the first manifest's repository's), `None` when
    /// `HEAD` had no commit.
    pub fn base_commit(&self) -> Option<&str> {
        let releases = self
            .releases
            .iter()
            .filter_map(|r| r.at_base.as_ref())
            .map(|b| b.commit.as_deref());
        let programs = self
            .programs
            .iter()
            .filter_map(|p| p.at_base.as_ref())
            .map(|b| b.commit.as_deref());
        releases.chain(programs).next().flatten()
    }

    /// Notes for standard error: manifests that were invalid at the base (`--new-since`) or
    /// at the `--baseline-ref` base.
    pub fn notes(&self) -> impl Iterator<Item = &str> {
        let releases = self.releases.iter().flat_map(|r| {
            let baseline = r.baseline.as_ref().and_then(|b| b.note.as_deref());
            let at_base = r.at_base.as_ref().and_then(|b| b.note.as_deref());
            baseline.into_iter().chain(at_base)
        });
        let programs = self
            .programs
            .iter()
            .filter_map(|p| p.at_base.as_ref().and_then(|b| b.note.as_deref()));
        releases.chain(programs)
    }
    /// Every manifest file the workspace holds.
    pub fn manifest_files(&self) -> impl Iterator<Item = &Path> {
        self.releases
            .iter()
            .map(|r| r.path.as_path())
            .chain(self.programs.iter().map(|p| p.path.as_path()))
    }
}

fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A manifest loaded and planned (policy and waivers are validated here), not yet sorted
/// into releases and programs.
enum Planned {
    Release(LoadedRelease),
    Program {
        path: PathBuf,
        shown: String,
        root: PathBuf,
        program: Box<Program>,
        plan: Plan,
        at_base: Option<Box<BaseProgram>>,
    },
}

/// Loads the manifest at `path`, or from `read` when its bytes were read already (standard
/// input: `path` is then `-`, so its folder is the current one).
fn load_one(
    path: &Path,
    read: Option<&[u8]>,
    shown: &str,
    root: PathBuf,
    settings: &LoadSettings<'_>,
    finder: &settings::Finder,
) -> Result<Planned, Vec<LoadError>> {
    let mut manifest = match read {
        Some(bytes) => manifest::load_bytes(bytes, shown)?,
        None => manifest::load(path, shown)?,
    };
    // The nearest settings file's policy and options, under the manifest's and the command
    // line's (src/settings/).
    let shared = finder.find(path)?;
    settings::apply(&mut manifest, shared.as_deref());
    let selection = settings::selection(shared.as_deref(), settings.selection);
    let plan = Plan::new(
        shown,
        manifest.policy().map(|p| &p.value),
        manifest.waivers(),
        &selection,
    )?;
    Ok(match manifest {
        Manifest::Release(release) => {
            let baseline = match settings.baseline {
                Some(BaselineSpec::GitRef(gitref)) => Some(baseline_at(gitref, path, shown)?),
                _ => None,
            };
            let at_base = match settings.new_since {
                Some(gitref) => Some(Box::new(base_manifest(
                    gitref,
                    path,
                    shown,
                    &root,
                    &selection,
                    shared.as_deref(),
                )?)),
                None => None,
            };
            Planned::Release(LoadedRelease {
                path: path.to_path_buf(),
                shown: shown.to_owned(),
                root,
                base: folder_of(path),
                release,
                plan,
                baseline,
                at_base,
                program_date: None,
                base_program_date: None,
            })
        }
        Manifest::Program(program) => {
            let at_base = match settings.new_since {
                Some(gitref) => Some(Box::new(base_program(
                    gitref,
                    path,
                    shown,
                    &root,
                    &selection,
                    shared.as_deref(),
                    (settings.selection, finder),
                )?)),
                None => None,
            };
            Planned::Program {
                path: path.to_path_buf(),
                shown: shown.to_owned(),
                root,
                program,
                plan,
                at_base,
            }
        }
    })
}

/// Loads the `--baseline` manifest exactly as strictly as a manifest to check (the loader,
/// then the policy and waiver checks); it must be a release manifest. Errors name the file
/// as the user gave it (`shown`), with line and column.
pub fn load_baseline(path: &Path, shown: &str) -> Result<Box<Release>, LoadError> {
    let error = |pos, message: &str| LoadError {
        shown: shown.to_owned(),
        pos,
        message: message.to_owned(),
    };
    if !path.exists() {
        return Err(error(None, "no such file (given with --baseline)"));
    }
    match manifest::load(path, shown).map_err(LoadError::first_of)? {
        Manifest::Release(release) => {
            Plan::new(
                shown,
                release.policy.as_deref(),
                &release.waivers,
                &Selection::default(),
            )?;
            Ok(release)
        }
        Manifest::Program(program) => Err(error(
            Some(program.info.pos),
            "a program manifest cannot be a --baseline: give the frozen copy of a release manifest",
        )),
    }
}

/// Resolves a product's `manifest` against the program's folder, confined to `root` exactly
/// as the evidence layer confines every other path (RC004): the canonical file, or why not.
/// `shown` is how errors name the manifest: something that exists but is no file to read (a
/// folder, a named pipe, a device, a symlink loop) cannot be loaded, rather than missing.
fn product_path(
    program_dir: &Path,
    root: &Path,
    manifest: &str,
    shown: &str,
) -> Result<PathBuf, ProductProblem> {
    let unreadable =
        |message: String| Err(ProductProblem::Invalid(LoadError::whole(shown, message)));
    match Root::new(root, program_dir).resolve(manifest) {
        Resolved::Node {
            path,
            kind: NodeKind::File,
            ..
        } => Ok(path),
        Resolved::Outside(escape) => Err(ProductProblem::OutsideRoot(escape)),
        Resolved::Missing(Missing::NotFound | Missing::NotAFolder { .. }) => {
            Err(ProductProblem::Missing)
        }
        Resolved::Node {
            kind: NodeKind::Folder,
            ..
        } => unreadable("is a folder, not a manifest file".to_owned()),
        Resolved::Missing(Missing::Special(what)) => unreadable(format!(
            "is {what}, not a regular file; relcheck never opens it"
        )),
        Resolved::Missing(other) => unreadable(other.describe()),
    }
}

/// How reports name a product's manifest: the program's folder joined with `manifest`.
fn join_shown(program_shown: &str, manifest: &str) -> String {
    match Path::new(program_shown).parent() {
        Some(dir) if !dir.as_os_str().is_empty() => format!("{}/{manifest}", dir.display()),
        _ => manifest.to_owned(),
    }
}

/// A product a program names: its manifest's path resolved and confined, or why not.
struct ProductPath {
    program: usize,
    shown: String,
    path: Result<PathBuf, ProductProblem>,
}

/// Loads every target, then every program's products (a product also named as a target is
/// loaded once, and reported as the product). Targets that cannot be loaded are in `errors`.
pub fn load(targets: &[Target], settings: &LoadSettings<'_>) -> Workspace {
    let finder = settings::Finder::with_isolated(settings.isolated);
    let results = par_map(targets, |t| {
        let root = settings
            .root
            .map_or_else(|| folder_of(&t.path), Path::to_path_buf);
        load_one(
            &t.path,
            t.stdin.as_deref(),
            &t.shown,
            root,
            settings,
            &finder,
        )
    });
    let mut ws = Workspace::default();
    // Per target: its entry, and for a release its canonical path (to find products in it).
    let mut target_releases: HashMap<PathBuf, usize> = HashMap::new();
    let mut target_of_release: Vec<Option<usize>> = Vec::new();
    let mut programs = Vec::new();
    for (t, r) in targets.iter().zip(results) {
        match r {
            Ok(Planned::Release(release)) => {
                let i = ws.releases.len();
                ws.releases.push(release);
                target_of_release.push(Some(ws.entries.len()));
                ws.entries.push(Entry::Release(i));
                let real = t.path.canonicalize().unwrap_or_else(|_| t.path.clone());
                target_releases.entry(real).or_insert(i);
            }
            Ok(Planned::Program {
                path,
                shown,
                root,
                program,
                plan,
                at_base,
            }) => {
                ws.entries.push(Entry::Program(programs.len()));
                programs.push((t, path, shown, root, program, plan, at_base));
            }
            // A broken settings file is one error, however many manifests it applies to.
            Err(errors) => {
                for e in errors {
                    if !ws.errors.contains(&e) {
                        ws.errors.push(e);
                    }
                }
            }
        }
    }

    // The products every program names, resolved and confined to the program's root.
    let mut wanted = Vec::new();
    for (i, (target, _, shown, root, program, _, _)) in programs.iter().enumerate() {
        let program_dir = folder_of(&target.path);
        for product in program.info.products.iter() {
            let product_shown = join_shown(shown, &product.manifest);
            let path = product_path(&program_dir, root, &product.manifest, &product_shown);
            wanted.push(ProductPath {
                program: i,
                shown: product_shown,
                path,
            });
        }
    }
    // A product that is also a target is that target's release (the first product naming
    // it claims it; it is reported as that product, inside its program).
    let mut claimed: HashMap<usize, usize> = HashMap::new(); // release -> wanted
    for (w, want) in wanted.iter().enumerate() {
        if let Some(&i) = want.path.as_ref().ok().and_then(|p| target_releases.get(p)) {
            claimed.entry(i).or_insert(w);
        }
    }
    let mut source: Vec<Option<usize>> = vec![None; wanted.len()];
    for (&release, &w) in &claimed {
        source[w] = Some(release);
        let r = &mut ws.releases[release];
        r.shown.clone_from(&wanted[w].shown);
        // A product's paths resolve against its own folder, whatever --root says.
        r.root = r.base.clone();
        r.program_date = Some(*programs[wanted[w].program].4.info.date);
        if let Some(entry) = target_of_release[release] {
            ws.entries[entry] = Entry::Release(usize::MAX);
        }
    }
    ws.entries.retain(|e| *e != Entry::Release(usize::MAX));

    let jobs: Vec<(&ProductPath, bool)> = wanted
        .iter()
        .zip(&source)
        .map(|(w, s)| (w, s.is_some()))
        .collect();
    let loads = par_map(&jobs, |&(want, is_claimed)| {
        let path = match &want.path {
            Ok(path) => path,
            Err(ProductProblem::OutsideRoot(e)) => {
                return Some(Err(ProductProblem::OutsideRoot(e.clone())));
            }
            Err(ProductProblem::Invalid(e)) => {
                return Some(Err(ProductProblem::Invalid(e.clone())));
            }
            Err(ProductProblem::Missing) => return Some(Err(ProductProblem::Missing)),
        };
        if is_claimed {
            return None;
        }
        Some(
            match load_one(path, None, &want.shown, folder_of(path), settings, &finder) {
                Ok(Planned::Release(release)) => Ok(release),
                Ok(Planned::Program { .. }) => {
                    Err(ProductProblem::Invalid(not_a_product(&want.shown)))
                }
                Err(e) => Err(ProductProblem::Invalid(LoadError::first_of(e))),
            },
        )
    });

    let mut products: Vec<Vec<Product>> = programs.iter().map(|_| Vec::new()).collect();
    for ((want, load), claimed) in wanted.into_iter().zip(loads).zip(source) {
        let release = match (claimed, load) {
            (Some(i), _) => Ok(i),
            (None, Some(Ok(mut release))) => {
                release.program_date = Some(*programs[want.program].4.info.date);
                ws.releases.push(release);
                Ok(ws.releases.len() - 1)
            }
            (None, Some(Err(problem))) => Err(problem),
            (None, None) => Err(ProductProblem::Missing),
        };
        products[want.program].push(Product {
            shown: want.shown,
            release,
        });
    }
    ws.programs = programs
        .into_iter()
        .zip(products)
        .map(
            |((_, path, shown, root, program, plan, at_base), products)| LoadedProgram {
                path,
                shown,
                root,
                program,
                plan,
                products,
                at_base,
            },
        )
        .collect();
    cap_products_at_base(&mut ws);
    ws
}

/// With `--new-since`: each product's release at the base is capped at its program's date at
/// the base, when the program was one there and named a product of the same id.
fn cap_products_at_base(ws: &mut Workspace) {
    for p in &ws.programs {
        let Some((base, _)) = p.at_base.as_ref().and_then(|b| b.program.as_ref()) else {
            continue;
        };
        let ids: std::collections::HashSet<&str> =
            base.info.products.iter().map(|x| x.id.as_str()).collect();
        for (product, wanted) in p.products.iter().zip(p.program.info.products.iter()) {
            if let (&Ok(i), true) = (&product.release, ids.contains(wanted.id.as_str())) {
                ws.releases[i].base_program_date = Some(*base.info.date);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_paths_stay_in_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::write(root.join("a/release.yaml"), "relcheck: 1\n").unwrap();
        let resolve = |p| product_path(root, root, p, p);
        assert!(resolve("a/release.yaml").is_ok());
        assert!(resolve("a/../a/release.yaml").is_ok());
        let outside = |p| matches!(resolve(p), Err(ProductProblem::OutsideRoot(_)));
        assert!(outside("../x/release.yaml"));
        assert!(outside("a/../../x.yaml"));
        assert!(outside("/etc/passwd"));
        assert!(matches!(
            resolve("b/release.yaml"),
            Err(ProductProblem::Missing)
        ));
        assert!(matches!(
            resolve("a/release.yaml/x.yaml"),
            Err(ProductProblem::Missing)
        ));
        let unreadable = |p| match resolve(p) {
            Err(ProductProblem::Invalid(e)) => e.to_string(),
            _ => panic!("{p} is not unreadable"),
        };
        assert_eq!(unreadable("a"), "a: is a folder, not a manifest file");
        #[cfg(unix)]
        {
            let elsewhere = tempfile::tempdir().unwrap();
            std::fs::write(elsewhere.path().join("release.yaml"), "relcheck: 1\n").unwrap();
            std::os::unix::fs::symlink(elsewhere.path(), root.join("link")).unwrap();
            assert!(outside("link/release.yaml"));
            std::os::unix::fs::symlink("loop-b.yaml", root.join("loop-a.yaml")).unwrap();
            std::os::unix::fs::symlink("loop-a.yaml", root.join("loop-b.yaml")).unwrap();
            assert_eq!(
                unreadable("loop-a.yaml"),
                "loop-a.yaml: is a symlink loop (more than 40 links followed)"
            );
            let fifo = std::process::Command::new("mkfifo")
                .arg(root.join("fifo.yaml"))
                .status()
                .unwrap();
            assert!(fifo.success());
            assert_eq!(
                unreadable("fifo.yaml"),
                "fifo.yaml: is a named pipe (FIFO), not a regular file; relcheck never opens it"
            );
        }
    }

    #[test]
    fn shown_paths_join_the_program_folder() {
        assert_eq!(
            join_shown("releases/program.yaml", "web/release.yaml"),
            "releases/web/release.yaml"
        );
        assert_eq!(
            join_shown("program.yaml", "web/release.yaml"),
            "web/release.yaml"
        );
    }
}
