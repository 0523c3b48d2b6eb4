use crate::rule::{Eval, Finding, Rule, declare_rule};

use super::shared::waivers::describe;
use crate::manifest::{EXPIRING_WITHIN_DAYS, Standing};
use crate::rule::WaiverView;

declare_rule! {
    /// ## What it checks
    /// No waiver expires within 14 days of today (the day it expires included). The
    /// waiver still covers its finding; this is a reminder.
    ///
    /// ## Why it matters
    /// A waiver that lapses during the release sprint turns a green gate red at the worst
    /// moment. The practice asks for a calm, sustainable release sprint, not surprises in
    /// its last days: decide in time whether to fix the finding or renew the exception.
    ///
    /// ## Example
    /// ```yaml
    /// waivers:
    ///   - rule: RC204
    ///     subject: legacy-export
    ///     reason: Same screens as 2.3
    ///     owner: Dana Ruiz
    ///     expires: 2026-12-05      # RC011 from 2026-11-21 on
    /// ```
    pub struct ExpiringWaiver {
        code: "RC011",
        name: "expiring-waiver",
        default: Warning,
        summary: "a waiver expires within 14 days of today",
        scope: Waivers,
        milestone: Now,
        phase: AfterWaivers,
    }
}

impl Rule for ExpiringWaiver {
    fn check_waivers(&self, view: &WaiverView<'_>, out: &mut Vec<Finding>) -> Eval {
        for (i, w) in view.waivers.iter().enumerate() {
            if let (Standing::Expiring(days), Some(expires)) =
                (w.standing(view.today), w.expires.as_ref())
            {
                let when = match days {
                    0 => "today".to_owned(),
                    1 => "tomorrow".to_owned(),
                    n => format!("in {n} days"),
                };
                out.push(ExpiringWaiver::META.finding(
                    w.subject.as_str(),
                    expires.pos,
                    format!(
                        "{} expires on {} ({when}, within {EXPIRING_WITHIN_DAYS} days); decide whether to fix the finding or renew it",
                        describe(w, view.usage.rules[i]),
                        expires.value
                    ),
                ).with_action(format!("decide before {} whether to fix the {} finding for '{}' or renew its waiver", expires.value, view.usage.rules[i].code, w.subject.value)));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, check_rule};

    fn waiver(expires: &str) -> String {
        format!(
            "{HEAD}features:\n  - id: f\n    status: done\n\
             waivers:\n  - rule: RC101\n    subject: f\n    reason: spike\n    owner: Dana\n    expires: {expires}\n"
        )
    }

    #[test]
    fn fires_within_fourteen_days() {
        // testing::TODAY is 2026-11-01.
        assert_eq!(
            check_rule("RC011", &waiver("2026-11-15")),
            [
                "13:14 f: waiver of RC101 (untested-feature) for 'f' expires on 2026-11-15 (in 14 days, within 14 days); decide whether to fix the finding or renew it"
            ]
        );
        assert_eq!(check_rule("RC011", &waiver("2026-11-01")).len(), 1);
    }

    #[test]
    fn silent_when_far_off_or_already_expired() {
        assert!(check_rule("RC011", &waiver("2026-11-16")).is_empty());
        assert!(check_rule("RC011", &waiver("2026-10-31")).is_empty());
    }
}
