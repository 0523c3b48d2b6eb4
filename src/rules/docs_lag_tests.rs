use crate::context::Context;
use crate::manifest::{Audience, DocKind, Feature};
use crate::rule::{Eval, Finding, Rule, declare_rule, not_evaluated};

use super::shared::decimal::{self, ONE};

declare_rule! {
    /// ## What it checks
    /// Documentation and training keep up with testing, release-wide. With the coverage
    /// counts of the report (`features` in scope, `tested` among them; `user_facing` in
    /// scope, `documented` and `trained` among them), it reports each share that trails
    /// the tested share by more than `policy.max_coverage_gap` (default 0.2):
    ///
    /// - `tested/features - documented/user_facing > max_coverage_gap`
    /// - `tested/features - trained/user_facing > max_coverage_gap`
    ///
    /// One finding per lagging share. The shares are compared exactly (cross-multiplied
    /// integers, no rounding): a gap equal to the allowance is not a finding. Not evaluated
    /// when no feature, or no user-facing feature, is in scope.
    ///
    /// The counts ignore waivers: waiving RC201 or RC204 for some features accepts those
    /// gaps one by one, but the imbalance they add up to is still reported here.
    ///
    /// ## Why it matters
    /// Pitfall 2 of the Production Release practice: documentation and training count as
    /// much as testing. A release that is thoroughly tested but thinly documented has
    /// treated docs and training as optional; this rule makes that imbalance visible even
    /// when each missing guide has its excuse.
    ///
    /// ## Example
    /// ```yaml
    /// # 4 of 4 features tested (100%), 2 of 4 user-facing features documented (50%):
    /// # documentation trails testing by 50 points; the policy allows 20.
    /// policy:
    ///   max_coverage_gap: 0.2
    /// ```
    pub struct DocsLagTests {
        code: "RC209",
        name: "docs-lag-tests",
        default: Error,
        summary: "documented or trained share of user-facing features trails the tested share by more than max_coverage_gap",
        scope: Release,
        milestone: Release,
    }
}

fn documented<'a>(cx: &Context<'a>, f: &'a Feature) -> bool {
    cx.docs_of(f).any(|d| *d.kind == DocKind::User)
}

fn trained<'a>(cx: &Context<'a>, f: &'a Feature) -> bool {
    cx.training_of(f).any(|t| *t.audience == Audience::EndUser)
}

/// What is compared with the tested share: a coverage count and what it means.
struct Share {
    count: u64,
    what: &'static str,
    artifact: &'static str,
    noun: &'static str,
    has: for<'a> fn(&Context<'a>, &'a Feature) -> bool,
}

