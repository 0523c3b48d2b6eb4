//! The pitfall-2 rules (RC201–RC209: documentation and training count as much as testing)
//! and the pitfall-1 rules (RC301–RC307: sustainable pace) through the `relcheck` binary.

use std::process::Output;

use relcheck::report::RuleGroup;
use serde_json::Value;

use crate::common::{self, code, not_evaluated, rule_codes, run, stdout};

const DOCS: &str = "tests/fixtures/docs-pace/docs/release.yaml";
const WAIVED: &str = "tests/fixtures/docs-pace/waived/release.yaml";
const PACE: &str = "tests/fixtures/docs-pace/pace/release.yaml";
const NO_RELEASE_SPRINT: &str = "tests/fixtures/docs-pace/no-release-sprint/release.yaml";
const NO_SPRINTS: &str = "tests/fixtures/docs-pace/no-sprints/release.yaml";

/// `check` with a fixed day, running only the rules of both pitfalls (RC2xx, RC3xx) unless
/// `args` selects others: the fixtures are about these rules, and other rules (work
/// products, hardening) would otherwise decide the exit code too.
fn check(args: &[&str]) -> Output {
    let mut all = Vec::new();
    if !args.contains(&"--select") {
        all.extend_from_slice(&["--select", "RC2,RC3"]);
    }
    all.extend_from_slice(args);
    common::check(&all)
}

/// The JSON report of `check` on `file` with `extra` options, and the exit code.
fn json(file: &str, extra: &[&str]) -> (Value, i32) {
    let mut args = vec![file, "--format", "json"];
    args.extend_from_slice(extra);
    let o = check(&args);
    (serde_json::from_str(&stdout(&o)).unwrap(), code(&o))
}

/// `RULE subject: message [waived]` for each finding of the first manifest.
fn findings(report: &Value) -> Vec<String> {
    report["manifests"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}: {}{}",
                f["rule"].as_str().unwrap(),
                f["subject"].as_str().unwrap(),
                f["message"].as_str().unwrap(),
                if f["waived"] == true { " [waived]" } else { "" }
            )
        })
        .collect()
}

