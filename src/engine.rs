//! Running the rules on one manifest as its [`Plan`] says, and everything decided once for
//! all rules alike: which findings waivers cover, what was not evaluated, and the verdict.
//!
//! The verdict has this one owner: which findings block readiness (under the [`Gate`]), whether
//! a manifest is ready, each product's state in a program, and the run's overall verdict.
//! Reports only read what is decided here.

use std::collections::{HashMap, VecDeque};

use crate::context::{Context, ProgramContext};
use crate::manifest::Date;
use crate::manifest::{Located, Waiver};
use crate::policy::{self, Plan};
use crate::program::ProductStatus;
use crate::rule::{self, Milestone};
use crate::rule::{BaselineState, Listed};
use crate::rule::{
    Eval, Finding, NotEvaluated, Phase, Rule, RuleMeta, Severity, WaiverUse, WaiverView,
};
use crate::schedule::Schedule;

/// Which verdict the exit code follows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GateKind {
    /// `--gate release`: every manifest is ready to ship.
    #[default]
    Release,
    /// `--gate on-track`: no blocking finding is late.
    OnTrack,
}

impl GateKind {
    pub fn name(self) -> &'static str {
        match self {
            GateKind::Release => "release",
            GateKind::OnTrack => "on-track",
        }
    }
}

/// What the gate judges by: which verdict decides (`--gate`), and with `strict`, an unwaived
/// warning blocks readiness too.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Gate {
    pub strict: bool,
    pub kind: GateKind,
}

impl Gate {
    /// Whether a finding blocks readiness: unwaived, and an error (under a strict gate, a
    /// warning too).
    fn blocks(self, f: &Finding) -> bool {
        !f.is_waived() && (f.severity == Severity::Error || self.strict)
    }
}

/// Whether something may ship.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Verdict {
    Ready,
    #[default]
    NotReady,
}

impl Verdict {
    pub fn is_ready(self) -> bool {
        self == Verdict::Ready
    }

    /// `READY` or `NOT READY`, as verdict lines print it.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Ready => "READY",
            Verdict::NotReady => "NOT READY",
        }
    }
}

/// The run's verdicts: ready and on track when every manifest is (and at least one was
/// checked, and every one loaded); the gate passes on the verdict it follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunVerdict {
    pub ready: Verdict,
    pub on_track: bool,
    pub pass: bool,
}

impl RunVerdict {
    /// `all_loaded`: every manifest named could be loaded; otherwise nothing passes.
    pub fn of<'o>(outcomes: impl IntoIterator<Item = &'o Outcome>, all_loaded: bool) -> RunVerdict {
        let mut any = false;
        let (mut ready, mut on_track, mut gate_pass) = (all_loaded, all_loaded, true);
        for o in outcomes {
            any = true;
            ready &= o.verdict.is_ready();
            on_track &= o.on_track;
            gate_pass &= o.gate_pass;
        }
        let (ready, on_track) = (ready && any, on_track && any);
        let pass = all_loaded && any && gate_pass;
        RunVerdict {
            ready: if ready {
                Verdict::Ready
            } else {
                Verdict::NotReady
            },
            on_track,
            pass,
        }
    }
}

/// A product's state in its program, decided once: its own verdict, and whether a product
/// it depends on holds it back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProductState {
    /// Its manifest was checked and is ready, and so is every product it depends on.
    Ready,
    /// Ready itself, but a product it depends on is not.
    Blocked,
    /// Its manifest was checked and is not ready.
    NotReady,
    /// Its manifest does not exist.
    Missing,
    /// Its manifest exists but cannot be loaded.
    Invalid,
    /// Its manifest's path leaves the program's folder (never read).
    Outside,
}

impl ProductState {
    /// A one- or two-word state for tables and JSON.
    pub fn label(self) -> &'static str {
        match self {
            ProductState::Ready => "ready",
            ProductState::Blocked => "blocked",
            ProductState::NotReady => "not ready",
            ProductState::Missing => "missing",
            ProductState::Invalid => "invalid",
            ProductState::Outside => "outside",
        }
    }
}

