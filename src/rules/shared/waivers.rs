//! What the waiver rules (RC009 expired, RC010 unused, RC011 expiring) share.

use crate::manifest::Waiver;
use crate::rule::RuleMeta;

/// Describes a waiver in messages: `waiver of RC204 (untrained-feature) for 'legacy-export'`.
pub(crate) fn describe(w: &Waiver, rule: &RuleMeta) -> String {
    format!(
        "waiver of {} ({}) for '{}'",
        rule.code, rule.name, w.subject.value
    )
}
