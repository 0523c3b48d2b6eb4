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

/// The evidence root, laid out once per process in the temporary folder, in a folder of
/// its own: not under `$RELCHECK_FUZZ_DIR`, which every `scripts/fuzz.sh` deletes when it
/// starts (a run from another checkout deleted a running target's root).
fn root() -> &'static PathBuf {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("relcheck-fuzz-jacoco-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let root = dir.join("root");
        oracle::make_root(&root, &dir.join("outside"));
        root
    })
}

fuzz_target!(|data: &[u8]| oracle::check(oracle::Format::Jacoco, "input", data, root()));
