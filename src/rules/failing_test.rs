use crate::hash::Set;

use crate::context::Context;
use crate::manifest::TestStatus;
use crate::rule::{Eval, Finding, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every test that a feature in scope links is passing: its `status` is `passed` and,
    /// where it gives a `report`, the report backs that up (see RC005 and RC007). A test
    /// that `failed`, was `skipped` or is `not-run` is not passing. One finding per linked
    /// test that is not passing, at the link in the feature's `tests:` list; a test linked
    /// twice by one feature is reported once. Links to undefined tests are RC001's.
    ///
    /// A test that says `passed` but whose report is missing, outside the root or does not
    /// show a pass is also the test's own finding (RC005, RC004 or RC007, about the test):
    /// that one says how to fix the report, and this one only what it means for the feature.
    ///
    /// ## Why it matters
    /// Pitfall 3 of the Production Release practice: successful hardening beats squeezing
    /// in marginally tested features. A feature whose own tests fail, or were never run, is
    /// exactly such a feature: the release sprint is there to make them pass, and a
    /// feature that cannot get there by the release date is deferred, not shipped.
    ///
    /// ## Example
    /// ```yaml
    /// features:
    ///   - id: saved-carts
    ///     status: done
    ///     tests: [saved-carts-it, saved-carts-uat]
    /// tests:
    ///   - id: saved-carts-it
    ///     kind: integration
    ///     status: failed          # RC102
    ///   - id: saved-carts-uat
    ///     kind: uat
    ///     status: not-run         # RC102
    /// ```
    pub struct FailingTest {
        code: "RC102",
        name: "failing-test",
        default: Error,
        summary: "a feature in scope links a test that is not passing (failed, skipped, not-run)",
        scope: Features,
        milestone: Release,
    }
}

impl Rule for FailingTest {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let mut seen = Set::default();
        for f in cx.features_in_scope() {
            seen.clear();
            for link in f.test_links() {
                let Some(t) = cx.tests.get(link.as_str()) else {
                    continue;
                };
                if !seen.insert(link.as_str()) || cx.test_passes(t) {
                    continue;
                }
                let (why, action) = match *t.status {
                    TestStatus::Failed => (
                        "whose status is failed".to_owned(),
                        format!("fix what fails in test '{}' and re-run it", t.id),
                    ),
                    TestStatus::Skipped | TestStatus::NotRun => (
                        format!("whose status is {}", t.status.as_str()),
                        format!("run test '{}' and record its result", t.id),
                    ),
                    // `passed`, but its evidence does not back it up: the test's own finding
                    // (RC005, RC004 or RC007, whose subject is the test) says how to fix the
                    // report; the feature's step is only what that means for the feature.
                    TestStatus::Passed => (
                        "whose status is passed but whose report does not show a pass".to_owned(),
                        format!(
                            "ship feature '{}' only once the report of test '{}' shows a pass (the test's own finding says what to fix)",
                            f.id, t.id
                        ),
                    ),
                };
                let action = if *t.status == TestStatus::Passed {
                    format!("{action}; otherwise defer it")
                } else {
                    format!("{action}, or defer feature '{}'", f.id)
                };
                out.push(
                    Self::META
                        .finding(
                            f.id.as_str(),
                            link.pos,
                            format!(
                                "feature '{}' links {} test '{}', {why}",
                                f.id,
                                t.kind.as_str(),
                                t.id
                            ),
                        )
                        .with_action(action),
                );
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, actions, check_rule};

    const TESTS: &str = "tests:\n  - id: ok\n    kind: integration\n    status: passed\n\
                         \x20 - id: bad\n    kind: uat\n    status: failed\n\
                         \x20 - id: skip\n    kind: system\n    status: skipped\n\
                         \x20 - id: later\n    kind: unit\n    status: not-run\n";

    #[test]
    fn fires_once_per_linked_test_that_is_not_passing() {
        let yaml = format!(
            "{HEAD}features:\n  - id: a\n    status: done\n    tests: [ok, bad, skip, later, nope, bad]\n{TESTS}"
        );
        assert_eq!(
            check_rule("RC102", &yaml),
            [
                "8:17 a: feature 'a' links uat test 'bad', whose status is failed",
                "8:22 a: feature 'a' links system test 'skip', whose status is skipped",
                "8:28 a: feature 'a' links unit test 'later', whose status is not-run",
            ]
        );
        assert_eq!(
            actions("RC102", &yaml),
            [
                "fix what fails in test 'bad' and re-run it, or defer feature 'a'",
                "run test 'skip' and record its result, or defer feature 'a'",
                "run test 'later' and record its result, or defer feature 'a'",
            ]
        );
    }

    #[test]
    fn a_report_that_disagrees_leaves_the_fix_to_the_tests_own_finding() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("it.xml"),
            r#"<testsuite name="S"><testcase name="a"><failure/></testcase></testsuite>"#,
        )
        .unwrap();
        let yaml = format!(
            "{HEAD}features:\n  - id: a\n    status: done\n    tests: [it]\n\
             tests:\n  - id: it\n    kind: integration\n    status: passed\n    report: it.xml\n"
        );
        let outcome = crate::testing::outcome_in(dir.path(), "RC007,RC102", &yaml);
        let steps: Vec<(&str, &str, &str)> = outcome
            .findings
            .iter()
            .map(|f| {
                (
                    f.rule.code,
                    f.subject.as_str(),
                    f.action.as_deref().unwrap_or_default(),
                )
            })
            .collect();
        // Two subjects, two findings, and each says something the other does not: the test
        // is fixed under the test, the feature only waits for it (or is deferred).
        assert_eq!(
            steps,
            [
                (
                    "RC102",
                    "a",
                    "ship feature 'a' only once the report of test 'it' shows a pass (the test's own finding says what to fix); otherwise defer it"
                ),
                (
                    "RC007",
                    "it",
                    "fix and rerun test 'it', or set its status to what its report shows"
                ),
            ]
        );
    }

    #[test]
    fn each_feature_linking_a_failing_test_is_a_subject() {
        let yaml = format!(
            "{HEAD}features:\n  - id: a\n    status: accepted\n    tests: [bad]\n\
             \x20 - id: b\n    status: in-progress\n    tests:\n      - bad\n{TESTS}"
        );
        assert_eq!(
            check_rule("RC102", &yaml),
            [
                "8:13 a: feature 'a' links uat test 'bad', whose status is failed",
                "12:9 b: feature 'b' links uat test 'bad', whose status is failed",
            ]
        );
    }

    #[test]
    fn silent_for_passing_tests_and_features_out_of_scope() {
        let yaml = format!(
            "{HEAD}features:\n  - id: a\n    status: done\n    tests: [ok]\n\
             \x20 - id: b\n    status: deferred\n    tests: [bad]\n\
             \x20 - id: c\n    status: dropped\n    tests: [later]\n\
             \x20 - id: d\n    status: done\n{TESTS}"
        );
        assert!(check_rule("RC102", &yaml).is_empty());
    }
}
