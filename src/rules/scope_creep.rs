use crate::context::Context;
use crate::rule::{Eval, Finding, Rule, declare_rule, not_evaluated};
use crate::rules::plural;
use crate::schedule::FreezeSource;

declare_rule! {
    /// ## What it checks
    /// No feature crept into the release's scope after it was frozen. Two inputs, each
    /// checked when given:
    ///
    /// - `added`: a feature in scope added on or after the scope freeze (the freeze day is
    ///   frozen), whatever the day of the check. The freeze is `release.freeze`; without it,
    ///   the start of the earliest release sprint; without one, the release date. The finding
    ///   gives both dates and the days between. A feature without `added` cannot be judged
    ///   against the freeze and is left alone; when no feature in scope gives `added` (and
    ///   there is no baseline), the rule is reported as not evaluated rather than passed.
    /// - `--baseline FILE` or `--baseline-ref GITREF`, the manifest as it was (say, at the
    ///   freeze): from the freeze on, a feature in scope now that the baseline does not have,
    ///   or has `deferred` or `dropped`. Before the freeze the scope is open: adding a feature
    ///   is planning, not creep. The baseline is loaded as strictly as the manifest itself.
    ///
    /// A feature that fails both checks gets two findings, one per fact. Features out of
    /// scope now are never findings.
    ///
    /// ## Why it matters
    /// Pitfall 3 of the Production Release practice: successful hardening beats squeezing
    /// in marginally tested features. Scope is frozen so the release sprint can harden,
    /// document and train what is already there; a feature added after the freeze arrives
    /// untested, undocumented and untrained, and takes the time the rest of the release
    /// needed. Defer it to the next release.
    ///
    /// ## Example
    /// ```yaml
    /// release:
    ///   freeze: 2026-11-20
    /// features:
    ///   - id: seller-chat
    ///     status: done
    ///     added: 2026-11-30       # RC108: 10 days after the freeze
    /// ```
    pub struct ScopeCreep {
        code: "RC108",
        name: "scope-creep",
        default: Error,
        summary: "a feature was added on or after the scope freeze, or (from the freeze on) is absent from the --baseline manifest",
        scope: Features,
        milestone: Now,
    }
}

