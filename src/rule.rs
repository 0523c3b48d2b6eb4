//! What a rule is: its metadata, the findings it reports, and the trait every rule implements.
//!
//! A rule reports facts about one manifest as [`Finding`]s. Severity overrides, waivers,
//! `--select`/`--ignore` and `--strict` are applied afterwards by the engine, in one place
//! for all rules alike.

use std::collections::HashSet;
use std::fmt;

use crate::context::{Context, ProgramContext};
use crate::manifest::{Date, Level, Located, Pos, Waiver};

/// The severity of a finding once policy and selection are applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a rule's subjects are: tells which manifests it applies to, and what a report that
/// lists passes (JUnit) enumerates as the rule's cases.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The release as a whole; the subject is the release's name.
    Release,
    /// Features (in scope); the subject is the feature id.
    Features,
    /// Test, doc and training entries; the subject is the entry id.
    Artifacts,
    /// Test entries; the subject is the test id.
    Tests,
    /// Doc and training entries; the subject is the entry id.
    Documents,
    /// Training entries; the subject is the training id.
    Training,
    /// Sprints; the subject is the sprint id.
    Sprints,
    /// The deployment section's release controls; the subject is the control's name.
    Controls,
    /// The deployment section's infrastructure items; the subject is the item's name.
    Infrastructure,
    /// Path-valued fields: a release's test, doc and training entries (subject: the entry
    /// id), its deployment section's files (subject: the release's name), its coverage
    /// reports (subject: the report as written) and `code` globs (subject: the feature id),
    /// and a program's product manifests (subject: the product id).
    Paths,
    /// Entry ids of every section (releases and programs).
    Ids,
    /// Waivers (releases and programs); the subject is the waiver's subject.
    Waivers,
    /// Products of a program; the subject is the product id.
    Products,
}

impl Scope {
    pub const fn applies_to_release(self) -> bool {
        !matches!(self, Scope::Products)
    }

    pub const fn applies_to_program(self) -> bool {
        matches!(
            self,
            Scope::Products | Scope::Paths | Scope::Ids | Scope::Waivers
        )
    }

    /// What a rule of this scope evaluates in a release manifest (its subjects), in
    /// manifest order, without duplicates.
    pub fn release_subjects<'a>(self, cx: &Context<'a>) -> Vec<&'a str> {
        let r = cx.release;
        let tests = || r.tests.iter().map(|t| t.id.as_str());
        let docs = || r.docs.iter().map(|d| d.id.as_str());
        let training = || r.training.iter().map(|t| t.id.as_str());
        let sprints = || r.sprints.iter().map(|s| s.id.as_str());
        let deployment = || r.deployment.as_deref();
        match self {
            Scope::Release => unique([cx.name()]),
            Scope::Features => unique(cx.features_in_scope().map(|f| f.id.as_str())),
            Scope::Artifacts => unique(tests().chain(docs()).chain(training())),
            Scope::Paths => {
                // Deployment files (plan, backout plan, ...) are the release's own; a
                // coverage report is its own subject, a `code` glob its feature's.
                let release = r.deployment.is_some().then(|| cx.name());
                let code = r
                    .features
                    .iter()
                    .filter(|f| f.code.is_some())
                    .map(|f| f.id.as_str());
                let coverage = r.coverage.iter().map(|c| c.report.as_str());
                unique(
                    tests()
                        .chain(docs())
                        .chain(training())
                        .chain(release)
                        .chain(code)
                        .chain(coverage),
                )
            }
            Scope::Controls => unique(
                deployment()
                    .and_then(|d| d.controls.as_deref())
                    .into_iter()
                    .flatten()
                    .map(|c| c.name.as_str()),
            ),
            Scope::Infrastructure => unique(
                deployment()
                    .and_then(|d| d.infrastructure.as_deref())
                    .into_iter()
                    .flatten()
                    .map(|i| i.name.as_str()),
            ),
            Scope::Tests => unique(tests()),
            Scope::Documents => unique(docs().chain(training())),
            Scope::Training => unique(training()),
            Scope::Sprints => unique(sprints()),
            Scope::Ids => unique(
                r.features
                    .iter()
                    .map(|f| f.id.as_str())
                    .chain(tests())
                    .chain(docs())
                    .chain(training())
                    .chain(sprints()),
            ),
            Scope::Waivers => unique(r.waivers.iter().map(|w| w.subject.as_str())),
            Scope::Products => Vec::new(),
        }
    }

    /// What a rule of this scope evaluates in a program manifest (its subjects), in
    /// manifest order, without duplicates.
    pub fn program_subjects<'a>(self, cx: &ProgramContext<'a>) -> Vec<&'a str> {
        let p = cx.program;
        match self {
            Scope::Ids | Scope::Products | Scope::Paths => {
                unique(p.info.products.iter().map(|x| x.id.as_str()))
            }
            Scope::Waivers => unique(p.waivers.iter().map(|w| w.subject.as_str())),
            _ => Vec::new(),
        }
    }
}

