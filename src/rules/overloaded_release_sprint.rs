use crate::context::Context;
use crate::rule::{Eval, Finding, Rule, declare_rule};

use super::shared::decimal::{self, Round};
use super::shared::pace;

declare_rule! {
    /// ## What it checks
    /// Each release sprint plans at most `policy.max_release_load` (default 1.2) times the
    /// mean `completed` of the feature sprints: fires when
    /// `planned > max_release_load × mean`, compared exactly.
    ///
    /// Feature sprints without `completed` are left out of the mean. Not evaluated when no
    /// sprints are given, when no release sprint is, or when no feature sprint gives
    /// `completed`. A release sprint without `planned` is not evaluated (the report says
    /// which); the others still are. If the feature sprints completed nothing (a mean of
    /// 0), any planned work is over the limit.
    ///
    /// ## Why it matters
    /// Pitfall 1 of the Production Release practice: the release sprint is neither a rest
    /// nor a crunch. Planning it well above the team's velocity is planning a crunch:
    /// features squeezed in, hardening cut short, mistakes made under pressure on the way
    /// to production.
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
    ///     planned: 45      # RC302: 150% of the mean of 30, maximum 120%
    /// ```
    pub struct OverloadedReleaseSprint {
        code: "RC302",
        name: "overloaded-release-sprint",
        default: Warning,
        summary: "a release sprint plans more than max_release_load times the feature sprints' mean completed",
        scope: Sprints,
        milestone: Now,
    }
}

impl Rule for OverloadedReleaseSprint {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let max = u128::from(cx.policy.max_release_load.nanos());
        let limit = decimal::nanos(max * 100);
        pace::report_release_loads(cx, out, &Self::META, |v, s, planned| {
            if !v.above(planned, max) {
                return None;
            }
            let message = if v.sum == 0 {
                format!(
                    "{} plans {} while the feature sprints completed a mean of 0 (maximum {limit}% of it)",
                    pace::name(s),
                    pace::points(planned),
                )
            } else {
                format!(
                    "{} plans {}, {}% of the feature sprints' mean of {} (maximum {limit}%)",
                    pace::name(s),
                    pace::points(planned),
                    v.percent_of_mean(planned, max),
                    v.mean(),
                )
            };
            let action = format!(
                "cut {} to at most {} points: move work back to the feature sprints or out of the release",
                pace::name(s),
                v.times(max, Round::Down),
            );
            Some((message, action))
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, check_rule, not_evaluated};

    fn sprints(completed: &str, release: &str) -> String {
        format!(
            "{HEAD}sprints:\n\
             \x20 - {{id: S1, kind: feature, start: 2026-10-05, end: 2026-10-16, completed: {completed}}}\n\
             \x20 - {{id: S2, kind: feature, start: 2026-10-19, end: 2026-10-30}}\n\
             {release}"
        )
    }

    #[test]
    fn fires_above_the_maximum_share_of_velocity() {
        let yaml = sprints(
            "30",
            "  - {id: R1, kind: release, start: 2026-11-30, end: 2026-12-11, planned: 45}\n\
             \x20 - {id: R2, kind: release, start: 2026-12-14, end: 2026-12-15, planned: 36.01}\n",
        );
        assert_eq!(
            check_rule("RC302", &yaml),
            [
                "8:74 R1: release sprint R1 plans 45 points, 150% of the feature sprints' mean of 30 (maximum 120%)",
                "9:74 R2: release sprint R2 plans 36.01 points, 120.03% of the feature sprints' mean of 30 (maximum 120%)",
            ]
        );
    }

    #[test]
    fn silent_at_or_below_the_maximum() {
        let yaml = sprints(
            "30",
            "  - {id: R1, kind: release, start: 2026-11-30, end: 2026-12-11, planned: 36}\n",
        );
        assert!(check_rule("RC302", &yaml).is_empty());
        let yaml = sprints(
            "30",
            "  - {id: R1, kind: release, start: 2026-11-30, end: 2026-12-11, planned: 45}\n",
        ) + "policy:\n  max_release_load: 1.5\n";
        assert!(check_rule("RC302", &yaml).is_empty());
    }

    #[test]
    fn a_mean_of_zero_leaves_no_room() {
        let yaml = sprints(
            "0",
            "  - {id: R1, kind: release, start: 2026-11-30, end: 2026-12-11, planned: 1}\n\
             \x20 - {id: R2, kind: release, start: 2026-12-14, end: 2026-12-15, planned: 0}\n",
        );
        assert_eq!(
            check_rule("RC302", &yaml),
            [
                "8:74 R1: release sprint R1 plans 1 point while the feature sprints completed a mean of 0 (maximum 120% of it)"
            ]
        );
    }

    #[test]
    fn not_evaluated_without_its_inputs() {
        assert_eq!(not_evaluated("RC302", HEAD), ["RC302: no sprints given"]);
        let yaml = format!(
            "{HEAD}sprints:\n  - {{id: R1, kind: release, start: 2026-11-30, end: 2026-12-11, planned: 45}}\n"
        );
        assert_eq!(
            not_evaluated("RC302", &yaml),
            ["RC302: no feature sprint gives `completed`, so there is no velocity to compare with"]
        );
    }
}
