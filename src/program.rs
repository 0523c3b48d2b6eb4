//! Coordinated releases: what a program knows about its products once they are checked, and
//! the dependency graph between them (cycles, and an order in which they can ship).

use std::collections::HashMap;

use crate::manifest::{Date, Located, Product};

/// What checking a product's manifest gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProductStatus {
    /// The manifest loaded and was checked.
    Checked {
        /// The manifest as reports name it (the program's folder joined with `manifest`).
        path: String,
        ready: bool,
        /// No blocking finding of the product is late.
        on_track: bool,
        errors: usize,
        warnings: usize,
        /// The product's `release.date`.
        date: Date,
        /// The product's `release.program`, if any.
        program: Option<String>,
    },
    /// The manifest does not exist.
    Missing { path: String },
    /// The manifest exists but cannot be loaded; the load error, with its file:line:column.
    Invalid { path: String, error: String },
    /// The manifest's path leaves the program's folder: never read (RC004). `how`: the way
    /// it leaves, for the message (`climbs 1 folder above the root with '..'`).
    OutsideRoot { path: String, how: String },
}

impl ProductStatus {
    /// Only a checked, ready product is ready; a missing or invalid one counts as not ready.
    pub fn is_ready(&self) -> bool {
        matches!(self, ProductStatus::Checked { ready: true, .. })
    }

    /// The manifest as reports name it.
    pub fn path(&self) -> &str {
        match self {
            ProductStatus::Checked { path, .. }
            | ProductStatus::Missing { path }
            | ProductStatus::Invalid { path, .. }
            | ProductStatus::OutsideRoot { path, .. } => path,
        }
    }

    /// The state in words, for messages: `ready`, `not ready (its manifest does not exist)`.
    pub fn describe(&self) -> &'static str {
        match self {
            ProductStatus::Checked { ready: true, .. } => "ready",
            ProductStatus::Checked { ready: false, .. } => "not ready",
            ProductStatus::Missing { .. } => "not ready (its manifest does not exist)",
            ProductStatus::Invalid { .. } => "not ready (its manifest cannot be loaded)",
            ProductStatus::OutsideRoot { .. } => {
                "not ready (its manifest is outside the program's folder)"
            }
        }
    }
}

/// The products' dependency graph: edges to products of the program, by index.
pub struct Graph<'a> {
    products: &'a [Located<Product>],
    /// `deps[i]`: indexes of the products product `i` depends on (known ids only).
    deps: Vec<Vec<usize>>,
}

impl<'a> Graph<'a> {
    pub fn new(products: &'a [Located<Product>]) -> Self {
        let mut index: HashMap<&str, usize> = HashMap::with_capacity(products.len());
        for (i, p) in products.iter().enumerate() {
            index.entry(p.id.as_str()).or_insert(i);
        }
        let deps = products
            .iter()
            .map(|p| {
                let mut d: Vec<usize> = p
                    .depends_on
                    .as_deref()
                    .map_or(&[][..], Vec::as_slice)
                    .iter()
                    .filter_map(|id| index.get(id.as_str()).copied())
                    .collect();
                d.dedup();
                d
            })
            .collect();
        Graph { products, deps }
    }

    pub fn deps(&self, i: usize) -> &[usize] {
        &self.deps[i]
    }

