//! The Markdown report (`--format markdown`), for a pull-request comment or the GitHub
//! Actions job summary (`$GITHUB_STEP_SUMMARY`): the verdict and counts, then per manifest its
//! coverage, findings grouped by pitfall, the readiness matrix, waived findings, rules not
//! evaluated, and what to do next.
//!
//! Every string from a manifest goes through [`escape::markdown`], so a feature title cannot
//! break a table or inject a link, an image, HTML or a mention. Long lists are cut (GitHub
//! limits a comment to 65,536 characters); the JSON or SARIF report has everything.

use std::io::{self, Write};

use super::escape::markdown as md;
use super::{
    FeatureRow, FeatureState, Item, ItemState, ManifestContext, ManifestReport, Report, RuleGroup,
    matrix, next_steps, products, ship_order,
};
use crate::context::ProgramContext;
use crate::engine::ProductState;
use crate::rule::{Finding, Severity};
use crate::rules;

/// Rows of the readiness matrix, and subjects in "what to do next", per manifest.
pub const MAX_ROWS: usize = super::human::MAX_ROWS;
/// Finding rows per manifest.
pub const MAX_FINDINGS: usize = 100;

pub fn render(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let mark = if report.verdict.is_ready() {
        "✅"
    } else {
        "❌"
    };
    writeln!(out, "## {mark} relcheck: {}", report.verdict.label())?;
    writeln!(out)?;
    writeln!(out, "{}", report.counts())?;
    for m in &report.manifests {
        manifest_section(out, m)?;
    }
    Ok(())
}

fn manifest_section(out: &mut dyn Write, m: &ManifestReport<'_>) -> io::Result<()> {
    let (mark, verdict) = if m.verdict().is_ready() {
        ("✅", "ready")
    } else {
        ("❌", "not ready")
    };
    writeln!(out)?;
    writeln!(out, "### {mark} {} {}: {verdict}", m.kind(), md(m.name()))?;
    writeln!(out)?;
    let errors = m.outcome.count(Severity::Error);
    let warnings = m.outcome.count(Severity::Warning);
    writeln!(
        out,
        "{}, checked as of {}: {}, {}, {} waived",
        md(&m.path),
        m.today(),
        super::plural(errors, "error"),
        super::plural(warnings, "warning"),
        m.outcome.waived()
    )?;
    if let Some(c) = m.coverage() {
        writeln!(out)?;
        writeln!(
            out,
            "{} features in scope, {} tested; {} user\\-facing, {} documented, {} trained",
            c.features, c.tested, c.user_facing, c.documented, c.trained
        )?;
    }
    findings_section(out, m)?;
    if let ManifestContext::Release(cx) = &m.context {
        let blocked = m.blocked_subjects();
        let rows: Vec<FeatureRow<'_>> = matrix(cx, &blocked).take(MAX_ROWS).collect();
        if !rows.is_empty() {
            writeln!(out, "\n#### Readiness matrix\n")?;
            writeln!(
                out,
                "| Feature | Title | Status | Tests | Docs | Training | Verdict |"
            )?;
            writeln!(out, "|---|---|---|---|---|---|---|")?;
            for r in &rows {
                matrix_row(out, r)?;
            }
            let rest = cx.release.features.len().saturating_sub(MAX_ROWS);
            if rest > 0 {
                writeln!(out, "\n… and {rest} more features.")?;
            }
        }
    }
    if let ManifestContext::Program(cx) = &m.context {
        products_section(out, cx, &m.outcome.products)?;
    }
    waived_section(out, m)?;
    if !m.outcome.not_evaluated.is_empty() {
        writeln!(out, "\n#### Not evaluated\n")?;
        for (meta, reason) in &m.outcome.not_evaluated {
            writeln!(out, "- {} {}: {}", meta.code, md(meta.name), md(reason))?;
        }
    }
    next_steps_section(out, m)
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

fn findings_section(out: &mut dyn Write, m: &ManifestReport<'_>) -> io::Result<()> {
    let open: Vec<&Finding> = m
        .outcome
        .findings
        .iter()
        .filter(|f| !f.is_waived())
        .collect();
    if open.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n#### Findings")?;
    let mut shown = 0;
    for group in RuleGroup::ALL {
        let in_group: Vec<&&Finding> = open
            .iter()
            .filter(|f| RuleGroup::of(f.rule) == group)
            .collect();
        if in_group.is_empty() || shown >= MAX_FINDINGS {
            continue;
        }
        writeln!(out, "\n**{} {}**\n", group.range(), md(group.title()))?;
        writeln!(out, "| Severity | Rule | Location | Message |")?;
        writeln!(out, "|---|---|---|---|")?;
        for f in in_group.into_iter().take(MAX_FINDINGS - shown) {
            let severity = match f.severity {
                Severity::Error => "❌ error",
                Severity::Warning => "⚠️ warning",
            };
            writeln!(
                out,
                "| {severity} | {} | {}:{}:{} | {} |",
                rule_link(f),
                md(&m.path),
                f.pos.line,
                f.pos.col,
                md(&f.message)
            )?;
            shown += 1;
        }
    }
    if open.len() > shown {
        writeln!(
            out,
            "\n… and {} more findings (the JSON or SARIF report lists them all).",
            open.len() - shown
        )?;
    }
    Ok(())
}

/// A cell: items joined by ", ", missing and failing ones spelled out.
fn cell(items: &[Item<'_>], internal: bool) -> String {
    if items.is_empty() {
        return if internal { "*internal*" } else { "\\-" }.to_owned();
    }
    let parts: Vec<String> = items
        .iter()
        .map(|i| match i.state {
            ItemState::Ok => md(i.label),
            ItemState::NotPassing(why) => format!("**{} \\({}\\)**", md(i.label), md(why)),
            ItemState::Missing => format!("**{} missing**", md(i.label)),
        })
        .collect();
    parts.join(", ")
}

fn matrix_row(out: &mut dyn Write, r: &FeatureRow<'_>) -> io::Result<()> {
    let f = r.feature;
    let internal = !f.user_facing();
    let verdict = match r.state {
        FeatureState::Ready => "✅ ready",
        FeatureState::NotReady => "❌ not ready",
        FeatureState::OutOfScope => "➖ out of scope",
    };
    writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} | {verdict} |",
        md(f.id.as_str()),
        f.title.as_ref().map(|t| md(t)).unwrap_or_default(),
        md(f.status.as_str()),
        cell(&r.tests, false),
        cell(&r.docs, internal),
        cell(&r.training, internal),
    )
}

