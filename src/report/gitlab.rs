//! The GitLab Code Quality report (`--format gitlab`), for the merge-request widget
//! (`artifacts: reports: codequality:` in `.gitlab-ci.yml`).
//!
//! A JSON array of issues, as GitLab's "Code Quality report format" documentation lists the
//! fields: `description`, `check_name`, `fingerprint`, `severity` and `location` (`path`,
//! `lines.begin`). An empty array on a clean run.
//!
//! - Each open finding is an issue: `check_name` is the rule's code, `description` its
//!   message and when it falls due (`· late`, `· due 2026-12-01 (freeze)`). Waived findings
//!   are left out (GitLab has no suppressions; the JSON and SARIF reports carry them). A
//!   manifest reported twice (named as two products of a program) gives its issues once.
//! - `severity` reads the engine's decisions, never recomputes them: a finding that counts
//!   for the gate (`Finding::counts`) is `critical` (an error) or `major` (a warning, which
//!   counts under `--strict`); one that does not count is `minor` when it is late or an
//!   error, else `info`. A manifest or folder that could not be loaded is a `blocker` issue
//!   with `check_name` `load-error`, at its line when known (else line 1).
//! - A run that stopped on a usage error before checking anything (an unknown rule in
//!   `--select`, a bad `--today`, no manifest found) is one `blocker` issue with `check_name`
//!   `usage-error`. GitLab needs a file for every issue and a usage error has none: it is
//!   placed at line 1 of `.gitlab-ci.yml`, where GitLab CI holds the command line at fault.
//! - `fingerprint` is the finding's SARIF fingerprint (`report::fingerprint`): stable when
//!   lines move, so GitLab tells new issues from old ones between the branch and its base.
//! - `location.path` is the manifest's path as given, `/`-separated and without `./`
//!   (GitLab reads it relative to the repository: run relcheck from the repository root).
//!
//! Strings are JSON strings (serde escapes control characters) with invisible characters
//! as `\u` escapes ([`json_text`]), as in the JSON report. No timestamps: deterministic.

use std::collections::HashSet;
use std::io::{self, Write};
use std::path::{Component, Path};

use serde::Serialize;

use super::Report;
use super::escape::json_text;
use super::fingerprint;
use super::view::due_tag;
use crate::rule::{Finding, Severity};

/// One Code Quality issue.
#[derive(Serialize)]
struct Issue {
    description: String,
    check_name: &'static str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
}

pub fn render(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let mut issues = Vec::new();
    for (i, e) in report.errors.iter().enumerate() {
        // Several load errors may name the same file: each keeps its own place.
        let place = report.errors[..i]
            .iter()
            .filter(|other| other.shown == e.shown)
            .count();
        issues.push(Issue {
            description: e.message.clone(),
            check_name: "load-error",
            fingerprint: fingerprint::other(&e.shown, "load-error", place),
            severity: "blocker",
            location: location(&e.shown, e.pos.map_or(0, |p| p.line)),
        });
    }
    // A manifest named twice (say, as two products of a program) is reported twice with the
    // same findings and fingerprints: GitLab shows one issue per fingerprint, so each is
    // written once.
    let mut seen = HashSet::new();
    for m in &report.manifests {
        for (f, print) in fingerprint::findings(m) {
            if f.is_waived() || !seen.insert(print.clone()) {
                continue;
            }
            issues.push(Issue {
                description: format!("{} · {}", f.message, due_tag(f)),
                check_name: f.rule.code,
                fingerprint: print,
                severity: severity(f),
                location: location(&m.shown, f.pos.line),
            });
        }
    }
    let text = serde_json::to_string_pretty(&issues).map_err(io::Error::other)?;
    writeln!(out, "{}", json_text(&text))
}

/// A run that stopped on a usage error before checking anything (see the module
/// documentation).
pub(crate) fn usage_error(message: &str, out: &mut dyn Write) -> io::Result<()> {
    let issues = [Issue {
        description: format!("usage error: {message}"),
        check_name: "usage-error",
        fingerprint: fingerprint::other(CI_FILE, "usage-error", 0),
        severity: "blocker",
        location: location(CI_FILE, 1),
    }];
    let text = serde_json::to_string_pretty(&issues).map_err(io::Error::other)?;
    writeln!(out, "{}", json_text(&text))
}

/// Where GitLab CI holds the command line.
const CI_FILE: &str = ".gitlab-ci.yml";

/// GitLab's severity for an open finding, from what the engine decided.
fn severity(f: &Finding) -> &'static str {
    match f.severity {
        Severity::Error if f.counts => "critical",
        Severity::Warning if f.counts => "major",
        Severity::Error => "minor",
        Severity::Warning if f.late => "minor",
        Severity::Warning => "info",
    }
}

/// `path` relative to the repository as GitLab reads it (no `./`, `/`-separated), at `line`
/// (GitLab needs a line: 1 when unknown).
fn location(path: &str, line: u32) -> Location {
    let parts: Vec<String> = Path::new(path)
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| match c {
            Component::RootDir => String::new(),
            c => c.as_os_str().to_string_lossy().into_owned(),
        })
        .collect();
    Location {
        path: if parts.is_empty() {
            path.to_owned()
        } else {
            parts.join("/")
        },
        lines: Lines { begin: line.max(1) },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_repository_without_dot_segments() {
        let path = |p: &str| location(p, 3).path;
        assert_eq!(path("./docs/./release.yaml"), "docs/release.yaml");
        assert_eq!(path("release.yaml"), "release.yaml");
        assert_eq!(path("/abs/release.yaml"), "/abs/release.yaml");
        assert_eq!(path("."), ".");
        assert_eq!(location("r.yaml", 0).lines.begin, 1);
        assert_eq!(location("r.yaml", 7).lines.begin, 7);
    }
}
