//! The Markdown report (`--format markdown`), for a pull-request comment or the GitHub
//! Actions job summary (`$GITHUB_STEP_SUMMARY`): the verdict and counts, then per manifest its
//! coverage, findings grouped by pitfall, the readiness matrix, waived findings, rules not
//! evaluated, and what to do next. With `--new-since`: the new findings, then the existing
//! ones, then the findings resolved and relaxed by the change.
//!
//! Every string from a manifest goes through [`escape::markdown`], so a feature title cannot
//! break a table or inject a link, an image, HTML or a mention; file names go through
//! [`escape::file_name`] first.
//!
//! The report is bounded whatever the input, so it fits a pull-request comment (65,536
//! characters) and a job summary (1 MiB): the view cuts long lists ([`MAX_ROWS`],
//! [`MAX_FINDINGS`]), [`escape::markdown`] clips long strings, and a [`Budget`] of
//! [`MAX_BYTES`] stops the report at the first block that would not fit, with a note of what
//! was left out. The verdict comes first, so it is always there; the JSON or SARIF report has
//! everything.

use std::io::{self, Write};

use super::Report;
use super::escape::{file_name, markdown as md, markdown_code_spans};
use super::readiness::{FeatureRow, FeatureState, Item, ItemState};
use super::view::{Budget, ChangeList, Limits, ManifestView, ProgramView, ReportView, due_tag};
use crate::engine::ProductState;
use crate::rule::{BaselineState, Finding, Severity};
use crate::rules;

/// Rows of the readiness matrix and the products table, and subjects in "what to do next",
/// per manifest.
pub const MAX_ROWS: usize = Limits::MARKDOWN.rows;
/// Finding rows (and waived finding rows) per manifest.
pub const MAX_FINDINGS: usize = Limits::MARKDOWN.findings;
/// The most the whole report may take, in bytes (never fewer than characters): under the
/// 65,536 characters of a GitHub comment, with room for a line or two that a workflow adds
/// around it; far under the 1 MiB of a job summary.
pub const MAX_BYTES: usize = 64_000;
/// Of [`MAX_BYTES`], what is kept for the notes of what was left out.
const NOTES_BYTES: usize = 1_000;

/// Where a reader finds what the Markdown report leaves out.
const ELSEWHERE: &str = "see the JSON or SARIF report";

pub fn render(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let view = ReportView::new(report, Limits::MARKDOWN);
    let b = &mut Budget::new(out, MAX_BYTES, NOTES_BYTES);
    let h = &view.headline;
    let mark = if h.pass { "✅" } else { "❌" };
    let mut head = format!(
        "## {mark} relcheck: {}\n\n{}\n",
        h.label,
        md(h.rest.trim_start_matches(" · "))
    );
    for e in &view.errors {
        head.push_str(&format!("\n- ❌ not checked: {}\n", md(e)));
    }
    b.block(&head)?;
    for (i, m) in view.manifests.iter().enumerate() {
        manifest_section(b, m)?;
        if b.is_full() {
            let rest = view.manifests.len() - i - 1;
            let manifests = if rest > 0 {
                format!(", and {},", super::plural(rest, "more manifest"))
            } else {
                String::new()
            };
            b.note(&format!(
                "\n✂️ The report stops here to fit a GitHub comment (65,536 characters): what follows of this manifest{manifests} is left out; {ELSEWHERE}.\n"
            ))?;
            break;
        }
    }
    Ok(())
}

/// `… 12 more findings: see the JSON or SARIF report.`
fn more(n: usize, what: &str) -> String {
    format!("\n… {n} more {what}: {ELSEWHERE}.\n")
}

/// Writes `rows` while they fit, then a note of how many are left out: those that did not
/// fit and the `left_out` the view cut.
fn rows(
    b: &mut Budget<'_>,
    rows: impl ExactSizeIterator<Item = String>,
    left_out: usize,
    what: &str,
) -> io::Result<()> {
    let total = rows.len() + left_out;
    for (written, row) in rows.enumerate() {
        if !b.block(&row)? {
            return b.note(&more(total - written, what));
        }
    }
    if left_out > 0 && !b.block(&more(left_out, what))? {
        b.note(&more(left_out, what))?;
    }
    Ok(())
}

