use crate::context::Context;
use crate::manifest::{Located, Sprint, SprintKind};
use crate::rule::{Eval, Finding, Rule, declare_rule, not_evaluated};

use super::shared::pace;

/// A release sprint may last this many calendar days at most.
pub(super) const MAX_RELEASE_SPRINT_DAYS: i64 = 28;

declare_rule! {
    /// ## What it checks
    /// No release sprint is longer than the longest feature sprint, nor longer than 28
    /// days. Lengths are calendar days, both ends counted (`end - start + 1`); with no
    /// feature sprint, only the 28 days apply.
    ///
    /// Not evaluated when no sprints are given or none is a release sprint (RC307 reports
    /// the latter).
    ///
    /// ## Why it matters
    /// Pitfall 1 of the Production Release practice: the release sprint is neither a rest
    /// nor a crunch, and it is a sprint like the others. One stretched beyond the team's
    /// usual cadence is usually a release sprint quietly turned into a feature sprint or a
    /// stabilisation phase with no end, and the release date drifts with it.
    ///
    /// ## Example
    /// ```yaml
    /// sprints:
    ///   - {id: S14, kind: feature, start: 2026-11-02, end: 2026-11-13}   # 12 days
    ///   - {id: R1, kind: release, start: 2026-11-16, end: 2026-12-11}    # RC306: 26 days
    /// ```
    pub struct LongReleaseSprint {
        code: "RC306",
        name: "long-release-sprint",
        default: Warning,
        summary: "a release sprint is longer than the longest feature sprint, or than 28 days",
        scope: Sprints,
        milestone: Now,
    }
}

impl Rule for LongReleaseSprint {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let sprints = pace::sprints(cx)?;
        // The longest feature sprint; the first listed wins a tie.
        let mut longest: Option<&Located<Sprint>> = None;
        for s in sprints.iter().filter(|s| *s.kind == SprintKind::Feature) {
            if longest.is_none_or(|l| s.days() > l.days()) {
                longest = Some(s);
            }
        }
        let mut any_release = false;
        for s in sprints.iter().filter(|s| *s.kind == SprintKind::Release) {
            any_release = true;
            let days = s.days();
            let over_feature = longest.filter(|l| days > l.days());
            let over_max = days > MAX_RELEASE_SPRINT_DAYS;
            let than = match (over_feature, over_max) {
                (Some(l), true) => format!(
                    "the longest feature sprint ({}, {} days) and than {MAX_RELEASE_SPRINT_DAYS} days",
                    l.id,
                    l.days()
                ),
                (Some(l), false) => {
                    format!("the longest feature sprint ({}, {} days)", l.id, l.days())
                }
                (None, true) => format!("{MAX_RELEASE_SPRINT_DAYS} days"),
                (None, false) => continue,
            };
            let target = longest.map_or(MAX_RELEASE_SPRINT_DAYS, |l| {
                l.days().min(MAX_RELEASE_SPRINT_DAYS)
            });
            out.push(
                Self::META
                    .finding(
                        s.id.as_str(),
                        s.pos,
                        format!(
                            "{} lasts {days} days ({} to {}), longer than {than}",
                            pace::name(s),
                            s.start.value,
                            s.end.value
                        ),
                    )
                    .with_action(format!(
                        "shorten {} to {target} days or less: harden and prepare what is built, and move any new work to a feature sprint",
                        pace::name(s)
                    )),
            );
        }
        if any_release {
            Ok(())
        } else {
            Err(not_evaluated("no release sprint given"))
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, check_rule, not_evaluated};

    #[test]
    fn fires_longer_than_the_longest_feature_sprint_or_four_weeks() {
        let yaml = format!(
            "{HEAD}sprints:\n\
             \x20 - {{id: S1, kind: feature, start: 2026-09-01, end: 2026-09-10}}\n\
             \x20 - {{id: S2, kind: feature, start: 2026-09-14, end: 2026-09-25}}\n\
             \x20 - {{id: R1, kind: release, start: 2026-10-01, end: 2026-10-13}}\n\
             \x20 - {{id: R2, kind: release, start: 2026-11-01, end: 2026-11-12}}\n"
        );
        assert_eq!(
            check_rule("RC306", &yaml),
            [
                "8:5 R1: release sprint R1 lasts 13 days (2026-10-01 to 2026-10-13), longer than the longest feature sprint (S2, 12 days)"
            ]
        );
        let yaml = format!(
            "{HEAD}sprints:\n\
             \x20 - {{id: S1, kind: feature, start: 2026-09-01, end: 2026-09-28}}\n\
             \x20 - {{id: R1, kind: release, start: 2026-10-01, end: 2026-10-30}}\n"
        );
        assert_eq!(
            check_rule("RC306", &yaml),
            [
                "7:5 R1: release sprint R1 lasts 30 days (2026-10-01 to 2026-10-30), longer than the longest feature sprint (S1, 28 days) and than 28 days"
            ]
        );
        let yaml = format!(
            "{HEAD}sprints:\n  - {{id: R1, kind: release, start: 2026-10-01, end: 2026-10-29}}\n"
        );
        assert_eq!(
            check_rule("RC306", &yaml),
            [
                "6:5 R1: release sprint R1 lasts 29 days (2026-10-01 to 2026-10-29), longer than 28 days"
            ]
        );
    }

    #[test]
    fn silent_up_to_the_limits() {
        let yaml = format!(
            "{HEAD}sprints:\n\
             \x20 - {{id: S1, kind: feature, start: 2026-09-14, end: 2026-09-25}}\n\
             \x20 - {{id: R1, kind: release, start: 2026-10-01, end: 2026-10-12}}\n\
             \x20 - {{id: R2, kind: release, start: 2026-10-15, end: 2026-10-14}}\n"
        );
        assert!(check_rule("RC306", &yaml).is_empty());
        let yaml = format!(
            "{HEAD}sprints:\n  - {{id: R1, kind: release, start: 2026-10-01, end: 2026-10-28}}\n"
        );
        assert!(check_rule("RC306", &yaml).is_empty());
    }

    #[test]
    fn not_evaluated_without_a_release_sprint() {
        assert_eq!(not_evaluated("RC306", HEAD), ["RC306: no sprints given"]);
        let yaml = format!(
            "{HEAD}sprints:\n  - {{id: S1, kind: feature, start: 2026-10-01, end: 2026-10-12}}\n"
        );
        assert_eq!(
            not_evaluated("RC306", &yaml),
            ["RC306: no release sprint given"]
        );
    }
}