/// `items` in order, each once.
fn unique<'a>(items: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen = HashSet::new();
    items.into_iter().filter(|s| seen.insert(*s)).collect()
}

/// When a rule's findings fall due in the release cycle: at once, at the scope freeze, or on
/// the release date. `policy.due` may move a rule to another milestone or a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Milestone {
    /// Due at once: what is wrong now (the manifest's integrity, scope creep, the pace).
    Now,
    /// Due at the scope freeze: what must be settled before hardening starts.
    Freeze,
    /// Due on the release date: what the release sprint produces.
    Release,
}

impl Milestone {
    pub const fn as_str(self) -> &'static str {
        match self {
            Milestone::Now => "now",
            Milestone::Freeze => "freeze",
            Milestone::Release => "release",
        }
    }
}

/// When a rule runs: most rules look at the manifest; waiver rules look at how the
/// manifest's waivers matched the other rules' findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Main,
    AfterWaivers,
}

/// A rule's identity and documentation.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code, e.g. `RC101`.
    pub code: &'static str,
    /// Stable kebab-case name, e.g. `untested-feature`.
    pub name: &'static str,
    /// Severity unless `policy.rules` says otherwise; `Off` rules are opt-in.
    pub default: Level,
    /// One line: when the rule finds something.
    pub summary: &'static str,
    /// The rule's doc comment (Markdown), as `relcheck explain` prints it.
    docs: &'static str,
    pub scope: Scope,
    /// When its findings fall due, unless `policy.due` says otherwise.
    pub milestone: Milestone,
    pub phase: Phase,
    /// An integrity rule: it cannot be waived, turned off or downgraded
    /// (`integrity: true` in its [`declare_rule!`]).
    pub integrity: bool,
}

impl RuleMeta {
    // One argument per field: only `declare_rule!` calls it.
    #[doc(hidden)]
    #[allow(clippy::too_many_arguments)]
    pub const fn new(
        code: &'static str,
        name: &'static str,
        default: Level,
        summary: &'static str,
        docs: &'static str,
        scope: Scope,
        milestone: Milestone,
        phase: Phase,
        integrity: bool,
    ) -> Self {
        RuleMeta {
            code,
            name,
            default,
            summary,
            docs,
            scope,
            milestone,
            phase,
            integrity,
        }
    }

    /// The explanation, with the doc comment's leading space removed from each line.
    pub fn explanation(&self) -> String {
        let mut out = String::with_capacity(self.docs.len());
        for line in self.docs.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim().to_owned() + "\n"
    }

    /// A finding of this rule about `subject`, at `pos`.
    pub fn finding(
        &'static self,
        subject: impl Into<String>,
        pos: Pos,
        message: impl Into<String>,
    ) -> Finding {
        Finding {
            rule: self,
            severity: Severity::Error,
            subject: subject.into(),
            message: message.into(),
            pos,
            action: None,
            waiver: None,
            blocking: false,
            due: None,
            late: false,
            settled: false,
            counts: false,
            baseline: None,
        }
    }
}

