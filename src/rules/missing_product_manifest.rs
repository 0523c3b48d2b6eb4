use crate::context::ProgramContext;
use crate::program::ProductStatus;
use crate::rule::{Eval, Finding, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every product's `manifest` exists and loads. When it does not load, the finding
    /// carries the load error with its own `file:line:column`; the program's other products
    /// are still checked. Such a product counts as not ready for RC502. (A `manifest` path
    /// that leaves the program's folder is RC004's, and is never read.)
    ///
    /// ## Why it matters
    /// A product without a readable release manifest has made no verifiable claim of
    /// readiness at all: nothing says it was hardened, documented or trained. The practice's
    /// coordinated release cannot include a product whose readiness nobody can check.
    ///
    /// ## Example
    /// ```yaml
    /// products:
    ///   - id: payments
    ///     manifest: payments/release.yaml   # RC505 when the file does not exist
    /// ```
    pub struct MissingProductManifest {
        code: "RC505",
        name: "missing-product-manifest",
        default: Error,
        summary: "a product's manifest is missing or cannot be loaded (its load error is in the message)",
        scope: Products,
        milestone: Now,
    }
}

impl Rule for MissingProductManifest {
    fn check_program(&self, cx: &ProgramContext<'_>, out: &mut Vec<Finding>) -> Eval {
        for (p, status) in cx.products() {
            let (message, action) = match status {
                ProductStatus::Missing { path } => (
                    format!("product '{}': its manifest {path} does not exist", p.id),
                    format!(
                        "write {path} for product '{}', or fix its manifest path",
                        p.id
                    ),
                ),
                ProductStatus::Invalid { path, error } => (
                    format!(
                        "product '{}': its manifest {path} cannot be loaded: {error}",
                        p.id
                    ),
                    format!("fix {path} so that it loads"),
                ),
                _ => continue,
            };
            out.push(
                Self::META
                    .finding(p.id.as_str(), p.manifest.pos, message)
                    .with_action(action),
            );
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
    fn fires_for_missing_and_invalid_manifests() {
        let missing = ProductStatus::Missing {
            path: "web/release.yaml".to_owned(),
        };
        let invalid = ProductStatus::Invalid {
            path: "pay/release.yaml".to_owned(),
            error: "pay/release.yaml:4:9: invalid date '2026-02-30', expected an existing day written YYYY-MM-DD".to_owned(),
        };
        assert_eq!(
            check_program_rule("RC505", &yaml(), vec![missing, invalid]),
            [
                "8:17 web: product 'web': its manifest web/release.yaml does not exist",
                "10:17 pay: product 'pay': its manifest pay/release.yaml cannot be loaded: pay/release.yaml:4:9: invalid date '2026-02-30', expected an existing day written YYYY-MM-DD",
            ]
        );
    }

    #[test]
    fn silent_for_checked_products() {
        let ok = || checked(false, "2026-12-10", None);
        assert!(check_program_rule("RC505", &yaml(), vec![ok(), ok()]).is_empty());
    }
}
