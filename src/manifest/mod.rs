//! The manifest model, format version 1: release manifests and program manifests.
//!
//! This module is the only place that knows YAML. [`load`] reads a file into a [`Manifest`];
//! every value keeps the line and column of its YAML node ([`Located`]) so findings and
//! errors can point at it. The types mirror the manifest format: required keys are plain
//! [`Located`] fields, optional keys are `Option`s, and defaults live in accessors.

pub(crate) mod de;
mod effective;
pub mod escape;
pub(crate) mod events;
mod expiry;
pub mod fragment;
mod load;
mod schema;
mod starter;

pub use de::{Count, Date, Flag, Id, Located, NANOS, Number, Pos};
pub use effective::{
    DEFAULT_MAX_REPORT_AGE, DEFAULT_MIN_FEATURE_COVERAGE, DEFAULT_PLAN_SECTIONS, EffectivePolicy,
};
pub use expiry::{EXPIRING_WITHIN_DAYS, Standing};
pub(crate) use load::parse_as;
pub use load::{
    LoadError, MAX_ERRORS, MAX_MANIFEST_BYTES, MAX_MANIFEST_MIB, load, load_bytes, parse, to_json,
};
pub use schema::{SCHEMA_URL, json_schema};
pub use starter::Starter;

use de::{FromYaml, Invalid, Reader, Shape, Version, manifest_enum, manifest_struct};
use events::{Ev, Fatal};

/// Story points or another capacity unit: up to 10^9, decimals allowed.
pub type Points = Number<1_000_000_000>;
/// Planned hours per person per day: at most 24.
pub type HoursPerDay = Number<24>;
/// Planned hours per person per week: at most 168.
pub type HoursPerWeek = Number<168>;
/// A ratio threshold in the policy (loads, coverage gap): at most 1000.
pub type Ratio = Number<1000>;
/// A share between 0 and 1 (`policy.min_feature_coverage`).
pub type Share = Number<1>;

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
            /// The format version: `relcheck: 1`.
            relcheck: Version,
            /// What ships and when; makes this a release manifest.
            release: ReleaseInfo,
            /// The coordinated release of several products; makes this a program manifest.
            program: ProgramInfo,
            /// The sprints of the release cycle; the pace rules (RC3xx) need them.
            sprints: List<Sprint>,
            /// The features of the release; `deferred` and `dropped` ones are out of scope.
            features: List<Feature>,
            /// The tests that features and the release link, with optional JUnit evidence.
            tests: List<Test>,
            /// User, product, support and operations documents and release notes.
            docs: List<Doc>,
            /// Training material for end users, support and operations, and its delivery.
            training: List<Training>,
            /// The release work products: deployment and backout plans, communications,
            /// controls, infrastructure (RC4xx).
            deployment: Deployment,
            /// Thresholds and per-rule severities; every key has a default.
            policy: Policy,
            /// Accepted exceptions to one rule for one subject, each with a reason and an owner.
            waivers: List<Waiver>,
            /// Line-coverage reports (Cobertura XML, lcov) that measure the features' `code`
            /// (RC013, RC112).
            coverage: List<CoverageReport>,
        }
    }
}

manifest_struct! {
    /// A line-coverage report of the release's code.
    pub struct CoverageReport as "coverage report" {
        required {
            /// A Cobertura XML report or an lcov tracefile, relative to the manifest's folder
            /// (RC004, RC005, RC013).
            report: String,
        }
        optional {
            /// Prepended to the report's relative file paths, e.g. `services/shop`.
            prefix: String,
        }
    }
}

manifest_struct! {
    /// `release:`: what ships and when.
    pub struct ReleaseInfo as "release" {
        required {
            /// The release's name, e.g. `Storefront 2.4`; must not be blank.
            name: String,
            /// The planned production date.
            date: Date,
        }
        optional {
            /// The version being released, e.g. `2.4.0` (quote it if YAML could read a number).
            version: String,
            /// The scope freeze: features `added` after it are scope creep (RC108).
            freeze: Date,
            /// The id of the program (coordinated release) this release ships in (RC504).
            program: Id,
            /// What the release is for.
            objectives: List<String>,
            /// The people the practice names; RC408 wants all three.
            roles: Roles,
            /// Sign-offs that users and production are ready (RC409).
            approvals: List<Approval>,
        }
    }
    check = check_release_info;
}

fn check_release_info(r: &ReleaseInfo) -> Result<(), Invalid> {
    non_blank(&r.name, "name", "release")
}

