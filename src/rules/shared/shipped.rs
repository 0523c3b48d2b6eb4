//! Which docs and training ship with the release, and why: what RC206–RC208 look at.
//!
//! An entry ships when a feature in scope links it, or when its kind serves the release as
//! a whole (the release-wide kinds of RC003). Docs and training of deferred or dropped
//! features do not ship, so their state is not this release's concern.

use crate::hash::{Map, map_with_capacity};

use crate::context::Context;
use crate::manifest::{Audience, Doc, DocKind, TestKind, Training};

/// Test kinds that serve the release as a whole, not one feature.
pub(crate) fn release_wide_test(k: TestKind) -> bool {
    matches!(
        k,
        TestKind::System
            | TestKind::Performance
            | TestKind::Security
            | TestKind::Smoke
            | TestKind::Regression
    )
}

/// Doc kinds that serve the release as a whole, not one feature.
pub(crate) fn release_wide_doc(k: DocKind) -> bool {
    matches!(
        k,
        DocKind::ReleaseNotes | DocKind::Product | DocKind::Support | DocKind::Operations
    )
}

/// Training audiences that serve the release as a whole, not one feature.
pub(crate) fn release_wide_training(a: Audience) -> bool {
    matches!(a, Audience::Support | Audience::Operations)
}

/// Why an entry ships with the release.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Why<'a> {
    /// Linked by `first` and `others` more features in scope.
    Linked { first: &'a str, others: usize },
    /// Of a release-wide kind.
    ReleaseWide,
}

impl Why<'_> {
    /// "linked by feature 'a'", "linked by features 'a' and 2 more", "release-wide".
    pub(crate) fn describe(self) -> String {
        match self {
            Why::Linked { first, others: 0 } => format!("linked by feature '{first}'"),
            Why::Linked { first, others } => {
                format!("linked by features '{first}' and {others} more")
            }
            Why::ReleaseWide => "release-wide".to_owned(),
        }
    }
}

/// The docs and training features in scope link, by id; built once, in one pass.
pub(crate) struct Shipped<'a> {
    docs: Map<&'a str, Links<'a>>,
    training: Map<&'a str, Links<'a>>,
}

/// The features in scope linking one entry: the first, the last (to skip a feature that
/// lists the entry twice), and how many others.
#[derive(Clone, Copy)]
struct Links<'a> {
    first: &'a str,
    last: &'a str,
    others: usize,
}

fn link<'a>(map: &mut Map<&'a str, Links<'a>>, id: &'a str, feature: &'a str) {
    map.entry(id)
        .and_modify(|l| {
            if l.last != feature {
                l.last = feature;
                l.others += 1;
            }
        })
        .or_insert(Links {
            first: feature,
            last: feature,
            others: 0,
        });
}

fn why<'a>(links: Option<&Links<'a>>, release_wide: bool) -> Option<Why<'a>> {
    match links {
        Some(l) => Some(Why::Linked {
            first: l.first,
            others: l.others,
        }),
        None => release_wide.then_some(Why::ReleaseWide),
    }
}

impl<'a> Shipped<'a> {
    pub(crate) fn new(cx: &Context<'a>) -> Self {
        // Room for every entry: the maps never grow on the way.
        let mut docs = map_with_capacity(cx.release.docs.len());
        let mut training = map_with_capacity(cx.release.training.len());
        for f in cx.features_in_scope() {
            for id in f.doc_links() {
                link(&mut docs, id.as_str(), f.id.as_str());
            }
            for id in f.training_links() {
                link(&mut training, id.as_str(), f.id.as_str());
            }
        }
        Shipped { docs, training }
    }

    /// Why `d` ships, or `None` when it does not.
    pub(crate) fn doc(&self, d: &Doc) -> Option<Why<'a>> {
        why(self.docs.get(d.id.as_str()), release_wide_doc(*d.kind))
    }

    /// Why `t` ships, or `None` when it does not.
    pub(crate) fn training(&self, t: &Training) -> Option<Why<'a>> {
        why(
            self.training.get(t.id.as_str()),
            release_wide_training(*t.audience),
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::outcome;

    #[test]
    fn every_docs_finding_says_what_to_do() {
        let docs = include_str!("../../../tests/fixtures/docs-pace/docs/release.yaml");
        let o = outcome("RC2,RC208", docs);
        assert_eq!(o.findings.len(), 12);
        for f in &o.findings {
            let action = f.action.as_deref().unwrap_or_default();
            assert!(!action.is_empty(), "{}", f.rule.code);
        }
    }
}
