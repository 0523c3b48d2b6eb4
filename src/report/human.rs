//! The human report: ruff-style finding lines, then per manifest the readiness matrix,
//! waived findings, rules not evaluated and what to do next, and a one-line verdict.
//! Colour only here, and only when asked for. Every string from a manifest or a file goes
//! through [`escape::terminal`], so it cannot send escape sequences to the terminal.

use std::io::{self, Write};

use colored::{ColoredString, Colorize};

use super::escape::terminal;
use super::{
    FeatureRow, FeatureState, Item, ItemState, ManifestContext, ManifestReport, Report, matrix,
    next_steps, products, ship_order,
};
use crate::context::{Context, ProgramContext};
use crate::engine::ProductState;
use crate::manifest::TestStatus;
use crate::rule::{Finding, Severity};

/// Rows of the readiness matrix, and groups of "what to do next", shown per manifest; the
/// rest are counted.
pub const MAX_ROWS: usize = 50;

pub fn render(report: &Report<'_>, color: bool, out: &mut dyn Write) -> io::Result<()> {
    colored::control::set_override(color);
    let mut any_line = false;
    for m in &report.manifests {
        for f in m.outcome.findings.iter().filter(|f| !f.is_waived()) {
            finding_line(out, &m.path, f)?;
            any_line = true;
        }
    }
    for (i, m) in report.manifests.iter().enumerate() {
        if any_line || i > 0 {
            writeln!(out)?;
        }
        manifest_section(out, m)?;
    }
    writeln!(out)?;
    verdict_line(out, report)
}

fn severity_tag(s: Severity) -> ColoredString {
    match s {
        Severity::Error => "[error]".red().bold(),
        Severity::Warning => "[warning]".yellow().bold(),
    }
}

fn finding_line(out: &mut dyn Write, path: &str, f: &Finding) -> io::Result<()> {
    writeln!(
        out,
        "{}:{}:{}: {} {} {}",
        terminal(path).bold(),
        f.pos.line,
        f.pos.col,
        f.rule.code.bold(),
        severity_tag(f.severity),
        terminal(&f.message)
    )
}

fn heading(out: &mut dyn Write, title: &str) -> io::Result<()> {
    writeln!(out, "\n  {}", title.bold())
}

fn manifest_section(out: &mut dyn Write, m: &ManifestReport<'_>) -> io::Result<()> {
    let verdict = if m.verdict().is_ready() {
        "ready".green().bold()
    } else {
        "not ready".red().bold()
    };
    writeln!(
        out,
        "{} {} ({}): {verdict}",
        m.kind(),
        terminal(m.name()).bold(),
        terminal(&m.path)
    )?;
    if let ManifestContext::Release(cx) = &m.context {
        let c = cx.coverage();
        let features = if c.features == 1 {
            "feature"
        } else {
            "features"
        };
        writeln!(
            out,
            "  {} {features} in scope, {} tested; {} user-facing, {} documented, {} trained",
            c.features, c.tested, c.user_facing, c.documented, c.trained
        )?;
        let blocked = m.blocked_subjects();
        let rows: Vec<FeatureRow<'_>> = matrix(cx, &blocked).take(MAX_ROWS).collect();
        if !rows.is_empty() {
            heading(out, "Readiness matrix:")?;
            matrix_table(out, &rows)?;
            let rest = cx.release.features.len().saturating_sub(MAX_ROWS);
            if rest > 0 {
                writeln!(
                    out,
                    "  ... and {rest} more features (--format json lists every finding)"
                )?;
            }
        }
        tests_section(out, cx)?;
    }
    if let ManifestContext::Program(cx) = &m.context {
        program_section(out, cx, &m.outcome.products)?;
    }
    waived_section(out, m)?;
    if !m.outcome.not_evaluated.is_empty() {
        heading(out, "Not evaluated:")?;
        // Rules with the same reason share a line ("RC301, RC302, ...: no sprints given").
        for group in m.outcome.not_evaluated.chunk_by(|a, b| a.1 == b.1) {
            let reason = terminal(&group[0].1);
            if let [(meta, _)] = group {
                writeln!(out, "  {} {}: {reason}", meta.code, meta.name)?;
            } else {
                let codes: Vec<&str> = group.iter().map(|(m, _)| m.code).collect();
                writeln!(out, "  {}: {reason}", codes.join(", "))?;
            }
        }
    }
    next_steps_section(out, m)
}

