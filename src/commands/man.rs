//! `relcheck man [COMMAND]`: a manual page in roff (clap_mangen).

use std::io::Write;

use anyhow::{Result, bail};
use clap::CommandFactory;

use crate::Status;
use crate::cli::{Cli, ManArgs};

pub(crate) fn run(args: &ManArgs, out: &mut dyn Write) -> Result<Status> {
    let mut cmd = Cli::command();
    // Building names the subcommands' pages and synopses (relcheck-check, `relcheck check`).
    cmd.build();
    let page = match &args.command {
        None => cmd,
        Some(name) => {
            if let Some(sub) = cmd.find_subcommand(name) {
                sub.clone()
            } else {
                let names: Vec<&str> = cmd
                    .get_subcommands()
                    .map(clap::Command::get_name)
                    .filter(|n| *n != "help")
                    .collect();
                bail!(
                    "no subcommand '{name}', expected one of: {}",
                    names.join(", ")
                );
            }
        }
    };
    let mut roff = Vec::new();
    clap_mangen::Man::new(page).render(&mut roff)?;
    out.write_all(&roff)?;
    Ok(Status::Ready)
}
