use crate::context::Context;
use crate::rule::{Eval, Finding, Rule, declare_rule, not_evaluated};

declare_rule! {
    /// ## What it checks
    /// Every test's JUnit `report` is fresh: the newest `timestamp` of the report's
    /// `<testsuite>` and `<testsuites>` elements (all of them, whatever `suite` and `cases`
    /// select; only the date, `YYYY-MM-DD`, is read) is at most `policy.max_report_age`
    /// days (default 30) before today. pytest, jest-junit and Maven Surefire write these
    /// timestamps. A report without a readable timestamp is not judged (the rule lists it as
    /// not evaluated); file modification times are never used, since a checkout resets them.
    ///
    /// ## Why it matters
    /// Pitfall 3 of the Production Release practice: only mature, well tested features
    /// ship. A report from a run weeks ago says how the code was then, not how the release
    /// candidate is now: the hardening of the release sprint changes code, and its tests must
    /// be rerun on what ships.
    ///
    /// ## Example
    /// ```yaml
    /// policy:
    ///   max_report_age: 14
    /// tests:
    ///   - id: checkout-unit
    ///     kind: unit
    ///     status: passed
    ///     report: reports/unit.xml   # RC012 when its timestamp is over 14 days old
    /// ```
    pub struct StaleReport {
        code: "RC012",
        name: "stale-report",
        default: Warning,
        summary: "a test's JUnit report is older than policy.max_report_age days",
        scope: Tests,
        milestone: Release,
    }
}

impl Rule for StaleReport {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let max = cx.policy.max_report_age;
        let mut undated = Vec::new();
        let mut any = false;
        for (t, e) in cx.release.tests.iter().zip(cx.evidence.tests()) {
            let (Some(report), Some(_)) = (&t.report, &e.report) else {
                continue;
            };
            any = true;
            let Some(date) = e.report_date else {
                // A report that could not be read is RC004, RC005 or RC007's concern.
                if e.counts().is_some() {
                    undated.push(format!("'{}'", t.id));
                }
                continue;
            };
            let Ok(age) = date.until((jiff::Unit::Day, cx.today.0)) else {
                continue;
            };
            let days = i64::from(age.get_days());
            if days > i64::from(max) {
                out.push(
                    Self::META
                        .finding(
                            t.id.as_str(),
                            report.pos,
                            format!(
                                "the report '{}' of test '{}' dates from {date}, {days} days before today (at most {max})",
                                report.value, t.id
                            ),
                        )
                        .with_action(format!(
                            "rerun test '{}' on the release candidate and commit its fresh report",
                            t.id
                        )),
                );
            }
        }
        if !any {
            return Err(not_evaluated("no test gives a report"));
        }
        if !undated.is_empty() {
            return Err(not_evaluated(format!(
                "no readable timestamp in the report of test {}",
                undated.join(", ")
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use crate::testing::{HEAD, check_rule_in, not_evaluated, outcome_in};

    fn report(date: &str) -> String {
        format!(
            "<testsuites><testsuite name='pytest' timestamp='{date}T10:00:00.5+00:00'><testcase name='a'/></testsuite></testsuites>"
        )
    }

    fn manifest(policy: &str) -> String {
        format!(
            "{HEAD}{policy}tests:\n  - id: fresh\n    kind: unit\n    status: passed\n    report: fresh.xml\n\
             \x20 - id: old\n    kind: unit\n    status: passed\n    report: old.xml\n"
        )
    }

    fn reports() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        // testing::TODAY is 2026-11-01.
        fs::write(dir.path().join("fresh.xml"), report("2026-10-02")).unwrap();
        fs::write(dir.path().join("old.xml"), report("2026-10-01")).unwrap();
        fs::write(
            dir.path().join("undated.xml"),
            "<testsuite><testcase/></testsuite>",
        )
        .unwrap();
        dir
    }

    #[test]
    fn fires_past_the_default_thirty_days() {
        let dir = reports();
        assert_eq!(
            check_rule_in(dir.path(), "RC012", &manifest("")),
            [
                "13:13 old: the report 'old.xml' of test 'old' dates from 2026-10-01, 31 days before today (at most 30)"
            ]
        );
        let policy = "policy:\n  max_report_age: 29\n";
        assert_eq!(
            check_rule_in(dir.path(), "RC012", &manifest(policy)).len(),
            2
        );
    }

    #[test]
    fn silent_within_the_age_and_not_evaluated_without_a_timestamp() {
        let dir = reports();
        let policy = "policy:\n  max_report_age: 31\n";
        assert!(check_rule_in(dir.path(), "RC012", &manifest(policy)).is_empty());
        let yaml = format!(
            "{HEAD}tests:\n  - id: undated\n    kind: unit\n    status: passed\n    report: undated.xml\n"
        );
        assert!(check_rule_in(dir.path(), "RC012", &yaml).is_empty());
        let skipped: Vec<String> = outcome_in(dir.path(), "RC012", &yaml)
            .not_evaluated
            .iter()
            .map(|(m, why)| format!("{}: {why}", m.code))
            .collect();
        assert_eq!(
            skipped,
            ["RC012: no readable timestamp in the report of test 'undated'"]
        );
        let yaml = yaml.replace("undated.xml", "../x.xml");
        assert!(check_rule_in(dir.path(), "RC012", &yaml).is_empty());
        let yaml = format!("{HEAD}tests:\n  - id: t\n    kind: unit\n    status: passed\n");
        assert_eq!(
            not_evaluated("RC012", &yaml),
            ["RC012: no test gives a report"]
        );
    }
}
