use crate::context::Context;
use crate::rule::{Eval, Finding, Rule, declare_rule};

use super::shared::decimal::{self, Round};
use super::shared::pace;

declare_rule! {
    /// ## What it checks
    /// Each release sprint plans at least `policy.min_release_load` (default 0.7) times the
    /// mean `completed` of the feature sprints: fires when
    /// `planned < min_release_load × mean`, compared exactly.
    ///
    /// Feature sprints without `completed` are left out of the mean. Not evaluated when no
    /// sprints are given, when no release sprint is, or when no feature sprint gives
    /// `completed`. A release sprint without `planned` is not evaluated (the report says
    /// which); the others still are.
    ///
    /// ## Why it matters
    /// Pitfall 1 of the Production Release practice: the release sprint is neither a rest
    /// nor a crunch. Hardening, finishing documentation and training, and preparing the
    /// deployment are real work; a release sprint planned far below the team's velocity
    /// usually means that work was not planned at all, and surfaces late.
    ///
    /// ## Example
    /// ```yaml
    /// sprints:
    ///   - {id: S13, kind: feature, start: 2026-10-19, end: 2026-10-30, completed: 30}
    ///   - {id: S14, kind: feature, start: 2026-11-02, end: 2026-11-13, completed: 30}
    ///   - id: R1
    ///     kind: release
    ///     start: 2026-11-30
    ///     end: 2026-12-11
    ///     planned: 10      # RC301: 33% of the mean of 30, minimum 70%
    /// ```
    pub struct IdleReleaseSprint {
        code: "RC301",
        name: "idle-release-sprint",
        default: Warning,
        summary: "a release sprint plans less than min_release_load times the feature sprints' mean completed",
        scope: Sprints,
        milestone: Now,
    }
}

impl Rule for IdleReleaseSprint {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let min = u128::from(cx.policy.min_release_load.nanos());
        pace::report_release_loads(cx, out, &Self::META, |v, s, planned| {
            v.below(planned, min).then(|| {
                (
                    format!(
                        "{} plans {}, {}% of the feature sprints' mean of {} (minimum {}%)",
                        pace::name(s),
                        pace::points(planned),
                        v.percent_of_mean(planned, min),
                        v.mean(),
                        decimal::nanos(min * 100),
                    ),
                    format!(
                        "plan the hardening, documentation, training and deployment work of {} as stories: at least {} points",
                        pace::name(s),
                        v.times(min, Round::Up),
                    ),
                )
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, check_rule, not_evaluated};

    fn sprints(release: &str) -> String {
        format!(
            "{HEAD}sprints:\n\
             \x20 - {{id: S1, kind: feature, start: 2026-10-05, end: 2026-10-16, completed: 30}}\n\
             \x20 - {{id: S2, kind: feature, start: 2026-10-19, end: 2026-10-30, completed: 33}}\n\
             \x20 - {{id: S3, kind: feature, start: 2026-11-02, end: 2026-11-13, planned: 40}}\n\
             {release}"
        )
    }

    #[test]
    fn fires_below_the_minimum_share_of_velocity() {
        // Mean of 30 and 33 (S3 gives no `completed`): 31.5; 70% of it is 22.05.
        let yaml = sprints(
            "  - {id: R1, kind: release, start: 2026-11-30, end: 2026-12-11, planned: 10}\n\
             \x20 - {id: R2, kind: release, start: 2026-12-14, end: 2026-12-15, planned: 22}\n",
        );
        assert_eq!(
            check_rule("RC301", &yaml),
            [
                "9:74 R1: release sprint R1 plans 10 points, 32% of the feature sprints' mean of 31.5 (minimum 70%)",
                "10:74 R2: release sprint R2 plans 22 points, 69.8% of the feature sprints' mean of 31.5 (minimum 70%)",
            ]
        );
    }

    #[test]
    fn silent_at_or_above_the_minimum() {
        // Exactly 70% of 31.5.
        let yaml = sprints(
            "  - {id: R1, kind: release, start: 2026-11-30, end: 2026-12-11, planned: 22.05}\n",
        );
        assert!(check_rule("RC301", &yaml).is_empty());
        assert!(not_evaluated("RC301", &yaml).is_empty());
        let policy = "policy:\n  min_release_load: 0.3\n";
        let yaml = sprints(
            "  - {id: R1, kind: release, start: 2026-11-30, end: 2026-12-11, planned: 10}\n",
        ) + policy;
        assert!(check_rule("RC301", &yaml).is_empty());
    }

    #[test]
    fn not_evaluated_without_its_inputs() {
        assert_eq!(not_evaluated("RC301", HEAD), ["RC301: no sprints given"]);
        assert_eq!(
            not_evaluated("RC301", &format!("{HEAD}sprints: []\n")),
            ["RC301: no sprints given"]
        );
        assert_eq!(
            not_evaluated("RC301", &sprints("")),
            ["RC301: no release sprint given"]
        );
        let no_velocity = format!(
            "{HEAD}sprints:\n\
             \x20 - {{id: S1, kind: feature, start: 2026-10-05, end: 2026-10-16, planned: 30}}\n\
             \x20 - {{id: R1, kind: release, start: 2026-11-30, end: 2026-12-11, planned: 10}}\n"
        );
        assert_eq!(
            not_evaluated("RC301", &no_velocity),
            ["RC301: no feature sprint gives `completed`, so there is no velocity to compare with"]
        );
        let unplanned =
            sprints("  - {id: R1, kind: release, start: 2026-11-30, end: 2026-12-11}\n");
        assert_eq!(
            not_evaluated("RC301", &unplanned),
            ["RC301: release sprint R1 gives no `planned`"]
        );
    }

    #[test]
    fn release_sprints_without_planned_are_listed_the_others_checked() {
        let yaml = sprints(
            "  - {id: R1, kind: release, start: 2026-11-30, end: 2026-12-04}\n\
             \x20 - {id: R2, kind: release, start: 2026-12-07, end: 2026-12-11, planned: 5}\n",
        );
        assert_eq!(check_rule("RC301", &yaml).len(), 1);
        assert_eq!(
            not_evaluated("RC301", &yaml),
            ["RC301: not evaluated for release sprint R1: no `planned` given"]
        );
    }
}
