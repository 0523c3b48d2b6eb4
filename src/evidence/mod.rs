//! What is checked on disk: paths inside the root, files, folders, JUnit reports.
//!
//! [`Evidence::build`] resolves every path-valued field of a release manifest once, when its
//! [`Context`](crate::context::Context) is built; rules only read the results. Files are
//! read through a [`Cache`] shared by the manifests of one run, keyed by canonical path, so
//! each file is read at most once however many entries point at it.
//!
//! Nothing outside the root is opened: [`paths`] confines every path before anything is
//! read, and only regular files are ever opened (never a FIFO, socket or device). A `url`
//! is recorded and counted as present, never fetched. `docs/evidence.md` is the user's
//! documentation of all this.

mod cache;
pub mod code;
pub mod coverage;
mod decode;
pub mod files;
pub mod jacoco;
pub mod junit;
pub mod lcov;
mod markup;
pub mod paths;
mod prefetch;
mod source;
pub mod text;
mod verification;

use crate::hash::Map;
use std::path::Path;
use std::sync::Arc;

use crate::manifest::{Artifact as Where, Located, Pos, Release};

pub use cache::Cache;
pub use files::{FileFacts, FolderFacts};
pub use junit::Counts;
pub use paths::{Escape, Missing};
pub use verification::{ReportState, TestEvidence};

/// Where a path-valued field leads.
#[derive(Clone, Debug)]
pub enum Reach {
    /// A URL: counted as present, never fetched.
    Url,
    /// Not confined to the root (RC004): never opened.
    Outside(Escape),
    /// Inside the root, but nothing usable is there (RC005).
    Missing(Missing),
    /// A regular file, read once.
    File(Arc<FileFacts>),
    /// A folder (RC005 unless it holds a non-empty regular file).
    Folder(Arc<FolderFacts>),
}

/// What a referenced file is for; decides which checks apply to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A test's JUnit report (RC007; RC006 does not apply).
    Report,
    /// A coverage report (RC013; RC006 does not apply).
    Coverage,
    /// A feature's `code` glob (only RC004 applies).
    Code,
    /// A document, training material, plan, communication or control evidence (RC006).
    Document,
}

/// One path-valued field of the manifest and where it leads.
#[derive(Clone, Debug)]
pub struct Artifact {
    /// The finding subject: the entry id, or the release name for deployment files.
    pub subject: String,
    /// The entry, for messages: `doc 'user-guide'`, `the deployment plan`.
    pub what: String,
    /// The key as written: `path`, `report`, `plan`, `evidence`.
    pub field: &'static str,
    /// The value as written.
    pub value: String,
    /// Where the value is in the manifest.
    pub pos: Pos,
    pub role: Role,
    pub reach: Reach,
    /// For a path that does not exist: the nearest existing one in its folder, written as
    /// the manifest would write it (`docs/user/pdf.md` for `docs/user/PDF.md`).
    pub nearest: Option<String>,
}

impl Artifact {
    /// `doc 'user-guide': path 'docs/x.md'`: how messages name it.
    pub fn label(&self) -> String {
        format!("{}: {} '{}'", self.what, self.field, self.value)
    }

    /// Why it is not confined to the root (RC004).
    pub fn escape(&self) -> Option<&Escape> {
        match &self.reach {
            Reach::Outside(e) => Some(e),
            _ => None,
        }
    }

    /// Why nothing usable is there (RC005).
    pub fn missing(&self) -> Option<String> {
        match &self.reach {
            Reach::Missing(m) => Some(m.describe()),
            Reach::File(f) => f
                .read
                .as_ref()
                .err()
                .map(|e| format!("cannot be read: {e}")),
            Reach::Folder(f) if !f.found && self.role == Role::Document => Some(format!(
                "is a folder that holds no non-empty regular file within {} levels ({})",
                files::MAX_FOLDER_DEPTH,
                f.describe()
            )),
            _ => None,
        }
    }

