//! The context a rule reads: one manifest, its entries by id, the effective policy, today.
//!
//! A [`Context`] is built once per manifest, in one pass over each section, so every rule
//! can resolve an id in constant time. Rules only read it.

use std::cell::OnceCell;
use std::path::{Path, PathBuf};

use crate::evidence::{Cache, Evidence};
use crate::hash::{Map, map_with_capacity};
use crate::manifest::{
    Audience, Date, Doc, DocKind, DocStatus, EffectivePolicy, Feature, Located, Product, Program,
    Release, Sprint, Test, TestStatus, Training, TrainingStatus, Waiver,
};
use crate::program::{Graph, ProductStatus};
use crate::schedule::Schedule;

/// Entries of one section by id; the first entry wins when an id is duplicated (RC002).
pub struct ById<'a, T> {
    map: Map<&'a str, &'a Located<T>>,
}

impl<'a, T> ById<'a, T> {
    fn build(entries: &'a [Located<T>], id: impl Fn(&'a T) -> &'a str) -> Self {
        let mut map = map_with_capacity(entries.len());
        for e in entries {
            map.entry(id(&e.value)).or_insert(e);
        }
        ById { map }
    }

    pub fn get(&self, id: &str) -> Option<&'a Located<T>> {
        self.map.get(id).copied()
    }

    pub fn contains(&self, id: &str) -> bool {
        self.map.contains_key(id)
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// Everything rules may read about one release manifest.
pub struct Context<'a> {
    pub release: &'a Release,
    /// The manifest as the user named it, as reports show it.
    pub shown: &'a str,
    /// The folder every path must stay inside (the manifest's folder, or `--root`).
    pub root: PathBuf,
    pub today: Date,
    pub policy: EffectivePolicy,
    pub tests: ById<'a, Test>,
    pub docs: ById<'a, Doc>,
    pub training: ById<'a, Training>,
    pub sprints: ById<'a, Sprint>,
    pub features: ById<'a, Feature>,
    /// What is on disk behind the manifest's paths, resolved once (see [`crate::evidence`]).
    pub evidence: Evidence,
    /// The frozen copy of the manifest given with `--baseline` (RC108), if any.
    pub baseline: Option<Baseline<'a>>,
    /// The release's milestones (the freeze, the release date).
    pub schedule: Schedule,
    /// Computed on first use (RC209 and every report ask for it).
    coverage: OnceCell<Coverage>,
}

impl<'a> Context<'a> {
    /// A context whose paths resolve against `root` itself, read through a cache of its own.
    pub fn new(release: &'a Release, path: &'a str, root: PathBuf, today: Date) -> Self {
        let base = root.clone();
        Self::with_evidence(release, path, root, &base, today, &Cache::new())
    }

    /// A context whose paths resolve against `base` (the manifest's folder) and must stay
    /// inside `root`; files are read through `cache`, shared by the manifests of a run.
    pub fn with_evidence(
        release: &'a Release,
        path: &'a str,
        root: PathBuf,
        base: &Path,
        today: Date,
        cache: &Cache,
    ) -> Self {
        Self::over(release, path, root, base, None, today, cache)
    }

    fn over(
        release: &'a Release,
        path: &'a str,
        root: PathBuf,
        base: &Path,
        fallback: Option<(&Path, &Path)>,
        today: Date,
        cache: &Cache,
    ) -> Self {
        Context {
            evidence: Evidence::build_over(release, &root, base, fallback, cache),
            release,
            shown: path,
            root,
            today,
            policy: EffectivePolicy::from(release.policy.as_deref()),
            tests: ById::build(&release.tests, |t| t.id.as_str()),
            docs: ById::build(&release.docs, |d| d.id.as_str()),
            training: ById::build(&release.training, |t| t.id.as_str()),
            sprints: ById::build(&release.sprints, |s| s.id.as_str()),
            features: ById::build(&release.features, |f| f.id.as_str()),
            baseline: None,
            schedule: Schedule::of_release(release, None),
            coverage: OnceCell::new(),
        }
    }

    /// A context of the manifest as it was at a base commit (`--new-since`): paths resolve in
    /// the base's tree (`root`, `base`), and where it lacks them in the work tree
    /// (`fallback`: its root and the manifest's folder), each confined to its own root.
    pub fn at_base(
        release: &'a Release,
        path: &'a str,
        (root, base): (PathBuf, &Path),
        fallback: (&Path, &Path),
        today: Date,
        cache: &Cache,
    ) -> Self {
        Self::over(release, path, root, base, Some(fallback), today, cache)
    }

