//! Checking a loaded [`Workspace`]: a context per release (its evidence resolved on disk), the
//! engine's outcome and verdict, then each program from its products' results. Releases are
//! independent and checked in parallel; reports come in the workspace's order, a program's
//! products before the program.

use crate::context::{Context, ProgramContext};
use crate::engine::{self, AtBase, Gate, Outcome};
use crate::evidence::Cache;
use crate::manifest::{Date, Release};
use crate::par::par_map;
use crate::program::ProductStatus;
use crate::report::{ManifestContext, ManifestReport};
use crate::rule::Severity;
use crate::workspace::{
    BaseManifest, BaseProduct, BaseProgram, BaselineSpec, Entry, LoadedProgram, LoadedRelease,
    ProductProblem, Workspace,
};

/// What every manifest of a run is checked with.
pub struct Settings<'s> {
    pub today: Date,
    pub gate: Gate,
    /// Files read for evidence, shared by every manifest of the run (each read once).
    pub cache: &'s Cache,
    /// `--baseline FILE` or `--baseline-ref GITREF`, for RC108.
    pub baseline: Option<BaselineSpec<'s>>,
}

/// Checks one loaded release: its context, the rules, the verdict.
pub fn check_release<'a>(l: &'a LoadedRelease, settings: &Settings<'a>) -> ManifestReport<'a> {
    let mut cx = Context::with_evidence(
        &l.release,
        &l.shown,
        l.root.clone(),
        &l.base,
        settings.today,
        settings.cache,
    )
    .with_program_date(l.program_date);
    match (settings.baseline, &l.baseline) {
        (Some(BaselineSpec::File(baseline, shown)), _) => {
            cx = cx.with_baseline(Some(baseline), shown);
        }
        (_, Some(b)) => cx = cx.with_baseline(b.release.as_deref(), &b.shown),
        _ => {}
    }
    let mut outcome = engine::check_release(&cx, &l.plan, settings.gate);
    if let Some(at) = &l.at_base {
        outcome = since_base(&mut cx, l, at, settings, &outcome);
    }
    ManifestReport {
        shown: l.shown.clone(),
        root: l.root.clone(),
        context: ManifestContext::Release(Box::new(cx)),
        outcome,
    }
}

/// `--new-since`: checks the release as it was at the base (same options and today), then the
/// head again under the stricter settings of the two (`cx`'s policy and milestones become
/// them), marked against the base's findings.
fn since_base<'a>(
    cx: &mut Context<'a>,
    l: &'a LoadedRelease,
    at: &'a BaseManifest,
    settings: &Settings<'a>,
    own: &Outcome,
) -> Outcome {
    let Some((release, plan)) = &at.release else {
        return engine::check_release_since(cx, &l.plan, settings.gate, own, None);
    };
    let mut bcx = Context::at_base(
        release,
        &at.shown,
        (at.root.clone(), &at.base),
        (&l.root, &l.base),
        settings.today,
        settings.cache,
    )
    .with_program_date(l.base_program_date);
    if let Some(BaselineSpec::File(baseline, shown)) = settings.baseline {
        bcx = bcx.with_baseline(Some(baseline), shown);
    }
    let base_outcome = engine::check_release(&bcx, plan, settings.gate);
    let base = AtBase {
        outcome: base_outcome,
        name: release.name(),
        waivers: &release.waivers,
        waiver_rules: &plan.waiver_rules,
    };
    cx.policy = cx.policy.stricter(&bcx.policy);
    cx.schedule = cx.schedule.stricter(&bcx.schedule);
    let stricter = l.plan.stricter(plan);
    engine::check_release_since(cx, &stricter, settings.gate, own, Some(&base))
}

/// What a program's rules know of a product checked with `outcome` (for a product checked
/// under `--new-since`, its verdicts are the head's own).
fn checked_status(shown: &str, release: &Release, outcome: &Outcome) -> ProductStatus {
    ProductStatus::Checked {
        path: shown.to_owned(),
        ready: outcome.verdict.is_ready(),
        on_track: outcome.on_track,
        errors: outcome.count(Severity::Error),
        warnings: outcome.count(Severity::Warning),
        date: *release.info.date,
        program: release.info.program.as_ref().map(|p| p.value.to_string()),
    }
}

/// What a program's rules know of a product: its release's result, or why it has none.
fn product_status(
    shown: &str,
    result: &Result<usize, ProductProblem>,
    ws: &Workspace,
    reports: &[Option<ManifestReport<'_>>],
) -> ProductStatus {
    match result {
        Ok(i) => match reports[*i].as_ref() {
            Some(report) => checked_status(shown, &ws.releases[*i].release, &report.outcome),
            // Every release is checked before any program; a product without a report
            // cannot happen, and is not ready if it did.
            None => ProductStatus::Missing {
                path: shown.to_owned(),
            },
        },
        Err(problem) => problem_status(shown, problem),
    }
}

/// What a program's rules know of a product that could not be checked.
fn problem_status(shown: &str, problem: &ProductProblem) -> ProductStatus {
    match problem {
        ProductProblem::Missing => ProductStatus::Missing {
            path: shown.to_owned(),
        },
        ProductProblem::OutsideRoot(escape) => ProductStatus::OutsideRoot {
            path: shown.to_owned(),
            how: escape.describe(),
        },
        ProductProblem::Invalid(e) => ProductStatus::Invalid {
            path: shown.to_owned(),
            error: e.to_string(),
        },
    }
}

/// Checks one loaded program, given what checking its products gave (`statuses`, parallel to
/// its `products`).
pub fn check_program<'a>(
    p: &'a LoadedProgram,
    statuses: Vec<ProductStatus>,
    settings: &Settings<'a>,
) -> ManifestReport<'a> {
    let mut cx = ProgramContext::new(&p.program, &p.shown, settings.today, statuses);
    let mut outcome = engine::check_program(&cx, &p.plan, settings.gate);
    if let Some(at) = &p.at_base {
        outcome = program_since_base(&mut cx, p, at, settings, &outcome);
    }
    ManifestReport {
        shown: p.shown.clone(),
        root: p.root.clone(),
        context: ManifestContext::Program(Box::new(cx)),
        outcome,
    }
}