manifest_struct! {
    /// `release.roles`: the people the practice names.
    pub struct Roles as "roles" {
        required {}
        optional {
            /// Who accepts features and signs the release off.
            product_owner: String,
            /// Who prepares and runs the deployment.
            deployment_engineer: String,
            /// Who coordinates the deployment and its communications.
            deployment_manager: String,
        }
    }
}

manifest_struct! {
    /// A sign-off that users and production are ready.
    pub struct Approval as "approval" {
        required {
            /// Who signs off.
            by: String,
            /// `approved`, `pending` or `rejected`; any `rejected` one blocks the release.
            status: ApprovalStatus,
        }
        optional {
            /// The signer's role, e.g. `product-owner`.
            role: String,
            /// When the sign-off was given.
            date: Date,
        }
    }
}

manifest_struct! {
    /// A sprint of the release cycle.
    pub struct Sprint as "sprint" {
        required {
            /// The sprint's id, unique among sprints; features name it in `sprint`.
            id: Id,
            /// `feature` (builds features) or `release` (hardens and prepares the release).
            kind: SprintKind,
            /// The first day of the sprint.
            start: Date,
            /// The last day of the sprint (days count inclusively).
            end: Date,
        }
        optional {
            /// Planned capacity, in the team's own unit (story points, hours).
            planned: Points,
            /// What was done, in the same unit; the mean over feature sprints is the velocity
            /// that release sprints are compared with (RC301, RC302).
            completed: Points,
            /// Planned hours per person per week (RC303, RC304); at most 168.
            hours_per_week: HoursPerWeek,
            /// Planned hours per person per day (RC305); at most 24.
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
            /// The feature's id, unique among features; waivers and findings name it.
            id: Id,
            /// Where the feature stands; `deferred` and `dropped` take it out of scope.
            status: FeatureStatus,
        }
        optional {
            /// A human-readable title.
            title: String,
            /// `experimental`, `beta` or `stable` (default `stable`); only stable features
            /// ship (RC106).
            maturity: Maturity,
            /// The day the feature entered this release's scope (RC108 compares it with
            /// `release.freeze`).
            added: Date,
            /// The id of the sprint the feature was developed in (RC109).
            sprint: Id,
            /// Default `true`; `false`: the feature needs no user docs or end-user training.
            user_facing: Flag,
            /// Ids of the tests that prove the feature works (RC101, RC102, RC103).
            tests: List<Id>,
            /// Ids of the feature's documents; user-facing features need a `user` doc (RC201).
            docs: List<Id>,
            /// Ids of the feature's training; user-facing features need `end-user` training
            /// (RC204).
            training: List<Id>,
            /// Open defects against the feature (RC110, RC111).
            defects: Defects,
            /// The feature's source files, as globs relative to the manifest's folder
            /// (`**` any number of folders, `*` and `?` within one); its coverage is RC112's.
            code: CodeGlobs,
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

    /// The `code` globs as written (none when not given).
    pub fn code_globs(&self) -> &[Located<String>] {
        self.code.as_deref().map_or(&[], |c| c.0.as_slice())
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
            /// Open critical defects (default 0); any blocks the release (RC110).
            critical: Count,
            /// Open major defects (default 0); a warning (RC111).
            major: Count,
        }
    }
}

manifest_struct! {
    /// A test, with optional JUnit evidence.
    pub struct Test as "test" {
        required {
            /// The test's id, unique among tests; features link it in `tests`.
            id: Id,
            /// What kind of test it is; `policy.feature_tests` and `policy.release_tests`
            /// name the kinds required.
            kind: TestKind,
            /// The recorded outcome; only `passed` counts as passing.
            status: TestStatus,
        }
        optional {
            /// A JUnit XML report, relative to the manifest's folder, that must agree with
            /// `status` (RC007).
            report: String,
            /// Only this `<testsuite>` (by exact name) of the report counts.
            suite: String,
            /// Only the report's test cases matching one of these name patterns count (`*`
            /// any run of characters, `?` one character; against a case's `name`,
            /// `classname`, `classname.name` or `file`).
            cases: CasePatterns,
        }
    }
}

manifest_struct! {
    /// A document: a file, a folder, or a URL.
    pub struct Doc as "doc" {
        required {
            /// The document's id, unique among docs; features link it in `docs`.
            id: Id,
            /// What the document is for.
            kind: DocKind,
            /// `draft`, `review` or `final`; unfinished linked docs are RC206.
            status: DocStatus,
        }
        optional {
            /// A file, or a folder holding at least one real file, relative to the manifest's
            /// folder. Give `path` or `url`, not both.
            path: String,
            /// Where the document lives outside the repository (recorded, never fetched).
            /// Give `path` or `url`, not both.
            url: String,
            /// Whether the document had a quality review (RC208).
            reviewed: Flag,
        }
    }
    check = check_doc;
}

fn check_doc(d: &Doc) -> Result<(), Invalid> {
    path_or_url(
        d.path.as_ref(),
        d.url.as_ref(),
        &format!("doc '{}'", d.id.value),
    )
}

manifest_struct! {
    /// A training: material and its delivery.
    pub struct Training as "training" {
        required {
            /// The training's id, unique among training; features link it in `training`.
            id: Id,
            /// Who the training is for.
            audience: Audience,
            /// `planned`, `draft`, `ready` or `delivered`.
            status: TrainingStatus,
        }
        optional {
            /// The training material, relative to the manifest's folder. Give `path` or
            /// `url`, not both.
            path: String,
            /// Where the material lives outside the repository (recorded, never fetched).
            /// Give `path` or `url`, not both.
            url: String,
            /// The scheduled delivery; due on or before `release.date` (RC207).
            session: Date,
            /// Whether the material had a quality review (RC208).
            reviewed: Flag,
        }
    }
    check = check_training;
}

fn check_training(t: &Training) -> Result<(), Invalid> {
    path_or_url(
        t.path.as_ref(),
        t.url.as_ref(),
        &format!("training '{}'", t.id.value),
    )
}

manifest_struct! {
    /// `deployment:`: the release work products.
    pub struct Deployment as "deployment" {
        required {}
        optional {
            /// The deployment plan (Markdown), relative to the manifest's folder (RC401); its
            /// headings should cover `policy.deployment_plan_sections` (RC402).
            plan: String,
            /// The backout plan: how to undo the deployment (RC403, RC404).
            backout: Backout,
            /// Announcements and notices to users and stakeholders (RC405).
            communications: List<Communication>,
            /// Release controls the release must conform to (RC406).
            controls: List<Control>,
            /// Infrastructure the release needs, validated before it ships (RC407).
            infrastructure: List<Infrastructure>,
        }
    }
}

manifest_struct! {
    /// The backout plan.
    pub struct Backout as "backout" {
        required {}
        optional {
            /// The backout plan, relative to the manifest's folder. Give `path` or `url`, not
            /// both.
            path: String,
            /// Where the backout plan lives outside the repository. Give `path` or `url`, not
            /// both.
            url: String,
            /// Whether the backout was rehearsed (RC404 wants `true`).
            tested: Flag,
        }
    }
    check = check_backout;
}

fn check_backout(b: &Backout) -> Result<(), Invalid> {
    path_or_url(b.path.as_ref(), b.url.as_ref(), "backout")
}

manifest_struct! {
    /// A release communication (announcement, notice).
    pub struct Communication as "communication" {
        required {
            /// Who the communication is for, e.g. `customers`.
            audience: String,
        }
        optional {
            /// The communication, relative to the manifest's folder. Give `path` or `url`,
            /// not both.
            path: String,
            /// Where the communication lives outside the repository. Give `path` or `url`,
            /// not both.
            url: String,
        }
    }
    check = check_communication;
}

fn check_communication(c: &Communication) -> Result<(), Invalid> {
    path_or_url(
        c.path.as_ref(),
        c.url.as_ref(),
        &format!("communication for '{}'", c.audience.value),
    )
}

manifest_struct! {
    /// A release control the release must conform to.
    pub struct Control as "control" {
        required {
            /// What the control requires, e.g. `Package integrity verified`.
            name: String,
            /// `met`, `not-met` (blocks the release) or `not-applicable`.
            status: ControlStatus,
        }
        optional {
            /// A file, relative to the manifest's folder, that shows the control is met.
            evidence: String,
        }
    }
}

manifest_struct! {
    /// An infrastructure item the release needs.
    pub struct Infrastructure as "infrastructure item" {
        required {
            /// The item, e.g. `payments-db-v2`.
            name: String,
            /// `planned`, `installed` or `validated`; only `validated` is ready (RC407).
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
            /// Test kinds every feature in scope needs (RC103); default `[integration, uat]`.
            feature_tests: List<TestKind>,
            /// Test kinds the release as a whole needs, passing (RC104); default `[system]`.
            release_tests: List<TestKind>,
            /// A release sprint plans at least this share of the feature sprints' mean
            /// velocity (RC301); default 0.7.
            min_release_load: Ratio,
            /// A release sprint plans at most this share of the feature sprints' mean
            /// velocity (RC302); default 1.2.
            max_release_load: Ratio,
            /// Planned hours per person per week above this are overtime (RC303, RC304);
            /// default 40.
            max_hours_per_week: HoursPerWeek,
            /// Planned hours per person per day above this are crunch (RC305); default 10.
            max_hours_per_day: HoursPerDay,
            /// How far the documented and trained shares may trail the tested share (RC209);
            /// default 0.2.
            max_coverage_gap: Ratio,
            /// Topics the deployment plan's headings must cover (RC402); default scope,
            /// schedule, risks, stakeholders, approval, contacts, escalation, success criteria.
            deployment_plan_sections: List<String>,
            /// A test's JUnit report dated more than this many days before today is stale
            /// (RC012); default 30.
            max_report_age: Count,
            /// The share of a feature's coverable `code` lines that tests must cover (RC112);
            /// default 0.6.
            min_feature_coverage: Share,
            /// Per-rule severity by code or name: `error`, `warning` or `off`.
            rules: RuleLevels,
            /// When each rule's findings fall due, by code, name or code prefix: `now`,
            /// `freeze`, `release` or a date.
            due: RuleDues,
        }
    }
}

/// `cases`: the test-case name patterns of a test, at least one, none empty.
#[derive(Clone, Debug, Default)]
pub struct CasePatterns(pub Vec<Located<String>>);

impl FromYaml for CasePatterns {
    fn read<'a>(r: &mut Reader<'a>, ev: Ev<'a>) -> Result<Option<Self>, Fatal> {
        let pos = ev.pos();
        let Some(list) = Vec::<Located<String>>::read(r, ev)? else {
            return Ok(None);
        };
        if list.is_empty() {
            r.error(
                pos,
                "cases: [] selects no test case; give at least one pattern, or leave 'cases' out"
                    .to_owned(),
            );
            return Ok(None);
        }
        if let Some(empty) = list.iter().find(|p| p.value.is_empty()) {
            r.error(
                empty.pos,
                "an empty case pattern matches nothing; write a pattern such as '*test_checkout*'"
                    .to_owned(),
            );
            return Ok(None);
        }
        Ok(Some(CasePatterns(list)))
    }
}