/// One fact a rule reports. Findings are data, never errors.
#[derive(Clone, Debug)]
// Each flag is a separate fact (blocking, late, settled, counts), decided in one place each.
#[allow(clippy::struct_excessive_bools)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    /// Filled in by the engine from the rule's effective level.
    pub severity: Severity,
    /// The id of the entry the finding is about (see `rules.md`).
    pub subject: String,
    pub message: String,
    /// The YAML node the finding is about.
    pub pos: Pos,
    /// What to do about it, phrased as an instruction for a planning meeting
    /// ("add an end-user training entry for 'saved-carts'"); shown in "what to do next".
    pub action: Option<String>,
    /// The index of the waiver (in the manifest's `waivers`) that covers it, if any.
    pub waiver: Option<usize>,
    /// Whether it keeps the manifest from being ready: decided by the engine's gate.
    pub blocking: bool,
    /// When it falls due (`None`: at once), from its rule's milestone or `policy.due` and the
    /// manifest's schedule: decided by the engine.
    pub due: Option<Due>,
    /// Whether today is on or after its due date: decided by the engine.
    pub late: bool,
    /// About the past (a sprint that ended before today): it cannot be fixed any more, so it
    /// is never late, though it still counts for readiness. Set by the rule.
    pub settled: bool,
    /// Whether it fails the gate (blocking, and under `on-track` late; with `--new-since`,
    /// new too): decided by the engine.
    pub counts: bool,
    /// With `--new-since`: whether the base had it too: decided by the engine.
    pub baseline: Option<BaselineState>,
}

/// With `--new-since`: whether a finding was already there at the base.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BaselineState {
    New,
    Existing,
}

impl BaselineState {
    /// `new` or `existing`, as reports name it.
    pub fn as_str(self) -> &'static str {
        match self {
            BaselineState::New => "new",
            BaselineState::Existing => "existing",
        }
    }
}

/// A finding listed by what it is, without a place: one resolved by a change, or one a
/// change relaxed (`--new-since`).
#[derive(Clone, Debug)]
pub struct Listed {
    pub rule: &'static RuleMeta,
    pub subject: String,
    pub message: String,
}

/// When a finding falls due: the milestone (or `policy.due` date) and its date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Due {
    /// `freeze`, `release` or `date` (a finding due `now` has no `Due`).
    pub milestone: &'static str,
    pub date: Date,
}

impl Finding {
    /// Attaches the concrete action that resolves the finding.
    #[must_use]
    pub fn with_action(mut self, action: impl Into<String>) -> Self {
        self.action = Some(action.into());
        self
    }

    pub fn is_waived(&self) -> bool {
        self.waiver.is_some()
    }

    /// Marks the finding as about the past (a sprint that ended before today): never late.
    #[must_use]
    pub fn settled(mut self, settled: bool) -> Self {
        self.settled = settled;
        self
    }
}

/// Why a rule could not look at what it needs: its input is absent (no `sprints:`, ...).
/// The reason is reported; it is not a failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotEvaluated(pub String);

/// A [`NotEvaluated`] with `reason`, for an early return:
/// `let s = cx.x().ok_or_else(|| not_evaluated("no x given"))?;`.
pub fn not_evaluated(reason: impl Into<String>) -> NotEvaluated {
    NotEvaluated(reason.into())
}

/// What a check returns: `Ok(())` when the rule looked, or why it could not. A rule that
/// cannot be evaluated returns early with `?` or `Err(not_evaluated(...))`.
pub type Eval = Result<(), NotEvaluated>;

/// A rule's metadata, implemented by [`declare_rule!`]: a rule file never writes it.
pub trait HasMeta {
    fn meta(&self) -> &'static RuleMeta;
}

