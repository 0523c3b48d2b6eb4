//! The manifest model, format version 1: release manifests and program manifests.
//!
//! This module is the only place that knows YAML. [`load`] reads a file into a [`Manifest`];
//! every value keeps the line and column of its YAML node ([`Located`]) so findings and
//! errors can point at it. The types mirror `manifest.md`: required keys are plain
//! [`Located`] fields, optional keys are `Option`s, and defaults live in accessors.

pub(crate) mod de;
mod load;

use std::fmt;

pub use de::{Count, Date, Flag, Id, Located, NANOS, Number, Pos};
pub use load::{LoadError, MAX_MANIFEST_BYTES, load, parse};

use de::{Version, manifest_enum, manifest_struct};

/// Story points or another capacity unit: up to 10^9, decimals allowed.
pub type Points = Number<1_000_000_000>;
/// Planned hours per person per day: at most 24.
pub type HoursPerDay = Number<24>;
/// Planned hours per person per week: at most 168.
pub type HoursPerWeek = Number<168>;
/// A ratio threshold in the policy (loads, coverage gap): at most 1000.
pub type Ratio = Number<1000>;

/// A list whose items keep their positions.
pub type List<T> = Vec<Located<T>>;

manifest_enum! {
    /// Where a feature stands. `deferred` and `dropped` take it out of scope.
    pub enum FeatureStatus as "feature status" {
        Planned = "planned",
        InProgress = "in-progress",
        Done = "done",
        Accepted = "accepted",
        Deferred = "deferred",
        Dropped = "dropped",
    }
}

manifest_enum! {
    /// How mature a feature is (default `stable`).
    pub enum Maturity as "maturity" {
        Experimental = "experimental",
        Beta = "beta",
        Stable = "stable",
    }
}

manifest_enum! {
    /// The kind of a test.
    pub enum TestKind as "test kind" {
        Unit = "unit",
        Integration = "integration",
        System = "system",
        Uat = "uat",
        Acceptance = "acceptance",
        Performance = "performance",
        Security = "security",
        Smoke = "smoke",
        Regression = "regression",
    }
}

manifest_enum! {
    /// The recorded outcome of a test.
    pub enum TestStatus as "test status" {
        Passed = "passed",
        Failed = "failed",
        Skipped = "skipped",
        NotRun = "not-run",
    }
}

manifest_enum! {
    /// The kind of a document.
    pub enum DocKind as "doc kind" {
        User = "user",
        Product = "product",
        Support = "support",
        Operations = "operations",
        ReleaseNotes = "release-notes",
        Api = "api",
    }
}

manifest_enum! {
    /// How far a document is.
    pub enum DocStatus as "doc status" {
        Draft = "draft",
        Review = "review",
        Final = "final",
    }
}

manifest_enum! {
    /// Who a training is for.
    pub enum Audience as "training audience" {
        EndUser = "end-user",
        Support = "support",
        Operations = "operations",
    }
}

manifest_enum! {
    /// How far a training is.
    pub enum TrainingStatus as "training status" {
        Planned = "planned",
        Draft = "draft",
        Ready = "ready",
        Delivered = "delivered",
    }
}

manifest_enum! {
    /// A feature sprint builds features; a release sprint hardens and prepares the release.
    pub enum SprintKind as "sprint kind" {
        Feature = "feature",
        Release = "release",
    }
}

manifest_enum! {
    /// A sign-off's state.
    pub enum ApprovalStatus as "approval status" {
        Approved = "approved",
        Pending = "pending",
        Rejected = "rejected",
    }
}

manifest_enum! {
    /// Whether a release control is satisfied.
    pub enum ControlStatus as "control status" {
        Met = "met",
        NotMet = "not-met",
        NotApplicable = "not-applicable",
    }
}

manifest_enum! {
    /// Where an infrastructure item stands.
    pub enum InfraStatus as "infrastructure status" {
        Planned = "planned",
        Installed = "installed",
        Validated = "validated",
    }
}

manifest_enum! {
    /// A rule's severity in `policy.rules`.
    pub enum Level as "rule severity" {
        Error = "error",
        Warning = "warning",
        Off = "off",
    }
}

