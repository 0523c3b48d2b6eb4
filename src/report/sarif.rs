//! The SARIF 2.1.0 report (`--format sarif`), for GitHub code scanning and SARIF viewers.
//!
//! One run for the whole check. `tool.driver.rules` declares every rule of the registry
//! (whether it ran or not), with its summary, its documentation and a link to its section of
//! `docs/rules.md`. Each finding is a result located in its manifest; a waived finding
//! carries an `external` suppression with the waiver's reason. Rules that ran but could not
//! be evaluated are tool configuration notifications. `results` is an empty array on a clean
//! run, never missing.
//!
//! Locations: findings are in the manifest, so an artifact's `uri` is the manifest's path
//! relative to its root (the manifest's folder, or `--root`), `/`-separated and
//! percent-encoded, with `uriBaseId` `ROOT` (`ROOT2`, `ROOT3`, ... when manifests have
//! different roots); `originalUriBaseIds` gives each root as an absolute `file:` URI. A
//! manifest outside its root is located by an absolute `file:` URI without a base.
//! GitHub code scanning reads `uri` relative to the repository: run relcheck from the
//! repository root, with `--root .` when manifests live in subfolders.
//!
//! Gates: a finding that counts for the gate (`Finding::counts`, decided by the engine) has its
//! severity's level; any other has level `note` (its severity, due date and lateness stay in
//! its `properties`). Every result carries `partialFingerprints` (`relcheck/v1` and
//! `primaryLocationLineHash`, the same value): the FNV-1a 64 hash, in hex, of its key (the
//! manifest's path, the rule's code and the subject, without the subject for a finding about
//! the release or program as a whole, so renaming it keeps its alerts) and its place among
//! the manifest's findings with that key. An alert keeps its identity when lines move.
//!
//! `--new-since`: each result's `baselineState` is `new` or `unchanged` (an existing
//! finding); the base's findings the change resolved are not results (there is nothing left
//! to point at) but entries of `run.properties.resolved`, each with its manifest (the path as
//! given), rule, subject and message; `run.properties.newSince` and `base` give the ref and
//! the base commit. Without `--new-since`, neither is written.
//!
//! Load errors: a manifest or folder that could not be loaded makes the invocation
//! `executionSuccessful: false`, with an `error` tool execution notification per load error,
//! located at the path as given (relative to the folder relcheck ran in) and, when known, its
//! line and column.
//!
//! Usage errors: a run that stopped on a usage error before checking anything (an unknown
//! rule in `--select`, a bad `--today`, no manifest found) is a log with one run whose
//! invocation is `executionSuccessful: false` with the error as an `error` tool execution
//! notification (`descriptor.id` `usage-error`), no rules and no `results`: SARIF reads an
//! absent `results` as a tool that did not run, where an empty array would tell code scanning
//! that every alert was fixed. GitHub's `upload-sarif` refuses such a log ("Missing 'results'
//! array in run"), so it goes to standard output only, never to a `--report` file.
//!
//! Invisible characters in strings ([`escape::invisible`]) are written as `\u` escapes, as
//! in the JSON report.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use serde::Serialize;

use super::escape::json_text;
use super::{ManifestReport, Report};
use crate::manifest::{Level, LoadError, Pos};
use crate::rule::{BaselineState, Finding, RuleMeta, Severity};
use crate::rules;

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    invocations: [Invocation<'a>; 1],
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    original_uri_base_ids: BTreeMap<String, BaseLocation>,
    results: Vec<SarifResult<'a>>,
    column_kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<RunProperties<'a>>,
}

/// With `--new-since`: the ref, its base, and what the change resolved.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunProperties<'a> {
    new_since: &'a str,
    base: Option<&'a str>,
    resolved: Vec<Resolved<'a>>,
}

/// A base finding the change resolved.
#[derive(Serialize)]
struct Resolved<'a> {
    manifest: &'a str,
    rule: &'static str,
    name: &'static str,
    subject: &'a str,
    message: &'a str,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help_uri: String,
    help: Text,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    markdown: Option<String>,
}

