use crate::context::Context;
use crate::manifest::{Date, Located, Sprint};
use crate::rule::{Eval, Finding, Rule, declare_rule};

use super::shared::pace;

/// Overtime may last this many calendar days in a row; longer is a streak.
pub(super) const MAX_OVERTIME_DAYS: i64 = 14;

declare_rule! {
    /// ## What it checks
    /// Overtime does not last more than two weeks in a row. Sprints are ordered by
    /// `start`; adjacent sprints that both plan overtime (`hours_per_week` over
    /// `policy.max_hours_per_week`, as in RC303) form a run, and one sprint with overtime is
    /// a run of its own. A run whose span, from its first sprint's `start` to its last
    /// `end` (calendar days, both counted), is over 14 days is one finding, about the run's
    /// first sprint. A sprint without `hours_per_week` ends a run.
    ///
    /// Not evaluated when no sprints are given or none gives `hours_per_week`.
    ///
    /// ## Why it matters
    /// Pitfall 1 of the Production Release practice: a release sprint is neither a rest
    /// nor a crunch. A short push can be absorbed; overtime that runs on for weeks, often
    /// from the last feature sprints straight into the release sprint, wears a team out
    /// exactly when the release needs it rested and careful.
    ///
    /// ## Example
    /// ```yaml
    /// sprints:                  # RC304: 26 days of overtime, S14 then R1
    ///   - {id: S14, kind: feature, start: 2026-11-16, end: 2026-11-27, hours_per_week: 48}
    ///   - {id: R1, kind: release, start: 2026-11-30, end: 2026-12-11, hours_per_week: 50}
    /// ```
    pub struct OvertimeStreak {
        code: "RC304",
        name: "overtime-streak",
        default: Error,
        summary: "overtime runs longer than two consecutive weeks",
        scope: Sprints,
        milestone: Now,
    }
}

/// Sprints with overtime, adjacent in start order, and the last day they cover.
struct Run<'a> {
    sprints: Vec<&'a Located<Sprint>>,
    last: Date,
}

impl Rule for OvertimeStreak {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let sprints = pace::sprints_giving(cx, "hours_per_week", |s| s.hours_per_week.is_some())?;
        let mut ordered: Vec<&Located<Sprint>> = sprints.iter().collect();
        // Stable: sprints starting the same day keep their manifest order.
        ordered.sort_by_key(|s| s.start.value);
        let mut run: Option<Run<'_>> = None;
        for s in ordered {
            if pace::overtime(cx, s).is_some() {
                match &mut run {
                    Some(r) => {
                        r.sprints.push(s);
                        r.last = r.last.max(s.end.value);
                    }
                    None => {
                        run = Some(Run {
                            sprints: vec![s],
                            last: s.end.value,
                        });
                    }
                }
            } else if let Some(r) = run.take() {
                report(cx, &r, out);
            }
        }
        if let Some(r) = run {
            report(cx, &r, out);
        }
        Ok(())
    }
}

fn report(cx: &Context<'_>, run: &Run<'_>, out: &mut Vec<Finding>) {
    let Some(first) = run.sprints.first() else {
        return;
    };
    let days = first.start.days_until(run.last) + 1;
    if days <= MAX_OVERTIME_DAYS {
        return;
    }
    let ids: Vec<&str> = run.sprints.iter().map(|s| s.id.as_str()).collect();
    let hours: Vec<String> = run
        .sprints
        .iter()
        .filter_map(|s| s.hours_per_week.as_ref().map(|h| h.value.to_string()))
        .collect();
    let hours: Vec<&str> = hours.iter().map(String::as_str).collect();
    let max = cx.policy.max_hours_per_week;
    let who = if ids.len() == 1 {
        pace::name(first)
    } else {
        format!("sprints {}", super::list(&ids, "", 6))
    };
    out.push(
        OvertimeStreak::META
            .finding(
                first.id.as_str(),
                first.pos,
                format!(
                    "{who} plan{} overtime for {days} days in a row ({} to {}; at most {MAX_OVERTIME_DAYS} allowed): {} hours per week, over the maximum of {max}",
                    if ids.len() == 1 { "s" } else { "" },
                    first.start.value,
                    run.last,
                    super::list(&hours, "", 6),
                ),
            )
            .with_action(format!(
                "bring {} back to {max} hours per week so overtime never lasts more than {MAX_OVERTIME_DAYS} days",
                if ids.len() == 1 {
                    pace::name(first)
                } else {
                    format!("at least one sprint of {}", super::list(&ids, "", 6))
                }
            ))
            // A streak that ended before today cannot be replanned: never late.
            .settled(run.last < cx.today),
    );
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, check_rule, not_evaluated};

    #[test]
    fn fires_once_per_run_longer_than_two_weeks() {
        // Listed out of order: ordered by start, S2 and S3 run 2026-10-19 to 2026-11-13
        // (26 days); S1 alone is 12 days; R1 alone is 15 days; S4 without hours ends a run.
        let yaml = format!(
            "{HEAD}sprints:\n\
             \x20 - {{id: S3, kind: feature, start: 2026-11-02, end: 2026-11-13, hours_per_week: 42}}\n\
             \x20 - {{id: S1, kind: feature, start: 2026-10-01, end: 2026-10-12, hours_per_week: 45}}\n\
             \x20 - {{id: S0, kind: feature, start: 2026-10-13, end: 2026-10-16, hours_per_week: 40}}\n\
             \x20 - {{id: S2, kind: feature, start: 2026-10-19, end: 2026-10-30, hours_per_week: 50}}\n\
             \x20 - {{id: S4, kind: feature, start: 2026-11-16, end: 2026-11-27}}\n\
             \x20 - {{id: R1, kind: release, start: 2026-11-30, end: 2026-12-14, hours_per_week: 41}}\n"
        );
        assert_eq!(
            check_rule("RC304", &yaml),
            [
                "9:5 S2: sprints S2 and S3 plan overtime for 26 days in a row (2026-10-19 to 2026-11-13; at most 14 allowed): 50 and 42 hours per week, over the maximum of 40",
                "11:5 R1: release sprint R1 plans overtime for 15 days in a row (2026-11-30 to 2026-12-14; at most 14 allowed): 41 hours per week, over the maximum of 40",
            ]
        );
    }

    #[test]
    fn silent_for_runs_of_two_weeks_or_less() {
        // Two one-week sprints back to back: exactly 14 days.
        let yaml = format!(
            "{HEAD}sprints:\n\
             \x20 - {{id: S1, kind: feature, start: 2026-11-16, end: 2026-11-22, hours_per_week: 45}}\n\
             \x20 - {{id: R1, kind: release, start: 2026-11-23, end: 2026-11-29, hours_per_week: 45}}\n\
             \x20 - {{id: R2, kind: release, start: 2026-11-30, end: 2026-12-20, hours_per_week: 40}}\n"
        );
        assert!(check_rule("RC304", &yaml).is_empty());
    }

    #[test]
    fn not_evaluated_without_hours() {
        assert_eq!(not_evaluated("RC304", HEAD), ["RC304: no sprints given"]);
        let yaml = format!(
            "{HEAD}sprints:\n  - {{id: R1, kind: release, start: 2026-11-30, end: 2026-12-11}}\n"
        );
        assert_eq!(
            not_evaluated("RC304", &yaml),
            ["RC304: no sprint gives `hours_per_week`"]
        );
    }
}