fn manifest_section(b: &mut Budget<'_>, m: &ManifestView<'_>) -> io::Result<()> {
    let (mark, verdict) = if m.verdict.is_ready() {
        ("✅", "ready")
    } else {
        ("❌", "not ready")
    };
    let track = if m.on_track {
        "on track".to_owned()
    } else {
        format!("not on track ({} late)", m.late)
    };
    let mut head = format!(
        "\n### {mark} {} {}: {verdict}, {track}\n\n{}, checked as of {}: {}, {}, {} waived\n",
        m.kind,
        md(m.name),
        md(&file_name(m.shown)),
        m.today,
        super::plural(m.errors, "error"),
        super::plural(m.warnings, "warning"),
        m.waived_count
    );
    if let Some(c) = m.coverage {
        head.push_str(&format!(
            "\n{} features in scope, {} tested; {} user-facing, {} documented, {} trained\n",
            c.features, c.tested, c.user_facing, c.documented, c.trained
        ));
    }
    head.push_str(&schedule(m));
    if !b.block(&head)? {
        return Ok(());
    }
    findings_section(b, m)?;
    for list in &m.changes {
        if b.is_full() {
            break;
        }
        changes_section(b, list)?;
    }
    if let Some(matrix) = &m.matrix
        && !matrix.shown.is_empty()
        && b.block(&if m.code_column {
            format!(
                "\n#### Readiness matrix\n\n{}\n{}\n",
                "| Feature | Title | Status | Tests | Code coverage | Docs | Training | Verdict |",
                "|---|---|---|---|---|---|---|---|"
            )
        } else {
            format!(
                "\n#### Readiness matrix\n\n{}\n{}\n",
                "| Feature | Title | Status | Tests | Docs | Training | Verdict |",
                "|---|---|---|---|---|---|---|"
            )
        })?
    {
        rows(
            b,
            matrix.shown.iter().map(|r| matrix_row(r, m.code_column)),
            matrix.left_out,
            "features",
        )?;
    }
    if let Some(program) = &m.program
        && !b.is_full()
    {
        products_section(b, program)?;
    }
    if !b.is_full() {
        waived_section(b, m)?;
    }
    if !m.not_evaluated.is_empty() && !b.is_full() && b.block("\n#### Not evaluated\n\n")? {
        let lines: Vec<String> = m
            .not_evaluated
            .iter()
            .flat_map(|group| {
                group.rules.iter().map(|meta| {
                    format!("- {} {}: {}\n", meta.code, md(meta.name), md(group.reason))
                })
            })
            .collect();
        rows(b, lines.into_iter(), 0, "rules not evaluated")?;
    }
    if !b.is_full() {
        next_steps_section(b, m)?;
    }
    Ok(())
}

/// `[RC101](help) untested-feature`.
fn rule_link(f: &Finding) -> String {
    format!(
        "[{}]({}) {}",
        f.rule.code,
        rules::help_uri(f.rule),
        md(f.rule.name)
    )
}

