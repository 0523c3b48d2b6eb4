use crate::context::Context;
use crate::manifest::{Flag, Located, Pos};
use crate::rule::{Eval, Finding, Rule, declare_rule};

use super::shared::shipped::Shipped;

declare_rule! {
    /// ## What it checks
    /// Opt-in (off by default). Docs and training that ship with the release say
    /// `reviewed: true`.
    ///
    /// It looks at the same entries as RC206: what a feature in scope links, and the
    /// release-wide kinds (`release-notes`, `product`, `support` and `operations` docs;
    /// `support` and `operations` training) whether linked or not. Entries of `deferred`
    /// or `dropped` features, and entries no feature links (RC003's), are not checked.
    /// The finding points at `reviewed: false` when it is given, else at the entry.
    ///
    /// ## Why it matters
    /// Pitfall 2 of the Production Release practice: documentation and training count as
    /// much as testing, and tested code is reviewed code. Teams that hold their docs and
    /// training to the same bar turn this rule on (`policy.rules: {RC208: warning}`) so a
    /// second pair of eyes checks every guide and course before users see it.
    ///
    /// ## Example
    /// ```yaml
    /// policy:
    ///   rules:
    ///     unreviewed-doc: warning
    /// docs:
    ///   - id: checkout-guide
    ///     kind: user
    ///     path: docs/user/checkout.md
    ///     status: final         # RC208: no `reviewed: true`
    /// ```
    pub struct UnreviewedDoc {
        code: "RC208",
        name: "unreviewed-doc",
        default: Off,
        summary: "a doc or training entry lacks reviewed: true",
        scope: Documents,
        milestone: Release,
    }
}

/// Where to point, and how to say what is missing; `None` when reviewed.
fn unreviewed(reviewed: Option<&Located<Flag>>, entry: Pos) -> Option<(Pos, &'static str)> {
    match reviewed {
        Some(r) if r.0 => None,
        Some(r) => Some((r.pos, "says `reviewed: false`")),
        None => Some((entry, "has no `reviewed: true`")),
    }
}

impl Rule for UnreviewedDoc {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let shipped = Shipped::new(cx);
        let date = cx.release.info.date.value;
        let mut push = |id: &str, what: String, why: String, (pos, state): (Pos, &str)| {
            out.push(
                Self::META
                    .finding(id, pos, format!("{what} '{id}' ({why}) {state}"))
                    .with_action(format!(
                        "have someone other than its author review {what} '{id}' before {date}, then set `reviewed: true`"
                    )),
            );
        };
        for d in &cx.release.docs {
            if let (Some(why), Some(at)) = (shipped.doc(d), unreviewed(d.reviewed.as_ref(), d.pos))
            {
                push(
                    d.id.as_str(),
                    format!("{} doc", d.kind.value),
                    why.describe(),
                    at,
                );
            }
        }
        for t in &cx.release.training {
            if let (Some(why), Some(at)) =
                (shipped.training(t), unreviewed(t.reviewed.as_ref(), t.pos))
            {
                push(
                    t.id.as_str(),
                    format!("{} training", t.audience.value),
                    why.describe(),
                    at,
                );
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::manifest::Level;
    use crate::rules::find;
    use crate::testing::{HEAD, check_rule, check_rules};

    const YAML: &str = "features:\n  - id: a\n    status: done\n    docs: [guide]\n    training: [course]\n\
        \x20 - id: later\n    status: deferred\n    docs: [old]\n\
        docs:\n\
        \x20 - id: guide\n    kind: user\n    status: final\n    url: https://d\n\
        \x20 - id: notes\n    kind: release-notes\n    status: final\n    url: https://d\n    reviewed: false\n\
        \x20 - id: ops\n    kind: operations\n    status: final\n    url: https://d\n    reviewed: true\n\
        \x20 - id: old\n    kind: user\n    status: final\n    url: https://d\n\
        training:\n\
        \x20 - id: course\n    audience: end-user\n    status: ready\n    url: https://t\n";

    #[test]
    fn is_off_unless_turned_on() {
        assert_eq!(find("RC208").map(|r| r.meta().default), Some(Level::Off));
        assert!(check_rules("RC2", "RC208", &format!("{HEAD}{YAML}")).is_empty());
    }

    #[test]
    fn fires_for_shipped_entries_not_reviewed() {
        assert_eq!(
            check_rule("RC208", &format!("{HEAD}{YAML}")),
            [
                "14:5 guide: user doc 'guide' (linked by feature 'a') has no `reviewed: true`",
                "22:15 notes: release-notes doc 'notes' (release-wide) says `reviewed: false`",
                "33:5 course: end-user training 'course' (linked by feature 'a') has no `reviewed: true`",
            ]
        );
    }

    #[test]
    fn silent_when_reviewed() {
        let yaml = format!(
            "{HEAD}docs:\n  - id: notes\n    kind: release-notes\n    status: final\n    url: https://d\n    reviewed: true\n"
        );
        assert!(check_rule("RC208", &yaml).is_empty());
    }
}
