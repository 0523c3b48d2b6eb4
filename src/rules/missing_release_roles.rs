use crate::context::Context;
use crate::rule::{Eval, Finding, Rule, declare_rule};

use super::given;

declare_rule! {
    /// ## What it checks
    /// `release.roles` names the three people the practice asks for: the product owner,
    /// the deployment engineer and the deployment manager. A blank name counts as missing.
    /// One finding lists every missing role (the subject is the release either way, so one
    /// waiver would cover them all alike).
    ///
    /// ## Why it matters
    /// The Production Release practice gives the release sprint named owners: the product
    /// owner accepts features and signs off that users are ready, the deployment engineer
    /// prepares and runs the deployment, the deployment manager coordinates it with
    /// operations and the other teams. A role nobody holds is work nobody does, found out
    /// on deployment day.
    ///
    /// ## Example
    /// ```yaml
    /// release:
    ///   name: Marketplace 1.8
    ///   date: 2026-12-18
    ///   roles:                    # RC408: no deployment engineer or deployment manager
    ///     product_owner: Sam Okafor
    /// ```
    pub struct MissingReleaseRoles {
        code: "RC408",
        name: "missing-release-roles",
        default: Warning,
        summary: "the product owner, deployment engineer or deployment manager is not named",
        scope: Release,
        milestone: Release,
    }
}

/// "a", "a or b", "a, b or c" (with `conj` "or").
fn joined(items: &[&str], conj: &str) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} {conj} {last}", init.join(", ")),
    }
}

impl Rule for MissingReleaseRoles {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let roles = cx.release.info.roles.as_ref();
        let slots = [
            (
                "product owner",
                "product_owner",
                roles.and_then(|r| r.product_owner.as_ref()),
            ),
            (
                "deployment engineer",
                "deployment_engineer",
                roles.and_then(|r| r.deployment_engineer.as_ref()),
            ),
            (
                "deployment manager",
                "deployment_manager",
                roles.and_then(|r| r.deployment_manager.as_ref()),
            ),
        ];
        let (missing, keys): (Vec<&str>, Vec<&str>) = slots
            .iter()
            .filter(|(_, _, v)| !given(*v))
            .map(|(role, key, _)| (*role, *key))
            .unzip();
        if missing.is_empty() {
            return Ok(());
        }
        let pos = roles.map_or(cx.release.info.pos, |r| r.pos);
        let count = slots.len() - missing.len();
        out.push(
            Self::META
                .finding(
                    cx.name(),
                    pos,
                    format!(
                        "release '{}' names {count} of 3 release roles: no {}",
                        cx.name(),
                        joined(&missing, "or")
                    ),
                )
                .with_action(format!(
                    "name the {} in release.roles ({})",
                    joined(&missing, "and"),
                    keys.join(", ")
                )),
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, actions, check_rule};

    #[test]
    fn fires_without_roles() {
        assert_eq!(
            check_rule("RC408", HEAD),
            [
                "3:3 R: release 'R' names 0 of 3 release roles: no product owner, deployment engineer or deployment manager"
            ]
        );
        assert_eq!(
            actions("RC408", HEAD),
            [
                "name the product owner, deployment engineer and deployment manager in release.roles (product_owner, deployment_engineer, deployment_manager)"
            ]
        );
    }

    #[test]
    fn lists_the_missing_roles_and_blank_names_are_missing() {
        let yaml = format!(
            "{HEAD}  roles:\n    product_owner: Sam Okafor\n    deployment_manager: \"  \"\n"
        );
        assert_eq!(
            check_rule("RC408", &yaml),
            [
                "6:5 R: release 'R' names 1 of 3 release roles: no deployment engineer or deployment manager"
            ]
        );
        assert_eq!(
            actions("RC408", &yaml),
            [
                "name the deployment engineer and deployment manager in release.roles (deployment_engineer, deployment_manager)"
            ]
        );
    }

    #[test]
    fn silent_when_all_three_are_named() {
        let yaml = format!(
            "{HEAD}  roles:\n    product_owner: Dana Ruiz\n    deployment_engineer: Lee Park\n    deployment_manager: Kim Olsen\n"
        );
        assert!(check_rule("RC408", &yaml).is_empty());
    }
}
