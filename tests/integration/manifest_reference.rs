//! The format reference, `docs/manifest.md`, kept true: it documents every key of the JSON
//! Schema and no other, its YAML examples load, and together they use every key. Also the
//! help of `check`, which names the manifest files a folder scan picks up.

use std::collections::BTreeSet;

use relcheck::manifest::{Manifest, json_schema, parse, to_json};
use serde_json::Value;

use crate::common::{check_in, code, crate_dir, json, run, stderr, stdout};

const REFERENCE: &str = "docs/manifest.md";

fn reference() -> String {
    std::fs::read_to_string(crate_dir().join(REFERENCE)).unwrap()
}

// ---- key paths ----

/// `parent.key`, or `key` at the top.
fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
    }
}

/// Every key path of a schema (`release.approvals[].by`): `properties` name keys, `items`
/// add `[]`, and `$ref`s (into `$defs` or `definitions`), `anyOf`, `oneOf` and `allOf` are
/// followed. `refs` holds the references being followed, so a recursive schema ends.
fn schema_keys(root: &Value, node: &Value, prefix: &str, refs: &mut Vec<String>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(reference) = node.get("$ref").and_then(Value::as_str)
        && !refs.iter().any(|r| r == reference)
    {
        let target = reference
            .strip_prefix('#')
            .and_then(|pointer| root.pointer(pointer))
            .unwrap_or_else(|| panic!("the schema's $ref {reference} leads nowhere"));
        refs.push(reference.to_owned());
        out.extend(schema_keys(root, target, prefix, refs));
        refs.pop();
    }
    for combinator in ["anyOf", "oneOf", "allOf"] {
        for variant in node
            .get(combinator)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            out.extend(schema_keys(root, variant, prefix, refs));
        }
    }
    if let Some(properties) = node.get("properties").and_then(Value::as_object) {
        for (key, value) in properties {
            let path = join(prefix, key);
            out.push(path.clone());
            out.extend(schema_keys(root, value, &path, refs));
        }
    }
    if let Some(items) = node.get("items") {
        out.extend(schema_keys(root, items, &format!("{prefix}[]"), refs));
    }
    out
}

/// The key paths of the schema `relcheck schema` prints.
fn schema_key_set() -> BTreeSet<String> {
    let schema = json_schema();
    schema_keys(&schema, &schema, "", &mut Vec::new())
        .into_iter()
        .collect()
}

/// The cells of a Markdown table row.
fn cells(row: &str) -> Vec<&str> {
    let row = row.trim().trim_start_matches('|').trim_end_matches('|');
    row.split('|').map(str::trim).collect()
}

/// The keys the reference documents: the first cell of every row of its key tables (the
/// tables whose first column is `key`), each a key path in backticks.
fn documented_keys(doc: &str) -> Result<BTreeSet<String>, String> {
    let mut keys = BTreeSet::new();
    let mut lines = doc.lines().enumerate();
    while let Some((_, line)) = lines.next() {
        if !(line.starts_with('|') && cells(line).first() == Some(&"key")) {
            continue;
        }
        for (n, row) in lines.by_ref() {
            if !row.starts_with('|') {
                break;
            }
            let first = cells(row)[0];
            if first.chars().all(|c| matches!(c, '-' | ':')) {
                continue; // the header's separator row
            }
            let key = first
                .strip_prefix('`')
                .and_then(|k| k.strip_suffix('`'))
                .filter(|k| !k.is_empty() && !k.contains('`'))
                .ok_or_else(|| {
                    format!(
                        "{REFERENCE}:{}: a key table's row must start with a key path in backticks, found {first:?}",
                        n + 1
                    )
                })?;
            keys.insert(key.to_owned());
        }
    }
    Ok(keys)
}

