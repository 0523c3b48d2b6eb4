use crate::context::Context;
use crate::rule::{Eval, Finding, Rule, declare_rule};

use super::shared::defects::report_open_defects;

declare_rule! {
    /// ## What it checks
    /// No feature in scope has open critical defects (`defects.critical`, default 0).
    /// The finding points at the count and gives it.
    ///
    /// ## Why it matters
    /// Pitfall 3 of the Production Release practice: successful hardening beats squeezing
    /// in marginally tested features. Hardening is the release sprint's first job; a
    /// feature with a known critical defect is not hardened, whatever its tests say. Fix
    /// it before the release, or defer the feature.
    ///
    /// ## Example
    /// ```yaml
    /// features:
    ///   - id: bulk-listing
    ///     status: done
    ///     defects: {critical: 1, major: 0}   # RC110
    /// ```
    pub struct OpenCriticalDefects {
        code: "RC110",
        name: "open-critical-defects",
        default: Error,
        summary: "a feature in scope has open critical defects",
        scope: Features,
        milestone: Release,
    }
}

impl Rule for OpenCriticalDefects {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        report_open_defects(
            cx,
            out,
            &Self::META,
            "critical",
            |d| d.critical.as_ref(),
            |defects, f| {
                format!(
                    "fix the {defects} in '{}' before the release, or defer the feature",
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
            "{HEAD}features:\n  - id: a\n    status: done\n    defects: {{critical: 1, major: 0}}\n\
             \x20 - id: b\n    status: accepted\n    defects:\n      critical: 3\n"
        );
        assert_eq!(
            check_rule("RC110", &yaml),
            [
                "8:25 a: feature 'a' has 1 open critical defect (allowed: 0)",
                "12:17 b: feature 'b' has 3 open critical defects (allowed: 0)",
            ]
        );
        assert_eq!(
            actions("RC110", &yaml)[1],
            "fix the 3 open critical defects in 'b' before the release, or defer the feature"
        );
    }

    #[test]
    fn silent_for_zero_absent_major_only_and_out_of_scope() {
        let yaml = format!(
            "{HEAD}features:\n  - id: a\n    status: done\n    defects: {{critical: 0, major: 4}}\n\
             \x20 - id: b\n    status: done\n\
             \x20 - id: c\n    status: deferred\n    defects: {{critical: 2}}\n\
             \x20 - id: d\n    status: dropped\n    defects: {{critical: 2}}\n"
        );
        assert!(check_rule("RC110", &yaml).is_empty());
    }
}
