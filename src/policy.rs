//! The policy of one check, resolved once when the manifest is loaded: which rules run and
//! at what severity (each rule's default, the manifest's `policy.rules`, the command line's
//! `--select` and `--ignore`), which rules are integrity rules (their severity stays `error`
//! and they cannot be waived), and which rule each waiver names.
//!
//! The thresholds of `policy:` (with their defaults) are part of the manifest model
//! ([`crate::manifest::EffectivePolicy`]): rules read them, and what rules read knows nothing
//! of the engine.

use std::collections::HashSet;

use crate::manifest::{Date, Level, LoadError, Located, Policy, Pos, RuleDues, Waiver};
use crate::rule::{Milestone, Rule, RuleMeta, Severity};
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

/// Splits repeated, comma-separated option values into tokens. An empty item (an empty value,
/// only spaces, a leading, trailing or doubled comma) is an error: an unset variable
/// (`--select "$RULES"`) must never change which rules run.
fn tokens<'v>(option: &str, values: &'v [String]) -> anyhow::Result<Vec<&'v str>> {
    let mut out = Vec::new();
    for v in values {
        for t in v.split(',').map(str::trim) {
            if t.is_empty() {
                anyhow::bail!(
                    "{option} '{v}' has an empty item: give rule codes, names or code prefixes \
                     separated by commas (`relcheck rules` lists them)"
                );
            }
            out.push(t);
        }
    }
    Ok(out)
}

impl Selection {
    /// The selection of `--select` and `--ignore` (each repeatable, comma-separated). An
    /// empty item is an error: `--select ""` from an unset variable would otherwise run
    /// nothing, not even the integrity rules, and pass.
    pub fn new(select: &[String], ignore: &[String]) -> anyhow::Result<Self> {
        let mut sel = Selection::default();
        if !select.is_empty() {
            let mut set = HashSet::new();
            for token in tokens("--select", select)? {
                let (codes, exact) = resolve(token)?;
                if exact {
                    sel.named.extend(codes.iter().copied());
                }
                set.extend(codes);
            }
            sel.select = Some(set);
        }
        for token in tokens("--ignore", ignore)? {
            sel.ignore.extend(resolve(token)?.0);
        }
        Ok(sel)
    }

    /// This selection (the command line's) over a settings file's: `--select`, when given,
    /// replaces the file's `select`, and `--ignore`, when given, its `ignore`.
    #[must_use]
    pub fn over(&self, file: &Selection) -> Selection {
        let (select, named) = if self.select.is_some() {
            (self.select.clone(), self.named.clone())
        } else {
            (file.select.clone(), file.named.clone())
        };
        let ignore = if self.ignore.is_empty() {
            file.ignore.clone()
        } else {
            self.ignore.clone()
        };
        Selection {
            select,
            named,
            ignore,
        }
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

/// When a rule's findings fall due: at a milestone, or on a date (`policy.due`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Due {
    At(Milestone),
    On(Date),
}

impl Due {
    /// `now`, `freeze`, `release` or `date`, as reports name it.
    pub fn milestone_name(self) -> &'static str {
        match self {
            Due::At(m) => m.as_str(),
            Due::On(_) => "date",
        }
    }
}

