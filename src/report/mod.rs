//! The outcome of a check, and its renderings: one module per output format.
//!
//! A [`Report`] holds, per manifest, the context the rules read and the engine's outcome;
//! every format renders from it alone, to a `&mut dyn Write`. Machine formats (json,
//! sarif, junit, github, gitlab, concise) are deterministic: no timestamps, no hash-map order.

use std::collections::HashSet;
use std::io::{self, Write};
use std::path::PathBuf;

use crate::context::{Context, Coverage, ProgramContext};
use crate::engine::{Gate, Outcome, Verdict};
use crate::manifest::{LoadError, Located, Waiver};
use crate::rule::{BaselineState, RuleMeta, Severity};
pub mod concise;
pub mod escape;
pub(crate) mod file;
mod fingerprint;
pub mod github;
pub mod gitlab;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
mod readiness;
pub mod sarif;
mod svg;
pub(crate) mod view;

/// The output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Findings, readiness matrix and verdict for a terminal.
    Human,
    /// One line per open finding (file:line:col: CODE [severity] message), then the verdict.
    Concise,
    /// The JSON report, format version 1 (`relcheck check --format json`).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// JUnit XML: a test case per rule and subject checked, for GitLab, Jenkins and others.
    Junit,
    /// GitHub Actions workflow commands: an annotation per finding.
    Github,
    /// GitLab Code Quality JSON, for the merge-request widget.
    Gitlab,
    /// Markdown, for a pull-request comment or the GitHub Actions job summary.
    Markdown,
    /// One self-contained HTML page (no scripts, no external resources).
    Html,
}

impl Format {
    /// The name `--format` and `--report` take.
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Concise => "concise",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Github => "github",
            Format::Gitlab => "gitlab",
            Format::Markdown => "markdown",
            Format::Html => "html",
        }
    }

    /// Whether the format has a shape of its own for an error that stopped the run (SARIF's
    /// tool execution notifications, GitHub's `::error`, the JSON report's `errors`, a failing
    /// JUnit case, a GitLab issue): the machine formats a program reads. The readable formats
    /// (and concise, a log's lines) leave errors to standard error.
    pub fn has_error_shape(self) -> bool {
        matches!(
            self,
            Format::Json | Format::Sarif | Format::Junit | Format::Github | Format::Gitlab
        )
    }
}

/// Renders `report` in `format`. `color` applies to the human format only.
pub fn render(
    report: &Report<'_>,
    format: Format,
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::render(report, color, out),
        Format::Concise => concise::render(report, out),
        Format::Json => json::render(report, out),
        Format::Sarif => sarif::render(report, out),
        Format::Junit => junit::render(report, out),
        Format::Github => github::render(report, out),
        Format::Gitlab => gitlab::render(report, out),
        Format::Markdown => markdown::render(report, out),
        Format::Html => html::render(report, out),
    }
}

/// Renders a usage error (the run stopped before checking anything) in `format`'s own shape,
/// when it has one ([`Format::has_error_shape`]); writes nothing otherwise.
pub fn render_usage_error(
    format: Format,
    gate: Gate,
    message: &str,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Json => json::usage_error(gate, message, out),
        Format::Sarif => sarif::usage_error(message, out),
        Format::Junit => junit::usage_error(message, out),
        Format::Github => github::usage_error(message, out),
        Format::Gitlab => gitlab::usage_error(message, out),
        Format::Human | Format::Concise | Format::Markdown | Format::Html => Ok(()),
    }
}

/// The groups of rules by code range, each one concern of the Production Release practice
/// (and, for three of them, the pitfall it guards against). The Markdown and HTML reports
/// group findings by these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleGroup {
    /// RC0xx.
    Integrity,
    /// RC1xx (pitfall 3).
    Hardening,
    /// RC2xx (pitfall 2).
    Documentation,
    /// RC3xx (pitfall 1).
    Pace,
    /// RC4xx.
    WorkProducts,
    /// RC5xx.
    Program,
}

impl RuleGroup {
    /// Every group, in code order.
    pub const ALL: [RuleGroup; 6] = [
        RuleGroup::Integrity,
        RuleGroup::Hardening,
        RuleGroup::Documentation,
        RuleGroup::Pace,
        RuleGroup::WorkProducts,
        RuleGroup::Program,
    ];

    /// The group of a rule: the first digit of its code (`RC1xx` is hardening).
    pub fn of(meta: &RuleMeta) -> RuleGroup {
        match meta.code.as_bytes().get(2) {
            Some(b'1') => RuleGroup::Hardening,
            Some(b'2') => RuleGroup::Documentation,
            Some(b'3') => RuleGroup::Pace,
            Some(b'4') => RuleGroup::WorkProducts,
            Some(b'5') => RuleGroup::Program,
            // RC0xx; the registry's tests keep every code in RC000-RC599.
            _ => RuleGroup::Integrity,
        }
    }

    /// The code range: `RC1xx`.
    pub const fn range(self) -> &'static str {
        match self {
            RuleGroup::Integrity => "RC0xx",
            RuleGroup::Hardening => "RC1xx",
            RuleGroup::Documentation => "RC2xx",
            RuleGroup::Pace => "RC3xx",
            RuleGroup::WorkProducts => "RC4xx",
            RuleGroup::Program => "RC5xx",
        }
    }

    /// The heading reports show for the group.
    pub const fn title(self) -> &'static str {
        match self {
            RuleGroup::Integrity => "Manifest and evidence integrity",
            RuleGroup::Hardening => "Hardening: only mature, well tested features (pitfall 3)",
            RuleGroup::Documentation => "Documentation and training (pitfall 2)",
            RuleGroup::Pace => "Sustainable pace (pitfall 1)",
            RuleGroup::WorkProducts => "Release work products",
            RuleGroup::Program => "Coordinated release",
        }
    }
}

