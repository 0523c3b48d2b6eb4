//! User-facing features in scope that link no entry of the kind they need: what RC201 (a
//! user doc) and RC204 (end-user training) report, each for its own section.

use crate::context::Context;
use crate::manifest::{Feature, Located};
use crate::rule::{Finding, RuleMeta};

/// What a user-facing feature must link, the rule that reports it, and how to say it.
pub(in crate::rules) struct Needed<'s> {
    pub rule: &'static RuleMeta,
    /// What is missing: "user doc", "end-user training".
    pub what: &'s str,
    /// The section linked entries come from: "docs", "training".
    pub section: &'s str,
}

/// Reports, as `needed.rule`, each user-facing feature in scope none of whose `links` is `wanted`,
/// naming the entries it does link (`label`: "'faq' (support)"); `action` says what to do.
pub(in crate::rules) fn report_unlinked_user_facing<'a, T: 'a, I>(
    cx: &Context<'a>,
    out: &mut Vec<Finding>,
    needed: &Needed<'_>,
    links: impl Fn(&'a Feature) -> I,
    wanted: impl Fn(&Located<T>) -> bool,
    label: impl Fn(&Located<T>) -> String,
    action: impl Fn(&Feature) -> String,
) where
    I: Iterator<Item = &'a Located<T>>,
{
    for f in cx.features_in_scope().filter(|f| f.user_facing()) {
        if links(f).any(&wanted) {
            continue;
        }
        let others: Vec<String> = links(f).map(&label).collect();
        let linked = if others.is_empty() {
            format!("it links no {}", needed.section)
        } else {
            let refs: Vec<&str> = others.iter().map(String::as_str).collect();
            format!("it links only {}", crate::rules::list(&refs, "", 3))
        };
        out.push(
            needed
                .rule
                .finding(
                    f.id.as_str(),
                    f.pos,
                    format!(
                        "user-facing feature '{}' links no {} ({linked})",
                        f.id, needed.what
                    ),
                )
                .with_action(action(f)),
        );
    }
}
