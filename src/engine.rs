//! Running the rules on one manifest, and everything decided once for all rules alike:
//! which rules run and at what severity (defaults, `policy.rules`, `--select`, `--ignore`),
//! which findings waivers cover, and what was not evaluated.

use std::collections::HashSet;

use crate::context::{Context, ProgramContext, WaiverUse};
use crate::manifest::{Level, LoadError, Located, Policy, Waiver};
use crate::rule::{Eval, Finding, Phase, Rule, RuleMeta, Severity};
use crate::rules;

/// A rule selection given on the command line (`--select`, `--ignore`).
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// `None`: every rule; otherwise the codes selected.
    select: Option<HashSet<&'static str>>,
    /// Codes named exactly (by full code or name) in `--select`: run even when off.
    named: HashSet<&'static str>,
    ignore: HashSet<&'static str>,
}

/// A `--select`/`--ignore` token that matches no rule.
#[derive(Debug)]
pub struct UnknownRule(pub String);

impl std::fmt::Display for UnknownRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&unknown_rule_message(&self.0))
    }
}

impl std::error::Error for UnknownRule {}

fn unknown_rule_message(token: &str) -> String {
    let close = rules::suggestions(token);
    if close.is_empty() {
        format!("unknown rule '{token}' (see `relcheck rules` for the list)")
    } else {
        format!("unknown rule '{token}'; closest: {}", close.join(", "))
    }
}

/// The codes a token names: an exact code or name, or a code prefix (`RC1`).
fn resolve(token: &str) -> Result<(Vec<&'static str>, bool), UnknownRule> {
    if let Some(rule) = rules::find(token) {
        return Ok((vec![rule.meta().code], true));
    }
    let upper = token.to_ascii_uppercase();
    let codes: Vec<&'static str> = if upper.starts_with("RC") {
        rules::metas()
            .map(|m| m.code)
            .filter(|c| c.starts_with(&upper))
            .collect()
    } else {
        Vec::new()
    };
    if codes.is_empty() {
        Err(UnknownRule(token.to_owned()))
    } else {
        Ok((codes, false))
    }
}

