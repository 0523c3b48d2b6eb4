use crate::context::Context;
use crate::evidence::ReportState;
use crate::manifest::TestStatus;
use crate::rule::{Eval, Finding, Rule, declare_rule, not_evaluated};

declare_rule! {
    /// ## What it checks
    /// A test that says `passed` and gives a `report` is backed by it: the JUnit XML
    /// report parses, holds at least one test case (in `suite`, when named: the exact
    /// `name` of any `<testsuite>`, nested ones included) and no `<failure>` or `<error>`.
    /// `tests=`/`failures=` attributes are ignored: the test cases are what counts. A
    /// report with a `<!DOCTYPE>` (a DTD or entity declarations) is not parsed, and a
    /// report that is a folder is not a report. Such a test is not passing (so RC102 and
    /// RC104 follow). A report that does not exist is RC005, not this rule.
    ///
    /// ## Why it matters
    /// Pitfall 3 of the Production Release practice: only well tested features ship. A
    /// status typed into a manifest is a claim; the report the test run wrote is the
    /// evidence. When they disagree, the claim is wrong, and a release gate must not take
    /// it on trust. This is an integrity rule: it cannot be waived or turned down.
    ///
    /// ## Example
    /// ```yaml
    /// tests:
    ///   - id: payouts-integration
    ///     kind: integration
    ///     status: passed
    ///     report: reports/payouts-it.xml   # RC007: holds a <failure>
    /// ```
    pub struct EvidenceContradiction {
        code: "RC007",
        name: "evidence-contradiction",
        default: Error,
        summary: "a test says passed but its JUnit report shows a failure or error, holds no test case, or cannot be parsed",
        scope: Tests,
        milestone: Now,
        integrity: true,
    }
}

impl Rule for EvidenceContradiction {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let r = cx.release;
        if cx.evidence.tests().iter().all(|e| e.report.is_none()) {
            return Err(not_evaluated("no test gives a report"));
        }
        for (t, e) in r.tests.iter().zip(cx.evidence.tests()) {
            let (Some(_), Some(report), TestStatus::Passed) = (&e.report, &t.report, e.status)
            else {
                continue;
            };
            let why = match &e.state {
                ReportState::Unparsable(why) => why.clone(),
                ReportState::Read { counts, .. } if !counts.clean() => e.report_says(),
                _ => continue,
            };
            out.push(
                Self::META
                    .finding(
                        t.id.as_str(),
                        report.pos,
                        format!(
                            "test '{}' says passed, but its report '{}' {why}",
                            t.id, report.value
                        ),
                    )
                    .with_action(format!(
                        "fix and rerun test '{}', or set its status to what its report shows",
                        t.id
                    )),
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use crate::testing::{HEAD, check_rule, check_rule_in, check_rules_in};

    const PASS: &str = r#"<testsuites><testsuite name="A"><testcase name="a"/></testsuite>
<testsuite name="B"><testsuite name="B1"><testcase name="b"/><testcase name="c"><skipped/></testcase></testsuite></testsuite>
<testsuite name="E"/></testsuites>"#;
    const FAIL: &str = r#"<testsuite name="S" tests="2" failures="0">
<testcase name="a"/><testcase name="b"><failure message="boom"/></testcase><testcase name="c"><error/></testcase></testsuite>"#;

    fn test(id: &str, status: &str, report: &str, suite: Option<&str>) -> String {
        let suite = suite.map_or(String::new(), |s| format!("    suite: {s}\n"));
        format!("  - id: {id}\n    kind: unit\n    status: {status}\n    report: {report}\n{suite}")
    }

    fn reports() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::write(d.join("pass.xml"), PASS).unwrap();
        fs::write(d.join("fail.xml"), FAIL).unwrap();
        fs::write(d.join("bad.xml"), "<testsuite><testcase></testsuite>").unwrap();
        fs::write(d.join("notes.md"), "# Notes\n").unwrap();
        fs::write(
            d.join("dtd.xml"),
            "<?xml version=\"1.0\"?>\n<!DOCTYPE t [<!ENTITY x \"y\">]>\n<testsuite><testcase/></testsuite>",
        )
        .unwrap();
        fs::create_dir(d.join("folder")).unwrap();
        dir
    }

    #[test]
    fn fires_when_the_report_contradicts_passed() {
        let dir = reports();
        let yaml = format!(
            "{HEAD}tests:\n{}{}{}{}{}{}{}{}",
            test("failing", "passed", "fail.xml", None),
            test("no-suite", "passed", "pass.xml", Some("Nope")),
            test("empty-suite", "passed", "pass.xml", Some("E")),
            test("bad", "passed", "bad.xml", None),
            test("markdown", "passed", "notes.md", None),
            test("dtd", "passed", "dtd.xml", None),
            test("folder", "passed", "folder", None),
            test("honest", "failed", "fail.xml", None),
        );
        assert_eq!(
            check_rule_in(dir.path(), "RC007", &yaml),
            [
                "9:13 failing: test 'failing' says passed, but its report 'fail.xml' shows 1 failure and 1 error in 3 test cases",
                "13:13 no-suite: test 'no-suite' says passed, but its report 'pass.xml' holds no test suite named 'Nope' (it has: A, B1, B, E)",
                "18:13 empty-suite: test 'empty-suite' says passed, but its report 'pass.xml' holds no test case in suite 'E'",
                "23:13 bad: test 'bad' says passed, but its report 'bad.xml' cannot be parsed as JUnit XML: malformed XML at byte 21: ill-formed document: expected `</testcase>`, but `</testsuite>` was found",
                "27:13 markdown: test 'markdown' says passed, but its report 'notes.md' cannot be parsed as JUnit XML: it is not XML (it does not start with '<')",
                "31:13 dtd: test 'dtd' says passed, but its report 'dtd.xml' cannot be parsed as JUnit XML: it declares a DTD (<!DOCTYPE>); relcheck never reads DTDs or entity declarations",
                "35:13 folder: test 'folder' says passed, but its report 'folder' is a folder, not a JUnit XML file",
            ]
        );
    }

    #[test]
    fn clean_reports_and_suites_pass() {
        let dir = reports();
        let yaml = format!(
            "{HEAD}features:\n  - id: f\n    status: done\n    tests: [all, a, nested, outer]\n\
             tests:\n{}{}{}{}",
            test("all", "passed", "pass.xml", None),
            test("a", "passed", "pass.xml", Some("A")),
            test("nested", "passed", "pass.xml", Some("B1")),
            test("outer", "passed", "pass.xml", Some("B")),
        );
        assert!(check_rule_in(dir.path(), "RC007", &yaml).is_empty());
        // All four pass, so RC101 has nothing to say and coverage counts the feature tested.
        assert!(check_rules_in(dir.path(), "RC101", "RC101", &yaml).is_empty());
    }

    #[test]
    fn not_evaluated_without_reports() {
        let yaml = format!("{HEAD}tests:\n  - id: t\n    kind: unit\n    status: passed\n");
        assert!(check_rule("RC007", &yaml).is_empty());
        assert_eq!(
            crate::testing::not_evaluated("RC007", &yaml),
            ["RC007: no test gives a report"]
        );
    }
}