impl Text {
    fn plain(text: impl Into<String>) -> Self {
        Text {
            text: text.into(),
            markdown: None,
        }
    }
}

#[derive(Serialize)]
struct Configuration {
    /// `false` for off (opt-in) rules; selected by name they run as warnings.
    #[serde(skip_serializing_if = "Option::is_none")]
    enabled: Option<bool>,
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation<'a> {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_configuration_notifications: Vec<Notification<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Notification<'a> {
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    associated_rule: Option<RuleRef>,
    locations: [Location<'a>; 1],
}

#[derive(Serialize)]
struct RuleRef {
    id: &'static str,
    index: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BaseLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    uri: Option<String>,
    description: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location<'a>; 1],
    partial_fingerprints: Fingerprints,
    /// With `--new-since`: `new` or `unchanged`.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression<'a>>,
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Fingerprints {
    #[serde(rename = "relcheck/v1")]
    relcheck_v1: String,
    primary_location_line_hash: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: &'a ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u32>,
}

#[derive(Serialize)]
struct Suppression<'a> {
    kind: &'static str,
    status: &'static str,
    justification: &'a str,
    properties: WaiverProperties<'a>,
}

#[derive(Serialize)]
struct WaiverProperties<'a> {
    owner: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires: Option<String>,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    subject: &'a str,
    /// The finding's own severity (the level is `note` when it does not count for the gate).
    severity: &'static str,
    /// `now`, `freeze`, `release` or `date`.
    milestone: &'static str,
    /// `YYYY-MM-DD`; absent for `now`.
    #[serde(skip_serializing_if = "Option::is_none")]
    due: Option<String>,
    late: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    action: Option<&'a str>,
}

pub fn render(report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let index: BTreeMap<&str, usize> = rules::metas()
        .enumerate()
        .map(|(i, m)| (m.code, i))
        .collect();
    let rule_index = |m: &RuleMeta| index.get(m.code).copied().unwrap_or(0);

    let mut bases = Bases::default();
    let locations: Vec<ArtifactLocation> = report
        .manifests
        .iter()
        .map(|m| bases.locate(&m.shown, &m.root))
        .collect();

    // Load errors are located at the path as given, from the folder relcheck ran in.
    let failed: Vec<ArtifactLocation> = report
        .errors
        .iter()
        .map(|e| bases.locate(&e.shown, Path::new(".")))
        .collect();

    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for (m, artifact) in report.manifests.iter().zip(&locations) {
        for (f, fingerprint) in super::fingerprint::findings(m) {
            results.push(SarifResult {
                level: if f.counts { level(f.severity) } else { "note" },
                baseline_state: report
                    .new_since
                    .map(|_| baseline_state(f.baseline.unwrap_or(BaselineState::New))),
                ..result(m, f, artifact, rule_index(f.rule), fingerprint)
            });
        }
        for (meta, reason) in &m.outcome.not_evaluated {
            notifications.push(Notification {
                level: "note",
                message: Text::plain(format!(
                    "{} {} was not evaluated for {}: {reason}",
                    meta.code, meta.name, m.shown
                )),
                associated_rule: Some(RuleRef {
                    id: meta.code,
                    index: rule_index(meta),
                }),
                locations: [Location {
                    physical_location: PhysicalLocation {
                        artifact_location: artifact,
                        region: None,
                    },
                }],
            });
        }
    }

    let properties = report.new_since.map(|n| RunProperties {
        new_since: n.gitref,
        base: n.base,
        resolved: report
            .manifests
            .iter()
            .flat_map(|m| {
                m.outcome.resolved.iter().map(|l| Resolved {
                    manifest: &m.shown,
                    rule: l.rule.code,
                    name: l.rule.name,
                    subject: &l.subject,
                    message: &l.message,
                })
            })
            .collect(),
    });
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "relcheck",
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules: rules::metas().map(descriptor).collect(),
                },
            },
            invocations: [Invocation {
                execution_successful: report.errors.is_empty(),
                tool_execution_notifications: report
                    .errors
                    .iter()
                    .zip(&failed)
                    .map(|(e, artifact)| load_error(e, artifact))
                    .collect(),
                tool_configuration_notifications: notifications,
            }],
            original_uri_base_ids: bases.ids,
            results,
            column_kind: "unicodeCodePoints",
            properties,
        }],
    };
    let text = serde_json::to_string_pretty(&log).map_err(io::Error::other)?;
    writeln!(out, "{}", json_text(&text))
}

