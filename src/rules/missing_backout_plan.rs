use crate::context::Context;
use crate::manifest::{Backout, Located};
use crate::rule::{Eval, Finding, Rule, declare_rule};

use super::given;

declare_rule! {
    /// ## What it checks
    /// The release links a backout plan: `deployment.backout` is given with a `path` or
    /// `url` that is not blank. Whether the file exists is RC005's concern; whether the plan
    /// was rehearsed is RC404's.
    ///
    /// ## Why it matters
    /// The Production Release practice has the release sprint prepare deployment, and a
    /// deployment that cannot be undone is a bet. The backout plan says how production gets
    /// back to the previous release when the deployment goes wrong, and who decides; it has
    /// to exist before the deployment window, not be written during the outage.
    ///
    /// ## Example
    /// ```yaml
    /// deployment:                 # RC403: no backout
    ///   plan: docs/release/deployment-plan.md
    /// ```
    pub struct MissingBackoutPlan {
        code: "RC403",
        name: "missing-backout-plan",
        default: Error,
        summary: "the release links no backout plan (deployment.backout)",
        scope: Release,
        milestone: Release,
    }
}

/// The backout plan, when it names a non-blank path or URL (RC403's "given").
pub(super) fn backout_plan<'a>(cx: &Context<'a>) -> Option<&'a Located<Backout>> {
    cx.release
        .deployment
        .as_ref()
        .and_then(|d| d.backout.as_ref())
        .filter(|b| given(b.path.as_ref()) || given(b.url.as_ref()))
}

impl Rule for MissingBackoutPlan {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        if backout_plan(cx).is_some() {
            return Ok(());
        }
        let deployment = cx.release.deployment.as_ref();
        let (pos, why) = match (deployment, deployment.and_then(|d| d.backout.as_ref())) {
            (_, Some(b)) => (b.pos, "deployment.backout names a blank path or url"),
            (Some(d), None) => (d.pos, "deployment gives no backout"),
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
                    format!("release '{}' has no backout plan: {why}", cx.name()),
                )
                .with_action("write a backout plan and link it as deployment.backout"),
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, check_rule};

    #[test]
    fn fires_without_a_backout() {
        assert_eq!(
            check_rule("RC403", HEAD),
            ["3:3 R: release 'R' has no backout plan: the manifest has no deployment section"]
        );
        let yaml = format!("{HEAD}deployment:\n  plan: docs/plan.md\n");
        assert_eq!(
            check_rule("RC403", &yaml),
            ["6:3 R: release 'R' has no backout plan: deployment gives no backout"]
        );
    }

    #[test]
    fn a_blank_path_is_no_backout() {
        let yaml = format!("{HEAD}deployment:\n  backout:\n    path: \"\"\n    tested: true\n");
        assert_eq!(
            check_rule("RC403", &yaml),
            [
                "7:5 R: release 'R' has no backout plan: deployment.backout names a blank path or url"
            ]
        );
    }

    #[test]
    fn silent_with_a_path_or_a_url() {
        for backout in ["path: docs/backout.md", "url: https://wiki/backout"] {
            let yaml = format!("{HEAD}deployment:\n  backout:\n    {backout}\n");
            assert!(check_rule("RC403", &yaml).is_empty(), "{backout}");
        }
    }
}
