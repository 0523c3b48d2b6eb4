//! GitHub Actions workflow commands (`--format github`): one annotation per unwaived finding,
//!
//! ```text
//! ::error file=release.yaml,line=41,col=5,title=RC101 untested-feature::feature 'saved-carts' links no tests
//! ```
//!
//! `::error` for errors, `::warning` for warnings (also under `--strict`, where they fail the
//! check: the annotation keeps the finding's own severity). `file` is the manifest's path as
//! given on the command line; run relcheck from the repository root so GitHub can place the
//! annotation. Properties are escaped as `escapeProperty` and the message as `escapeData` of
//! GitHub's `@actions/core` toolkit do. Waived findings are not annotated; the summary
//! counts them. Control characters in manifest strings are shown as escapes first
//! (`escape::log_text`), so a finding cannot colour or rewrite the log. The last line is a
//! plain log line (not an annotation):
//! `relcheck: NOT READY: 2 errors, 1 warning, 1 waived`.

use std::io::{self, Write};

use super::Report;
use super::escape::{github_data, github_property, log_text};
use crate::rule::Severity;

pub fn render(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    for m in &report.manifests {
        for f in m.outcome.findings.iter().filter(|f| !f.is_waived()) {
            let command = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let mut message = log_text(&f.message).into_owned();
            if let Some(action) = &f.action {
                message.push_str("\nWhat to do: ");
                message.push_str(&log_text(action));
            }
            writeln!(
                out,
                "::{command} file={},line={},col={},title={}::{}",
                github_property(&log_text(&m.path)),
                f.pos.line,
                f.pos.col,
                github_property(&format!("{} {}", f.rule.code, f.rule.name)),
                github_data(&message)
            )?;
        }
    }
    writeln!(
        out,
        "relcheck: {}: {}",
        report.verdict.label(),
        report.counts()
    )
}
