use crate::context::Context;
use crate::rule::{Eval, Finding, Rule, declare_rule};

use super::shared::pace;

declare_rule! {
    /// ## What it checks
    /// No sprint, feature or release, plans more than `policy.max_hours_per_week`
    /// (default 40) hours per person per week (`hours_per_week`). A sprint without
    /// `hours_per_week` is not judged; when no sprint gives it, or no sprints are given,
    /// the rule is not evaluated.
    ///
    /// ## Why it matters
    /// Pitfall 1 of the Production Release practice: a release sprint is not a crunch,
    /// and the feature sprints before it should not be one either. Overtime is planned
    /// fatigue; tired teams make the mistakes that hardening is meant to remove. A week or
    /// two can happen; longer is RC304.
    ///
    /// ## Example
    /// ```yaml
    /// sprints:
    ///   - id: R1
    ///     kind: release
    ///     start: 2026-11-30
    ///     end: 2026-12-11
    ///     hours_per_week: 50    # RC303: over the 40 allowed
    /// ```
    pub struct Overtime {
        code: "RC303",
        name: "overtime",
        default: Warning,
        summary: "a sprint plans more than max_hours_per_week",
        scope: Sprints,
        milestone: Now,
    }
}

impl Rule for Overtime {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let sprints = pace::sprints_giving(cx, "hours_per_week", |s| s.hours_per_week.is_some())?;
        let max = cx.policy.max_hours_per_week;
        for s in sprints {
            let Some(hours) = pace::overtime(cx, s) else {
                continue;
            };
            out.push(
                Self::META
                    .finding(
                        s.id.as_str(),
                        hours.pos,
                        format!(
                            "{} ({} to {}) plans {} hours per week, over the maximum of {max}",
                            pace::name(s),
                            s.start.value,
                            s.end.value,
                            hours.value
                        ),
                    )
                    .with_action(format!(
                        "plan {} at {max} hours per week or less: cut scope rather than add hours",
                        pace::name(s)
                    ))
                    // A sprint that ended before today cannot be replanned: never late.
                    .settled(*s.end < cx.today),
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, check_rule, not_evaluated};

    #[test]
    fn fires_for_each_sprint_over_the_weekly_maximum() {
        let yaml = format!(
            "{HEAD}sprints:\n\
             \x20 - {{id: S1, kind: feature, start: 2026-10-05, end: 2026-10-16, hours_per_week: 40.5}}\n\
             \x20 - {{id: S2, kind: feature, start: 2026-10-19, end: 2026-10-30, hours_per_week: 40}}\n\
             \x20 - {{id: S3, kind: feature, start: 2026-11-02, end: 2026-11-13}}\n\
             \x20 - {{id: R1, kind: release, start: 2026-11-30, end: 2026-12-11, hours_per_week: 55}}\n"
        );
        assert_eq!(
            check_rule("RC303", &yaml),
            [
                "6:81 S1: feature sprint S1 (2026-10-05 to 2026-10-16) plans 40.5 hours per week, over the maximum of 40",
                "9:81 R1: release sprint R1 (2026-11-30 to 2026-12-11) plans 55 hours per week, over the maximum of 40",
            ]
        );
    }

    #[test]
    fn the_policy_sets_the_maximum() {
        let yaml = format!(
            "{HEAD}sprints:\n  - {{id: R1, kind: release, start: 2026-11-30, end: 2026-12-11, hours_per_week: 45}}\n\
             policy:\n  max_hours_per_week: 45\n"
        );
        assert!(check_rule("RC303", &yaml).is_empty());
    }

    #[test]
    fn not_evaluated_without_hours() {
        assert_eq!(not_evaluated("RC303", HEAD), ["RC303: no sprints given"]);
        let yaml = format!(
            "{HEAD}sprints:\n  - {{id: R1, kind: release, start: 2026-11-30, end: 2026-12-11, hours_per_day: 12}}\n"
        );
        assert_eq!(
            not_evaluated("RC303", &yaml),
            ["RC303: no sprint gives `hours_per_week`"]
        );
    }
}
