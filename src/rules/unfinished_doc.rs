use crate::context::Context;
use crate::manifest::{DocStatus, TrainingStatus};
use crate::rule::{Eval, Finding, Rule, declare_rule};

use super::shared::shipped::Shipped;

declare_rule! {
    /// ## What it checks
    /// Docs and training that ship with the release are finished: a doc is not `draft` or
    /// `review` (it is `final`); a training is not `planned` or `draft` (it is `ready` or
    /// `delivered`).
    ///
    /// What ships: the docs and training a feature in scope links, and those of a
    /// release-wide kind (`release-notes`, `product`, `support` and `operations` docs;
    /// `support` and `operations` training) whether linked or not. Entries linked only by
    /// `deferred` or `dropped` features do not ship with this release and are not checked.
    /// The finding points at the entry's `status`.
    ///
    /// ## Why it matters
    /// Pitfall 2 of the Production Release practice: documentation and training count as
    /// much as testing. A guide still in draft or a course still being planned is the
    /// documentation equivalent of a failing test: listing it is not the same as having it.
    /// The release sprint is when they are finished.
    ///
    /// ## Example
    /// ```yaml
    /// docs:
    ///   - id: checkout-guide
    ///     kind: user
    ///     path: docs/user/checkout.md
    ///     status: review        # RC206: not final yet
    /// training:
    ///   - id: checkout-end-user
    ///     audience: end-user
    ///     path: training/checkout.md
    ///     status: draft         # RC206: not ready yet
    /// ```
    pub struct UnfinishedDoc {
        code: "RC206",
        name: "unfinished-doc",
        default: Warning,
        summary: "a linked doc is draft or in review, or linked training is planned or draft",
        scope: Documents,
        milestone: Release,
    }
}

impl Rule for UnfinishedDoc {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let shipped = Shipped::new(cx);
        let date = cx.release.info.date.value;
        for d in &cx.release.docs {
            let state = match *d.status {
                DocStatus::Draft => "still a draft",
                DocStatus::Review => "still in review",
                DocStatus::Final => continue,
            };
            let Some(why) = shipped.doc(d) else { continue };
            out.push(
                Self::META
                    .finding(
                        d.id.as_str(),
                        d.status.pos,
                        format!(
                            "{} doc '{}' ({}) is {state}, not final; the release is on {date}",
                            d.kind.value,
                            d.id.value,
                            why.describe()
                        ),
                    )
                    .with_action(format!(
                        "finish {} doc '{}' and set `status: final` before {date}",
                        d.kind.value, d.id.value
                    )),
            );
        }
        for t in &cx.release.training {
            let state = match *t.status {
                TrainingStatus::Planned => "only planned",
                TrainingStatus::Draft => "still a draft",
                TrainingStatus::Ready | TrainingStatus::Delivered => continue,
            };
            let Some(why) = shipped.training(t) else {
                continue;
            };
            out.push(
                Self::META
                    .finding(
                        t.id.as_str(),
                        t.status.pos,
                        format!(
                            "{} training '{}' ({}) is {state}, not ready; the release is on {date}",
                            t.audience.value,
                            t.id.value,
                            why.describe()
                        ),
                    )
                    .with_action(format!(
                        "finish the material of {} training '{}' and set `status: ready` before {date}",
                        t.audience.value, t.id.value
                    )),
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, check_rule};

    // 'b' lists 'guide' twice: it still counts once.
    const FEATURES: &str = "features:\n\
        \x20 - id: a\n    status: done\n    docs: [guide, api]\n    training: [course]\n\
        \x20 - id: b\n    status: done\n    docs: [guide, guide]\n\
        \x20 - id: later\n    status: deferred\n    docs: [later-guide]\n    training: [later-course]\n";

    #[test]
    fn fires_for_unfinished_entries_that_ship() {
        let yaml = format!(
            "{HEAD}{FEATURES}\
             docs:\n\
             \x20 - id: guide\n    kind: user\n    status: draft\n    url: https://d\n\
             \x20 - id: api\n    kind: api\n    status: review\n    url: https://d\n\
             \x20 - id: notes\n    kind: release-notes\n    status: review\n    url: https://d\n\
             training:\n\
             \x20 - id: course\n    audience: end-user\n    status: planned\n    url: https://t\n\
             \x20 - id: ops\n    audience: operations\n    status: draft\n    url: https://t\n"
        );
        assert_eq!(
            check_rule("RC206", &yaml),
            [
                "20:13 guide: user doc 'guide' (linked by features 'a' and 1 more) is still a draft, not final; the release is on 2026-12-15",
                "24:13 api: api doc 'api' (linked by feature 'a') is still in review, not final; the release is on 2026-12-15",
                "28:13 notes: release-notes doc 'notes' (release-wide) is still in review, not final; the release is on 2026-12-15",
                "33:13 course: end-user training 'course' (linked by feature 'a') is only planned, not ready; the release is on 2026-12-15",
                "37:13 ops: operations training 'ops' (release-wide) is still a draft, not ready; the release is on 2026-12-15",
            ]
        );
    }

    #[test]
    fn silent_for_finished_entries_and_those_of_features_out_of_scope() {
        let yaml = format!(
            "{HEAD}{FEATURES}\
             docs:\n\
             \x20 - id: guide\n    kind: user\n    status: final\n    url: https://d\n\
             \x20 - id: api\n    kind: api\n    status: final\n    url: https://d\n\
             \x20 - id: later-guide\n    kind: user\n    status: draft\n    url: https://d\n\
             \x20 - id: stray\n    kind: user\n    status: draft\n    url: https://d\n\
             training:\n\
             \x20 - id: course\n    audience: end-user\n    status: ready\n    url: https://t\n\
             \x20 - id: done\n    audience: support\n    status: delivered\n    url: https://t\n\
             \x20 - id: later-course\n    audience: end-user\n    status: planned\n    url: https://t\n"
        );
        assert!(check_rule("RC206", &yaml).is_empty());
    }
}
