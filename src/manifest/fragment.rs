//! A manifest's `policy:` read on its own, from YAML text that another file format was
//! turned into (`relcheck.toml`'s `[policy]` table, see `crate::settings`).
//!
//! The text is read by the manifest's own loader, as the `policy:` of a minimal release
//! manifest, so a shared policy is checked by the very declarations a manifest's `policy:`
//! is (the same keys, types, limits and error messages), never by a second copy of them.
//! Only [`parse_policy`] knows how: when the loader changes, this file changes alone.

use super::{LoadError, Manifest, Policy, Pos, parse};

/// What the fragment is wrapped in: a valid release manifest up to its `policy:` key.
const HEAD: &str = "relcheck: 1\nrelease:\n  name: settings\n  date: 2000-01-01\npolicy:\n";
/// The lines of [`HEAD`].
const HEAD_LINES: u32 = 5;
/// Each line of the fragment is indented by this many spaces under `policy:`.
const INDENT: u32 = 2;

/// Reads `yaml`, the value of a `policy:` key (a flow mapping such as `{"max_report_age": 14}`,
/// over as many lines as it likes), as a manifest's `policy:` is read. Positions, in the
/// policy and in errors, are the fragment's own lines and columns; an error's `shown` is
/// empty (the caller names the file it came from).
pub fn parse_policy(yaml: &str) -> Result<Option<Policy>, LoadError> {
    let mut text = String::with_capacity(HEAD.len() + yaml.len() + 64);
    text.push_str(HEAD);
    for line in yaml.lines() {
        text.push_str("  ");
        text.push_str(line);
        text.push('\n');
    }
    let back = |pos: Pos| {
        Pos::new(
            pos.line.saturating_sub(HEAD_LINES).max(1),
            pos.col.saturating_sub(INDENT).max(1),
        )
    };
    match parse(&text, "") {
        Ok(Manifest::Release(release)) => Ok(release.policy.map(|mut p| {
            shift(&mut p.value, &back);
            p.value
        })),
        // The head makes it a release manifest.
        Ok(Manifest::Program(_)) => Ok(None),
        // The first error, saying how many more there are (a settings file is short).
        Err(mut errors) => {
            for e in &mut errors {
                e.pos = e.pos.map(back);
            }
            Err(LoadError::first_of(errors))
        }
    }
}

/// Moves every position in `policy` with `f`.
pub fn shift(policy: &mut Policy, f: &dyn Fn(Pos) -> Pos) {
    fn one<T>(l: &mut super::Located<T>, f: &dyn Fn(Pos) -> Pos) {
        l.pos = f(l.pos);
    }
    fn list<T>(l: &mut Option<super::Located<super::List<T>>>, f: &dyn Fn(Pos) -> Pos) {
        if let Some(l) = l {
            one(l, f);
            l.value.iter_mut().for_each(|i| one(i, f));
        }
    }
    fn map<V>(m: &mut Option<super::Located<super::RuleMap<V>>>, f: &dyn Fn(Pos) -> Pos) {
        if let Some(m) = m {
            one(m, f);
            for (k, v) in &mut m.value.0 {
                one(k, f);
                one(v, f);
            }
        }
    }
    // Every key, named: a key added to `Policy` does not compile until it is moved too.
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
    list(feature_tests, f);
    list(release_tests, f);
    list(deployment_plan_sections, f);
    for l in [min_release_load, max_release_load, max_coverage_gap]
        .into_iter()
        .flatten()
    {
        one(l, f);
    }
    if let Some(l) = max_hours_per_week {
        one(l, f);
    }
    if let Some(l) = max_hours_per_day {
        one(l, f);
    }
    if let Some(l) = max_report_age {
        one(l, f);
    }
    if let Some(l) = min_feature_coverage {
        one(l, f);
    }
    map(rules, f);
    map(due, f);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fragment_reads_as_a_manifest_policy_with_its_own_positions() {
        let p =
            parse_policy("{\n\"max_report_age\":\n14,\n\"rules\":\n{\n\"RC201\":\n\"off\"\n}\n}\n")
                .unwrap()
                .unwrap();
        let age = p.max_report_age.unwrap();
        assert_eq!((age.0, age.pos), (14, Pos::new(3, 1)));
        let rules = p.rules.unwrap();
        let (key, level) = &rules.0[0];
        assert_eq!((key.as_str(), key.pos), ("RC201", Pos::new(6, 1)));
        assert_eq!(level.pos, Pos::new(7, 1));
    }

    #[test]
    fn errors_are_the_manifest_s_own_at_the_fragment_s_positions() {
        let e = parse_policy("{\n\"max_report_ag\":\n14\n}\n").unwrap_err();
        assert_eq!(e.pos, Some(Pos::new(2, 1)));
        assert!(
            e.message
                .starts_with("unknown key 'max_report_ag' in policy, expected one of:"),
            "{}",
            e.message
        );
        assert!(e.message.ends_with("(did you mean 'max_report_age'?)"));
        let e = parse_policy("{\n\"min_feature_coverage\":\n1.5\n}\n").unwrap_err();
        assert_eq!(e.pos, Some(Pos::new(3, 1)));
    }
}