    /// Caps the milestones at the date of the program the release ships in as a product.
    #[must_use]
    pub fn with_program_date(mut self, date: Option<Date>) -> Self {
        self.schedule = Schedule::of_release(self.release, date);
        self
    }

    /// Adds the frozen copy of the manifest (`--baseline FILE`), as shown to the user.
    #[must_use]
    pub fn with_baseline(mut self, release: Option<&'a Release>, path: &'a str) -> Self {
        self.baseline = Some(Baseline::new(release, path));
        self
    }

    /// The release's name: the subject of release-wide findings.
    pub fn name(&self) -> &'a str {
        self.release.name()
    }

    /// Features whose status is not `deferred` or `dropped`.
    pub fn features_in_scope(&self) -> impl Iterator<Item = &'a Located<Feature>> + 'a {
        self.release.features.iter().filter(|f| f.in_scope())
    }

    /// The defined tests a feature links (undefined links are RC001's alone).
    pub fn tests_of(&self, f: &'a Feature) -> impl Iterator<Item = &'a Located<Test>> + '_ {
        f.test_links()
            .iter()
            .filter_map(|id| self.tests.get(id.as_str()))
    }

    /// The defined docs a feature links.
    pub fn docs_of(&self, f: &'a Feature) -> impl Iterator<Item = &'a Located<Doc>> + '_ {
        f.doc_links()
            .iter()
            .filter_map(|id| self.docs.get(id.as_str()))
    }

    /// The defined training a feature links.
    pub fn training_of(&self, f: &'a Feature) -> impl Iterator<Item = &'a Located<Training>> + '_ {
        f.training_links()
            .iter()
            .filter_map(|id| self.training.get(id.as_str()))
    }

    /// A passing test: status `passed` and, where `report` is given, the report exists
    /// inside the root, parses, holds at least one test case (in `suite`, if named) and no
    /// failure or error. The one definition every rule and the coverage use.
    pub fn test_passes(&self, t: &Test) -> bool {
        match self.evidence.test(t.id.as_str()) {
            Some(e) => e.passing(),
            // Not from this manifest: only its status can be judged.
            None => *t.status == TestStatus::Passed && t.report.is_none(),
        }
    }

    /// Every test entry with what its evidence says, in manifest order.
    pub fn test_checks(&self) -> Vec<TestCheck<'_>> {
        self.evidence
            .tests()
            .iter()
            .zip(&self.release.tests)
            .map(|(t, entry)| TestCheck {
                id: &t.id,
                kind: entry.kind.as_str(),
                status: t.status,
                report: t.report.as_deref(),
                suite: t.suite.as_deref(),
                verified: t.verified(),
                passing: t.passing(),
                unverified: t.unverified_reason(),
                says: if t.verified() {
                    t.report_says()
                } else {
                    String::new()
                },
            })
            .collect()
    }

    /// Whether a doc counts as written: `final`, and its file (or URL) holds. Otherwise, in a
    /// word, why not: its status (`draft`, `review`) or what is wrong with its evidence.
    pub fn doc_holds(&self, d: &Doc) -> Result<(), &'static str> {
        if *d.status != DocStatus::Final {
            return Err(d.status.as_str());
        }
        self.evidence
            .doc(d.id.as_str())
            .map_or(Err("no file"), crate::evidence::Artifact::holds)
    }

    /// Whether a training entry counts as given: `ready` or `delivered`, and its material
    /// (or URL) holds. Otherwise, in a word, why not.
    pub fn training_holds(&self, t: &Training) -> Result<(), &'static str> {
        if !matches!(*t.status, TrainingStatus::Ready | TrainingStatus::Delivered) {
            return Err(t.status.as_str());
        }
        self.evidence
            .training(t.id.as_str())
            .map_or(Err("no material"), crate::evidence::Artifact::holds)
    }

    /// How many features in scope are tested, documented and trained.
    pub fn coverage(&self) -> Coverage {
        *self.coverage.get_or_init(|| self.count_coverage())
    }

    fn count_coverage(&self) -> Coverage {
        let mut c = Coverage::default();
        for f in self.features_in_scope() {
            c.features += 1;
            let mut tests = self.tests_of(f).peekable();
            if tests.peek().is_some() && tests.all(|t| self.test_passes(t)) {
                c.tested += 1;
            }
            if f.user_facing() {
                c.user_facing += 1;
                // Only evidence that holds counts: every linked user doc final and there,
                // every linked end-user training ready and there.
                let mut user_docs = self
                    .docs_of(f)
                    .filter(|d| *d.kind == DocKind::User)
                    .peekable();
                if user_docs.peek().is_some() && user_docs.all(|d| self.doc_holds(d).is_ok()) {
                    c.documented += 1;
                }
                let mut courses = self
                    .training_of(f)
                    .filter(|t| *t.audience == Audience::EndUser)
                    .peekable();
                if courses.peek().is_some() && courses.all(|t| self.training_holds(t).is_ok()) {
                    c.trained += 1;
                }
            }
        }
        c
    }

    pub fn waivers(&self) -> &'a [Located<Waiver>] {
        &self.release.waivers
    }
}