/// The states of a program's products, parallel to its `products`.
fn product_states(cx: &ProgramContext<'_>) -> Vec<ProductState> {
    cx.products
        .iter()
        .enumerate()
        .map(|(i, status)| match status {
            ProductStatus::Checked { ready: true, .. } => {
                let held_back = cx
                    .graph
                    .deps(i)
                    .iter()
                    .any(|&d| cx.products.get(d).is_some_and(|s| !s.is_ready()));
                if held_back {
                    ProductState::Blocked
                } else {
                    ProductState::Ready
                }
            }
            ProductStatus::Checked { ready: false, .. } => ProductState::NotReady,
            ProductStatus::Missing { .. } => ProductState::Missing,
            ProductStatus::Invalid { .. } => ProductState::Invalid,
            ProductStatus::OutsideRoot { .. } => ProductState::Outside,
        })
        .collect()
}

/// The result of checking one manifest: findings sorted by position and rule.
#[derive(Debug, Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    /// The rules that ran on this manifest (selected, not off, and applying to its kind), in
    /// code order: what a report listing passes (JUnit) enumerates.
    pub ran: Vec<&'static RuleMeta>,
    /// Rules that ran but whose input was absent, with the reason.
    pub not_evaluated: Vec<(&'static RuleMeta, String)>,
    /// Whether the manifest may ship (for a program: it and every product).
    pub verdict: Verdict,
    /// No blocking finding is late (for a program: and every product is on track).
    pub on_track: bool,
    /// A program's products' states, parallel to its `products`; empty for a release.
    pub products: Vec<ProductState>,
    /// Whether this manifest passes the gate: no finding counts (see [`Finding::counts`]);
    /// without `--new-since`, its verdict under the gate (for a program, its products too).
    pub gate_pass: bool,
    /// With `--new-since`: the base's findings this change resolved.
    pub resolved: Vec<Listed>,
    /// With `--new-since`: open findings the head's own settings would waive or not report.
    pub relaxed: Vec<Listed>,
}

impl Outcome {
    /// Unwaived findings of `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| !f.is_waived() && f.severity == severity)
            .count()
    }

    pub fn waived(&self) -> usize {
        self.findings.iter().filter(|f| f.is_waived()).count()
    }

    /// Marks the findings that block readiness under `gate`, when each falls due and whether
    /// it is late, and decides the verdicts: ready when no finding blocks, on track when no
    /// blocking finding is late.
    ///
    /// Which findings count for the gate: blocking ones (under `on-track`, the late ones); with
    /// `--new-since` (`since`), only new ones, and under `on-track` all new blocking ones once
    /// today is on or after the freeze.
    fn judge(&mut self, gate: Gate, plan: &Plan, schedule: &Schedule, today: Date, since: bool) {
        let frozen = today >= schedule.freeze;
        for f in &mut self.findings {
            f.blocking = gate.blocks(f);
            let (mine, other) = plan.dues(f.rule);
            let mine = due(mine, schedule);
            f.due = match other {
                Some(other) => earlier(mine, due(other, schedule)),
                None => mine,
            };
            f.late = !f.settled && f.due.is_none_or(|d| today >= d.date);
            f.counts = f.blocking
                && match (since, gate.kind) {
                    (false, GateKind::Release) => true,
                    (false, GateKind::OnTrack) => f.late,
                    (true, kind) => {
                        f.baseline != Some(BaselineState::Existing)
                            && (kind == GateKind::Release || f.late || frozen)
                    }
                };
        }
        self.verdict = if self.findings.iter().any(|f| f.blocking) {
            Verdict::NotReady
        } else {
            Verdict::Ready
        };
        self.on_track = !self.findings.iter().any(|f| f.blocking && f.late);
        self.gate_pass = !self.findings.iter().any(|f| f.counts);
    }

    /// The gate's answer from the verdicts (without `--new-since`): for a program, its
    /// products' states are part of them.
    fn pass_by_verdict(&mut self, gate: Gate) {
        self.gate_pass = match gate.kind {
            GateKind::Release => self.verdict.is_ready(),
            GateKind::OnTrack => self.on_track,
        };
    }

    /// Open findings (unwaived) that are late.
    pub fn late(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| !f.is_waived() && f.late)
            .count()
    }
}

