//! The rule registry: every rule, in code order, and lookup by code, name or prefix.
//!
//! Codes are stable and never reused; `rules.md` in the project's spec is the catalogue.
//! Each rule lives in its own file, named after what it finds.

use crate::rule::{Rule, RuleMeta};

mod blocked_by_dependency;
mod crunch_days;
mod dependency_cycle;
mod developed_in_release_sprint;
mod docs_lag_tests;
mod duplicate_id;
mod evidence_contradiction;
mod expired_waiver;
mod expiring_waiver;
mod failing_test;
mod idle_release_sprint;
mod immature_feature;
mod incomplete_deployment_plan;
mod inconsistent_schedule;
mod long_release_sprint;
mod misaligned_release_date;
mod missing_approval;
mod missing_backout_plan;
mod missing_deployment_plan;
mod missing_file;
mod missing_product_manifest;
mod missing_release_communications;
mod missing_release_notes;
mod missing_release_roles;
mod missing_release_sprint;
mod missing_release_test;
mod missing_support_docs;
mod missing_support_training;
mod missing_test_kind;
mod open_critical_defects;
mod open_major_defects;
mod orphan_artifact;
mod overloaded_release_sprint;
mod overtime;
mod overtime_streak;
mod path_outside_root;
mod placeholder_file;
mod product_not_ready;
mod scope_creep;
mod stale_report;
// Helpers shared by several rules (not rules themselves); the pace helpers also draw the
// HTML report's pace picture, so it shows the band the rules compare with.
mod shared;
pub(crate) use shared::pace;
mod unaccepted_feature;
mod undocumented_feature;
mod unfinished_doc;
mod unfinished_feature;
mod unknown_reference;
mod unmet_release_control;
mod unreviewed_doc;
mod unscheduled_training;
mod untested_backout_plan;
mod untested_feature;
mod untrained_feature;
mod unused_waiver;
mod unvalidated_infrastructure;
mod unverified_test;

/// Every rule, ordered by code.
pub static ALL: &[&dyn Rule] = &[
    &unknown_reference::UnknownReference,
    &duplicate_id::DuplicateId,
    &orphan_artifact::OrphanArtifact,
    &path_outside_root::PathOutsideRoot,
    &missing_file::MissingFile,
    &placeholder_file::PlaceholderFile,
    &evidence_contradiction::EvidenceContradiction,
    &unverified_test::UnverifiedTest,
    &expired_waiver::ExpiredWaiver,
    &unused_waiver::UnusedWaiver,
    &expiring_waiver::ExpiringWaiver,
    &stale_report::StaleReport,
    &untested_feature::UntestedFeature,
    &failing_test::FailingTest,
    &missing_test_kind::MissingTestKind,
    &missing_release_test::MissingReleaseTest,
    &unfinished_feature::UnfinishedFeature,
    &immature_feature::ImmatureFeature,
    &unaccepted_feature::UnacceptedFeature,
    &scope_creep::ScopeCreep,
    &developed_in_release_sprint::DevelopedInReleaseSprint,
    &open_critical_defects::OpenCriticalDefects,
    &open_major_defects::OpenMajorDefects,
    &undocumented_feature::UndocumentedFeature,
    &missing_release_notes::MissingReleaseNotes,
    &missing_support_docs::MissingSupportDocs,
    &untrained_feature::UntrainedFeature,
    &missing_support_training::MissingSupportTraining,
    &unfinished_doc::UnfinishedDoc,
    &unscheduled_training::UnscheduledTraining,
    &unreviewed_doc::UnreviewedDoc,
    &docs_lag_tests::DocsLagTests,
    &idle_release_sprint::IdleReleaseSprint,
    &overloaded_release_sprint::OverloadedReleaseSprint,
    &overtime::Overtime,
    &overtime_streak::OvertimeStreak,
    &crunch_days::CrunchDays,
    &long_release_sprint::LongReleaseSprint,
    &missing_release_sprint::MissingReleaseSprint,
    &missing_deployment_plan::MissingDeploymentPlan,
    &incomplete_deployment_plan::IncompleteDeploymentPlan,
    &missing_backout_plan::MissingBackoutPlan,
    &untested_backout_plan::UntestedBackoutPlan,
    &missing_release_communications::MissingReleaseCommunications,
    &unmet_release_control::UnmetReleaseControl,
    &unvalidated_infrastructure::UnvalidatedInfrastructure,
    &missing_release_roles::MissingReleaseRoles,
    &missing_approval::MissingApproval,
    &inconsistent_schedule::InconsistentSchedule,
    &product_not_ready::ProductNotReady,
    &blocked_by_dependency::BlockedByDependency,
    &dependency_cycle::DependencyCycle,
    &misaligned_release_date::MisalignedReleaseDate,
    &missing_product_manifest::MissingProductManifest,
];

