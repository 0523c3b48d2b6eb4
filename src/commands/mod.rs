//! Subcommands other than `check` (which is the pipeline in `lib.rs`).

pub mod completions;
pub mod explain;
pub mod init;
pub mod man;
pub mod rules;
pub mod schema;
