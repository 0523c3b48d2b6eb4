//! The stages of `relcheck check` for any number of manifests: load them all (a program's
//! products too), check them, in parallel where they are independent, and collect one
//! [`ManifestReport`] per manifest in a deterministic order.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::context::{Context, ProgramContext};
use crate::discover::Target;
use crate::engine::{self, Plan, Selection};
use crate::evidence::Cache;
use crate::evidence::Missing;
use crate::evidence::paths::{Escape, NodeKind, Resolved, Root};
use crate::manifest::{self, Date, LoadError, Manifest, Release};
use crate::program::ProductStatus;
use crate::report::{Checked, ManifestReport};
use crate::rule::Severity;

/// What every manifest of a run is checked with.
pub struct Settings<'s> {
    pub selection: &'s Selection,
    pub today: Date,
    pub strict: bool,
    /// `--root`: replaces the folder of the manifests named on the command line as the
    /// root their paths must stay in.
    pub root: Option<&'s Path>,
    /// Files read for evidence, shared by every manifest of the run (each read once).
    pub cache: &'s Cache,
    /// `--baseline`: the frozen copy every release is compared with (RC108), as shown.
    pub baseline: Option<BaselineSpec<'s>>,
}

/// What RC108 compares each release with.
#[derive(Clone, Copy)]
pub enum BaselineSpec<'s> {
    /// `--baseline FILE`: one frozen copy for every release, as shown.
    File(&'s Release, &'s str),
    /// `--baseline-ref GITREF`: each release as it was at that commit.
    GitRef(&'s str),
}

/// A release's baseline read from git: the manifest at the ref (`None`: it did not exist).
pub struct RefBaseline {
    pub shown: String,
    pub release: Option<Box<Release>>,
}

/// A manifest that loaded and passed its configuration checks.
pub struct Loaded {
    /// The manifest as reports name it.
    pub shown: String,
    /// The folder its paths must stay in (the manifest's folder, or `--root`).
    pub root: PathBuf,
    /// The manifest's folder: its relative paths resolve against it (`manifest.md`).
    pub base: PathBuf,
    pub manifest: Manifest,
    pub plan: Plan,
    /// With `--baseline-ref`: the release as it was at that commit.
    pub baseline: Option<RefBaseline>,
}

/// Why a program's product could not be checked.
pub enum ProductProblem {
    Missing,
    Invalid(LoadError),
    /// How the path leaves the program's folder (absolute, `..`, a symlink).
    OutsideRoot(Escape),
}

/// A product of a program: its manifest, loaded or not.
pub struct ProductLoad {
    pub shown: String,
    pub result: Result<Loaded, ProductProblem>,
}

/// One thing to check and report: a release, or a program with its products.
pub enum Unit {
    Release(Loaded),
    Program {
        program: Loaded,
        products: Vec<ProductLoad>,
    },
}

/// Applies `f` to every item on all cores; results keep the items' order.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        mine.push((i, f(item)));
                    }
                    mine
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Loads a manifest and plans its check (policy and waivers are validated here).
fn load_one(
    path: &Path,
    shown: &str,
    root: PathBuf,
    settings: &Settings<'_>,
) -> Result<Loaded, LoadError> {
    let manifest = manifest::load(path, shown)?;
    let plan = Plan::new(
        shown,
        manifest.policy().map(|p| &p.value),
        manifest.waivers(),
        settings.selection,
    )?;
    let baseline = match (settings.baseline, &manifest) {
        (Some(BaselineSpec::GitRef(gitref)), Manifest::Release(_)) => {
            Some(baseline_at(gitref, path, shown)?)
        }
        _ => None,
    };
    Ok(Loaded {
        shown: shown.to_owned(),
        root,
        base: folder_of(path),
        manifest,
        plan,
        baseline,
    })
}

/// The release at `path` as it was at `gitref`, loaded as strictly as the manifest.
fn baseline_at(gitref: &str, path: &Path, shown: &str) -> Result<RefBaseline, LoadError> {
    let at = crate::git::manifest_at(gitref, path).map_err(|message| LoadError {
        file: shown.to_owned(),
        pos: None,
        message,
    })?;
    let Some(text) = at.text else {
        return Ok(RefBaseline {
            shown: format!("{} (absent at that commit)", at.shown),
            release: None,
        });
    };
    match manifest::parse(&text, &at.shown)? {
        Manifest::Release(release) => {
            Plan::new(
                &at.shown,
                release.policy.as_deref(),
                &release.waivers,
                &Selection::default(),
            )?;
            Ok(RefBaseline {
                shown: at.shown,
                release: Some(release),
            })
        }
        Manifest::Program(program) => Err(LoadError {
            file: at.shown,
            pos: Some(program.info.pos),
            message: "was a program manifest at that commit, not a release manifest".to_owned(),
        }),
    }
}

