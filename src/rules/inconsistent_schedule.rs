use crate::context::Context;
use crate::manifest::SprintKind;
use crate::rule::{Eval, Finding, Rule, declare_rule, not_evaluated};

declare_rule! {
    /// ## What it checks
    /// The release's dates agree with each other. Each contradiction is its own finding,
    /// naming both dates:
    /// - the scope freeze (`release.freeze`) is after the release date;
    /// - a sprint (of either kind) ends before it starts;
    /// - a release sprint ends after the release date.
    ///
    /// A freeze on the release date, or a release sprint ending on it, is not a
    /// contradiction. The subject is the release's name, like every RC4xx rule; the
    /// message names the sprint. Without `release.freeze` and without sprints (`sprints: []`
    /// counts as none) there is nothing to compare, and the report lists this rule as not
    /// evaluated.
    ///
    /// ## Why it matters
    /// The Production Release practice plans the release sprint to end with a release that
    /// is ready on the planned date: hardening, documentation, training and deployment
    /// preparation all fit before it. A schedule whose dates contradict each other cannot
    /// be followed; every other rule that reasons about dates (scope creep after the freeze,
    /// training after the release, the release sprint's length) then reasons about a plan
    /// that does not exist.
    ///
    /// ## Example
    /// ```yaml
    /// release:
    ///   name: Storefront 2.4
    ///   date: 2026-12-15
    ///   freeze: 2026-12-20          # RC410: after the release date
    /// sprints:
    ///   - id: R1
    ///     kind: release
    ///     start: 2026-12-07
    ///     end: 2026-12-18           # RC410: after the release date
    /// ```
    pub struct InconsistentSchedule {
        code: "RC410",
        name: "inconsistent-schedule",
        default: Error,
        summary: "dates contradict: freeze after the release date, a sprint ending before it starts, a release sprint ending after the release date",
        scope: Release,
        milestone: Now,
    }
}

impl Rule for InconsistentSchedule {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let info = &cx.release.info;
        let date = *info.date;
        let sprints = &cx.release.sprints;
        if info.freeze.is_none() && sprints.is_empty() {
            return Err(not_evaluated("no release.freeze and no sprints given"));
        }
        let mut push = |pos, message: String, action: String| {
            out.push(
                Self::META
                    .finding(cx.name(), pos, message)
                    .with_action(action),
            );
        };
        if let Some(freeze) = &info.freeze
            && freeze.value > date
        {
            push(
                freeze.pos,
                format!(
                    "the scope freeze on {} is after the release date {date}",
                    freeze.value
                ),
                format!("move release.freeze to {date} or earlier, or move the release date"),
            );
        }
        for s in sprints {
            let kind = match *s.kind {
                SprintKind::Feature => "sprint",
                SprintKind::Release => "release sprint",
            };
            if *s.end < *s.start {
                push(
                    s.end.pos,
                    format!(
                        "{kind} {} ends on {}, before it starts on {}",
                        s.id, s.end.value, s.start.value
                    ),
                    format!(
                        "correct the start or end of {kind} '{}' so it ends on or after its start",
                        s.id
                    ),
                );
            }
            if *s.kind == SprintKind::Release && *s.end > date {
                push(
                    s.end.pos,
                    format!(
                        "release sprint {} ends on {}, after the release date {date}",
                        s.id, s.end.value
                    ),
                    format!(
                        "end release sprint '{}' by {date}, or move the release date",
                        s.id
                    ),
                );
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, actions, check_rule, not_evaluated};

    fn sprint(id: &str, kind: &str, start: &str, end: &str) -> String {
        format!("  - id: {id}\n    kind: {kind}\n    start: {start}\n    end: {end}\n")
    }

    #[test]
    fn freeze_after_the_release_date() {
        let yaml = format!("{HEAD}  freeze: 2026-12-20\n");
        assert_eq!(
            check_rule("RC410", &yaml),
            ["5:11 R: the scope freeze on 2026-12-20 is after the release date 2026-12-15"]
        );
        assert_eq!(
            actions("RC410", &yaml),
            ["move release.freeze to 2026-12-15 or earlier, or move the release date"]
        );
    }

    #[test]
    fn sprints_ending_before_they_start_or_after_the_release() {
        let yaml = format!(
            "{HEAD}sprints:\n{}{}{}",
            sprint("S1", "feature", "2026-10-12", "2026-10-01"),
            sprint("R1", "release", "2026-12-01", "2026-12-18"),
            sprint("R0", "release", "2026-12-20", "2026-12-16"),
        );
        assert_eq!(
            check_rule("RC410", &yaml),
            [
                "9:10 R: sprint S1 ends on 2026-10-01, before it starts on 2026-10-12",
                "13:10 R: release sprint R1 ends on 2026-12-18, after the release date 2026-12-15",
                "17:10 R: release sprint R0 ends on 2026-12-16, before it starts on 2026-12-20",
                "17:10 R: release sprint R0 ends on 2026-12-16, after the release date 2026-12-15",
            ]
        );
        assert_eq!(
            actions("RC410", &yaml)[1],
            "end release sprint 'R1' by 2026-12-15, or move the release date"
        );
    }

    #[test]
    fn equal_dates_are_consistent() {
        let yaml = format!(
            "{HEAD}  freeze: 2026-12-15\nsprints:\n{}{}",
            sprint("S1", "feature", "2026-12-01", "2026-12-01"),
            sprint("R1", "release", "2026-12-02", "2026-12-15"),
        );
        assert!(check_rule("RC410", &yaml).is_empty());
        assert!(not_evaluated("RC410", &yaml).is_empty());
    }

    #[test]
    fn a_feature_sprint_may_end_after_the_release_date() {
        // rules.md names release sprints only: RC410 judges no other sprint against the date.
        let yaml = format!(
            "{HEAD}sprints:\n{}",
            sprint("S9", "feature", "2026-12-14", "2026-12-25")
        );
        assert!(check_rule("RC410", &yaml).is_empty());
    }

    #[test]
    fn not_evaluated_without_freeze_or_sprints() {
        for yaml in [HEAD.to_owned(), format!("{HEAD}sprints: []\n")] {
            assert!(check_rule("RC410", &yaml).is_empty());
            assert_eq!(
                not_evaluated("RC410", &yaml),
                ["RC410: no release.freeze and no sprints given"]
            );
        }
    }
}