/// `--new-since` for a program, as [`since_base`] for a release: checks the program as it was
/// at the base (its products as it named them there, each checked at the base under its own
/// settings, with the base's program date as its cap), then the head again under the stricter
/// settings of the two (`cx`'s milestones become them), marked against the base's findings.
fn program_since_base(
    cx: &mut ProgramContext<'_>,
    p: &LoadedProgram,
    at: &BaseProgram,
    settings: &Settings<'_>,
    own: &Outcome,
) -> Outcome {
    let Some((program, plan)) = &at.program else {
        return engine::check_program_since(cx, &p.plan, settings.gate, own, None);
    };
    let date = *program.info.date;
    let statuses = par_map(&at.products, |product| {
        base_product_status(product, date, settings)
    });
    let bcx = ProgramContext::new(program, &at.shown, settings.today, statuses);
    let base = AtBase {
        outcome: engine::check_program(&bcx, plan, settings.gate),
        name: &program.info.name,
        waivers: &program.waivers,
        waiver_rules: &plan.waiver_rules,
    };
    cx.schedule = cx.schedule.stricter(&bcx.schedule);
    let stricter = p.plan.stricter(plan);
    engine::check_program_since(cx, &stricter, settings.gate, own, Some(&base))
}

/// A product of the program at the base, checked there (its evidence from the base's tree,
/// and from the work tree where that tree lacks a path) under its own settings.
fn base_product_status(
    product: &BaseProduct,
    program_date: Date,
    settings: &Settings<'_>,
) -> ProductStatus {
    let r = match &product.release {
        Ok(r) => r,
        Err(problem) => return problem_status(&product.shown, problem),
    };
    let mut cx = Context::at_base(
        &r.release,
        &product.shown,
        (r.dir.clone(), &r.dir),
        (&r.fallback, &r.fallback),
        settings.today,
        settings.cache,
    )
    .with_program_date(Some(program_date));
    if let Some(BaselineSpec::File(baseline, shown)) = settings.baseline {
        cx = cx.with_baseline(Some(baseline), shown);
    }
    let outcome = engine::check_release(&cx, &r.plan, settings.gate);
    checked_status(&product.shown, &r.release, &outcome)
}

/// Checks the whole workspace; reports in its order, a program's products before it.
pub fn check_workspace<'a>(ws: &'a Workspace, settings: &Settings<'a>) -> Vec<ManifestReport<'a>> {
    let all: Vec<&'a LoadedRelease> = ws.releases.iter().collect();
    let mut releases: Vec<Option<ManifestReport<'a>>> =
        par_map(&all, |l| Some(check_release(l, settings)));
    let mut reports = Vec::with_capacity(releases.len() + ws.programs.len());
    for entry in &ws.entries {
        match *entry {
            Entry::Release(i) => reports.extend(releases[i].take()),
            Entry::Program(i) => {
                let p = &ws.programs[i];
                let statuses = p
                    .products
                    .iter()
                    .map(|product| product_status(&product.shown, &product.release, ws, &releases))
                    .collect();
                for product in &p.products {
                    if let Ok(r) = product.release {
                        reports.extend(releases[r].take());
                    }
                }
                reports.push(check_program(p, statuses, settings));
            }
        }
    }
    reports
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::policy::Selection;
    use crate::workspace::LoadSettings;

    /// Every finding's subject is one of its rule's subjects ([`crate::rule::Scope`]) for that
    /// manifest, so JUnit lists it among the rule's cases. Every rule runs (off ones too) over
    /// every manifest under `examples/` and `tests/fixtures/` that loads, releases and
    /// programs, through the whole pipeline.
    #[test]
    fn findings_are_about_their_rules_subjects() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let (targets, _) = crate::discover::targets(
            &[dir.join("examples"), dir.join("tests/fixtures")],
            &mut std::io::empty(),
        )
        .expect("fixtures are found");
        let codes: Vec<String> = crate::rules::metas().map(|m| m.code.to_owned()).collect();
        let selection = Selection::new(&codes, &[]).expect("known rules");
        let load = LoadSettings {
            selection: &selection,
            root: None,
            baseline: None,
            new_since: None,
            isolated: false,
        };
        // The fixtures of load errors are in `ws.errors`, not checked.
        let ws = crate::workspace::load(&targets, &load);
        let cache = Cache::new();
        let settings = Settings {
            today: Date::parse(crate::testing::TODAY).expect("valid date"),
            gate: Gate::default(),
            cache: &cache,
            baseline: None,
        };
        let reports = check_workspace(&ws, &settings);
        assert!(reports.len() >= 20, "{} manifests checked", reports.len());
        let mut findings = 0;
        let mut strays = Vec::new();
        for m in &reports {
            for f in &m.outcome.findings {
                let subjects = match &m.context {
                    ManifestContext::Release(cx) => f.rule.scope.release_subjects(cx),
                    ManifestContext::Program(cx) => f.rule.scope.program_subjects(cx),
                };
                if !subjects.contains(&f.subject.as_str()) {
                    strays.push(format!(
                        "{}: {} reports '{}', not one of {subjects:?}: {}",
                        m.shown, f.rule.code, f.subject, f.message
                    ));
                }
                findings += 1;
            }
        }
        assert!(strays.is_empty(), "{}", strays.join("\n"));
        assert!(findings >= 50, "{findings} findings");
    }
}
