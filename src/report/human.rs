//! The human report: ruff-style finding lines (ending with the subject a waiver names), then
//! per manifest the readiness matrix, waived findings, rules not evaluated and what to do
//! next, and a one-line verdict.
//! Colour only here, and only when asked for. Every string from a manifest or a file goes
//! through [`escape::terminal`], so it cannot send escape sequences to the terminal.

use std::io::{self, Write};

use colored::{ColoredString, Colorize};

use super::Report;
use super::escape::{file_name, terminal};
use super::readiness::{FeatureRow, FeatureState, Item, ItemState};
use super::view::{
    Limits, Listing, ManifestView, ProgramView, ReportView, TestEvidenceView, TestRow, Tone,
    due_tag,
};
use crate::rule::{Finding, Severity};

/// Rows of the readiness matrix, the tests and products tables, and groups of "what to do
/// next", shown per manifest; the rest are counted.
pub const MAX_ROWS: usize = Limits::HUMAN.rows;

pub fn render(report: &Report<'_>, color: bool, out: &mut dyn Write) -> io::Result<()> {
    colored::control::set_override(color);
    let view = ReportView::new(report, Limits::HUMAN);
    // What could not be loaded is on standard error. When nothing was checked at all, that is
    // the whole answer (exit 2); otherwise the verdict line repeats how many were not loaded,
    // so a log that keeps only standard output still shows it.
    if view.manifests.is_empty() {
        return Ok(());
    }
    let mut any_line = false;
    for m in &view.manifests {
        for f in &m.open {
            finding_line(out, m.shown, f)?;
            any_line = true;
        }
    }
    for m in &view.manifests {
        for (title, list) in [
            ("resolved by this change", m.resolved),
            ("relaxed by this change", m.relaxed),
        ] {
            if list.is_empty() {
                continue;
            }
            writeln!(out, "\n{}: {title}:", path(m.shown))?;
            for l in list {
                writeln!(
                    out,
                    "  {} {}: {}",
                    l.rule.code,
                    terminal(&l.subject),
                    terminal(&l.message)
                )?;
            }
            any_line = true;
        }
    }
    for (i, m) in view.manifests.iter().enumerate() {
        if any_line || i > 0 {
            writeln!(out)?;
        }
        manifest_section(out, m)?;
    }
    writeln!(out)?;
    verdict_line(out, &view)
}

/// A file name for the terminal: no escape sequence, and no line of its own.
fn path(p: &str) -> String {
    terminal(&file_name(p)).into_owned()
}

fn severity_tag(s: Severity) -> ColoredString {
    match s {
        Severity::Error => "[error]".red().bold(),
        Severity::Warning => "[warning]".yellow().bold(),
    }
}