/// `features[].code`: globs of the feature's source files, none empty, none ending in `/`
/// or starting with `!`.
#[derive(Clone, Debug, Default)]
pub struct CodeGlobs(pub Vec<Located<String>>);

impl FromYaml for CodeGlobs {
    fn read<'a>(r: &mut Reader<'a>, ev: Ev<'a>) -> Result<Option<Self>, Fatal> {
        let Some(list) = Vec::<Located<String>>::read(r, ev)? else {
            return Ok(None);
        };
        let mut ok = true;
        for g in &list {
            if let Some(why) = code_glob_error(&g.value) {
                r.error(g.pos, why);
                ok = false;
            }
        }
        Ok(ok.then_some(CodeGlobs(list)))
    }
}

/// Why a `code` glob is refused at load time, if it is.
fn code_glob_error(glob: &str) -> Option<String> {
    let q = de::quoted(glob);
    if glob.trim().is_empty() {
        Some("an empty code glob matches nothing; write a glob such as 'src/checkout/**'".into())
    } else if glob.starts_with('!') {
        Some(format!(
            "code glob {q} starts with '!': negation is not supported; list the files that belong to the feature instead"
        ))
    } else if glob.ends_with('/') || glob.ends_with('\\') {
        Some(format!(
            "code glob {q} ends with '/': write '{}**' for everything under the folder",
            glob.escape_debug()
        ))
    } else {
        None
    }
}

