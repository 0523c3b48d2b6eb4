//! Fuzzes the streaming JUnit reader (`src/evidence/junit.rs`) and the one-pass file read
//! around it (`relcheck::evidence::files::read_content`: the XML sniff, the prefix kept for
//! the text checks, the placeholder scan). The oracles are in `tests/oracles/junit.rs`,
//! shared with the regression tests.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/oracles/junit.rs"]
mod oracle;

fuzz_target!(|data: &[u8]| oracle::check("input", data));