fn findings_section(b: &mut Budget<'_>, m: &ManifestView<'_>) -> io::Result<()> {
    if m.findings.is_empty() || (m.since.is_none() && !b.block("\n#### Findings\n")?) {
        return Ok(());
    }
    let total: usize = m
        .findings
        .shown
        .iter()
        .map(|g| g.findings.len())
        .sum::<usize>()
        + m.findings.left_out;
    let mut written = 0;
    let mut part = None;
    for group in &m.findings.shown {
        // With `--new-since`, a heading where the new findings, then the existing ones, begin.
        if let (Some(baseline), Some(counts)) = (group.baseline, m.since)
            && part != Some(baseline)
        {
            part = Some(baseline);
            let head = match baseline {
                BaselineState::New => format!("\n#### New findings ({})\n", counts.new),
                BaselineState::Existing => format!(
                    "\n#### Existing findings ({})\n\nAlready there at the base.\n",
                    counts.existing
                ),
            };
            if !b.block(&head)? {
                return b.note(&more(total - written, "findings"));
            }
        }
        let head = format!(
            "\n**{} {}**\n\n| Severity | Rule | Location | Message | Due |\n|---|---|---|---|---|\n",
            group.group.range(),
            md(group.group.title())
        );
        let fits = b.block(&head)?;
        for f in group.findings.iter().take_while(|_| fits) {
            if !b.block(&finding_row(m, f))? {
                break;
            }
            written += 1;
        }
        if b.is_full() {
            return b.note(&more(total - written, "findings"));
        }
    }
    let left_out = m.findings.left_out;
    if left_out > 0 && !b.block(&more(left_out, "findings"))? {
        b.note(&more(left_out, "findings"))?;
    }
    Ok(())
}

fn finding_row(m: &ManifestView<'_>, f: &Finding) -> String {
    let severity = match f.severity {
        Severity::Error => "❌ error",
        Severity::Warning => "⚠️ warning",
    };
    let due = if f.late {
        "**late**".to_owned()
    } else {
        md(&due_tag(f))
    };
    format!(
        "| {severity} | {} | {}:{}:{} | {} | {due} |\n",
        rule_link(f),
        md(&file_name(m.shown)),
        f.pos.line,
        f.pos.col,
        md(&f.message)
    )
}

/// "Resolved by this change" or "Relaxed by this change": a table of rule, subject, message.
fn changes_section(b: &mut Budget<'_>, list: &ChangeList<'_>) -> io::Result<()> {
    let head = format!(
        "\n#### {}\n\n| Rule | Subject | Message |\n|---|---|---|\n",
        list.title
    );
    if !b.block(&head)? {
        return Ok(());
    }
    let items = list.items.shown.iter().map(|l| {
        format!(
            "| [{}]({}) {} | {} | {} |\n",
            l.rule.code,
            rules::help_uri(l.rule),
            md(l.rule.name),
            md(&l.subject),
            md(&l.message)
        )
    });
    rows(b, items, list.items.left_out, list.what)
}

/// The milestones with their dates and the open findings due at each, as a short table.
fn schedule(m: &ManifestView<'_>) -> String {
    let mut s = String::from("\n| Milestone | Date | Open findings due |\n|---|---|---|\n");
    for r in &m.schedule.rows {
        let date = match r.date {
            Some(d) => format!("{d} ({})", r.when),
            None => r.when.clone(),
        };
        let source = r
            .source
            .as_deref()
            .map_or_else(String::new, |s| format!(" ({})", md(s)));
        let due = match (r.open, r.late) {
            (n, 0) => n.to_string(),
            (n, l) => format!("{n}, **{l} late**"),
        };
        s.push_str(&format!("| {}{source} | {date} | {due} |\n", r.name));
    }
    if let Some(w) = m.schedule.warning {
        s.push_str(&format!("\n⚠️ {}\n", md(w)));
    }
    s
}