/// A mapping keyed by rule (code, name, or for `policy.due` a code prefix), in file order;
/// `x-` keys are skipped. The policy checks the keys and, for `policy.due`, the values.
#[derive(Clone, Debug, Default)]
pub struct RuleMap<V>(pub Vec<(Located<String>, Located<V>)>);

/// `policy.rules`: rule code or name to severity.
pub type RuleLevels = RuleMap<Level>;

/// `policy.due`: rule code, name or code prefix to `now`, `freeze`, `release` or a date
/// `YYYY-MM-DD`.
pub type RuleDues = RuleMap<String>;

impl<V: FromYaml> FromYaml for RuleMap<V> {
    fn read<'a>(r: &mut Reader<'a>, ev: Ev<'a>) -> Result<Option<Self>, Fatal> {
        if !matches!(ev, Ev::MapStart(_)) {
            r.wrong(&ev, Shape::Mapping, false)?;
            return Ok(None);
        }
        let before = r.error_count();
        let mut map = de::MapState::default();
        let mut out = Vec::new();
        while let Some(key) = r.next_key(&mut map)? {
            if !r.other_key(&key, &mut map)? {
                continue;
            }
            if key.name.starts_with("x-") {
                r.skip_value()?;
                continue;
            }
            let ev = r.next_in()?;
            let pos = ev.pos();
            if let Some(v) = V::read(r, ev)? {
                out.push((
                    Located::new(key.name.into_owned(), key.pos),
                    Located::new(v, pos),
                ));
            }
        }
        Ok((r.error_count() == before).then_some(RuleMap(out)))
    }
}

