//! The `relcheck` binary: parse the command line, run, map the result to an exit code.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = relcheck::cli::Cli::parse();
    let stdout = std::io::stdout();
    let tty = stdout.is_terminal();
    let mut out = stdout.lock();
    let mut err = std::io::stderr().lock();
    match relcheck::run(cli, &mut out, &mut err, tty) {
        Ok(status) => ExitCode::from(status as u8),
        Err(e) => {
            // relcheck prints its own errors: no backtrace dump, the same text everywhere.
            // A message may quote a file name or an argument: its control characters are
            // shown as escapes, so it cannot move the cursor or start a line of its own.
            let message = format!("{e:#}");
            let _ = writeln!(
                err,
                "error: {}",
                relcheck::report::escape::terminal(&message)
            );
            ExitCode::from(relcheck::Status::Error as u8)
        }
    }
}