/// What the waiver rules read: the manifest's waivers, today, and how the engine matched them
/// to the other rules' findings. The engine passes it to [`Rule::check_waivers`].
pub struct WaiverView<'a> {
    pub waivers: &'a [Located<Waiver>],
    pub today: Date,
    pub usage: &'a WaiverUse,
}

/// What the engine learned about the manifest's waivers, for the waiver rules.
#[derive(Clone, Debug, Default)]
pub struct WaiverUse {
    /// Per waiver (same order as the manifest): the rule it names.
    pub rules: Vec<&'static RuleMeta>,
    /// Per waiver: whether it covered a finding.
    pub used: Vec<bool>,
    /// Per waiver: whether its rule ran (a waiver of a rule that did not run cannot be used).
    pub rule_ran: Vec<bool>,
    /// Per rule a valid waiver names (by code): the subjects of its findings that no waiver
    /// covers, for RC010 to say what a waiver that matched nothing could have meant.
    pub open: std::collections::HashMap<&'static str, OpenSubjects>,
}

/// The distinct subjects of one rule's findings that no waiver covers.
#[derive(Clone, Debug, Default)]
pub struct OpenSubjects {
    /// The first [`OpenSubjects::KEPT`], in the order the rule reported them.
    pub first: Vec<String>,
    /// How many distinct subjects there are in all.
    pub total: usize,
}

impl OpenSubjects {
    /// Subjects kept per rule: enough to list a few and to find a near miss among them,
    /// few enough that a did-you-mean per unused waiver stays cheap.
    pub const KEPT: usize = 100;
}

/// A rule module. Rules only read the context; they never fail.
///
/// [`declare_rule!`] declares the rule and its metadata; the rule's file implements only
/// the checks it makes (`check`, `check_program`, or both; a waiver rule `check_waivers`).
pub trait Rule: HasMeta + Sync + Send {
    /// Checks a release manifest.
    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Finding>) -> Eval {
        Ok(())
    }

    /// Checks a program manifest.
    fn check_program(&self, _cx: &ProgramContext<'_>, _out: &mut Vec<Finding>) -> Eval {
        Ok(())
    }

    /// A rule of the [`Phase::AfterWaivers`] phase: checks how the manifest's waivers (of a
    /// release or a program alike) matched the other rules' findings, which the engine
    /// passes in.
    fn check_waivers(&self, _waivers: &WaiverView<'_>, _out: &mut Vec<Finding>) -> Eval {
        Ok(())
    }
}

/// Declares a rule: the doc comment becomes its `relcheck explain` text, and the rule gets
/// its `META` and the [`HasMeta`] accessor.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            code: $code:literal,
            name: $rname:literal,
            default: $level:ident,
            summary: $summary:literal,
            scope: $scope:ident,
            milestone: $milestone:ident
            $(, phase: $phase:ident)?
            $(, integrity: $integrity:literal)?
            $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub(crate) struct $name;

        impl $name {
            pub(crate) const META: $crate::rule::RuleMeta = $crate::rule::RuleMeta::new(
                $code,
                $rname,
                $crate::manifest::Level::$level,
                $summary,
                concat!($($doc, "\n"),*),
                $crate::rule::Scope::$scope,
                $crate::rule::Milestone::$milestone,
                $crate::rule::declare_rule!(@phase $($phase)?),
                $crate::rule::declare_rule!(@integrity $($integrity)?),
            );
        }

        impl $crate::rule::HasMeta for $name {
            fn meta(&self) -> &'static $crate::rule::RuleMeta {
                &Self::META
            }
        }
    };
    (@phase) => { $crate::rule::Phase::Main };
    (@phase $phase:ident) => { $crate::rule::Phase::$phase };
    (@integrity) => { false };
    (@integrity $integrity:literal) => { $integrity };
}
pub(crate) use declare_rule;
