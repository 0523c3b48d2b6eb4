//! Helpers for the rules' unit tests: run rules on inline YAML.

use std::path::Path;

use crate::context::Context;
use crate::engine::{Outcome, check_release};
use crate::manifest::{Date, Manifest, Release, parse};
use crate::policy::{Plan, Selection};

/// The start of a valid release manifest (four lines; the `release:` mapping is at 3:3).
pub(crate) const HEAD: &str = "relcheck: 1\nrelease:\n  name: R\n  date: 2026-12-15\n";

/// The day unit tests run on.
pub(crate) const TODAY: &str = "2026-11-01";

/// Runs the rules `select` selects on `yaml`.
pub(crate) fn outcome(select: &str, yaml: &str) -> Outcome {
    run(Path::new("."), select, yaml, None)
}

/// [`outcome`] for a manifest in `dir` (its paths resolve there, confined to it).
pub(crate) fn outcome_in(dir: &Path, select: &str, yaml: &str) -> Outcome {
    run(dir, select, yaml, None)
}

/// A release manifest from inline YAML.
fn release(yaml: &str, file: &str) -> Release {
    match parse(yaml, file).unwrap_or_else(|e| panic!("{e:?}")) {
        Manifest::Release(release) => *release,
        Manifest::Program(_) => panic!("not a release manifest"),
    }
}

/// Runs the rules `select` selects on `yaml`, against the `baseline` manifest if given
/// (`--baseline`, named `baseline.yaml`).
fn outcome_with_baseline(select: &str, yaml: &str, baseline: Option<&str>) -> Outcome {
    run(Path::new("."), select, yaml, baseline)
}

/// Runs the rules `select` selects on `yaml` in `dir`, against `baseline` if given.
fn run(dir: &Path, select: &str, yaml: &str, baseline: Option<&str>) -> Outcome {
    let release = release(yaml, "release.yaml");
    let baseline = baseline.map(|b| self::release(b, "baseline.yaml"));
    let today = Date::parse(TODAY).expect("valid date");
    let mut cx = Context::new(&release, "release.yaml", dir.to_path_buf(), today);
    if let Some(b) = &baseline {
        cx = cx.with_baseline(Some(b), "baseline.yaml");
    }
    let selection = Selection::new(&[select.to_owned()], &[]).expect("known rules");
    let plan = Plan::new(
        "release.yaml",
        release.policy.as_deref(),
        &release.waivers,
        &selection,
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    check_release(&cx, &plan, crate::engine::Gate::default())
}

/// Runs the rules `select` selects on `yaml`; returns the findings of rule `code` as
/// `line:col subject: message`.
pub(crate) fn check_rules(select: &str, code: &str, yaml: &str) -> Vec<String> {
    outcome(select, yaml)
        .findings
        .iter()
        .filter(|f| f.rule.code == code)
        .map(|f| format!("{} {}: {}", f.pos, f.subject, f.message))
        .collect()
}

/// The findings of rule `code` alone.
pub(crate) fn check_rule(code: &str, yaml: &str) -> Vec<String> {
    check_rules(code, code, yaml)
}

/// The findings of rule `code` alone, checked against the `baseline` manifest
/// (`--baseline`, named `baseline.yaml`).
pub(crate) fn check_rule_with_baseline(code: &str, yaml: &str, baseline: &str) -> Vec<String> {
    outcome_with_baseline(code, yaml, Some(baseline))
        .findings
        .iter()
        .filter(|f| f.rule.code == code)
        .map(|f| format!("{} {}: {}", f.pos, f.subject, f.message))
        .collect()
}

/// [`check_rules`] for a manifest in `dir` (its paths resolve there, confined to it).
pub(crate) fn check_rules_in(dir: &Path, select: &str, code: &str, yaml: &str) -> Vec<String> {
    outcome_in(dir, select, yaml)
        .findings
        .iter()
        .filter(|f| f.rule.code == code)
        .map(|f| format!("{} {}: {}", f.pos, f.subject, f.message))
        .collect()
}

/// The findings of rule `code` alone, for a manifest in `dir`.
pub(crate) fn check_rule_in(dir: &Path, code: &str, yaml: &str) -> Vec<String> {
    check_rules_in(dir, code, code, yaml)
}

/// Runs rule `code` on the program manifest `yaml` whose products gave `statuses`; returns
/// its findings as `line:col subject: message`.
pub(crate) fn check_program_rule(
    code: &str,
    yaml: &str,
    statuses: Vec<crate::program::ProductStatus>,
) -> Vec<String> {
    let Manifest::Program(program) =
        parse(yaml, "program.yaml").unwrap_or_else(|e| panic!("{e:?}"))
    else {
        panic!("not a program manifest")
    };
    let today = Date::parse(TODAY).expect("valid date");
    let cx = crate::context::ProgramContext::new(&program, "program.yaml", today, statuses);
    let selection = Selection::new(&[code.to_owned()], &[]).expect("known rules");
    let plan = Plan::new(
        "program.yaml",
        program.policy.as_deref(),
        &program.waivers,
        &selection,
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    crate::engine::check_program(&cx, &plan, crate::engine::Gate::default())
        .findings
        .iter()
        .filter(|f| f.rule.code == code)
        .map(|f| format!("{} {}: {}", f.pos, f.subject, f.message))
        .collect()
}

/// The start of a program manifest (program `winter`, date 2026-12-15), products to follow.
pub(crate) const PROGRAM_HEAD: &str =
    "relcheck: 1\nprogram:\n  id: winter\n  name: Winter\n  date: 2026-12-15\n  products:\n";

/// A checked product's status.
pub(crate) fn checked(
    ready: bool,
    date: &str,
    program: Option<&str>,
) -> crate::program::ProductStatus {
    crate::program::ProductStatus::Checked {
        path: "p/release.yaml".to_owned(),
        ready,
        on_track: ready,
        errors: usize::from(!ready),
        warnings: 0,
        date: Date::parse(date).expect("valid date"),
        program: program.map(str::to_owned),
    }
}

/// The rules `select` selects that could not evaluate `yaml`, as `code: reason`.
pub(crate) fn not_evaluated(select: &str, yaml: &str) -> Vec<String> {
    outcome(select, yaml)
        .not_evaluated
        .iter()
        .map(|(meta, reason)| format!("{}: {reason}", meta.code))
        .collect()
}

/// The actions of rule `code`'s findings on `yaml`, in finding order.
pub(crate) fn actions(code: &str, yaml: &str) -> Vec<String> {
    outcome(code, yaml)
        .findings
        .iter()
        .map(|f| f.action.clone().unwrap_or_default())
        .collect()
}
