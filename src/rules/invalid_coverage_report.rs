use crate::context::Context;
use crate::evidence::CoverageState;
use crate::rule::{Eval, Finding, Rule, declare_rule, not_evaluated};

declare_rule! {
    /// ## What it checks
    /// Every report of the `coverage:` section can be read, its format recognised from its
    /// content: an lcov tracefile (`coverage lcov`, c8, grcov: `SF:`, `DA:` and
    /// `end_of_record` records) or Cobertura XML (coverage.py's `coverage xml`, gcovr, and
    /// many others: well-formed XML with a `<coverage>` root, `<class>` entries with a
    /// `filename`, `<line>` entries with a `number` and `hits`), within the readers' limits. A `<!DOCTYPE>` naming an
    /// external DTD is allowed and never fetched; one declaring entities makes the report
    /// unreadable. A report outside the root or missing is RC004 or RC005 instead. An
    /// unreadable report contributes no lines to any feature's coverage.
    ///
    /// ## Why it matters
    /// Pitfall 3 of the Production Release practice warns against shipping "marginally
    /// tested features". The coverage of each feature's code (RC112) measures that directly,
    /// but only from reports relcheck can read: a truncated or malformed report would
    /// silently measure nothing.
    ///
    /// ## Example
    /// ```yaml
    /// coverage:
    ///   - report: reports/coverage.xml   # RC013 when it is truncated or not Cobertura
    /// ```
    pub struct InvalidCoverageReport {
        code: "RC013",
        name: "invalid-coverage-report",
        default: Error,
        summary: "a coverage report cannot be read as Cobertura XML or lcov",
        scope: Paths,
        milestone: Now,
    }
}

impl Rule for InvalidCoverageReport {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let code = cx
            .evidence
            .code()
            .ok_or_else(|| not_evaluated("no coverage section"))?;
        for r in &code.reports {
            if let CoverageState::Unreadable(why) = &r.state {
                out.push(
                    Self::META
                        .finding(
                            r.value.as_str(),
                            r.pos,
                            format!("coverage report '{}' {why}", r.value),
                        )
                        .with_action(format!(
                            "regenerate '{}' as Cobertura XML or lcov (coverage.py: coverage xml -o {})",
                            r.value, r.value
                        )),
                );
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use crate::testing::{HEAD, check_rule_in, not_evaluated};

    const GOOD: &str = "<coverage><packages><package><classes><class filename='a.py'><lines><line number='1' hits='1'/></lines></class></classes></package></packages></coverage>";

    #[test]
    fn fires_on_malformed_and_entity_declaring_reports() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::write(d.join("good.xml"), GOOD).unwrap();
        fs::write(d.join("cut.xml"), "<coverage><packages>").unwrap();
        fs::write(
            d.join("bomb.xml"),
            "<!DOCTYPE coverage [<!ENTITY a 'aaaa'><!ENTITY b '&a;&a;'>]><coverage/>",
        )
        .unwrap();
        let yaml = format!(
            "{HEAD}coverage:\n  - report: good.xml\n  - report: cut.xml\n  - report: bomb.xml\n  - report: missing.xml\n"
        );
        assert_eq!(
            check_rule_in(d, "RC013", &yaml),
            [
                "7:13 cut.xml: coverage report 'cut.xml' cannot be read as a Cobertura XML report: it ends inside an element (truncated?)",
                "8:13 bomb.xml: coverage report 'bomb.xml' cannot be read as a Cobertura XML report: its <!DOCTYPE> declares entities; relcheck never expands them",
            ]
        );
    }

    #[test]
    fn silent_on_a_readable_report_and_not_evaluated_without_coverage() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("good.xml"), GOOD).unwrap();
        let yaml = format!("{HEAD}coverage:\n  - report: good.xml\n");
        assert!(check_rule_in(dir.path(), "RC013", &yaml).is_empty());
        assert_eq!(
            not_evaluated("RC013", &format!("{HEAD}coverage: []\n")),
            ["RC013: no coverage section"]
        );
    }
}