manifest_struct! {
    /// An accepted exception to one rule for one subject.
    pub struct Waiver as "waiver" {
        required {
            /// The rule waived, by code (RC204) or name; integrity rules cannot be waived.
            rule: String,
            /// The id the finding is about: a feature, test, doc or training id, a sprint, a
            /// product, or the release's name for release-wide rules.
            subject: String,
            /// Why the exception is acceptable.
            reason: String,
            /// Who answers for the exception.
            owner: String,
        }
        optional {
            /// After this day the waiver is void and the finding counts again (RC009, RC011).
            expires: Date,
        }
    }
    check = check_waiver;
}

fn check_waiver(w: &Waiver) -> Result<(), Invalid> {
    non_blank(&w.subject, "subject", "waiver")?;
    non_blank(&w.reason, "reason", "waiver")?;
    non_blank(&w.owner, "owner", "waiver")
}

manifest_struct! {
    /// `program:`: a coordinated release of several products.
    pub struct ProgramInfo as "program" {
        required {
            /// The program's id; each product's `release.program` names it (RC504).
            id: Id,
            /// The program's name, e.g. `Winter 2026 Release Train`.
            name: String,
            /// The coordinated production date; no product may ship later (RC504).
            date: Date,
            /// The products released together, each with its own release manifest.
            products: List<Product>,
        }
        optional {
            /// Who coordinates the program's deployment.
            deployment_manager: String,
        }
    }
}

manifest_struct! {
    /// A product of a program, with its own release manifest.
    pub struct Product as "product" {
        required {
            /// The product's id, unique in the program.
            id: Id,
            /// The product's release manifest, relative to the program manifest's folder.
            manifest: String,
        }
        optional {
            /// Ids of the products this one needs ready first (RC502, RC503).
            depends_on: List<Id>,
        }
    }
}

fn non_blank(value: &Located<String>, key: &str, what: &str) -> Result<(), Invalid> {
    if is_blank(value) {
        Err(de::at(
            value.pos,
            format!(
                "'{key}' of a {what} must not be blank (it holds only whitespace or invisible characters)"
            ),
        ))
    } else {
        Ok(())
    }
}

/// Nothing a reader can see: only whitespace and invisible format characters (Unicode
/// category Cf: zero-width spaces and joiners, the word joiner, byte-order marks,
/// bidirectional marks, ...).
pub fn is_blank(s: &str) -> bool {
    s.chars().all(|c| c.is_whitespace() || is_format_char(c))
}

/// Unicode general category Cf (format characters), as of Unicode 16.
fn is_format_char(c: char) -> bool {
    matches!(c,
        '\u{ad}'
        | '\u{600}'..='\u{605}'
        | '\u{61c}'
        | '\u{6dd}'
        | '\u{70f}'
        | '\u{890}'..='\u{891}'
        | '\u{8e2}'
        | '\u{180e}'
        | '\u{200b}'..='\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206f}'
        | '\u{feff}'
        | '\u{fff9}'..='\u{fffb}'
        | '\u{110bd}'
        | '\u{110cd}'
        | '\u{13430}'..='\u{1343f}'
        | '\u{1bca0}'..='\u{1bca3}'
        | '\u{1d173}'..='\u{1d17a}'
        | '\u{e0001}'
        | '\u{e0020}'..='\u{e007f}')
}

fn path_or_url(
    path: Option<&Located<String>>,
    url: Option<&Located<String>>,
    what: &str,
) -> Result<(), Invalid> {
    match (path, url) {
        (Some(_), None) | (None, Some(_)) => Ok(()),
        (Some(_), Some(u)) => Err(de::at(
            u.pos,
            format!("{what} gives both 'path' and 'url'; give exactly one"),
        )),
        (None, None) => Err(format!("{what} needs 'path' or 'url'").into()),
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
    /// Line-coverage reports; empty when not given (`coverage: []` counts as not given).
    pub coverage: List<CoverageReport>,
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
