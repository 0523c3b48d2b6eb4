//! Shared settings for many manifests: `relcheck.toml`, or the `[tool.relcheck]` table of a
//! `pyproject.toml`, found upwards from each manifest's folder, as ruff and yamllint find
//! their configuration.
//!
//! The nearest folder holding either wins (in one folder, `relcheck.toml` beats
//! `pyproject.toml`; a `pyproject.toml` without `[tool.relcheck]` is passed over). The search
//! stops after the first folder that holds `.git` (the top of the repository) or at the
//! filesystem root. A [`Finder`] remembers each folder's answer, so the manifests of one tree
//! read each settings file once.
//!
//! A settings file holds defaults for the manifests' `policy:` (`[policy]`, read by the
//! manifest's own declarations) and the options `select` and `ignore`. A manifest's own
//! `policy` keys replace the file's one by one; `policy.rules` and `policy.due` merge per
//! rule, the manifest's entries winning ([`merge`]). `--select` and `--ignore`, when given,
//! replace the file's.

mod read;
mod show;

use std::collections::HashMap;
use std::io::Read as _;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use crate::manifest::{Level, LoadError, Located, Manifest, Policy, RuleDues, RuleLevels};
use crate::policy::{Selection, due_covers};
use crate::rules;

pub use read::{Contents, KEYS, Kind, Rules};
pub use show::show;

/// Settings files larger than this are refused (1 MiB).
pub const MAX_SETTINGS_BYTES: u64 = 1024 * 1024;

/// One settings file that applies to a manifest.
#[derive(Debug)]
pub struct Settings {
    /// The file (its folder canonical).
    pub path: PathBuf,
    /// The file as messages name it: relative to the current folder.
    pub shown: String,
    pub kind: Kind,
    pub contents: Contents,
}

/// What a folder's search found: the settings that apply there (if any), or why they cannot
/// be read.
pub type Found = Result<Option<Arc<Settings>>, LoadError>;

/// Finds each manifest's settings file, reading each file once.
pub struct Finder {
    /// The current folder, canonical: settings files are named relative to it.
    cwd: Option<PathBuf>,
    /// Each folder searched, canonical, and what applies there.
    cache: Mutex<HashMap<PathBuf, Found>>,
    /// `--isolated`: no file is searched for; nothing applies.
    isolated: bool,
}

impl Default for Finder {
    fn default() -> Self {
        Finder::new()
    }
}

impl Finder {
    pub fn new() -> Self {
        Finder {
            cwd: std::env::current_dir().and_then(std::fs::canonicalize).ok(),
            cache: Mutex::new(HashMap::new()),
            isolated: false,
        }
    }

    /// A finder for `--isolated` (when `isolated`): it finds nothing, so no settings file
    /// applies anywhere.
    pub fn with_isolated(isolated: bool) -> Self {
        Finder {
            isolated,
            ..Finder::new()
        }
    }

    /// The settings that apply to the manifest at `manifest`.
    pub fn find(&self, manifest: &Path) -> Found {
        if self.isolated {
            return Ok(None);
        }
        let folder = match manifest.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let Ok(folder) = folder.canonicalize() else {
            return Ok(None);
        };
        // Searching is quick next to reading manifests; one search at a time keeps each file
        // read once even when manifests load in parallel.
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        let mut searched = Vec::new();
        let mut at = Some(folder.as_path());
        let found = loop {
            let Some(dir) = at else { break Ok(None) };
            if let Some(found) = cache.get(dir) {
                break found.clone();
            }
            searched.push(dir.to_path_buf());
            match self.read_in(dir) {
                Ok(None) if !dir.join(".git").exists() => at = dir.parent(),
                other => break other,
            }
        };
        for dir in searched {
            cache.insert(dir, found.clone());
        }
        found
    }

