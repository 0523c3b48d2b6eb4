//! The HTML report (`--format html`): one self-contained page for release managers.
//!
//! A verdict banner with the counts; then per manifest its counts, coverage bars (tested,
//! documented, trained), the readiness matrix in colour, for a release the pictures of its
//! schedule and pace (inline SVG, [`svg`]), findings grouped by pitfall, its waivers with
//! their expiry, rules not evaluated, and what to do next. With `--new-since`: the new
//! findings, then the existing ones, then the findings resolved and relaxed by the change.
//!
//! The page needs nothing else: CSS is inline, there is no JavaScript and no external
//! resource (the only URLs are links to the rules reference, followed only when clicked),
//! and a Content-Security-Policy forbids scripts and fetches outright, so even a mistake in
//! escaping could not run code. Every manifest string goes through [`escape::html`]; the
//! actions ("what to do") through [`escape::html_code_spans`], which shows their backticked
//! field names as `<code>`, every part escaped alike.

use std::io::{self, Write};

use super::escape::{file_name, html as h, html_code_spans};
use super::readiness::{FeatureRow, FeatureState, Item, ItemState};
use super::svg;
use super::view::{
    ChangeList, Limits, ManifestView, ProgramView, Ratio, ReportView, Tone, due_tag,
};
use super::{ManifestContext, Report, plural};
use crate::engine::ProductState;
use crate::manifest::Standing;
use crate::rule::{BaselineState, Severity};
use crate::rules;

