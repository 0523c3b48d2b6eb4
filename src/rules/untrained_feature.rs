use crate::context::Context;
use crate::manifest::Audience;
use crate::rule::{Eval, Finding, Rule, declare_rule};

use super::shared::feature_links::{Needed, report_unlinked_user_facing};

declare_rule! {
    /// ## What it checks
    /// Every user-facing feature in scope links at least one training for the `end-user`
    /// audience. Features that are `deferred` or `dropped` are out of scope; internal
    /// features (`user_facing: false`) need no end-user training. Links to undefined
    /// training do not count (they are RC001's), and neither does training for support or
    /// operations. Whether the training is ready and scheduled is RC206's and RC207's
    /// concern.
    ///
    /// ## Why it matters
    /// Pitfall 2 of the Production Release practice: training counts as much as testing.
    /// Users who were never shown a new feature call support instead of using it; the
    /// release sprint is where end-user training is prepared, so users are ready on the
    /// day the release reaches production.
    ///
    /// Waiving RC204 for a feature does not hide it from RC209, which compares how much of
    /// the release is trained with how much is tested.
    ///
    /// ## Example
    /// ```yaml
    /// features:
    ///   - id: saved-carts
    ///     status: done
    ///     training: [support-course]   # RC204: support training only
    /// training:
    ///   - id: support-course
    ///     audience: support
    ///     url: https://learn.example.com/saved-carts-support
    ///     status: ready
    ///     session: 2026-12-08
    /// ```
    pub struct UntrainedFeature {
        code: "RC204",
        name: "untrained-feature",
        default: Error,
        summary: "a user-facing feature in scope links no end-user training",
        scope: Features,
        milestone: Release,
    }
}

impl Rule for UntrainedFeature {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let needed = Needed {
            rule: &Self::META,
            what: "end-user training",
            section: "training",
        };
        report_unlinked_user_facing(
            cx,
            out,
            &needed,
            |f| cx.training_of(f),
            |t| *t.audience == Audience::EndUser,
            |t| format!("'{}' ({})", t.id.value, t.audience.value),
            |f| {
                format!(
                    "prepare end-user training for '{}', schedule it before {}, and link it under the feature's `training` (audience: end-user)",
                    f.id, cx.release.info.date.value
                )
            },
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, check_rule};

    #[test]
    fn fires_for_user_facing_features_in_scope_without_end_user_training() {
        let yaml = format!(
            "{HEAD}features:\n\
             \x20 - id: a\n    status: in-progress\n    training: [typo]\n\
             \x20 - id: b\n    status: done\n    training: [ops]\n\
             training:\n  - id: ops\n    audience: operations\n    status: ready\n    url: https://t\n"
        );
        assert_eq!(
            check_rule("RC204", &yaml),
            [
                "6:5 a: user-facing feature 'a' links no end-user training (it links no training)",
                "9:5 b: user-facing feature 'b' links no end-user training (it links only 'ops' (operations))",
            ]
        );
    }

    #[test]
    fn silent_for_trained_internal_and_out_of_scope_features() {
        let yaml = format!(
            "{HEAD}features:\n\
             \x20 - id: trained\n    status: done\n    training: [course]\n\
             \x20 - id: internal\n    status: done\n    user_facing: false\n\
             \x20 - id: later\n    status: deferred\n\
             \x20 - id: cut\n    status: dropped\n\
             training:\n  - id: course\n    audience: end-user\n    status: planned\n    url: https://t\n"
        );
        assert!(check_rule("RC204", &yaml).is_empty());
    }
}
