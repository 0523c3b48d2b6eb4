//! `relcheck completions SHELL`: a shell completion script (clap_complete).

use std::io::Write;

use anyhow::Result;
use clap::CommandFactory;

use crate::Status;
use crate::cli::{Cli, CompletionsArgs};

pub(crate) fn run(args: &CompletionsArgs, out: &mut dyn Write) -> Result<Status> {
    // Generated into memory first: clap_complete panics on a write error (a closed pipe).
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "relcheck", &mut script);
    out.write_all(&script)?;
    Ok(Status::Ready)
}
