use crate::context::Context;
use crate::manifest::{Approval, ApprovalStatus};
use crate::rule::{Eval, Finding, Rule, declare_rule};

use super::given;

declare_rule! {
    /// ## What it checks
    /// `release.approvals` holds at least one `approved` sign-off, and none that is
    /// `rejected`. No approved sign-off is one finding (it counts the pending and rejected
    /// ones); each rejected sign-off is a finding of its own that names who rejected the
    /// release and when. A rejection stands even when someone else approved: it is an
    /// objection to resolve, not a vote to outnumber.
    ///
    /// ## Why it matters
    /// The Production Release practice ends the release sprint with sign-off that users
    /// and production are ready for the release: the product owner accepts what ships,
    /// operations accept what they will run. Deploying without that sign-off, or over an
    /// explicit rejection, turns a team decision into a unilateral one.
    ///
    /// ## Example
    /// ```yaml
    /// release:
    ///   name: Marketplace 1.8
    ///   date: 2026-12-18
    ///   approvals:                # RC409: nobody approved yet
    ///     - by: Sam Okafor
    ///       role: product-owner
    ///       status: pending
    /// ```
    pub struct MissingApproval {
        code: "RC409",
        name: "missing-approval",
        default: Error,
        summary: "no approved sign-off, or a rejected one",
        scope: Release,
        milestone: Release,
    }
}

/// "Sam Okafor (product-owner)", or just the name without a role.
fn who(a: &Approval) -> String {
    match &a.role {
        Some(role) if given(Some(role)) => format!("{} ({})", a.by.value, role.value),
        _ => a.by.value.clone(),
    }
}

impl Rule for MissingApproval {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let info = &cx.release.info;
        let approvals = info.approvals.as_deref().map_or(&[][..], Vec::as_slice);
        let count = |s: ApprovalStatus| approvals.iter().filter(|a| *a.status == s).count();
        if count(ApprovalStatus::Approved) == 0 {
            let pos = info.approvals.as_ref().map_or(info.pos, |l| l.pos);
            let pending: Vec<String> = approvals
                .iter()
                .filter(|a| *a.status == ApprovalStatus::Pending)
                .map(|a| who(a))
                .collect();
            let action = if pending.is_empty() {
                let owner = info
                    .roles
                    .as_ref()
                    .and_then(|r| r.product_owner.as_ref())
                    .filter(|o| given(Some(o)))
                    .map_or_else(String::new, |o| format!(" ({})", o.value));
                format!(
                    "get the sign-off of the product owner{owner} and record it in release.approvals with status: approved"
                )
            } else if pending.len() == 1 {
                format!(
                    "obtain the pending sign-off of {} and record it with status: approved",
                    pending[0]
                )
            } else {
                format!(
                    "obtain the pending sign-offs of {} and record them with status: approved",
                    pending.join(", ")
                )
            };
            let tally = match approvals.len() {
                0 => "no approvals recorded".to_owned(),
                n => format!(
                    "{n} approval{}: {} pending, {} rejected",
                    if n == 1 { "" } else { "s" },
                    pending.len(),
                    count(ApprovalStatus::Rejected)
                ),
            };
            out.push(
                Self::META
                    .finding(
                        cx.name(),
                        pos,
                        format!("release '{}' has no approved sign-off ({tally})", cx.name()),
                    )
                    .with_action(action),
            );
        }
        for a in approvals
            .iter()
            .filter(|a| *a.status == ApprovalStatus::Rejected)
        {
            let when = a.date.as_ref().map_or_else(
                || "; the rejection has no date".to_owned(),
                |d| format!(" on {}", d.value),
            );
            out.push(
                Self::META
                    .finding(
                        cx.name(),
                        a.pos,
                        format!("release '{}' was rejected by {}{when}", cx.name(), who(a)),
                    )
                    .with_action(format!(
                        "resolve the objections of {} and record their approval in place of the rejection",
                        a.by.value
                    )),
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, actions, check_rule};

    #[test]
    fn fires_without_approvals() {
        assert_eq!(
            check_rule("RC409", HEAD),
            ["3:3 R: release 'R' has no approved sign-off (no approvals recorded)"]
        );
        assert_eq!(
            actions("RC409", HEAD),
            [
                "get the sign-off of the product owner and record it in release.approvals with status: approved"
            ]
        );
        let yaml = format!("{HEAD}  roles:\n    product_owner: Dana Ruiz\n  approvals: []\n");
        assert_eq!(
            actions("RC409", &yaml),
            [
                "get the sign-off of the product owner (Dana Ruiz) and record it in release.approvals with status: approved"
            ]
        );
    }

    #[test]
    fn fires_when_only_pending_and_for_each_rejection() {
        let yaml = format!(
            "{HEAD}  approvals:\n    - by: Sam Okafor\n      role: product-owner\n      status: pending\n\
             \x20   - by: Kim Olsen\n      status: rejected\n      date: 2026-12-10\n\
             \x20   - by: Lee Park\n      role: deployment-engineer\n      status: rejected\n"
        );
        assert_eq!(
            check_rule("RC409", &yaml),
            [
                "6:5 R: release 'R' has no approved sign-off (3 approvals: 1 pending, 2 rejected)",
                "9:7 R: release 'R' was rejected by Kim Olsen on 2026-12-10",
                "12:7 R: release 'R' was rejected by Lee Park (deployment-engineer); the rejection has no date",
            ]
        );
        assert_eq!(
            actions("RC409", &yaml),
            [
                "obtain the pending sign-off of Sam Okafor (product-owner) and record it with status: approved",
                "resolve the objections of Kim Olsen and record their approval in place of the rejection",
                "resolve the objections of Lee Park and record their approval in place of the rejection",
            ]
        );
    }

    #[test]
    fn a_rejection_stands_beside_an_approval() {
        let yaml = format!(
            "{HEAD}  approvals:\n    - by: Dana Ruiz\n      status: approved\n\
             \x20   - by: Kim Olsen\n      status: rejected\n      date: 2026-12-10\n"
        );
        assert_eq!(
            check_rule("RC409", &yaml),
            ["8:7 R: release 'R' was rejected by Kim Olsen on 2026-12-10"]
        );
    }

    #[test]
    fn silent_with_an_approval() {
        let yaml = format!(
            "{HEAD}  approvals:\n    - by: Dana Ruiz\n      role: product-owner\n      status: approved\n\
             \x20   - by: Kim Olsen\n      status: pending\n"
        );
        assert!(check_rule("RC409", &yaml).is_empty());
    }
}