manifest_struct! {
    /// The top-level mapping, before it is known to be a release or a program.
    pub struct Document as "the manifest" {
        required {}
        optional {
            relcheck: Version,
            release: ReleaseInfo,
            program: ProgramInfo,
            sprints: List<Sprint>,
            features: List<Feature>,
            tests: List<Test>,
            docs: List<Doc>,
            training: List<Training>,
            deployment: Deployment,
            policy: Policy,
            waivers: List<Waiver>,
        }
    }
}

manifest_struct! {
    /// `release:`: what ships and when.
    pub struct ReleaseInfo as "release" {
        required {
            name: String,
            date: Date,
        }
        optional {
            version: String,
            freeze: Date,
            program: Id,
            objectives: List<String>,
            roles: Roles,
            approvals: List<Approval>,
        }
    }
    check = check_release_info;
}

fn check_release_info(r: &ReleaseInfo) -> Result<(), String> {
    non_blank(&r.name, "name", "release")
}

manifest_struct! {
    /// `release.roles`: the people the practice names.
    pub struct Roles as "roles" {
        required {}
        optional {
            product_owner: String,
            deployment_engineer: String,
            deployment_manager: String,
        }
    }
}

manifest_struct! {
    /// A sign-off that users and production are ready.
    pub struct Approval as "approval" {
        required {
            by: String,
            status: ApprovalStatus,
        }
        optional {
            role: String,
            date: Date,
        }
    }
}

manifest_struct! {
    /// A sprint of the release cycle.
    pub struct Sprint as "sprint" {
        required {
            id: Id,
            kind: SprintKind,
            start: Date,
            end: Date,
        }
        optional {
            planned: Points,
            completed: Points,
            hours_per_week: HoursPerWeek,
            hours_per_day: HoursPerDay,
        }
    }
}

impl Sprint {
    /// Calendar days, counted inclusively (`end - start + 1`).
    pub fn days(&self) -> i64 {
        self.start.days_until(*self.end) + 1
    }
}

manifest_struct! {
    /// A feature of the release.
    pub struct Feature as "feature" {
        required {
            id: Id,
            status: FeatureStatus,
        }
        optional {
            title: String,
            maturity: Maturity,
            added: Date,
            sprint: Id,
            user_facing: Flag,
            tests: List<Id>,
            docs: List<Id>,
            training: List<Id>,
            defects: Defects,
        }
    }
}

impl Feature {
    /// Not `deferred` or `dropped`.
    pub fn in_scope(&self) -> bool {
        !matches!(
            *self.status,
            FeatureStatus::Deferred | FeatureStatus::Dropped
        )
    }

    /// Default `stable`.
    pub fn maturity(&self) -> Maturity {
        self.maturity
            .as_deref()
            .copied()
            .unwrap_or(Maturity::Stable)
    }

    /// Default `true`: user-facing features need user docs and end-user training.
    pub fn user_facing(&self) -> bool {
        self.user_facing.as_ref().is_none_or(|f| f.0)
    }

    pub fn test_links(&self) -> &[Located<Id>] {
        self.tests.as_deref().map_or(&[], Vec::as_slice)
    }

    pub fn doc_links(&self) -> &[Located<Id>] {
        self.docs.as_deref().map_or(&[], Vec::as_slice)
    }

    pub fn training_links(&self) -> &[Located<Id>] {
        self.training.as_deref().map_or(&[], Vec::as_slice)
    }

    /// Open critical defects (default 0).
    pub fn critical_defects(&self) -> u32 {
        self.defects
            .as_ref()
            .and_then(|d| d.critical.as_ref())
            .map_or(0, |c| c.0)
    }

    /// Open major defects (default 0).
    pub fn major_defects(&self) -> u32 {
        self.defects
            .as_ref()
            .and_then(|d| d.major.as_ref())
            .map_or(0, |c| c.0)
    }
}

manifest_struct! {
    /// Open defects against a feature.
    pub struct Defects as "defects" {
        required {}
        optional {
            critical: Count,
            major: Count,
        }
    }
}

