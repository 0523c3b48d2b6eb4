use crate::context::Context;
use crate::manifest::Audience;
use crate::rule::{Eval, Finding, Rule, declare_rule};

use super::shared::support::no_support;

declare_rule! {
    /// ## What it checks
    /// The release lists at least one training for the `support` or `operations` audience
    /// (whether it is ready and scheduled is RC206's and RC207's concern).
    ///
    /// ## Why it matters
    /// Pitfall 2 of the Production Release practice: training counts as much as testing.
    /// The support desk and the operations team meet the release first; trained before
    /// release day, they answer calls and run the new version calmly instead of learning
    /// it during an incident.
    ///
    /// ## Example
    /// ```yaml
    /// training:                      # RC205: end users only
    ///   - id: checkout-end-user
    ///     audience: end-user
    ///     path: training/checkout.md
    ///     status: ready
    ///     session: 2026-12-10
    /// ```
    pub struct MissingSupportTraining {
        code: "RC205",
        name: "missing-support-training",
        default: Error,
        summary: "the release has no support or operations training",
        scope: Release,
        milestone: Release,
    }
}

impl Rule for MissingSupportTraining {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        out.extend(no_support(
            cx,
            &Self::META,
            "training",
            &cx.release.training,
            |t| matches!(t.audience.value, Audience::Support | Audience::Operations),
            |training| match training {
                [] => "it lists no training".to_owned(),
                [t] => format!("its only training, '{}', is for end users", t.id),
                all => format!(
                    "all {} of its training entries are for end users",
                    all.len()
                ),
            },
            || format!(
                "plan a training session for the support or operations team before {} and list it under `training` with `audience: support` or `audience: operations`",
                cx.release.info.date.value
            ),
        ));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, check_rule};

    #[test]
    fn fires_without_support_or_operations_training() {
        assert_eq!(
            check_rule("RC205", HEAD),
            ["3:3 R: release 'R' has no support or operations training (it lists no training)"]
        );
        let yaml = format!(
            "{HEAD}training:\n  - id: a\n    audience: end-user\n    status: ready\n    url: https://t\n\
             \x20 - id: b\n    audience: end-user\n    status: ready\n    url: https://t\n"
        );
        assert_eq!(
            check_rule("RC205", &yaml),
            [
                "3:3 R: release 'R' has no support or operations training (all 2 of its training entries are for end users)"
            ]
        );
    }

    #[test]
    fn silent_with_either_audience() {
        for audience in ["support", "operations"] {
            let yaml = format!(
                "{HEAD}training:\n  - id: t\n    audience: {audience}\n    status: planned\n    url: https://t\n"
            );
            assert!(check_rule("RC205", &yaml).is_empty(), "{audience}");
        }
    }
}
