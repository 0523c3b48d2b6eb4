//! The JSON report (`--format json`), version 1: a stable contract (documented in the README).
//!
//! Strings are exactly the manifest's; invisible characters (bidirectional overrides and the
//! like, [`escape::invisible`]) are written as `\u` escapes, so the file shows none raw.
//!
//! Version 1 only ever gains fields. The top level holds both verdicts (`ready`, `on_track`),
//! the gate's answer (`gate`), the schedule warnings of the manifests, and what could not be
//! loaded (`errors`: then `ready`, `on_track` and `gate.pass` are false). Each manifest holds
//! its verdicts and milestones; each finding when it falls due and whether it is late.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::escape::write_json;
use super::{ManifestContext, ManifestReport, Report};
use crate::context::Coverage;
use crate::context::TestCheck;
use crate::engine::Gate;
use crate::rule::{BaselineState, Finding, Listed};
use crate::schedule::Schedule;
#[derive(Serialize)]
struct Json<'a> {
    version: u32,
    ready: bool,
    on_track: bool,
    gate: JsonGate<'a>,
    summary: JsonSummary,
    /// The manifests' schedule warnings, each once, in manifest order (which manifest:
    /// its `milestones`).
    warnings: Vec<&'static str>,
    /// Manifests and folders that could not be loaded (not checked).
    errors: Vec<JsonError<'a>>,
    manifests: Vec<JsonManifest<'a>>,
}

#[derive(Serialize)]
struct JsonGate<'a> {
    /// `release` or `on-track`.
    name: &'static str,
    strict: bool,
    /// `--new-since GITREF`, and the merge base it led to.
    new_since: Option<&'a str>,
    base: Option<&'a str>,
    /// The gate passes: the exit code is 0.
    pass: bool,
}

#[derive(Serialize)]
struct JsonSummary {
    errors: usize,
    warnings: usize,
    waived: usize,
    /// Open findings (unwaived errors and warnings) that are late.
    late: usize,
    /// With `--new-since`: open findings that are new, and base findings resolved.
    #[serde(skip_serializing_if = "Option::is_none")]
    new: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resolved: Option<usize>,
}

#[derive(Serialize)]
struct JsonError<'a> {
    /// As the user named it; `null` for a usage error (the command line is at fault).
    file: Option<&'a str>,
    /// `null` when the error has no position (a file that cannot be read).
    line: Option<u32>,
    column: Option<u32>,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonMilestones {
    freeze: String,
    /// `release.freeze`, `release sprint ID`, `release date` or `program.date`.
    freeze_source: String,
    release: String,
}

impl JsonMilestones {
    fn from(s: &Schedule) -> Self {
        JsonMilestones {
            freeze: s.freeze.to_string(),
            freeze_source: s.freeze_source.describe(),
            release: s.release.to_string(),
        }
    }
}

/// A finding resolved or relaxed by the change (`--new-since`).
#[derive(Serialize)]
struct JsonListed<'a> {
    rule: &'static str,
    name: &'static str,
    subject: &'a str,
    message: &'a str,
}

fn listed(l: &[Listed]) -> Vec<JsonListed<'_>> {
    l.iter()
        .map(|l| JsonListed {
            rule: l.rule.code,
            name: l.rule.name,
            subject: &l.subject,
            message: &l.message,
        })
        .collect()
}

#[derive(Serialize)]
struct JsonManifest<'a> {
    path: &'a str,
    kind: &'static str,
    name: &'a str,
    ready: bool,
    on_track: bool,
    milestones: JsonMilestones,
    #[serde(skip_serializing_if = "Option::is_none")]
    coverage: Option<Coverage>,
    /// Releases whose RC112 was evaluated: each in-scope feature with `code`, its covered
    /// and coverable lines.
    #[serde(skip_serializing_if = "Option::is_none")]
    coverage_of_code: Option<BTreeMap<&'a str, JsonCodeCoverage>>,
    findings: Vec<JsonFinding<'a>>,
    not_evaluated: Vec<JsonNotEvaluated<'a>>,
    /// Releases only: each test, and whether a report verified its status.
    #[serde(skip_serializing_if = "Option::is_none")]
    tests: Option<Vec<JsonTest<'a>>>,
    /// Programs only: each product, its manifest and its state.
    #[serde(skip_serializing_if = "Option::is_none")]
    products: Option<Vec<JsonProduct<'a>>>,
    /// With `--new-since`: the base's findings this change resolved, and the open findings
    /// the head's own settings would waive or not report.
    #[serde(skip_serializing_if = "Option::is_none")]
    resolved: Option<Vec<JsonListed<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    relaxed: Option<Vec<JsonListed<'a>>>,
}

