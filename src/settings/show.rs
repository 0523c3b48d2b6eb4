//! `relcheck check --show-settings`: for each manifest, the settings file that applies and
//! every policy value and option in effect, with where it came from (the default, the
//! settings file, the manifest or the command line). Nothing is checked.

use std::fmt;
use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use serde_json::json;

use super::{Finder, Settings, selection, shared_dues, shared_rules};
use crate::Status;
use crate::manifest::escape::{file_name, terminal};
use crate::manifest::{self, EffectivePolicy, LoadError, Located, Manifest, Policy, Pos, RuleMap};
use crate::policy::{Plan, Selection};

/// Where a value came from.
#[derive(Clone, Copy)]
enum Source<'a> {
    Default,
    /// The settings file, at a line.
    File(&'a str, Pos),
    /// The manifest, at a line.
    Manifest(&'a str, Pos),
    CommandLine,
}

impl fmt::Display for Source<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Default => f.write_str("default"),
            Source::File(file, pos) | Source::Manifest(file, pos) => {
                write!(f, "{}:{}", file_name(file), pos.line)
            }
            Source::CommandLine => f.write_str("command line"),
        }
    }
}

/// A value as the settings file would spell it.
enum Val {
    Num(String),
    Str(String),
    List(Vec<Val>),
    /// An empty table (`policy.rules`, `policy.due` when nothing sets them).
    NoEntries,
}

impl Val {
    fn toml(&self) -> String {
        match self {
            Val::Num(n) => n.clone(),
            Val::Str(s) => format!("\"{}\"", s.escape_debug()),
            Val::NoEntries => "{}".to_owned(),
            Val::List(items) => format!(
                "[{}]",
                items.iter().map(Val::toml).collect::<Vec<_>>().join(", ")
            ),
        }
    }

    fn json(&self) -> serde_json::Value {
        match self {
            Val::Num(n) => serde_json::from_str(n).unwrap_or_else(|_| json!(n)),
            Val::Str(s) => json!(s),
            Val::List(items) => items.iter().map(Val::json).collect(),
            Val::NoEntries => json!({}),
        }
    }
}

fn strs<T: ToString>(items: impl IntoIterator<Item = T>) -> Val {
    Val::List(items.into_iter().map(|s| Val::Str(s.to_string())).collect())
}

fn num(n: impl fmt::Display) -> Val {
    Val::Num(n.to_string())
}

/// One line of the listing.
struct Row<'a> {
    key: String,
    value: Val,
    source: Source<'a>,
}

/// The effective threshold values, in the order of `Policy::KEYS`.
fn thresholds(policy: Option<&Policy>) -> Vec<(&'static str, Val)> {
    // Every field, named: one added to `EffectivePolicy` does not compile until it is shown.
    let EffectivePolicy {
        feature_tests,
        release_tests,
        min_release_load,
        max_release_load,
        max_hours_per_week,
        max_hours_per_day,
        max_coverage_gap,
        deployment_plan_sections,
        max_report_age,
        min_feature_coverage,
    } = EffectivePolicy::from(policy);
    vec![
        ("feature_tests", strs(feature_tests)),
        ("release_tests", strs(release_tests)),
        ("min_release_load", num(min_release_load)),
        ("max_release_load", num(max_release_load)),
        ("max_hours_per_week", num(max_hours_per_week)),
        ("max_hours_per_day", num(max_hours_per_day)),
        ("max_coverage_gap", num(max_coverage_gap)),
        ("deployment_plan_sections", strs(deployment_plan_sections)),
        ("max_report_age", num(max_report_age)),
        ("min_feature_coverage", num(min_feature_coverage)),
    ]
}