/// Splits repeated, comma-separated option values into tokens.
fn tokens(values: &[String]) -> impl Iterator<Item = &str> {
    values
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

impl Selection {
    pub fn new(select: &[String], ignore: &[String]) -> Result<Self, UnknownRule> {
        let mut sel = Selection::default();
        if !select.is_empty() {
            let mut set = HashSet::new();
            for token in tokens(select) {
                let (codes, exact) = resolve(token)?;
                if exact {
                    sel.named.extend(codes.iter().copied());
                }
                set.extend(codes);
            }
            sel.select = Some(set);
        }
        for token in tokens(ignore) {
            sel.ignore.extend(resolve(token)?.0);
        }
        Ok(sel)
    }

    fn level(&self, meta: &RuleMeta, configured: Level) -> Option<Severity> {
        if self.ignore.contains(meta.code) {
            return None;
        }
        if let Some(select) = &self.select {
            if !select.contains(meta.code) {
                return None;
            }
            if configured == Level::Off && self.named.contains(meta.code) {
                return Some(Severity::Warning);
            }
        }
        match configured {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Off => None,
        }
    }
}

/// Which rules run on one manifest, at what severity, and which rule each waiver names.
pub struct Plan {
    /// Parallel to `rules::ALL`: `None` when the rule does not run.
    levels: Vec<Option<Severity>>,
    /// Parallel to the manifest's waivers.
    waiver_rules: Vec<&'static RuleMeta>,
}

impl Plan {
    /// Applies `policy.rules` and the selection; checks waivers name rules that exist and
    /// may be waived. Problems are load errors with their position in `file`.
    pub fn new(
        file: &str,
        policy: Option<&Policy>,
        waivers: &[Located<Waiver>],
        selection: &Selection,
    ) -> Result<Self, LoadError> {
        let err = |pos, message: String| LoadError {
            file: file.to_owned(),
            pos: Some(pos),
            message,
        };
        let mut configured: Vec<Level> = rules::ALL.iter().map(|r| r.meta().default).collect();
        for (key, level) in policy
            .and_then(|p| p.rules.as_deref())
            .map_or(&[][..], |r| &r.0)
        {
            let Some(i) = rules::ALL.iter().position(|r| {
                r.meta().code.eq_ignore_ascii_case(key) || r.meta().name == key.as_str()
            }) else {
                return Err(err(
                    key.pos,
                    format!("{} in policy.rules", unknown_rule_message(key)),
                ));
            };
            let meta = rules::ALL[i].meta();
            if rules::INTEGRITY.contains(&meta.code) && level.value != Level::Error {
                return Err(err(
                    level.pos,
                    format!(
                        "{} ({}) is an integrity rule: its severity can only be 'error'",
                        meta.code, meta.name
                    ),
                ));
            }
            configured[i] = level.value;
        }
        let mut waiver_rules = Vec::with_capacity(waivers.len());
        for w in waivers {
            let Some(rule) = rules::find(&w.rule) else {
                return Err(err(
                    w.rule.pos,
                    format!("{} in waiver", unknown_rule_message(&w.rule)),
                ));
            };
            let meta = rule.meta();
            if rules::INTEGRITY.contains(&meta.code) {
                return Err(err(
                    w.rule.pos,
                    format!(
                        "{} ({}) cannot be waived: RC001, RC002, RC004, RC007 and RC009 guard the manifest's integrity",
                        meta.code, meta.name
                    ),
                ));
            }
            waiver_rules.push(meta);
        }
        let levels = rules::ALL
            .iter()
            .zip(configured)
            .map(|(r, level)| selection.level(r.meta(), level))
            .collect();
        Ok(Plan {
            levels,
            waiver_rules,
        })
    }

    /// The rules that run, with their severities.
    pub fn active(&self) -> impl Iterator<Item = (&'static dyn Rule, Severity)> + '_ {
        rules::ALL
            .iter()
            .zip(&self.levels)
            .filter_map(|(r, l)| l.map(|l| (*r, l)))
    }

    fn runs(&self, code: &str) -> bool {
        self.active().any(|(r, _)| r.meta().code == code)
    }
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

    /// Ready: no unwaived error (with `strict`, no unwaived warning either).
    pub fn ready(&self, strict: bool) -> bool {
        self.count(Severity::Error) == 0 && (!strict || self.count(Severity::Warning) == 0)
    }
}

/// Either kind of context, so one runner serves both.
enum Target<'c, 'a> {
    Release(&'c Context<'a>),
    Program(&'c ProgramContext<'a>),
}

impl Target<'_, '_> {
    fn run(&self, rule: &dyn Rule, out: &mut Vec<Finding>) -> Option<Eval> {
        let scope = rule.meta().scope;
        match self {
            Target::Release(cx) if scope.applies_to_release() => Some(rule.check(cx, out)),
            Target::Program(cx) if scope.applies_to_program() => Some(rule.check_program(cx, out)),
            _ => None,
        }
    }

    fn set_waiver_use(&self, usage: WaiverUse) {
        // Set once per context, right here; a second set cannot happen.
        let _ = match self {
            Target::Release(cx) => cx.waiver_use.set(usage),
            Target::Program(cx) => cx.waiver_use.set(usage),
        };
    }
}

fn run(
    target: Target<'_, '_>,
    plan: &Plan,
    waivers: &[Located<Waiver>],
    today: crate::manifest::Date,
) -> Outcome {
    let mut outcome = Outcome::default();
    let run_phase = |phase: Phase, outcome: &mut Outcome| {
        let start = outcome.findings.len();
        for (rule, severity) in plan.active().filter(|(r, _)| r.meta().phase == phase) {
            let before = outcome.findings.len();
            match target.run(rule, &mut outcome.findings) {
                Some(Err(crate::rule::NotEvaluated(reason))) => {
                    outcome.ran.push(rule.meta());
                    outcome.not_evaluated.push((rule.meta(), reason))
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
    run_phase(Phase::Main, &mut outcome);
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
    target.set_waiver_use(usage);
    let start = run_phase(Phase::AfterWaivers, &mut outcome);
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

/// Checks a release manifest.
pub fn check_release(cx: &Context<'_>, plan: &Plan) -> Outcome {
    run(Target::Release(cx), plan, &cx.release.waivers, cx.today)
}

/// Checks a program manifest.
pub fn check_program(cx: &ProgramContext<'_>, plan: &Plan) -> Outcome {
    run(Target::Program(cx), plan, &cx.program.waivers, cx.today)
}