    /// Every dependency cycle, each as the products on it in dependency order, starting at
    /// the product that comes first in the manifest. Found with Tarjan's algorithm
    /// (iteratively, so no recursion depth limit); linear in products plus edges.
    pub fn cycles(&self) -> Vec<Vec<usize>> {
        let n = self.products.len();
        let mut index = vec![usize::MAX; n];
        let mut low = vec![0; n];
        let mut on_stack = vec![false; n];
        let mut stack = Vec::new();
        let mut next = 0;
        let mut components = Vec::new();
        for root in 0..n {
            if index[root] != usize::MAX {
                continue;
            }
            // (node, next edge to look at)
            let mut work = vec![(root, 0usize)];
            while let Some(&mut (v, ref mut edge)) = work.last_mut() {
                if *edge == 0 && index[v] == usize::MAX {
                    index[v] = next;
                    low[v] = next;
                    next += 1;
                    stack.push(v);
                    on_stack[v] = true;
                }
                if let Some(&w) = self.deps[v].get(*edge) {
                    *edge += 1;
                    if index[w] == usize::MAX {
                        work.push((w, 0));
                    } else if on_stack[w] {
                        low[v] = low[v].min(index[w]);
                    }
                    continue;
                }
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    let mut component = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        component.push(w);
                        if w == v {
                            break;
                        }
                    }
                    let self_loop = component.len() == 1 && self.deps[v].contains(&v);
                    if component.len() > 1 || self_loop {
                        components.push(component);
                    }
                }
            }
        }
        let mut cycles: Vec<Vec<usize>> = components
            .into_iter()
            .map(|c| self.walk_cycle(&c))
            .collect();
        cycles.sort();
        cycles
    }

    /// Names a strongly connected component as a cycle: the shortest cycle through its first
    /// product in manifest order (breadth-first inside the component).
    fn walk_cycle(&self, component: &[usize]) -> Vec<usize> {
        let Some(&start) = component.iter().min() else {
            return Vec::new();
        };
        let mut inside = vec![false; self.products.len()];
        for &c in component {
            inside[c] = true;
        }
        let mut parent: HashMap<usize, usize> = HashMap::new();
        let mut queue = std::collections::VecDeque::from([start]);
        while let Some(v) = queue.pop_front() {
            for &w in &self.deps[v] {
                if w == start {
                    let mut path = vec![v];
                    let mut at = v;
                    while let Some(&p) = parent.get(&at) {
                        path.push(p);
                        at = p;
                    }
                    if at != start {
                        path.push(start);
                    }
                    path.reverse();
                    path.dedup();
                    return path;
                }
                if inside[w] && w != start && !parent.contains_key(&w) {
                    parent.insert(w, v);
                    queue.push_back(w);
                }
            }
        }
        vec![start]
    }

    /// Waves of products that can ship together: each wave depends only on earlier ones.
    /// `None` when there is a cycle. Within a wave, manifest order.
    pub fn ship_order(&self) -> Option<Vec<Vec<usize>>> {
        let n = self.products.len();
        let mut remaining: Vec<usize> = self.deps.iter().map(Vec::len).collect();
        let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, deps) in self.deps.iter().enumerate() {
            for &d in deps {
                dependents[d].push(i);
            }
        }
        let mut wave: Vec<usize> = (0..n).filter(|&i| remaining[i] == 0).collect();
        let mut waves = Vec::new();
        let mut done = 0;
        while !wave.is_empty() {
            done += wave.len();
            let mut next = Vec::new();
            for &i in &wave {
                for &j in &dependents[i] {
                    remaining[j] -= 1;
                    if remaining[j] == 0 {
                        next.push(j);
                    }
                }
            }
            next.sort_unstable();
            waves.push(std::mem::replace(&mut wave, next));
        }
        (done == n).then_some(waves)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::{Manifest, parse};

    fn program(products: &str) -> Vec<Located<Product>> {
        let y = format!(
            "relcheck: 1\nprogram:\n  id: p\n  name: P\n  date: 2026-12-15\n  products:\n{products}"
        );
        match parse(&y, "program.yaml").unwrap() {
            Manifest::Program(p) => p.info.value.products.value,
            Manifest::Release(_) => panic!("not a program"),
        }
    }

    fn entry(id: &str, deps: &str) -> String {
        format!("    - id: {id}\n      manifest: {id}/release.yaml\n      depends_on: [{deps}]\n")
    }

    #[test]
    fn order_in_waves() {
        let p = program(
            &[
                entry("web", "api, pay"),
                entry("api", "pay"),
                entry("pay", ""),
                entry("docs", ""),
            ]
            .concat(),
        );
        let g = Graph::new(&p);
        assert!(g.cycles().is_empty());
        assert_eq!(g.ship_order(), Some(vec![vec![2, 3], vec![1], vec![0]]));
    }

    #[test]
    fn cycles_are_named_from_their_first_product() {
        let p = program(
            &[
                entry("a", "b"),
                entry("b", "c"),
                entry("c", "a"),
                entry("d", "d"),
                entry("e", "a, ghost"),
            ]
            .concat(),
        );
        let g = Graph::new(&p);
        assert_eq!(g.cycles(), vec![vec![0, 1, 2], vec![3]]);
        assert_eq!(g.ship_order(), None);
    }

    #[test]
    fn long_chains_need_no_recursion() {
        let n = 5_000;
        let entries: String = (0..n)
            .map(|i| entry(&format!("p{i}"), &format!("p{}", (i + 1) % n)))
            .collect();
        let p = program(&entries);
        let cycles = Graph::new(&p).cycles();
        assert_eq!(cycles.len(), 1);
        assert_eq!(cycles[0].len(), n);
    }
}