/// Loads the `--baseline` manifest exactly as strictly as a manifest to check (the loader,
/// then the policy and waiver checks); it must be a release manifest. Errors name the file
/// as the user gave it (`shown`), with line and column.
pub fn load_baseline(path: &Path, shown: &str) -> Result<Box<Release>, LoadError> {
    let error = |pos, message: &str| LoadError {
        file: shown.to_owned(),
        pos,
        message: message.to_owned(),
    };
    if !path.exists() {
        return Err(error(None, "no such file (given with --baseline)"));
    }
    match manifest::load(path, shown)? {
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
    let unreadable = |message: String| {
        Err(ProductProblem::Invalid(LoadError {
            file: shown.to_owned(),
            pos: None,
            message,
        }))
    };
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

/// Loads every target, then every program's products (a product also named as a target is
/// loaded once). Load errors of targets are written to `err`; the bool tells whether any
/// occurred.
pub fn load_all(
    targets: &[Target],
    settings: &Settings<'_>,
    err: &mut dyn Write,
) -> std::io::Result<(Vec<Unit>, bool)> {
    let results = par_map(targets, |t| {
        let root = settings
            .root
            .map_or_else(|| folder_of(&t.path), Path::to_path_buf);
        load_one(&t.path, &t.shown, root, settings)
    });
    let mut failed = false;
    let mut standalone: Vec<Option<(PathBuf, Loaded)>> = Vec::with_capacity(targets.len());
    for (t, r) in targets.iter().zip(results) {
        match r {
            Ok(loaded) => standalone.push(Some((
                t.path.canonicalize().unwrap_or_else(|_| t.path.clone()),
                loaded,
            ))),
            Err(e) => {
                writeln!(err, "{e}")?;
                failed = true;
                standalone.push(None);
            }
        }
    }

    // The products every program names, resolved and confined to the program's root.
    struct Wanted {
        unit: usize,
        shown: String,
        path: Result<PathBuf, ProductProblem>,
    }
    let mut wanted = Vec::new();
    for (unit, slot) in standalone.iter().enumerate() {
        let Some((
            _,
            Loaded {
                manifest: Manifest::Program(p),
                root,
                ..
            },
        )) = slot
        else {
            continue;
        };
        let program_dir = folder_of(&targets[unit].path);
        for product in p.info.products.iter() {
            let shown = join_shown(&targets[unit].shown, &product.manifest);
            let path = product_path(&program_dir, root, &product.manifest, &shown);
            wanted.push(Wanted { unit, shown, path });
        }
    }
    // A product that is also a target is taken from the targets rather than loaded again.
    let by_path: HashMap<PathBuf, usize> = standalone
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match s {
            Some((
                path,
                Loaded {
                    manifest: Manifest::Release(_),
                    ..
                },
            )) => Some((path.clone(), i)),
            _ => None,
        })
        .collect();
    let mut taken: HashMap<usize, usize> = HashMap::new(); // standalone index -> wanted index
    for (w, want) in wanted.iter().enumerate() {
        if let Some(&i) = want.path.as_ref().ok().and_then(|real| by_path.get(real)) {
            taken.entry(i).or_insert(w);
        }
    }
    let mut is_taken = vec![false; wanted.len()];
    for &w in taken.values() {
        is_taken[w] = true;
    }
    let jobs: Vec<(&Wanted, bool)> = wanted.iter().zip(is_taken).collect();
    let loads = par_map(
        &jobs,
        |&(want, is_taken)| -> Option<Result<Loaded, ProductProblem>> {
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
            if is_taken {
                return None;
            }
            Some(
                load_one(path, &want.shown, folder_of(path), settings)
                    .map_err(ProductProblem::Invalid),
            )
        },
    );
    let mut loads: Vec<Option<Result<Loaded, ProductProblem>>> = loads;
    for (&i, &w) in &taken {
        if let Some((_, mut loaded)) = standalone[i].take() {
            loaded.shown.clone_from(&wanted[w].shown);
            // A product's paths resolve against its own folder, whatever --root says.
            loaded.root = folder_of(&targets[i].path);
            loads[w] = Some(Ok(loaded));
        }
    }

    let mut products: Vec<Vec<ProductLoad>> = (0..standalone.len()).map(|_| Vec::new()).collect();
    for (want, load) in wanted.into_iter().zip(loads) {
        let result = load.unwrap_or(Err(ProductProblem::Missing));
        products[want.unit].push(ProductLoad {
            shown: want.shown,
            result,
        });
    }
    let units = standalone
        .into_iter()
        .zip(products)
        .filter_map(|(slot, products)| {
            let (_, loaded) = slot?;
            Some(match loaded.manifest {
                Manifest::Program(_) => Unit::Program {
                    program: loaded,
                    products,
                },
                Manifest::Release(_) => Unit::Release(loaded),
            })
        })
        .collect();
    Ok((units, failed))
}

/// How reports name a product's manifest: the program's folder joined with `manifest`.
fn join_shown(program_shown: &str, manifest: &str) -> String {
    match Path::new(program_shown).parent() {
        Some(dir) if !dir.as_os_str().is_empty() => format!("{}/{manifest}", dir.display()),
        _ => manifest.to_owned(),
    }
}

fn check_release<'a>(l: &'a Loaded, r: &'a Release, settings: &Settings<'a>) -> ManifestReport<'a> {
    let mut cx = Context::with_evidence(
        r,
        &l.shown,
        l.root.clone(),
        &l.base,
        settings.today,
        settings.cache,
    );
    match (settings.baseline, &l.baseline) {
        (Some(BaselineSpec::File(baseline, shown)), _) => {
            cx = cx.with_baseline(Some(baseline), shown)
        }
        (_, Some(b)) => cx = cx.with_baseline(b.release.as_deref(), &b.shown),
        _ => {}
    }
    let outcome = engine::check_release(&cx, &l.plan);
    let ready = outcome.ready(settings.strict);
    ManifestReport {
        path: l.shown.clone(),
        root: l.root.clone(),
        checked: Checked::Release(Box::new(cx)),
        outcome,
        ready,
    }
}

