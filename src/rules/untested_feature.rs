use crate::context::Context;
use crate::rule::{Eval, Finding, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every feature in scope (not `deferred` or `dropped`) links at least one test.
    /// Links to undefined tests do not count (they are RC001's).
    ///
    /// ## Why it matters
    /// Pitfall 3 of the Production Release practice: successful hardening beats squeezing
    /// in marginally tested features. A feature with no test at all is the extreme case of
    /// a marginally tested feature; the release sprint is for hardening what was built,
    /// not for shipping what was never verified. Test it, or defer it.
    ///
    /// ## Example
    /// ```yaml
    /// features:
    ///   - id: saved-carts
    ///     status: done
    ///     tests: []        # RC101
    /// ```
    pub struct UntestedFeature {
        code: "RC101",
        name: "untested-feature",
        default: Error,
        summary: "a feature in scope links no tests",
        scope: Features,
        milestone: Freeze,
    }
}

impl Rule for UntestedFeature {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        for f in cx.features_in_scope() {
            if cx.tests_of(f).next().is_none() {
                out.push(
                    Self::META
                        .finding(
                            f.id.as_str(),
                            f.pos,
                            format!("feature '{}' links no tests", f.id),
                        )
                        .with_action(format!(
                            "test '{}' and link its tests, or defer the feature",
                            f.id
                        )),
                );
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, check_rule};

    #[test]
    fn fires_for_features_in_scope_without_defined_tests() {
        let yaml = format!(
            "{HEAD}features:\n  - id: a\n    status: done\n  - id: b\n    status: accepted\n    tests: [typo]\n\
             \x20 - id: c\n    status: deferred\n"
        );
        assert_eq!(
            check_rule("RC101", &yaml),
            [
                "6:5 a: feature 'a' links no tests",
                "8:5 b: feature 'b' links no tests"
            ]
        );
    }

    #[test]
    fn silent_for_tested_features() {
        let yaml = format!(
            "{HEAD}features:\n  - id: a\n    status: done\n    tests: [t]\n\
             tests:\n  - id: t\n    kind: uat\n    status: failed\n"
        );
        assert!(check_rule("RC101", &yaml).is_empty());
    }
}
