//! A manifest's `policy:` read on its own, from YAML text that another file format was
//! turned into (`relcheck.toml`'s `[policy]` table, see `crate::settings`).
//!
//! The text is read by the manifest's own loader as the declared `Policy` type
//! (`load::parse_as`), so a shared policy is checked by the very declarations a manifest's
//! `policy:` is (the same keys, types, limits and error messages), never by a second copy of
//! them.

use super::{LoadError, Policy, Pos, parse_as};

/// Reads `yaml`, the value of a `policy:` key (a flow mapping such as `{"max_report_age": 14}`,
/// over as many lines as it likes), as a manifest's `policy:` is read. Positions, in the
/// policy and in errors, are the fragment's own lines and columns; an error's `shown` is
/// empty (the caller names the file it came from). The first error says how many more there
/// are.
pub fn parse_policy(yaml: &str) -> Result<Option<Policy>, LoadError> {
    parse_as::<Policy>(yaml, "")
        .map(Some)
        .map_err(LoadError::first_of)
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
