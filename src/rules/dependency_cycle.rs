use std::collections::HashSet;

use crate::context::ProgramContext;
use crate::program::CycleThrough;
use crate::rule::{Eval, Finding, Rule, declare_rule};

declare_rule! {
    /// ## What it checks
    /// The products' `depends_on` links form no cycle, and name only products of the
    /// program. Each product on a cycle (any cycle: a product whose dependencies lead back
    /// to it) gets one finding, naming one cycle through it from that product on
    /// (`storefront -> payments -> storefront`; a long cycle lists its first five products,
    /// then how many more it has); a product naming an unknown id gets one per unknown id.
    ///
    /// ## Why it matters
    /// A coordinated release needs an order in which its products can ship, each after what
    /// it needs. A cycle means there is no such order: the products can only go out together
    /// in one big-bang deployment, which is the opposite of the calm, prepared release the
    /// practice asks for. An unknown id is usually a typo that hides a real dependency.
    ///
    /// ## Example
    /// ```yaml
    /// products:
    ///   - id: storefront
    ///     manifest: storefront/release.yaml
    ///     depends_on: [payments]
    ///   - id: payments
    ///     manifest: payments/release.yaml
    ///     depends_on: [storefront]     # RC503: storefront -> payments -> storefront
    /// ```
    pub struct DependencyCycle {
        code: "RC503",
        name: "dependency-cycle",
        default: Error,
        summary: "depends_on forms a cycle, or names no product of the program",
        scope: Products,
        milestone: Now,
    }
}

/// How many products of a cycle a message lists before "and N more": the message and its
/// action stay short however long the cycle is.
const CYCLE_SHOWN: usize = 5;

/// `a -> b -> a`; a long cycle as `a -> b -> c -> d -> e -> ... (and 9995 more) -> a`.
fn spell<'a>(cycle: &CycleThrough, id: impl Fn(usize) -> &'a str) -> String {
    let mut names: Vec<&str> = cycle.shown.iter().map(|&i| id(i)).collect();
    let more = cycle.len - cycle.shown.len();
    let more = (more > 0).then(|| format!("... (and {more} more)"));
    names.extend(more.as_deref());
    names.push(id(cycle.product));
    names.join(" -> ")
}

impl Rule for DependencyCycle {
    fn check_program(&self, cx: &ProgramContext<'_>, out: &mut Vec<Finding>) -> Eval {
        let products = &cx.program.info.products;
        for cycle in cx.graph.cycles_through(CYCLE_SHOWN) {
            let p = &products[cycle.product];
            let named = spell(&cycle, |i| products[i].id.as_str());
            out.push(
                Self::META
                    .finding(
                        p.id.as_str(),
                        p.pos,
                        format!("product '{}' is on the dependency cycle {named}", p.id),
                    )
                    .with_action(format!("break the dependency cycle {named}")),
            );
        }
        let known: HashSet<&str> = products.iter().map(|p| p.id.as_str()).collect();
        for p in products.iter() {
            for dep in p.depends_on.as_deref().map_or(&[][..], Vec::as_slice) {
                if !known.contains(dep.as_str()) {
                    out.push(
                        Self::META
                            .finding(
                                p.id.as_str(),
                                dep.pos,
                                format!("product '{}' depends on '{}', which is not a product of this program", p.id, dep.value),
                            )
                            .with_action(format!("add product '{}' to the program, or fix the id in '{}'", dep.value, p.id)),
                    );
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{PROGRAM_HEAD, check_program_rule, checked};

    fn product(id: &str, deps: &str) -> String {
        format!("    - id: {id}\n      manifest: {id}/release.yaml\n      depends_on: [{deps}]\n")
    }

    #[test]
    fn fires_for_each_product_on_a_cycle_and_for_unknown_ids() {
        let yaml = format!(
            "{PROGRAM_HEAD}{}{}{}",
            product("web", "pay"),
            product("pay", "web"),
            product("api", "ghost")
        );
        let ok = || checked(true, "2026-12-10", None);
        assert_eq!(
            check_program_rule("RC503", &yaml, vec![ok(), ok(), ok()]),
            [
                "7:7 web: product 'web' is on the dependency cycle web -> pay -> web",
                "10:7 pay: product 'pay' is on the dependency cycle pay -> web -> pay",
                "15:20 api: product 'api' depends on 'ghost', which is not a product of this program",
            ]
        );
    }

    #[test]
    fn every_product_of_every_cycle_once() {
        // a -> b -> a and a -> c -> a: c too, though a was already named on a cycle.
        let yaml = format!(
            "{PROGRAM_HEAD}{}{}{}",
            product("a", "b, c"),
            product("b", "a"),
            product("c", "a")
        );
        let ok = || checked(true, "2026-12-10", None);
        assert_eq!(
            check_program_rule("RC503", &yaml, vec![ok(), ok(), ok()]),
            [
                "7:7 a: product 'a' is on the dependency cycle a -> b -> a",
                "10:7 b: product 'b' is on the dependency cycle b -> a -> b",
                "13:7 c: product 'c' is on the dependency cycle c -> a -> c",
            ]
        );
    }

    #[test]
    fn a_long_cycle_is_named_by_its_first_products() {
        let n = 12;
        let yaml: String = std::iter::once(PROGRAM_HEAD.to_owned())
            .chain((0..n).map(|i| product(&format!("p{i}"), &format!("p{}", (i + 1) % n))))
            .collect();
        let ok = || checked(true, "2026-12-10", None);
        let found = check_program_rule("RC503", &yaml, (0..n).map(|_| ok()).collect());
        assert_eq!(found.len(), n);
        assert_eq!(
            found[11],
            "40:7 p11: product 'p11' is on the dependency cycle p11 -> p0 -> p1 -> p2 -> p3 -> ... (and 7 more) -> p11"
        );
    }

    #[test]
    fn silent_for_a_dependency_order() {
        let yaml = format!(
            "{PROGRAM_HEAD}{}{}",
            product("web", "pay"),
            product("pay", "")
        );
        let ok = || checked(true, "2026-12-10", None);
        assert!(check_program_rule("RC503", &yaml, vec![ok(), ok()]).is_empty());
    }
}
