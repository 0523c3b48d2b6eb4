//! The release work-product rules (RC401, RC403-RC410) through the binary.

use serde_json::Value;

use crate::common::{check, code, json, not_evaluated, stderr, stdout};

const FIXTURES: &str = "tests/fixtures/work-products";

/// The work-product rules alone, as JSON.
fn json_rc4(manifest: &str) -> (i32, Value) {
    let o = check(&[manifest, "--select", "RC4", "--format", "json"]);
    assert_eq!(stderr(&o), "");
    (code(&o), json(&o))
}

/// `rule subject: message` per finding, in report order.
fn findings(json: &Value) -> Vec<String> {
    json["manifests"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}: {}",
                f["rule"].as_str().unwrap(),
                f["subject"].as_str().unwrap(),
                f["message"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn absent_work_products_fire_and_the_rest_is_not_evaluated() {
    let (code, json) = json_rc4(&format!("{FIXTURES}/missing/release.yaml"));
    assert_eq!(code, 1);
    assert_eq!(
        findings(&json),
        [
            "RC401 Missing 1.0: release 'Missing 1.0' has no deployment plan: the manifest has no deployment section",
            "RC403 Missing 1.0: release 'Missing 1.0' has no backout plan: the manifest has no deployment section",
            "RC405 Missing 1.0: release 'Missing 1.0' has no release communications: the manifest has no deployment section",
            "RC408 Missing 1.0: release 'Missing 1.0' names 0 of 3 release roles: no product owner, deployment engineer or deployment manager",
            "RC409 Missing 1.0: release 'Missing 1.0' has no approved sign-off (no approvals recorded)",
        ]
    );
    // Every finding points at the release mapping, where the missing keys belong.
    for f in json["manifests"][0]["findings"].as_array().unwrap() {
        assert_eq!(
            (f["line"].as_u64(), f["column"].as_u64()),
            (Some(4), Some(3))
        );
    }
    let ne = not_evaluated(&json);
    for expected in [
        "RC404: no backout plan given (deployment.backout)",
        "RC406: no release controls given (deployment.controls)",
        "RC407: no infrastructure items given (deployment.infrastructure)",
        "RC410: no release.freeze and no sprints given",
    ] {
        assert!(ne.iter().any(|n| n == expected), "{expected} not in {ne:?}");
    }
}

#[test]
fn the_actions_say_what_to_produce() {
    let o = check(&[
        &format!("{FIXTURES}/missing/release.yaml"),
        "--select",
        "RC4",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let steps = out.split("What to do next:\n").nth(1).unwrap();
    for action in [
        "  the release (Missing 1.0):\n",
        "    - write a deployment plan and link it as deployment.plan\n",
        "    - write a backout plan and link it as deployment.backout\n",
        "    - get the sign-off of the product owner and record it in release.approvals with status: approved\n",
        "    - name the product owner, deployment engineer and deployment manager in release.roles (product_owner, deployment_engineer, deployment_manager) (warning)\n",
    ] {
        assert!(steps.contains(action), "{action:?} not in\n{steps}");
    }
}

#[test]
fn unfinished_work_products_fire_each_rule() {
    let (code, json) = json_rc4(&format!("{FIXTURES}/unfinished/release.yaml"));
    assert_eq!(code, 1);
    assert_eq!(
        findings(&json),
        [
            "RC410 Unfinished 3.1: the scope freeze on 2026-12-18 is after the release date 2026-12-15",
            "RC408 Unfinished 3.1: release 'Unfinished 3.1' names 1 of 3 release roles: no deployment engineer or deployment manager",
            "RC409 Unfinished 3.1: release 'Unfinished 3.1' has no approved sign-off (2 approvals: 1 pending, 1 rejected)",
            "RC409 Unfinished 3.1: release 'Unfinished 3.1' was rejected by Kim Olsen (operations) on 2026-11-24",
            "RC410 Unfinished 3.1: sprint S1 ends on 2026-10-30, before it starts on 2026-11-02",
            "RC410 Unfinished 3.1: release sprint R1 ends on 2026-12-18, after the release date 2026-12-15",
            "RC404 Unfinished 3.1: the backout plan 'docs/backout-plan.md' of release 'Unfinished 3.1' is not tested (tested: false)",
            "RC406 Security review: release control 'Security review' is not met (1 of 2 controls not met)",
            "RC407 carts-db-v3: infrastructure item 'carts-db-v3' is installed, not validated (0 of 2 items validated)",
            "RC407 cdn-edge: infrastructure item 'cdn-edge' is planned, not validated (0 of 2 items validated)",
        ]
    );
    // The waiver names one infrastructure item by its name: only that finding is waived.
    let waived: Vec<&str> = json["manifests"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["waived"] == true)
        .map(|f| f["subject"].as_str().unwrap())
        .collect();
    assert_eq!(waived, ["cdn-edge"]);
    assert_eq!(json["summary"]["waived"], 1);
    assert!(!not_evaluated(&json).iter().any(|n| n.starts_with("RC404")
        || n.starts_with("RC406")
        || n.starts_with("RC407")
        || n.starts_with("RC410")));
    insta::assert_snapshot!(
        "work_products_unfinished_json",
        stdout(&check(&[
            &format!("{FIXTURES}/unfinished/release.yaml"),
            "--select",
            "RC4",
            "--format",
            "json",
        ]))
    );
}

#[test]
fn complete_work_products_are_ready() {
    let (code, json) = json_rc4(&format!("{FIXTURES}/complete/release.yaml"));
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(findings(&json), Vec::<String>::new());
    assert_eq!(not_evaluated(&json), Vec::<String>::new());
}

#[test]
fn the_shipped_examples() {
    // The ready storefront has every work product; the not-ready marketplace lacks most.
    let (code, json) = json_rc4("examples/storefront/release.yaml");
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(findings(&json), Vec::<String>::new());
    let (code, json) = json_rc4("examples/not-ready/release.yaml");
    assert_eq!(code, 1);
    let rules: Vec<String> = findings(&json).iter().map(|f| f[..5].to_owned()).collect();
    assert_eq!(
        rules,
        [
            "RC408", "RC409", "RC403", "RC405", "RC402", "RC402", "RC402", "RC402", "RC402",
            "RC402", "RC406", "RC407"
        ]
    );
}

#[test]
fn a_deployment_plan_without_a_topic_heading_is_incomplete() {
    let (_, json) = json_rc4("tests/fixtures/work-products/plan/release.yaml");
    let rc402: Vec<String> = findings(&json)
        .into_iter()
        .filter(|f| f.starts_with("RC402"))
        .collect();
    assert_eq!(
        rc402,
        [
            "RC402 Plan 2.0: the deployment plan docs/deployment-plan.md has no heading about 'approval': who approves the release as ready for production (4 headings found)",
            "RC402 Plan 2.0: the deployment plan docs/deployment-plan.md has no heading about 'rollback' (4 headings found)",
        ]
    );
}