    /// Whether the evidence holds (a URL, or a file or folder inside the root that is there,
    /// readable, and not a placeholder), or in a word why not: `outside the root`, `missing
    /// file`, `placeholder`. The one definition coverage and the readiness matrix use.
    pub fn holds(&self) -> Result<(), &'static str> {
        if self.escape().is_some() {
            Err("outside the root")
        } else if self.missing().is_some() {
            Err("missing file")
        } else if self.placeholder().is_some() {
            Err("placeholder")
        } else {
            Ok(())
        }
    }

    /// Why the file is a placeholder (RC006), for documents that are readable files.
    pub fn placeholder(&self) -> Option<String> {
        let Reach::File(f) = &self.reach else {
            return None;
        };
        if self.role != Role::Document {
            return None;
        }
        let content = f.read.as_ref().ok()?;
        let t = &content.text;
        if f.size == 0 {
            return Some("is empty (0 bytes)".into());
        }
        if !t.is_placeholder() {
            return None;
        }
        let scope = if t.truncated {
            format!(" in its first {} MiB", text::PREFIX_BYTES >> 20)
        } else {
            String::new()
        };
        Some(if t.lines == 0 {
            format!(
                "holds only blank lines and headings{scope} ({} bytes)",
                f.size
            )
        } else {
            format!(
                "is mostly a placeholder: {} of {} lines{scope} hold {}",
                t.placeholder_lines,
                t.lines,
                t.markers.join(", ")
            )
        })
    }
}

/// The evidence of one release manifest: every path-valued field, and every test.
#[derive(Clone, Debug, Default)]
pub struct Evidence {
    artifacts: Vec<Artifact>,
    tests: Vec<TestEvidence>,
    /// The `coverage:` section, read; `None` when it is not given (or `[]`).
    code: Option<CodeEvidence>,
    /// Test id to index in `tests`; the first entry wins, as in the context's id maps.
    test_index: Map<String, usize>,
    /// Doc id and training id to the index of its artifact in `artifacts` (first entry wins).
    doc_index: Map<String, usize>,
    training_index: Map<String, usize>,
}

impl Evidence {
    /// Resolves the release's paths: relative to `base` (the manifest's folder), confined to
    /// `root`. Files are read through `cache`.
    pub fn build(release: &Release, root: &Path, base: &Path, cache: &Cache) -> Self {
        Self::build_over(release, root, base, None, cache)
    }

    /// Like [`Evidence::build`]; a path that does not exist under `root` (`--new-since`: the
    /// base's tree) is resolved under `fallback` (the work tree's root and the manifest's
    /// folder there) instead, confined to that root just as strictly.
    pub fn build_over(
        release: &Release,
        root: &Path,
        base: &Path,
        fallback: Option<(&Path, &Path)>,
        cache: &Cache,
    ) -> Self {
        let mut b = Builder {
            root: paths::Root::new(root, base),
            fallback: fallback.map(|(root, base)| paths::Root::new(root, base)),
            cache,
            ev: Evidence::default(),
            nearest_left: MAX_NEAREST_LOOKUPS,
            nearest_budget: files::NEAREST_BUDGET,
        };
        let name = release.name();
        for t in &release.tests {
            let cases: Option<Vec<String>> = t
                .cases
                .as_deref()
                .map(|c| c.0.iter().map(|p| p.value.clone()).collect());
            let mut report_date = None;
            let state = match given(t.report.as_ref()) {
                None => ReportState::NoReport,
                Some(report) => {
                    let i = b.add(
                        t.id.as_str(),
                        format!("test '{}'", t.id.value),
                        "report",
                        report,
                        Role::Report,
                        false,
                    );
                    report_date = verification::report_date(&b.ev.artifacts[i]);
                    verification::report_state(
                        &b.ev.artifacts[i],
                        t.suite.as_deref().map(String::as_str),
                        cases.as_deref(),
                        b.cache,
                    )
                }
            };
            b.ev.test_index
                .entry(t.id.value.to_string())
                .or_insert(b.ev.tests.len());
            b.ev.tests.push(TestEvidence {
                id: t.id.value.to_string(),
                status: *t.status,
                report: given(t.report.as_ref()).map(|r| r.value.clone()),
                suite: t.suite.as_ref().map(|s| s.value.clone()),
                cases,
                state,
                report_date,
            });
        }
        for d in &release.docs {
            let at = b.ev.artifacts.len();
            b.add_where(d.id.as_str(), format!("doc '{}'", d.id.value), d.artifact());
            if b.ev.artifacts.len() > at {
                b.ev.doc_index.entry(d.id.value.to_string()).or_insert(at);
            }
        }
        for t in &release.training {
            let at = b.ev.artifacts.len();
            b.add_where(
                t.id.as_str(),
                format!("training '{}'", t.id.value),
                t.artifact(),
            );
            if b.ev.artifacts.len() > at {
                b.ev.training_index
                    .entry(t.id.value.to_string())
                    .or_insert(at);
            }
        }
        b.code(release);
        if let Some(dep) = &release.deployment {
            if let Some(plan) = given(dep.plan.as_ref()) {
                b.add(
                    name,
                    "the deployment plan".into(),
                    "plan",
                    plan,
                    Role::Document,
                    true,
                );
            }
            if let Some(backout) = &dep.backout {
                b.add_where(
                    name,
                    "the backout plan".into(),
                    crate::manifest::Artifact::of(&backout.path, &backout.url),
                );
            }
            for c in dep.communications.iter().flat_map(|l| l.iter()) {
                let what = format!("the communication for '{}'", c.audience.value);
                b.add_where(name, what, crate::manifest::Artifact::of(&c.path, &c.url));
            }
            for c in dep.controls.iter().flat_map(|l| l.iter()) {
                if let Some(ev) = given(c.evidence.as_ref()) {
                    let what = format!("the evidence of control '{}'", c.name.value);
                    b.add(name, what, "evidence", ev, Role::Document, true);
                }
            }
        }
        b.ev
    }

