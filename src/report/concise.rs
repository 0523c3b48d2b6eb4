//! The concise report (`--format concise`): one line per open finding, then the verdict
//! line, nothing else; for editors' problem matchers, `grep` and short CI logs.
//!
//! ```text
//! release.yaml:41:5: RC101 [error] feature 'saved-carts' links no tests
//! NOT READY · not on track (1 late) · gate release fails: 2 errors, 1 warning, 1 waived
//! ```
//!
//! The findings are the view model's open findings, in its order; the verdict line is its
//! headline. What could not be loaded is on standard error (as with the human report), and
//! the verdict line counts it. Strings are escaped as in the human report
//! ([`escape::terminal`], file names through [`escape::file_name`]), so no string can send
//! an escape sequence or start a line of its own. Never coloured.
//!
//! [`verdict`] is also what `--quiet` prints for the human and concise formats.

use std::io::{self, Write};

use colored::Colorize;

use super::Report;
use super::escape::{file_name, terminal};
use super::view::{Headline, Limits, ReportView};

/// Only the open findings are read: no table rows or grouped findings are gathered.
const NONE: Limits = Limits {
    rows: 0,
    findings: 0,
};

pub fn render(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let view = ReportView::new(report, NONE);
    for m in &view.manifests {
        let file = terminal(&file_name(m.shown)).into_owned();
        for f in &m.open {
            writeln!(
                out,
                "{file}:{}:{}: {} [{}] {}",
                f.pos.line,
                f.pos.col,
                f.rule.code,
                f.severity.as_str(),
                terminal(&f.message)
            )?;
        }
    }
    verdict_line(&view.headline, false, out)
}

/// The verdict line alone (the view model's headline), its label coloured as the human
/// report colours it when `color`.
pub fn verdict(report: &Report<'_>, color: bool, out: &mut dyn Write) -> io::Result<()> {
    verdict_line(&ReportView::new(report, NONE).headline, color, out)
}

fn verdict_line(headline: &Headline, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let rest = terminal(&headline.rest);
    if color {
        colored::control::set_override(true);
        let label = if headline.label == "READY" {
            headline.label.green().bold()
        } else {
            headline.label.red().bold()
        };
        writeln!(out, "{label}{rest}")
    } else {
        writeln!(out, "{}{rest}", headline.label)
    }
}
