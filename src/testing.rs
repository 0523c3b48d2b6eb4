//! Helpers for the rules' unit tests: run rules on inline YAML.

use std::path::Path;

use crate::context::Context;
use crate::engine::{Outcome, Plan, Selection, check_release};
use crate::manifest::{Date, Manifest, parse};

/// The start of a valid release manifest (six lines).
pub const HEAD: &str = "relcheck: 1\nrelease:\n  name: R\n  date: 2026-12-15\n";

/// The day unit tests run on.
pub const TODAY: &str = "2026-11-01";

/// Runs the rules `select` selects on `yaml`; returns the findings of rule `code` as
/// `line:col subject: message`.
pub fn check_rules(select: &str, code: &str, yaml: &str) -> Vec<String> {
    check_rules_in(Path::new("."), select, code, yaml)
}

/// [`check_rules`] for a manifest in `dir` (its paths resolve there, confined to it).
pub fn check_rules_in(dir: &Path, select: &str, code: &str, yaml: &str) -> Vec<String> {
    outcome_in(dir, select, yaml)
        .findings
        .iter()
        .filter(|f| f.rule.code == code)
        .map(|f| format!("{} {}: {}", f.pos, f.subject, f.message))
        .collect()
}

/// The findings of rule `code` alone, for a manifest in `dir`.
pub fn check_rule_in(dir: &Path, code: &str, yaml: &str) -> Vec<String> {
    check_rules_in(dir, code, code, yaml)
}

/// Why rule `code` was not evaluated on `yaml`, if it was not.
pub fn not_evaluated(code: &str, yaml: &str) -> Option<String> {
    outcome_in(Path::new("."), code, yaml)
        .not_evaluated
        .into_iter()
        .find(|(m, _)| m.code == code)
        .map(|(_, reason)| reason)
}

fn outcome_in(dir: &Path, select: &str, yaml: &str) -> Outcome {
    let Manifest::Release(release) = parse(yaml, "release.yaml").unwrap_or_else(|e| panic!("{e}"))
    else {
        panic!("not a release manifest")
    };
    let today = Date::parse(TODAY).expect("valid date");
    let cx = Context::new(&release, "release.yaml", dir.to_path_buf(), today);
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
