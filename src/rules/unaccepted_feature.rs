use crate::context::Context;
use crate::manifest::FeatureStatus;
use crate::rule::{Eval, Finding, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// No feature in scope is merely `done`: the product owner has `accepted` it. The
    /// finding points at the `status` and names the product owner when
    /// `release.roles.product_owner` is given. (Features still being built are RC105's.)
    ///
    /// ## Why it matters
    /// Pitfall 3 of the Production Release practice: successful hardening beats squeezing
    /// in marginally tested features. "Done" is the team's word; acceptance is the product
    /// owner confirming the feature does what users need. A feature nobody accepted may be
    /// finished and still not be what should ship. A warning by default, since acceptance
    /// often lands during the release sprint; set it to `error` in `policy.rules` to make
    /// acceptance a gate.
    ///
    /// ## Example
    /// ```yaml
    /// release:
    ///   roles:
    ///     product_owner: Dana Ruiz
    /// features:
    ///   - id: gift-messages
    ///     status: done            # RC107: not accepted yet
    /// ```
    pub struct UnacceptedFeature {
        code: "RC107",
        name: "unaccepted-feature",
        default: Warning,
        summary: "a feature in scope is done but not accepted by the product owner",
        scope: Features,
        milestone: Release,
    }
}

impl Rule for UnacceptedFeature {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let owner = cx
            .release
            .info
            .roles
            .as_ref()
            .and_then(|r| r.product_owner.as_ref())
            .map_or_else(
                || "the product owner".to_owned(),
                |name| format!("the product owner ({})", name.value),
            );
        for f in cx.features_in_scope() {
            if *f.status == FeatureStatus::Done {
                out.push(
                    Self::META
                        .finding(
                            f.id.as_str(),
                            f.status.pos,
                            format!("feature '{}' is done but not accepted by {owner}", f.id),
                        )
                        .with_action(format!(
                            "have {owner} review '{}' and set status: accepted, or defer it",
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
    fn fires_for_done_features_naming_the_product_owner() {
        let yaml = "relcheck: 1\nrelease:\n  name: R\n  date: 2026-12-15\n  roles:\n    product_owner: Dana Ruiz\n\
                    features:\n  - id: a\n    status: done\n";
        assert_eq!(
            check_rule("RC107", yaml),
            ["9:13 a: feature 'a' is done but not accepted by the product owner (Dana Ruiz)"]
        );
        assert_eq!(
            actions("RC107", yaml),
            ["have the product owner (Dana Ruiz) review 'a' and set status: accepted, or defer it"]
        );
        let anonymous = format!("{HEAD}features:\n  - id: a\n    status: done\n");
        assert_eq!(
            check_rule("RC107", &anonymous),
            ["7:13 a: feature 'a' is done but not accepted by the product owner"]
        );
    }

    #[test]
    fn silent_for_accepted_unfinished_and_out_of_scope_features() {
        let yaml = format!(
            "{HEAD}features:\n  - id: a\n    status: accepted\n  - id: b\n    status: in-progress\n\
             \x20 - id: c\n    status: planned\n  - id: d\n    status: deferred\n  - id: e\n    status: dropped\n"
        );
        assert!(check_rule("RC107", &yaml).is_empty());
    }
}