/// A run that stopped on a usage error before checking anything (see the module
/// documentation).
pub(crate) fn usage_error(message: &str, out: &mut dyn Write) -> io::Result<()> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct StoppedRun<'a> {
        tool: StoppedTool,
        invocations: [StoppedInvocation<'a>; 1],
        column_kind: &'static str,
    }
    #[derive(Serialize)]
    struct StoppedTool {
        driver: StoppedDriver,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct StoppedDriver {
        name: &'static str,
        semantic_version: &'static str,
        information_uri: &'static str,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct StoppedInvocation<'a> {
        execution_successful: bool,
        tool_execution_notifications: [StoppedNotification<'a>; 1],
    }
    #[derive(Serialize)]
    struct StoppedNotification<'a> {
        level: &'static str,
        message: Text,
        descriptor: Descriptor<'a>,
    }
    #[derive(Serialize)]
    struct Descriptor<'a> {
        id: &'a str,
    }
    #[derive(Serialize)]
    struct StoppedLog<'a> {
        #[serde(rename = "$schema")]
        schema: &'static str,
        version: &'static str,
        runs: [StoppedRun<'a>; 1],
    }
    let log = StoppedLog {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [StoppedRun {
            tool: StoppedTool {
                driver: StoppedDriver {
                    name: "relcheck",
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                },
            },
            invocations: [StoppedInvocation {
                execution_successful: false,
                tool_execution_notifications: [StoppedNotification {
                    level: "error",
                    message: Text::plain(format!("usage error: {message}")),
                    descriptor: Descriptor { id: "usage-error" },
                }],
            }],
            column_kind: "unicodeCodePoints",
        }],
    };
    let text = serde_json::to_string_pretty(&log).map_err(io::Error::other)?;
    writeln!(out, "{}", json_text(&text))
}

fn descriptor(meta: &'static RuleMeta) -> Descriptor {
    let docs = meta.explanation();
    Descriptor {
        id: meta.code,
        name: meta.name,
        short_description: Text::plain(meta.summary),
        full_description: Text::plain(docs.clone()),
        help_uri: rules::help_uri(meta),
        // GitHub shows `help` beside each alert: the documentation, rendered.
        help: Text {
            text: format!("{}. See {}", meta.summary, rules::help_uri(meta)),
            markdown: Some(docs),
        },
        default_configuration: Configuration {
            enabled: (meta.default == Level::Off).then_some(false),
            level: match meta.default {
                Level::Error => "error",
                Level::Warning | Level::Off => "warning",
            },
        },
    }
}

/// SARIF's name for a finding's state against the base: an existing finding is `unchanged`.
fn baseline_state(b: BaselineState) -> &'static str {
    match b {
        BaselineState::New => "new",
        BaselineState::Existing => "unchanged",
    }
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn region(pos: Pos) -> Option<Region> {
    (pos.line >= 1).then(|| Region {
        start_line: pos.line,
        start_column: (pos.col >= 1).then_some(pos.col),
    })
}

/// A load error as a tool execution notification.
fn load_error<'a>(e: &LoadError, artifact: &'a ArtifactLocation) -> Notification<'a> {
    Notification {
        level: "error",
        message: Text::plain(format!("cannot load {}: {}", e.shown, e.message)),
        associated_rule: None,
        locations: [Location {
            physical_location: PhysicalLocation {
                artifact_location: artifact,
                region: e.pos.and_then(region),
            },
        }],
    }
}