#[test]
fn documentation_and_training_rules_fire_through_the_binary() {
    let (report, status) = json(DOCS, &[]);
    assert_eq!(status, 1);
    assert_eq!(
        findings(&report),
        [
            "RC202 Docs 3.0: release 'Docs 3.0' has no release-notes doc (none of its 5 docs is of kind release-notes)",
            "RC203 Docs 3.0: release 'Docs 3.0' has no support or operations doc (none of its 5 docs is of kind support or operations)",
            "RC205 Docs 3.0: release 'Docs 3.0' has no support or operations training (all 3 of its training entries are for end users)",
            "RC209 Docs 3.0: release 'Docs 3.0': 1 of 3 user-facing features documented (33%) trails 4 of 4 tested (100%) by 67 points; the policy allows 20",
            "RC209 Docs 3.0: release 'Docs 3.0': 2 of 3 user-facing features trained (67%) trails 4 of 4 tested (100%) by 33 points; the policy allows 20",
            // The internal 'fraud-scoring' and the deferred 'loyalty' need no user docs or
            // training; the deferred feature's draft doc and planned training do not ship.
            "RC201 wishlist: user-facing feature 'wishlist' links no user doc (it links only 'wishlist-api' (api))",
            "RC204 wishlist: user-facing feature 'wishlist' links no end-user training (it links no training)",
            "RC206 gift-cards-guide: user doc 'gift-cards-guide' (linked by feature 'gift-cards') is still a draft, not final; the release is on 2026-12-15",
            "RC206 product-overview: product doc 'product-overview' (release-wide) is still in review, not final; the release is on 2026-12-15",
            "RC207 gift-cards-course: end-user training 'gift-cards-course' (linked by feature 'gift-cards', ready) has no session scheduled; the release is on 2026-12-15",
        ]
    );
    let m = &report["manifests"][0];
    // Only evidence that holds counts: gift-cards' user doc is still a draft.
    assert_eq!(
        m["coverage"],
        serde_json::json!({"features": 4, "user_facing": 3, "tested": 4, "documented": 1, "trained": 2})
    );
    // Findings point at the node they are about: the release, the feature, the status value.
    let at = |rule: &str| {
        let f = m["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == rule)
            .unwrap();
        (f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap())
    };
    assert_eq!(at("RC202"), (4, 3));
    assert_eq!(at("RC201"), (12, 5));
    assert_eq!(at("RC206"), (56, 13));
}

#[test]
fn unreviewed_doc_is_opt_in() {
    let (report, _) = json(DOCS, &[]);
    assert!(!findings(&report).iter().any(|f| f.starts_with("RC208")));
    let (report, status) = json(DOCS, &["--select", "RC208"]);
    // Selected by its code, an off rule runs as a warning: ready, unless strict.
    assert_eq!(status, 0);
    assert_eq!(
        findings(&report),
        [
            "RC208 gift-cards-guide: user doc 'gift-cards-guide' (linked by feature 'gift-cards') has no `reviewed: true`",
            "RC208 product-overview: product doc 'product-overview' (release-wide) says `reviewed: false`",
        ]
    );
    assert_eq!(report["manifests"][0]["findings"][0]["severity"], "warning");
    let o = check(&[DOCS, "--select", "unreviewed-doc", "--strict"]);
    assert_eq!(code(&o), 1);
}

#[test]
fn waivers_of_rc201_and_rc204_do_not_hide_the_imbalance() {
    let (report, status) = json(WAIVED, &[]);
    assert_eq!(status, 1);
    assert_eq!(
        findings(&report),
        [
            "RC209 Waived 1.2: release 'Waived 1.2': 1 of 2 user-facing features documented (50%) trails 2 of 2 tested (100%) by 50 points; the policy allows 20",
            "RC209 Waived 1.2: release 'Waived 1.2': 1 of 2 user-facing features trained (50%) trails 2 of 2 tested (100%) by 50 points; the policy allows 20",
            "RC201 export: user-facing feature 'export' links no user doc (it links no docs) [waived]",
            "RC204 export: user-facing feature 'export' links no end-user training (it links no training) [waived]",
        ]
    );
    // A looser policy accepts the gap; the waivers still cover their findings.
    let dir = tempfile::tempdir().unwrap();
    let loose = dir.path().join("release.yaml");
    let text = std::fs::read_to_string(WAIVED).unwrap();
    std::fs::write(&loose, format!("{text}policy:\n  max_coverage_gap: 0.5\n")).unwrap();
    let (report, status) = json(loose.to_str().unwrap(), &[]);
    assert_eq!(status, 0, "{report:#}");
    assert_eq!(report["summary"]["waived"], 2);
}

#[test]
fn pace_rules_fire_through_the_binary() {
    let o = check(&[PACE, "--format", "json"]);
    assert_eq!(code(&o), 1);
    insta::assert_snapshot!("pace_json", stdout(&o));
    let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let found = findings(&report);
    for code in ["RC301", "RC302", "RC303", "RC304", "RC305", "RC306"] {
        assert!(
            found.iter().any(|f| f.starts_with(code)),
            "{code}: {found:#?}"
        );
    }
    assert!(not_evaluated(&report).is_empty(), "{report:#}");
    // Human lines name the sprint and the numbers behind the verdict.
    let o = check(&[PACE, "--color", "never"]);
    let human = stdout(&o);
    for line in [
        "pace/release.yaml:15:14: RC301 [warning] release sprint R1 plans 12 points, 38% of the feature sprints' mean of 32 (minimum 70%)",
        "pace/release.yaml:21:14: RC302 [warning] release sprint R2 plans 48 points, 150% of the feature sprints' mean of 32 (maximum 120%)",
        "pace/release.yaml:8:5: RC304 [error] sprints S2 and S3 plan overtime for 26 days in a row (2026-09-21 to 2026-10-16; at most 14 allowed): 44 and 45 hours per week, over the maximum of 40",
        "pace/release.yaml:23:20: RC305 [error] release sprint R2 (2026-11-16 to 2026-12-11) plans 11 hours per day, over the maximum of 10",
    ] {
        assert!(human.contains(line), "{line}\n{human}");
    }
}

#[test]
fn the_pace_policy_moves_the_thresholds() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("release.yaml");
    let text = std::fs::read_to_string(PACE).unwrap();
    std::fs::write(
        &file,
        format!(
            "{text}policy:\n  min_release_load: 0.3\n  max_release_load: 1.5\n  max_hours_per_week: 45\n  max_hours_per_day: 11\n"
        ),
    )
    .unwrap();
    let (report, status) = json(file.to_str().unwrap(), &[]);
    // Only the long release sprint is left, a warning.
    assert_eq!(status, 0, "{report:#}");
    let found = findings(&report);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].starts_with("RC306 R2: release sprint R2 lasts 26 days"));
}

#[test]
fn feature_sprints_only_is_a_missing_release_sprint() {
    let (report, status) = json(NO_RELEASE_SPRINT, &[]);
    assert_eq!(status, 0);
    assert_eq!(
        findings(&report),
        [
            "RC307 Feature Sprints 2.0: release 'Feature Sprints 2.0' plans 2 sprints (2026-10-19 to 2026-11-13) and none is a release sprint; the release is on 2026-12-15"
        ]
    );
    assert_eq!(
        not_evaluated(&report),
        [
            "RC301: no release sprint given",
            "RC302: no release sprint given",
            "RC305: no sprint gives `hours_per_day`",
            "RC306: no release sprint given",
        ]
    );
    assert_eq!(code(&check(&[NO_RELEASE_SPRINT, "--strict"])), 1);
}