/// What was checked: a release or a program, with what the rules read.
pub enum ManifestContext<'a> {
    Release(Box<Context<'a>>),
    Program(Box<ProgramContext<'a>>),
}

/// One manifest's result.
pub struct ManifestReport<'a> {
    /// The manifest as the user named it, as reports show it.
    pub shown: String,
    /// The folder the manifest's paths resolve against (its folder, or `--root`).
    pub root: PathBuf,
    pub context: ManifestContext<'a>,
    /// The engine's outcome, with the manifest's verdict.
    pub outcome: Outcome,
}

impl ManifestReport<'_> {
    pub fn kind(&self) -> &'static str {
        match self.context {
            ManifestContext::Release(_) => "release",
            ManifestContext::Program(_) => "program",
        }
    }

    pub fn name(&self) -> &str {
        match &self.context {
            ManifestContext::Release(cx) => cx.name(),
            ManifestContext::Program(cx) => &cx.program.info.name,
        }
    }

    /// Coverage counts; programs have none.
    pub fn coverage(&self) -> Option<Coverage> {
        match &self.context {
            ManifestContext::Release(cx) => Some(cx.coverage()),
            ManifestContext::Program(_) => None,
        }
    }

    pub fn waivers(&self) -> &[Located<Waiver>] {
        match &self.context {
            ManifestContext::Release(cx) => &cx.release.waivers,
            ManifestContext::Program(cx) => &cx.program.waivers,
        }
    }

    /// Today as the check saw it.
    pub fn today(&self) -> crate::manifest::Date {
        match &self.context {
            ManifestContext::Release(cx) => cx.today,
            ManifestContext::Program(cx) => cx.today,
        }
    }

    /// The manifest's verdict, as the engine decided it.
    pub fn verdict(&self) -> Verdict {
        self.outcome.verdict
    }

    /// Subjects with a finding that blocks readiness.
    pub fn blocked_subjects(&self) -> HashSet<&str> {
        self.outcome
            .findings
            .iter()
            .filter(|f| f.blocking)
            .map(|f| f.subject.as_str())
            .collect()
    }
}

/// Counts over all manifests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub waived: usize,
    /// With `--new-since`: open findings that are new, and base findings resolved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved: Option<usize>,
}

/// The result of one `relcheck check` run.
pub struct Report<'a> {
    pub manifests: Vec<ManifestReport<'a>>,
    /// What could not be loaded (each a manifest, or a folder, not checked): the run cannot
    /// pass, and every format carries them.
    pub errors: Vec<LoadError>,
    /// The gate the manifests were judged by (reports say when it is strict).
    pub gate: Gate,
    /// The run's verdicts and the gate's answer, as the engine decided them.
    pub verdict: Verdict,
    /// Every manifest is on track (no blocking finding is late).
    pub on_track: bool,
    /// The gate passes: the exit code is 0.
    pub pass: bool,
    /// `--new-since`: only new findings count for the gate.
    pub new_since: Option<NewSince<'a>>,
}

/// `--new-since GITREF`, and the base commit it led to (`None`: `HEAD` had no commit).
#[derive(Clone, Copy, Debug)]
pub struct NewSince<'a> {
    pub gitref: &'a str,
    pub base: Option<&'a str>,
}

impl Report<'_> {
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for m in &self.manifests {
            s.errors += m.outcome.count(Severity::Error);
            s.warnings += m.outcome.count(Severity::Warning);
            s.waived += m.outcome.waived();
        }
        if self.new_since.is_some() {
            let open_new = |m: &ManifestReport<'_>| {
                m.outcome
                    .findings
                    .iter()
                    .filter(|f| !f.is_waived() && f.baseline == Some(BaselineState::New))
                    .count()
            };
            s.new = Some(self.manifests.iter().map(open_new).sum());
            s.resolved = Some(
                self.manifests
                    .iter()
                    .map(|m| m.outcome.resolved.len())
                    .sum(),
            );
        }
        s
    }

    /// `2 errors, 1 warning, 0 waived`.
    pub fn counts(&self) -> String {
        let s = self.summary();
        format!(
            "{}, {}, {} waived",
            plural(s.errors, "error"),
            plural(s.warnings, "warning"),
            s.waived
        )
    }
}

/// `1 error`, `2 warnings`.
pub(crate) fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_are_the_command_line_values() {
        use clap::ValueEnum;
        for f in Format::value_variants() {
            let value = f.to_possible_value().map(|v| v.get_name().to_owned());
            assert_eq!(value.as_deref(), Some(f.name()));
        }
    }

    #[test]
    fn every_rule_falls_in_the_group_of_its_code_range() {
        for m in crate::rules::metas() {
            let g = RuleGroup::of(m);
            assert_eq!(&m.code[..3], &g.range()[..3], "{}", m.code);
        }
        assert_eq!(RuleGroup::ALL.len(), 6);
        assert!(RuleGroup::ALL.windows(2).all(|w| w[0] < w[1]));
    }
}