    /// Where a doc's `path` or `url` leads (the first doc with that id).
    pub fn doc(&self, id: &str) -> Option<&Artifact> {
        self.doc_index.get(id).map(|&i| &self.artifacts[i])
    }

    /// Where a training entry's `path` or `url` leads (the first entry with that id).
    pub fn training(&self, id: &str) -> Option<&Artifact> {
        self.training_index.get(id).map(|&i| &self.artifacts[i])
    }

    /// Every path-valued field, in manifest order (tests, docs, training, deployment).
    pub fn artifacts(&self) -> &[Artifact] {
        &self.artifacts
    }

    /// Every test entry, parallel to the manifest's `tests`.
    pub fn tests(&self) -> &[TestEvidence] {
        &self.tests
    }

    /// The deployment plan's field, when one is given (`Reach::Url` when it is a URL; its
    /// text facts, headings included, when it is a readable file).
    pub fn deployment_plan(&self) -> Option<&Artifact> {
        self.artifacts.iter().find(|a| a.field == "plan")
    }

    /// The `coverage:` section as read; `None` when it is not given (RC112 is then not
    /// evaluated).
    pub fn code(&self) -> Option<&CodeEvidence> {
        self.code.as_ref()
    }

    /// The evidence of the test with this id (the first such entry).
    pub fn test(&self, id: &str) -> Option<&TestEvidence> {
        self.test_index.get(id).map(|&i| &self.tests[i])
    }
}

/// One `coverage:` entry and what reading its report gave.
#[derive(Clone, Debug)]
pub struct CoverageReport {
    /// The `report` as written: the subject of its findings.
    pub value: String,
    pub pos: Pos,
    pub state: CoverageState,
}

/// What reading a coverage report gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CoverageState {
    /// Outside the root or missing: RC004 or RC005 says why; it contributes no lines.
    NotRead,
    /// It cannot be read as a coverage report (RC013); it contributes no lines.
    Unreadable(String),
    /// Read: how many files it lists, and how many of them have an identity under the root.
    Read { files: usize, identified: usize },
}

/// The `coverage:` section as evidence: its reports, merged, and each feature's coverage.
#[derive(Clone, Debug, Default)]
pub struct CodeEvidence {
    pub reports: Vec<CoverageReport>,
    /// Every reported file with an identity, merged line by line.
    pub merged: code::Merged,
    /// Feature id (the first entry with the id, with `code`) to its coverage.
    features: Map<String, code::FeatureCode>,
}

