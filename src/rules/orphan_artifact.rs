use crate::hash::{Set, set_with_capacity};

use super::shared::shipped::{release_wide_doc, release_wide_test, release_wide_training};
use crate::context::Context;
use crate::manifest::{Id, Located};
use crate::rule::{Eval, Finding, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every test, doc and training entry is linked by some feature (in scope or not),
    /// unless its kind serves the release as a whole: tests of kind `system`,
    /// `performance`, `security`, `smoke` or `regression`; docs of kind `release-notes`,
    /// `product`, `support` or `operations`; training for `support` or `operations`.
    ///
    /// ## Why it matters
    /// The practice weighs documentation and training as much as testing, per feature.
    /// An entry no feature links counts towards nothing: a test that proves no feature, a
    /// user guide for no feature. It is usually a typo in a link (the feature then lacks
    /// it) or a leftover from a feature that was cut. Either way the manifest says less
    /// than it seems to.
    ///
    /// ## Example
    /// ```yaml
    /// features:
    ///   - id: saved-carts
    ///     status: done
    ///     docs: []
    /// docs:
    ///   - id: saved-carts-guide       # RC003: no feature links it
    ///     kind: user
    ///     path: docs/saved-carts.md
    ///     status: final
    /// ```
    pub struct OrphanArtifact {
        code: "RC003",
        name: "orphan-artifact",
        default: Warning,
        summary: "a test, doc or training entry that no feature links (release-wide kinds excepted)",
        scope: Artifacts,
        milestone: Now,
    }
}

impl Rule for OrphanArtifact {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let r = cx.release;
        let mut tests: Set<&str> = set_with_capacity(r.tests.len());
        let mut docs: Set<&str> = set_with_capacity(r.docs.len());
        let mut training: Set<&str> = set_with_capacity(r.training.len());
        for f in &r.features {
            tests.extend(f.test_links().iter().map(|id| id.as_str()));
            docs.extend(f.doc_links().iter().map(|id| id.as_str()));
            training.extend(f.training_links().iter().map(|id| id.as_str()));
        }
        let mut orphan = |what: &str, id: &Located<Id>, pos| {
            out.push(Self::META.finding(
                id.as_str(),
                pos,
                format!("{what} '{}' is linked by no feature; link it from the feature it covers or remove it", id.value),
            ).with_action(format!("link {what} '{}' from the feature it covers, or remove it", id.value)));
        };
        for t in r
            .tests
            .iter()
            .filter(|t| !release_wide_test(*t.kind) && !tests.contains(t.id.as_str()))
        {
            orphan(&format!("{} test", t.kind.value), &t.id, t.pos);
        }
        for d in r
            .docs
            .iter()
            .filter(|d| !release_wide_doc(*d.kind) && !docs.contains(d.id.as_str()))
        {
            orphan(&format!("{} doc", d.kind.value), &d.id, d.pos);
        }
        for t in r
            .training
            .iter()
            .filter(|t| !release_wide_training(*t.audience) && !training.contains(t.id.as_str()))
        {
            orphan("end-user training", &t.id, t.pos);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, check_rule};

    #[test]
    fn fires_for_unlinked_feature_level_entries() {
        let yaml = format!(
            "{HEAD}features:\n  - id: f\n    status: dropped\n    tests: [linked]\n\
             tests:\n  - id: linked\n    kind: uat\n    status: passed\n  - id: lonely\n    kind: unit\n    status: passed\n\
             docs:\n  - id: guide\n    kind: user\n    status: final\n    url: https://d\n\
             training:\n  - id: course\n    audience: end-user\n    status: ready\n    url: https://t\n"
        );
        assert_eq!(
            check_rule("RC003", &yaml),
            [
                "13:5 lonely: unit test 'lonely' is linked by no feature; link it from the feature it covers or remove it",
                "17:5 guide: user doc 'guide' is linked by no feature; link it from the feature it covers or remove it",
                "22:5 course: end-user training 'course' is linked by no feature; link it from the feature it covers or remove it",
            ]
        );
    }

    #[test]
    fn release_wide_kinds_need_no_link() {
        let yaml = format!(
            "{HEAD}tests:\n  - id: sys\n    kind: system\n    status: passed\n\
             docs:\n  - id: notes\n    kind: release-notes\n    status: final\n    url: https://d\n\
             training:\n  - id: ops\n    audience: operations\n    status: ready\n    url: https://t\n"
        );
        assert!(check_rule("RC003", &yaml).is_empty());
    }
}