/// A cell: items joined by ", ", missing and failing ones spelled out.
fn cell(items: &[Item<'_>], internal: bool) -> String {
    if items.is_empty() {
        return if internal {
            "(internal)".to_owned()
        } else {
            "-".to_owned()
        };
    }
    let parts: Vec<String> = items
        .iter()
        .map(|i| match i.state {
            ItemState::Ok => i.label.to_owned(),
            ItemState::NotPassing(why) => format!("{} ({why})", i.label),
            ItemState::Missing => format!("{} MISSING", i.label),
        })
        .collect();
    parts.join(", ")
}

fn matrix_table(out: &mut dyn Write, rows: &[FeatureRow<'_>]) -> io::Result<()> {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let internal = !r.feature.user_facing();
            vec![
                r.feature.id.to_string(),
                r.feature.status.to_string(),
                cell(&r.tests, false),
                cell(&r.docs, internal),
                cell(&r.training, internal),
                r.state.as_str().to_owned(),
            ]
        })
        .collect();
    let header = ["feature", "status", "tests", "docs", "training", "verdict"];
    table(out, &header, &cells, |row, text| match rows[row].state {
        FeatureState::Ready => text.green(),
        FeatureState::NotReady => text.red(),
        FeatureState::OutOfScope => text.dimmed(),
    })
}

/// Each test with its status and whether a report backs it (the first [`MAX_ROWS`]).
fn tests_section(out: &mut dyn Write, cx: &Context<'_>) -> io::Result<()> {
    let tests = cx.evidence.tests();
    if tests.is_empty() {
        return Ok(());
    }
    heading(out, "Tests and their evidence:")?;
    let shown = &tests[..tests.len().min(MAX_ROWS)];
    let rows: Vec<Vec<String>> = shown
        .iter()
        .zip(&cx.release.tests)
        .map(|(t, entry)| {
            let why = t.unverified_reason().unwrap_or_default();
            let evidence = if t.verified() {
                format!(
                    "verified: {} {}",
                    t.report.as_deref().unwrap_or_default(),
                    t.report_says()
                )
            } else if t.status == TestStatus::Passed && !t.passing() {
                format!("contradicted: {why}")
            } else {
                format!("unverified: {why}")
            };
            vec![
                t.id.clone(),
                entry.kind.to_string(),
                t.status.to_string(),
                evidence,
            ]
        })
        .collect();
    let header = ["test", "kind", "status", "evidence"];
    table(out, &header, &rows, |i, text| {
        let t = &shown[i];
        if !t.passing() && t.status == TestStatus::Passed {
            text.red()
        } else if t.verified() && t.passing() {
            text.green()
        } else {
            text.normal()
        }
    })?;
    if tests.len() > MAX_ROWS {
        writeln!(
            out,
            "  ... and {} more tests (--format json lists every test)",
            tests.len() - MAX_ROWS
        )?;
    }
    Ok(())
}

/// A left-aligned table with a bold header row; `last` styles each row's last cell.
fn table(
    out: &mut dyn Write,
    header: &[&str],
    rows: &[Vec<String>],
    last: impl Fn(usize, &str) -> ColoredString,
) -> io::Result<()> {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|c| terminal(c).into_owned()).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in &rows {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let pad = |s: &str, w: usize| format!("{s}{}", " ".repeat(w.saturating_sub(s.chars().count())));
    let head: Vec<String> = header
        .iter()
        .zip(&widths)
        .map(|(h, w)| pad(h, *w))
        .collect();
    writeln!(out, "  {}", head.join("  ").trim_end().bold())?;
    for (i, row) in rows.iter().enumerate() {
        let Some((end, body)) = row.split_last() else {
            continue;
        };
        let cells: Vec<String> = body.iter().zip(&widths).map(|(c, w)| pad(c, *w)).collect();
        writeln!(out, "  {}  {}", cells.join("  "), last(i, end))?;
    }
    Ok(())
}

