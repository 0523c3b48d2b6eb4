use crate::context::Context;
use crate::manifest::SprintKind;
use crate::rule::{Eval, Finding, Rule, declare_rule};
use crate::rules::plural;

declare_rule! {
    /// ## What it checks
    /// No feature in scope names a release sprint as its `sprint` (the sprint it was
    /// developed in). The finding points at the `sprint` value and gives the sprint's
    /// dates. A `sprint` that names no defined sprint is RC001's; a feature without
    /// `sprint` is left alone.
    ///
    /// ## Why it matters
    /// Pitfall 3 of the Production Release practice: successful hardening beats squeezing
    /// in marginally tested features. The release sprint hardens, documents and trains
    /// what the feature sprints built, and prepares deployment; a feature developed during
    /// it gets none of that and crowds out the work that makes the rest of the release
    /// production-ready. New features belong in the next release's feature sprints.
    ///
    /// ## Example
    /// ```yaml
    /// sprints:
    ///   - id: R1
    ///     kind: release
    ///     start: 2026-11-30
    ///     end: 2026-12-11
    /// features:
    ///   - id: seller-chat
    ///     status: done
    ///     sprint: R1              # RC109
    /// ```
    pub struct DevelopedInReleaseSprint {
        code: "RC109",
        name: "developed-in-release-sprint",
        default: Error,
        summary: "a feature in scope was developed in a release sprint",
        scope: Features,
        milestone: Now,
    }
}

impl Rule for DevelopedInReleaseSprint {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        for f in cx.features_in_scope() {
            let Some(link) = &f.sprint else {
                continue;
            };
            let Some(sprint) = cx.sprints.get(link.as_str()) else {
                continue;
            };
            if *sprint.kind != SprintKind::Release {
                continue;
            }
            out.push(
                Self::META
                    .finding(
                        f.id.as_str(),
                        link.pos,
                        format!(
                            "feature '{}' was developed in release sprint '{}' ({} to {}, {}), which is for hardening, not new features",
                            f.id,
                            sprint.id,
                            sprint.start.value,
                            sprint.end.value,
                            plural(sprint.days().unsigned_abs(), "day")
                        ),
                    )
                    .with_action(format!(
                        "defer '{}' to a feature sprint of the next release",
                        f.id
                    )),
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, actions, check_rule};

    const SPRINTS: &str = "sprints:\n  - id: F1\n    kind: feature\n    start: 2026-11-02\n    end: 2026-11-13\n\
                           \x20 - id: R1\n    kind: release\n    start: 2026-11-30\n    end: 2026-12-11\n";

    #[test]
    fn fires_for_features_developed_in_a_release_sprint() {
        let yaml =
            format!("{HEAD}{SPRINTS}features:\n  - id: a\n    status: done\n    sprint: R1\n");
        assert_eq!(
            check_rule("RC109", &yaml),
            [
                "17:13 a: feature 'a' was developed in release sprint 'R1' (2026-11-30 to 2026-12-11, 12 days), which is for hardening, not new features"
            ]
        );
        assert_eq!(
            actions("RC109", &yaml),
            ["defer 'a' to a feature sprint of the next release"]
        );
    }

    #[test]
    fn silent_for_feature_sprints_unknown_or_no_sprint_and_out_of_scope() {
        let yaml = format!(
            "{HEAD}{SPRINTS}features:\n  - id: a\n    status: done\n    sprint: F1\n\
             \x20 - id: b\n    status: done\n    sprint: R9\n\
             \x20 - id: c\n    status: done\n\
             \x20 - id: d\n    status: deferred\n    sprint: R1\n\
             \x20 - id: e\n    status: dropped\n    sprint: R1\n"
        );
        assert!(check_rule("RC109", &yaml).is_empty());
    }
}