/// Either kind of context, so one runner serves both.
#[derive(Clone, Copy)]
enum AnyContext<'c, 'a> {
    Release(&'c Context<'a>),
    Program(&'c ProgramContext<'a>),
}

impl AnyContext<'_, '_> {
    /// Runs `rule` if it applies to this kind of manifest: a main-phase rule on the context,
    /// a waiver rule on `waivers` (how the waivers matched, once they have).
    fn run(
        &self,
        rule: &dyn Rule,
        waivers: Option<&WaiverView<'_>>,
        out: &mut Vec<Finding>,
    ) -> Option<Eval> {
        let scope = rule.meta().scope;
        let applies = match self {
            AnyContext::Release(_) => scope.applies_to_release(),
            AnyContext::Program(_) => scope.applies_to_program(),
        };
        if !applies {
            return None;
        }
        Some(match (waivers, self) {
            (Some(view), _) => rule.check_waivers(view, out),
            (None, AnyContext::Release(cx)) => rule.check(cx, out),
            (None, AnyContext::Program(cx)) => rule.check_program(cx, out),
        })
    }
}

fn run(
    target: AnyContext<'_, '_>,
    plan: &Plan,
    waivers: &[Located<Waiver>],
    today: crate::manifest::Date,
) -> Outcome {
    let mut outcome = Outcome::default();
    let run_phase = |phase: Phase, view: Option<&WaiverView<'_>>, outcome: &mut Outcome| {
        let start = outcome.findings.len();
        for (rule, severity) in plan.active().filter(|(r, _)| r.meta().phase == phase) {
            let before = outcome.findings.len();
            match target.run(rule, view, &mut outcome.findings) {
                Some(Err(NotEvaluated(reason))) => {
                    outcome.ran.push(rule.meta());
                    outcome.not_evaluated.push((rule.meta(), reason));
                }
                Some(Ok(())) => outcome.ran.push(rule.meta()),
                None => {}
            }
            for f in &mut outcome.findings[before..] {
                f.severity = severity;
            }
        }
        start
    };
    run_phase(Phase::Main, None, &mut outcome);
    let mut usage = WaiverUse {
        rules: plan.waiver_rules.clone(),
        used: vec![false; waivers.len()],
        rule_ran: plan
            .waiver_rules
            .iter()
            .map(|m| plan.runs(m.code))
            .collect(),
        ..WaiverUse::default()
    };
    crate::waiver::apply(
        &mut outcome.findings,
        waivers,
        &plan.waiver_rules,
        today,
        &mut usage,
    );
    let view = WaiverView {
        waivers,
        today,
        usage: &usage,
    };
    let start = run_phase(Phase::AfterWaivers, Some(&view), &mut outcome);
    // Waiver findings may themselves be waived; that does not change which waivers were used.
    let mut ignored = WaiverUse {
        used: vec![false; waivers.len()],
        ..WaiverUse::default()
    };
    crate::waiver::apply(
        &mut outcome.findings[start..],
        waivers,
        &plan.waiver_rules,
        today,
        &mut ignored,
    );
    outcome
        .findings
        .sort_by(|a, b| (a.pos, a.rule.code).cmp(&(b.pos, b.rule.code)));
    outcome.ran.sort_by_key(|m| m.code);
    outcome
}

/// The date a finding falls due on, from its rule's due (`None`: now). No due date is later
/// than the release milestone.
fn due(due: policy::Due, schedule: &Schedule) -> Option<rule::Due> {
    let (milestone, date) = match due {
        policy::Due::At(Milestone::Now) => return None,
        policy::Due::At(Milestone::Freeze) => ("freeze", schedule.freeze),
        policy::Due::At(Milestone::Release) => ("release", schedule.release),
        policy::Due::On(date) if date > schedule.release => ("release", schedule.release),
        policy::Due::On(date) => ("date", date),
    };
    Some(rule::Due { milestone, date })
}