/// Checks every unit; reports come in target order, a program's products before the program.
pub fn check_all<'a>(units: &'a [Unit], settings: &Settings<'a>) -> Vec<ManifestReport<'a>> {
    // Every release (standalone or product) is independent: check them all in parallel.
    let releases: Vec<&'a Loaded> = units
        .iter()
        .flat_map(|u| match u {
            Unit::Release(l) => vec![l],
            Unit::Program { products, .. } => products
                .iter()
                .filter_map(|p| p.result.as_ref().ok())
                .collect(),
        })
        .collect();
    let mut checked = par_map(&releases, |l| match &l.manifest {
        Manifest::Release(r) => Some(check_release(l, r, settings)),
        Manifest::Program(_) => None,
    })
    .into_iter();

    let mut reports = Vec::new();
    for unit in units {
        match unit {
            Unit::Release(_) => reports.extend(checked.next().flatten()),
            Unit::Program { program, products } => {
                let mut statuses = Vec::with_capacity(products.len());
                for p in products {
                    let status = match &p.result {
                        Ok(loaded) => match checked.next().flatten() {
                            Some(report) => {
                                let status = product_status(loaded, &report);
                                reports.push(report);
                                status
                            }
                            None => ProductStatus::Invalid {
                                path: p.shown.clone(),
                                error: format!(
                                    "{}: a product's manifest must be a release manifest, not a program",
                                    p.shown
                                ),
                            },
                        },
                        Err(ProductProblem::Missing) => ProductStatus::Missing {
                            path: p.shown.clone(),
                        },
                        Err(ProductProblem::OutsideRoot(escape)) => ProductStatus::OutsideRoot {
                            path: p.shown.clone(),
                            how: escape.describe(),
                        },
                        Err(ProductProblem::Invalid(e)) => ProductStatus::Invalid {
                            path: p.shown.clone(),
                            error: e.to_string(),
                        },
                    };
                    statuses.push(status);
                }
                let Manifest::Program(pm) = &program.manifest else {
                    continue;
                };
                let cx = ProgramContext::new(pm, &program.shown, settings.today, statuses);
                let outcome = engine::check_program(&cx, &program.plan);
                let ready = outcome.ready(settings.strict)
                    && cx.products.iter().all(ProductStatus::is_ready);
                reports.push(ManifestReport {
                    path: program.shown.clone(),
                    root: program.root.clone(),
                    checked: Checked::Program(Box::new(cx)),
                    outcome,
                    ready,
                });
            }
        }
    }
    reports
}

fn product_status(loaded: &Loaded, report: &ManifestReport<'_>) -> ProductStatus {
    let Manifest::Release(r) = &loaded.manifest else {
        return ProductStatus::Missing {
            path: loaded.shown.clone(),
        };
    };
    ProductStatus::Checked {
        path: loaded.shown.clone(),
        ready: report.ready,
        errors: report.outcome.count(Severity::Error),
        warnings: report.outcome.count(Severity::Warning),
        date: *r.info.date,
        program: r.info.program.as_ref().map(|p| p.value.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn par_map_keeps_order() {
        let items: Vec<u32> = (0..1000).collect();
        assert_eq!(
            par_map(&items, |x| x * 2),
            items.iter().map(|x| x * 2).collect::<Vec<_>>()
        );
        assert!(par_map(&[] as &[u32], |x| *x).is_empty());
    }

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
