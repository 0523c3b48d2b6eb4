//! The rows of the view model ([`super::view`]) beyond the findings: the per-feature readiness
//! matrix, a program's products and ship order, and the "what to do next" list, all derived
//! from the context and the outcome. Only the view calls these; formats render its rows.

use std::collections::{HashMap, HashSet};

use super::ManifestReport;
use crate::context::{Context, ProgramContext};
use crate::engine::ProductState;
use crate::manifest::{Audience, DocKind, Feature, Located, TestStatus};
use crate::program::ProductStatus;
use crate::rule::Severity;

/// A feature's row in the readiness matrix.
pub(crate) struct FeatureRow<'a> {
    pub(crate) feature: &'a Located<Feature>,
    /// The kinds of the tests it links, then the kinds `policy.feature_tests` wants and it lacks.
    pub(crate) tests: Vec<Item<'a>>,
    /// The kinds of the docs it links, then `user` when a user-facing feature lacks one.
    pub(crate) docs: Vec<Item<'a>>,
    /// The audiences of the training it links, then `end-user` when a user-facing feature
    /// lacks one.
    pub(crate) training: Vec<Item<'a>>,
    /// Not user-facing: it needs no user doc or end-user training.
    pub(crate) internal: bool,
    /// The coverage of its `code` (`8/10 lines (80.0%)`, `-` without `code`); `None` when
    /// the release has no `coverage` section (the matrix has no such column then).
    pub(crate) code: Option<String>,
    pub(crate) state: FeatureState,
}

/// The matrix's coverage cell of a feature.
fn code_cell(cx: &Context<'_>, f: &Feature) -> Option<String> {
    let code = cx.evidence.code()?;
    Some(match code.feature(f.id.as_str()) {
        None => "-".to_owned(),
        Some(fc) if fc.files == 0 => "not in any report".to_owned(),
        Some(fc) => {
            let tenths = fc.covered.saturating_mul(1000) / fc.coverable.max(1);
            format!(
                "{}/{} lines ({}.{}%)",
                fc.covered,
                fc.coverable,
                tenths / 10,
                tenths % 10
            )
        }
    })
}

/// One cell entry: a test kind, doc kind or training audience, and its state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Item<'a> {
    pub(crate) label: &'a str,
    pub(crate) state: ItemState,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ItemState {
    /// Present (for tests: passing).
    Ok,
    /// A linked test that is not passing, with why: its status, or `report` when it says
    /// passed but its evidence does not back it.
    NotPassing(&'static str),
    /// Required and absent.
    Missing,
}

/// A feature's readiness in the matrix: ready when no finding about it blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FeatureState {
    Ready,
    NotReady,
    OutOfScope,
}

impl FeatureState {
    pub(crate) const fn as_str(self) -> &'static str {
        match self {
            FeatureState::Ready => "ready",
            FeatureState::NotReady => "not ready",
            FeatureState::OutOfScope => "out of scope",
        }
    }
}

/// Appends `label` unless already there (several tests of one kind show once; the worst
/// state wins: missing, then not passing, then ok).
fn add<'a>(items: &mut Vec<Item<'a>>, label: &'a str, state: ItemState) {
    match items.iter_mut().find(|i| i.label == label) {
        Some(existing) => {
            if matches!(
                (existing.state, state),
                (ItemState::Ok, ItemState::NotPassing(_))
            ) {
                existing.state = state;
            }
        }
        None => items.push(Item { label, state }),
    }
}

/// The readiness matrix of a release: one row per feature, in manifest order, built lazily
/// (a report may show the first rows only). `blocked` tells the subjects with a finding the
/// engine marked as blocking readiness.
pub(crate) fn matrix<'c, 'a: 'c>(
    cx: &'c Context<'a>,
    blocked: impl Fn(&str) -> bool + 'c,
) -> impl Iterator<Item = FeatureRow<'a>> + 'c {
    cx.release.features.iter().map(move |f| {
        let in_scope = f.in_scope();
        let mut tests = Vec::new();
        for t in cx.tests_of(f) {
            let state = if cx.test_passes(t) {
                ItemState::Ok
            } else if *t.status == TestStatus::Passed {
                ItemState::NotPassing("report disagrees")
            } else {
                ItemState::NotPassing(t.status.as_str())
            };
            add(&mut tests, t.kind.as_str(), state);
        }
        // A doc or training entry whose evidence does not hold is annotated, as a test whose
        // report disagrees is: `user (draft)`, `end-user (missing file)`.
        let mut docs = Vec::new();
        for d in cx.docs_of(f) {
            let state = cx
                .doc_holds(d)
                .map_or_else(ItemState::NotPassing, |()| ItemState::Ok);
            add(&mut docs, d.kind.as_str(), state);
        }
        let mut training = Vec::new();
        for t in cx.training_of(f) {
            let state = cx
                .training_holds(t)
                .map_or_else(ItemState::NotPassing, |()| ItemState::Ok);
            add(&mut training, t.audience.as_str(), state);
        }
        if in_scope {
            for kind in &cx.policy.feature_tests {
                add(&mut tests, kind.as_str(), ItemState::Missing);
            }
            if f.user_facing() {
                add(&mut docs, DocKind::User.as_str(), ItemState::Missing);
                add(
                    &mut training,
                    Audience::EndUser.as_str(),
                    ItemState::Missing,
                );
            }
        }
        let verdict = if !in_scope {
            FeatureState::OutOfScope
        } else if blocked(f.id.as_str()) {
            FeatureState::NotReady
        } else {
            FeatureState::Ready
        };
        FeatureRow {
            feature: f,
            tests,
            docs,
            training,
            internal: !f.user_facing(),
            code: code_cell(cx, f),
            state: verdict,
        }
    })
}

