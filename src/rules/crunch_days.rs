use crate::context::Context;
use crate::rule::{Eval, Finding, Rule, declare_rule};

use super::shared::pace;

declare_rule! {
    /// ## What it checks
    /// No sprint, feature or release, plans more than `policy.max_hours_per_day`
    /// (default 10) hours per person per day (`hours_per_day`). A sprint without
    /// `hours_per_day` is not judged; when no sprint gives it, or no sprints are given,
    /// the rule is not evaluated.
    ///
    /// ## Why it matters
    /// Pitfall 1 of the Production Release practice: a release sprint is not a crunch.
    /// Days planned beyond what people can sustain are crunch days even when the weekly
    /// total looks acceptable; the last days before production are the worst time for the
    /// errors long days cause.
    ///
    /// ## Example
    /// ```yaml
    /// sprints:
    ///   - id: R1
    ///     kind: release
    ///     start: 2026-11-30
    ///     end: 2026-12-11
    ///     hours_per_day: 12     # RC305: over the 10 allowed
    /// ```
    pub struct CrunchDays {
        code: "RC305",
        name: "crunch-days",
        default: Error,
        summary: "a sprint plans more than max_hours_per_day",
        scope: Sprints,
        milestone: Now,
    }
}

impl Rule for CrunchDays {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let sprints = pace::sprints_giving(cx, "hours_per_day", |s| s.hours_per_day.is_some())?;
        let max = cx.policy.max_hours_per_day;
        for s in sprints {
            let Some(hours) = s.hours_per_day.as_ref().filter(|h| h.nanos() > max.nanos()) else {
                continue;
            };
            out.push(
                Self::META
                    .finding(
                        s.id.as_str(),
                        hours.pos,
                        format!(
                            "{} ({} to {}) plans {} hours per day, over the maximum of {max}",
                            pace::name(s),
                            s.start.value,
                            s.end.value,
                            hours.value
                        ),
                    )
                    .with_action(format!(
                        "plan {} at {max} hours per day or less: move work out of the sprint rather than into the evenings",
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
    fn fires_for_each_sprint_over_the_daily_maximum() {
        let yaml = format!(
            "{HEAD}sprints:\n\
             \x20 - {{id: S1, kind: feature, start: 2026-10-05, end: 2026-10-16, hours_per_day: 10}}\n\
             \x20 - {{id: R1, kind: release, start: 2026-11-30, end: 2026-12-11, hours_per_day: 10.25}}\n"
        );
        assert_eq!(
            check_rule("RC305", &yaml),
            [
                "7:80 R1: release sprint R1 (2026-11-30 to 2026-12-11) plans 10.25 hours per day, over the maximum of 10"
            ]
        );
    }

    #[test]
    fn the_policy_sets_the_maximum() {
        let yaml = format!(
            "{HEAD}sprints:\n  - {{id: R1, kind: release, start: 2026-11-30, end: 2026-12-11, hours_per_day: 12}}\n\
             policy:\n  max_hours_per_day: 12\n"
        );
        assert!(check_rule("RC305", &yaml).is_empty());
    }

    #[test]
    fn not_evaluated_without_hours() {
        assert_eq!(
            not_evaluated("RC305", &format!("{HEAD}sprints: []\n")),
            ["RC305: no sprints given"]
        );
        let yaml = format!(
            "{HEAD}sprints:\n  - {{id: R1, kind: release, start: 2026-11-30, end: 2026-12-11, hours_per_week: 50}}\n"
        );
        assert_eq!(
            not_evaluated("RC305", &yaml),
            ["RC305: no sprint gives `hours_per_day`"]
        );
    }
}