fn finding_line(out: &mut dyn Write, file: &str, f: &Finding) -> io::Result<()> {
    let due = due_tag(f);
    let due = if f.late && f.blocking {
        format!("· {due}").red()
    } else {
        format!("· {due}").dimmed()
    };
    // The subject is what a waiver names (`rule: RC101`, `subject: ...`), so it is shown.
    let subject = format!("· subject: {}", terminal(&f.subject)).dimmed();
    writeln!(
        out,
        "{}:{}:{}: {} {} {} {due} {subject}",
        path(file).bold(),
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

fn manifest_section(out: &mut dyn Write, m: &ManifestView<'_>) -> io::Result<()> {
    let verdict = if m.verdict.is_ready() {
        "ready".green().bold()
    } else {
        "not ready".red().bold()
    };
    let track = if m.on_track {
        "on track".green()
    } else {
        format!("not on track ({} late)", m.late).red()
    };
    writeln!(
        out,
        "{} {} ({}): {verdict}, {track}",
        m.kind,
        terminal(m.name).bold(),
        path(m.shown)
    )?;
    if let Some(c) = m.coverage {
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
    }
    if let Some(matrix) = &m.matrix
        && !matrix.shown.is_empty()
    {
        heading(out, "Readiness matrix:")?;
        matrix_table(out, &matrix.shown, m.code_column)?;
        if matrix.left_out > 0 {
            writeln!(
                out,
                "  ... and {} more features (--format json lists every finding)",
                matrix.left_out
            )?;
        }
    }
    tests_section(out, &m.tests)?;
    schedule_section(out, m)?;
    if let Some(program) = &m.program {
        program_section(out, program)?;
    }
    waived_section(out, m)?;
    if !m.not_evaluated.is_empty() {
        heading(out, "Not evaluated:")?;
        // Rules with the same reason share a line ("RC301, RC302, ...: no sprints given").
        for group in &m.not_evaluated {
            let reason = terminal(group.reason);
            if let [meta] = group.rules.as_slice() {
                writeln!(out, "  {} {}: {reason}", meta.code, meta.name)?;
            } else {
                let codes: Vec<&str> = group.rules.iter().map(|m| m.code).collect();
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

fn matrix_table(out: &mut dyn Write, rows: &[FeatureRow<'_>], code: bool) -> io::Result<()> {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut row = vec![
                r.feature.id.to_string(),
                r.feature.status.to_string(),
                cell(&r.tests, false),
            ];
            if code {
                row.push(r.code.clone().unwrap_or_default());
            }
            row.extend([
                cell(&r.docs, r.internal),
                cell(&r.training, r.internal),
                r.state.as_str().to_owned(),
            ]);
            row
        })
        .collect();
    let header: &[&str] = if code {
        &[
            "feature",
            "status",
            "tests",
            "code coverage",
            "docs",
            "training",
            "verdict",
        ]
    } else {
        &["feature", "status", "tests", "docs", "training", "verdict"]
    };
    table(out, header, &cells, |row, text| match rows[row].state {
        FeatureState::Ready => text.green(),
        FeatureState::NotReady => text.red(),
        FeatureState::OutOfScope => text.dimmed(),
    })
}

/// Each test with its status and whether a report backs it.
fn tests_section(out: &mut dyn Write, tests: &Listing<TestRow<'_>>) -> io::Result<()> {
    if tests.shown.is_empty() {
        return Ok(());
    }
    heading(out, "Tests and their evidence:")?;
    let rows: Vec<Vec<String>> = tests
        .shown
        .iter()
        .map(|t| {
            let evidence = match &t.evidence {
                TestEvidenceView::Verified { report, says } => format!("verified: {report} {says}"),
                TestEvidenceView::Contradicted(why) => format!("contradicted: {why}"),
                TestEvidenceView::Unverified(why) => format!("unverified: {why}"),
            };
            vec![
                t.id.to_owned(),
                t.kind.to_owned(),
                t.status.to_owned(),
                evidence,
            ]
        })
        .collect();
    let header = ["test", "kind", "status", "evidence"];
    table(out, &header, &rows, |i, text| match tests.shown[i].tone {
        Tone::Bad => text.red(),
        Tone::Good => text.green(),
        Tone::Warn | Tone::Neutral => text.normal(),
    })?;
    if tests.left_out > 0 {
        writeln!(
            out,
            "  ... and {} more tests (--format json lists every test)",
            tests.left_out
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

fn program_section(out: &mut dyn Write, program: &ProgramView<'_>) -> io::Result<()> {
    heading(out, "Products:")?;
    let dash = || "-".to_owned();
    let rows: Vec<Vec<String>> = program
        .products
        .shown
        .iter()
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
                file_name(r.manifest).into_owned(),
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
    if program.products.left_out > 0 {
        writeln!(
            out,
            "  ... and {} more products (--format json lists every product)",
            program.products.left_out
        )?;
    }
    match &program.ship_order {
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

fn waived_section(out: &mut dyn Write, m: &ManifestView<'_>) -> io::Result<()> {
    if m.waived.shown.is_empty() {
        return Ok(());
    }
    heading(out, "Waived:")?;
    for row in &m.waived.shown {
        let (f, w) = (row.finding, row.waiver);
        writeln!(
            out,
            "  {}:{}: {} {}",
            path(m.shown),
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

fn next_steps_section(out: &mut dyn Write, m: &ManifestView<'_>) -> io::Result<()> {
    if m.next_steps.is_empty() {
        return Ok(());
    }
    heading(out, "What to do next:")?;
    for g in &m.next_steps.shown {
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
    if m.next_steps.left_out > 0 {
        writeln!(
            out,
            "  ... and {} more subjects with findings",
            m.next_steps.left_out
        )?;
    }
    Ok(())
}

/// The milestones with their dates, days left and the open findings due at each.
fn schedule_section(out: &mut dyn Write, m: &ManifestView<'_>) -> io::Result<()> {
    heading(out, "Schedule:")?;
    if let Some(warning) = m.schedule.warning {
        writeln!(out, "  {}", warning.yellow())?;
    }
    let rows: Vec<Vec<String>> = m
        .schedule
        .rows
        .iter()
        .map(|r| {
            let date = r.date.map_or_else(|| "-".to_owned(), |d| d.to_string());
            let when = r.when.clone();
            let due = match (r.open, r.late) {
                (0, _) => "nothing open".to_owned(),
                (n, 0) => format!("{n} open"),
                (n, l) => format!("{n} open, {l} late"),
            };
            vec![
                r.name.to_owned(),
                date,
                r.source
                    .as_deref()
                    .map_or_else(String::new, |s| terminal(s).into_owned()),
                when,
                due,
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..5)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    for r in &rows {
        let cells: Vec<String> = r
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        writeln!(out, "  {}", cells.join("  ").trim_end())?;
    }
    Ok(())
}

fn verdict_line(out: &mut dyn Write, view: &ReportView<'_>) -> io::Result<()> {
    let h = &view.headline;
    let label = if h.label == "READY" {
        h.label.green().bold()
    } else {
        h.label.red().bold()
    };
    writeln!(out, "{label}{}", h.rest)
}
