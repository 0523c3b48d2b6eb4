//! Benchmark baselines for `scripts/bench.sh`.
//!
//! `relcheck-bench-baseline serde-yaml FILE` parses a release manifest with serde_yaml into
//! plain typed structs (the comparison the performance targets name);
//! `relcheck-bench-baseline relcheck-load FILE` runs relcheck's own loader and nothing else.

use std::process::ExitCode;

use serde::Deserialize;

#[allow(dead_code)]
#[derive(Deserialize)]
struct Manifest {
    relcheck: u32,
    release: Release,
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
    deployment: Option<serde_yaml::Value>,
    policy: Option<serde_yaml::Value>,
    #[serde(default)]
    waivers: Vec<serde_yaml::Value>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Release {
    name: String,
    version: Option<String>,
    date: String,
    freeze: Option<String>,
    program: Option<String>,
    roles: Option<serde_yaml::Value>,
    approvals: Option<serde_yaml::Value>,
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
        eprintln!("usage: relcheck-bench-baseline serde-yaml|relcheck-load FILE");
        return ExitCode::from(2);
    };
    match mode.as_str() {
        "serde-yaml" => {
            let text = match std::fs::read_to_string(file) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("{file}: {e}");
                    return ExitCode::from(2);
                }
            };
            match serde_yaml::from_str::<Manifest>(&text) {
                Ok(m) => println!("{} features", m.features.len()),
                Err(e) => {
                    eprintln!("{file}: {e}");
                    return ExitCode::from(2);
                }
            }
        }
        "relcheck-load" => match relcheck::manifest::load(std::path::Path::new(file), file) {
            Ok(relcheck::manifest::Manifest::Release(r)) => println!("{} features", r.features.len()),
            Ok(_) => println!("a program"),
            Err(e) => {
                eprintln!("{e}");
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
