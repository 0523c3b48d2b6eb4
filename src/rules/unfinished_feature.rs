use crate::context::Context;
use crate::manifest::FeatureStatus;
use crate::rule::{Eval, Finding, Rule, declare_rule};
use crate::rules::plural;

declare_rule! {
    /// ## What it checks
    /// No feature in scope is still `planned` or `in-progress`: each is `done` (RC107 then
    /// asks for acceptance) or `accepted`, or is taken out of scope (`deferred`, `dropped`).
    /// The finding points at the feature's `status` and says how far off the release date
    /// is.
    ///
    /// ## Why it matters
    /// Pitfall 3 of the Production Release practice: successful hardening beats squeezing
    /// in marginally tested features. The release sprint hardens, documents and trains
    /// what was built in the feature sprints; a feature still being built cannot be
    /// hardened in time and is exactly the late, marginally tested feature the practice
    /// warns against. Finish it before the release sprint, or defer it.
    ///
    /// ## Example
    /// ```yaml
    /// features:
    ///   - id: seller-chat
    ///     status: in-progress     # RC105
    /// ```
    pub struct UnfinishedFeature {
        code: "RC105",
        name: "unfinished-feature",
        default: Error,
        summary: "a feature in scope is planned or in-progress",
        scope: Features,
        milestone: Freeze,
    }
}

impl Rule for UnfinishedFeature {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let date = *cx.release.info.date;
        let days = cx.today.days_until(date);
        let due = match days {
            0 => format!("the release is due today ({date})"),
            d if d > 0 => format!(
                "the release is due {date}, in {}",
                plural(d.unsigned_abs(), "day")
            ),
            d => format!(
                "the release date {date} passed {} ago",
                plural(d.unsigned_abs(), "day")
            ),
        };
        for f in cx.features_in_scope() {
            if matches!(
                *f.status,
                FeatureStatus::Planned | FeatureStatus::InProgress
            ) {
                out.push(
                    Self::META
                        .finding(
                            f.id.as_str(),
                            f.status.pos,
                            format!(
                                "feature '{}' is {}, not done, and {due}",
                                f.id,
                                f.status.as_str()
                            ),
                        )
                        .with_action(format!(
                            "finish '{}' and have the product owner accept it, or defer it to a later release",
                            f.id
                        )),
                );
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, actions, check_rule};

    #[test]
    fn fires_for_planned_and_in_progress_features() {
        let yaml = format!(
            "{HEAD}features:\n  - id: a\n    status: planned\n  - id: b\n    status: in-progress\n"
        );
        assert_eq!(
            check_rule("RC105", &yaml),
            [
                "7:13 a: feature 'a' is planned, not done, and the release is due 2026-12-15, in 44 days",
                "9:13 b: feature 'b' is in-progress, not done, and the release is due 2026-12-15, in 44 days",
            ]
        );
        assert_eq!(
            actions("RC105", &yaml)[0],
            "finish 'a' and have the product owner accept it, or defer it to a later release"
        );
    }

    #[test]
    fn names_a_release_date_that_is_today_or_past() {
        let today = "relcheck: 1\nrelease:\n  name: R\n  date: 2026-11-01\n\
                     features:\n  - id: a\n    status: planned\n";
        assert_eq!(
            check_rule("RC105", today),
            ["7:13 a: feature 'a' is planned, not done, and the release is due today (2026-11-01)"]
        );
        let past = "relcheck: 1\nrelease:\n  name: R\n  date: 2026-10-31\n\
                    features:\n  - id: a\n    status: planned\n";
        assert_eq!(
            check_rule("RC105", past),
            [
                "7:13 a: feature 'a' is planned, not done, and the release date 2026-10-31 passed 1 day ago"
            ]
        );
    }

    #[test]
    fn silent_for_finished_and_out_of_scope_features() {
        let yaml = format!(
            "{HEAD}features:\n  - id: a\n    status: done\n  - id: b\n    status: accepted\n\
             \x20 - id: c\n    status: deferred\n  - id: d\n    status: dropped\n"
        );
        assert!(check_rule("RC105", &yaml).is_empty());
    }
}