#[test]
fn without_sprints_the_pace_rules_are_not_evaluated() {
    // The pace rules (RC3xx), from the registry.
    let expected: Vec<String> = rule_codes(RuleGroup::Pace)
        .iter()
        .map(|c| format!("{c}: no sprints given"))
        .collect();
    let (report, status) = json(NO_SPRINTS, &[]);
    assert_eq!(status, 0, "{report:#}");
    assert!(findings(&report).is_empty(), "{report:#}");
    assert_eq!(not_evaluated(&report), expected);
    assert_eq!(
        report["manifests"][0]["not_evaluated"][0],
        serde_json::json!({"rule": "RC301", "name": "idle-release-sprint", "reason": "no sprints given"})
    );
    let o = check(&[NO_SPRINTS, "--color", "never"]);
    assert!(
        stdout(&o).contains(
            "  Not evaluated:\n\
             \x20 RC301, RC302, RC303, RC304, RC305, RC306, RC307: no sprints given\n"
        ),
        "{}",
        stdout(&o)
    );
    // `sprints: []` counts as not given.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("release.yaml");
    let text = std::fs::read_to_string(NO_SPRINTS).unwrap();
    std::fs::write(&file, format!("{text}sprints: []\n")).unwrap();
    let (report, status) = json(file.to_str().unwrap(), &[]);
    assert_eq!(status, 0);
    assert_eq!(not_evaluated(&report), expected);
    // Rules that do not run are not listed.
    let (report, _) = json(NO_SPRINTS, &["--ignore", "RC3"]);
    assert!(not_evaluated(&report).is_empty(), "{report:#}");
}

#[test]
fn explain_and_rules_cover_every_new_rule() {
    let o = run(&["rules", "--format", "json"]);
    assert_eq!(code(&o), 0);
    let list: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let defaults = [
        ("RC201", "undocumented-feature", "error"),
        ("RC202", "missing-release-notes", "error"),
        ("RC203", "missing-support-docs", "error"),
        ("RC204", "untrained-feature", "error"),
        ("RC205", "missing-support-training", "error"),
        ("RC206", "unfinished-doc", "warning"),
        ("RC207", "unscheduled-training", "warning"),
        ("RC208", "unreviewed-doc", "off"),
        ("RC209", "docs-lag-tests", "error"),
        ("RC301", "idle-release-sprint", "warning"),
        ("RC302", "overloaded-release-sprint", "warning"),
        ("RC303", "overtime", "warning"),
        ("RC304", "overtime-streak", "error"),
        ("RC305", "crunch-days", "error"),
        ("RC306", "long-release-sprint", "warning"),
        ("RC307", "missing-release-sprint", "warning"),
    ];
    for (rule, name, default) in defaults {
        assert!(
            list.as_array()
                .unwrap()
                .iter()
                .any(|r| r["code"] == rule && r["name"] == name && r["default"] == default),
            "{rule} {name} {default}"
        );
        let by_code = run(&["explain", rule]);
        assert_eq!(code(&by_code), 0, "{rule}");
        assert_eq!(stdout(&by_code), stdout(&run(&["explain", name])), "{rule}");
        let text = stdout(&by_code);
        assert!(
            text.starts_with(&format!("# {rule} {name}\n\nDefault severity: {default}.")),
            "{text}"
        );
        let pitfall = if rule.starts_with("RC2") {
            "Pitfall 2"
        } else {
            "Pitfall 1"
        };
        for part in [
            "## What it checks",
            "## Why it matters",
            "## Example",
            "```yaml",
            pitfall,
        ] {
            assert!(text.contains(part), "{rule} lacks {part}");
        }
    }
}

#[test]
fn the_examples_pass_and_fail_these_rules_as_documented() {
    // The ready example passes every rule of both pitfalls strictly, RC208 included.
    let o = check(&[
        "examples/storefront/release.yaml",
        "--select",
        "RC2,RC3,RC208",
        "--strict",
        "--format",
        "json",
    ]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(findings(&report).is_empty());
    assert!(not_evaluated(&report).is_empty(), "{report:#}");
    // The not-ready example falls into both pitfalls. Not RC209: its payouts report shows a
    // failure (RC007), so only 1 of its 4 features counts as tested and documentation (2 of
    // 4) and training (1 of 4) do not trail testing.
    let (report, status) = json("examples/not-ready/release.yaml", &[]);
    assert_eq!(status, 1);
    let found = findings(&report);
    assert_eq!(report["manifests"][0]["coverage"]["tested"], 1);
    for code in [
        "RC201", "RC202", "RC203", "RC204", "RC205", "RC206", "RC207", "RC302", "RC303", "RC304",
        "RC305", "RC306",
    ] {
        assert!(
            found.iter().any(|f| f.starts_with(code)),
            "{code}: {found:#?}"
        );
    }
}
