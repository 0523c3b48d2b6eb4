//! What the pace rules (RC3xx) share: whether sprints are given, the feature sprints'
//! velocity, the release sprints' planned load, and overtime.
//!
//! All of them run only when `sprints:` lists at least one sprint (`sprints: []` counts as
//! not given); otherwise they are reported as not evaluated with [`NO_SPRINTS`].

use crate::context::Context;
use crate::manifest::{HoursPerWeek, Located, NANOS, Points, Sprint, SprintKind};
use crate::rule::{Eval, Finding, NotEvaluated, RuleMeta, not_evaluated};

use super::decimal::{self, ONE, Round};

/// The reason every pace rule gives when `sprints:` is absent or empty.
pub(crate) const NO_SPRINTS: &str = "no sprints given";

/// The sprints, or the not-evaluated reason when there are none.
pub(crate) fn sprints<'a>(cx: &Context<'a>) -> Result<&'a [Located<Sprint>], NotEvaluated> {
    if cx.release.sprints.is_empty() {
        Err(not_evaluated(NO_SPRINTS.to_owned()))
    } else {
        Ok(&cx.release.sprints)
    }
}

/// The sprints, or the not-evaluated reason when there are none or none gives `field`
/// (`gives`): what the working-hours rules (RC303, RC304, RC305) look at.
pub(crate) fn sprints_giving<'a>(
    cx: &Context<'a>,
    field: &str,
    gives: impl Fn(&Sprint) -> bool,
) -> Result<&'a [Located<Sprint>], NotEvaluated> {
    let sprints = sprints(cx)?;
    if sprints.iter().any(|s| gives(s)) {
        Ok(sprints)
    } else {
        Err(not_evaluated(format!("no sprint gives `{field}`")))
    }
}

/// "release sprint R1", "feature sprint S14".
pub(crate) fn name(s: &Sprint) -> String {
    format!("{} sprint {}", s.kind.value, s.id.value)
}

/// "1 point", "32.5 points".
pub(crate) fn points(p: Points) -> String {
    if p.nanos() == NANOS {
        "1 point".to_owned()
    } else {
        format!("{p} points")
    }
}

/// The mean `completed` of the feature sprints that give it, kept as a sum and a count.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Velocity {
    /// Sum of `completed`, in billionths.
    pub sum: u128,
    /// Feature sprints that give `completed`.
    pub count: u128,
}

impl Velocity {
    /// The mean, to one decimal ("30", "33.3").
    pub(crate) fn mean(&self) -> String {
        decimal::decimal(self.sum, self.count.saturating_mul(ONE), 1, Round::Nearest)
    }

    /// `ratio` (billionths) times the mean, rounded as asked, for suggestions.
    pub(crate) fn times(&self, ratio: u128, round: Round) -> String {
        decimal::decimal(
            ratio.saturating_mul(self.sum),
            self.count.saturating_mul(ONE).saturating_mul(ONE),
            1,
            round,
        )
    }

    /// `planned / mean` as a percentage kept apart from `limit` (a ratio, billionths).
    pub(crate) fn percent_of_mean(&self, planned: Points, limit: u128) -> String {
        decimal::percent_apart(
            u128::from(planned.nanos()).saturating_mul(self.count),
            self.sum,
            limit.saturating_mul(100),
        )
    }

    /// `planned < ratio * mean`, exactly: `planned * count * 10^9 < ratio * sum`.
    pub(crate) fn below(&self, planned: Points, ratio: u128) -> bool {
        self.scaled(planned) < ratio.saturating_mul(self.sum)
    }

    /// `planned > ratio * mean`, exactly.
    pub(crate) fn above(&self, planned: Points, ratio: u128) -> bool {
        self.scaled(planned) > ratio.saturating_mul(self.sum)
    }

    /// Where `planned` stands against the band from `min` to `max` times the mean (ratios in
    /// billionths): the comparisons RC301 and RC302 make.
    pub(crate) fn place(&self, planned: Points, min: u128, max: u128) -> Load {
        if self.below(planned, min) {
            Load::Below
        } else if self.above(planned, max) {
            Load::Above
        } else {
            Load::Within
        }
    }

    /// `ratio` times the mean, to one decimal, rounded to the nearest: a bound as shown.
    pub(crate) fn bound(&self, ratio: u128) -> String {
        self.times(ratio, Round::Nearest)
    }

    /// The mean as a float, to draw it (comparisons never use it).
    #[expect(
        clippy::cast_precision_loss,
        reason = "a position in a picture; the exact comparisons are below and above"
    )]
    pub(crate) fn mean_f64(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.sum as f64 / self.count as f64 / ONE as f64
        }
    }

    fn scaled(&self, planned: Points) -> u128 {
        u128::from(planned.nanos())
            .saturating_mul(self.count)
            .saturating_mul(ONE)
    }
}