/// The schema's keys `documented` lacks and the keys it has beyond the schema's, as a
/// message (empty when they agree).
fn mismatch(schema: &BTreeSet<String>, documented: &BTreeSet<String>) -> String {
    let list = |keys: Vec<&String>| {
        keys.iter()
            .map(|k| format!("  {k}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let missing: Vec<&String> = schema.difference(documented).collect();
    let stale: Vec<&String> = documented.difference(schema).collect();
    let mut message = String::new();
    if !missing.is_empty() {
        message += &format!(
            "keys of the JSON Schema that {REFERENCE} does not document (add a row to the key table of their section):\n{}\n",
            list(missing)
        );
    }
    if !stale.is_empty() {
        message += &format!(
            "keys documented in {REFERENCE} that the JSON Schema does not have (stale: remove or rename them):\n{}\n",
            list(stale)
        );
    }
    message
}

#[test]
fn the_schema_walk_finds_nested_keys() {
    let keys = schema_key_set();
    for key in [
        "relcheck",
        "release.approvals[].by",
        "features[].defects.critical",
        "deployment.backout.tested",
        "policy.rules",
        "waivers[].expires",
        "program.products[].depends_on",
    ] {
        assert!(keys.contains(key), "{key} not found in {keys:?}");
    }
    assert!(!keys.iter().any(|k| k.contains("x-")), "{keys:?}");
}

#[test]
fn the_reference_documents_every_schema_key_and_no_other() {
    let documented = documented_keys(&reference()).unwrap_or_else(|e| panic!("{e}"));
    let message = mismatch(&schema_key_set(), &documented);
    assert!(message.is_empty(), "{message}");
}

#[test]
fn the_comparison_names_missing_and_stale_keys() {
    let doc = "| key | type |\n|---|---|\n| `release` | mapping |\n| `release.nmae` | string |\n";
    let documented = documented_keys(doc).unwrap();
    let schema: BTreeSet<String> = ["release", "release.name"].map(String::from).into();
    let message = mismatch(&schema, &documented);
    assert!(
        message.contains("does not document") && message.contains("  release.name\n"),
        "{message}"
    );
    assert!(
        message.contains("stale") && message.contains("  release.nmae\n"),
        "{message}"
    );
    let bad = documented_keys("| key | type |\n|---|---|\n| release | mapping |\n");
    assert!(
        bad.as_ref()
            .is_err_and(|e| e.contains(":3: a key table's row must start with a key path")),
        "{bad:?}"
    );
}

// ---- the examples ----

/// The YAML code blocks of the reference, with the line each starts on.
fn yaml_blocks(doc: &str) -> Vec<(usize, String)> {
    let mut blocks = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (n, line) in doc.lines().enumerate() {
        match &mut open {
            None if line.trim_end() == "```yaml" => open = Some((n + 2, String::new())),
            None => {}
            Some(_) if line.trim_end() == "```" => blocks.extend(open.take()),
            Some((_, text)) => {
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    assert!(open.is_none(), "{REFERENCE}: a ```yaml block is not closed");
    blocks
}

/// Every key path a YAML value uses (`x-` keys left out).
fn value_keys(value: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter().filter(|(k, _)| !k.starts_with("x-")) {
                let path = join(prefix, key);
                value_keys(v, &path, out);
                out.insert(path);
            }
        }
        Value::Array(items) => {
            for item in items {
                value_keys(item, &format!("{prefix}[]"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn the_examples_load_and_use_every_key() {
    let doc = reference();
    let blocks = yaml_blocks(&doc);
    let (mut releases, mut programs) = (0, 0);
    let mut used = BTreeSet::new();
    for (line, text) in &blocks {
        let shown = format!("{REFERENCE}:{line} (example)");
        match parse(text, &shown) {
            Ok(Manifest::Release(_)) => releases += 1,
            Ok(Manifest::Program(_)) => programs += 1,
            Err(e) => panic!("the example at {shown} does not load: {e:?}"),
        }
        value_keys(&to_json(text, &shown).unwrap(), "", &mut used);
    }
    assert!(
        releases >= 1 && programs >= 1,
        "{REFERENCE} should hold a complete release example and a program example"
    );
    let unused: Vec<String> = schema_key_set().difference(&used).cloned().collect();
    assert!(
        unused.is_empty(),
        "the examples in {REFERENCE} are not complete; no example uses: {}",
        unused.join(", ")
    );
}

#[test]
fn the_examples_pass_the_whole_load() {
    // `check` also validates policy.rules and waivers (rules that exist, integrity rules
    // neither lowered nor waived): an example must get a verdict, never exit 2.
    for (line, text) in yaml_blocks(&reference()) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("example.yaml"), &text).unwrap();
        let o = check_in(dir.path(), &["example.yaml", "--format", "json"]);
        assert!(
            matches!(code(&o), 0 | 1) && stderr(&o).is_empty(),
            "the example at {REFERENCE}:{line} does not load: exit {}\n{}",
            code(&o),
            stderr(&o)
        );
        assert_eq!(json(&o)["manifests"].as_array().map(Vec::len), Some(1));
    }
}

// ---- check --help ----

/// The manifest file names `check --help` lists (`release.yaml`, `*.program.yml`, ...).
fn help_names(help: &str) -> BTreeSet<String> {
    help.split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')' | ';'))
        .filter(|w| {
            let stem = w.strip_prefix("*.").unwrap_or(w);
            ["release", "program"].iter().any(|kind| {
                [".yaml", ".yml"]
                    .iter()
                    .any(|ext| stem == format!("{kind}{ext}"))
            })
        })
        .map(str::to_owned)
        .collect()
}

#[test]
fn check_help_names_release_and_program_manifests() {
    let help = stdout(&run(&["check", "--help"]));
    let expected: BTreeSet<String> = [
        "release.yaml",
        "release.yml",
        "*.release.yaml",
        "*.release.yml",
        "program.yaml",
        "program.yml",
        "*.program.yaml",
        "*.program.yml",
    ]
    .map(String::from)
    .into();
    assert_eq!(help_names(&help), expected, "{help}");
    let words = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("program manifests"), "{help}");
}

#[test]
fn a_folder_scan_finds_every_name_the_help_lists() {
    let help = stdout(&run(&["check", "--help"]));
    let dir = tempfile::tempdir().unwrap();
    let manifest = "relcheck: 1\nrelease:\n  name: R\n  date: 2026-12-15\n";
    let names = help_names(&help);
    for (i, name) in names.iter().enumerate() {
        // Each in its own folder: release.yaml and release.yml would otherwise sit together.
        let folder = dir.path().join(format!("m{i}"));
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(folder.join(name.replace('*', "app")), manifest).unwrap();
    }
    // Names a scan leaves alone.
    std::fs::write(dir.path().join("notes.yaml"), manifest).unwrap();
    std::fs::write(dir.path().join("myprogram.yaml"), manifest).unwrap();
    let o = check_in(dir.path(), &[".", "--format", "json"]);
    assert_eq!(stderr(&o), "");
    let found: Vec<String> = json(&o)["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["path"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(found.len(), names.len(), "{found:?}");
    assert!(
        !found
            .iter()
            .any(|p| p.ends_with("notes.yaml") || p.ends_with("myprogram.yaml")),
        "{found:?}"
    );
}