manifest_struct! {
    /// A test, with optional JUnit evidence.
    pub struct Test as "test" {
        required {
            id: Id,
            kind: TestKind,
            status: TestStatus,
        }
        optional {
            report: String,
            suite: String,
        }
    }
}

manifest_struct! {
    /// A document: a file, a folder, or a URL.
    pub struct Doc as "doc" {
        required {
            id: Id,
            kind: DocKind,
            status: DocStatus,
        }
        optional {
            path: String,
            url: String,
            reviewed: Flag,
        }
    }
    check = check_doc;
}

fn check_doc(d: &Doc) -> Result<(), String> {
    path_or_url(&d.path, &d.url, &format!("doc '{}'", d.id.value))
}

manifest_struct! {
    /// A training: material and its delivery.
    pub struct Training as "training" {
        required {
            id: Id,
            audience: Audience,
            status: TrainingStatus,
        }
        optional {
            path: String,
            url: String,
            session: Date,
            reviewed: Flag,
        }
    }
    check = check_training;
}

fn check_training(t: &Training) -> Result<(), String> {
    path_or_url(&t.path, &t.url, &format!("training '{}'", t.id.value))
}

manifest_struct! {
    /// `deployment:`: the release work products.
    pub struct Deployment as "deployment" {
        required {}
        optional {
            plan: String,
            backout: Backout,
            communications: List<Communication>,
            controls: List<Control>,
            infrastructure: List<Infrastructure>,
        }
    }
}

manifest_struct! {
    /// The backout plan.
    pub struct Backout as "backout" {
        required {}
        optional {
            path: String,
            url: String,
            tested: Flag,
        }
    }
    check = check_backout;
}

fn check_backout(b: &Backout) -> Result<(), String> {
    path_or_url(&b.path, &b.url, "backout")
}

manifest_struct! {
    /// A release communication (announcement, notice).
    pub struct Communication as "communication" {
        required {
            audience: String,
        }
        optional {
            path: String,
            url: String,
        }
    }
    check = check_communication;
}

fn check_communication(c: &Communication) -> Result<(), String> {
    path_or_url(
        &c.path,
        &c.url,
        &format!("communication for '{}'", c.audience.value),
    )
}

manifest_struct! {
    /// A release control the release must conform to.
    pub struct Control as "control" {
        required {
            name: String,
            status: ControlStatus,
        }
        optional {
            evidence: String,
        }
    }
}

manifest_struct! {
    /// An infrastructure item the release needs.
    pub struct Infrastructure as "infrastructure item" {
        required {
            name: String,
            status: InfraStatus,
        }
        optional {}
    }
}

manifest_struct! {
    /// `policy:`: thresholds and per-rule severities; every key has a default.
    pub struct Policy as "policy" {
        required {}
        optional {
            feature_tests: List<TestKind>,
            release_tests: List<TestKind>,
            min_release_load: Ratio,
            max_release_load: Ratio,
            max_hours_per_week: HoursPerWeek,
            max_hours_per_day: HoursPerDay,
            max_coverage_gap: Ratio,
            deployment_plan_sections: List<String>,
            rules: RuleLevels,
        }
    }
}

/// `policy.rules`: rule code or name to severity, in file order.
#[derive(Clone, Debug, Default)]
pub struct RuleLevels(pub Vec<(Located<String>, Located<Level>)>);

impl<'de> serde::Deserialize<'de> for RuleLevels {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RuleLevels;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping of rule code or name to error, warning or off")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<RuleLevels, A::Error> {
                let mut out = Vec::new();
                while let Some(key) = map.next_key::<Located<String>>()? {
                    if key.starts_with("x-") {
                        map.next_value::<serde::de::IgnoredAny>()?;
                    } else {
                        out.push((key, map.next_value()?));
                    }
                }
                Ok(RuleLevels(out))
            }
        }
        d.deserialize_map(V)
    }
}

