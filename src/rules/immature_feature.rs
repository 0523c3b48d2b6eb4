use crate::context::Context;
use crate::manifest::Maturity;
use crate::rule::{Eval, Finding, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// No feature in scope has `maturity: experimental` or `maturity: beta`. A feature
    /// without `maturity` is `stable`. The finding points at the `maturity` value.
    ///
    /// ## Why it matters
    /// Pitfall 3 of the Production Release practice: successful hardening beats squeezing
    /// in marginally tested features. Only mature features belong in a production release;
    /// an experimental or beta feature is one the team itself does not yet trust. Harden
    /// it in a feature sprint, ship it behind a later release, or defer it.
    ///
    /// ## Example
    /// ```yaml
    /// features:
    ///   - id: bulk-listing
    ///     status: done
    ///     maturity: beta          # RC106
    /// ```
    pub struct ImmatureFeature {
        code: "RC106",
        name: "immature-feature",
        default: Error,
        summary: "a feature in scope is experimental or beta",
        scope: Features,
        milestone: Freeze,
    }
}

impl Rule for ImmatureFeature {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        for f in cx.features_in_scope() {
            let Some(maturity) = &f.maturity else {
                continue;
            };
            if matches!(**maturity, Maturity::Experimental | Maturity::Beta) {
                out.push(
                    Self::META
                        .finding(
                            f.id.as_str(),
                            maturity.pos,
                            format!(
                                "feature '{}' is {}, not stable: only stable features ship",
                                f.id,
                                maturity.as_str()
                            ),
                        )
                        .with_action(format!(
                            "harden '{}' until it is stable and set maturity: stable, or defer it",
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
    fn fires_for_experimental_and_beta_features() {
        let yaml = format!(
            "{HEAD}features:\n  - id: a\n    status: done\n    maturity: experimental\n\
             \x20 - id: b\n    status: accepted\n    maturity: beta\n"
        );
        assert_eq!(
            check_rule("RC106", &yaml),
            [
                "8:15 a: feature 'a' is experimental, not stable: only stable features ship",
                "11:15 b: feature 'b' is beta, not stable: only stable features ship",
            ]
        );
        assert_eq!(
            actions("RC106", &yaml)[1],
            "harden 'b' until it is stable and set maturity: stable, or defer it"
        );
    }

    #[test]
    fn silent_for_stable_unset_and_out_of_scope_features() {
        let yaml = format!(
            "{HEAD}features:\n  - id: a\n    status: done\n    maturity: stable\n\
             \x20 - id: b\n    status: done\n\
             \x20 - id: c\n    status: deferred\n    maturity: beta\n\
             \x20 - id: d\n    status: dropped\n    maturity: experimental\n"
        );
        assert!(check_rule("RC106", &yaml).is_empty());
    }
}
