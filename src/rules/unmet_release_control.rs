use crate::context::Context;
use crate::manifest::ControlStatus;
use crate::rule::{Eval, Finding, Rule, declare_rule, not_evaluated};

declare_rule! {
    /// ## What it checks
    /// No release control is `not-met`. Controls that are `met` or `not-applicable` pass.
    /// Each unmet control is its own finding, whose subject is the control's `name` (so a
    /// waiver can cover one control). Without `deployment.controls` (or with an empty list)
    /// the report lists this rule as not evaluated.
    ///
    /// ## Why it matters
    /// The Production Release practice expects the release sprint to bring the release into
    /// conformance with the organisation's release controls: package integrity, change
    /// approval, security review, segregation of duties. A control recorded as not met is a
    /// known gap in the evidence that production is safe to change; ship only once it is
    /// closed, or explicitly waived by someone who owns the risk.
    ///
    /// ## Example
    /// ```yaml
    /// deployment:
    ///   controls:
    ///     - name: Security review
    ///       status: not-met       # RC406
    /// ```
    pub struct UnmetReleaseControl {
        code: "RC406",
        name: "unmet-release-control",
        default: Error,
        summary: "a release control is not-met",
        scope: Controls,
        milestone: Release,
    }
}

impl Rule for UnmetReleaseControl {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let controls = cx
            .release
            .deployment
            .as_ref()
            .and_then(|d| d.controls.as_deref())
            .filter(|l| !l.is_empty());
        let Some(controls) = controls else {
            return Err(not_evaluated(
                "no release controls given (deployment.controls)".to_owned(),
            ));
        };
        let total = controls.len();
        let unmet = controls
            .iter()
            .filter(|c| *c.status == ControlStatus::NotMet)
            .count();
        for c in controls
            .iter()
            .filter(|c| *c.status == ControlStatus::NotMet)
        {
            out.push(
                Self::META
                    .finding(
                        c.name.as_str(),
                        c.status.pos,
                        format!(
                            "release control '{}' is not met ({unmet} of {total} control{} not met)",
                            c.name.value,
                            if total == 1 { "" } else { "s" }
                        ),
                    )
                    .with_action(format!(
                        "meet release control '{}', link its evidence and set its status to met",
                        c.name.value
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
    fn fires_for_each_unmet_control() {
        let yaml = format!(
            "{HEAD}deployment:\n  controls:\n    - name: Security review\n      status: not-met\n\
             \x20   - name: Package integrity verified\n      status: met\n\
             \x20   - name: Accessibility audit\n      status: not-applicable\n\
             \x20   - name: CAB approval\n      status: not-met\n"
        );
        assert_eq!(
            check_rule("RC406", &yaml),
            [
                "8:15 Security review: release control 'Security review' is not met (2 of 4 controls not met)",
                "14:15 CAB approval: release control 'CAB approval' is not met (2 of 4 controls not met)",
            ]
        );
        assert_eq!(
            actions("RC406", &yaml)[0],
            "meet release control 'Security review', link its evidence and set its status to met"
        );
    }

    #[test]
    fn silent_when_met_or_not_applicable() {
        let yaml = format!(
            "{HEAD}deployment:\n  controls:\n    - name: Package integrity verified\n      status: met\n\
             \x20   - name: Accessibility audit\n      status: not-applicable\n"
        );
        assert!(check_rule("RC406", &yaml).is_empty());
        assert!(not_evaluated("RC406", &yaml).is_empty());
    }

    #[test]
    fn not_evaluated_without_controls() {
        for yaml in [
            HEAD.to_owned(),
            format!("{HEAD}deployment:\n  controls: []\n"),
        ] {
            assert!(check_rule("RC406", &yaml).is_empty());
            assert_eq!(
                not_evaluated("RC406", &yaml),
                ["RC406: no release controls given (deployment.controls)"]
            );
        }
    }
}
