//! The integration tests, in one test binary (`cargo test --test integration`): a module per
//! concern, the helpers they share in [`common`]. Run one module with
//! `cargo test --test integration hostile::`.
#![allow(clippy::unwrap_used)]

mod common;

mod baseline_ref;
mod cli;
mod determinism;
mod everyday;
mod evidence;
mod evidence_producers;
mod formats;
mod fuzz_regressions;
mod hostile;
mod integrations;
mod lifecycle;
mod loader_robustness;
mod machine_formats;
mod manifest_reference;
mod more_formats;
mod new_since;
mod new_since_programs;
mod programs;
mod properties;
mod rules_docs_pace;
mod rules_hardening;
mod settings;
mod test_evidence;
mod usage;
mod work_products;