fn result<'a>(
    m: &'a ManifestReport<'_>,
    f: &'a Finding,
    artifact: &'a ArtifactLocation,
    rule_index: usize,
    fingerprint: String,
) -> SarifResult<'a> {
    let suppressions = f
        .waiver
        .and_then(|i| m.waivers().get(i))
        .map(|w| Suppression {
            kind: "external",
            status: "accepted",
            justification: &w.reason,
            properties: WaiverProperties {
                owner: &w.owner,
                expires: w.expires.as_ref().map(|e| e.value.to_string()),
            },
        })
        .into_iter()
        .collect();
    SarifResult {
        rule_id: f.rule.code,
        rule_index,
        level: level(f.severity),
        message: Text::plain(f.message.clone()),
        locations: [Location {
            physical_location: PhysicalLocation {
                artifact_location: artifact,
                region: region(f.pos),
            },
        }],
        partial_fingerprints: Fingerprints {
            relcheck_v1: fingerprint.clone(),
            primary_location_line_hash: fingerprint,
        },
        baseline_state: None,
        suppressions,
        properties: ResultProperties {
            subject: &f.subject,
            severity: f.severity.as_str(),
            milestone: f.due.map_or("now", |d| d.milestone),
            due: f.due.map(|d| d.date.to_string()),
            late: f.late,
            action: f.action.as_deref(),
        },
    }
}

/// The roots manifests are located against, each with its `uriBaseId`.
#[derive(Default)]
struct Bases {
    names: Vec<(PathBuf, String)>,
    ids: BTreeMap<String, BaseLocation>,
}

impl Bases {
    /// Where the manifest `path` (as the user gave it) is, relative to `root`.
    fn locate(&mut self, path: &str, root: &Path) -> ArtifactLocation {
        let Some(relative) = relative_to(Path::new(path), root) else {
            let path = Path::new(path);
            // A path that does not exist (a load error) is written as given.
            let written = || {
                if path.is_absolute() {
                    file_uri(path)
                } else {
                    encode_segments(&segments(path))
                }
            };
            return ArtifactLocation {
                uri: absolute_uri(path).unwrap_or_else(written),
                uri_base_id: None,
            };
        };
        let name = if let Some((_, name)) = self.names.iter().find(|(r, _)| r == root) {
            name.clone()
        } else {
            let name = match self.names.len() {
                0 => "ROOT".to_owned(),
                n => format!("ROOT{}", n + 1),
            };
            self.names.push((root.to_path_buf(), name.clone()));
            let uri = absolute_uri(root).map(|u| u + "/");
            self.ids.insert(
                name.clone(),
                BaseLocation {
                    uri,
                    description: Text::plain(format!(
                        "The folder the manifest's paths resolve against: {}",
                        root.display()
                    )),
                },
            );
            name
        };
        ArtifactLocation {
            uri: encode_segments(&relative),
            uri_base_id: Some(name),
        }
    }
}

/// The path's components without `.`, as strings.
fn segments(path: &Path) -> Vec<String> {
    path.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect()
}

/// `path` relative to `root`, as segments: lexically when both are written alike, else
/// through the file system; `None` when `path` is not inside `root`.
fn relative_to(path: &Path, root: &Path) -> Option<Vec<String>> {
    let strip = |p: &Path, r: &Path| -> Option<Vec<String>> {
        let (p, r) = (segments(p), segments(r));
        let rest = p.strip_prefix(r.as_slice())?;
        let normal = rest.iter().all(|s| s != "..") && !rest.is_empty();
        normal.then(|| rest.to_vec())
    };
    if path.is_absolute() == root.is_absolute()
        && let Some(rel) = strip(path, root)
    {
        return Some(rel);
    }
    let (path, root) = (path.canonicalize().ok()?, root.canonicalize().ok()?);
    strip(&path, &root)
}