/// The earlier of two due dates (`None`: now, the earliest).
fn earlier(a: Option<rule::Due>, b: Option<rule::Due>) -> Option<rule::Due> {
    match (a, b) {
        (None, _) | (_, None) => None,
        (Some(a), Some(b)) => Some(if b.date < a.date { b } else { a }),
    }
}

/// Checks a release manifest and judges it under `gate`.
pub fn check_release(cx: &Context<'_>, plan: &Plan, gate: Gate) -> Outcome {
    let mut outcome = run(AnyContext::Release(cx), plan, &cx.release.waivers, cx.today);
    outcome.judge(gate, plan, &cx.schedule, cx.today, false);
    outcome.pass_by_verdict(gate);
    outcome
}

/// The manifest as it was at the base commit (`--new-since`), checked.
pub struct AtBase<'b> {
    pub outcome: Outcome,
    /// The release's (or program's) name there: manifest-wide findings match by it.
    pub name: &'b str,
    pub waivers: &'b [Located<Waiver>],
    /// Which rule each of `waivers` names.
    pub waiver_rules: &'b [&'static RuleMeta],
}

/// `--new-since`: checks a release under `plan` (the stricter of the head's and the base's,
/// with `cx`'s policy and milestones the stricter too), where a finding is waived only if a
/// waiver of the base covers it as well; marks each finding new or existing against `base`
/// (`None`: the manifest is new, or was invalid there), lists what this change resolved and
/// what it relaxed (open here, waived or not reported under the head's own settings: `own`),
/// and takes the manifest's verdicts from `own` (they are the head's).
pub fn check_release_since(
    cx: &Context<'_>,
    plan: &Plan,
    gate: Gate,
    own: &Outcome,
    base: Option<&AtBase<'_>>,
) -> Outcome {
    let mut outcome = run(AnyContext::Release(cx), plan, &cx.release.waivers, cx.today);
    since(&mut outcome, cx.name(), own, base, cx.today);
    outcome.judge(gate, plan, &cx.schedule, cx.today, true);
    outcome.verdict = own.verdict;
    outcome.on_track = own.on_track;
    outcome
}