const STYLE: &str = r#"
:root { --ok: #1a7f37; --ok-bg: #dafbe1; --warn: #9a6700; --warn-bg: #fff8c5;
  --bad: #cf222e; --bad-bg: #ffebe9; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial,
  sans-serif; color: #1f2328; background: #fff; }
main { max-width: 1180px; margin: 0 auto; padding: 0 24px 48px; }
.banner { padding: 22px 24px; color: #fff; }
.banner > div { max-width: 1132px; margin: 0 auto; }
.banner.ready { background: var(--ok); }
.banner.not-ready { background: var(--bad); }
.banner h1 { margin: 0; font-size: 30px; letter-spacing: .02em; }
.banner p { margin: 4px 0 0; font-size: 17px; }
.banner .meta { font-size: 13px; opacity: .9; }
section.manifest { margin-top: 28px; }
section.manifest + section.manifest { margin-top: 40px; padding-top: 8px; border-top: 2px solid var(--line); }
h2 { font-size: 22px; margin: 12px 0 2px; overflow-wrap: anywhere; }
h3 { font-size: 17px; margin: 28px 0 8px; }
h4 { font-size: 15px; margin: 18px 0 6px; color: var(--muted); }
.path { color: var(--muted); margin: 0; font-family: ui-monospace, SFMono-Regular, Menlo,
  Consolas, monospace; font-size: 13px; overflow-wrap: anywhere; }
.pill { display: inline-block; padding: 1px 10px; border-radius: 999px; font-size: 13px;
  font-weight: 600; vertical-align: middle; }
.pill.ready, .chip.ok { background: var(--ok-bg); color: var(--ok); }
.pill.not-ready, .chip.missing { background: var(--bad-bg); color: var(--bad); }
.counts { display: flex; gap: 12px; flex-wrap: wrap; margin: 14px 0 0; }
.count { border: 1px solid var(--line); border-radius: 8px; padding: 8px 16px; min-width: 120px; }
.count b { display: block; font-size: 24px; }
.count.error b { color: var(--bad); }
.count.warning b { color: var(--warn); }
.count.waived b { color: var(--muted); }
.bars { display: grid; grid-template-columns: 110px 1fr 230px; gap: 8px 14px; align-items: center;
  max-width: 820px; }
.track { height: 14px; background: var(--soft); border: 1px solid var(--line); border-radius: 7px;
  overflow: hidden; }
.fill { height: 100%; }
.fill.ok { background: var(--ok); }
.fill.warn { background: #d4a72c; }
.fill.bad { background: var(--bad); }
.bars .num { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; vertical-align: top; padding: 6px 10px; border-bottom: 1px solid var(--line);
  overflow-wrap: anywhere; }
th { background: var(--soft); font-weight: 600; white-space: nowrap; }
td.id, td.status, td.rule { white-space: nowrap; }
table.findings { table-layout: fixed; }
table.findings th:nth-child(1) { width: 90px; }
table.findings th:nth-child(2) { width: 290px; }
table.findings td.rule { white-space: normal; }
table.findings th:nth-child(3) { width: 80px; }
td.verdict { font-weight: 600; white-space: nowrap; }
tr.ready td.verdict { color: var(--ok); }
tr.not-ready td.verdict { color: var(--bad); background: var(--bad-bg); }
tr.out-of-scope td { color: var(--muted); }
.chip { display: inline-block; margin: 1px 2px; padding: 0 8px; border-radius: 6px; font-size: 13px; }
.chip.failing { background: var(--warn-bg); color: var(--warn); }
.chip.none { color: var(--muted); }
.sev { font-weight: 600; white-space: nowrap; }
.sev.error { color: var(--bad); }
.sev.warning { color: var(--warn); }
.action { color: var(--muted); font-size: 13px; }
code, .loc { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
.loc { white-space: nowrap; color: var(--muted); }
.expired { color: var(--bad); font-weight: 600; }
.expiring { color: var(--warn); font-weight: 600; }
ul.steps { padding-left: 20px; }
ul.steps > li { margin: 6px 0; }
ul.steps ul { padding-left: 18px; }
.quiet { color: var(--muted); }
footer { color: var(--muted); font-size: 13px; margin-top: 40px; }
a { color: #0969da; }
"#;

pub fn render(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let view = ReportView::new(report, Limits::ALL);
    let class = if view.headline.pass {
        "ready"
    } else {
        "not-ready"
    };
    writeln!(out, "<!DOCTYPE html>")?;
    writeln!(out, r#"<html lang="en">"#)?;
    writeln!(out, "<head>")?;
    writeln!(out, r#"<meta charset="utf-8">"#)?;
    writeln!(
        out,
        r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#
    )?;
    writeln!(
        out,
        r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">"#
    )?;
    let names: Vec<String> = view
        .manifests
        .iter()
        .map(|m| h(m.name).into_owned())
        .collect();
    writeln!(
        out,
        "<title>relcheck: {}: {}</title>",
        view.headline.label,
        names.join(", ")
    )?;
    writeln!(out, "<style>{STYLE}{}</style>", svg::STYLE)?;
    writeln!(out, "</head>")?;
    writeln!(out, "<body>")?;
    writeln!(out, r#"<header class="banner {class}"><div>"#)?;
    writeln!(out, "<h1>{}</h1>", view.headline.label)?;
    writeln!(
        out,
        "<p>{}</p>",
        h(view.headline.rest.trim_start_matches(" · "))
    )?;
    for e in &view.errors {
        writeln!(out, r#"<p class="meta">Not checked: {}</p>"#, h(e))?;
    }
    let today = view
        .today
        .map(|today| format!(" · checked as of {today}"))
        .unwrap_or_default();
    writeln!(
        out,
        r#"<p class="meta">{} checked{}{today}</p>"#,
        plural(view.manifests.len(), "manifest"),
        if view.strict {
            " with --strict (warnings fail too)"
        } else {
            ""
        }
    )?;
    writeln!(out, "</div></header>")?;
    writeln!(out, "<main>")?;
    for (n, (m, report)) in view.manifests.iter().zip(&report.manifests).enumerate() {
        manifest_section(out, m, &report.context, n)?;
    }
    writeln!(
        out,
        r#"<footer>relcheck {}: the release-readiness gate. Rules: <a href="{}">reference</a>.</footer>"#,
        env!("CARGO_PKG_VERSION"),
        rules::RULES_DOC_URL
    )?;
    writeln!(out, "</main>")?;
    writeln!(out, "</body>")?;
    writeln!(out, "</html>")
}

/// One manifest's section; `n` is its place in the report (for unique element ids).
fn manifest_section(
    out: &mut dyn Write,
    m: &ManifestView<'_>,
    context: &ManifestContext<'_>,
    n: usize,
) -> io::Result<()> {
    let (class, verdict) = if m.verdict.is_ready() {
        ("ready", "ready")
    } else {
        ("not-ready", "not ready")
    };
    writeln!(out, r#"<section class="manifest">"#)?;
    let (track_class, track) = if m.on_track {
        ("ready", "on track".to_owned())
    } else {
        ("not-ready", format!("not on track ({} late)", m.late))
    };
    writeln!(
        out,
        r#"<h2>{} {} <span class="pill {class}">{verdict}</span> <span class="pill {track_class}">{track}</span></h2>"#,
        m.kind,
        h(m.name)
    )?;
    writeln!(out, r#"<p class="path">{}</p>"#, h(&file_name(m.shown)))?;
    writeln!(out, r#"<div class="counts">"#)?;
    for (n, word, class) in [
        (m.errors, "error", "error"),
        (m.warnings, "warning", "warning"),
    ] {
        let label = if n == 1 {
            word.to_owned()
        } else {
            format!("{word}s")
        };
        writeln!(out, r#"<div class="count {class}"><b>{n}</b>{label}</div>"#)?;
    }
    writeln!(
        out,
        r#"<div class="count waived"><b>{}</b>waived</div>"#,
        m.waived_count
    )?;
    writeln!(out, "</div>")?;
    if let Some(matrix) = &m.matrix {
        writeln!(out, "<h3>Coverage</h3>")?;
        writeln!(out, r#"<div class="bars">"#)?;
        for ratio in m.ratios() {
            bar(out, &ratio)?;
        }
        writeln!(out, "</div>")?;
        if !matrix.shown.is_empty() {
            writeln!(out, "<h3>Readiness matrix</h3>")?;
            let code = if m.code_column {
                "<th>Code coverage</th>"
            } else {
                ""
            };
            writeln!(
                out,
                "<table><thead><tr><th>Feature</th><th>Title</th><th>Status</th><th>Tests</th>{code}<th>Docs</th><th>Training</th><th>Verdict</th></tr></thead><tbody>"
            )?;
            for r in &matrix.shown {
                matrix_row(out, r, m.code_column)?;
            }
            writeln!(out, "</tbody></table>")?;
        }
    }
    if let ManifestContext::Release(cx) = context {
        svg::pictures(out, cx, m, n)?;
    }
    if let Some(program) = &m.program {
        products_section(out, program)?;
    }
    findings_section(out, m)?;
    for list in &m.changes {
        changes_section(out, list)?;
    }
    waivers_section(out, m)?;
    if !m.not_evaluated.is_empty() {
        writeln!(out, "<h3>Not evaluated</h3>")?;
        writeln!(out, "<ul>")?;
        for group in &m.not_evaluated {
            for meta in &group.rules {
                writeln!(
                    out,
                    r#"<li><a href="{}">{}</a> {}: {}</li>"#,
                    h(&rules::help_uri(meta)),
                    meta.code,
                    meta.name,
                    h(group.reason)
                )?;
            }
        }
        writeln!(out, "</ul>")?;
    }
    next_steps_section(out, m)?;
    writeln!(out, "</section>")
}

/// A coverage bar: `n` of `of`, as a whole percentage rounded down.
fn bar(out: &mut dyn Write, ratio: &Ratio) -> io::Result<()> {
    let class = match ratio.tone() {
        Tone::Good | Tone::Neutral => "ok",
        Tone::Warn => "warn",
        Tone::Bad => "bad",
    };
    let (pct, text) = match ratio.percent() {
        None => (0, format!("no {}", ratio.what)),
        Some(pct) => (
            pct,
            format!("{} of {} {} ({pct}%)", ratio.n, ratio.of, ratio.what),
        ),
    };
    writeln!(
        out,
        r#"<span>{}</span><div class="track"><div class="fill {class}" style="width: {pct}%"></div></div><span class="num">{text}</span>"#,
        ratio.label
    )
}

fn cell(items: &[Item<'_>], internal: bool) -> String {
    if items.is_empty() {
        let text = if internal { "internal" } else { "none" };
        return format!(r#"<span class="chip none">{text}</span>"#);
    }
    items
        .iter()
        .map(|i| match i.state {
            ItemState::Ok => format!(r#"<span class="chip ok">{}</span>"#, h(i.label)),
            ItemState::NotPassing(why) => format!(
                r#"<span class="chip failing">{} ({})</span>"#,
                h(i.label),
                h(why)
            ),
            ItemState::Missing => {
                format!(
                    r#"<span class="chip missing">{} missing</span>"#,
                    h(i.label)
                )
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn matrix_row(out: &mut dyn Write, r: &FeatureRow<'_>, code: bool) -> io::Result<()> {
    let f = r.feature;
    let class = match r.state {
        FeatureState::Ready => "ready",
        FeatureState::NotReady => "not-ready",
        FeatureState::OutOfScope => "out-of-scope",
    };
    let coverage = match (&r.code, code) {
        (Some(c), true) => format!(r#"<td class="code">{}</td>"#, h(c)),
        _ => String::new(),
    };
    writeln!(
        out,
        r#"<tr class="{class}"><td class="id"><code>{}</code></td><td>{}</td><td class="status">{}</td><td>{}</td>{coverage}<td>{}</td><td>{}</td><td class="verdict">{}</td></tr>"#,
        h(f.id.as_str()),
        f.title
            .as_ref()
            .map(|t| h(t).into_owned())
            .unwrap_or_default(),
        h(f.status.as_str()),
        cell(&r.tests, false),
        cell(&r.docs, r.internal),
        cell(&r.training, r.internal),
        r.state.as_str()
    )
}

fn products_section(out: &mut dyn Write, program: &ProgramView<'_>) -> io::Result<()> {
    writeln!(out, "<h3>Products</h3>")?;
    writeln!(
        out,
        "<table><thead><tr><th>Product</th><th>State</th><th>Errors</th><th>Warnings</th><th>Depends on</th><th>Manifest</th></tr></thead><tbody>"
    )?;
    for r in &program.products.shown {
        let class = if r.state == ProductState::Ready {
            "ready"
        } else {
            "not-ready"
        };
        let (errors, warnings) = r.counts.map_or(("-".to_owned(), "-".to_owned()), |(e, w)| {
            (e.to_string(), w.to_string())
        });
        let deps: Vec<String> = r
            .depends_on
            .iter()
            .map(|d| format!("<code>{}</code>", h(d)))
            .collect();
        writeln!(
            out,
            r#"<tr class="{class}"><td class="id"><code>{}</code></td><td class="verdict">{}</td><td>{errors}</td><td>{warnings}</td><td>{}</td><td class="loc">{}</td></tr>"#,
            h(r.id),
            r.state.label(),
            if deps.is_empty() {
                "-".to_owned()
            } else {
                deps.join(", ")
            },
            h(&file_name(r.manifest))
        )?;
    }
    writeln!(out, "</tbody></table>")?;
    match &program.ship_order {
        Some(waves) => {
            let waves: Vec<String> = waves
                .iter()
                .map(|w| {
                    w.iter()
                        .map(|p| format!("<code>{}</code>", h(p)))
                        .collect::<Vec<_>>()
                        .join(" + ")
                })
                .collect();
            writeln!(out, "<p>Ship order: {}</p>", waves.join(", then "))
        }
        None => writeln!(
            out,
            r#"<p class="expired">Ship order: none, the dependencies form a cycle (RC503)</p>"#
        ),
    }
}

fn findings_section(out: &mut dyn Write, m: &ManifestView<'_>) -> io::Result<()> {
    writeln!(out, "<h3>Findings</h3>")?;
    if m.findings.is_empty() {
        writeln!(out, r#"<p class="quiet">No open findings.</p>"#)?;
        return Ok(());
    }
    schedule_section(out, m)?;
    let mut part = None;
    for group in &m.findings.shown {
        // With `--new-since`, a heading where the new findings, then the existing ones, begin.
        if let (Some(baseline), Some(counts)) = (group.baseline, m.since)
            && part != Some(baseline)
        {
            part = Some(baseline);
            match baseline {
                BaselineState::New => {
                    writeln!(out, r#"<h3 class="new">New findings ({})</h3>"#, counts.new)?;
                }
                BaselineState::Existing => {
                    writeln!(
                        out,
                        r#"<h3 class="existing">Existing findings ({})</h3>"#,
                        counts.existing
                    )?;
                    writeln!(out, r#"<p class="quiet">Already there at the base.</p>"#)?;
                }
            }
        }
        writeln!(
            out,
            "<h4>{} · {}</h4>",
            group.group.range(),
            h(group.group.title())
        )?;
        writeln!(
            out,
            "<table class=\"findings\"><thead><tr><th>Severity</th><th>Rule</th><th>Line</th><th>Finding</th><th>Due</th></tr></thead><tbody>"
        )?;
        for f in &group.findings {
            let action = f
                .action
                .as_ref()
                .map(|a| {
                    format!(
                        r#"<div class="action">What to do: {}</div>"#,
                        html_code_spans(a)
                    )
                })
                .unwrap_or_default();
            let due = if f.late {
                r#"<span class="expired">late</span>"#.to_owned()
            } else {
                h(&due_tag(f)).into_owned()
            };
            writeln!(
                out,
                r#"<tr><td class="sev {sev}">{sev}</td><td class="rule"><a href="{}">{}</a> {}</td><td class="loc" title="{}:{}">{}</td><td>{}{action}</td><td class="due">{due}</td></tr>"#,
                h(&rules::help_uri(f.rule)),
                f.rule.code,
                f.rule.name,
                h(&file_name(m.shown)),
                f.pos,
                f.pos,
                h(&f.message),
                sev = f.severity.as_str(),
            )?;
        }
        writeln!(out, "</tbody></table>")?;
    }
    Ok(())
}

/// "Resolved by this change" or "Relaxed by this change": a table of rule, subject, message.
fn changes_section(out: &mut dyn Write, list: &ChangeList<'_>) -> io::Result<()> {
    writeln!(out, "<h3>{}</h3>", list.title)?;
    writeln!(
        out,
        "<table><thead><tr><th>Rule</th><th>Subject</th><th>Message</th></tr></thead><tbody>"
    )?;
    for l in &list.items.shown {
        writeln!(
            out,
            r#"<tr><td class="rule"><a href="{}">{}</a> {}</td><td><code>{}</code></td><td>{}</td></tr>"#,
            h(&rules::help_uri(l.rule)),
            l.rule.code,
            l.rule.name,
            h(&l.subject),
            h(&l.message)
        )?;
    }
    writeln!(out, "</tbody></table>")?;
    if list.items.left_out > 0 {
        writeln!(
            out,
            r#"<p class="quiet">… {} more {}.</p>"#,
            list.items.left_out, list.what
        )?;
    }
    Ok(())
}

/// The milestones with their dates, days left and the open findings due at each.
fn schedule_section(out: &mut dyn Write, m: &ManifestView<'_>) -> io::Result<()> {
    writeln!(out, "<h3>Schedule</h3>")?;
    if let Some(w) = m.schedule.warning {
        writeln!(out, r#"<p class="expiring">{}</p>"#, h(w))?;
    }
    writeln!(
        out,
        "<table><thead><tr><th>Milestone</th><th>Date</th><th>When</th><th>Open findings due</th></tr></thead><tbody>"
    )?;
    for r in &m.schedule.rows {
        let date = r.date.map_or_else(|| "-".to_owned(), |d| d.to_string());
        let source = r.source.as_deref().map_or_else(String::new, |s| {
            format!(r#" <span class="quiet">{}</span>"#, h(s))
        });
        let when = &r.when;
        let due = match r.late {
            0 => r.open.to_string(),
            l => format!(r#"{} (<span class="expired">{l} late</span>)"#, r.open),
        };
        writeln!(
            out,
            "<tr><td>{}{source}</td><td>{date}</td><td>{when}</td><td>{due}</td></tr>",
            r.name
        )?;
    }
    writeln!(out, "</tbody></table>")
}

fn waivers_section(out: &mut dyn Write, m: &ManifestView<'_>) -> io::Result<()> {
    if m.waivers.is_empty() {
        return Ok(());
    }
    writeln!(out, "<h3>Waivers</h3>")?;
    writeln!(
        out,
        "<table><thead><tr><th>Rule</th><th>Subject</th><th>Owner</th><th>Reason</th><th>Expires</th><th>Covers</th></tr></thead><tbody>"
    )?;
    for row in &m.waivers {
        let w = row.waiver;
        let expires = match (&w.expires, row.standing) {
            (None, _) => r#"<span class="quiet">never</span>"#.to_owned(),
            (Some(e), Standing::Expired(days)) => format!(
                r#"<span class="expired">{} (expired {} ago)</span>"#,
                e.value,
                plural(usize::try_from(days).unwrap_or(usize::MAX), "day")
            ),
            (Some(e), Standing::Expiring(0)) => {
                format!(r#"<span class="expiring">{} (today)</span>"#, e.value)
            }
            (Some(e), Standing::Expiring(days)) => format!(
                r#"<span class="expiring">{} (in {})</span>"#,
                e.value,
                plural(usize::try_from(days).unwrap_or(usize::MAX), "day")
            ),
            (Some(e), Standing::Active) => e.value.to_string(),
        };
        writeln!(
            out,
            "<tr><td class=\"rule\"><code>{}</code></td><td><code>{}</code></td><td>{}</td><td>{}</td><td class=\"status\">{expires}</td><td class=\"status\">{}</td></tr>",
            h(&w.rule),
            h(&w.subject),
            h(&w.owner),
            h(&w.reason),
            plural(row.covers, "finding")
        )?;
    }
    writeln!(out, "</tbody></table>")
}

fn next_steps_section(out: &mut dyn Write, m: &ManifestView<'_>) -> io::Result<()> {
    if m.next_steps.is_empty() {
        return Ok(());
    }
    writeln!(out, "<h3>What to do next</h3>")?;
    writeln!(out, r#"<ul class="steps">"#)?;
    for g in &m.next_steps.shown {
        writeln!(out, "<li><b>{}</b><ul>", h(&g.label))?;
        for (severity, step) in &g.steps {
            let note = if *severity == Severity::Warning {
                r#" <span class="sev warning">(warning)</span>"#
            } else {
                ""
            };
            // The actions mark field names and values as code (`docs`, `status: final`).
            writeln!(out, "<li>{}{note}</li>", html_code_spans(step))?;
        }
        writeln!(out, "</ul></li>")?;
    }
    writeln!(out, "</ul>")
}
