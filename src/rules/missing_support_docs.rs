use crate::context::Context;
use crate::manifest::DocKind;
use crate::rule::{Eval, Finding, Rule, declare_rule};

use super::shared::support::no_support;

declare_rule! {
    /// ## What it checks
    /// The release lists at least one doc of kind `support` or `operations` (linked by a
    /// feature or not; whether it is finished is RC206's concern).
    ///
    /// ## Why it matters
    /// Pitfall 2 of the Production Release practice: documentation counts as much as
    /// testing, and not only for users. The people who answer the first calls and run the
    /// new version in production need a runbook or operations guide before release day;
    /// the release sprint is when it is written.
    ///
    /// ## Example
    /// ```yaml
    /// docs:                          # RC203: nothing for support or operations
    ///   - id: release-notes
    ///     kind: release-notes
    ///     path: docs/release/notes.md
    ///     status: final
    /// ```
    pub struct MissingSupportDocs {
        code: "RC203",
        name: "missing-support-docs",
        default: Error,
        summary: "the release has no support or operations doc",
        scope: Release,
        milestone: Release,
    }
}

impl Rule for MissingSupportDocs {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        out.extend(no_support(
            cx,
            &Self::META,
            "doc",
            &cx.release.docs,
            |d| matches!(d.kind.value, DocKind::Support | DocKind::Operations),
            |docs| match docs {
                [] => "it lists no docs".to_owned(),
                [d] => format!("its only doc, '{}', is of kind {}", d.id, d.kind),
                all => format!(
                    "none of its {} docs is of kind support or operations",
                    all.len()
                ),
            },
            || format!(
                "write the support runbook or operations guide for {} and list it under `docs` with `kind: support` or `kind: operations`",
                cx.name()
            ),
        ));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, check_rule};

    #[test]
    fn fires_without_support_or_operations_docs() {
        assert_eq!(
            check_rule("RC203", HEAD),
            ["3:3 R: release 'R' has no support or operations doc (it lists no docs)"]
        );
        let yaml = format!(
            "{HEAD}docs:\n  - id: notes\n    kind: release-notes\n    status: final\n    url: https://d\n"
        );
        assert_eq!(
            check_rule("RC203", &yaml),
            [
                "3:3 R: release 'R' has no support or operations doc (its only doc, 'notes', is of kind release-notes)"
            ]
        );
    }

    #[test]
    fn silent_with_either_kind() {
        for kind in ["support", "operations"] {
            let yaml = format!(
                "{HEAD}docs:\n  - id: d\n    kind: {kind}\n    status: review\n    url: https://d\n"
            );
            assert!(check_rule("RC203", &yaml).is_empty(), "{kind}");
        }
    }
}
