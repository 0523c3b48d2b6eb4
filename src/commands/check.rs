//! `relcheck check`: find the manifests, load them into a workspace, check it, write the
//! reports, and map the verdict to the exit status.
//!
//! A run that stops on an error before its report is written (a usage error such as an
//! unknown rule in `--select`, or no manifest found; an invalid `--baseline`) also says so in
//! the shape of a machine format ([`report::Format::has_error_shape`]): on standard output
//! when the report goes there, and in each report file (`--output`, `--report`) that does not
//! exist yet, except a SARIF file. An existing file is left as it was: a run that stopped
//! before reading anything cannot tell whether it is a file the check would read (a manifest,
//! a JUnit report), which a report must never replace. A SARIF file is not written because
//! its usual reader, GitHub's `upload-sarif`, refuses a run without results (a run that did
//! not check has none) and would read an empty list as every alert fixed. `main` prints the
//! message on standard error as well; the exit status is 2. Clap's own errors (an unknown
//! option, a missing value) stop the run before relcheck knows the format, and stay clap's.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use crate::check::{self, Settings};
use crate::cli::{CheckArgs, ColorChoice, GateArg};
use crate::engine::{Gate, GateKind, RunVerdict};
use crate::manifest::LoadError;
use crate::policy::Selection;
use crate::report::file;
use crate::report::{self, Format, Report};
use crate::workspace::{self, BaselineSpec, LoadSettings};
use crate::{Status, clock, discover, evidence};

/// Runs `relcheck check` ([`run`]); an error that stops it before its report is written also
/// goes to where the report would have (see the module documentation).
pub(crate) fn execute(
    args: &CheckArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
    out_is_tty: bool,
) -> Result<Status> {
    let mut watched = Watched {
        inner: out,
        written: false,
    };
    let result = run(args, &mut watched, err, out_is_tty);
    if let Err(e) = &result {
        let stdout = (!watched.written).then_some(watched.inner);
        // The run's own error is the one to report: failing to also render it is not news.
        let _ = stopped(args, stdout, |format, w| {
            report::render_usage_error(format, gate(args), &format!("{e:#}"), w)
        });
    }
    result
}

