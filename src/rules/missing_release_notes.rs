use crate::context::Context;
use crate::manifest::DocKind;
use crate::rule::{Eval, Finding, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// The release lists at least one doc of kind `release-notes` (linked by a feature or
    /// not; whether it is finished is RC206's concern).
    ///
    /// ## Why it matters
    /// Pitfall 2 of the Production Release practice: documentation counts as much as
    /// testing. Release notes tell users, support and operations what changes on release
    /// day; they are written in the release sprint, while the people who built the features
    /// still remember what they did.
    ///
    /// ## Example
    /// ```yaml
    /// docs:                          # RC202: no release notes among them
    ///   - id: checkout-guide
    ///     kind: user
    ///     path: docs/user/checkout.md
    ///     status: final
    /// ```
    pub struct MissingReleaseNotes {
        code: "RC202",
        name: "missing-release-notes",
        default: Error,
        summary: "the release has no release-notes doc",
        scope: Release,
        milestone: Release,
    }
}

impl Rule for MissingReleaseNotes {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let docs = &cx.release.docs;
        if docs.iter().any(|d| *d.kind == DocKind::ReleaseNotes) {
            return Ok(());
        }
        let why = match docs.as_slice() {
            [] => "it lists no docs".to_owned(),
            [d] => format!("its only doc, '{}', is of kind {}", d.id, d.kind),
            all => format!("none of its {} docs is of kind release-notes", all.len()),
        };
        out.push(
            Self::META
                .finding(
                    cx.name(),
                    cx.release.info.pos,
                    format!("release '{}' has no release-notes doc ({why})", cx.name()),
                )
                .with_action(format!(
                    "write the release notes for {} and list them under `docs` with `kind: release-notes`",
                    cx.name()
                )),
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, check_rule};

    #[test]
    fn fires_when_no_doc_is_release_notes() {
        assert_eq!(
            check_rule("RC202", HEAD),
            ["3:3 R: release 'R' has no release-notes doc (it lists no docs)"]
        );
        let yaml = format!(
            "{HEAD}docs:\n  - id: a\n    kind: user\n    status: final\n    url: https://d\n\
             \x20 - id: b\n    kind: support\n    status: final\n    url: https://d\n"
        );
        assert_eq!(
            check_rule("RC202", &yaml),
            [
                "3:3 R: release 'R' has no release-notes doc (none of its 2 docs is of kind release-notes)"
            ]
        );
    }

    #[test]
    fn silent_with_release_notes_even_in_draft() {
        let yaml = format!(
            "{HEAD}docs:\n  - id: notes\n    kind: release-notes\n    status: draft\n    url: https://d\n"
        );
        assert!(check_rule("RC202", &yaml).is_empty());
    }
}
