//! Running the rules on one manifest as its [`Plan`] says, and everything decided once for
//! all rules alike: which findings waivers cover, what was not evaluated, and the verdict.
//!
//! The verdict has this one owner: which findings block readiness (under the [`Gate`]), whether
//! a manifest is ready, each product's state in a program, and the run's overall verdict.
//! Reports only read what is decided here.

use crate::context::{Context, ProgramContext};
use crate::manifest::Date;
use crate::manifest::{Located, Waiver};
use crate::policy::{self, Plan};
use crate::program::ProductStatus;
use crate::rule::{self, Milestone};
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
    pub fn of<'o>(
        gate: Gate,
        outcomes: impl IntoIterator<Item = &'o Outcome>,
        all_loaded: bool,
    ) -> RunVerdict {
        let mut any = false;
        let (mut ready, mut on_track) = (all_loaded, all_loaded);
        for o in outcomes {
            any = true;
            ready &= o.verdict.is_ready();
            on_track &= o.on_track;
        }
        let (ready, on_track) = (ready && any, on_track && any);
        RunVerdict {
            ready: if ready {
                Verdict::Ready
            } else {
                Verdict::NotReady
            },
            on_track,
            pass: match gate.kind {
                GateKind::Release => ready,
                GateKind::OnTrack => on_track,
            },
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
    fn judge(&mut self, gate: Gate, plan: &Plan, schedule: &Schedule, today: Date) {
        for f in &mut self.findings {
            f.blocking = gate.blocks(f);
            f.due = due(plan.due(f.rule), schedule);
            f.late = !f.settled && f.due.is_none_or(|d| today >= d.date);
        }
        self.verdict = if self.findings.iter().any(|f| f.blocking) {
            Verdict::NotReady
        } else {
            Verdict::Ready
        };
        self.on_track = !self.findings.iter().any(|f| f.blocking && f.late);
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

/// Checks a release manifest and judges it under `gate`.
pub fn check_release(cx: &Context<'_>, plan: &Plan, gate: Gate) -> Outcome {
    let mut outcome = run(AnyContext::Release(cx), plan, &cx.release.waivers, cx.today);
    outcome.judge(gate, plan, &cx.schedule, cx.today);
    outcome
}

/// Checks a program manifest and judges it under `gate`: it is ready when its own findings
/// allow it and every product is ready.
pub fn check_program(cx: &ProgramContext<'_>, plan: &Plan, gate: Gate) -> Outcome {
    let mut outcome = run(AnyContext::Program(cx), plan, &cx.program.waivers, cx.today);
    outcome.judge(gate, plan, &cx.schedule, cx.today);
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
    outcome
}