impl Rule for DocsLagTests {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let c = cx.coverage();
        if c.features == 0 {
            return Err(not_evaluated("no feature in scope"));
        }
        if c.user_facing == 0 {
            return Err(not_evaluated("no user-facing feature in scope"));
        }
        let (features, user_facing) = (u128::from(c.features), u128::from(c.user_facing));
        let tested = u128::from(c.tested);
        let gap = u128::from(cx.policy.max_coverage_gap.nanos());
        let allowed = decimal::nanos(gap.saturating_mul(100));
        let shares = [
            Share {
                count: c.documented,
                what: "documented",
                artifact: "user docs",
                noun: "documentation",
                has: documented,
            },
            Share {
                count: c.trained,
                what: "trained",
                artifact: "end-user training",
                noun: "training",
                has: trained,
            },
        ];
        for share in shares {
            let Share {
                what,
                artifact,
                noun,
                ..
            } = share;
            let count = u128::from(share.count);
            // tested/features - count/user_facing > gap, times features * user_facing * 10^9.
            let lead = tested * user_facing;
            let trail = count * features;
            if lead <= trail || (lead - trail) * ONE <= gap * features * user_facing {
                continue;
            }
            let points =
                decimal::apart((lead - trail) * 100, features * user_facing, gap * 100, ONE);
            // Named in the action, waived or not: the waivers do not close this gap.
            let missing: Vec<&str> = cx
                .features_in_scope()
                .filter(|f| f.user_facing() && !(share.has)(cx, f))
                .map(|f| f.id.as_str())
                .collect();
            out.push(
                Self::META
                    .finding(
                        cx.name(),
                        cx.release.info.pos,
                        format!(
                            "release '{}': {count} of {user_facing} user-facing features {what} ({}%) trails {tested} of {features} tested ({}%) by {points} points; the policy allows {allowed}",
                            cx.name(),
                            decimal::percent(count, user_facing),
                            decimal::percent(tested, features),
                        ),
                    )
                    .with_action(format!(
                        "link {artifact} for {} until {noun} trails testing by at most {allowed} points",
                        super::list(&missing, "'", 3)
                    )),
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, check_rule, not_evaluated};

    /// `n` user-facing features, each tested by a passing test; the first `docs` link a
    /// user doc and the first `trained` an end-user training.
    fn release(n: usize, docs: usize, trained: usize, extra: &str) -> String {
        let mut y = format!("{HEAD}{extra}features:\n");
        for i in 0..n {
            y.push_str(&format!("  - id: f{i}\n    status: done\n    tests: [t]\n"));
            if i < docs {
                y.push_str("    docs: [guide]\n");
            }
            if i < trained {
                y.push_str("    training: [course]\n");
            }
        }
        y.push_str("tests:\n  - id: t\n    kind: uat\n    status: passed\n");
        y.push_str("docs:\n  - id: guide\n    kind: user\n    status: final\n    url: https://d\n");
        y.push_str("training:\n  - id: course\n    audience: end-user\n    status: ready\n    url: https://t\n");
        y
    }

    #[test]
    fn fires_once_per_lagging_share() {
        assert_eq!(
            check_rule("RC209", &release(4, 2, 0, "")),
            [
                "3:3 R: release 'R': 2 of 4 user-facing features documented (50%) trails 4 of 4 tested (100%) by 50 points; the policy allows 20",
                "3:3 R: release 'R': 0 of 4 user-facing features trained (0%) trails 4 of 4 tested (100%) by 100 points; the policy allows 20",
            ]
        );
    }

    #[test]
    fn a_gap_equal_to_the_allowance_is_not_a_finding() {
        // 4 of 5 documented: exactly 20 points behind.
        assert!(check_rule("RC209", &release(5, 4, 4, "")).is_empty());
        // 0.19: now 20 points is too many, and shown apart from 19.
        let policy = "policy:\n  max_coverage_gap: 0.19\n";
        assert_eq!(
            check_rule("RC209", &release(5, 4, 5, policy)),
            [
                "3:3 R: release 'R': 4 of 5 user-facing features documented (80%) trails 5 of 5 tested (100%) by 20 points; the policy allows 19"
            ]
        );
    }

    #[test]
    fn the_shown_gap_is_never_rounded_onto_the_allowance() {
        // 2 of 3 documented trails 6 of 7 tested by 19.05 points, allowed 19.
        let policy = "policy:\n  max_coverage_gap: 0.19\n";
        let mut yaml = release(3, 2, 3, policy);
        yaml = yaml.replace(
            "tests:\n",
            "  - id: i0\n    status: done\n    user_facing: false\n    tests: [t]\n\
             \x20 - id: i1\n    status: done\n    user_facing: false\n    tests: [t]\n\
             \x20 - id: i2\n    status: done\n    user_facing: false\n    tests: [t]\n\
             \x20 - id: i3\n    status: done\n    user_facing: false\n    tests: [bad]\n\
             tests:\n  - id: bad\n    kind: uat\n    status: failed\n",
        );
        let found = check_rule("RC209", &yaml);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].ends_with("2 of 3 user-facing features documented (67%) trails 6 of 7 tested (86%) by 19.05 points; the policy allows 19"),
            "{}",
            found[0]
        );
    }

    #[test]
    fn waivers_of_rc201_do_not_hide_the_imbalance() {
        let waivers = "waivers:\n\
            \x20 - rule: RC201\n    subject: f2\n    reason: r\n    owner: o\n\
            \x20 - rule: RC201\n    subject: f3\n    reason: r\n    owner: o\n";
        let yaml = format!("{}{waivers}", release(4, 2, 4, ""));
        assert_eq!(check_rule("RC209", &yaml).len(), 1);
    }

    #[test]
    fn deferred_dropped_and_internal_features_are_left_out() {
        // In scope: 'a' (user-facing, documented, trained) and 'internal': 2 of 2 tested,
        // 1 of 1 documented and trained. The undocumented 'late' and 'cut' do not count.
        let yaml = |late: &str| {
            format!(
                "{HEAD}features:\n\
                 \x20 - id: a\n    status: done\n    tests: [t]\n    docs: [guide]\n    training: [course]\n\
                 \x20 - id: internal\n    status: done\n    user_facing: false\n    tests: [t]\n\
                 \x20 - id: late\n    status: {late}\n\
                 \x20 - id: cut\n    status: dropped\n\
                 tests:\n  - id: t\n    kind: uat\n    status: passed\n\
                 docs:\n  - id: guide\n    kind: user\n    status: final\n    url: https://d\n\
                 training:\n  - id: course\n    audience: end-user\n    status: ready\n    url: https://t\n"
            )
        };
        assert!(check_rule("RC209", &yaml("deferred")).is_empty());
        // Brought back into scope, 'late' is untested and undocumented: 1 of 2 documented
        // (50%) against 2 of 3 tested (67%) is 16.7 points, within 20.
        assert!(check_rule("RC209", &yaml("in-progress")).is_empty());
        let strict =
            yaml("in-progress").replace("features:", "policy:\n  max_coverage_gap: 0.1\nfeatures:");
        assert_eq!(
            check_rule("RC209", &strict),
            [
                "3:3 R: release 'R': 1 of 2 user-facing features documented (50%) trails 2 of 3 tested (67%) by 17 points; the policy allows 10",
                "3:3 R: release 'R': 1 of 2 user-facing features trained (50%) trails 2 of 3 tested (67%) by 17 points; the policy allows 10",
            ]
        );
    }

    #[test]
    fn not_evaluated_without_features_or_user_facing_ones() {
        assert_eq!(not_evaluated("RC209", HEAD), ["RC209: no feature in scope"]);
        let yaml = format!(
            "{HEAD}features:\n  - id: a\n    status: done\n    user_facing: false\n\
             \x20 - id: b\n    status: deferred\n"
        );
        assert_eq!(
            not_evaluated("RC209", &yaml),
            ["RC209: no user-facing feature in scope"]
        );
    }
}