/// Where a release sprint's `planned` stands against the velocity band.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Load {
    /// Under `min_release_load` times the mean (RC301).
    Below,
    Within,
    /// Over `max_release_load` times the mean (RC302).
    Above,
}

/// What RC301 and RC302 compare: each release sprint's `planned` with the velocity.
pub(crate) struct ReleaseLoads<'a> {
    pub velocity: Velocity,
    /// Release sprints that give `planned`, in manifest order.
    pub planned: Vec<(&'a Located<Sprint>, &'a Located<Points>)>,
    /// Release sprints without `planned`: not evaluated.
    unplanned: Vec<&'a str>,
}

impl<'a> ReleaseLoads<'a> {
    /// The loads to compare, or the reason they cannot be: no sprints, no release sprint,
    /// no feature sprint with `completed`, or no release sprint with `planned`.
    pub(crate) fn of(cx: &Context<'a>) -> Result<Self, NotEvaluated> {
        let sprints = sprints(cx)?;
        let mut velocity = Velocity { sum: 0, count: 0 };
        let mut planned = Vec::new();
        let mut unplanned = Vec::new();
        for s in sprints {
            match (*s.kind, &s.completed, &s.planned) {
                (SprintKind::Feature, Some(done), _) => {
                    velocity.sum = velocity.sum.saturating_add(u128::from(done.nanos()));
                    velocity.count += 1;
                }
                (SprintKind::Feature, None, _) => {}
                (SprintKind::Release, _, Some(p)) => planned.push((s, p)),
                (SprintKind::Release, _, None) => unplanned.push(s.id.as_str()),
            }
        }
        let not = |reason: String| Err(not_evaluated(reason));
        if planned.is_empty() && unplanned.is_empty() {
            return not("no release sprint given".to_owned());
        }
        if velocity.count == 0 {
            return not(
                "no feature sprint gives `completed`, so there is no velocity to compare with"
                    .to_owned(),
            );
        }
        if planned.is_empty() {
            return not(format!(
                "release sprint {} gives no `planned`",
                crate::rules::list(&unplanned, "", 5)
            ));
        }
        Ok(ReleaseLoads {
            velocity,
            planned,
            unplanned,
        })
    }

    /// Done, or not evaluated for the release sprints that give no `planned`.
    pub(crate) fn eval(&self) -> Result<(), NotEvaluated> {
        if self.unplanned.is_empty() {
            Ok(())
        } else {
            Err(not_evaluated(format!(
                "not evaluated for release sprint {}: no `planned` given",
                crate::rules::list(&self.unplanned, "", 5)
            )))
        }
    }
}

/// Compares each release sprint's `planned` with the velocity (RC301, RC302): `beyond`
/// gives the message and action for a sprint out of bounds, reported as `rule` at its
/// `planned`. Not evaluated as [`ReleaseLoads::of`] and [`ReleaseLoads::eval`] say.
pub(crate) fn report_release_loads(
    cx: &Context<'_>,
    out: &mut Vec<Finding>,
    rule: &'static RuleMeta,
    beyond: impl Fn(&Velocity, &Sprint, Points) -> Option<(String, String)>,
) -> Eval {
    let loads = ReleaseLoads::of(cx)?;
    for (s, planned) in &loads.planned {
        if let Some((message, action)) = beyond(&loads.velocity, s, planned.value) {
            out.push(
                rule.finding(s.id.as_str(), planned.pos, message)
                    .with_action(action),
            );
        }
    }
    loads.eval()
}

/// The sprint's `hours_per_week` when it is over `policy.max_hours_per_week` (RC303, RC304).
pub(crate) fn overtime<'a>(cx: &Context<'_>, s: &'a Sprint) -> Option<&'a Located<HoursPerWeek>> {
    s.hours_per_week
        .as_ref()
        .filter(|h| h.nanos() > cx.policy.max_hours_per_week.nanos())
}

#[cfg(test)]
mod tests {
    use crate::testing::outcome;

    #[test]
    fn every_pace_finding_says_what_to_do() {
        let o = outcome(
            "RC3",
            include_str!("../../../tests/fixtures/docs-pace/pace/release.yaml"),
        );
        assert_eq!(o.findings.len(), 9);
        for f in &o.findings {
            let action = f.action.as_deref().unwrap_or_default();
            assert!(action.contains(&f.subject), "{}: {action}", f.rule.code);
        }
    }
}
