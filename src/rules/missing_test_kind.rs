use crate::context::Context;
use crate::manifest::TestKind;
use crate::rule::{Eval, Finding, Rule, declare_rule};
use crate::rules::{join, plural};

declare_rule! {
    /// ## What it checks
    /// Every feature in scope that links at least one (defined) test links a test of each
    /// kind in `policy.feature_tests` (default: `integration` and `uat`). One finding per
    /// feature, naming the kinds it has and the kinds it lacks. Whether the tests pass is
    /// RC102's concern; a feature that links no test at all is RC101's.
    ///
    /// ## Why it matters
    /// Pitfall 3 of the Production Release practice: successful hardening beats squeezing
    /// in marginally tested features. Only integrated features that users have accepted
    /// belong in production: unit tests alone do not show that a feature works with the
    /// rest of the product, nor that it does what its users need. A feature tested at one
    /// level only is marginally tested.
    ///
    /// ## Example
    /// ```yaml
    /// features:
    ///   - id: bulk-listing
    ///     status: done
    ///     tests: [bulk-listing-unit]     # RC103: no integration test, no uat test
    /// tests:
    ///   - id: bulk-listing-unit
    ///     kind: unit
    ///     status: passed
    /// policy:
    ///   feature_tests: [integration, uat]
    /// ```
    pub struct MissingTestKind {
        code: "RC103",
        name: "missing-test-kind",
        default: Error,
        summary: "a feature in scope that links tests lacks a kind in policy.feature_tests",
        scope: Features,
        milestone: Freeze,
    }
}

/// "a uat test", "an integration test".
fn a(kind: TestKind) -> &'static str {
    match kind {
        TestKind::Integration | TestKind::Acceptance => "an",
        _ => "a",
    }
}

impl Rule for MissingTestKind {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        // The policy's kinds, each once, in the policy's order.
        let mut required: Vec<TestKind> = Vec::with_capacity(TestKind::ALL.len());
        for k in &cx.policy.feature_tests {
            if !required.contains(k) {
                required.push(*k);
            }
        }
        if required.is_empty() {
            return Ok(());
        }
        let policy = join(required.iter().map(|k| k.as_str()), "and");
        for f in cx.features_in_scope() {
            let mut has = [false; TestKind::ALL.len()];
            let mut linked = 0u64;
            for t in cx.tests_of(f) {
                has[*t.kind as usize] = true;
                linked += 1;
            }
            if linked == 0 {
                continue;
            }
            let missing: Vec<TestKind> = required
                .iter()
                .copied()
                .filter(|k| !has[*k as usize])
                .collect();
            if missing.is_empty() {
                continue;
            }
            let kinds = join(
                TestKind::ALL
                    .iter()
                    .filter(|k| has[**k as usize])
                    .map(|k| k.as_str()),
                "and",
            );
            let message = format!(
                "feature '{}' links no {} test: its {} {} {kinds}; policy.feature_tests requires {policy}",
                f.id,
                join(missing.iter().map(|k| k.as_str()), "or"),
                plural(linked, "linked test"),
                if linked == 1 { "is" } else { "are" },
            );
            let action = match missing.as_slice() {
                [one] => format!("add {} {} test for '{}' and link it", a(*one), one, f.id),
                _ => format!(
                    "add {} tests for '{}' and link them",
                    join(missing.iter().map(|k| k.as_str()), "and"),
                    f.id
                ),
            };
            let pos = f.tests.as_ref().map_or(f.pos, |t| t.pos);
            out.push(
                Self::META
                    .finding(f.id.as_str(), pos, message)
                    .with_action(action),
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, actions, check_rule};

    const TESTS: &str = "tests:\n  - id: it\n    kind: integration\n    status: failed\n\
                         \x20 - id: uat\n    kind: uat\n    status: passed\n\
                         \x20 - id: u1\n    kind: unit\n    status: passed\n\
                         \x20 - id: u2\n    kind: unit\n    status: passed\n";

    #[test]
    fn fires_with_the_kinds_it_has_and_lacks() {
        let yaml = format!(
            "{HEAD}features:\n  - id: a\n    status: done\n    tests: [it]\n\
             \x20 - id: b\n    status: accepted\n    tests: [u1, u2, nope]\n{TESTS}"
        );
        assert_eq!(
            check_rule("RC103", &yaml),
            [
                "8:12 a: feature 'a' links no uat test: its 1 linked test is integration; policy.feature_tests requires integration and uat",
                "11:12 b: feature 'b' links no integration or uat test: its 2 linked tests are unit; policy.feature_tests requires integration and uat",
            ]
        );
        assert_eq!(
            actions("RC103", &yaml),
            [
                "add a uat test for 'a' and link it",
                "add integration and uat tests for 'b' and link them",
            ]
        );
    }

    #[test]
    fn follows_the_policy() {
        let yaml = format!(
            "{HEAD}features:\n  - id: a\n    status: done\n    tests: [it, uat]\n{TESTS}\
             policy:\n  feature_tests: [acceptance, integration, acceptance]\n"
        );
        assert_eq!(
            check_rule("RC103", &yaml),
            [
                "8:12 a: feature 'a' links no acceptance test: its 2 linked tests are integration and uat; policy.feature_tests requires acceptance and integration"
            ]
        );
        assert_eq!(
            actions("RC103", &yaml),
            ["add an acceptance test for 'a' and link it"]
        );
        let none = format!(
            "{HEAD}features:\n  - id: a\n    status: done\n    tests: [u1]\n{TESTS}\
             policy:\n  feature_tests: []\n"
        );
        assert!(check_rule("RC103", &none).is_empty());
    }

    #[test]
    fn silent_when_every_kind_is_linked_failing_or_not() {
        // A failing integration test still counts as the kind: passing is RC102's concern.
        let yaml = format!(
            "{HEAD}features:\n  - id: a\n    status: done\n    tests: [it, uat, u1]\n{TESTS}"
        );
        assert!(check_rule("RC103", &yaml).is_empty());
    }

    #[test]
    fn silent_without_defined_tests_and_out_of_scope() {
        // No test, or only undefined ones: RC101 (and RC001) speak for it.
        let yaml = format!(
            "{HEAD}features:\n  - id: a\n    status: done\n\
             \x20 - id: b\n    status: done\n    tests: [nope]\n\
             \x20 - id: c\n    status: deferred\n    tests: [u1]\n\
             \x20 - id: d\n    status: dropped\n    tests: [u1]\n{TESTS}"
        );
        assert!(check_rule("RC103", &yaml).is_empty());
    }
}
