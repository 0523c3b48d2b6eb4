use std::collections::HashMap;

use crate::context::ProgramContext;
use crate::rule::{Eval, Finding, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// No product depends (directly, through `depends_on`) on a product that is not ready.
    /// A product whose manifest is missing or invalid counts as not ready. Only direct
    /// dependencies are reported: the dependency's own finding carries the rest of the chain.
    ///
    /// ## Why it matters
    /// A coordinated release ships its products in dependency order. A product may be
    /// perfectly hardened and still not shippable because what it needs is not: the
    /// practice's calm release day depends on knowing that before the deployment window,
    /// not during it.
    ///
    /// ## Example
    /// ```yaml
    /// products:
    ///   - id: storefront
    ///     manifest: storefront/release.yaml
    ///     depends_on: [payments]      # RC502 when payments is not ready
    ///   - id: payments
    ///     manifest: payments/release.yaml
    /// ```
    pub struct BlockedByDependency {
        code: "RC502",
        name: "blocked-by-dependency",
        default: Error,
        summary: "a product depends on a product that is not ready",
        scope: Products,
        milestone: Release,
    }
}

impl Rule for BlockedByDependency {
    fn check_program(&self, cx: &ProgramContext<'_>, out: &mut Vec<Finding>) -> Eval {
        let mut status = HashMap::with_capacity(cx.products.len());
        for (p, s) in cx.products() {
            status.entry(p.id.as_str()).or_insert(s);
        }
        for (p, _) in cx.products() {
            for dep in p.depends_on.as_deref().map_or(&[][..], Vec::as_slice) {
                let Some(s) = status.get(dep.as_str()).filter(|s| !s.is_ready()) else {
                    continue;
                };
                out.push(
                    Self::META
                        .finding(
                            p.id.as_str(),
                            dep.pos,
                            format!(
                                "product '{}' depends on '{}', which is {}",
                                p.id,
                                dep.value,
                                s.describe()
                            ),
                        )
                        .with_action(format!(
                            "get '{}' ready before shipping '{}', or drop the dependency",
                            dep.value, p.id
                        )),
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
            "{PROGRAM_HEAD}    - id: web\n      manifest: web/release.yaml\n      depends_on: [pay, api]\n\
             \x20   - id: pay\n      manifest: pay/release.yaml\n    - id: api\n      manifest: api/release.yaml\n"
        )
    }

    #[test]
    fn fires_per_dependency_that_is_not_ready() {
        let invalid = ProductStatus::Invalid {
            path: "api/release.yaml".to_owned(),
            error: "x".to_owned(),
        };
        let found = check_program_rule(
            "RC502",
            &yaml(),
            vec![
                checked(true, "2026-12-10", None),
                checked(false, "2026-12-10", None),
                invalid,
            ],
        );
        assert_eq!(
            found,
            [
                "9:20 web: product 'web' depends on 'pay', which is not ready",
                "9:25 web: product 'web' depends on 'api', which is not ready (its manifest cannot be loaded)",
            ]
        );
    }

    #[test]
    fn silent_when_dependencies_are_ready() {
        let ok = || checked(true, "2026-12-10", None);
        assert!(
            check_program_rule(
                "RC502",
                &yaml(),
                vec![checked(false, "2026-12-10", None), ok(), ok()]
            )
            .is_empty()
        );
    }
}
