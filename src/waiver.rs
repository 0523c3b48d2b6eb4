//! Waivers: how they match findings, and when they expire.
//!
//! A waiver covers the findings of one rule (by code or name) about one subject. An expired
//! waiver covers nothing (RC009 reports it); one that expires within
//! [`EXPIRING_WITHIN_DAYS`] still covers but is reported (RC011); one whose rule ran and
//! found nothing to cover is unused (RC010). A waiver of a rule that did not run (off, or
//! not selected) is not judged.

use std::collections::HashMap;

use crate::context::WaiverUse;
use crate::manifest::{Date, Located, Waiver};
use crate::rule::{Finding, RuleMeta};

/// A waiver expiring this many days from today or sooner is reported as expiring (RC011).
pub const EXPIRING_WITHIN_DAYS: i64 = 14;

/// Where a waiver stands on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// No expiry, or more than [`EXPIRING_WITHIN_DAYS`] away.
    Active,
    /// Still valid; expires in this many days (0 = expires today, its last valid day).
    Expiring(i64),
    /// `expires` is before today: this many days ago.
    Expired(i64),
}

pub fn standing(w: &Waiver, today: Date) -> Standing {
    match w.expires.as_deref() {
        None => Standing::Active,
        Some(&expires) => {
            let days = today.days_until(expires);
            if days < 0 {
                Standing::Expired(-days)
            } else if days <= EXPIRING_WITHIN_DAYS {
                Standing::Expiring(days)
            } else {
                Standing::Active
            }
        }
    }
}

/// Matches findings to the manifest's valid waivers and records which waivers were used.
///
/// `rules[i]` is the rule waiver `i` names; `ran` tells whether a rule ran in this check.
pub fn apply(
    findings: &mut [Finding],
    waivers: &[Located<Waiver>],
    rules: &[&'static RuleMeta],
    today: Date,
    usage: &mut WaiverUse,
) {
    let mut by_key: HashMap<(&str, &str), usize> = HashMap::with_capacity(waivers.len());
    for (i, (w, rule)) in waivers.iter().zip(rules).enumerate() {
        if !matches!(standing(w, today), Standing::Expired(_)) {
            by_key.entry((rule.code, w.subject.as_str())).or_insert(i);
        }
    }
    if by_key.is_empty() {
        return;
    }
    for f in findings.iter_mut() {
        if let Some(&i) = by_key.get(&(f.rule.code, f.subject.as_str())) {
            f.waiver = Some(i);
            usage.used[i] = true;
        }
    }
}

/// Describes a waiver in messages: `waiver of RC204 (untrained-feature) for 'legacy-export'`.
pub fn describe(w: &Waiver, rule: &RuleMeta) -> String {
    format!(
        "waiver of {} ({}) for '{}'",
        rule.code, rule.name, w.subject.value
    )
}

/// What the waiver rules read: the waivers, today, and how they were used.
pub struct WaiverView<'a> {
    pub waivers: &'a [Located<Waiver>],
    pub today: Date,
    pub usage: &'a WaiverUse,
}
