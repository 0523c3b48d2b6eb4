use std::collections::HashMap;

use crate::rule::{Eval, Finding, Rule, declare_rule};

use super::shared::waivers::describe;
use crate::manifest::Standing;
use crate::rule::WaiverView;
use crate::suggest::did_you_mean;

declare_rule! {
    /// ## What it checks
    /// Every waiver covers at least one finding. Only waivers whose rule ran in this
    /// check are judged (a waiver of a rule that is off or not selected is left alone),
    /// and expired waivers are RC009's concern.
    ///
    /// The finding names the subjects the waived rule does have open findings for (those no
    /// waiver covers), and the closest of them when the waiver's subject looks like a typo
    /// of one (`chekout` for `checkout`).
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

/// Edit-distance work the did-you-mean may do per manifest, in character pairs compared (a
/// comparison costs the product of the two lengths): hundreds of stale waivers of short ids,
/// and a bound on what thousands of long, alike ids can cost. Once spent, unused waivers
/// still list the subjects, without a did-you-mean.
const SUGGEST_BUDGET: usize = 4_000_000;
/// Subjects longer than this (in characters) get no did-you-mean; ids are at most 200.
const MAX_SUGGEST_CHARS: usize = 200;
/// Subjects of the rule's findings named in the message.
const SUBJECTS_NAMED: usize = 5;

impl Rule for UnusedWaiver {
    fn check_waivers(&self, view: &WaiverView<'_>, out: &mut Vec<Finding>) -> Eval {
        let mut budget = SUGGEST_BUDGET;
        // Per rule: the characters of its kept subjects, counted once.
        let mut chars: HashMap<&str, usize> = HashMap::new();
        for (i, w) in view.waivers.iter().enumerate() {
            let judged =
                view.usage.rule_ran[i] && !matches!(w.standing(view.today), Standing::Expired(_));
            if !judged || view.usage.used[i] {
                continue;
            }
            let rule = view.usage.rules[i];
            let subject = w.subject.as_str();
            let (what, near) = match view.usage.open.get(rule.code) {
                None => (
                    format!("{} found nothing to waive; remove it", rule.code),
                    None,
                ),
                Some(open) => {
                    let len = subject.chars().count();
                    let total = *chars
                        .entry(rule.code)
                        .or_insert_with(|| open.first.iter().map(|s| s.chars().count()).sum());
                    let cost = len.saturating_mul(total);
                    let near = (len <= MAX_SUGGEST_CHARS && cost <= budget)
                        .then(|| {
                            budget -= cost;
                            did_you_mean(subject, open.first.iter().map(String::as_str))
                        })
                        .flatten();
                    let about = format!(
                        "{}'s open findings are about {}",
                        rule.code,
                        subjects(&open.first, open.total)
                    );
                    let what = match near {
                        Some(n) => format!("did you mean '{n}'? ({about})"),
                        None => format!("{about}; remove it or fix its subject"),
                    };
                    (what, near)
                }
            };
            let action = match near {
                Some(n) => format!(
                    "set the subject of the {} waiver for '{}' to '{n}', or remove the waiver",
                    rule.code, w.subject.value
                ),
                None => format!("remove the {} waiver for '{}'", rule.code, w.subject.value),
            };
            out.push(
                UnusedWaiver::META
                    .finding(
                        subject,
                        w.pos,
                        format!("{} matches no finding; {what}", describe(w, rule)),
                    )
                    .with_action(action),
            );
        }
        Ok(())
    }
}

/// "'a', 'b' and 'c'", or the first [`SUBJECTS_NAMED`] "and N more" of `total`.
fn subjects(first: &[String], total: usize) -> String {
    let shown: Vec<&str> = first
        .iter()
        .take(SUBJECTS_NAMED)
        .map(String::as_str)
        .collect();
    let more = total.saturating_sub(shown.len());
    if more == 0 {
        return super::list(&shown, "'", SUBJECTS_NAMED);
    }
    let quoted: Vec<String> = shown.iter().map(|s| format!("'{s}'")).collect();
    format!("{} and {more} more", quoted.join(", "))
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, actions, check_rules};

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
                "14:5 f: waiver of RC101 (untested-feature) for 'f' matches no finding; RC101 found nothing to waive; remove it"
            ]
        );
    }

    #[test]
    fn silent_when_used_or_when_its_rule_did_not_run() {
        assert!(check_rules("RC010,RC101", "RC010", &manifest("[]")).is_empty());
        assert!(check_rules("RC010", "RC010", &manifest("[t]")).is_empty());
    }

    /// Features `ids`, none with tests, and one waiver of RC101 for `subject`.
    fn typo(ids: &[&str], subject: &str) -> String {
        let features: String = ids
            .iter()
            .map(|id| format!("  - id: {id}\n    status: done\n"))
            .collect();
        format!(
            "{HEAD}features:\n{features}\
             waivers:\n  - rule: untested-feature\n    subject: {subject}\n    reason: spike\n    owner: Dana\n\
             \x20 - rule: RC101\n    subject: search\n    reason: spike\n    owner: Dana\n"
        )
    }

    #[test]
    fn names_the_rules_open_subjects_and_the_nearest() {
        // `search` is waived, so it is not offered; `chekout` is a typo of `checkout`.
        let yaml = typo(&["checkout", "search", "payments"], "chekout");
        assert_eq!(
            check_rules("RC010,RC101", "RC010", &yaml),
            [
                "13:5 chekout: waiver of RC101 (untested-feature) for 'chekout' matches no finding; did you mean 'checkout'? (RC101's open findings are about 'checkout' and 'payments')"
            ]
        );
        assert_eq!(
            actions("RC010,RC101", &yaml)
                .into_iter()
                .filter(|a| a.contains("waiver"))
                .collect::<Vec<_>>(),
            [
                "set the subject of the RC101 waiver for 'chekout' to 'checkout', or remove the waiver"
            ]
        );
        // Nothing close: the subjects only, the first five and how many more.
        let ids = ["a1", "b2", "c3", "d4", "e5", "f6", "g7", "search"];
        assert_eq!(
            check_rules("RC010,RC101", "RC010", &typo(&ids, "legacy-export")),
            [
                "23:5 legacy-export: waiver of RC101 (untested-feature) for 'legacy-export' matches no finding; RC101's open findings are about 'a1', 'b2', 'c3', 'd4', 'e5' and 2 more; remove it or fix its subject"
            ]
        );
    }
}
