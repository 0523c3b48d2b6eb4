//! Open defects of features in scope: what RC110 (critical) and RC111 (major) report, each
//! for its own count.

use crate::context::Context;
use crate::manifest::{Count, Defects, Feature, Located};
use crate::rule::{Finding, RuleMeta};
use crate::rules::plural;

/// Reports, as `rule`, each feature in scope whose `count` of `severity` ("critical",
/// "major") open defects is above 0, at the count; `action` says what to do given the
/// counted defects ("2 open major defects") and the feature.
pub(in crate::rules) fn report_open_defects(
    cx: &Context<'_>,
    out: &mut Vec<Finding>,
    rule: &'static RuleMeta,
    severity: &str,
    count: impl Fn(&Defects) -> Option<&Located<Count>>,
    action: impl Fn(&str, &Feature) -> String,
) {
    for f in cx.features_in_scope() {
        let Some(n) = f.defects.as_ref().and_then(|d| count(d)) else {
            continue;
        };
        if n.0 == 0 {
            continue;
        }
        let defects = plural(u64::from(n.0), &format!("open {severity} defect"));
        out.push(
            rule.finding(
                f.id.as_str(),
                n.pos,
                format!("feature '{}' has {defects} (allowed: 0)", f.id),
            )
            .with_action(action(&defects, f)),
        );
    }
}