/// A cell: items joined by ", ", missing and failing ones spelled out.
fn cell(items: &[Item<'_>], internal: bool) -> String {
    if items.is_empty() {
        return if internal { "*internal*" } else { "-" }.to_owned();
    }
    let parts: Vec<String> = items
        .iter()
        .map(|i| match i.state {
            ItemState::Ok => md(i.label),
            ItemState::NotPassing(why) => format!("**{} ({})**", md(i.label), md(why)),
            ItemState::Missing => format!("**{} missing**", md(i.label)),
        })
        .collect();
    parts.join(", ")
}

fn matrix_row(r: &FeatureRow<'_>, code: bool) -> String {
    let f = r.feature;
    let verdict = match r.state {
        FeatureState::Ready => "✅ ready",
        FeatureState::NotReady => "❌ not ready",
        FeatureState::OutOfScope => "➖ out of scope",
    };
    let coverage = match (&r.code, code) {
        (Some(c), true) => format!(" {} |", md(c)),
        _ => String::new(),
    };
    format!(
        "| {} | {} | {} | {} |{coverage} {} | {} | {verdict} |\n",
        md(f.id.as_str()),
        f.title.as_ref().map(|t| md(t)).unwrap_or_default(),
        md(f.status.as_str()),
        cell(&r.tests, false),
        cell(&r.docs, r.internal),
        cell(&r.training, r.internal),
    )
}

fn products_section(b: &mut Budget<'_>, program: &ProgramView<'_>) -> io::Result<()> {
    let head = "\n#### Products\n\n| Product | State | Errors | Warnings | Depends on | Manifest |\n|---|---|---|---|---|---|\n";
    if !b.block(head)? {
        return Ok(());
    }
    let products = program.products.shown.iter().map(|r| {
        let mark = if r.state == ProductState::Ready {
            "✅"
        } else {
            "❌"
        };
        let (errors, warnings) = r.counts.map_or(("-".to_owned(), "-".to_owned()), |(e, w)| {
            (e.to_string(), w.to_string())
        });
        let deps: Vec<String> = r.depends_on.iter().map(|d| md(d)).collect();
        format!(
            "| {} | {mark} {} | {errors} | {warnings} | {} | {} |\n",
            md(r.id),
            r.state.label(),
            if deps.is_empty() {
                "-".to_owned()
            } else {
                deps.join(", ")
            },
            md(&file_name(r.manifest))
        )
    });
    rows(b, products, program.products.left_out, "products")?;
    if b.is_full() {
        return Ok(());
    }
    let line = match &program.ship_order {
        Some(waves) => {
            let waves: Vec<String> = waves
                .iter()
                .map(|w| w.iter().map(|p| md(p)).collect::<Vec<_>>().join(" + "))
                .collect();
            format!("\nShip order: {}\n", waves.join(", then "))
        }
        None => "\nShip order: none, the dependencies form a cycle (RC503)\n".to_owned(),
    };
    if !b.optional(&line)? {
        b.note(&format!(
            "\nShip order: too long to show here; {ELSEWHERE} for each product's dependencies.\n"
        ))?;
    }
    Ok(())
}

fn waived_section(b: &mut Budget<'_>, m: &ManifestView<'_>) -> io::Result<()> {
    if m.waived.is_empty() {
        return Ok(());
    }
    let head = "\n#### Waived\n\n| Rule | Location | Message | Waived by | Expires | Reason |\n|---|---|---|---|---|---|\n";
    if !b.block(head)? {
        return Ok(());
    }
    let waived = m.waived.shown.iter().map(|row| {
        let (f, w) = (row.finding, row.waiver);
        let expires = w
            .expires
            .as_ref()
            .map_or_else(|| "never".to_owned(), |e| e.value.to_string());
        format!(
            "| {} | {}:{}:{} | {} | {} | {} | {} |\n",
            rule_link(f),
            md(&file_name(m.shown)),
            f.pos.line,
            f.pos.col,
            md(&f.message),
            md(&w.owner),
            md(&expires),
            md(&w.reason)
        )
    });
    rows(b, waived, m.waived.left_out, "waived findings")
}

fn next_steps_section(b: &mut Budget<'_>, m: &ManifestView<'_>) -> io::Result<()> {
    if m.next_steps.is_empty() || !b.block("\n#### What to do next\n\n")? {
        return Ok(());
    }
    let groups = m.next_steps.shown.iter().map(|g| {
        let mut text = format!("- **{}**\n", md(&g.label));
        for (severity, step) in &g.steps {
            let note = if *severity == Severity::Warning {
                " *(warning)*"
            } else {
                ""
            };
            // The actions' field names stay code spans (`docs`), as they read raw.
            text.push_str(&format!("  - {}{note}\n", markdown_code_spans(step)));
        }
        text
    });
    rows(b, groups, m.next_steps.left_out, "subjects with findings")
}
