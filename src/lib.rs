//! relcheck: the release-readiness gate.
//!
//! Teams that work in sprints end with a *release sprint*: they harden, document, train and
//! prepare deployment so that only mature, well tested features reach production, calmly.
//! relcheck reads a release manifest that describes such a release and checks it against
//! that practice.
//!
//! The pipeline, for each manifest:
//! 1. [`manifest::load`] reads and validates the YAML into the typed model;
//! 2. [`engine::Plan`] decides which rules run and at what severity;
//! 3. [`context::Context`] indexes the manifest once (ids, policy, today) and resolves its
//!    [`evidence`] on disk (paths confined to the root, files, folders, JUnit reports);
//! 4. [`engine::check_release`] runs the [`rules`], applies waivers, and sorts findings;
//! 5. [`report`] renders the outcome in the format asked for.

pub mod cli;
mod clock;
pub mod context;
pub mod engine;
pub mod evidence;
mod git;
pub mod manifest;
pub mod output;
pub mod program;
pub mod report;
pub mod rule;
pub mod rules;
pub mod suggest;
pub mod waiver;

mod commands;
mod discover;
pub mod pipeline;

#[cfg(test)]
mod testing;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use cli::{CheckArgs, Cli, ColorChoice, Command};
use engine::Selection;
use report::Report;

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

/// Runs a parsed command line. `out` gets reports; `err` gets per-manifest load errors.
/// An `Err` is a usage error (exit 2), printed by `main`.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write, out_is_tty: bool) -> Result<Status> {
    match cli.command {
        Command::Check(args) => check(&args, out, err, out_is_tty),
        Command::Rules(args) => commands::rules::run(&args, out),
        Command::Explain(args) => commands::explain::run(&args, out),
        Command::Init(args) => commands::init::run(&args, out, err),
        Command::Schema => commands::schema::run(out),
        Command::Completions(args) => commands::completions::run(&args, out),
        Command::Man(args) => commands::man::run(&args, out),
    }
}

fn use_color(choice: ColorChoice, to_file: bool, out_is_tty: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            !no_color && !to_file && out_is_tty
        }
    }
}

fn check(
    args: &CheckArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
    out_is_tty: bool,
) -> Result<Status> {
    let selection = Selection::new(&args.select, &args.ignore)?;
    check_report_files(args)?;
    let today = clock::today_or(args.today.as_deref())?;
    if let Some(root) = args.root.as_ref().filter(|r| !r.is_dir()) {
        bail!("--root {}: not a folder", root.display());
    }
    let baseline_shown = args.baseline.as_ref().map(|p| p.display().to_string());
    let baseline = match (&args.baseline, &baseline_shown) {
        (Some(path), Some(shown)) => match pipeline::load_baseline(path, shown) {
            Ok(release) => Some((release, shown.as_str())),
            Err(e) => {
                // Nothing is checked against a baseline that cannot be read.
                writeln!(err, "{e}")?;
                return Ok(Status::Error);
            }
        },
        _ => None,
    };
    let (targets, missing) = discover::targets(&args.paths, err)?;
    let settings = pipeline::Settings {
        selection: &selection,
        today,
        strict: args.strict,
        root: args.root.as_deref(),
        cache: &evidence::Cache::new(),
        baseline: match (&baseline, &args.baseline_ref) {
            (Some((r, shown)), _) => Some(pipeline::BaselineSpec::File(r, shown)),
            (None, Some(gitref)) => Some(pipeline::BaselineSpec::GitRef(gitref)),
            (None, None) => None,
        },
    };
    let (units, failed) = pipeline::load_all(&targets, &settings, err)?;
    let failed = failed || missing;
    if units.is_empty() {
        return Ok(Status::Error);
    }
    let report = Report {
        manifests: pipeline::check_all(&units, &settings),
        strict: args.strict,
    };

    let color = use_color(args.color, args.output.is_some(), out_is_tty);
    match &args.output {
        Some(file) => {
            output::write_atomic(file, |w| report::render(&report, args.format, false, w))
                .with_context(|| format!("cannot write the report to {}", file.display()))?
        }
        None => {
            // Standard output is line-buffered: a large JSON report would cost a write per
            // line. Buffered, it is written in 64 KiB blocks.
            let mut buffered = io::BufWriter::with_capacity(1 << 16, out);
            ignore_broken_pipe(
                report::render(&report, args.format, color, &mut buffered)
                    .and_then(|()| buffered.flush()),
            )?
        }
    }
    for target in &args.reports {
        output::write_atomic(&target.file, |w| {
            report::render(&report, target.format, false, w)
        })
        .with_context(|| {
            format!(
                "cannot write the {} report to {}",
                target.format.name(),
                target.file.display()
            )
        })?;
    }

    Ok(if failed {
        Status::Error
    } else if report.ready() {
        Status::Ready
    } else {
        Status::NotReady
    })
}

/// Two reports to one file would overwrite each other: a usage error, caught before checking.
fn check_report_files(args: &CheckArgs) -> Result<()> {
    let mut seen: Vec<&Path> = args.output.iter().map(PathBuf::as_path).collect();
    for target in &args.reports {
        if seen.contains(&target.file.as_path()) {
            bail!(
                "--report {}={}: another report is already written to {}",
                target.format.name(),
                target.file.display(),
                target.file.display()
            );
        }
        seen.push(&target.file);
    }
    Ok(())
}

/// A reader that stopped reading (`relcheck check | head`) is not an error.
pub(crate) fn ignore_broken_pipe(r: io::Result<()>) -> io::Result<()> {
    match r {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
