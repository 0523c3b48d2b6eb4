use crate::hash::{Map, map_with_capacity};

use crate::context::{Context, ProgramContext};
use crate::manifest::{Located, Pos};
use crate::rule::{Eval, Finding, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Ids are unique within their section: no two features, tests, docs, training
    /// entries, sprints (or products of a program) share an id.
    ///
    /// ## Why it matters
    /// Every claim of readiness in a manifest is a link by id: a feature is tested because
    /// it links a passing test. When two entries share an id, a link can resolve to either,
    /// and a failing test can hide behind a passing namesake. Readiness that depends on
    /// which duplicate wins is not trustworthy, so this integrity rule cannot be waived.
    /// Links resolve to the first entry with the id.
    ///
    /// ## Example
    /// ```yaml
    /// tests:
    ///   - id: checkout-it
    ///     kind: integration
    ///     status: passed
    ///   - id: checkout-it          # RC002
    ///     kind: integration
    ///     status: failed
    /// ```
    pub struct DuplicateId {
        code: "RC002",
        name: "duplicate-id",
        default: Error,
        summary: "two entries of one section share an id",
        scope: Ids,
        milestone: Now,
        integrity: true,
    }
}

fn duplicates<'a, T>(
    section: &str,
    entries: &'a [Located<T>],
    id: impl Fn(&'a T) -> (&'a str, Pos),
    out: &mut Vec<Finding>,
) {
    let mut first: Map<&str, Pos> = map_with_capacity(entries.len());
    for e in entries {
        let (id, pos) = id(&e.value);
        if let Some(prev) = first.get(id) {
            out.push(
                DuplicateId::META
                    .finding(
                        id,
                        pos,
                        format!(
                            "{section} id '{id}' is already used at line {}; ids must be unique",
                            prev.line
                        ),
                    )
                    .with_action(format!(
                        "rename the {section} '{id}' at line {} and fix the links to it",
                        pos.line
                    )),
            );
        } else {
            first.insert(id, pos);
        }
    }
}

impl Rule for DuplicateId {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let r = cx.release;
        duplicates("feature", &r.features, |f| (f.id.as_str(), f.id.pos), out);
        duplicates("test", &r.tests, |t| (t.id.as_str(), t.id.pos), out);
        duplicates("doc", &r.docs, |d| (d.id.as_str(), d.id.pos), out);
        duplicates("training", &r.training, |t| (t.id.as_str(), t.id.pos), out);
        duplicates("sprint", &r.sprints, |s| (s.id.as_str(), s.id.pos), out);
        Ok(())
    }

    fn check_program(&self, cx: &ProgramContext<'_>, out: &mut Vec<Finding>) -> Eval {
        duplicates(
            "product",
            &cx.program.info.products,
            |p| (p.id.as_str(), p.id.pos),
            out,
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, check_rule};

    #[test]
    fn fires_on_the_second_entry() {
        let yaml = format!(
            "{HEAD}tests:\n  - id: t\n    kind: uat\n    status: passed\n  - id: t\n    kind: unit\n    status: failed\n\
             features:\n  - id: f\n    status: done\n  - id: f\n    status: done\n"
        );
        assert_eq!(
            check_rule("RC002", &yaml),
            [
                "9:9 t: test id 't' is already used at line 6; ids must be unique",
                "15:9 f: feature id 'f' is already used at line 13; ids must be unique",
            ]
        );
    }

    #[test]
    fn same_id_in_different_sections_is_fine() {
        let yaml = format!(
            "{HEAD}tests:\n  - id: x\n    kind: uat\n    status: passed\n\
             docs:\n  - id: x\n    kind: user\n    status: final\n    url: https://d\n"
        );
        assert!(check_rule("RC002", &yaml).is_empty());
    }
}