pub(crate) fn run(
    args: &CheckArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
    out_is_tty: bool,
) -> Result<Status> {
    if args.show_settings {
        let json = args.format == Format::Json;
        return crate::settings::show(
            &args.paths,
            (&args.select, &args.ignore, args.isolated),
            json,
            out,
            err,
        );
    }
    let selection = Selection::new(&args.select, &args.ignore)?;
    // `--output -` is standard output, as for `init`.
    let output = args.output.as_deref().filter(|p| p.as_os_str() != "-");
    if let Some(target) = args.reports.iter().find(|t| t.file.as_os_str() == "-") {
        bail!(
            "--report {}=-: --report writes a file; for standard output use --format {}",
            target.format.name(),
            target.format.name()
        );
    }
    // `--quiet` cuts the report on standard output to its verdict line: only the readable
    // terminal formats have one to cut to; the others are read whole by a program.
    if args.quiet && output.is_none() && !matches!(args.format, Format::Human | Format::Concise) {
        bail!(
            "--quiet --format {0}: only the human and concise reports can be cut to the verdict line; a {0} report is read whole (drop --quiet, or write it with --output FILE)",
            args.format.name()
        );
    }
    check_stdin_options(args)?;
    let named = report_files(args);
    let report_files: Vec<(&str, &Path)> = named.iter().map(|(o, p)| (o.as_str(), *p)).collect();
    file::check_distinct(&report_files)?;
    let today = clock::today_or(args.today.as_deref())?;
    if let Some(root) = args.root.as_ref().filter(|r| !r.is_dir()) {
        bail!("--root {}: not a folder", root.display());
    }
    let baseline_shown = args.baseline.as_ref().map(|p| p.display().to_string());
    let baseline = match (&args.baseline, &baseline_shown) {
        (Some(path), Some(shown)) => match workspace::load_baseline(path, shown) {
            Ok(release) => Some((release, shown.as_str())),
            Err(e) => {
                // Nothing is checked against a baseline that cannot be read.
                writeln!(err, "{e}")?;
                stopped_on_load_error(args, e, out)?;
                return Ok(Status::Error);
            }
        },
        _ => None,
    };
    let baseline = match (&baseline, &args.baseline_ref) {
        (Some((r, shown)), _) => Some(BaselineSpec::File(r, shown)),
        (None, Some(gitref)) => Some(BaselineSpec::GitRef(gitref)),
        (None, None) => None,
    };
    let (targets, mut errors) = discover::targets(&args.paths, &mut io::stdin().lock())?;
    let load = LoadSettings {
        selection: &selection,
        root: args.root.as_deref(),
        baseline,
        new_since: args.new_since.as_deref(),
        isolated: args.isolated,
    };
    let ws = workspace::load(&targets, &load);
    errors.extend(ws.errors.iter().cloned());
    for e in &errors {
        writeln!(err, "{e}")?;
    }
    for note in ws.notes() {
        writeln!(err, "{note}")?;
    }
    // What could not be loaded was not checked: the run cannot pass, and every report says
    // so (the others are still checked and reported).
    let failed = !errors.is_empty();
    let cache = evidence::Cache::new();
    let settings = Settings {
        today,
        gate: gate(args),
        cache: &cache,
        baseline,
    };
    let manifests = check::check_workspace(&ws, &settings);
    // A report written over a file this check read (the manifest, a JUnit report, a doc)
    // would destroy its own evidence: refused before anything is written.
    let inputs: Vec<PathBuf> = ws
        .manifest_files()
        .map(Path::to_path_buf)
        .chain(args.baseline.iter().cloned())
        .chain(cache.files())
        .collect();
    file::refuse_inputs(&report_files, inputs.iter().map(PathBuf::as_path))?;
    let run = RunVerdict::of(manifests.iter().map(|m| &m.outcome), !failed);
    let report = Report {
        manifests,
        errors,
        gate: settings.gate,
        verdict: run.ready,
        on_track: run.on_track,
        pass: run.pass,
        new_since: args.new_since.as_deref().map(|gitref| report::NewSince {
            gitref,
            base: ws.base_commit(),
        }),
    };

    let color = use_color(args.color, output.is_some(), out_is_tty);
    if let Some(file) = output {
        file::write_atomic(file, |w| report::render(&report, args.format, false, w))
            .with_context(|| format!("cannot write the report to {}", file.display()))?;
    } else {
        // Standard output is line-buffered: a large JSON report would cost a write per
        // line. Buffered, it is written in 64 KiB blocks.
        let mut buffered = io::BufWriter::with_capacity(1 << 16, out);
        if args.quiet {
            let color = color && args.format == Format::Human;
            report::concise::verdict(&report, color, &mut buffered)?;
        } else {
            report::render(&report, args.format, color, &mut buffered)?;
        }
        buffered.flush()?;
    }
    for target in &args.reports {
        file::write_atomic(&target.file, |w| {
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
    } else if report.pass {
        Status::Ready
    } else {
        Status::NotReady
    })
}

/// Colour for the human report on standard output. `auto` follows the usual conventions:
/// `NO_COLOR` (set and not empty) and `CLICOLOR=0` turn it off, as does `TERM=dumb`;
/// `CLICOLOR_FORCE` (set, not empty and not `0`) turns it on; otherwise colour when standard
/// output is a terminal.
fn use_color(choice: ColorChoice, to_file: bool, out_is_tty: bool) -> bool {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if to_file || var("NO_COLOR").is_some() => false,
        ColorChoice::Auto if var("CLICOLOR_FORCE").is_some_and(|v| v != "0") => true,
        ColorChoice::Auto => {
            let off = var("CLICOLOR").is_some_and(|v| v == "0")
                || var("TERM").is_some_and(|v| v == "dumb");
            !off && out_is_tty
        }
    }
}