fn program_section(
    out: &mut dyn Write,
    cx: &ProgramContext<'_>,
    states: &[ProductState],
) -> io::Result<()> {
    heading(out, "Products:")?;
    let dash = || "-".to_owned();
    let rows: Vec<Vec<String>> = products(cx, states)
        .into_iter()
        .map(|r| {
            vec![
                r.id.to_owned(),
                r.state.label().to_owned(),
                r.counts.map_or_else(dash, |(e, _)| e.to_string()),
                r.counts.map_or_else(dash, |(_, w)| w.to_string()),
                if r.depends_on.is_empty() {
                    dash()
                } else {
                    r.depends_on.join(", ")
                },
                r.manifest.to_owned(),
            ]
        })
        .collect();
    let header = [
        "product",
        "state",
        "errors",
        "warnings",
        "depends on",
        "manifest",
    ];
    table(out, &header, &rows, |_, text| text.normal())?;
    match ship_order(cx) {
        Some(waves) => {
            let waves: Vec<String> = waves.iter().map(|w| w.join(" + ")).collect();
            writeln!(out, "  Ship order: {}", terminal(&waves.join(", then ")))?;
        }
        None => writeln!(
            out,
            "  Ship order: none, the dependencies form a cycle (RC503)"
        )?,
    }
    Ok(())
}

fn waived_section(out: &mut dyn Write, m: &ManifestReport<'_>) -> io::Result<()> {
    let waived: Vec<&Finding> = m
        .outcome
        .findings
        .iter()
        .filter(|f| f.is_waived())
        .collect();
    if waived.is_empty() {
        return Ok(());
    }
    heading(out, "Waived:")?;
    for f in waived {
        let Some(w) = f.waiver.and_then(|i| m.waivers().get(i)) else {
            continue;
        };
        writeln!(
            out,
            "  {}:{}: {} {}",
            terminal(&m.path),
            f.pos,
            f.rule.code,
            terminal(&f.message)
        )?;
        let expires = w
            .expires
            .as_ref()
            .map(|e| format!(" (expires {})", e.value))
            .unwrap_or_default();
        writeln!(
            out,
            "      waived by {}{expires}: {}",
            terminal(&w.owner.value),
            terminal(&w.reason.value)
        )?;
    }
    Ok(())
}

fn next_steps_section(out: &mut dyn Write, m: &ManifestReport<'_>) -> io::Result<()> {
    let groups = next_steps(m);
    if groups.is_empty() {
        return Ok(());
    }
    heading(out, "What to do next:")?;
    for g in groups.iter().take(MAX_ROWS) {
        writeln!(out, "  {}:", terminal(&g.label))?;
        for (severity, step) in &g.steps {
            let mark = match severity {
                Severity::Error => "-".red(),
                Severity::Warning => "-".yellow(),
            };
            let note = if *severity == Severity::Warning {
                " (warning)"
            } else {
                ""
            };
            writeln!(out, "    {mark} {}{note}", terminal(step))?;
        }
    }
    if groups.len() > MAX_ROWS {
        writeln!(
            out,
            "  ... and {} more subjects with findings",
            groups.len() - MAX_ROWS
        )?;
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
    if report.verdict.is_ready() {
        if s.errors + s.warnings + s.waived == 0 {
            writeln!(out, "{}", "READY".green().bold())
        } else {
            writeln!(out, "{}: {counts}", "READY".green().bold())
        }
    } else {
        writeln!(out, "{}: {counts}", "NOT READY".red().bold())
    }
}
