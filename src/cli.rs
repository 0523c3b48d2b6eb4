//! The command line (clap derive): `check`, `rules`, `explain`, `init`, `schema`,
//! `completions`, `man`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::Format;

const EXIT_CODES: &str = "\
Exit codes:
  0  ready: the gate passes (--gate release, the default: no unwaived error finding, with
     --strict no unwaived warning either; --gate on-track: no blocking finding is late)
  1  not ready: the gate fails
  2  could not evaluate: usage error, or a manifest that cannot be read or is invalid";

/// relcheck: the release-readiness gate for teams that end with a release sprint.
///
/// relcheck reads a YAML release manifest (features, tests, docs, training, sprints,
/// deployment work products, waivers), checks it against the Production Release
/// practice, and prints a pass/fail readiness report.
///
/// Example: relcheck init && relcheck check
#[derive(Debug, Parser)]
#[command(name = "relcheck", version, about, long_about, after_help = EXIT_CODES, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check release or program manifests and print a readiness report.
    ///
    /// Each PATH is a manifest or a folder. A folder is searched recursively for release
    /// manifests (release.yaml, release.yml, *.release.yaml, *.release.yml) and program
    /// manifests (program.yaml, program.yml, *.program.yaml, *.program.yml); hidden
    /// folders, target/ and node_modules/ are skipped. A program manifest's products are
    /// checked with it; a manifest named twice is checked once. '-' reads a manifest from
    /// standard input (shown as <stdin>; its paths resolve from the current folder).
    ///
    /// Without PATH, the nearest release.yaml, release.yml, program.yaml or program.yml is
    /// checked: in the current folder, else in the folders above it, up to the root of the
    /// git repository (the folder holding .git).
    ///
    /// Example: relcheck check examples/storefront/release.yaml --format json
    #[command(after_help = EXIT_CODES)]
    Check(CheckArgs),
    /// List every rule: code, name, default severity and summary.
    ///
    /// Example: relcheck rules --format json
    Rules(RulesArgs),
    /// Print a rule's documentation: what it checks, why it matters, an example.
    ///
    /// Example: relcheck explain untested-feature
    Explain(ExplainArgs),
    /// Write a commented starter manifest to fill in.
    ///
    /// Writes release.yaml in the current folder (with --program, program.yaml), or FILE
    /// given with --output (its folders are created; '-' prints to standard output). The
    /// starter covers every section of the format, is dated from today, and points editors
    /// at the JSON Schema for completion. Its placeholders are things `relcheck check`
    /// reports (a feature without tests, statuses still planned, files not written yet), so
    /// checking it right away lists what to fill in.
    ///
    /// init never overwrites a file: when the file exists it writes nothing and exits 2.
    /// There is no --force on purpose; move the file away or choose another --output.
    ///
    /// Example: relcheck init && relcheck check
    Init(InitArgs),
    /// Print the JSON Schema of the manifest format, for editors and validators.
    ///
    /// The schema (JSON Schema draft 2020-12) describes format version 1, release and
    /// program manifests, with a description for every key. It is generated from the same
    /// declarations relcheck loads manifests with. Editors using yaml-language-server (VS
    /// Code's YAML extension, Neovim, Helix, JetBrains) complete and check a manifest whose
    /// first line is `# yaml-language-server: $schema=URL`; `relcheck init` writes that line.
    ///
    /// Example: relcheck schema > relcheck.schema.json
    Schema,
    /// Print a shell completion script.
    ///
    /// Prints the script for SHELL on standard output; load it from your shell's startup
    /// file or save it where your shell looks for completions.
    ///
    /// Example: relcheck completions bash > ~/.local/share/bash-completion/completions/relcheck
    #[command(after_help = "More examples:
  relcheck completions zsh > ~/.zfunc/_relcheck        # with fpath+=~/.zfunc in .zshrc
  relcheck completions fish > ~/.config/fish/completions/relcheck.fish
  relcheck completions powershell >> $PROFILE")]
    Completions(CompletionsArgs),
    /// Print a manual page (roff).
    ///
    /// Prints relcheck(1), or with COMMAND the page of that subcommand (relcheck-check(1)),
    /// in roff for man(1).
    ///
    /// Example: relcheck man > relcheck.1 && man ./relcheck.1
    Man(ManArgs),
}

#[derive(Debug, Args)]
#[allow(clippy::struct_excessive_bools)] // command-line switches: each is on or off
pub struct CheckArgs {
    /// Release or program manifests, folders to search for them, or '-' for standard input
    /// [default: the nearest release.yaml, here or in a folder above].
    pub paths: Vec<PathBuf>,

    /// Output format (case-insensitive: json, JSON).
    #[arg(long, value_enum, ignore_case = true, default_value_t = Format::Human)]
    pub format: Format,