manifest_struct! {
    /// An accepted exception to one rule for one subject.
    pub struct Waiver as "waiver" {
        required {
            rule: String,
            subject: String,
            reason: String,
            owner: String,
        }
        optional {
            expires: Date,
        }
    }
    check = check_waiver;
}

fn check_waiver(w: &Waiver) -> Result<(), String> {
    non_blank(&w.subject, "subject", "waiver")?;
    non_blank(&w.reason, "reason", "waiver")?;
    non_blank(&w.owner, "owner", "waiver")
}

manifest_struct! {
    /// `program:`: a coordinated release of several products.
    pub struct ProgramInfo as "program" {
        required {
            id: Id,
            name: String,
            date: Date,
            products: List<Product>,
        }
        optional {
            deployment_manager: String,
        }
    }
}

manifest_struct! {
    /// A product of a program, with its own release manifest.
    pub struct Product as "product" {
        required {
            id: Id,
            manifest: String,
        }
        optional {
            depends_on: List<Id>,
        }
    }
}

fn non_blank(value: &Located<String>, key: &str, what: &str) -> Result<(), String> {
    if value.trim().is_empty() {
        Err(de::at(
            value.pos,
            format!("'{key}' of a {what} must not be blank"),
        ))
    } else {
        Ok(())
    }
}

fn path_or_url(
    path: &Option<Located<String>>,
    url: &Option<Located<String>>,
    what: &str,
) -> Result<(), String> {
    match (path, url) {
        (Some(_), None) | (None, Some(_)) => Ok(()),
        (Some(_), Some(u)) => Err(de::at(
            u.pos,
            format!("{what} gives both 'path' and 'url'; give exactly one"),
        )),
        (None, None) => Err(format!("{what} needs 'path' or 'url'")),
    }
}

/// Where an artifact lives: a file or folder under the root, or a URL (never fetched).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Artifact<'a> {
    Path(&'a Located<String>),
    Url(&'a Located<String>),
}

impl<'a> Artifact<'a> {
    pub fn of(path: &'a Option<Located<String>>, url: &'a Option<Located<String>>) -> Option<Self> {
        path.as_ref()
            .map(Artifact::Path)
            .or(url.as_ref().map(Artifact::Url))
    }
}

impl Doc {
    pub fn artifact(&self) -> Option<Artifact<'_>> {
        Artifact::of(&self.path, &self.url)
    }
}

impl Training {
    pub fn artifact(&self) -> Option<Artifact<'_>> {
        Artifact::of(&self.path, &self.url)
    }
}

/// A release manifest: one product's release.
#[derive(Clone, Debug)]
pub struct Release {
    pub info: Located<ReleaseInfo>,
    pub sprints: List<Sprint>,
    pub features: List<Feature>,
    pub tests: List<Test>,
    pub docs: List<Doc>,
    pub training: List<Training>,
    pub deployment: Option<Located<Deployment>>,
    pub policy: Option<Located<Policy>>,
    pub waivers: List<Waiver>,
}

impl Release {
    pub fn name(&self) -> &str {
        &self.info.name
    }
}

/// A program manifest: a coordinated release of several products.
#[derive(Clone, Debug)]
pub struct Program {
    pub info: Located<ProgramInfo>,
    pub policy: Option<Located<Policy>>,
    pub waivers: List<Waiver>,
}

/// A loaded manifest of either kind.
#[derive(Clone, Debug)]
pub enum Manifest {
    Release(Box<Release>),
    Program(Box<Program>),
}

impl Manifest {
    pub fn kind(&self) -> &'static str {
        match self {
            Manifest::Release(_) => "release",
            Manifest::Program(_) => "program",
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Manifest::Release(r) => &r.info.name,
            Manifest::Program(p) => &p.info.name,
        }
    }

    pub fn policy(&self) -> Option<&Located<Policy>> {
        match self {
            Manifest::Release(r) => r.policy.as_ref(),
            Manifest::Program(p) => p.policy.as_ref(),
        }
    }

    pub fn waivers(&self) -> &[Located<Waiver>] {
        match self {
            Manifest::Release(r) => &r.waivers,
            Manifest::Program(p) => &p.waivers,
        }
    }
}
