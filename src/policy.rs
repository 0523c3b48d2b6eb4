//! The policy of one check, resolved once when the manifest is loaded: which rules run and
//! at what severity (each rule's default, the manifest's `policy.rules`, the command line's
//! `--select` and `--ignore`), which rules are integrity rules (their severity stays `error`
//! and they cannot be waived), and which rule each waiver names.
//!
//! The thresholds of `policy:` (with their defaults) are part of the manifest model
//! ([`crate::manifest::EffectivePolicy`]): rules read them, and what rules read knows nothing
//! of the engine.

use std::collections::HashSet;

use crate::manifest::{Level, LoadError, Located, Policy, Waiver};
use crate::rule::{Rule, RuleMeta, Severity};
use crate::rules;

/// A rule selection given on the command line (`--select`, `--ignore`).
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// `None`: every rule; otherwise the codes selected.
    select: Option<HashSet<&'static str>>,
    /// Codes named exactly (by full code or name) in `--select`: run even when off.
    named: HashSet<&'static str>,
    ignore: HashSet<&'static str>,
}

/// A `--select`/`--ignore` token that matches no rule.
#[derive(Debug)]
pub struct UnknownRule(pub String);

impl std::fmt::Display for UnknownRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&unknown_rule_message(&self.0))
    }
}

impl std::error::Error for UnknownRule {}

fn unknown_rule_message(token: &str) -> String {
    let close = rules::suggestions(token);
    if close.is_empty() {
        format!("unknown rule '{token}' (see `relcheck rules` for the list)")
    } else {
        format!("unknown rule '{token}'; closest: {}", close.join(", "))
    }
}

/// The codes a token names: an exact code or name, or a code prefix (`RC1`).
fn resolve(token: &str) -> Result<(Vec<&'static str>, bool), UnknownRule> {
    if let Some(rule) = rules::find(token) {
        return Ok((vec![rule.meta().code], true));
    }
    let upper = token.to_ascii_uppercase();
    let codes: Vec<&'static str> = if upper.starts_with("RC") {
        rules::metas()
            .map(|m| m.code)
            .filter(|c| c.starts_with(&upper))
            .collect()
    } else {
        Vec::new()
    };
    if codes.is_empty() {
        Err(UnknownRule(token.to_owned()))
    } else {
        Ok((codes, false))
    }
}

/// Splits repeated, comma-separated option values into tokens.
fn tokens(values: &[String]) -> impl Iterator<Item = &str> {
    values
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

impl Selection {
    /// The selection of `--select` and `--ignore` (each repeatable, comma-separated). A
    /// `--select` that names no rule at all (`--select ""` from an unset variable, `","`,
    /// `" "`) is an error: it would run nothing, not even the integrity rules, and pass.
    pub fn new(select: &[String], ignore: &[String]) -> anyhow::Result<Self> {
        let mut sel = Selection::default();
        if !select.is_empty() {
            let mut set = HashSet::new();
            for token in tokens(select) {
                let (codes, exact) = resolve(token)?;
                if exact {
                    sel.named.extend(codes.iter().copied());
                }
                set.extend(codes);
            }
            if set.is_empty() {
                anyhow::bail!(
                    "--select names no rule: give rule codes, names or code prefixes \
                     (`relcheck rules` lists them), or leave --select out to run every rule"
                );
            }
            sel.select = Some(set);
        }
        for token in tokens(ignore) {
            sel.ignore.extend(resolve(token)?.0);
        }
        Ok(sel)
    }

    fn level(&self, meta: &RuleMeta, configured: Level) -> Option<Severity> {
        if self.ignore.contains(meta.code) {
            return None;
        }
        if let Some(select) = &self.select {
            if !select.contains(meta.code) {
                return None;
            }
            if configured == Level::Off && self.named.contains(meta.code) {
                return Some(Severity::Warning);
            }
        }
        match configured {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Off => None,
        }
    }
}

/// Which rules run on one manifest, at what severity, and which rule each waiver names.
pub struct Plan {
    /// Parallel to `rules::ALL`: `None` when the rule does not run.
    levels: Vec<Option<Severity>>,
    /// Parallel to the manifest's waivers.
    pub(crate) waiver_rules: Vec<&'static RuleMeta>,
}

impl Plan {
    /// Applies `policy.rules` and the selection; checks waivers name rules that exist and
    /// may be waived. Problems are load errors with their position in `file`.
    pub fn new(
        file: &str,
        policy: Option<&Policy>,
        waivers: &[Located<Waiver>],
        selection: &Selection,
    ) -> Result<Self, LoadError> {
        let err = |pos, message: String| LoadError {
            file: file.to_owned(),
            pos: Some(pos),
            message,
        };
        let mut configured: Vec<Level> = rules::ALL.iter().map(|r| r.meta().default).collect();
        // Where each rule was configured: a rule named twice (by code and by name) would
        // otherwise silently take the last level.
        let mut configured_at: Vec<Option<&Located<String>>> = vec![None; rules::ALL.len()];
        for (key, level) in policy
            .and_then(|p| p.rules.as_deref())
            .map_or(&[][..], |r| &r.0)
        {
            let Some(i) = rules::ALL.iter().position(|r| {
                r.meta().code.eq_ignore_ascii_case(key) || r.meta().name == key.as_str()
            }) else {
                return Err(err(
                    key.pos,
                    format!("{} in policy.rules", unknown_rule_message(key)),
                ));
            };
            let meta = rules::ALL[i].meta();
            if let Some(first) = configured_at[i] {
                return Err(err(
                    key.pos,
                    format!(
                        "{} ({}) is configured twice in policy.rules: as '{}' at line {} and as \
                         '{}' here; keep one",
                        meta.code, meta.name, first.value, first.pos.line, key.value
                    ),
                ));
            }
            configured_at[i] = Some(key);
            if meta.integrity && level.value != Level::Error {
                return Err(err(
                    level.pos,
                    format!(
                        "{} ({}) is an integrity rule: its severity can only be 'error'",
                        meta.code, meta.name
                    ),
                ));
            }
            configured[i] = level.value;
        }
        let mut waiver_rules = Vec::with_capacity(waivers.len());
        for w in waivers {
            let Some(rule) = rules::find(&w.rule) else {
                return Err(err(
                    w.rule.pos,
                    format!("{} in waiver", unknown_rule_message(&w.rule)),
                ));
            };
            let meta = rule.meta();
            if meta.integrity {
                return Err(err(
                    w.rule.pos,
                    format!(
                        "{} ({}) cannot be waived: {} guard the manifest's integrity",
                        meta.code,
                        meta.name,
                        rules::integrity_phrase()
                    ),
                ));
            }
            waiver_rules.push(meta);
        }
        let levels = rules::ALL
            .iter()
            .zip(configured)
            .map(|(r, level)| selection.level(r.meta(), level))
            .collect();
        Ok(Plan {
            levels,
            waiver_rules,
        })
    }

    /// The rules that run, with their severities.
    pub fn active(&self) -> impl Iterator<Item = (&'static dyn Rule, Severity)> + '_ {
        rules::ALL
            .iter()
            .zip(&self.levels)
            .filter_map(|(r, l)| l.map(|l| (*r, l)))
    }

    pub(crate) fn runs(&self, code: &str) -> bool {
        self.active().any(|(r, _)| r.meta().code == code)
    }
}
