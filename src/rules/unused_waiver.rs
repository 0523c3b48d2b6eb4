use crate::rule::{Eval, Finding, Rule, declare_rule};

use super::shared::waivers::describe;
use crate::manifest::Standing;
use crate::rule::WaiverView;

declare_rule! {
    /// ## What it checks
    /// Every waiver covers at least one finding. Only waivers whose rule ran in this
    /// check are judged (a waiver of a rule that is off or not selected is left alone),
    /// and expired waivers are RC009's concern.
    ///
    /// ## Why it matters
    /// Waivers are exceptions to the Production Release practice, and each one should be
    /// a live decision. A waiver that covers nothing is stale: the problem was fixed, or
    /// the subject was renamed and the waiver now silently waits to hide a future finding
    /// of the same name. Remove it so the list of exceptions stays short and true.
    ///
    /// ## Example
    /// ```yaml
    /// waivers:
    ///   - rule: untested-feature
    ///     subject: saved-carts        # RC010 once saved-carts has tests
    ///     reason: Tests land in 2.5
    ///     owner: Dana Ruiz
    /// ```
    pub struct UnusedWaiver {
        code: "RC010",
        name: "unused-waiver",
        default: Warning,
        summary: "a waiver matches no finding",
        scope: Waivers,
        milestone: Now,
        phase: AfterWaivers,
    }
}

impl Rule for UnusedWaiver {
    fn check_waivers(&self, view: &WaiverView<'_>, out: &mut Vec<Finding>) -> Eval {
        for (i, w) in view.waivers.iter().enumerate() {
            let judged =
                view.usage.rule_ran[i] && !matches!(w.standing(view.today), Standing::Expired(_));
            if judged && !view.usage.used[i] {
                out.push(
                    UnusedWaiver::META
                        .finding(
                            w.subject.as_str(),
                            w.pos,
                            format!(
                                "{} matches no finding; remove it (or fix its rule and subject)",
                                describe(w, view.usage.rules[i])
                            ),
                        )
                        .with_action(format!(
                            "remove the {} waiver for '{}'",
                            view.usage.rules[i].code, w.subject.value
                        )),
                );
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, check_rules};

    fn manifest(tests: &str) -> String {
        format!(
            "{HEAD}features:\n  - id: f\n    status: done\n    tests: {tests}\n\
             tests:\n  - id: t\n    kind: uat\n    status: passed\n\
             waivers:\n  - rule: RC101\n    subject: f\n    reason: spike\n    owner: Dana\n"
        )
    }

    #[test]
    fn fires_when_the_rule_ran_and_found_nothing() {
        assert_eq!(
            check_rules("RC010,RC101", "RC010", &manifest("[t]")),
            [
                "14:5 f: waiver of RC101 (untested-feature) for 'f' matches no finding; remove it (or fix its rule and subject)"
            ]
        );
    }

    #[test]
    fn silent_when_used_or_when_its_rule_did_not_run() {
        assert!(check_rules("RC010,RC101", "RC010", &manifest("[]")).is_empty());
        assert!(check_rules("RC010", "RC010", &manifest("[t]")).is_empty());
    }
}
