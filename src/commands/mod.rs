//! Subcommands other than `check` (which is the pipeline in `lib.rs`).

pub mod explain;
pub mod rules;
