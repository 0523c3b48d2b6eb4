//! Checking a loaded [`Workspace`]: a context per release (its evidence resolved on disk), the
//! engine's outcome and verdict, then each program from its products' results. Releases are
//! independent and checked in parallel; reports come in the workspace's order, a program's
//! products before the program.

use crate::context::{Context, ProgramContext};
use crate::engine::{self, AtBase, Gate, Outcome};
use crate::evidence::Cache;
use crate::manifest::Date;
use crate::par::par_map;
use crate::program::ProductStatus;
use crate::report::{ManifestContext, ManifestReport};
use crate::rule::Severity;
use crate::workspace::{
    BaseManifest, BaselineSpec, Entry, LoadedProgram, LoadedRelease, ProductProblem, Workspace,
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
    .with_program_date(l.program_date);
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

/// What a program's rules know of a product: its release's result, or why it has none.
fn product_status(
    shown: &str,
    result: &Result<usize, ProductProblem>,
    ws: &Workspace,
    reports: &[Option<ManifestReport<'_>>],
) -> ProductStatus {
    match result {
        Ok(i) => {
            let (release, report) = (&ws.releases[*i], reports[*i].as_ref());
            match report {
                Some(report) => ProductStatus::Checked {
                    path: shown.to_owned(),
                    ready: report.outcome.verdict.is_ready(),
                    on_track: report.outcome.on_track,
                    errors: report.outcome.count(Severity::Error),
                    warnings: report.outcome.count(Severity::Warning),
                    date: *release.release.info.date,
                    program: release
                        .release
                        .info
                        .program
                        .as_ref()
                        .map(|p| p.value.to_string()),
                },
                // Every release is checked before any program; a product without a report
                // cannot happen, and is not ready if it did.
                None => ProductStatus::Missing {
                    path: shown.to_owned(),
                },
            }
        }
        Err(ProductProblem::Missing) => ProductStatus::Missing {
            path: shown.to_owned(),
        },
        Err(ProductProblem::OutsideRoot(escape)) => ProductStatus::OutsideRoot {
            path: shown.to_owned(),
            how: escape.describe(),
        },
        Err(ProductProblem::Invalid(e)) => ProductStatus::Invalid {
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
    let cx = ProgramContext::new(&p.program, &p.shown, settings.today, statuses);
    let outcome = engine::check_program(&cx, &p.plan, settings.gate);
    ManifestReport {
        shown: p.shown.clone(),
        root: p.root.clone(),
        context: ManifestContext::Program(Box::new(cx)),
        outcome,
    }
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
