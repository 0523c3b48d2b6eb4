use crate::rule::{Eval, Finding, Rule, declare_rule};

use super::shared::waivers::describe;
use crate::manifest::Standing;
use crate::rule::WaiverView;

declare_rule! {
    /// ## What it checks
    /// No waiver's `expires` date is before today. An expired waiver covers nothing: the
    /// finding it covered counts again, and this rule says why.
    ///
    /// ## Why it matters
    /// A waiver is a release manager's conscious, time-boxed exception to the practice
    /// ("no new end-user training for this release, the screens did not change"). An
    /// exception that outlives its date has not been reconsidered; the practice's calm,
    /// deliberate release depends on exceptions being decided again, not inherited. This
    /// integrity rule cannot itself be waived: renew the waiver with a new date instead.
    ///
    /// ## Example
    /// ```yaml
    /// waivers:
    ///   - rule: RC204
    ///     subject: legacy-export
    ///     reason: Same screens as 2.3
    ///     owner: Dana Ruiz
    ///     expires: 2026-10-31      # RC009 when today is later
    /// ```
    pub struct ExpiredWaiver {
        code: "RC009",
        name: "expired-waiver",
        default: Error,
        summary: "a waiver's expires date is before today (the finding it covered counts again)",
        scope: Waivers,
        milestone: Now,
        phase: AfterWaivers,
        integrity: true,
    }
}

impl Rule for ExpiredWaiver {
    fn check_waivers(&self, view: &WaiverView<'_>, out: &mut Vec<Finding>) -> Eval {
        for (i, w) in view.waivers.iter().enumerate() {
            if let (Standing::Expired(days), Some(expires)) =
                (w.standing(view.today), w.expires.as_ref())
            {
                let rule = view.usage.rules[i];
                let ago = if days == 1 {
                    "yesterday".to_owned()
                } else {
                    format!("{days} days ago")
                };
                out.push(ExpiredWaiver::META.finding(
                    w.subject.as_str(),
                    expires.pos,
                    format!(
                        "{} expired on {} ({ago}); the finding it covered counts again: renew it with a new date or fix the finding",
                        describe(w, rule),
                        expires.value
                    ),
                ).with_action(format!("fix the {} finding for '{}', or renew its waiver with a new date", rule.code, w.subject.value)));
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
             waivers:\n  - rule: untested-feature\n    subject: f\n    reason: spike\n    owner: Dana\n    expires: {expires}\n"
        )
    }

    #[test]
    fn fires_after_the_expiry_date() {
        // testing::TODAY is 2026-11-01.
        assert_eq!(
            check_rule("RC009", &waiver("2026-10-31")),
            [
                "13:14 f: waiver of RC101 (untested-feature) for 'f' expired on 2026-10-31 (yesterday); the finding it covered counts again: renew it with a new date or fix the finding"
            ]
        );
    }

    #[test]
    fn silent_on_the_expiry_day_itself() {
        assert!(check_rule("RC009", &waiver("2026-11-01")).is_empty());
    }
}