/// A test entry and what its evidence says, resolved once: what reports show of it (they read
/// this, never the evidence layer).
pub struct TestCheck<'c> {
    pub id: &'c str,
    /// Its kind (`integration`, `uat`, ...).
    pub kind: &'static str,
    pub status: TestStatus,
    /// The `report` as written, if any.
    pub report: Option<&'c str>,
    pub suite: Option<&'c str>,
    /// A report was read and agrees with the status.
    pub verified: bool,
    /// Passing: the one definition rules and coverage use.
    pub passing: bool,
    /// Why the status is not verified, when it is not.
    pub unverified: Option<String>,
    /// What the report says, when it was read: `holds 5 test cases in suite 'CheckoutIT'`.
    pub says: String,
}

/// The frozen copy of a release manifest that `--baseline` names, indexed once for RC108.
pub struct Baseline<'a> {
    /// The baseline file as the user named it, as reports show it.
    pub shown: &'a str,
    /// The baseline's features by id. An id listed more than once (RC002 in the baseline)
    /// maps to an entry in scope when any of its entries is.
    features: Map<&'a str, &'a Located<Feature>>,
}

impl<'a> Baseline<'a> {
    /// `release` is `None` when there was no manifest (`--baseline-ref` at a commit before
    /// the file existed): then every feature in scope is new.
    pub fn new(release: Option<&'a Release>, path: &'a str) -> Self {
        let all: &[Located<Feature>] = release.map_or(&[], |r| &r.features);
        let mut features: Map<&'a str, &'a Located<Feature>> = map_with_capacity(all.len());
        for f in all {
            let slot = features.entry(f.id.as_str()).or_insert(f);
            if !slot.in_scope() && f.in_scope() {
                *slot = f;
            }
        }
        Baseline {
            shown: path,
            features,
        }
    }

    /// The baseline's feature with this id (one in scope, if any is).
    pub fn feature(&self, id: &str) -> Option<&'a Located<Feature>> {
        self.features.get(id).copied()
    }
}

/// How much of the release in scope is tested, documented and trained.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Coverage {
    pub features: u64,
    pub user_facing: u64,
    pub tested: u64,
    pub documented: u64,
    pub trained: u64,
}

/// Everything rules may read about one program manifest.
pub struct ProgramContext<'a> {
    pub program: &'a Program,
    /// The manifest as the user named it, as reports show it.
    pub shown: &'a str,
    pub today: Date,
    /// What checking each product gave, parallel to `program.info.products`.
    pub products: Vec<ProductStatus>,
    /// The products' dependency graph.
    pub graph: Graph<'a>,
    /// The program's milestones: both its date.
    pub schedule: Schedule,
}

impl<'a> ProgramContext<'a> {
    pub fn new(
        program: &'a Program,
        path: &'a str,
        today: Date,
        products: Vec<ProductStatus>,
    ) -> Self {
        ProgramContext {
            program,
            shown: path,
            today,
            products,
            graph: Graph::new(&program.info.products),
            schedule: Schedule::of_program(program),
        }
    }

    /// The program's products with what checking each gave.
    pub fn products(&self) -> impl Iterator<Item = (&'a Located<Product>, &ProductStatus)> + '_ {
        self.program.info.products.iter().zip(&self.products)
    }
}