    /// Print only the verdict line on standard output (the human and concise formats;
    /// refused with another format on standard output, which is read whole). Errors still
    /// go to standard error; --output and --report files are always complete.
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Write the report to FILE instead of standard output (replaced atomically; missing
    /// folders are created).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Also write FORMAT to FILE in the same run; repeatable
    /// (e.g. --report sarif=relcheck.sarif --report junit=relcheck.xml; FORMAT is
    /// case-insensitive). Each file is replaced atomically; missing folders are created.
    #[arg(long = "report", value_name = "FORMAT=FILE", value_parser = parse_report)]
    pub reports: Vec<ReportTarget>,

    /// Warnings fail the check too.
    #[arg(long)]
    pub strict: bool,

    /// Print, for each manifest, the settings file that applies (relcheck.toml or
    /// pyproject.toml's [tool.relcheck], the nearest one upwards) and every policy value and
    /// option in effect with where it came from; check nothing (exit 0, or 2 on errors).
    #[arg(long)]
    pub show_settings: bool,

    /// Read no settings file (relcheck.toml, pyproject.toml's [tool.relcheck]): each
    /// manifest's own policy and the command line only, as for a manifest checked alone.
    #[arg(long)]
    pub isolated: bool,

    /// Which verdict decides the exit code: `release` (ready to ship) or `on-track` (no
    /// blocking finding is late: work that is simply not due yet passes). Every report states
    /// both verdicts.
    #[arg(long, value_enum, default_value_t = GateArg::Release, value_name = "GATE")]
    pub gate: GateArg,

    /// Run only these rules: codes, names or code prefixes, comma-separated or repeated
    /// (e.g. --select RC1,RC201). An opt-in rule named exactly runs as a warning.
    #[arg(long, value_name = "RULES")]
    pub select: Vec<String>,

    /// Do not run these rules (codes, names or prefixes); applied after --select.
    #[arg(long, value_name = "RULES")]
    pub ignore: Vec<String>,

    /// A frozen copy of the release manifest (say, as it was at the scope freeze): every
    /// feature in scope now that FILE lacks, or has deferred or dropped, is scope creep
    /// (RC108). FILE is loaded as strictly as the manifest; an invalid FILE stops the run
    /// (exit 2). When several manifests are checked, each is compared with the same FILE.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline_ref")]
    pub baseline: Option<PathBuf>,

    /// Like --baseline, with each manifest as it was at the merge base of GITREF and HEAD
    /// (a renamed manifest is followed): `--baseline-ref origin/main`. A manifest absent or
    /// invalid there is compared with an empty scope. Not being in a git repository, a GITREF
    /// that names no commit, or a shallow clone without the merge base is an error (exit 2).
    #[arg(long, value_name = "GITREF")]
    pub baseline_ref: Option<String>,

    /// Judge only what this change made worse: each manifest is also checked as it was at the
    /// merge base of GITREF and HEAD (its evidence from that commit's files where it has
    /// them), and only new findings count for the gate (existing ones are still reported);
    /// the head is judged under the stricter settings of the two. For CI: `--gate on-track
    /// --new-since origin/main`; needs the history (`fetch-depth: 0`). Not being in a git
    /// repository, or a GITREF that names no commit, is an error (exit 2).
    #[arg(long, value_name = "GITREF")]
    pub new_since: Option<String>,

    /// Confine the manifests' paths to DIR instead of each manifest's folder: paths still
    /// resolve against the manifest's folder, but may then reach anywhere inside DIR (for
    /// example `--root .` when docs live above the manifest in the same repository).
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,

    /// Check as of this day (YYYY-MM-DD) instead of today's date (UTC).
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,

    /// When to colour the human report (NO_COLOR is honoured with auto).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

/// A `--report FORMAT=FILE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportTarget {
    pub format: Format,
    pub file: PathBuf,
}

fn format_names() -> String {
    Format::value_variants()
        .iter()
        .map(|f| f.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parses `FORMAT=FILE`; clap turns an error into a usage error (exit 2).
fn parse_report(value: &str) -> Result<ReportTarget, String> {
    let Some((format, file)) = value.split_once('=') else {
        return Err(format!(
            "expected FORMAT=FILE, e.g. sarif=relcheck.sarif (FORMAT is one of: {})",
            format_names()
        ));
    };
    let format = Format::from_str(format.trim(), true).map_err(|_| {
        format!(
            "unknown format '{}' (expected one of: {})",
            format.trim(),
            format_names()
        )
    })?;
    if file.is_empty() {
        return Err("no FILE after '=': expected FORMAT=FILE, e.g. sarif=relcheck.sarif".into());
    }
    Ok(ReportTarget {
        format,
        file: PathBuf::from(file),
    })
}

/// The gates `--gate` takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GateArg {
    /// Every manifest is ready to ship.
    Release,
    /// No blocking finding is late.
    OnTrack,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Human)]
    pub format: RulesFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// A table for the terminal.
    Human,
    /// A JSON array of {code, name, default, summary}.
    Json,
    /// The rules reference (docs/rules.md): one section per rule, with its explanation.
    Markdown,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule code (RC101) or name (untested-feature).
    pub rule: String,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Write a program manifest (a coordinated release of several products) instead.
    #[arg(long)]
    pub program: bool,

    /// Write to FILE instead of release.yaml (program.yaml with --program); '-' for stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Date the starter from this day (YYYY-MM-DD) instead of today's date (UTC).
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Print this subcommand's page instead of relcheck(1).
    pub command: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_targets_parse() {
        assert_eq!(
            parse_report("sarif=out/relcheck.sarif"),
            Ok(ReportTarget {
                format: Format::Sarif,
                file: PathBuf::from("out/relcheck.sarif")
            })
        );
        // Only the first '=' separates.
        assert_eq!(
            parse_report("HTML=a=b.html").map(|t| (t.format, t.file)),
            Ok((Format::Html, PathBuf::from("a=b.html")))
        );
        let err = |v| parse_report(v).err().unwrap_or_default();
        assert!(
            err("sarif").starts_with("expected FORMAT=FILE"),
            "{}",
            err("sarif")
        );
        assert_eq!(
            err("pdf=x.pdf"),
            "unknown format 'pdf' (expected one of: human, concise, json, sarif, junit, github, gitlab, markdown, html)"
        );
        assert!(err("junit=").starts_with("no FILE after '='"));
    }
}
