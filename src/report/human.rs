//! The human report: ruff-style finding lines, the readiness matrix, waivers, what was not
//! evaluated, and a one-line verdict. Colour only here, and only when asked for.

use std::io::{self, Write};

use colored::Colorize;

use super::{Checked, ManifestReport, Report, Verdict, matrix};
use crate::rule::{Finding, Severity};

/// Rows of the readiness matrix shown per release; the rest are counted.
pub const MATRIX_ROWS: usize = 50;

pub fn render(report: &Report<'_>, color: bool, out: &mut dyn Write) -> io::Result<()> {
    colored::control::set_override(color);
    let mut first = true;
    for m in &report.manifests {
        for f in m.outcome.findings.iter().filter(|f| !f.is_waived()) {
            finding_line(out, &m.path, f)?;
        }
    }
    for m in &report.manifests {
        if !std::mem::take(&mut first)
            || report
                .manifests
                .iter()
                .any(|m| m.outcome.findings.iter().any(|f| !f.is_waived()))
        {
            writeln!(out)?;
        }
        manifest_section(out, m, report.strict)?;
    }
    writeln!(out)?;
    verdict_line(out, report)
}

fn finding_line(out: &mut dyn Write, path: &str, f: &Finding) -> io::Result<()> {
    let severity = match f.severity {
        Severity::Error => "[error]".red().bold(),
        Severity::Warning => "[warning]".yellow().bold(),
    };
    writeln!(
        out,
        "{}:{}:{}: {} {severity} {}",
        path.bold(),
        f.pos.line,
        f.pos.col,
        f.rule.code.bold(),
        f.message
    )
}

fn manifest_section(out: &mut dyn Write, m: &ManifestReport<'_>, strict: bool) -> io::Result<()> {
    let verdict = if m.ready {
        "ready".green().bold()
    } else {
        "not ready".red().bold()
    };
    writeln!(
        out,
        "{} {} ({}): {verdict}",
        m.kind(),
        m.name().bold(),
        m.path
    )?;
    if let Checked::Release(cx) = &m.checked {
        let c = cx.coverage();
        writeln!(
            out,
            "  {} features in scope: {} tested; of {} user-facing, {} documented and {} trained",
            c.features, c.tested, c.user_facing, c.documented, c.trained
        )?;
        let blocked = m.blocked_subjects(strict);
        let rows: Vec<_> = matrix(cx, &blocked).take(MATRIX_ROWS).collect();
        if !rows.is_empty() {
            let cells: Vec<[String; 6]> = rows
                .iter()
                .map(|r| {
                    let list = |v: &[&str]| {
                        if v.is_empty() {
                            "-".to_owned()
                        } else {
                            v.join(", ")
                        }
                    };
                    let tests: Vec<String> = r
                        .tests
                        .iter()
                        .map(|(k, pass)| {
                            if *pass {
                                (*k).to_owned()
                            } else {
                                format!("{k} (not passing)")
                            }
                        })
                        .collect();
                    [
                        r.feature.id.to_string(),
                        r.feature.status.to_string(),
                        if tests.is_empty() {
                            "-".to_owned()
                        } else {
                            tests.join(", ")
                        },
                        list(&r.docs),
                        list(&r.training),
                        r.verdict.as_str().to_owned(),
                    ]
                })
                .collect();
            let header = ["feature", "status", "tests", "docs", "training", "verdict"];
            let mut widths = header.map(str::len);
            for row in &cells {
                for (w, c) in widths.iter_mut().zip(row) {
                    *w = (*w).max(c.chars().count());
                }
            }
            writeln!(out)?;
            let pad = |s: &str, w: usize| {
                format!("{s}{}", " ".repeat(w.saturating_sub(s.chars().count())))
            };
            let head: Vec<String> = header.iter().zip(widths).map(|(h, w)| pad(h, w)).collect();
            writeln!(out, "  {}", head.join("  ").trim_end().bold())?;
            for (row, r) in cells.iter().zip(&rows) {
                let mut line: Vec<String> =
                    row.iter().zip(widths).map(|(c, w)| pad(c, w)).collect();
                let v = line.pop().unwrap_or_default();
                let v = match r.verdict {
                    Verdict::Ready => v.trim_end().green().to_string(),
                    Verdict::NotReady => v.trim_end().red().to_string(),
                    Verdict::OutOfScope => v.trim_end().dimmed().to_string(),
                };
                writeln!(out, "  {}  {v}", line.join("  "))?;
            }
            let rest = cx.release.features.len().saturating_sub(MATRIX_ROWS);
            if rest > 0 {
                writeln!(
                    out,
                    "  ... and {rest} more features (see --format json for all findings)"
                )?;
            }
        }
    }
    let waived: Vec<&Finding> = m
        .outcome
        .findings
        .iter()
        .filter(|f| f.is_waived())
        .collect();
    if !waived.is_empty() {
        writeln!(out, "\n  {}", "Waived:".bold())?;
        for f in waived {
            let Some(w) = f.waiver.and_then(|i| m.waivers().get(i)) else {
                continue;
            };
            writeln!(out, "  {}:{}: {} {}", m.path, f.pos, f.rule.code, f.message)?;
            let expires = w
                .expires
                .as_ref()
                .map(|e| format!(", expires {}", e.value))
                .unwrap_or_default();
            writeln!(
                out,
                "      waived by {}: {}{expires}",
                w.owner.value, w.reason.value
            )?;
        }
    }
    if !m.outcome.not_evaluated.is_empty() {
        writeln!(out, "\n  {}", "Not evaluated:".bold())?;
        for (meta, reason) in &m.outcome.not_evaluated {
            writeln!(out, "  {} {}: {reason}", meta.code, meta.name)?;
        }
    }
    Ok(())
}

fn verdict_line(out: &mut dyn Write, report: &Report<'_>) -> io::Result<()> {
    let s = report.summary();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let counts = format!(
        "{}, {}, {} waived",
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        s.waived
    );
    if report.ready() {
        if s.errors + s.warnings + s.waived == 0 {
            writeln!(out, "{}", "READY".green().bold())
        } else {
            writeln!(out, "{}: {counts}", "READY".green().bold())
        }
    } else {
        writeln!(out, "{}: {counts}", "NOT READY".red().bold())
    }
}