/// Which rules run on one manifest, at what severity, when their findings fall due, and which
/// rule each waiver names.
pub struct Plan {
    /// Parallel to `rules::ALL`: `None` when the rule does not run.
    levels: Vec<Option<Severity>>,
    /// Parallel to `rules::ALL`: when the rule's findings fall due.
    dues: Vec<Due>,
    /// Parallel to `rules::ALL`, `--new-since`: when the base's `policy.due` says each rule
    /// falls due; a finding falls due on the earlier of the two dates.
    other_dues: Option<Vec<Due>>,
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
            shown: file.to_owned(),
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
        let dues = dues(policy.and_then(|p| p.due.as_deref()), &err)?;
        Ok(Plan {
            levels,
            dues,
            other_dues: None,
            waiver_rules,
        })
    }

    /// The stricter of this plan (the head's) and `base`'s (`--new-since`): a rule is off only
    /// if off in both, at the higher severity of the two; a finding falls due at the earlier
    /// of the two dues (see [`Plan::dues`]). The waivers stay this plan's.
    #[must_use]
    pub fn stricter(&self, base: &Plan) -> Plan {
        let levels = self
            .levels
            .iter()
            .zip(&base.levels)
            .map(|(a, b)| match (a, b) {
                (Some(a), Some(b)) => Some((*a).min(*b)),
                (a, b) => a.or(*b),
            })
            .collect();
        Plan {
            levels,
            dues: self.dues.clone(),
            other_dues: Some(base.dues.clone()),
            waiver_rules: self.waiver_rules.clone(),
        }
    }

    /// When `rule`'s findings fall due: this plan's due and, under [`Plan::stricter`], the
    /// base's (the engine takes the earlier date).
    pub fn dues(&self, rule: &RuleMeta) -> (Due, Option<Due>) {
        let i = index_of(rule);
        let other = i.and_then(|i| self.other_dues.as_ref().map(|d| d[i]));
        (self.due(rule), other)
    }

    /// When `rule`'s findings fall due on this manifest.
    pub fn due(&self, rule: &RuleMeta) -> Due {
        index_of(rule).map_or(Due::At(rule.milestone), |i| self.dues[i])
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

/// `rule`'s index in `rules::ALL`, by its code. Never by address: a rule's `META` is a
/// constant, and each place that borrows it may get its own copy (a release build gave the
/// findings' copies other addresses than the registry's, and `policy.due` was ignored).
fn index_of(rule: &RuleMeta) -> Option<usize> {
    rules::ALL.iter().position(|r| r.meta().code == rule.code)
}

/// The rules (indexes into `rules::ALL`) a `policy.due` key applies to, and whether it names
/// one rule exactly (a code or a name) rather than a code prefix; `None` when it is neither.
/// A prefix is `RC` and one or two digits that begins at least one code, and never applies
/// to an integrity rule.
pub(crate) fn due_covers(key: &str) -> Option<(Vec<usize>, bool)> {
    if let Some(rule) = rules::find(key) {
        return Some((vec![index_of(rule.meta())?], true));
    }
    let upper = key.to_ascii_uppercase();
    let digits = upper.strip_prefix("RC").unwrap_or("");
    let is_prefix = (1..=2).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && rules::metas().any(|m| m.code.starts_with(&upper));
    is_prefix.then(|| {
        let indexes = rules::ALL
            .iter()
            .enumerate()
            .filter(|(_, r)| r.meta().code.starts_with(&upper) && !r.meta().integrity)
            .map(|(i, _)| i)
            .collect();
        (indexes, false)
    })
}

/// How specific a `policy.due` key is: a code or name beats a prefix, a longer prefix a
/// shorter one.
fn specificity(key: &str, exact: bool) -> usize {
    if exact { usize::MAX } else { key.len() }
}

/// Resolves `policy.due` per rule (parallel to `rules::ALL`): each rule's default milestone,
/// unless a key names it; the most specific key wins. A prefix is `RC` and one or two digits
/// that begins at least one code, and never applies to an integrity rule, which is always due
/// now.
fn dues(
    due: Option<&RuleDues>,
    err: &dyn Fn(Pos, String) -> LoadError,
) -> Result<Vec<Due>, LoadError> {
    let mut dues: Vec<Due> = rules::ALL
        .iter()
        .map(|r| Due::At(r.meta().milestone))
        .collect();
    let Some(due) = due else {
        return Ok(dues);
    };
    let mut set_by: Vec<Option<(usize, &Located<String>)>> = vec![None; rules::ALL.len()];
    let mut seen_exact: Vec<Option<&Located<String>>> = vec![None; rules::ALL.len()];
    for (key, value) in &due.0 {
        let when = match value.as_str() {
            "now" => Due::At(Milestone::Now),
            "freeze" => Due::At(Milestone::Freeze),
            "release" => Due::At(Milestone::Release),
            other => match Date::parse(other) {
                Some(date) => Due::On(date),
                None => {
                    return Err(err(
                        value.pos,
                        format!(
                            "policy.due of '{}': expected now, freeze, release or a date \
                             YYYY-MM-DD, found '{}'",
                            key.value,
                            other.chars().take(40).collect::<String>()
                        ),
                    ));
                }
            },
        };
        let (indexes, exact): (Vec<usize>, bool) = if let Some((indexes, true)) = due_covers(key) {
            let i = indexes[0];
            let meta = rules::ALL[i].meta();
            if let Some(first) = seen_exact[i] {
                return Err(err(
                    key.pos,
                    format!(
                        "{} ({}) is named twice in policy.due: as '{}' at line {} and as '{}' \
                         here; keep one",
                        meta.code, meta.name, first.value, first.pos.line, key.value
                    ),
                ));
            }
            seen_exact[i] = Some(key);
            if meta.integrity && when != Due::At(Milestone::Now) {
                return Err(err(
                    value.pos,
                    format!(
                        "{} ({}) is an integrity rule: it is always due now",
                        meta.code, meta.name
                    ),
                ));
            }
            (vec![i], true)
        } else if let Some((indexes, false)) = due_covers(key) {
            (indexes, false)
        } else {
            return Err(err(
                key.pos,
                format!(
                    "{} in policy.due (a key is a rule code, a name, or a code prefix such as \
                     RC2)",
                    unknown_rule_message(key)
                ),
            ));
        };
        let rank = specificity(key, exact);
        for i in indexes {
            if set_by[i].is_none_or(|(r, _)| rank >= r) {
                set_by[i] = Some((rank, key));
                dues[i] = when;
            }
        }
    }
    Ok(dues)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::{Manifest, parse};

    /// The plan of a release whose `policy.due` is `due` (YAML mapping lines), or its load
    /// error.
    fn plan(due: &str) -> Result<Plan, String> {
        let y =
            format!("relcheck: 1\nrelease:\n  name: R\n  date: 2026-12-15\npolicy:\n  due:\n{due}");
        let Ok(Manifest::Release(r)) = parse(&y, "release.yaml") else {
            panic!("{y} does not load");
        };
        Plan::new(
            "release.yaml",
            r.policy.as_deref(),
            &r.waivers,
            &Selection::default(),
        )
        .map_err(|e| e.to_string())
    }

    fn due_of(plan: &Plan, code: &str) -> Due {
        let meta = rules::find(code)
            .map(crate::rule::HasMeta::meta)
            .expect("a rule");
        plan.due(meta)
    }

    /// A rule is found by its code, not by the address of its description: findings carry
    /// their own copies of it (each use of a rule's `META` constant may be one), and a
    /// release build once lost `policy.due` that way.
    #[test]
    fn a_copy_of_a_rules_description_is_the_same_rule() {
        let p = plan("    RC201: 2026-12-01\n").unwrap();
        let m = rules::find("RC201")
            .map(crate::rule::HasMeta::meta)
            .unwrap();
        let copy = RuleMeta::new(
            m.code,
            m.name,
            m.default,
            m.summary,
            "",
            m.scope,
            m.milestone,
            m.phase,
            m.integrity,
        );
        let date = Date::parse("2026-12-01").unwrap();
        assert_eq!(p.due(&copy), Due::On(date));
        assert_eq!(p.dues(&copy).0, Due::On(date));
        assert_eq!(
            due_covers("RC201"),
            Some((vec![index_of(m).unwrap()], true))
        );
    }

    #[test]
    fn the_most_specific_key_wins_and_integrity_rules_stay_due_now() {
        let p = plan("    RC2: freeze\n    RC20: 2026-12-01\n    RC201: release\n    RC0: release\n    untrained-feature: now\n").unwrap();
        let date = Date::parse("2026-12-01").unwrap();
        assert_eq!(due_of(&p, "RC201"), Due::At(Milestone::Release));
        assert_eq!(due_of(&p, "RC202"), Due::On(date));
        assert_eq!(due_of(&p, "RC204"), Due::At(Milestone::Now));
        // RC21x is not under RC20: only the shorter prefix applies.
        assert_eq!(due_of(&p, "RC209"), Due::On(date));
        // A prefix never moves an integrity rule; the other RC0xx rules move.
        assert_eq!(due_of(&p, "RC001"), Due::At(Milestone::Now));
        assert_eq!(due_of(&p, "RC003"), Due::At(Milestone::Release));
        // Untouched rules keep their defaults.
        assert_eq!(due_of(&p, "RC101"), Due::At(Milestone::Freeze));
        assert_eq!(due_of(&p, "RC303"), Due::At(Milestone::Now));
    }

    #[test]
    fn bad_due_keys_and_values_are_load_errors() {
        for (due, error) in [
            (
                "    RC001: release\n",
                "release.yaml:7:12: RC001 (unknown-reference) is an integrity rule: it is always due now",
            ),
            (
                "    RC201: soon\n",
                "release.yaml:7:12: policy.due of 'RC201': expected now, freeze, release or a date YYYY-MM-DD, found 'soon'",
            ),
            (
                "    RC201: 2026-02-30\n",
                "release.yaml:7:12: policy.due of 'RC201': expected now, freeze, release or a date YYYY-MM-DD, found '2026-02-30'",
            ),
            (
                "    RC201: now\n    undocumented-feature: release\n",
                "release.yaml:8:5: RC201 (undocumented-feature) is named twice in policy.due: as 'RC201' at line 7 and as 'undocumented-feature' here; keep one",
            ),
            ("    RC9: now\n", "release.yaml:7:5: unknown rule 'RC9'"),
            (
                "    RC2011: now\n",
                "release.yaml:7:5: unknown rule 'RC2011'",
            ),
            (
                "    nothing: now\n",
                "release.yaml:7:5: unknown rule 'nothing'",
            ),
        ] {
            let e = plan(due)
                .err()
                .unwrap_or_else(|| panic!("{due} was accepted"));
            assert!(e.starts_with(error), "{due}: {e}");
        }
    }
}