    /// The settings file in `dir` itself, if it has one.
    fn read_in(&self, dir: &Path) -> Found {
        for kind in [Kind::Relcheck, Kind::Pyproject] {
            let path = dir.join(kind.file_name());
            // Only a regular file (or a link to one) is read: never a folder or a named pipe.
            if !std::fs::metadata(&path).is_ok_and(|m| m.is_file()) {
                continue;
            }
            let shown = self.shown(&path);
            let text = read_text(&path, &shown)?;
            if let Some(contents) = read::parse(&text, kind, &shown)? {
                // The policy's rule keys and due dates are checked now, against this file.
                crate::policy::Plan::new(
                    &shown,
                    contents.policy.as_deref(),
                    &[],
                    &Selection::default(),
                )?;
                return Ok(Some(Arc::new(Settings {
                    path,
                    shown,
                    kind,
                    contents,
                })));
            }
        }
        Ok(None)
    }

    /// `path` relative to the current folder (`../relcheck.toml` above it).
    fn shown(&self, path: &Path) -> String {
        let Some(cwd) = &self.cwd else {
            return path.display().to_string();
        };
        let (mut a, mut b) = (path.components().peekable(), cwd.components().peekable());
        while let (Some(x), Some(y)) = (a.peek(), b.peek()) {
            if x != y {
                break;
            }
            a.next();
            b.next();
        }
        let ups = b.filter(|c| matches!(c, Component::Normal(_))).count();
        let mut parts: Vec<String> = vec!["..".to_owned(); ups];
        parts.extend(a.map(|c| c.as_os_str().to_string_lossy().into_owned()));
        parts.join("/")
    }
}

