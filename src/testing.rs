//! Helpers for the rules' unit tests: run rules on inline YAML.

use crate::context::Context;
use crate::engine::{Outcome, Plan, Selection, check_release};
use crate::manifest::{Date, Manifest, Release, parse};

/// The start of a valid release manifest (six lines).
pub const HEAD: &str = "relcheck: 1\nrelease:\n  name: R\n  date: 2026-12-15\n";

/// The day unit tests run on.
pub const TODAY: &str = "2026-11-01";

/// Runs the rules `select` selects on `yaml`; returns the findings of rule `code` as
/// `line:col subject: message`.
pub fn check_rules(select: &str, code: &str, yaml: &str) -> Vec<String> {
    run(select, code, yaml, None)
}

/// The findings of rule `code` alone, checked against the `baseline` manifest
/// (`--baseline`, named `baseline.yaml`).
pub fn check_rule_with_baseline(code: &str, yaml: &str, baseline: &str) -> Vec<String> {
    run(code, code, yaml, Some(baseline))
}

/// A release manifest from inline YAML.
fn release(yaml: &str, file: &str) -> Release {
    match parse(yaml, file).unwrap_or_else(|e| panic!("{e}")) {
        Manifest::Release(release) => *release,
        Manifest::Program(_) => panic!("not a release manifest"),
    }
}

fn run(select: &str, code: &str, yaml: &str, baseline: Option<&str>) -> Vec<String> {
    outcome(select, yaml, baseline)
        .findings
        .iter()
        .filter(|f| f.rule.code == code)
        .map(|f| format!("{} {}: {}", f.pos, f.subject, f.message))
        .collect()
}

/// Why rule `code` was not evaluated on `yaml`, or `None` when it was.
pub fn not_evaluated(code: &str, yaml: &str) -> Option<String> {
    outcome(code, yaml, None)
        .not_evaluated
        .into_iter()
        .find(|(m, _)| m.code == code)
        .map(|(_, reason)| reason)
}

/// The actions of rule `code`'s findings on `yaml`.
pub fn actions(code: &str, yaml: &str) -> Vec<String> {
    outcome(code, yaml, None)
        .findings
        .into_iter()
        .filter(|f| f.rule.code == code)
        .filter_map(|f| f.action)
        .collect()
}

fn outcome(select: &str, yaml: &str, baseline: Option<&str>) -> Outcome {
    let release = release(yaml, "release.yaml");
    let baseline = baseline.map(|b| self::release(b, "baseline.yaml"));
    let today = Date::parse(TODAY).expect("valid date");
    let mut cx = Context::new(
        &release,
        "release.yaml",
        std::path::PathBuf::from("."),
        today,
    );
    if let Some(b) = &baseline {
        cx = cx.with_baseline(b, "baseline.yaml");
    }
    let selection = Selection::new(&[select.to_owned()], &[]).expect("known rules");
    let plan = Plan::new(
        "release.yaml",
        release.policy.as_deref(),
        &release.waivers,
        &selection,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    check_release(&cx, &plan)
}

/// The findings of rule `code` alone.
pub fn check_rule(code: &str, yaml: &str) -> Vec<String> {
    check_rules(code, code, yaml)
}
