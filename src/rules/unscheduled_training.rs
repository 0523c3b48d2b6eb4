use crate::context::Context;
use crate::manifest::TrainingStatus;
use crate::rule::{Eval, Finding, Rule, declare_rule};

use super::shared::shipped::Shipped;

declare_rule! {
    /// ## What it checks
    /// Training that ships with the release and is not yet `delivered` has a `session`
    /// date, on or before `release.date`.
    ///
    /// It looks at the same training as RC206: what a feature in scope links, and
    /// `support` and `operations` training whether linked or not. Training linked only by
    /// `deferred` or `dropped` features is not this release's concern. A session on the
    /// release day itself counts as in time. A session already past that is not yet
    /// `delivered` is not a finding: the manifest may simply not be updated yet.
    ///
    /// ## Why it matters
    /// Pitfall 2 of the Production Release practice: training counts as much as testing.
    /// Training material that nobody has scheduled is not training; a session after the
    /// release leaves users and support facing the new version untrained. The release
    /// sprint is when sessions are planned and held.
    ///
    /// ## Example
    /// ```yaml
    /// release:
    ///   date: 2026-12-15
    /// training:
    ///   - id: checkout-end-user
    ///     audience: end-user
    ///     path: training/checkout.md
    ///     status: ready           # RC207: no session
    ///   - id: support-course
    ///     audience: support
    ///     path: training/support.md
    ///     status: ready
    ///     session: 2026-12-18     # RC207: after the release
    /// ```
    pub struct UnscheduledTraining {
        code: "RC207",
        name: "unscheduled-training",
        default: Warning,
        summary: "training not delivered has no session, or a session after the release date",
        scope: Training,
        milestone: Release,
    }
}

impl Rule for UnscheduledTraining {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let shipped = Shipped::new(cx);
        let date = cx.release.info.date.value;
        for t in &cx.release.training {
            if *t.status == TrainingStatus::Delivered {
                continue;
            }
            let Some(why) = shipped.training(t) else {
                continue;
            };
            // A session on or before the release: nothing to report (and nothing to format).
            let late_session = match &t.session {
                None => None,
                Some(session) if session.value > date => Some(session),
                Some(_) => continue,
            };
            let what = format!(
                "{} training '{}' ({}, {})",
                t.audience.value,
                t.id.value,
                why.describe(),
                t.status.value
            );
            let finding = match late_session {
                None => Self::META.finding(
                    t.id.as_str(),
                    t.pos,
                    format!("{what} has no session scheduled; the release is on {date}"),
                ),
                Some(session) => {
                    let late = date.days_until(session.value);
                    Self::META.finding(
                        t.id.as_str(),
                        session.pos,
                        format!(
                            "{what} is scheduled on {}, {late} day{} after the release on {date}",
                            session.value,
                            if late == 1 { "" } else { "s" }
                        ),
                    )
                }
            };
            out.push(finding.with_action(format!(
                "schedule a session of '{}' on or before {date} and record it as `session`",
                t.id.value
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, check_rule};

    #[test]
    fn fires_without_a_session_or_with_a_late_one() {
        let yaml = format!(
            "{HEAD}features:\n  - id: a\n    status: done\n    training: [course]\n\
             training:\n\
             \x20 - id: course\n    audience: end-user\n    status: ready\n    url: https://t\n\
             \x20 - id: support\n    audience: support\n    status: draft\n    url: https://t\n    session: 2026-12-16\n"
        );
        assert_eq!(
            check_rule("RC207", &yaml),
            [
                "10:5 course: end-user training 'course' (linked by feature 'a', ready) has no session scheduled; the release is on 2026-12-15",
                "18:14 support: support training 'support' (release-wide, draft) is scheduled on 2026-12-16, 1 day after the release on 2026-12-15",
            ]
        );
    }

    #[test]
    fn silent_when_delivered_in_time_or_not_shipping() {
        let yaml = format!(
            "{HEAD}features:\n  - id: a\n    status: done\n    training: [course]\n\
             \x20 - id: later\n    status: dropped\n    training: [old]\n\
             training:\n\
             \x20 - id: course\n    audience: end-user\n    status: planned\n    url: https://t\n    session: 2026-12-15\n\
             \x20 - id: delivered\n    audience: support\n    status: delivered\n    url: https://t\n\
             \x20 - id: old\n    audience: end-user\n    status: ready\n    url: https://t\n\
             \x20 - id: unlinked\n    audience: end-user\n    status: ready\n    url: https://t\n"
        );
        assert!(check_rule("RC207", &yaml).is_empty());
    }
}
