use crate::context::Context;
use crate::rule::{Eval, Finding, Rule, declare_rule};

use super::given;

declare_rule! {
    /// ## What it checks
    /// The release links a deployment plan: `deployment.plan` is given and not blank.
    /// Whether the file exists is RC005's concern; whether it covers the topics a plan
    /// needs is RC402's.
    ///
    /// ## Why it matters
    /// The Production Release practice has the release sprint prepare deployment, not only
    /// test and document: the deployment plan (scope, schedule, risks, stakeholders,
    /// approval, contacts, escalation, success criteria) is one of its work products. A
    /// release without one is deployed from memory on the day, which is how a calm release
    /// becomes a night of improvisation.
    ///
    /// ## Example
    /// ```yaml
    /// deployment:                 # RC401: no plan
    ///   backout:
    ///     path: docs/release/backout-plan.md
    ///     tested: true
    /// ```
    pub struct MissingDeploymentPlan {
        code: "RC401",
        name: "missing-deployment-plan",
        default: Error,
        summary: "the release links no deployment plan (deployment.plan)",
        scope: Release,
        milestone: Release,
    }
}

impl Rule for MissingDeploymentPlan {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let deployment = cx.release.deployment.as_ref();
        let plan = deployment.and_then(|d| d.plan.as_ref());
        let (pos, why) = match (deployment, plan) {
            (_, Some(p)) if given(Some(p)) => return Ok(()),
            (_, Some(p)) => (p.pos, "deployment.plan is blank"),
            (Some(d), None) => (d.pos, "deployment gives no plan"),
            (None, None) => (
                cx.release.info.pos,
                "the manifest has no deployment section",
            ),
        };
        out.push(
            Self::META
                .finding(
                    cx.name(),
                    pos,
                    format!("release '{}' has no deployment plan: {why}", cx.name()),
                )
                .with_action("write a deployment plan and link it as deployment.plan"),
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, check_rule};

    #[test]
    fn fires_without_a_deployment_section() {
        assert_eq!(
            check_rule("RC401", HEAD),
            ["3:3 R: release 'R' has no deployment plan: the manifest has no deployment section"]
        );
    }

    #[test]
    fn fires_when_deployment_gives_no_plan_or_a_blank_one() {
        let yaml = format!("{HEAD}deployment:\n  backout:\n    url: https://b\n");
        assert_eq!(
            check_rule("RC401", &yaml),
            ["6:3 R: release 'R' has no deployment plan: deployment gives no plan"]
        );
        let yaml = format!("{HEAD}deployment:\n  plan: \"  \"\n");
        assert_eq!(
            check_rule("RC401", &yaml),
            ["6:9 R: release 'R' has no deployment plan: deployment.plan is blank"]
        );
    }

    #[test]
    fn silent_with_a_plan() {
        let yaml = format!("{HEAD}deployment:\n  plan: docs/deployment-plan.md\n");
        assert!(check_rule("RC401", &yaml).is_empty());
    }
}
