//! relcheck: the release-readiness gate.
//!
//! Teams that work in sprints end with a *release sprint*: they harden, document, train and
//! prepare deployment so that only mature, well tested features reach production, calmly.
//! relcheck reads a release manifest that describes such a release and checks it against
//! that practice.
//!
//! A check flows one way (`docs/architecture.md` has the module map):
//! 1. [`workspace::load`] reads every manifest named (and each program's products) with
//!    [`manifest::load`], and plans each check ([`engine::Plan`]: which rules run, at what
//!    severity, which waivers are valid);
//! 2. [`check::check_workspace`] builds a [`context::Context`] per release (ids indexed once,
//!    its [`evidence`] resolved on disk, confined to the root) and runs the engine;
//! 3. [`engine`] runs the [`rules`], applies waivers and decides the verdict;
//! 4. [`report`] renders the outcome in the format asked for; reports only read it.

pub mod check;
pub mod cli;
mod clock;
mod commands;
pub mod context;
mod discover;
pub mod engine;
pub mod evidence;
mod git;
pub mod hash;
pub mod manifest;
mod par;
pub mod policy;
pub mod program;
pub mod report;
pub mod rule;
pub mod rules;
pub mod schedule;
pub mod settings;
mod suggest;
mod waiver;
pub mod workspace;

#[cfg(test)]
mod testing;

use std::io::{self, Write};

use anyhow::Result;

use cli::{Cli, Command};

/// How a run ended; the process exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Status {
    /// Every manifest is ready.
    Ready = 0,
    /// At least one manifest is not ready.
    NotReady = 1,
    /// Something could not be evaluated: usage error, unreadable or invalid manifest.
    Error = 2,
}

/// Runs a parsed command line. `out` gets reports; `err` gets per-manifest load errors;
/// `check -` reads the process's standard input. An `Err` is a usage error (exit 2), printed
/// by `main`; `check` has already rendered it in a machine format's shape where one was asked
/// for. A reader that stops reading
/// (`relcheck check | head`) is not an error: the rest of the output is dropped and the
/// command still ends with its own status (a report file is still written).
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write, out_is_tty: bool) -> Result<Status> {
    let out = &mut PipeGuard {
        inner: out,
        closed: false,
    };
    match cli.command {
        Command::Check(args) => commands::check::execute(&args, out, err, out_is_tty),
        Command::Rules(args) => commands::rules::run(&args, out),
        Command::Explain(args) => commands::explain::run(&args, out),
        Command::Init(args) => commands::init::run(&args, out, err),
        Command::Schema => commands::schema::run(out),
        Command::Completions(args) => commands::completions::run(&args, out),
        Command::Man(args) => commands::man::run(&args, out),
    }
}

/// Standard output that a reader closed: writes after a broken pipe are dropped, once here
/// rather than at every call site.
struct PipeGuard<'a> {
    inner: &'a mut dyn Write,
    closed: bool,
}

impl Write for PipeGuard<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        match self.inner.write(buf) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(buf.len())
            }
            other => other,
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        match self.inner.flush() {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            other => other,
        }
    }
}
