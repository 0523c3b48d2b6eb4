//! Waivers: how they match findings, and when they expire.
//!
//! A waiver covers the findings of one rule (by code or name) about one subject. An expired
//! waiver covers nothing (RC009 reports it); one that expires within
//! [`EXPIRING_WITHIN_DAYS`] still covers but is reported (RC011); one whose rule ran and
//! found nothing to cover is unused (RC010). A waiver of a rule that did not run (off, or
//! not selected) is not judged.

use std::collections::{HashMap, HashSet};

use crate::manifest::{Date, Located, Standing, Waiver};
use crate::rule::{Finding, RuleMeta};
use crate::rule::{OpenSubjects, WaiverUse};

/// Matches findings to the manifest's valid waivers and records which waivers were used.
///
/// `rules[i]` is the rule waiver `i` names; `ran` tells whether a rule ran in this check.
pub(crate) fn apply(
    findings: &mut [Finding],
    waivers: &[Located<Waiver>],
    rules: &[&'static RuleMeta],
    today: Date,
    usage: &mut WaiverUse,
) {
    let mut by_key: HashMap<(&str, &str), usize> = HashMap::with_capacity(waivers.len());
    for (i, (w, rule)) in waivers.iter().zip(rules).enumerate() {
        if !matches!(w.standing(today), Standing::Expired(_)) {
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
    // What the waived rules found that no waiver covers: one pass, one lookup per finding.
    let named: HashSet<&str> = by_key.keys().map(|(code, _)| *code).collect();
    let mut seen: HashSet<(&str, &str)> = HashSet::new();
    for f in findings.iter().filter(|f| f.waiver.is_none()) {
        if !named.contains(f.rule.code) || !seen.insert((f.rule.code, f.subject.as_str())) {
            continue;
        }
        let open = usage.open.entry(f.rule.code).or_default();
        open.total += 1;
        if open.first.len() < OpenSubjects::KEPT {
            open.first.push(f.subject.clone());
        }
    }
}

/// The (rule code, subject) of every waiver that has not expired on `today`: what the
/// waivers cover.
pub(crate) fn valid_keys<'w>(
    waivers: &'w [Located<Waiver>],
    rules: &[&'static RuleMeta],
    today: Date,
) -> HashSet<(&'static str, &'w str)> {
    waivers
        .iter()
        .zip(rules)
        .filter(|(w, _)| !matches!(w.standing(today), Standing::Expired(_)))
        .map(|(w, rule)| (rule.code, w.subject.as_str()))
        .collect()
}