/// Where each key of `policy` is given, in the order of `Policy::KEYS`.
fn given(policy: &Policy) -> Vec<(&'static str, Option<Pos>)> {
    fn at<T>(l: Option<&Located<T>>) -> Option<Pos> {
        l.map(|l| l.pos)
    }
    // Every key, named: one added to `Policy` does not compile until it is shown.
    let Policy {
        feature_tests,
        release_tests,
        min_release_load,
        max_release_load,
        max_hours_per_week,
        max_hours_per_day,
        max_coverage_gap,
        deployment_plan_sections,
        max_report_age,
        min_feature_coverage,
        rules,
        due,
    } = policy;
    vec![
        ("feature_tests", at(feature_tests.as_ref())),
        ("release_tests", at(release_tests.as_ref())),
        ("min_release_load", at(min_release_load.as_ref())),
        ("max_release_load", at(max_release_load.as_ref())),
        ("max_hours_per_week", at(max_hours_per_week.as_ref())),
        ("max_hours_per_day", at(max_hours_per_day.as_ref())),
        ("max_coverage_gap", at(max_coverage_gap.as_ref())),
        (
            "deployment_plan_sections",
            at(deployment_plan_sections.as_ref()),
        ),
        ("max_report_age", at(max_report_age.as_ref())),
        ("min_feature_coverage", at(min_feature_coverage.as_ref())),
        ("rules", at(rules.as_ref())),
        ("due", at(due.as_ref())),
    ]
}

/// `policy.rules` or `policy.due`: the manifest's entries, then the file's that still apply.
fn entries<'a, V: fmt::Display>(
    name: &str,
    own: Option<&'a RuleMap<V>>,
    shared: Vec<&'a (Located<String>, Located<V>)>,
    manifest: &'a str,
    file: &'a str,
) -> Vec<Row<'a>> {
    let mut rows: Vec<Row<'a>> = own
        .into_iter()
        .flat_map(|m| &m.0)
        .map(|(k, v)| Row {
            key: format!("policy.{name}.{}", key(k)),
            value: Val::Str(v.to_string()),
            source: Source::Manifest(manifest, k.pos),
        })
        .collect();
    rows.extend(shared.into_iter().map(|(k, v)| Row {
        key: format!("policy.{name}.{}", key(k)),
        value: Val::Str(v.to_string()),
        source: Source::File(file, k.pos),
    }));
    if rows.is_empty() {
        rows.push(Row {
            key: format!("policy.{name}"),
            value: Val::NoEntries,
            source: Source::Default,
        });
    }
    rows
}

/// A rule key as a TOML key: bare when it can be.
fn key(k: &str) -> String {
    if !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        k.to_owned()
    } else {
        format!("\"{}\"", k.escape_debug())
    }
}

/// Every value in effect for one manifest.
fn rows<'a>(
    manifest: &'a str,
    own: Option<&'a Policy>,
    settings: Option<&'a Settings>,
    command_line: (&'a [String], &'a [String]),
) -> Vec<Row<'a>> {
    let file = settings.map_or("", |s| s.shown.as_str());
    let shared = settings.and_then(|s| s.contents.policy.as_deref());
    let merged = super::merge(
        own.map(|p| Located::new(p.clone(), Pos::START)),
        settings.and_then(|s| s.contents.policy.as_ref()),
    );
    let own_at = own.map(given);
    let shared_at = shared.map(given);
    let source = |i: usize| {
        let at = |g: &Option<Vec<(&str, Option<Pos>)>>| g.as_ref().and_then(|g| g[i].1);
        match (at(&own_at), at(&shared_at)) {
            (Some(pos), _) => Source::Manifest(manifest, pos),
            (None, Some(pos)) => Source::File(file, pos),
            (None, None) => Source::Default,
        }
    };
    let mut rows: Vec<Row<'a>> = thresholds(merged.as_deref())
        .into_iter()
        .enumerate()
        .map(|(i, (name, value))| Row {
            key: format!("policy.{name}"),
            value,
            source: source(i),
        })
        .collect();
    let own_rules = own.and_then(|p| p.rules.as_deref());
    let shared_rules_kept = match (own_rules, shared.and_then(|p| p.rules.as_deref())) {
        (Some(o), Some(s)) => shared_rules(o, s).collect(),
        (None, Some(s)) => s.0.iter().collect(),
        _ => Vec::new(),
    };
    rows.extend(entries(
        "rules",
        own_rules,
        shared_rules_kept,
        manifest,
        file,
    ));
    let own_due = own.and_then(|p| p.due.as_deref());
    let shared_due_kept = match (own_due, shared.and_then(|p| p.due.as_deref())) {
        (Some(o), Some(s)) => shared_dues(o, s).collect(),
        (None, Some(s)) => s.0.iter().collect(),
        _ => Vec::new(),
    };
    rows.extend(entries("due", own_due, shared_due_kept, manifest, file));
    for (name, given, in_file) in [
        (
            "select",
            command_line.0,
            settings.and_then(|s| s.contents.select.as_ref()),
        ),
        (
            "ignore",
            command_line.1,
            settings.and_then(|s| s.contents.ignore.as_ref()),
        ),
    ] {
        let (value, source) = match in_file {
            _ if !given.is_empty() => (
                strs(given.iter().flat_map(|v| v.split(',').map(str::trim))),
                Source::CommandLine,
            ),
            Some(list) => (
                strs(list.iter().map(|i| i.value.as_str())),
                Source::File(file, list.pos),
            ),
            None => (Val::List(Vec::new()), Source::Default),
        };
        rows.push(Row {
            key: name.to_owned(),
            value,
            source,
        });
    }
    rows
}

