use crate::context::Context;
use crate::manifest::SprintKind;
use crate::rule::{Eval, Finding, Rule, declare_rule};

use super::shared::pace;

declare_rule! {
    /// ## What it checks
    /// When sprints are given, at least one is a release sprint (`kind: release`). Not
    /// evaluated when `sprints:` is absent or empty (`sprints: []` counts as not given).
    /// The finding is about the release and points at its first sprint.
    ///
    /// ## Why it matters
    /// Pitfall 1 of the Production Release practice, and the practice itself: a release
    /// sprint is where the team hardens, documents, trains and prepares deployment. A
    /// schedule of feature sprints only leaves that work to be squeezed into the last
    /// feature sprint or done after the release, which is how crunches start.
    ///
    /// ## Example
    /// ```yaml
    /// sprints:                  # RC307: feature sprints only
    ///   - {id: S13, kind: feature, start: 2026-10-19, end: 2026-10-30}
    ///   - {id: S14, kind: feature, start: 2026-11-02, end: 2026-11-13}
    /// ```
    pub struct MissingReleaseSprint {
        code: "RC307",
        name: "missing-release-sprint",
        default: Warning,
        summary: "sprints are given but none is a release sprint",
        scope: Release,
        milestone: Now,
    }
}

impl Rule for MissingReleaseSprint {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let sprints = pace::sprints(cx)?;
        if sprints.iter().any(|s| *s.kind == SprintKind::Release) {
            return Ok(());
        }
        let (Some(head), Some(first), Some(last)) = (
            sprints.first(),
            sprints.iter().min_by_key(|s| s.start.value),
            sprints.iter().max_by_key(|s| s.end.value),
        ) else {
            return Ok(());
        };
        let date = cx.release.info.date.value;
        out.push(
            Self::META
                .finding(
                    cx.name(),
                    head.pos,
                    format!(
                        "release '{}' plans {} sprint{} ({} to {}) and none is a release sprint; the release is on {date}",
                        cx.name(),
                        sprints.len(),
                        if sprints.len() == 1 { "" } else { "s" },
                        first.start.value,
                        last.end.value,
                    ),
                )
                .with_action(format!(
                    "plan a release sprint (`kind: release`) before {date} to harden, document, train and prepare the deployment"
                )),
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, check_rule, not_evaluated};

    #[test]
    fn fires_when_no_sprint_is_a_release_sprint() {
        let yaml = format!(
            "{HEAD}sprints:\n\
             \x20 - {{id: S2, kind: feature, start: 2026-10-19, end: 2026-10-30}}\n\
             \x20 - {{id: S1, kind: feature, start: 2026-10-05, end: 2026-10-16}}\n"
        );
        assert_eq!(
            check_rule("RC307", &yaml),
            [
                "6:5 R: release 'R' plans 2 sprints (2026-10-05 to 2026-10-30) and none is a release sprint; the release is on 2026-12-15"
            ]
        );
    }

    #[test]
    fn silent_with_a_release_sprint() {
        let yaml = format!(
            "{HEAD}sprints:\n\
             \x20 - {{id: S1, kind: feature, start: 2026-10-05, end: 2026-10-16}}\n\
             \x20 - {{id: R1, kind: release, start: 2026-11-30, end: 2026-12-11}}\n"
        );
        assert!(check_rule("RC307", &yaml).is_empty());
        assert!(not_evaluated("RC307", &yaml).is_empty());
    }

    #[test]
    fn not_evaluated_when_sprints_are_absent_or_empty() {
        assert_eq!(not_evaluated("RC307", HEAD), ["RC307: no sprints given"]);
        let yaml = format!("{HEAD}sprints: []\n");
        assert!(check_rule("RC307", &yaml).is_empty());
        assert_eq!(not_evaluated("RC307", &yaml), ["RC307: no sprints given"]);
    }
}
