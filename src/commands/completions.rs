//! `relcheck completions SHELL`: a shell completion script (clap_complete).

use std::io::Write;

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::{Status, ignore_broken_pipe};

pub fn run(args: &CompletionsArgs, out: &mut dyn Write) -> Result<Status> {
    // Generated into memory first: clap_complete panics on a write error (a closed pipe).
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "relcheck", &mut script);
    ignore_broken_pipe(out.write_all(&script))?;
    Ok(Status::Ready)
}
