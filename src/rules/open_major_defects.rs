use crate::context::Context;
use crate::rule::{Eval, Finding, Rule, declare_rule};

use super::shared::defects::report_open_defects;

declare_rule! {
    /// ## What it checks
    /// No feature in scope has open major defects (`defects.major`, default 0). The
    /// finding points at the count and gives it.
    ///
    /// ## Why it matters
    /// Pitfall 3 of the Production Release practice: successful hardening beats squeezing
    /// in marginally tested features. A major defect may be acceptable for a release, but
    /// only as a decision: a warning by default, so the team either fixes it in the
    /// release sprint or records a waiver with the reason and an owner.
    ///
    /// ## Example
    /// ```yaml
    /// features:
    ///   - id: saved-carts
    ///     status: accepted
    ///     defects: {critical: 0, major: 1}   # RC111
    /// waivers:
    ///   - rule: open-major-defects
    ///     subject: saved-carts
    ///     reason: Cosmetic layout issue on tablets, fix scheduled for 2.4.1
    ///     owner: Dana Ruiz
    /// ```
    pub struct OpenMajorDefects {
        code: "RC111",
        name: "open-major-defects",
        default: Warning,
        summary: "a feature in scope has open major defects",
        scope: Features,
        milestone: Release,
    }
}

impl Rule for OpenMajorDefects {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        report_open_defects(
            cx,
            out,
            &Self::META,
            "major",
            |d| d.major.as_ref(),
            |defects, f| {
                format!(
                    "fix the {defects} in '{}', or record a waiver with the reason and an owner",
                    f.id
                )
            },
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, actions, check_rule};

    #[test]
    fn fires_with_the_count() {
        let yaml = format!(
            "{HEAD}features:\n  - id: a\n    status: done\n    defects: {{critical: 0, major: 1}}\n\
             \x20 - id: b\n    status: in-progress\n    defects:\n      major: 2\n"
        );
        assert_eq!(
            check_rule("RC111", &yaml),
            [
                "8:35 a: feature 'a' has 1 open major defect (allowed: 0)",
                "12:14 b: feature 'b' has 2 open major defects (allowed: 0)",
            ]
        );
        assert_eq!(
            actions("RC111", &yaml)[0],
            "fix the 1 open major defect in 'a', or record a waiver with the reason and an owner"
        );
    }

    #[test]
    fn silent_for_zero_absent_critical_only_and_out_of_scope() {
        let yaml = format!(
            "{HEAD}features:\n  - id: a\n    status: done\n    defects: {{critical: 2, major: 0}}\n\
             \x20 - id: b\n    status: done\n\
             \x20 - id: c\n    status: deferred\n    defects: {{major: 2}}\n\
             \x20 - id: d\n    status: dropped\n    defects: {{major: 2}}\n"
        );
        assert!(check_rule("RC111", &yaml).is_empty());
    }
}
