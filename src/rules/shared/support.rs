//! Release-wide support material: what RC203 (a support or operations doc) and RC205
//! (support or operations training) report, each for its own section.

use crate::context::Context;
use crate::manifest::Located;
use crate::rule::{Finding, RuleMeta};

/// The finding of `rule` about the release when none of `entries` is `for_support`:
/// "release 'R' has no support or operations {what} ({why})", `why` saying what the
/// entries are.
pub(in crate::rules) fn no_support<T>(
    cx: &Context<'_>,
    rule: &'static RuleMeta,
    what: &str,
    entries: &[Located<T>],
    for_support: impl Fn(&T) -> bool,
    why: impl Fn(&[Located<T>]) -> String,
    action: impl FnOnce() -> String,
) -> Option<Finding> {
    if entries.iter().any(|e| for_support(e)) {
        return None;
    }
    Some(
        rule.finding(
            cx.name(),
            cx.release.info.pos,
            format!(
                "release '{}' has no support or operations {what} ({})",
                cx.name(),
                why(entries)
            ),
        )
        .with_action(action()),
    )
}