/// A test entry and what its report says (`docs/evidence.md`).
#[derive(Serialize)]
struct JsonTest<'a> {
    id: &'a str,
    status: &'static str,
    /// The `report` as written; `null` when none is given.
    report: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suite: Option<&'a str>,
    /// A report was read and agrees with the status.
    verified: bool,
    /// Passing as the rules read it (what RC102/RC104 and coverage use).
    passing: bool,
    /// Why the status is not verified; absent when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

impl<'a> JsonTest<'a> {
    fn from(t: TestCheck<'a>) -> Self {
        JsonTest {
            id: t.id,
            status: t.status.as_str(),
            report: t.report,
            suite: t.suite,
            verified: t.verified,
            passing: t.passing,
            reason: t.unverified,
        }
    }
}

#[derive(Serialize)]
struct JsonProduct<'a> {
    id: &'a str,
    manifest: &'a str,
    /// ready, not ready, missing, invalid or outside.
    state: &'static str,
    depends_on: Vec<&'a str>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'static str,
    name: &'static str,
    severity: &'static str,
    message: &'a str,
    file: &'a str,
    line: u32,
    column: u32,
    subject: &'a str,
    /// `now`, `freeze`, `release` or `date` (a `policy.due` date).
    milestone: &'static str,
    /// `YYYY-MM-DD`; `null` for `now`.
    due: Option<String>,
    late: bool,
    waived: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    waiver: Option<JsonWaiver<'a>>,
    /// With `--new-since`: `new` or `existing`.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<&'static str>,
}

#[derive(Serialize)]
struct JsonWaiver<'a> {
    reason: &'a str,
    owner: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires: Option<String>,
}

#[derive(Serialize)]
struct JsonNotEvaluated<'a> {
    rule: &'static str,
    name: &'static str,
    reason: &'a str,
}

/// The manifest's milestones.
fn schedule<'a>(m: &'a ManifestReport<'_>) -> &'a Schedule {
    match &m.context {
        ManifestContext::Release(cx) => &cx.schedule,
        ManifestContext::Program(cx) => &cx.schedule,
    }
}

fn finding<'a>(m: &'a ManifestReport<'_>, f: &'a Finding) -> JsonFinding<'a> {
    JsonFinding {
        rule: f.rule.code,
        name: f.rule.name,
        severity: f.severity.as_str(),
        message: &f.message,
        file: &m.shown,
        line: f.pos.line,
        column: f.pos.col,
        subject: &f.subject,
        milestone: f.due.map_or("now", |d| d.milestone),
        due: f.due.map(|d| d.date.to_string()),
        late: f.late,
        waived: f.is_waived(),
        baseline: f.baseline.map(BaselineState::as_str),
        waiver: f
            .waiver
            .and_then(|i| m.waivers().get(i))
            .map(|w| JsonWaiver {
                reason: &w.reason,
                owner: &w.owner,
                expires: w.expires.as_ref().map(|e| e.value.to_string()),
            }),
    }
}

/// Each schedule warning once, in manifest order.
fn warnings(report: &Report<'_>) -> Vec<&'static str> {
    let mut out = Vec::new();
    for warning in report
        .manifests
        .iter()
        .filter_map(|m| schedule(m).warning())
    {
        if !out.contains(&warning) {
            out.push(warning);
        }
    }
    out
}

#[derive(Serialize)]
struct JsonCodeCoverage {
    covered: u64,
    coverable: u64,
}

/// `coverage_of_code`, when RC112 ran and was evaluated.
fn coverage_of_code<'a>(
    m: &'a super::ManifestReport<'_>,
) -> Option<BTreeMap<&'a str, JsonCodeCoverage>> {
    let ManifestContext::Release(cx) = &m.context else {
        return None;
    };
    let o = &m.outcome;
    let evaluated = o.ran.iter().any(|r| r.code == "RC112")
        && !o.not_evaluated.iter().any(|(r, _)| r.code == "RC112");
    let code = cx.evidence.code().filter(|_| evaluated)?;
    Some(
        cx.features_in_scope()
            .filter_map(|f| {
                let fc = code.feature(f.id.as_str())?;
                Some((
                    f.id.as_str(),
                    JsonCodeCoverage {
                        covered: fc.covered,
                        coverable: fc.coverable,
                    },
                ))
            })
            .collect(),
    )
}

