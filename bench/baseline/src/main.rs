//! Benchmark baselines for `scripts/bench.sh`.
//!
//! `relcheck-bench-baseline serde-yaml FILE` parses a release manifest with serde_yaml into
//! plain typed structs (the comparison the performance targets name);
//! `relcheck-bench-baseline relcheck-load FILE` runs relcheck's own loader and nothing else.
//!
//! Two more modes measure the alternatives for relcheck's YAML layer (docs/performance.md):
//! `saphyr-typed` parses with serde-saphyr (relcheck's former YAML crate) into the same plain structs
//! as `serde-yaml`, without positions, limits or strict keys; `granit-events` only pulls the
//! events of granit-parser (the parser relcheck's loader reads), the floor for any loader on it.
//! Both leave the free-form sections (`deployment`, `policy`, `waivers`, roles, approvals)
//! unread (`IgnoredAny`), where `serde-yaml` builds values: a small advantage to them.

use std::process::ExitCode;

use serde::Deserialize;
use serde::de::IgnoredAny;

#[allow(dead_code)]
#[derive(Deserialize)]
struct Manifest<V> {
    relcheck: u32,
    release: Release<V>,
    #[serde(default)]
    sprints: Vec<Sprint>,
    #[serde(default)]
    features: Vec<Feature>,
    #[serde(default)]
    tests: Vec<Test>,
    #[serde(default)]
    docs: Vec<Doc>,
    #[serde(default)]
    training: Vec<Training>,
    deployment: Option<V>,
    policy: Option<V>,
    #[serde(default)]
    waivers: Vec<V>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Release<V> {
    name: String,
    version: Option<String>,
    date: String,
    freeze: Option<String>,
    program: Option<String>,
    roles: Option<V>,
    approvals: Option<V>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Sprint {
    id: String,
    kind: String,
    start: String,
    end: String,
    planned: Option<f64>,
    completed: Option<f64>,
    hours_per_week: Option<f64>,
    hours_per_day: Option<f64>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Feature {
    id: String,
    title: Option<String>,
    status: String,
    maturity: Option<String>,
    added: Option<String>,
    sprint: Option<String>,
    user_facing: Option<bool>,
    #[serde(default)]
    tests: Vec<String>,
    #[serde(default)]
    docs: Vec<String>,
    #[serde(default)]
    training: Vec<String>,
    defects: Option<Defects>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Defects {
    critical: Option<u32>,
    major: Option<u32>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Test {
    id: String,
    kind: String,
    status: String,
    report: Option<String>,
    suite: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Doc {
    id: String,
    kind: String,
    path: Option<String>,
    url: Option<String>,
    status: String,
    reviewed: Option<bool>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Training {
    id: String,
    audience: String,
    path: Option<String>,
    url: Option<String>,
    status: String,
    session: Option<String>,
    reviewed: Option<bool>,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(mode), Some(file)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: relcheck-bench-baseline serde-yaml|relcheck-load|saphyr-typed|granit-events FILE");
        return ExitCode::from(2);
    };
    match mode.as_str() {
        "serde-yaml" => {
            let Some(text) = read(file) else {
                return ExitCode::from(2);
            };
            match serde_yaml::from_str::<Manifest<serde_yaml::Value>>(&text) {
                Ok(m) => println!("{} features", m.features.len()),
                Err(e) => {
                    eprintln!("{file}: {e}");
                    return ExitCode::from(2);
                }
            }
        }
        "saphyr-typed" => {
            let Some(text) = read(file) else {
                return ExitCode::from(2);
            };
            let options = serde_saphyr::options! { budget: None };
            match serde_saphyr::from_str_with_options::<Manifest<IgnoredAny>>(&text, options) {
                Ok(m) => println!("{} features", m.features.len()),
                Err(e) => {
                    eprintln!("{file}: {e}");
                    return ExitCode::from(2);
                }
            }
        }
        "granit-events" => {
            let Some(text) = read(file) else {
                return ExitCode::from(2);
            };
            let mut parser = granit_parser::Parser::new_from_str(&text);
            let mut events = 0u64;
            while let Some(event) = parser.next_event() {
                if let Err(e) = event {
                    eprintln!("{file}: {e}");
                    return ExitCode::from(2);
                }
                events += 1;
            }
            println!("{events} events");
        }
        "relcheck-load" => match relcheck::manifest::load(std::path::Path::new(file), file) {
            Ok(relcheck::manifest::Manifest::Release(r)) => println!("{} features", r.features.len()),
            Ok(_) => println!("a program"),
            Err(errors) => {
                for e in errors {
                    eprintln!("{e}");
                }
                return ExitCode::from(2);
            }
        },
        other => {
            eprintln!("unknown mode {other}");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}

fn read(file: &str) -> Option<String> {
    std::fs::read_to_string(file)
        .map_err(|e| eprintln!("{file}: {e}"))
        .ok()
}
