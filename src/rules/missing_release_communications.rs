use crate::context::Context;
use crate::rule::{Eval, Finding, Rule, declare_rule};

use super::given;

declare_rule! {
    /// ## What it checks
    /// The release lists its communications: `deployment.communications` holds at least one
    /// entry whose `path` or `url` is not blank. An empty list counts as none.
    ///
    /// ## Why it matters
    /// The Production Release practice counts release communications among the work
    /// products of the release sprint: customers learn what changes and when, support and
    /// operations learn what to expect on the day. A release nobody was told about turns a
    /// routine deployment into a flood of surprised calls.
    ///
    /// ## Example
    /// ```yaml
    /// deployment:
    ///   plan: docs/release/deployment-plan.md
    ///   communications: []        # RC405
    /// ```
    pub struct MissingReleaseCommunications {
        code: "RC405",
        name: "missing-release-communications",
        default: Warning,
        summary: "the release lists no communications (deployment.communications)",
        scope: Release,
        milestone: Release,
    }
}

impl Rule for MissingReleaseCommunications {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let deployment = cx.release.deployment.as_ref();
        let list = deployment.and_then(|d| d.communications.as_ref());
        let (pos, why) = match (deployment, list) {
            (_, Some(l)) => {
                if l.iter()
                    .any(|c| given(c.path.as_ref()) || given(c.url.as_ref()))
                {
                    return Ok(());
                }
                let why = if l.is_empty() {
                    "deployment.communications is empty".to_owned()
                } else {
                    format!(
                        "deployment.communications has {} entr{}, none with a path or url",
                        l.len(),
                        if l.len() == 1 { "y" } else { "ies" }
                    )
                };
                (l.pos, why)
            }
            (Some(d), None) => (d.pos, "deployment gives no communications".to_owned()),
            (None, None) => (
                cx.release.info.pos,
                "the manifest has no deployment section".to_owned(),
            ),
        };
        out.push(
            Self::META
                .finding(
                    cx.name(),
                    pos,
                    format!("release '{}' has no release communications: {why}", cx.name()),
                )
                .with_action(
                    "write the release announcements for customers, support and operations and list them as deployment.communications",
                ),
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, check_rule};

    #[test]
    fn fires_without_communications() {
        assert_eq!(
            check_rule("RC405", HEAD),
            [
                "3:3 R: release 'R' has no release communications: the manifest has no deployment section"
            ]
        );
        let yaml = format!("{HEAD}deployment:\n  plan: docs/plan.md\n");
        assert_eq!(
            check_rule("RC405", &yaml),
            [
                "6:3 R: release 'R' has no release communications: deployment gives no communications"
            ]
        );
    }

    #[test]
    fn an_empty_list_counts_as_none() {
        let yaml = format!("{HEAD}deployment:\n  plan: docs/plan.md\n  communications: []\n");
        assert_eq!(
            check_rule("RC405", &yaml),
            [
                "7:19 R: release 'R' has no release communications: deployment.communications is empty"
            ]
        );
        let yaml = format!(
            "{HEAD}deployment:\n  communications:\n    - audience: customers\n      path: \" \"\n"
        );
        assert_eq!(
            check_rule("RC405", &yaml),
            [
                "7:5 R: release 'R' has no release communications: deployment.communications has 1 entry, none with a path or url"
            ]
        );
    }

    #[test]
    fn silent_with_one_communication() {
        let yaml = format!(
            "{HEAD}deployment:\n  communications:\n    - audience: customers\n      url: https://news/2.4\n"
        );
        assert!(check_rule("RC405", &yaml).is_empty());
    }
}
