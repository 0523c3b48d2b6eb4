use crate::context::ProgramContext;
use crate::program::ProductStatus;
use crate::rule::{Eval, Finding, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every product of a program whose release manifest loaded is ready: its own check has
    /// no unwaived error (with `--strict`, no unwaived warning). A product whose manifest is
    /// missing or invalid is RC505's, not this rule's.
    ///
    /// ## Why it matters
    /// The Production Release practice ships a product "along with other products as part
    /// of a coordinated Release". The program is only as ready as its least ready product:
    /// shipping the train while one car is still being hardened puts marginally tested work
    /// into production (pitfall 3), just at program scale.
    ///
    /// ## Example
    /// ```yaml
    /// program:
    ///   id: winter-2026
    ///   name: Winter 2026 Release Train
    ///   date: 2026-12-15
    ///   products:
    ///     - id: storefront           # RC501 when storefront/release.yaml is not ready
    ///       manifest: storefront/release.yaml
    /// ```
    pub struct ProductNotReady {
        code: "RC501",
        name: "product-not-ready",
        default: Error,
        summary: "a product's manifest is not ready",
        scope: Products,
        milestone: Release,
    }
}

impl Rule for ProductNotReady {
    fn check_program(&self, cx: &ProgramContext<'_>, out: &mut Vec<Finding>) -> Eval {
        for (p, status) in cx.products() {
            if let ProductStatus::Checked {
                path,
                ready: false,
                errors,
                warnings,
                ..
            } = status
            {
                let plural =
                    |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
                out.push(
                    Self::META
                        .finding(
                            p.id.as_str(),
                            p.pos,
                            format!(
                                "product '{}' is not ready: {} and {} in {path}",
                                p.id,
                                plural(*errors, "error"),
                                plural(*warnings, "warning")
                            ),
                        )
                        .with_action(format!("make product '{}' ready (see the report of {path}), or take it out of the program", p.id)),
                );
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::program::ProductStatus;
    use crate::testing::{PROGRAM_HEAD, check_program_rule, checked};

    fn yaml() -> String {
        format!(
            "{PROGRAM_HEAD}    - id: web\n      manifest: web/release.yaml\n    - id: pay\n      manifest: pay/release.yaml\n"
        )
    }

    #[test]
    fn fires_for_a_checked_product_that_is_not_ready() {
        let found = check_program_rule(
            "RC501",
            &yaml(),
            vec![
                checked(false, "2026-12-10", Some("winter")),
                checked(true, "2026-12-10", Some("winter")),
            ],
        );
        assert_eq!(
            found,
            ["7:7 web: product 'web' is not ready: 1 error and 0 warnings in p/release.yaml"]
        );
    }

    #[test]
    fn silent_for_ready_and_for_unloadable_products() {
        let missing = ProductStatus::Missing {
            path: "pay/release.yaml".to_owned(),
        };
        assert!(
            check_program_rule(
                "RC501",
                &yaml(),
                vec![checked(true, "2026-12-10", Some("winter")), missing]
            )
            .is_empty()
        );
    }
}
