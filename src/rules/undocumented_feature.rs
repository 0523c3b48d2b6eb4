use crate::context::Context;
use crate::manifest::DocKind;
use crate::rule::{Eval, Finding, Rule, declare_rule};

use super::shared::feature_links::{Needed, report_unlinked_user_facing};

declare_rule! {
    /// ## What it checks
    /// Every user-facing feature in scope links at least one doc of kind `user`. Features
    /// that are `deferred` or `dropped` are out of scope; internal features
    /// (`user_facing: false`) need no user docs. Links to undefined docs do not count (they
    /// are RC001's), and neither do docs of other kinds (an `api` reference is not a user
    /// guide). Whether the doc is finished is RC206's concern.
    ///
    /// ## Why it matters
    /// Pitfall 2 of the Production Release practice: documentation counts as much as
    /// testing. A feature users cannot find out how to use is not done, however well it is
    /// tested; the release sprint is where the user documentation is completed, not
    /// something to hand over after the release.
    ///
    /// Waiving RC201 for a feature does not hide it from RC209, which compares how much of
    /// the release is documented with how much is tested.
    ///
    /// ## Example
    /// ```yaml
    /// features:
    ///   - id: saved-carts
    ///     status: done
    ///     docs: []              # RC201: no user doc
    ///   - id: payment-retry
    ///     status: done
    ///     user_facing: false    # internal: needs no user doc
    /// ```
    pub struct UndocumentedFeature {
        code: "RC201",
        name: "undocumented-feature",
        default: Error,
        summary: "a user-facing feature in scope links no user doc",
        scope: Features,
        milestone: Release,
    }
}

impl Rule for UndocumentedFeature {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) -> Eval {
        let needed = Needed {
            rule: &Self::META,
            what: "user doc",
            section: "docs",
        };
        report_unlinked_user_facing(
            cx,
            out,
            &needed,
            |f| cx.docs_of(f),
            |d| *d.kind == DocKind::User,
            |d| format!("'{}' ({})", d.id.value, d.kind.value),
            |f| {
                format!(
                    "write the user documentation for '{}' and link it under the feature's `docs` (kind: user)",
                    f.id
                )
            },
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{HEAD, check_rule};

    #[test]
    fn fires_for_user_facing_features_in_scope_without_a_user_doc() {
        let yaml = format!(
            "{HEAD}features:\n\
             \x20 - id: a\n    status: done\n\
             \x20 - id: b\n    status: accepted\n    docs: [api, typo]\n\
             docs:\n  - id: api\n    kind: api\n    status: final\n    url: https://d\n"
        );
        assert_eq!(
            check_rule("RC201", &yaml),
            [
                "6:5 a: user-facing feature 'a' links no user doc (it links no docs)",
                "8:5 b: user-facing feature 'b' links no user doc (it links only 'api' (api))",
            ]
        );
    }

    #[test]
    fn silent_for_documented_internal_and_out_of_scope_features() {
        let yaml = format!(
            "{HEAD}features:\n\
             \x20 - id: documented\n    status: done\n    docs: [guide]\n\
             \x20 - id: internal\n    status: done\n    user_facing: false\n\
             \x20 - id: later\n    status: deferred\n\
             \x20 - id: cut\n    status: dropped\n\
             docs:\n  - id: guide\n    kind: user\n    status: draft\n    url: https://d\n"
        );
        assert!(check_rule("RC201", &yaml).is_empty());
    }
}
