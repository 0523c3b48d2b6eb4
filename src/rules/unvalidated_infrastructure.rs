use crate::context::Context;
use crate::manifest::InfraStatus;
use crate::rule::{Eval, Finding, Rule, declare_rule, not_evaluated};

declare_rule! {
    /// ## What it checks
    /// Every infrastructure item the release needs is `validated`; one finding per item
    /// that is still `planned` or only `installed`, whose subject is the item's `name`.
    /// Without `deployment.infrastructure` (or with an empty list) the report lists this
    /// rule as not evaluated.
    ///
    /// ## Why it matters
    /// The Production Release practice has the release sprint prepare the infrastructure
    /// the release runs on, and installing is not validating: a database that is up but
    /// was never loaded with production volumes, a gateway whose certificates were never
    /// exercised, fail on deployment day. Validate every item before the deployment window.
    ///
    /// ## Example
    /// ```yaml
    /// deployment:
    ///   infrastructure:
    ///     - name: carts-db-v3
    ///       status: installed     # RC407
    /// ```
    pub struct UnvalidatedInfrastructure {
        code: "RC407",
        name: "unvalidated-infrastructure",
        default: Error,
        summary: "an infrastructure item is not validated",
        scope: Infrastructure,
        milestone: Release,
    }
}

impl Rule for UnvalidatedInfrastructure {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let items = cx
            .release
            .deployment
            .as_ref()
            .and_then(|d| d.infrastructure.as_deref())
            .filter(|l| !l.is_empty());
        let Some(items) = items else {
            return Err(not_evaluated(
                "no infrastructure items given (deployment.infrastructure)".to_owned(),
            ));
        };
        let total = items.len();
        let validated = items
            .iter()
            .filter(|i| *i.status == InfraStatus::Validated)
            .count();
        for i in items.iter().filter(|i| *i.status != InfraStatus::Validated) {
            out.push(
                Self::META
                    .finding(
                        i.name.as_str(),
                        i.status.pos,
                        format!(
                            "infrastructure item '{}' is {}, not validated ({validated} of {total} item{} validated)",
                            i.name.value,
                            i.status.value,
                            if total == 1 { "" } else { "s" }
                        ),
                    )
                    .with_action(format!(
                        "validate infrastructure item '{}' (now {})",
                        i.name.value, i.status.value
                    )),
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, actions, check_rule, not_evaluated};

    #[test]
    fn fires_for_planned_and_installed_items() {
        let yaml = format!(
            "{HEAD}deployment:\n  infrastructure:\n    - name: carts-db-v3\n      status: installed\n\
             \x20   - name: payments-gateway\n      status: validated\n\
             \x20   - name: cdn-edge\n      status: planned\n"
        );
        assert_eq!(
            check_rule("RC407", &yaml),
            [
                "8:15 carts-db-v3: infrastructure item 'carts-db-v3' is installed, not validated (1 of 3 items validated)",
                "12:15 cdn-edge: infrastructure item 'cdn-edge' is planned, not validated (1 of 3 items validated)",
            ]
        );
        assert_eq!(
            actions("RC407", &yaml),
            [
                "validate infrastructure item 'carts-db-v3' (now installed)",
                "validate infrastructure item 'cdn-edge' (now planned)",
            ]
        );
    }

    #[test]
    fn silent_when_every_item_is_validated() {
        let yaml = format!(
            "{HEAD}deployment:\n  infrastructure:\n    - name: carts-db-v3\n      status: validated\n"
        );
        assert!(check_rule("RC407", &yaml).is_empty());
        assert!(not_evaluated("RC407", &yaml).is_empty());
    }

    #[test]
    fn not_evaluated_without_infrastructure() {
        for yaml in [
            HEAD.to_owned(),
            format!("{HEAD}deployment:\n  infrastructure: []\n"),
        ] {
            assert!(check_rule("RC407", &yaml).is_empty());
            assert_eq!(
                not_evaluated("RC407", &yaml),
                ["RC407: no infrastructure items given (deployment.infrastructure)"]
            );
        }
    }
}