/// The integrity rules (`integrity: true` in their `declare_rule!`), in code order: they
/// cannot be waived, turned off or downgraded, as integrity is not negotiable.
pub fn integrity() -> impl Iterator<Item = &'static RuleMeta> {
    metas().filter(|m| m.integrity)
}

/// The integrity rules' codes as prose: "RC001, RC002, RC004, RC007 and RC009".
pub fn integrity_phrase() -> String {
    join(integrity().map(|m| m.code), "and")
}

/// Where the rules reference lives; `docs/rules.md` has an anchor per rule (`#rc101`).
pub const RULES_DOC_URL: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs/rules.md");

/// The link to a rule's section of the rules reference (SARIF `helpUri`, Markdown links).
pub fn help_uri(meta: &RuleMeta) -> String {
    format!("{RULES_DOC_URL}#{}", meta.code.to_ascii_lowercase())
}

/// The rule with this exact code or name (codes case-insensitively).
pub fn find(code_or_name: &str) -> Option<&'static dyn Rule> {
    ALL.iter()
        .copied()
        .find(|r| r.meta().code.eq_ignore_ascii_case(code_or_name) || r.meta().name == code_or_name)
}

/// The metadata of every rule, in code order.
pub fn metas() -> impl Iterator<Item = &'static RuleMeta> {
    ALL.iter().map(|r| r.meta())
}

/// An optional text value that is given and not blank: the release work-product rules
/// (RC4xx) count a blank path, url or name as absent.
pub(crate) fn given(value: Option<&crate::manifest::Located<String>>) -> bool {
    value.is_some_and(|v| !v.trim().is_empty())
}

/// Up to three rule names or codes close to an unknown token, for error messages.
pub fn suggestions(token: &str) -> Vec<&'static str> {
    // "RC9" is most likely RC009 with its zeros left out, not every code two edits away.
    let digits = token
        .get(..2)
        .filter(|rc| rc.eq_ignore_ascii_case("RC"))
        .and_then(|_| token.get(2..))
        .filter(|d| (1..3).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()));
    if let Some(rule) = digits.and_then(|d| find(&format!("RC{d:0>3}"))) {
        return vec![rule.meta().code];
    }
    let candidates = metas().flat_map(|m| [m.code, m.name]);
    crate::suggest::close_matches(token, candidates, 3)
}

/// "1 test", "2 tests": a count and its noun (regular plural).
pub(crate) fn plural(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// "a", "a and b", "a, b and c" (or with another conjunction).
pub(crate) fn join<'s>(items: impl IntoIterator<Item = &'s str>, conjunction: &str) -> String {
    let items: Vec<&str> = items.into_iter().collect();
    match items.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} {conjunction} {last}", init.join(", ")),
    }
}