/// The report files asked for, each with the option that named it (`--output`,
/// `--report sarif`), in command-line order.
fn report_files(args: &CheckArgs) -> Vec<(String, &Path)> {
    args.output
        .iter()
        .filter(|file| file.as_os_str() != "-")
        .map(|file| ("--output".to_owned(), file.as_path()))
        .chain(args.reports.iter().map(|target| {
            (
                format!("--report {}", target.format.name()),
                target.file.as_path(),
            )
        }))
        .collect()
}

/// The gate the options ask for.
fn gate(args: &CheckArgs) -> Gate {
    Gate {
        strict: args.strict,
        kind: match args.gate {
            GateArg::Release => GateKind::Release,
            GateArg::OnTrack => GateKind::OnTrack,
        },
    }
}

/// `-` (a manifest on standard input) with an option that reads the manifest's file in git.
fn check_stdin_options(args: &CheckArgs) -> Result<()> {
    if !args.paths.iter().any(|p| discover::is_stdin(p)) {
        return Ok(());
    }
    for (option, gitref) in [
        ("--new-since", &args.new_since),
        ("--baseline-ref", &args.baseline_ref),
    ] {
        if let Some(gitref) = gitref {
            bail!(
                "{option} {gitref} reads each manifest's file as it was at a git commit; a \
                 manifest on standard input (-) has no file there: name the manifest's file \
                 instead of -"
            );
        }
    }
    Ok(())
}

/// Writes what `render` makes of an error that stopped the run, for each machine format asked
/// for: to `stdout` (given when nothing was written there yet) if the report goes there and
/// `--quiet` is not given, and to each report file that does not exist yet and is not SARIF,
/// unless the report files are themselves at fault (one file named twice, `-`). Writing the
/// error to a file is a courtesy to whatever reads it: when it fails, the run's own error
/// still says what happened.
fn stopped(
    args: &CheckArgs,
    stdout: Option<&mut dyn Write>,
    render: impl Fn(Format, &mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let to_stdout = args.output.as_ref().is_none_or(|p| p.as_os_str() == "-") && !args.quiet;
    if let Some(out) = stdout.filter(|_| to_stdout && args.format.has_error_shape()) {
        render(args.format, out)?;
        out.flush()?;
    }
    let named = report_files(args);
    let options: Vec<(&str, &Path)> = named.iter().map(|(o, p)| (o.as_str(), *p)).collect();
    if args.reports.iter().any(|t| t.file.as_os_str() == "-")
        || file::check_distinct(&options).is_err()
    {
        return Ok(());
    }
    let files = args
        .output
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .map(|p| (args.format, p.as_path()))
        .chain(args.reports.iter().map(|t| (t.format, t.file.as_path())));
    for (format, file) in files {
        let absent = matches!(
            std::fs::symlink_metadata(file),
            Err(e) if e.kind() == io::ErrorKind::NotFound
        );
        if format.has_error_shape() && format != Format::Sarif && absent {
            let _ = file::write_atomic(file, |w| render(format, w));
        }
    }
    Ok(())
}

/// The `--baseline` could not be loaded: nothing is checked. The error is a load error, shown
/// as one in the machine formats (a report with nothing checked and that error).
fn stopped_on_load_error(args: &CheckArgs, e: LoadError, out: &mut dyn Write) -> io::Result<()> {
    let run = RunVerdict::of(std::iter::empty(), false);
    let report = Report {
        manifests: Vec::new(),
        errors: vec![e],
        gate: gate(args),
        verdict: run.ready,
        on_track: run.on_track,
        pass: false,
        new_since: None,
    };
    stopped(args, Some(out), |format, w| {
        report::render(&report, format, false, w)
    })
}

/// Standard output, watched for whether anything was written to it.
struct Watched<'a> {
    inner: &'a mut dyn Write,
    written: bool,
}

impl Write for Watched<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.written |= !buf.is_empty();
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
