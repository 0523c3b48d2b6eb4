//! The manifest's `policy:` with every default filled in: the thresholds rules read.

use super::{Count, HoursPerDay, HoursPerWeek, Located, Policy, Ratio, TestKind};

/// The policy with every default filled in.
#[derive(Clone, Debug)]
pub struct EffectivePolicy {
    pub feature_tests: Vec<TestKind>,
    pub release_tests: Vec<TestKind>,
    pub min_release_load: Ratio,
    pub max_release_load: Ratio,
    pub max_hours_per_week: HoursPerWeek,
    pub max_hours_per_day: HoursPerDay,
    pub max_coverage_gap: Ratio,
    pub deployment_plan_sections: Vec<String>,
    /// Days a JUnit report may age before it is stale (RC012).
    pub max_report_age: u32,
}

/// `policy.max_report_age` when not given.
pub const DEFAULT_MAX_REPORT_AGE: u32 = 30;

impl EffectivePolicy {
    pub fn from(policy: Option<&Policy>) -> Self {
        let kinds = |l: Option<&Vec<Located<TestKind>>>, default: &[TestKind]| {
            l.map_or_else(|| default.to_vec(), |l| l.iter().map(|k| k.value).collect())
        };
        let p = policy;
        EffectivePolicy {
            feature_tests: kinds(
                p.and_then(|p| p.feature_tests.as_deref()),
                &[TestKind::Integration, TestKind::Uat],
            ),
            release_tests: kinds(
                p.and_then(|p| p.release_tests.as_deref()),
                &[TestKind::System],
            ),
            min_release_load: p
                .and_then(|p| p.min_release_load.as_deref().copied())
                .unwrap_or(Ratio::from_nanos(700_000_000)),
            max_release_load: p
                .and_then(|p| p.max_release_load.as_deref().copied())
                .unwrap_or(Ratio::from_nanos(1_200_000_000)),
            max_hours_per_week: p
                .and_then(|p| p.max_hours_per_week.as_deref().copied())
                .unwrap_or(HoursPerWeek::whole(40)),
            max_hours_per_day: p
                .and_then(|p| p.max_hours_per_day.as_deref().copied())
                .unwrap_or(HoursPerDay::whole(10)),
            max_coverage_gap: p
                .and_then(|p| p.max_coverage_gap.as_deref().copied())
                .unwrap_or(Ratio::from_nanos(200_000_000)),
            deployment_plan_sections: p
                .and_then(|p| p.deployment_plan_sections.as_deref())
                .map_or_else(
                    || {
                        DEFAULT_PLAN_SECTIONS
                            .iter()
                            .map(|s| (*s).to_owned())
                            .collect()
                    },
                    |l| l.iter().map(|s| s.value.clone()).collect(),
                ),
            max_report_age: p
                .and_then(|p| p.max_report_age.as_deref())
                .map_or(DEFAULT_MAX_REPORT_AGE, |c: &Count| c.0),
        }
    }
}

impl EffectivePolicy {
    /// The stricter of two policies (`--new-since`: the head's and the base's): each
    /// threshold its stricter value, required test kinds and plan sections their union.
    #[must_use]
    pub fn stricter(&self, other: &EffectivePolicy) -> EffectivePolicy {
        let union = |a: &[TestKind], b: &[TestKind]| {
            let mut all = a.to_vec();
            all.extend(b.iter().filter(|k| !a.contains(k)));
            all
        };
        let mut sections = self.deployment_plan_sections.clone();
        sections.extend(
            other
                .deployment_plan_sections
                .iter()
                .filter(|s| !self.deployment_plan_sections.contains(s))
                .cloned(),
        );
        EffectivePolicy {
            feature_tests: union(&self.feature_tests, &other.feature_tests),
            release_tests: union(&self.release_tests, &other.release_tests),
            min_release_load: self.min_release_load.max(other.min_release_load),
            max_release_load: self.max_release_load.min(other.max_release_load),
            max_hours_per_week: self.max_hours_per_week.min(other.max_hours_per_week),
            max_hours_per_day: self.max_hours_per_day.min(other.max_hours_per_day),
            max_coverage_gap: self.max_coverage_gap.min(other.max_coverage_gap),
            deployment_plan_sections: sections,
            max_report_age: self.max_report_age.min(other.max_report_age),
        }
    }
}

/// The deployment plan topics the practice expects (RC402).
pub const DEFAULT_PLAN_SECTIONS: &[&str] = &[
    "scope",
    "schedule",
    "risks",
    "stakeholders",
    "approval",
    "contacts",
    "escalation",
    "success criteria",
];