fn products_section(
    out: &mut dyn Write,
    cx: &ProgramContext<'_>,
    states: &[ProductState],
) -> io::Result<()> {
    writeln!(out, "\n#### Products\n")?;
    writeln!(
        out,
        "| Product | State | Errors | Warnings | Depends on | Manifest |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|")?;
    for r in products(cx, states) {
        let mark = if r.state == ProductState::Ready {
            "✅"
        } else {
            "❌"
        };
        let (errors, warnings) = r
            .counts
            .map_or(("\\-".to_owned(), "\\-".to_owned()), |(e, w)| {
                (e.to_string(), w.to_string())
            });
        let deps: Vec<String> = r.depends_on.iter().map(|d| md(d)).collect();
        writeln!(
            out,
            "| {} | {mark} {} | {errors} | {warnings} | {} | {} |",
            md(r.id),
            r.state.label(),
            if deps.is_empty() {
                "\\-".to_owned()
            } else {
                deps.join(", ")
            },
            md(r.manifest)
        )?;
    }
    match ship_order(cx) {
        Some(waves) => {
            let waves: Vec<String> = waves
                .iter()
                .map(|w| w.iter().map(|p| md(p)).collect::<Vec<_>>().join(" \\+ "))
                .collect();
            writeln!(out, "\nShip order: {}", waves.join(", then "))
        }
        None => writeln!(
            out,
            "\nShip order: none, the dependencies form a cycle \\(RC503\\)"
        ),
    }
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
    writeln!(out, "\n#### Waived\n")?;
    writeln!(
        out,
        "| Rule | Location | Message | Waived by | Expires | Reason |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|")?;
    for f in waived.iter().take(MAX_FINDINGS) {
        let Some(w) = f.waiver.and_then(|i| m.waivers().get(i)) else {
            continue;
        };
        let expires = w
            .expires
            .as_ref()
            .map_or_else(|| "never".to_owned(), |e| e.value.to_string());
        writeln!(
            out,
            "| {} | {}:{}:{} | {} | {} | {} | {} |",
            rule_link(f),
            md(&m.path),
            f.pos.line,
            f.pos.col,
            md(&f.message),
            md(&w.owner),
            md(&expires),
            md(&w.reason)
        )?;
    }
    if waived.len() > MAX_FINDINGS {
        writeln!(
            out,
            "\n… and {} more waived findings.",
            waived.len() - MAX_FINDINGS
        )?;
    }
    Ok(())
}

fn next_steps_section(out: &mut dyn Write, m: &ManifestReport<'_>) -> io::Result<()> {
    let groups = next_steps(m);
    if groups.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n#### What to do next\n")?;
    for g in groups.iter().take(MAX_ROWS) {
        writeln!(out, "- **{}**", md(&g.label))?;
        for (severity, step) in &g.steps {
            let note = if *severity == Severity::Warning {
                " *\\(warning\\)*"
            } else {
                ""
            };
            writeln!(out, "  - {}{note}", md(step))?;
        }
    }
    if groups.len() > MAX_ROWS {
        writeln!(
            out,
            "\n… and {} more subjects with findings.",
            groups.len() - MAX_ROWS
        )?;
    }
    Ok(())
}