/// The unwaived findings about one subject, as actions.
pub(crate) struct StepGroup<'a> {
    /// What the group is about: `feature 'saved-carts'`, `sprint 'R1'`, `the release`.
    pub(crate) label: String,
    /// Errors first, then warnings; each the finding's action (or its message).
    pub(crate) steps: Vec<(Severity, &'a str)>,
}

/// "What to do next": unwaived findings grouped by subject, features first in manifest
/// order, then the other subjects in the order their first finding appears.
pub(crate) fn next_steps<'a>(m: &'a ManifestReport<'_>) -> Vec<StepGroup<'a>> {
    let mut order: Vec<&'a str> = Vec::new();
    let mut groups: HashMap<&'a str, Vec<(Severity, &'a str)>> = HashMap::new();
    for f in m.outcome.findings.iter().filter(|f| !f.is_waived()) {
        let steps = groups.entry(f.subject.as_str()).or_insert_with(|| {
            order.push(f.subject.as_str());
            Vec::new()
        });
        steps.push((f.severity, f.action.as_deref().unwrap_or(&f.message)));
    }
    let feature_rank: HashMap<&str, usize> = match &m.context {
        super::ManifestContext::Release(cx) => cx
            .release
            .features
            .iter()
            .enumerate()
            .map(|(i, f)| (f.id.as_str(), i))
            .collect(),
        super::ManifestContext::Program(_) => HashMap::new(),
    };
    // Features first (manifest order), then everything else in order of appearance.
    order.sort_by_key(|s| feature_rank.get(s).map_or((1, 0), |&i| (0, i)));
    order
        .into_iter()
        .filter_map(|subject| {
            let mut steps = groups.remove(subject)?;
            steps.sort_by_key(|(sev, _)| *sev);
            // One action once, however many findings share it (RC402's missing topics).
            let mut seen = HashSet::new();
            steps.retain(|step| seen.insert(*step));
            Some(StepGroup {
                label: label_of(m, subject),
                steps,
            })
        })
        .collect()
}

fn label_of(m: &ManifestReport<'_>, subject: &str) -> String {
    match &m.context {
        super::ManifestContext::Release(cx) => {
            if cx.features.contains(subject) {
                format!("feature '{subject}'")
            } else if subject == cx.name() {
                format!("the release ({subject})")
            } else if cx.tests.contains(subject) {
                format!("test '{subject}'")
            } else if cx.docs.contains(subject) {
                format!("doc '{subject}'")
            } else if cx.training.contains(subject) {
                format!("training '{subject}'")
            } else if cx.sprints.contains(subject) {
                format!("sprint '{subject}'")
            } else {
                let deployment = cx.release.deployment.as_deref();
                let controls = deployment
                    .and_then(|d| d.controls.as_deref())
                    .map_or(&[][..], Vec::as_slice);
                let infrastructure = deployment
                    .and_then(|d| d.infrastructure.as_deref())
                    .map_or(&[][..], Vec::as_slice);
                if controls.iter().any(|c| c.name.as_str() == subject) {
                    format!("release control '{subject}'")
                } else if infrastructure.iter().any(|i| i.name.as_str() == subject) {
                    format!("infrastructure item '{subject}'")
                } else {
                    format!("'{subject}'")
                }
            }
        }
        super::ManifestContext::Program(cx) => {
            if subject == cx.program.info.name.as_str() {
                format!("the program ({subject})")
            } else {
                format!("product '{subject}'")
            }
        }
    }
}

/// A product's row in a program's products table.
pub(crate) struct ProductRow<'c> {
    pub(crate) id: &'c str,
    /// As the engine decided it.
    pub(crate) state: ProductState,
    /// Unwaived errors and warnings of a product whose manifest was checked.
    pub(crate) counts: Option<(usize, usize)>,
    pub(crate) depends_on: Vec<&'c str>,
    /// The product's manifest as reports name it.
    pub(crate) manifest: &'c str,
}

/// The products of a program, in manifest order, with their `states` (parallel to them).
pub(crate) fn products<'c>(
    cx: &'c ProgramContext<'_>,
    states: &[ProductState],
) -> Vec<ProductRow<'c>> {
    let all = &cx.program.info.products;
    cx.products()
        .zip(states)
        .enumerate()
        .map(|(i, ((p, status), &state))| {
            let counts = match status {
                ProductStatus::Checked {
                    errors, warnings, ..
                } => Some((*errors, *warnings)),
                _ => None,
            };
            ProductRow {
                id: p.id.as_str(),
                state,
                counts,
                depends_on: cx
                    .graph
                    .deps(i)
                    .iter()
                    .filter_map(|&d| all.get(d).map(|p| p.id.as_str()))
                    .collect(),
                manifest: status.path(),
            }
        })
        .collect()
}

/// The order the products can ship in: waves of products whose dependencies shipped in
/// earlier waves; `None` when the dependencies form a cycle (RC503).
pub(crate) fn ship_order<'c>(cx: &'c ProgramContext<'_>) -> Option<Vec<Vec<&'c str>>> {
    let all = &cx.program.info.products;
    let waves = cx.graph.ship_order()?;
    Some(
        waves
            .iter()
            .map(|w| {
                w.iter()
                    .filter_map(|&i| all.get(i).map(|p| p.id.as_str()))
                    .collect()
            })
            .collect(),
    )
}