/// A settings file's text, at most [`MAX_SETTINGS_BYTES`], in UTF-8.
fn read_text(path: &Path, shown: &str) -> Result<String, LoadError> {
    let err = |message: String| LoadError::whole(shown, message);
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_SETTINGS_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| err(format!("cannot read the settings file: {e}")))?;
    if bytes.len() as u64 > MAX_SETTINGS_BYTES {
        return Err(err(format!(
            "the settings file is over the limit of {MAX_SETTINGS_BYTES} bytes (1 MiB)"
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        err(format!(
            "the settings file is not valid UTF-8 (at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// The manifest with its `policy` merged over the settings' (see [`merge`]).
pub fn apply(manifest: &mut Manifest, settings: Option<&Settings>) {
    let Some(shared) = settings.and_then(|s| s.contents.policy.as_ref()) else {
        return;
    };
    let policy = match manifest {
        Manifest::Release(r) => &mut r.policy,
        Manifest::Program(p) => &mut p.policy,
    };
    *policy = merge(policy.take(), Some(shared));
}

/// The selection a manifest runs under: the command line's over its settings file's.
pub fn selection(settings: Option<&Settings>, command_line: &Selection) -> Selection {
    settings.map_or_else(
        || command_line.clone(),
        |s| command_line.over(&s.contents.selection),
    )
}

/// A manifest's `policy` over a settings file's: each key the manifest gives replaces the
/// file's; `rules` and `due` merge per rule (see [`shared_rules`], [`shared_dues`]).
pub fn merge(
    own: Option<Located<Policy>>,
    shared: Option<&Located<Policy>>,
) -> Option<Located<Policy>> {
    let Some(shared) = shared else { return own };
    let Some(own) = own else {
        return Some(shared.clone());
    };
    let pos = own.pos;
    let s = &shared.value;
    // Every key, named: a key added to `Policy` does not compile until it merges too.
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
    } = own.value;
    let rules = match (rules, &s.rules) {
        (Some(mut own), Some(theirs)) => {
            let kept: Vec<_> = shared_rules(&own.value, theirs).cloned().collect();
            own.value.0.extend(kept);
            Some(own)
        }
        (own, theirs) => own.or_else(|| theirs.clone()),
    };
    let due = match (due, &s.due) {
        (Some(mut own), Some(theirs)) => {
            let kept: Vec<_> = shared_dues(&own.value, theirs).cloned().collect();
            own.value.0.extend(kept);
            Some(own)
        }
        (own, theirs) => own.or_else(|| theirs.clone()),
    };
    Some(Located::new(
        Policy {
            feature_tests: feature_tests.or_else(|| s.feature_tests.clone()),
            release_tests: release_tests.or_else(|| s.release_tests.clone()),
            min_release_load: min_release_load.or_else(|| s.min_release_load.clone()),
            max_release_load: max_release_load.or_else(|| s.max_release_load.clone()),
            max_hours_per_week: max_hours_per_week.or_else(|| s.max_hours_per_week.clone()),
            max_hours_per_day: max_hours_per_day.or_else(|| s.max_hours_per_day.clone()),
            max_coverage_gap: max_coverage_gap.or_else(|| s.max_coverage_gap.clone()),
            deployment_plan_sections: deployment_plan_sections
                .or_else(|| s.deployment_plan_sections.clone()),
            max_report_age: max_report_age.or_else(|| s.max_report_age.clone()),
            min_feature_coverage: min_feature_coverage.or_else(|| s.min_feature_coverage.clone()),
            rules,
            due,
        },
        pos,
    ))
}

/// The rule a `policy.rules` key names (by code or name), as an index into `rules::ALL`.
fn rule_index(key: &str) -> Option<usize> {
    rules::ALL
        .iter()
        .position(|r| r.meta().code.eq_ignore_ascii_case(key) || r.meta().name == key)
}

/// The settings file's `policy.rules` entries that still apply under a manifest's: those for
/// rules the manifest does not configure.
pub fn shared_rules<'a>(
    own: &RuleLevels,
    shared: &'a RuleLevels,
) -> impl Iterator<Item = &'a (Located<String>, Located<Level>)> {
    let mine: Vec<Option<usize>> = own.0.iter().map(|(k, _)| rule_index(k)).collect();
    shared
        .0
        .iter()
        .filter(move |(k, _)| rule_index(k).is_none_or(|i| !mine.contains(&Some(i))))
}

/// The settings file's `policy.due` entries that still apply under a manifest's: a rule any of
/// the manifest's keys applies to takes the manifest's due, so the file's entries that apply
/// only to such rules are dropped. Those kept apply to other rules too and are less specific
/// than every manifest key they overlap (codes nest in prefixes), so the most specific key
/// still gives each rule the manifest's due.
pub fn shared_dues<'a>(
    own: &RuleDues,
    shared: &'a RuleDues,
) -> impl Iterator<Item = &'a (Located<String>, Located<String>)> {
    let mut mine = vec![false; rules::ALL.len()];
    for (key, _) in &own.0 {
        for i in due_covers(key).map(|(c, _)| c).unwrap_or_default() {
            mine[i] = true;
        }
    }
    shared.0.iter().filter(move |(key, _)| {
        due_covers(key).is_none_or(|(covers, _)| covers.iter().any(|&i| !mine[i]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::{Pos, parse};
    use crate::policy::{Due, Plan};
    use crate::rule::Milestone;

    fn policy_of(yaml_policy: &str) -> Located<Policy> {
        let y =
            format!("relcheck: 1\nrelease:\n  name: R\n  date: 2026-12-15\npolicy:\n{yaml_policy}");
        match parse(&y, "release.yaml") {
            Ok(Manifest::Release(r)) => r.policy.unwrap(),
            other => panic!("{other:?}"),
        }
    }

    fn shared_of(toml: &str) -> Located<Policy> {
        read::parse(toml, Kind::Relcheck, "relcheck.toml")
            .unwrap()
            .unwrap()
            .policy
            .unwrap()
    }

    fn due(plan: &Plan, code: &str) -> Due {
        plan.due(rules::find(code).map(crate::rule::HasMeta::meta).unwrap())
    }

    #[test]
    fn the_manifest_s_keys_win_one_by_one() {
        let own = policy_of("  max_report_age: 7\n");
        let shared = shared_of("[policy]\nmax_report_age = 14\nmax_hours_per_day = 9\n");
        let merged = merge(Some(own), Some(&shared)).unwrap();
        let age = merged.max_report_age.as_ref().unwrap();
        assert_eq!((age.0, age.pos), (7, Pos::new(6, 19)));
        let day = merged.max_hours_per_day.as_ref().unwrap();
        assert_eq!(
            (day.to_string(), day.pos),
            ("9".to_owned(), Pos::new(3, 21))
        );
        // Without a policy of its own, the manifest takes the file's.
        let only = merge(None, Some(&shared)).unwrap();
        assert_eq!(only.max_report_age.as_ref().unwrap().0, 14);
    }

    #[test]
    fn rules_and_dues_merge_per_rule() {
        let own = policy_of(
            "  rules:\n    undocumented-feature: off\n  due:\n    RC2: release\n    RC101: now\n",
        );
        let shared = shared_of(
            "[policy.rules]\nRC201 = \"warning\"\nRC202 = \"off\"\n[policy.due]\nRC201 = \"freeze\"\nRC1 = \"2026-12-01\"\nRC3 = \"release\"\n",
        );
        let merged = merge(Some(own), Some(&shared)).unwrap();
        // Named by its name in the manifest and by its code in the file: the manifest wins,
        // and the plan sees the rule configured once.
        let plan = Plan::new("release.yaml", Some(&merged), &[], &Selection::default()).unwrap();
        let active = |code: &str| plan.active().any(|(r, _)| r.meta().code == code);
        assert!(!active("RC201"));
        assert!(!active("RC202"));
        // RC201 is under the manifest's RC2: the file's RC201 is dropped.
        assert_eq!(due(&plan, "RC201"), Due::At(Milestone::Release));
        // RC1 is kept for the RC1xx rules the manifest does not name; RC101 is the manifest's.
        assert_eq!(due(&plan, "RC101"), Due::At(Milestone::Now));
        assert_eq!(
            due(&plan, "RC102"),
            Due::On(crate::manifest::Date::parse("2026-12-01").unwrap())
        );
        assert_eq!(due(&plan, "RC301"), Due::At(Milestone::Release));
    }

    #[test]
    fn the_nearest_file_wins_and_each_folder_is_searched_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join("a/b/c")).unwrap();
        std::fs::create_dir_all(root.join("p/q")).unwrap();
        std::fs::write(root.join("relcheck.toml"), "[policy]\nmax_report_age = 1\n").unwrap();
        std::fs::write(root.join("a/pyproject.toml"), "[project]\nname = \"a\"\n").unwrap();
        std::fs::write(
            root.join("a/b/pyproject.toml"),
            "[tool.relcheck.policy]\nmax_report_age = 2\n",
        )
        .unwrap();
        std::fs::write(
            root.join("p/relcheck.toml"),
            "[policy]\nmax_report_age = 3\n",
        )
        .unwrap();
        std::fs::write(
            root.join("p/pyproject.toml"),
            "[tool.relcheck.policy]\nmax_report_age = 4\n",
        )
        .unwrap();
        let finder = Finder::new();
        let age = |manifest: &str| {
            let found = finder.find(&root.join(manifest)).unwrap().unwrap();
            let age = found
                .contents
                .policy
                .as_ref()
                .unwrap()
                .max_report_age
                .as_ref()
                .unwrap()
                .0;
            (found.kind, age)
        };
        assert_eq!(age("a/b/c/release.yaml"), (Kind::Pyproject, 2));
        assert_eq!(age("a/release.yaml"), (Kind::Relcheck, 1));
        assert_eq!(age("p/q/release.yaml"), (Kind::Relcheck, 3));
        // Read once: changed on disk, the answer stays the one first read.
        std::fs::write(root.join("relcheck.toml"), "[policy]\nmax_report_age = 9\n").unwrap();
        assert_eq!(age("release.yaml"), (Kind::Relcheck, 1));
        assert_eq!(age("a/b/c/release.yaml"), (Kind::Pyproject, 2));
        // The search stops at the repository's top.
        let inner = root.join("sub");
        std::fs::create_dir_all(inner.join(".git")).unwrap();
        assert!(finder.find(&inner.join("release.yaml")).unwrap().is_none());
    }

    #[test]
    fn a_broken_settings_file_is_an_error_for_every_manifest_under_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::write(root.join("relcheck.toml"), "[policy]\nmax_report_ag = 1\n").unwrap();
        let finder = Finder::new();
        for m in ["release.yaml", "a/release.yaml"] {
            let e = finder.find(&root.join(m)).unwrap_err();
            assert_eq!(e.pos, Some(Pos::new(2, 1)));
            assert!(e.shown.ends_with("relcheck.toml"), "{}", e.shown);
        }
    }
}
