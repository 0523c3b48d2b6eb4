use crate::context::Context;
use crate::manifest::{Located, Test, TestKind, TestStatus};
use crate::rule::{Eval, Finding, Rule, declare_rule};
use crate::rules::{join, plural};

declare_rule! {
    /// ## What it checks
    /// For each kind in `policy.release_tests` (default: `system`), the manifest's
    /// `tests:` holds at least one passing test of that kind, linked by a feature or not.
    /// One finding per kind lacking a passing test, about the release as a whole: it names
    /// how many tests of that kind there are and why each is not passing.
    ///
    /// ## Why it matters
    /// Pitfall 3 of the Production Release practice: successful hardening beats squeezing
    /// in marginally tested features. Features that pass their own tests can still break
    /// each other; the release sprint integrates and tests the release as a whole (system,
    /// regression, performance, security, as the team's policy asks) before it goes to
    /// production.
    ///
    /// ## Example
    /// ```yaml
    /// tests:
    ///   - id: storefront-system
    ///     kind: system
    ///     status: not-run       # RC104: no passing system test
    /// policy:
    ///   release_tests: [system]
    /// ```
    pub struct MissingReleaseTest {
        code: "RC104",
        name: "missing-release-test",
        default: Error,
        summary: "the release lacks a passing test of a kind in policy.release_tests",
        scope: Release,
        milestone: Release,
    }
}

/// How many not-passing tests a message names before it abbreviates.
const NAMED: usize = 3;

impl Rule for MissingReleaseTest {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        // Per kind: whether one passes, and the tests of that kind (one pass over tests).
        let mut passes = [false; TestKind::ALL.len()];
        let mut of_kind: [Vec<&Located<Test>>; TestKind::ALL.len()] = Default::default();
        for t in &cx.release.tests {
            let k = *t.kind as usize;
            passes[k] |= cx.test_passes(t);
            of_kind[k].push(t);
        }
        // The policy's kinds, each once, in the policy's order.
        let mut required: Vec<TestKind> = Vec::with_capacity(TestKind::ALL.len());
        for k in &cx.policy.release_tests {
            if !required.contains(k) {
                required.push(*k);
            }
        }
        let policy = join(required.iter().map(|k| k.as_str()), "and");
        for &kind in &required {
            let k = kind as usize;
            if passes[k] {
                continue;
            }
            let tests = &of_kind[k];
            let (facts, action) = match tests.as_slice() {
                [] => (
                    format!("no {kind} test is defined"),
                    format!(
                        "add a {kind} test of release '{}' to tests: and record its pass",
                        cx.name()
                    ),
                ),
                [t] => (
                    format!("its only {kind} test, '{}', {}", t.id, not_passing(cx, t)),
                    format!("make {kind} test '{}' pass and record it", t.id),
                ),
                _ => {
                    let mut named: Vec<String> = tests
                        .iter()
                        .take(NAMED)
                        .map(|t| format!("'{}' {}", t.id, not_passing(cx, t)))
                        .collect();
                    if tests.len() > NAMED {
                        named.push(format!("{} more", tests.len() - NAMED));
                    }
                    (
                        format!(
                            "none of its {} passes: {}",
                            plural(tests.len() as u64, &format!("{kind} test")),
                            join(named.iter().map(String::as_str), "and")
                        ),
                        format!("make one of the {kind} tests pass and record it"),
                    )
                }
            };
            out.push(
                Self::META
                    .finding(
                        cx.name(),
                        cx.release.info.pos,
                        format!(
                            "release '{}' has no passing {kind} test: {facts}; policy.release_tests requires {policy}",
                            cx.name(),
                        ),
                    )
                    .with_action(action),
            );
        }
        Ok(())
    }
}

/// Why a test of the release's kinds does not pass, for the message.
fn not_passing(cx: &Context<'_>, t: &Test) -> String {
    match *t.status {
        TestStatus::Passed if !cx.test_passes(t) => {
            "has status passed but its report does not show a pass".to_owned()
        }
        status => format!("has status {}", status.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, actions, check_rule};

    #[test]
    fn fires_when_no_test_of_the_kind_exists() {
        let yaml = format!("{HEAD}tests:\n  - id: u\n    kind: unit\n    status: passed\n");
        assert_eq!(
            check_rule("RC104", &yaml),
            [
                "3:3 R: release 'R' has no passing system test: no system test is defined; policy.release_tests requires system"
            ]
        );
        assert_eq!(
            actions("RC104", &yaml),
            ["add a system test of release 'R' to tests: and record its pass"]
        );
    }

    #[test]
    fn fires_per_kind_naming_the_tests_that_do_not_pass() {
        let yaml = format!(
            "{HEAD}tests:\n  - id: s1\n    kind: system\n    status: failed\n\
             \x20 - id: s2\n    kind: system\n    status: not-run\n\
             \x20 - id: s3\n    kind: system\n    status: skipped\n\
             \x20 - id: s4\n    kind: system\n    status: failed\n\
             \x20 - id: p\n    kind: performance\n    status: skipped\n\
             \x20 - id: r\n    kind: regression\n    status: passed\n\
             policy:\n  release_tests: [system, performance, regression, system]\n"
        );
        assert_eq!(
            check_rule("RC104", &yaml),
            [
                "3:3 R: release 'R' has no passing system test: none of its 4 system tests passes: 's1' has status failed, 's2' has status not-run, 's3' has status skipped and 1 more; policy.release_tests requires system, performance and regression",
                "3:3 R: release 'R' has no passing performance test: its only performance test, 'p', has status skipped; policy.release_tests requires system, performance and regression",
            ]
        );
        assert_eq!(
            actions("RC104", &yaml),
            [
                "make one of the system tests pass and record it",
                "make performance test 'p' pass and record it",
            ]
        );
    }

    #[test]
    fn silent_when_one_test_of_each_kind_passes() {
        // Linked by no feature, failing siblings: one passing test of the kind is enough.
        let yaml = format!(
            "{HEAD}tests:\n  - id: s1\n    kind: system\n    status: failed\n\
             \x20 - id: s2\n    kind: system\n    status: passed\n"
        );
        assert!(check_rule("RC104", &yaml).is_empty());
        let none = format!("{HEAD}policy:\n  release_tests: []\n");
        assert!(check_rule("RC104", &none).is_empty());
    }
}