/// "a, b and c", each quoted with `quote` (`""` for none); at most `max` named, then "and N more".
pub(crate) fn list(items: &[&str], quote: &str, max: usize) -> String {
    let shown: Vec<String> = items
        .iter()
        .take(max)
        .map(|s| format!("{quote}{s}{quote}"))
        .collect();
    let rest = items.len().saturating_sub(max);
    if rest > 0 {
        return format!("{} and {rest} more", shown.join(", "));
    }
    match shown.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, init)) => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn codes_are_unique_sorted_and_well_formed() {
        let codes: Vec<&str> = metas().map(|m| m.code).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        assert_eq!(codes, sorted, "registry must list rules in code order");
        assert_eq!(
            codes.iter().collect::<HashSet<_>>().len(),
            codes.len(),
            "duplicate code"
        );
        for c in &codes {
            assert!(
                c.len() == 5 && c.starts_with("RC") && c[2..].bytes().all(|b| b.is_ascii_digit()),
                "{c}"
            );
        }
    }

    #[test]
    fn names_are_unique_kebab_case() {
        let names: Vec<&str> = metas().map(|m| m.name).collect();
        assert_eq!(
            names.iter().collect::<HashSet<_>>().len(),
            names.len(),
            "duplicate name"
        );
        for n in names {
            assert!(
                !n.is_empty()
                    && n.split('-')
                        .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase())),
                "{n}"
            );
        }
    }

    #[test]
    fn every_rule_is_documented() {
        for m in metas() {
            let doc = m.explanation();
            for section in ["## What it checks", "## Why it matters", "## Example"] {
                assert!(doc.contains(section), "{} lacks '{section}'", m.code);
            }
            assert!(doc.contains("```yaml"), "{} example has no YAML", m.code);
            assert!(
                !m.summary.is_empty() && !m.summary.ends_with('.'),
                "{} summary",
                m.code
            );
        }
    }

    #[test]
    fn integrity_rules_come_from_the_registry_and_default_to_error() {
        let codes: Vec<&str> = integrity().map(|m| m.code).collect();
        assert_eq!(codes, ["RC001", "RC002", "RC004", "RC007", "RC009"]);
        assert_eq!(integrity_phrase(), "RC001, RC002, RC004, RC007 and RC009");
        for m in integrity() {
            assert_eq!(m.default, crate::manifest::Level::Error, "{}", m.code);
        }
    }

    /// Each rule's default milestone, as the release cycle assigns them: what is wrong now
    /// (integrity, scope creep, the pace, cycles), what the freeze settles, what the release
    /// sprint produces.
    #[test]
    fn every_rule_has_its_default_milestone() {
        use crate::rule::Milestone;
        let now = [
            "RC001", "RC002", "RC003", "RC004", "RC005", "RC006", "RC007", "RC008", "RC009",
            "RC010", "RC011", "RC013", "RC108", "RC109", "RC301", "RC302", "RC303", "RC304",
            "RC305", "RC306", "RC307", "RC410", "RC503", "RC504", "RC505",
        ];
        let freeze = ["RC101", "RC103", "RC105", "RC106"];
        for m in metas() {
            let expected = if now.contains(&m.code) {
                Milestone::Now
            } else if freeze.contains(&m.code) {
                Milestone::Freeze
            } else {
                Milestone::Release
            };
            assert_eq!(m.milestone, expected, "{}", m.code);
            if m.integrity {
                assert_eq!(m.milestone, Milestone::Now, "{}", m.code);
            }
        }
    }

    #[test]
    fn wording_helpers() {
        assert_eq!(plural(0, "test"), "0 tests");
        assert_eq!(plural(1, "test"), "1 test");
        assert_eq!(plural(2, "day"), "2 days");
        assert_eq!(join([], "and"), "");
        assert_eq!(join(["a"], "and"), "a");
        assert_eq!(join(["a", "b"], "or"), "a or b");
        assert_eq!(join(["a", "b", "c"], "and"), "a, b and c");
    }

    #[test]
    fn lists_read_as_prose() {
        assert_eq!(list(&[], "'", 3), "");
        assert_eq!(list(&["a"], "'", 3), "'a'");
        assert_eq!(list(&["a", "b", "c"], "", 3), "a, b and c");
        assert_eq!(list(&["a", "b", "c", "d"], "'", 2), "'a', 'b' and 2 more");
    }

    #[test]
    fn lookup_by_code_or_name() {
        assert_eq!(
            find("RC101").map(|r| r.meta().name),
            Some("untested-feature")
        );
        assert_eq!(
            find("rc101").map(|r| r.meta().name),
            Some("untested-feature")
        );
        assert_eq!(
            find("untested-feature").map(|r| r.meta().code),
            Some("RC101")
        );
        assert!(find("nope").is_none());
        assert_eq!(
            suggestions("untested"),
            vec!["untested-feature", "untested-backout-plan"]
        );
        assert_eq!(suggestions("untested-featur"), vec!["untested-feature"]);
        assert_eq!(suggestions("RC9"), vec!["RC009"]);
        assert_eq!(suggestions("rc01"), vec!["RC001"]);
    }
}
