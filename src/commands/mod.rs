//! The subcommands, one module each: each parses nothing (clap did), calls the library and
//! returns the exit status.

pub(crate) mod check;
pub(crate) mod completions;
pub(crate) mod explain;
pub(crate) mod init;
pub(crate) mod man;
pub(crate) mod rules;
pub(crate) mod schema;
