//! Program manifests through the binary: products checked once each, program rules, the
//! products table and ship order, one JSON entry per manifest.

use crate::common::{check, json, stderr, stdout};

fn rules_of(manifest: &serde_json::Value) -> Vec<String> {
    manifest["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_ready_program_ships_in_dependency_order() {
    let o = check(&["tests/fixtures/program/ready/program.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(out.contains("Ship order: pay, then web"), "{out}");
    assert!(out.contains(
        "program Winter 2026 Release Train (tests/fixtures/program/ready/program.yaml): ready"
    ));
}

#[test]
fn json_has_one_entry_per_manifest_products_first() {
    let o = check(&[
        "tests/fixtures/program/ready/program.yaml",
        "--format",
        "json",
    ]);
    let j = json(&o);
    let manifests = j["manifests"].as_array().unwrap();
    let paths: Vec<&str> = manifests
        .iter()
        .map(|m| m["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "tests/fixtures/program/ready/web/release.yaml",
            "tests/fixtures/program/ready/pay/release.yaml",
            "tests/fixtures/program/ready/program.yaml",
        ]
    );
    let program = &manifests[2];
    assert_eq!(program["kind"], "program");
    assert!(
        program.get("coverage").is_none(),
        "programs carry no coverage"
    );
    assert_eq!(program["products"][0]["id"], "web");
    assert_eq!(program["products"][0]["state"], "ready");
    assert_eq!(program["products"][0]["depends_on"][0], "pay");
}

#[test]
fn a_folder_scan_checks_each_product_once() {
    let o = check(&["tests/fixtures/program/ready", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let j = json(&o);
    let paths: Vec<&str> = j["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 3, "{paths:?}");
    assert_eq!(paths[2], "tests/fixtures/program/ready/program.yaml");
}

#[test]
fn cycles_and_unknown_products() {
    let o = check(&[
        "tests/fixtures/program/cycle/program.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let j = json(&o);
    let program = j["manifests"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(rules_of(&program), ["RC503", "RC503", "RC503", "RC503"]);
    let messages: Vec<&str> = program["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages[0],
        "product 'web' is on the dependency cycle web -> pay -> ledger -> web"
    );
    assert_eq!(
        messages[3],
        "product 'search' depends on 'ghost', which is not a product of this program"
    );
    assert!(
        stdout(&check(&["tests/fixtures/program/cycle/program.yaml"]))
            .contains("Ship order: none, the dependencies form a cycle (RC503)")
    );
}

#[test]
fn missing_and_invalid_products_are_findings_and_block_dependents() {
    let o = check(&["tests/fixtures/program/broken/program.yaml"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a program with broken products is not ready; it was evaluated"
    );
    assert_eq!(stderr(&o), "");
    insta::assert_snapshot!("program_broken_human", stdout(&o));
    let j = json(&check(&[
        "tests/fixtures/program/broken/program.yaml",
        "--format",
        "json",
    ]));
    let program = j["manifests"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        rules_of(&program),
        ["RC502", "RC502", "RC505", "RC505", "RC504", "RC504"]
    );
    let states: Vec<&str> = program["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["state"].as_str().unwrap())
        .collect();
    // The first product is ready itself, but depends on the missing one: blocked, in JSON as
    // in every other format.
    assert_eq!(states, ["blocked", "missing", "invalid", "ready"]);
}

#[test]
fn the_shipped_program_example_is_ready() {
    let o = check(&["examples/winter-2026/program.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("Ship order: payments + search, then checkout"));
}

#[test]
fn a_product_manifest_outside_the_programs_folder_is_never_read() {
    let j = json(&check(&[
        "tests/fixtures/program/escape/program.yaml",
        "--format",
        "json",
    ]));
    let manifests = j["manifests"].as_array().unwrap();
    assert_eq!(manifests.len(), 1, "the escaping product is not checked");
    let program = &manifests[0];
    assert_eq!(rules_of(program), ["RC004"]);
    assert_eq!(
        program["findings"][0]["message"],
        "product 'web': its manifest tests/fixtures/program/escape/../ready/web/release.yaml leaves the program's folder (it climbs 1 folder above the root with '..'); relcheck did not read it"
    );
    assert_eq!(program["products"][0]["state"], "outside");
    assert_eq!(program["ready"], false);
}

/// A program in a temporary folder whose products' manifests do not exist, checked with
/// RC503 alone.
fn program_in(products: &str, waivers: &str) -> (tempfile::TempDir, serde_json::Value, i32) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("program.yaml"),
        format!(
            "relcheck: 1\nprogram:\n  id: p\n  name: P\n  date: 2026-12-15\n  products:\n{products}{waivers}"
        ),
    )
    .unwrap();
    let o = crate::common::check_in(
        dir.path(),
        &["program.yaml", "--select", "RC503", "--format", "json"],
    );
    let code = o.status.code().unwrap();
    (dir, json(&o), code)
}

#[test]
fn every_product_on_any_cycle_is_reported_and_waivers_cannot_hide_the_second_cycle() {
    // a -> b -> a and a -> c -> a: c lies on a cycle as much as b does.
    let products = "    - {id: a, manifest: a.yaml, depends_on: [b, c]}\n    - {id: b, manifest: b.yaml, depends_on: [a]}\n    - {id: c, manifest: c.yaml, depends_on: [a]}\n";
    let waiver = |id: &str| {
        format!("  - {{rule: RC503, subject: {id}, reason: shipped together, owner: Kim}}\n")
    };
    let waivers = format!("waivers:\n{}{}", waiver("a"), waiver("b"));
    let (_dir, j, code) = program_in(products, &waivers);
    let program = j["manifests"].as_array().unwrap().last().unwrap().clone();
    let open: Vec<&str> = program["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["waived"] != true)
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        open,
        ["product 'c' is on the dependency cycle c -> a -> c"],
        "{program}"
    );
    assert_eq!(code, 1, "c's cycle is not waived: not ready");
    assert_eq!(program["ready"], false);
}
