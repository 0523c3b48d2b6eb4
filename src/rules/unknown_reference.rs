use crate::context::Context;
use crate::rule::{Eval, Finding, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every id a feature links (in `tests`, `docs`, `training`) and the `sprint` it names
    /// are defined in the manifest.
    ///
    /// ## Why it matters
    /// The Production Release practice lets only well tested, documented and trained
    /// features reach production. A link to an entry that does not exist claims evidence
    /// that is not there: the feature looks covered while nothing backs it. This is an
    /// integrity rule: it cannot be waived or turned off.
    ///
    /// Other rules and the coverage counts treat an undefined link as absent, so a feature
    /// whose only test link is a typo is also untested (RC101).
    ///
    /// ## Example
    /// ```yaml
    /// features:
    ///   - id: saved-carts
    ///     status: done
    ///     tests: [saved-carts-it]     # RC001: no test has this id
    /// tests:
    ///   - id: saved-cart-it
    ///     kind: integration
    ///     status: passed
    /// ```
    pub struct UnknownReference {
        code: "RC001",
        name: "unknown-reference",
        default: Error,
        summary: "a feature links a test, doc, training or sprint id that is not defined",
        scope: Features,
        milestone: Now,
        integrity: true,
    }
}

impl Rule for UnknownReference {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        for f in &cx.release.features {
            let mut missing = |what: &str, id: &crate::manifest::Located<crate::manifest::Id>| {
                out.push(
                    Self::META
                        .finding(
                            f.id.as_str(),
                            id.pos,
                            format!(
                                "feature '{}' links {what} '{}', which is not defined",
                                f.id, id.value
                            ),
                        )
                        .with_action(format!(
                            "define {what} '{}' or fix the link in feature '{}'",
                            id.value, f.id
                        )),
                );
            };
            for id in f
                .test_links()
                .iter()
                .filter(|id| !cx.tests.contains(id.as_str()))
            {
                missing("test", id);
            }
            for id in f
                .doc_links()
                .iter()
                .filter(|id| !cx.docs.contains(id.as_str()))
            {
                missing("doc", id);
            }
            for id in f
                .training_links()
                .iter()
                .filter(|id| !cx.training.contains(id.as_str()))
            {
                missing("training", id);
            }
            if let Some(sprint) = f
                .sprint
                .as_ref()
                .filter(|s| !cx.sprints.contains(s.as_str()))
            {
                missing("sprint", sprint);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, check_rule};

    #[test]
    fn fires_for_each_undefined_link() {
        let yaml = format!(
            "{HEAD}features:\n  - id: a\n    status: done\n    tests: [t1, nope]\n    docs: [d0]\n    training: [x]\n    sprint: S9\n\
             tests:\n  - id: t1\n    kind: uat\n    status: passed\n"
        );
        let found = check_rule("RC001", &yaml);
        assert_eq!(
            found,
            [
                "8:17 a: feature 'a' links test 'nope', which is not defined",
                "9:12 a: feature 'a' links doc 'd0', which is not defined",
                "10:16 a: feature 'a' links training 'x', which is not defined",
                "11:13 a: feature 'a' links sprint 'S9', which is not defined",
            ]
        );
    }

    #[test]
    fn silent_when_every_link_resolves() {
        let yaml = format!(
            "{HEAD}features:\n  - id: a\n    status: deferred\n    tests: [t1]\n    sprint: S1\n\
             tests:\n  - id: t1\n    kind: uat\n    status: passed\n\
             sprints:\n  - id: S1\n    kind: feature\n    start: 2026-10-01\n    end: 2026-10-14\n"
        );
        assert!(check_rule("RC001", &yaml).is_empty());
    }
}