pub fn render(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let since = report.new_since.is_some();
    let manifests = report
        .manifests
        .iter()
        .map(|m| JsonManifest {
            path: &m.shown,
            kind: m.kind(),
            name: m.name(),
            ready: m.verdict().is_ready(),
            on_track: m.outcome.on_track,
            milestones: JsonMilestones::from(schedule(m)),
            coverage: m.coverage(),
            coverage_of_code: coverage_of_code(m),
            findings: m.outcome.findings.iter().map(|f| finding(m, f)).collect(),
            not_evaluated: m
                .outcome
                .not_evaluated
                .iter()
                .map(|(meta, reason)| JsonNotEvaluated {
                    rule: meta.code,
                    name: meta.name,
                    reason,
                })
                .collect(),
            tests: match &m.context {
                ManifestContext::Release(cx) => {
                    Some(cx.test_checks().into_iter().map(JsonTest::from).collect())
                }
                ManifestContext::Program(_) => None,
            },
            products: match &m.context {
                ManifestContext::Program(cx) => Some(
                    cx.products()
                        .zip(&m.outcome.products)
                        .map(|((p, status), state)| JsonProduct {
                            id: p.id.as_str(),
                            manifest: status.path(),
                            state: state.label(),
                            depends_on: p
                                .depends_on
                                .as_deref()
                                .map_or(&[][..], Vec::as_slice)
                                .iter()
                                .map(|d| d.as_str())
                                .collect(),
                        })
                        .collect(),
                ),
                ManifestContext::Release(_) => None,
            },
            resolved: since.then(|| listed(&m.outcome.resolved)),
            relaxed: since.then(|| listed(&m.outcome.relaxed)),
        })
        .collect();
    let summary = report.summary();
    let json = Json {
        version: 1,
        ready: report.verdict.is_ready(),
        on_track: report.on_track,
        gate: JsonGate {
            name: report.gate.kind.name(),
            strict: report.gate.strict,
            new_since: report.new_since.map(|n| n.gitref),
            base: report.new_since.and_then(|n| n.base),
            pass: report.pass,
        },
        summary: JsonSummary {
            errors: summary.errors,
            warnings: summary.warnings,
            waived: summary.waived,
            late: report.manifests.iter().map(|m| m.outcome.late()).sum(),
            new: summary.new,
            resolved: summary.resolved,
        },
        warnings: warnings(report),
        errors: report
            .errors
            .iter()
            .map(|e| JsonError {
                file: Some(&e.shown),
                line: e.pos.map(|p| p.line),
                column: e.pos.map(|p| p.col),
                message: &e.message,
            })
            .collect(),
        manifests,
    };
    write_json(&json, out)
}

/// A run that stopped on a usage error before checking anything: the version 1 report with
/// nothing checked, the gate failing, and the error in `errors` with a `null` file.
pub(crate) fn usage_error(gate: Gate, message: &str, out: &mut dyn Write) -> io::Result<()> {
    let json = Json {
        version: 1,
        ready: false,
        on_track: false,
        gate: JsonGate {
            name: gate.kind.name(),
            strict: gate.strict,
            new_since: None,
            base: None,
            pass: false,
        },
        summary: JsonSummary {
            errors: 0,
            warnings: 0,
            waived: 0,
            late: 0,
            new: None,
            resolved: None,
        },
        warnings: Vec::new(),
        errors: vec![JsonError {
            file: None,
            line: None,
            column: None,
            message,
        }],
        manifests: Vec::new(),
    };
    write_json(&json, out)
}
