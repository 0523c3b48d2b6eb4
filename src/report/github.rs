//! GitHub Actions workflow commands (`--format github`): an annotation per finding that
//! matters to the gate, one per load error, then the gate's answer.
//!
//! ```text
//! ::error file=release.yaml,line=41,col=5,title=RC101 untested-feature::feature 'saved-carts' links no tests
//! ```
//!
//! - A finding that counts for the gate (`Finding::counts`, decided by the engine) is annotated with its
//!   own severity: `::error` or `::warning` (a warning counts under `--strict`).
//! - An open finding that does not count but is late is a `::notice` (a warning under the
//!   default gate; under `--gate on-track`, nothing that is late is left out).
//! - Other findings (waived, or not due yet and not counting) are not annotated; the summary
//!   counts them.
//! - With `--new-since`, only new findings are annotated (by the rules above): an existing
//!   finding is not this change's doing, and the summary line counts it
//!   (`since main: 1 new, 2 existing, 1 resolved`).
//! - A manifest or folder that could not be loaded is an `::error` at its position (`line`
//!   and `col` when known), titled `relcheck load error`.
//!
//! - A run that stopped on a usage error before checking anything (an unknown rule in
//!   `--select`, a bad `--today`, no manifest found) is one `::error` without a file,
//!   titled `relcheck usage error`, and nothing else.
//!
//! `file` is the manifest's path as given on the command line; run relcheck from the
//! repository root so GitHub can place the annotation. Properties are escaped as
//! `escapeProperty` and the message as `escapeData` of GitHub's `@actions/core` toolkit do.
//! Control characters in manifest strings are shown as escapes first (`escape::log_text`),
//! so a finding cannot colour or rewrite the log. The last line is a plain log line (not an
//! annotation) with the verdict line every readable report shows (the view model's headline:
//! the decisive word, both verdicts and the gate):
//! `relcheck: NOT READY · not on track (1 late) · gate release fails: 2 errors, 1 warning, 1 waived`.

use std::io::{self, Write};

use super::Report;
use super::escape::{github_data, github_property, log_text};
use super::view::{Limits, ReportView};
use crate::manifest::Pos;
use crate::rule::{BaselineState, Finding, Severity};

pub fn render(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    for e in &report.errors {
        annotate(
            out,
            "error",
            &e.shown,
            e.pos,
            "relcheck load error",
            &log_text(&e.message),
        )?;
    }
    for m in &report.manifests {
        let annotated =
            |f: &&Finding| !f.is_waived() && f.baseline != Some(BaselineState::Existing);
        for f in m.outcome.findings.iter().filter(annotated) {
            let command = match f.severity {
                _ if !f.counts => {
                    if !f.late {
                        continue;
                    }
                    "notice"
                }
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let mut message = log_text(&f.message).into_owned();
            if let Some(action) = &f.action {
                message.push_str("\nWhat to do: ");
                message.push_str(&log_text(action));
            }
            annotate(
                out,
                command,
                &m.shown,
                Some(f.pos),
                &format!("{} {}", f.rule.code, f.rule.name),
                &message,
            )?;
        }
    }
    // Only the headline is read: no table rows or findings are gathered for it.
    let none = Limits {
        rows: 0,
        findings: 0,
    };
    let headline = ReportView::new(report, none).headline;
    writeln!(
        out,
        "relcheck: {}{}",
        headline.label,
        log_text(&headline.rest)
    )
}

/// A run that stopped on a usage error before checking anything: one annotation, on no file.
pub(crate) fn usage_error(message: &str, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "::error title={}::{}",
        github_property("relcheck usage error"),
        github_data(&log_text(message))
    )
}

/// `::command file=...,line=...,col=...,title=...::message`; `message` is log text already.
fn annotate(
    out: &mut dyn Write,
    command: &str,
    file: &str,
    pos: Option<Pos>,
    title: &str,
    message: &str,
) -> io::Result<()> {
    let place = match pos.filter(|p| p.line >= 1) {
        Some(p) if p.col >= 1 => format!(",line={},col={}", p.line, p.col),
        Some(p) => format!(",line={}", p.line),
        None => String::new(),
    };
    writeln!(
        out,
        "::{command} file={}{place},title={}::{}",
        github_property(&log_text(file)),
        github_property(title),
        github_data(message)
    )
}
