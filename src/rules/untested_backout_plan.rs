use crate::context::Context;
use crate::rule::{Eval, Finding, Rule, declare_rule, not_evaluated};

use super::missing_backout_plan::backout_plan;

declare_rule! {
    /// ## What it checks
    /// The backout plan has been rehearsed: `deployment.backout.tested` is `true`. An
    /// absent `tested` counts as not tested. Without a backout plan (RC403) there is nothing
    /// to judge, and the report lists this rule as not evaluated.
    ///
    /// ## Why it matters
    /// The Production Release practice prepares deployment during the release sprint so
    /// the release goes out calmly. A backout plan that was never tried is a hope: the
    /// restore takes three times longer than written, the old package is gone, the schema
    /// change cannot be reversed. Rehearse it once on a production-like environment before
    /// the deployment window.
    ///
    /// ## Example
    /// ```yaml
    /// deployment:
    ///   backout:
    ///     path: docs/release/backout-plan.md
    ///     tested: false           # RC404
    /// ```
    pub struct UntestedBackoutPlan {
        code: "RC404",
        name: "untested-backout-plan",
        default: Warning,
        summary: "the backout plan is not tested: true",
        scope: Release,
        milestone: Release,
    }
}

impl Rule for UntestedBackoutPlan {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let backout = backout_plan(cx)
            .ok_or_else(|| not_evaluated("no backout plan given (deployment.backout)"))?;
        let (pos, why) = match &backout.tested {
            Some(t) if t.0 => return Ok(()),
            Some(t) => (t.pos, "tested: false"),
            None => (backout.pos, "no 'tested' given"),
        };
        let place = backout
            .path
            .as_ref()
            .or(backout.url.as_ref())
            .map_or(String::new(), |p| format!(" '{}'", p.value));
        out.push(
            Self::META
                .finding(
                    cx.name(),
                    pos,
                    format!(
                        "the backout plan{place} of release '{}' is not tested ({why})",
                        cx.name()
                    ),
                )
                .with_action(format!(
                    "rehearse the backout plan{place} on a production-like environment, then set deployment.backout.tested: true"
                )),
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, check_rule, not_evaluated};

    #[test]
    fn fires_when_tested_is_false_or_absent() {
        let yaml = format!(
            "{HEAD}deployment:\n  backout:\n    path: docs/backout.md\n    tested: false\n"
        );
        assert_eq!(
            check_rule("RC404", &yaml),
            [
                "8:13 R: the backout plan 'docs/backout.md' of release 'R' is not tested (tested: false)"
            ]
        );
        let yaml = format!("{HEAD}deployment:\n  backout:\n    url: https://wiki/backout\n");
        assert_eq!(
            check_rule("RC404", &yaml),
            [
                "7:5 R: the backout plan 'https://wiki/backout' of release 'R' is not tested (no 'tested' given)"
            ]
        );
    }

    #[test]
    fn silent_when_tested() {
        let yaml =
            format!("{HEAD}deployment:\n  backout:\n    path: docs/backout.md\n    tested: true\n");
        assert!(check_rule("RC404", &yaml).is_empty());
    }

    #[test]
    fn not_evaluated_without_a_backout_plan() {
        // RC403 reports the missing plan; RC404 has nothing to judge and says so.
        for yaml in [
            HEAD.to_owned(),
            format!("{HEAD}deployment:\n  backout:\n    path: \" \"\n    tested: false\n"),
        ] {
            assert!(check_rule("RC404", &yaml).is_empty());
            assert_eq!(
                not_evaluated("RC404", &yaml),
                ["RC404: no backout plan given (deployment.backout)"]
            );
        }
    }
}