/// What was found for one manifest.
struct Shown {
    manifest: String,
    program: bool,
    settings: Option<String>,
    rows: Vec<(String, Val, String)>,
}

/// `relcheck check --show-settings PATHS`: lists the settings of every manifest the paths
/// name, then exits 0 (2 when a manifest or a settings file cannot be read).
pub fn show(
    paths: &[PathBuf],
    (select, ignore, isolated): (&[String], &[String], bool),
    json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Status> {
    let command_line = Selection::new(select, ignore)?;
    let (targets, mut errors) = crate::discover::targets(paths, &mut std::io::stdin().lock())?;
    let finder = Finder::with_isolated(isolated);
    let mut shown = Vec::new();
    for t in &targets {
        let one = || -> Result<Shown, LoadError> {
            let settings = finder.find(&t.path)?;
            let manifest = match t.stdin.as_deref() {
                Some(bytes) => manifest::load_bytes(bytes, &t.shown),
                None => manifest::load(&t.path, &t.shown),
            }
            .map_err(LoadError::first_of)?;
            let program = matches!(manifest, Manifest::Program(_));
            let own = manifest.policy().map(|p| &p.value);
            // The merged policy must plan as the check would plan it.
            let mut merged = manifest.clone();
            super::apply(&mut merged, settings.as_deref());
            Plan::new(
                &t.shown,
                merged.policy().map(|p| &p.value),
                merged.waivers(),
                &selection(settings.as_deref(), &command_line),
            )?;
            let rows = rows(&t.shown, own, settings.as_deref(), (select, ignore))
                .into_iter()
                .map(|r| (r.key, r.value, r.source.to_string()))
                .collect();
            Ok(Shown {
                manifest: t.shown.clone(),
                program,
                settings: settings.map(|s| s.shown.clone()),
                rows,
            })
        };
        match one() {
            Ok(s) => shown.push(s),
            Err(e) => errors.push(e),
        }
    }
    for e in &errors {
        writeln!(err, "{e}")?;
    }
    if json {
        let manifests: Vec<_> = shown
            .iter()
            .map(|s| {
                json!({
                    "manifest": s.manifest,
                    "settings": s.settings,
                    "values": s.rows.iter().map(|(key, value, source)| json!({
                        "key": key,
                        "value": value.json(),
                        "source": source,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
        serde_json::to_writer_pretty(
            &mut *out,
            &json!({ "manifests": manifests, "errors": errors }),
        )?;
        writeln!(out)?;
    } else {
        for (i, s) in shown.iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            writeln!(out, "{}", file_name(&s.manifest))?;
            match &s.settings {
                Some(file) => writeln!(out, "  settings: {}", file_name(file))?,
                None if isolated => writeln!(out, "  settings: none read (--isolated)")?,
                None => writeln!(out, "  settings: none found")?,
            }
            if s.program {
                writeln!(
                    out,
                    "  (a program: each of its products takes its own nearest settings file)"
                )?;
            }
            let lines: Vec<(String, &str)> = s
                .rows
                .iter()
                .map(|(k, v, src)| (format!("{k} = {}", v.toml()), src.as_str()))
                .collect();
            // Sources line up, except after the few lines too long to wait for.
            let width = lines
                .iter()
                .map(|(l, _)| l.chars().count())
                .filter(|&n| n <= 48)
                .max()
                .unwrap_or(0);
            for (line, source) in lines {
                let line = terminal(&line);
                let pad = width.saturating_sub(line.chars().count());
                writeln!(out, "  {line}{:pad$}  # {source}", "")?;
            }
        }
    }
    Ok(if errors.is_empty() {
        Status::Ready
    } else {
        Status::Error
    })
}