impl Rule for ScopeCreep {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let freeze = cx.schedule.freeze;
        // Where the freeze comes from, when it is not `release.freeze` itself.
        let source = match &cx.schedule.freeze_source {
            FreezeSource::Freeze => String::new(),
            other => format!(" ({})", other.describe()),
        };
        // Before the freeze the scope is open: adding a feature is planning, not creep.
        let baseline = cx.baseline.as_ref().filter(|_| cx.today >= freeze);
        let mut in_scope = 0u64;
        let mut dated = 0u64;
        for f in cx.features_in_scope() {
            in_scope += 1;
            if let Some(added) = f.added.as_ref() {
                dated += 1;
                let days = freeze.days_until(**added);
                if days >= 0 {
                    let when = if days == 0 {
                        format!("on the day of the scope freeze {freeze}{source}")
                    } else {
                        format!(
                            "{} after the scope freeze {freeze}{source}",
                            plural(days.unsigned_abs(), "day")
                        )
                    };
                    out.push(
                        Self::META
                            .finding(
                                f.id.as_str(),
                                added.pos,
                                format!("feature '{}' was added {}, {when}", f.id, added.value),
                            )
                            .with_action(format!(
                                "defer '{}' to the next release, or agree to move the freeze and record it in release.freeze",
                                f.id
                            )),
                    );
                }
            }
            if let Some(b) = baseline {
                let (pos, message) = match b.feature(f.id.as_str()) {
                    None => (
                        f.pos,
                        format!(
                            "feature '{}' is in scope, but the baseline {} does not have it",
                            f.id, b.shown
                        ),
                    ),
                    Some(old) if !old.in_scope() => (
                        f.status.pos,
                        format!(
                            "feature '{}' is {} now, but the baseline {} has it {}",
                            f.id,
                            f.status.as_str(),
                            b.shown,
                            old.status.as_str()
                        ),
                    ),
                    Some(_) => continue,
                };
                out.push(
                    Self::META
                        .finding(f.id.as_str(), pos, message)
                        .with_action(format!(
                            "defer '{}' to the next release, or agree to add it to the frozen scope",
                            f.id
                        )),
                );
            }
        }
        if cx.baseline.is_none() && in_scope > 0 && dated == 0 {
            return Err(not_evaluated(format!(
                "none of the {} in scope gives 'added', and no --baseline was given",
                plural(in_scope, "feature")
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, actions, check_rule, check_rule_with_baseline, not_evaluated};

    const FROZEN: &str =
        "relcheck: 1\nrelease:\n  name: R\n  date: 2026-12-15\n  freeze: 2026-11-20\n";
    /// Frozen before the unit tests' day (2026-11-01): a baseline is compared.
    const PAST_FREEZE: &str =
        "relcheck: 1\nrelease:\n  name: R\n  date: 2026-12-15\n  freeze: 2026-10-20\n";

    #[test]
    fn fires_for_features_added_after_the_freeze() {
        let yaml = format!(
            "{FROZEN}features:\n  - id: late\n    status: done\n    added: 2026-11-30\n\
             \x20 - id: next-day\n    status: planned\n    added: 2026-11-21\n"
        );
        assert_eq!(
            check_rule("RC108", &yaml),
            [
                "9:12 late: feature 'late' was added 2026-11-30, 10 days after the scope freeze 2026-11-20",
                "12:12 next-day: feature 'next-day' was added 2026-11-21, 1 day after the scope freeze 2026-11-20",
            ]
        );
        assert_eq!(
            actions("RC108", &yaml)[0],
            "defer 'late' to the next release, or agree to move the freeze and record it in release.freeze"
        );
    }

    #[test]
    fn the_freeze_day_is_frozen_and_the_freeze_falls_back_to_the_release_sprint_or_date() {
        let yaml =
            format!("{FROZEN}features:\n  - id: a\n    status: done\n    added: 2026-11-20\n");
        assert_eq!(
            check_rule("RC108", &yaml),
            ["9:12 a: feature 'a' was added 2026-11-20, on the day of the scope freeze 2026-11-20"]
        );
        let sprints = "sprints:\n  - {id: R1, kind: release, start: 2026-12-01, end: 2026-12-11}\n";
        let yaml = format!(
            "{HEAD}{sprints}features:\n  - id: a\n    status: done\n    added: 2026-12-03\n"
        );
        assert_eq!(
            check_rule("RC108", &yaml),
            [
                "10:12 a: feature 'a' was added 2026-12-03, 2 days after the scope freeze 2026-12-01 (release sprint R1)"
            ]
        );
        let yaml = format!("{HEAD}features:\n  - id: a\n    status: done\n    added: 2026-12-15\n");
        assert_eq!(
            check_rule("RC108", &yaml),
            [
                "8:12 a: feature 'a' was added 2026-12-15, on the day of the scope freeze 2026-12-15 (release date)"
            ]
        );
    }

    #[test]
    fn silent_before_the_freeze_out_of_scope_and_undated() {
        let yaml = format!(
            "{FROZEN}features:\n  - id: a\n    status: done\n    added: 2026-11-19\n\
             \x20 - id: b\n    status: done\n    added: 2026-10-01\n\
             \x20 - id: c\n    status: deferred\n    added: 2026-12-01\n\
             \x20 - id: d\n    status: dropped\n    added: 2026-12-01\n\
             \x20 - id: e\n    status: done\n"
        );
        assert!(check_rule("RC108", &yaml).is_empty());
        assert!(not_evaluated("RC108", &yaml).is_empty());
    }

    #[test]
    fn not_evaluated_when_no_feature_in_scope_is_dated() {
        let yaml = format!(
            "{FROZEN}features:\n  - id: a\n    status: done\n  - id: b\n    status: accepted\n\
             \x20 - id: c\n    status: deferred\n    added: 2026-12-01\n"
        );
        assert!(check_rule("RC108", &yaml).is_empty());
        assert_eq!(
            not_evaluated("RC108", &yaml),
            ["RC108: none of the 2 features in scope gives 'added', and no --baseline was given"]
        );
        // No feature in scope at all: nothing crept in.
        let empty = format!("{FROZEN}features:\n  - id: c\n    status: dropped\n");
        assert!(not_evaluated("RC108", &empty).is_empty());
    }

    #[test]
    fn baseline_lacking_a_feature_or_having_it_out_of_scope() {
        let now = format!(
            "{PAST_FREEZE}features:\n  - id: kept\n    status: done\n  - id: new\n    status: done\n\
             \x20 - id: revived\n    status: in-progress\n  - id: cut\n    status: dropped\n"
        );
        let baseline = format!(
            "{HEAD}features:\n  - id: kept\n    status: planned\n  - id: revived\n    status: deferred\n\
             \x20 - id: gone\n    status: planned\n"
        );
        assert_eq!(
            check_rule_with_baseline("RC108", &now, &baseline),
            [
                "9:5 new: feature 'new' is in scope, but the baseline baseline.yaml does not have it",
                "12:13 revived: feature 'revived' is in-progress now, but the baseline baseline.yaml has it deferred",
            ]
        );
        // Before the freeze the scope is open: the same differences are planning.
        let open = now.replace("freeze: 2026-10-20", "freeze: 2026-11-20");
        assert!(check_rule_with_baseline("RC108", &open, &baseline).is_empty());
    }

    #[test]
    fn baseline_and_freeze_both_apply() {
        let now = format!(
            "{PAST_FREEZE}features:\n  - id: late\n    status: done\n    added: 2026-10-25\n"
        );
        let baseline = format!("{HEAD}features:\n  - id: other\n    status: done\n");
        assert_eq!(
            check_rule_with_baseline("RC108", &now, &baseline),
            [
                "7:5 late: feature 'late' is in scope, but the baseline baseline.yaml does not have it",
                "9:12 late: feature 'late' was added 2026-10-25, 5 days after the scope freeze 2026-10-20",
            ]
        );
    }

    #[test]
    fn silent_when_the_baseline_has_every_feature_in_scope() {
        // An id listed twice in the baseline counts as in scope if any entry is.
        let now = format!(
            "{HEAD}features:\n  - id: a\n    status: done\n  - id: b\n    status: deferred\n"
        );
        let baseline = format!(
            "{HEAD}features:\n  - id: a\n    status: deferred\n  - id: a\n    status: planned\n"
        );
        assert!(check_rule_with_baseline("RC108", &now, &baseline).is_empty());
    }
}
