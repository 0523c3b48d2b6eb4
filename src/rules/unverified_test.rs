use crate::context::Context;
use crate::manifest::TestStatus;
use crate::rule::{Eval, Finding, Rule, declare_rule, not_evaluated};

declare_rule! {
    /// ## What it checks
    /// Off by default. Every test that says `passed` gives a `report`, so that relcheck can
    /// verify the status (see RC007) instead of taking it on trust.
    ///
    /// ## Why it matters
    /// Pitfall 3 of the Production Release practice: only well tested features ship, and
    /// "well tested" is a fact in a test report, not a word in a manifest. Teams whose CI
    /// writes JUnit reports can turn this on to make every claim checkable.
    ///
    /// ## Example
    /// ```yaml
    /// policy:
    ///   rules:
    ///     unverified-test: error
    /// tests:
    ///   - id: checkout-uat
    ///     kind: uat
    ///     status: passed        # RC008: no report
    /// ```
    pub struct UnverifiedTest {
        code: "RC008",
        name: "unverified-test",
        default: Off,
        summary: "a test says passed and gives no report",
        scope: Tests,
        milestone: Now,
    }
}

impl Rule for UnverifiedTest {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let r = cx.release;
        if r.tests.is_empty() {
            return Err(not_evaluated("no tests given"));
        }
        for (t, _) in r
            .tests
            .iter()
            .zip(cx.evidence.tests())
            .filter(|(t, e)| *t.status == TestStatus::Passed && e.report.is_none())
        {
            out.push(
                Self::META
                    .finding(
                        t.id.as_str(),
                        t.status.pos,
                        format!(
                            "test '{}' says passed but gives no report; its status is taken on trust",
                            t.id
                        ),
                    )
                    .with_action(format!(
                        "have CI write a JUnit report for test '{}' and give it as 'report:'",
                        t.id
                    )),
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, check_rule, not_evaluated};

    #[test]
    fn fires_for_passed_tests_without_report() {
        let yaml = format!(
            "{HEAD}tests:\n  - id: trusted\n    kind: uat\n    status: passed\n\
             \x20 - id: failed\n    kind: uat\n    status: failed\n\
             \x20 - id: blank\n    kind: uat\n    status: passed\n    report: \" \"\n\
             \x20 - id: backed\n    kind: uat\n    status: passed\n    report: reports/uat.xml\n"
        );
        assert_eq!(
            check_rule("RC008", &yaml),
            [
                "8:13 trusted: test 'trusted' says passed but gives no report; its status is taken on trust",
                "14:13 blank: test 'blank' says passed but gives no report; its status is taken on trust",
            ]
        );
    }

    #[test]
    fn not_evaluated_without_tests() {
        assert!(check_rule("RC008", HEAD).is_empty());
        assert_eq!(not_evaluated("RC008", HEAD), ["RC008: no tests given"]);
    }
}