/// What `--new-since` does to an outcome before it is judged: waivers the base lacks
/// withdrawn, new and existing marked, resolved and relaxed listed.
fn since(outcome: &mut Outcome, name: &str, own: &Outcome, base: Option<&AtBase<'_>>, today: Date) {
    let Some(base) = base else {
        for f in &mut outcome.findings {
            f.baseline = Some(BaselineState::New);
        }
        return;
    };
    // A finding stays waived only if a valid waiver of the base covers it too (a set of the
    // base's valid waivers, so this is linear).
    let base_waived = crate::waiver::valid_keys(base.waivers, base.waiver_rules, today);
    for f in &mut outcome.findings {
        if f.waiver.is_some() && !base_waived.contains(&(f.rule.code, f.subject.as_str())) {
            f.waiver = None;
        }
    }
    let key = |f: &Finding, name: &str| {
        (
            f.rule.code,
            if f.subject == name {
                String::new()
            } else {
                f.subject.clone()
            },
        )
    };
    let head_keys: Vec<_> = outcome.findings.iter().map(|f| key(f, name)).collect();
    let base_keys: Vec<_> = base
        .outcome
        .findings
        .iter()
        .map(|f| key(f, base.name))
        .collect();
    let mut taken = vec![false; base_keys.len()];
    let mut matched = vec![false; head_keys.len()];
    // Same key and message first, then the rest of each key by count, in report order. The
    // base's findings are queued by (key, message) and by key, so matching is linear: each
    // base finding leaves each queue once.
    let mut by_message: HashMap<(&(&str, String), &str), VecDeque<usize>> = HashMap::new();
    let mut by_key: HashMap<&(&str, String), VecDeque<usize>> = HashMap::new();
    for (j, (k, b)) in base_keys.iter().zip(&base.outcome.findings).enumerate() {
        by_message
            .entry((k, b.message.as_str()))
            .or_default()
            .push_back(j);
        by_key.entry(k).or_default().push_back(j);
    }
    let take = |queue: Option<&mut VecDeque<usize>>, taken: &mut [bool]| {
        let queue = queue?;
        while let Some(j) = queue.pop_front() {
            if !taken[j] {
                taken[j] = true;
                return Some(j);
            }
        }
        None
    };
    for (i, f) in outcome.findings.iter().enumerate() {
        let queue = by_message.get_mut(&(&head_keys[i], f.message.as_str()));
        matched[i] = take(queue, &mut taken).is_some();
    }
    for i in 0..head_keys.len() {
        if !matched[i] {
            matched[i] = take(by_key.get_mut(&head_keys[i]), &mut taken).is_some();
        }
    }
    for (f, m) in outcome.findings.iter_mut().zip(&matched) {
        f.baseline = Some(if *m {
            BaselineState::Existing
        } else {
            BaselineState::New
        });
    }
    outcome.resolved = base
        .outcome
        .findings
        .iter()
        .zip(&taken)
        .filter(|(_, t)| !**t)
        .map(|(b, _)| listed(b))
        .collect();
    // Relaxed: open here, and not open under the head's own settings (counted alike).
    let mut own_open: HashMap<(&str, &str, &str), usize> = HashMap::new();
    for o in own.findings.iter().filter(|f| !f.is_waived()) {
        *own_open
            .entry((o.rule.code, o.subject.as_str(), o.message.as_str()))
            .or_default() += 1;
    }
    for f in outcome.findings.iter().filter(|f| !f.is_waived()) {
        let key = (f.rule.code, f.subject.as_str(), f.message.as_str());
        match own_open.get_mut(&key) {
            Some(n) if *n > 0 => *n -= 1,
            _ => outcome.relaxed.push(listed(f)),
        }
    }
}

fn listed(f: &Finding) -> Listed {
    Listed {
        rule: f.rule,
        subject: f.subject.clone(),
        message: f.message.clone(),
    }
}

/// Checks a program manifest and judges it under `gate`: it is ready when its own findings
/// allow it and every product is ready.
pub fn check_program(cx: &ProgramContext<'_>, plan: &Plan, gate: Gate) -> Outcome {
    let mut outcome = run(AnyContext::Program(cx), plan, &cx.program.waivers, cx.today);
    outcome.judge(gate, plan, &cx.schedule, cx.today, false);
    outcome.products = product_states(cx);
    if outcome.products.iter().any(|&s| s != ProductState::Ready) {
        outcome.verdict = Verdict::NotReady;
    }
    // On track when every product is (a product not checked is not).
    let products_on_track = cx
        .products
        .iter()
        .all(|p| matches!(p, ProductStatus::Checked { on_track: true, .. }));
    outcome.on_track &= products_on_track;
    outcome.pass_by_verdict(gate);
    outcome
}

/// `--new-since`: checks a program under `plan` (the stricter of the head's and the base's,
/// with `cx`'s milestones the stricter too) exactly as [`check_release_since`] checks a
/// release: its own findings marked new or existing against `base` (`None`: the program is
/// new, or was invalid there), what this change resolved and relaxed listed, and the verdicts
/// (its products' states among them) taken from `own`, the head's. It passes the gate when
/// none of its own findings counts: its products are judged in their own reports.
pub fn check_program_since(
    cx: &ProgramContext<'_>,
    plan: &Plan,
    gate: Gate,
    own: &Outcome,
    base: Option<&AtBase<'_>>,
) -> Outcome {
    let mut outcome = run(AnyContext::Program(cx), plan, &cx.program.waivers, cx.today);
    since(&mut outcome, &cx.program.info.name, own, base, cx.today);
    outcome.judge(gate, plan, &cx.schedule, cx.today, true);
    outcome.products.clone_from(&own.products);
    outcome.verdict = own.verdict;
    outcome.on_track = own.on_track;
    outcome
}
