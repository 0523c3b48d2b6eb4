use crate::context::Context;
use crate::manifest::NANOS;
use crate::rule::{Eval, Finding, Rule, declare_rule, not_evaluated};

declare_rule! {
    /// ## What it checks
    /// The line coverage of each in-scope feature's `code` reaches
    /// `policy.min_feature_coverage` (default 0.6): covered over coverable lines of the
    /// reported files its globs match, the `coverage:` reports merged line by line (a line
    /// is covered if any report covers it). Each reported file is first resolved to a path
    /// under the root: joined with the report's `<source>` folders, `prefix` added to
    /// relative paths, then the longest suffix that names an existing file (reports written
    /// on CI runners hold absolute paths like `/home/runner/work/...`). It also fires when
    /// none of the feature's code is in any report, or its matched files have no coverable
    /// line. The message names up to five files that `code` matches on disk but no report
    /// lists: tools omit files no test imported, which inflates coverage. Features without
    /// `code` are not judged; without a `coverage` section the rule is not evaluated.
    ///
    /// ## Why it matters
    /// Pitfall 3 of the Production Release practice: ship only mature, well tested
    /// features, never "marginally tested features". A list of linked tests says that tests
    /// exist; the coverage of the feature's own code says how much of it they exercise.
    ///
    /// ## Example
    /// ```yaml
    /// features:
    ///   - id: one-page-checkout
    ///     status: accepted
    ///     code: [src/checkout/**]     # RC112 when under 60% of its lines are covered
    /// coverage:
    ///   - report: reports/coverage.xml
    /// policy:
    ///   min_feature_coverage: 0.6
    /// ```
    pub struct MarginallyTestedFeature {
        code: "RC112",
        name: "marginally-tested-feature",
        default: Error,
        summary: "the coverage of a feature's code is below policy.min_feature_coverage, or its code is in no coverage report",
        scope: Features,
        milestone: Release,
    }
}

/// `covered / coverable` as a percentage with one decimal, rounded down.
fn percent(covered: u64, coverable: u64) -> String {
    let tenths = covered.saturating_mul(1000) / coverable.max(1);
    format!("{}.{}%", tenths / 10, tenths % 10)
}

impl Rule for MarginallyTestedFeature {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let code = cx
            .evidence
            .code()
            .ok_or_else(|| not_evaluated("no coverage section"))?;
        let min = cx.policy.min_feature_coverage;
        for f in cx.features_in_scope() {
            let (Some(fc), Some(globs)) = (code.feature(f.id.as_str()), &f.code) else {
                continue;
            };
            // covered / coverable < min, exactly: covered * NANOS < min * coverable.
            let below = u128::from(fc.covered) * u128::from(NANOS)
                < u128::from(min.nanos()) * u128::from(fc.coverable);
            let what = if fc.files == 0 {
                "none of its code is in any coverage report".to_owned()
            } else if fc.coverable == 0 {
                format!(
                    "its {} reported file{} have no coverable line",
                    fc.files,
                    if fc.files == 1 { "" } else { "s" }
                )
            } else if below {
                format!(
                    "{} of its {} coverable lines are covered ({}; at least {} wanted)",
                    fc.covered,
                    fc.coverable,
                    percent(fc.covered, fc.coverable),
                    min
                )
            } else {
                continue;
            };
            let unlisted = if fc.unlisted.is_empty() {
                String::new()
            } else {
                let names: Vec<String> = fc.unlisted.iter().map(|u| format!("'{u}'")).collect();
                format!("; no report lists {}", names.join(", "))
            };
            out.push(
                Self::META
                    .finding(
                        f.id.as_str(),
                        globs.pos,
                        format!("feature '{}': {what}{unlisted}", f.id),
                    )
                    .with_action(format!(
                        "write tests that exercise the code of feature '{}', rerun coverage, and commit the report",
                        f.id
                    )),
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use crate::testing::{HEAD, check_rule_in, not_evaluated};

    fn line(n: u32, hits: u32) -> String {
        format!("<line number='{n}' hits='{hits}'/>")
    }

    /// A root holding `src/shop/{cart,pay}.py` and a report, written on a CI runner, in
    /// which cart.py has 2 of 4 lines covered and pay.py is absent.
    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::create_dir_all(d.join("src/shop")).unwrap();
        fs::write(d.join("src/shop/cart.py"), "x = 1\n").unwrap();
        fs::write(d.join("src/shop/pay.py"), "y = 1\n").unwrap();
        fs::write(d.join("src/shop/.hidden.py"), "z = 1\n").unwrap();
        let lines: String = [line(1, 1), line(2, 3), line(3, 0), line(4, 0)].concat();
        fs::write(
            d.join("coverage.xml"),
            format!(
                "<coverage><sources><source>/home/runner/work/app/app/src</source></sources><packages><package><classes>\
                 <class filename='shop/cart.py'><lines>{lines}</lines></class></classes></package></packages></coverage>"
            ),
        )
        .unwrap();
        dir
    }

    fn manifest(policy: &str, code: &str) -> String {
        format!(
            "{HEAD}features:\n  - id: cart\n    status: done\n    code: {code}\n  - id: no-code\n    status: done\ncoverage:\n  - report: coverage.xml\n{policy}"
        )
    }

    #[test]
    fn fires_below_the_default_and_names_unlisted_files() {
        let dir = tree();
        assert_eq!(
            check_rule_in(dir.path(), "RC112", &manifest("", "[src/shop/**]")),
            [
                "8:11 cart: feature 'cart': 2 of its 4 coverable lines are covered (50.0%; at least 0.6 wanted); no report lists 'src/shop/pay.py'"
            ]
        );
        assert_eq!(
            check_rule_in(dir.path(), "RC112", &manifest("", "[web/**]")),
            ["8:11 cart: feature 'cart': none of its code is in any coverage report"]
        );
    }

    #[test]
    fn silent_at_the_threshold_and_not_evaluated_without_coverage() {
        let dir = tree();
        let policy = "policy:\n  min_feature_coverage: 0.5\n";
        assert!(
            check_rule_in(dir.path(), "RC112", &manifest(policy, "[src/shop/cart.py]")).is_empty()
        );
        assert_eq!(
            not_evaluated(
                "RC112",
                &format!("{HEAD}features:\n  - id: a\n    status: done\n    code: [src/**]\n")
            ),
            ["RC112: no coverage section"]
        );
    }
}