/// An absolute `file:` URI for an existing path (no trailing slash).
fn absolute_uri(path: &Path) -> Option<String> {
    Some(file_uri(&path.canonicalize().ok()?))
}

/// The `file:` URI of the absolute path `abs`.
fn file_uri(abs: &Path) -> String {
    let mut uri = String::from("file://");
    for c in abs.components() {
        match c {
            Component::Prefix(p) => {
                // Windows: `\\?\C:` becomes `/C:`.
                let p = p.as_os_str().to_string_lossy();
                uri.push('/');
                uri.push_str(p.trim_start_matches(r"\\?\"));
            }
            Component::RootDir => {}
            other => {
                uri.push('/');
                uri.push_str(&encode(&other.as_os_str().to_string_lossy()));
            }
        }
    }
    if !uri.ends_with('/') && abs.components().count() == 1 {
        uri.push('/');
    }
    uri
}

fn encode_segments(segments: &[String]) -> String {
    segments
        .iter()
        .map(|s| encode(s))
        .collect::<Vec<_>>()
        .join("/")
}

/// Percent-encodes one path segment: everything but unreserved characters and the
/// sub-delimiters a path may hold (`:` is encoded, so a relative reference never reads as a
/// scheme).
fn encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_percent_encoded() {
        assert_eq!(encode("release.yaml"), "release.yaml");
        assert_eq!(encode("my release #2.yaml"), "my%20release%20%232.yaml");
        assert_eq!(encode("a:b%c?d"), "a%3Ab%25c%3Fd");
        assert_eq!(encode("café"), "caf%C3%A9");
    }

    #[test]
    fn manifests_are_located_relative_to_their_root() {
        let rel = |p: &str, r: &str| relative_to(Path::new(p), Path::new(r));
        assert_eq!(
            rel("tests/fixtures/ready/release.yaml", "tests/fixtures/ready"),
            Some(vec!["release.yaml".to_owned()])
        );
        assert_eq!(
            rel("./tests/fixtures/ready/release.yaml", "."),
            Some(
                ["tests", "fixtures", "ready", "release.yaml"]
                    .map(String::from)
                    .to_vec()
            )
        );
        assert_eq!(
            rel("release.yaml", "."),
            Some(vec!["release.yaml".to_owned()])
        );
        // Through the file system when written differently (the crate root is the cwd).
        let abs_root = std::env::current_dir().map(|d| d.join("tests/fixtures"));
        if let Ok(abs_root) = abs_root {
            assert_eq!(
                relative_to(Path::new("tests/fixtures/ready/release.yaml"), &abs_root),
                Some(["ready", "release.yaml"].map(String::from).to_vec())
            );
        }
        assert_eq!(rel("tests/fixtures/ready/release.yaml", "src"), None);
    }

    #[test]
    fn bases_are_named_per_root() {
        let mut bases = Bases::default();
        let a = bases.locate(
            "tests/fixtures/ready/release.yaml",
            Path::new("tests/fixtures/ready"),
        );
        let b = bases.locate(
            "tests/fixtures/waivers/release.yaml",
            Path::new("tests/fixtures/waivers"),
        );
        let c = bases.locate(
            "tests/fixtures/ready/release.yaml",
            Path::new("tests/fixtures/ready"),
        );
        assert_eq!(a.uri_base_id.as_deref(), Some("ROOT"));
        assert_eq!(b.uri_base_id.as_deref(), Some("ROOT2"));
        assert_eq!(c.uri_base_id.as_deref(), Some("ROOT"));
        assert_eq!(bases.ids.len(), 2);
        let uri = bases.ids["ROOT"].uri.clone().unwrap_or_default();
        assert!(
            uri.starts_with("file:///") && uri.ends_with("/tests/fixtures/ready/"),
            "{uri}"
        );
        // Outside its root: an absolute URI, no base.
        let d = bases.locate("tests/fixtures/ready/release.yaml", Path::new("src"));
        assert_eq!(d.uri_base_id, None);
        assert!(d.uri.starts_with("file:///"), "{}", d.uri);
    }
}