impl CodeEvidence {
    /// The coverage of a feature's `code`; `None` when the feature has no `code`.
    pub fn feature(&self, id: &str) -> Option<&code::FeatureCode> {
        self.features.get(id)
    }
}

/// A blank value (`path: " "`) counts as not given, as elsewhere in the manifest.
fn given(v: Option<&Located<String>>) -> Option<&Located<String>> {
    v.filter(|v| !v.trim().is_empty())
}

struct Builder<'c> {
    root: paths::Root,
    fallback: Option<paths::Root>,
    cache: &'c Cache,
    ev: Evidence,
    /// Missing paths that may still get a suggestion ([`files::nearest`] lists a folder).
    nearest_left: usize,
    /// What [`files::nearest`] may still spend on edit distances.
    nearest_budget: usize,
}

/// Missing paths per manifest for which the nearest existing name is looked for: each lists
/// a folder, so a manifest of thousands of missing paths does not list thousands.
const MAX_NEAREST_LOOKUPS: usize = 64;

impl Builder<'_> {
    /// Records a path-valued field; `url_ok`: a value with a scheme is a URL.
    fn add(
        &mut self,
        subject: &str,
        what: String,
        field: &'static str,
        value: &Located<String>,
        role: Role,
        url_ok: bool,
    ) -> usize {
        let mut nearest = None;
        let reach = if url_ok && paths::is_url(value) {
            Reach::Url
        } else {
            let mut root = &self.root;
            let mut resolved = root.resolve(value);
            if let (paths::Resolved::Missing(Missing::NotFound), Some(fallback)) =
                (&resolved, &self.fallback)
            {
                root = fallback;
                resolved = root.resolve(value);
            }
            if matches!(resolved, paths::Resolved::Missing(Missing::NotFound))
                && self.nearest_left > 0
            {
                self.nearest_left -= 1;
                nearest = files::nearest(root, value, &mut self.nearest_budget);
            }
            match resolved {
                paths::Resolved::Outside(e) => Reach::Outside(e),
                paths::Resolved::Missing(m) => Reach::Missing(m),
                paths::Resolved::Node {
                    path,
                    kind: paths::NodeKind::File,
                    meta,
                } => Reach::File(self.cache.file(&path, &meta)),
                paths::Resolved::Node { path, .. } => Reach::Folder(self.cache.folder(root, &path)),
            }
        };
        self.ev.artifacts.push(Artifact {
            subject: subject.to_owned(),
            what,
            field,
            value: value.value.clone(),
            pos: value.pos,
            role,
            reach,
            nearest,
        });
        self.ev.artifacts.len() - 1
    }

    /// Reads the `coverage:` section and the features' `code` globs: escaping globs are
    /// artifacts (RC004); the rest are matched against the merged reports.
    fn code(&mut self, release: &Release) {
        let base = self.root.base_parts().map(<[std::ffi::OsString]>::to_vec);
        let mut globs: Vec<(&str, Vec<code::Glob>)> = Vec::new();
        for f in &release.features {
            if f.code.is_none() {
                continue;
            }
            let mut ok = Vec::new();
            for g in f.code_globs() {
                match base.as_deref().map(|b| code::Glob::anchor(g, b)) {
                    Some(Ok(glob)) => ok.push(glob),
                    escape => self.ev.artifacts.push(Artifact {
                        subject: f.id.value.to_string(),
                        what: format!("feature '{}'", f.id.value),
                        field: "code",
                        value: g.value.clone(),
                        pos: g.pos,
                        role: Role::Code,
                        reach: Reach::Outside(match escape {
                            Some(Err(e)) => e,
                            _ => Escape::BaseOutside,
                        }),
                        nearest: None,
                    }),
                }
            }
            globs.push((f.id.as_str(), ok));
        }
        if release.coverage.is_empty() {
            return;
        }
        let mut ce = CodeEvidence::default();
        for c in &release.coverage {
            let i = self.add(
                c.report.as_str(),
                "coverage report".into(),
                "report",
                &c.report,
                Role::Coverage,
                false,
            );
            let state = match &self.ev.artifacts[i].reach {
                Reach::File(f) if f.read.is_ok() => match &*self.cache.coverage(f) {
                    Ok(report) => CoverageState::Read {
                        files: report.files.len(),
                        identified: ce.merged.add(
                            &self.root,
                            report,
                            given(c.prefix.as_ref()).map(|p| p.as_str()),
                        ),
                    },
                    Err(e) => CoverageState::Unreadable(e.clone()),
                },
                Reach::Folder(_) => {
                    CoverageState::Unreadable("is a folder, not a coverage report".into())
                }
                _ => CoverageState::NotRead,
            };
            ce.reports.push(CoverageReport {
                value: c.report.value.clone(),
                pos: c.report.pos,
                state,
            });
        }
        for (id, g) in globs {
            if !ce.features.contains_key(id) {
                let fc = code::feature_code(&self.root, &g, &ce.merged);
                ce.features.insert(id.to_owned(), fc);
            }
        }
        self.ev.code = Some(ce);
    }

    /// Records a `path` or `url` pair (`url` wins nothing: the loader allows one of them).
    fn add_where(&mut self, subject: &str, what: String, at: Option<Where<'_>>) {
        let blank = |v: &Located<String>| v.trim().is_empty();
        match at {
            Some(Where::Path(v) | Where::Url(v)) if blank(v) => {}
            Some(Where::Path(p)) => {
                self.add(subject, what, "path", p, Role::Document, false);
            }
            Some(Where::Url(u)) => self.ev.artifacts.push(Artifact {
                subject: subject.to_owned(),
                what,
                field: "url",
                value: u.value.clone(),
                pos: u.pos,
                role: Role::Document,
                reach: Reach::Url,
                nearest: None,
            }),
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;
    use crate::manifest::{Manifest, parse};

    fn release(yaml: &str) -> Box<Release> {
        match parse(yaml, "release.yaml") {
            Ok(Manifest::Release(r)) => r,
            other => panic!("{other:?}"),
        }
    }

    const HEAD: &str = "relcheck: 1\nrelease:\n  name: R\n  date: 2026-12-15\n";

    #[test]
    fn each_file_is_read_once_per_run() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::create_dir(d.join("reports")).unwrap();
        fs::write(
            d.join("reports/it.xml"),
            "<testsuites><testsuite name='A'><testcase/></testsuite><testsuite name='B'><testcase/></testsuite></testsuites>",
        )
        .unwrap();
        fs::write(d.join("guide.md"), "Guide.\n").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("guide.md", d.join("alias.md")).unwrap();
        #[cfg(not(unix))]
        fs::write(d.join("alias.md"), "Guide.\n").unwrap();
        let test = |id: &str, suite: &str| {
            format!(
                "  - id: {id}\n    kind: unit\n    status: passed\n    report: reports/it.xml\n    suite: {suite}\n"
            )
        };
        let doc = |id: &str, path: &str| {
            format!("  - id: {id}\n    kind: user\n    status: final\n    path: {path}\n")
        };
        let yaml = format!(
            "{HEAD}tests:\n{}{}{}docs:\n{}{}deployment:\n  plan: ./guide.md\n",
            test("a", "A"),
            test("b", "B"),
            test("c", "A"),
            doc("g1", "guide.md"),
            doc("g2", "alias.md"),
        );
        let r = release(&yaml);
        let cache = Cache::new();
        let first = Evidence::build(&r, d, d, &cache);
        let second = Evidence::build(&r, d, d, &cache);
        let expected = if cfg!(unix) { 2 } else { 3 };
        assert_eq!(cache.files_read(), expected);
        for ev in [&first, &second] {
            assert!(ev.tests().iter().all(|t| t.passing() && t.verified()));
            assert_eq!(
                ev.test("b").and_then(TestEvidence::counts).map(|c| c.cases),
                Some(1)
            );
            assert_eq!(ev.artifacts().len(), 6);
            assert!(matches!(
                ev.deployment_plan().map(|a| &a.reach),
                Some(Reach::File(_))
            ));
        }
    }
}
