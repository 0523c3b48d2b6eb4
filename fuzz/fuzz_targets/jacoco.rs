//! Fuzzes the streaming JaCoCo XML reader (`src/evidence/jacoco.rs`), relcheck's read of a
//! `coverage:` report around it (the format recognised from the content), and the
//! resolution of the reported files to identities under a fixed evidence root. The oracles
//! are in `tests/oracles/coverage.rs`, shared with the regression tests.

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/oracles/coverage.rs"]
mod oracle;

/// The evidence root, laid out once per process under `$RELCHECK_FUZZ_DIR` (or the
/// temporary folder).
fn root() -> &'static PathBuf {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let dir = std::env::var_os("RELCHECK_FUZZ_DIR")
            .map_or_else(std::env::temp_dir, PathBuf::from)
            .join(format!("jacoco-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let root = dir.join("root");
        oracle::make_root(&root, &dir.join("outside"));
        root
    })
}

fuzz_target!(|data: &[u8]| oracle::check(oracle::Format::Jacoco, "input", data, root()));
