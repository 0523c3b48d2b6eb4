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

    /// The strongly connected components that hold a cycle (more than one product, or one
    /// product that depends on itself), each in the order Tarjan's algorithm closes them.
    /// Found iteratively, so there is no recursion depth limit; linear in products plus edges.
    fn cyclic_components(&self) -> Vec<Vec<usize>> {
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
        components
    }

    /// For every product on a dependency cycle (in a strongly connected component of more
    /// than one product, or depending on itself), one cycle through it, in manifest order.
    /// Each cycle starts at its product and lists at most `shown` products, so the answer
    /// stays linear in the program's size however long the cycles are (a program of 100,000
    /// products in one cycle would otherwise name 10^10 products).
    ///
    /// In a component, `root` is its first product in manifest order; its cycle is the
    /// shortest one through it. Any other product `v` gets `v -> ... -> x -> ... -> v`: a
    /// shortest path from `v` towards `root` (tree `B`, breadth-first on reversed edges) up to
    /// `x`, the first product on it that lies on the path from `root` to `v` in a
    /// breadth-first tree `F`; then that tree path from `x` down to `v`. The two parts share
    /// only `x` and `v`, so the cycle is simple. `x` is found by walking `F` depth-first
    /// while a segment tree over `B`'s Euler tour holds the current `F` path: the deepest
    /// `B`-ancestor of `v`'s successor on that path. Time `O((products + edges) log products)`.
    pub fn cycles_through(&self, shown: usize) -> Vec<CycleThrough> {
        let n = self.products.len();
        let mut out = Vec::new();
        // Which component a product is in, and its index there.
        let mut local = vec![usize::MAX; n];
        let mut component_of = vec![usize::MAX; n];
        for (c, component) in self.cyclic_components().into_iter().enumerate() {
            if component.len() == 1 {
                out.push(CycleThrough {
                    product: component[0],
                    shown: vec![component[0]],
                    len: 1,
                });
                continue;
            }
            for (i, &v) in component.iter().enumerate() {
                local[v] = i;
                component_of[v] = c;
            }
            let inside = |w: usize| component_of[w] == c;
            self.component_cycles(&component, &local, &inside, shown, &mut out);
        }
        out.sort_unstable_by_key(|c| c.product);
        out
    }

    /// [`Self::cycles_through`] for one component of more than one product.
    fn component_cycles(
        &self,
        component: &[usize],
        local: &[usize],
        inside: &dyn Fn(usize) -> bool,
        shown: usize,
        out: &mut Vec<CycleThrough>,
    ) {
        const NONE: usize = usize::MAX;
        let m = component.len();
        let Some(root_product) = component.iter().copied().min() else {
            return;
        };
        let root = local[root_product];
        // Edges inside the component, in local indexes; and reversed.
        let mut succ: Vec<Vec<usize>> = vec![Vec::new(); m];
        let mut pred: Vec<Vec<usize>> = vec![Vec::new(); m];
        for (i, &v) in component.iter().enumerate() {
            for &w in &self.deps[v] {
                if inside(w) {
                    succ[i].push(local[w]);
                    pred[local[w]].push(i);
                }
            }
        }
        // F: breadth-first from the root along dependencies.
        let (f_parent, f_depth) = bfs(root, &succ);
        // B: breadth-first to the root (along reversed dependencies); `b_next[v]` is v's
        // successor on a shortest path from v to the root.
        let (b_next, b_depth) = bfs(root, &pred);
        let children = |parent: &[usize]| {
            let mut c: Vec<Vec<usize>> = vec![Vec::new(); m];
            for v in 0..m {
                if parent[v] != NONE {
                    c[parent[v]].push(v);
                }
            }
            c
        };
        let f_children = children(&f_parent);
        let b_children = children(&b_next);
        // B's Euler tour: v's B-descendants are the positions [b_in[v], b_out[v]).
        let mut b_in = vec![0; m];
        let mut b_out = vec![0; m];
        let mut clock = 0;
        let mut walk = vec![(root, 0usize)];
        b_in[root] = 0;
        clock += 1;
        while let Some(&mut (v, ref mut k)) = walk.last_mut() {
            if let Some(&w) = b_children[v].get(*k) {
                *k += 1;
                b_in[w] = clock;
                clock += 1;
                walk.push((w, 0));
            } else {
                b_out[v] = clock;
                walk.pop();
            }
        }
        let mut marks = Marks::new(m);
        let name = |v: usize| component[v];
        // Walk F depth-first; `path[d]` is the current product's F-ancestor at depth d.
        let mut path: Vec<usize> = Vec::new();
        let mut walk = vec![(root, 0usize)];
        marks.push(b_in[root], b_out[root], b_depth[root], root);
        path.push(root);
        while let Some(&mut (v, ref mut k)) = walk.last_mut() {
            if let Some(&w) = f_children[v].get(*k) {
                *k += 1;
                marks.push(b_in[w], b_out[w], b_depth[w], w);
                path.push(w);
                walk.push((w, 0));
                let x = marks.deepest_at(b_in[b_next[w]]);
                let len = (b_depth[w] - b_depth[x]) + (f_depth[w] - f_depth[x]);
                let mut listed = Vec::with_capacity(shown.min(len));
                let mut at = w;
                while at != x && listed.len() < shown {
                    listed.push(name(at));
                    at = b_next[at];
                }
                let mut d = f_depth[x];
                while d < f_depth[w] && listed.len() < shown {
                    listed.push(name(path[d]));
                    d += 1;
                }
                out.push(CycleThrough {
                    product: name(w),
                    shown: listed,
                    len,
                });
            } else {
                marks.pop();
                path.pop();
                walk.pop();
            }
        }
        let cycle = self.walk_cycle(root_product, inside);
        out.push(CycleThrough {
            product: root_product,
            len: cycle.len(),
            shown: cycle.into_iter().take(shown).collect(),
        });
    }

    /// The shortest cycle through `start`, breadth-first inside its component (`inside`),
    /// starting at `start`. Linear in the component's size.
    fn walk_cycle(&self, start: usize, inside: &dyn Fn(usize) -> bool) -> Vec<usize> {
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
                if inside(w) && w != start && !parent.contains_key(&w) {
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

/// One dependency cycle through a product, as RC503 names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CycleThrough {
    /// The product (index in the program's `products`).
    pub product: usize,
    /// The cycle's first products in dependency order, starting at `product`: all of them, or
    /// as many as asked for.
    pub shown: Vec<usize>,
    /// How many products the cycle has.
    pub len: usize,
}

/// Breadth-first from `root` along `edges`: each node's parent (`usize::MAX` for the root
/// and nodes not reached) and depth.
fn bfs(root: usize, edges: &[Vec<usize>]) -> (Vec<usize>, Vec<usize>) {
    let mut parent = vec![usize::MAX; edges.len()];
    let mut depth = vec![usize::MAX; edges.len()];
    depth[root] = 0;
    let mut queue = std::collections::VecDeque::from([root]);
    while let Some(v) = queue.pop_front() {
        for &w in &edges[v] {
            if depth[w] == usize::MAX {
                depth[w] = depth[v] + 1;
                parent[w] = v;
                queue.push_back(w);
            }
        }
    }
    (parent, depth)
}

/// Marked intervals of positions, pushed and popped in stack order, answering "of the marked
/// intervals holding this position, the one of greatest depth". A segment tree: each marked
/// interval updates the best of its O(log n) canonical nodes, logging what it replaced so
/// that `pop` restores it; a query reads the nodes from a leaf to the top.
struct Marks {
    size: usize,
    /// Per node: (depth + 1, node), 0 for none.
    best: Vec<(usize, usize)>,
    undo: Vec<(usize, (usize, usize))>,
    /// Where each pushed interval's entries start in `undo`.
    frames: Vec<usize>,
}

impl Marks {
    fn new(positions: usize) -> Self {
        let size = positions.next_power_of_two();
        Marks {
            size,
            best: vec![(0, 0); 2 * size],
            undo: Vec::new(),
            frames: Vec::new(),
        }
    }

    /// Marks positions `[from, to)` with `node` at `depth`.
    fn push(&mut self, from: usize, to: usize, depth: usize, node: usize) {
        self.frames.push(self.undo.len());
        let entry = (depth + 1, node);
        let (mut l, mut r) = (from + self.size, to + self.size);
        while l < r {
            if l & 1 == 1 {
                self.set(l, entry);
                l += 1;
            }
            if r & 1 == 1 {
                r -= 1;
                self.set(r, entry);
            }
            l /= 2;
            r /= 2;
        }
    }

    fn set(&mut self, at: usize, entry: (usize, usize)) {
        if entry.0 > self.best[at].0 {
            self.undo.push((at, self.best[at]));
            self.best[at] = entry;
        }
    }

    /// Unmarks the interval pushed last.
    fn pop(&mut self) {
        let from = self.frames.pop().unwrap_or(0);
        for (at, old) in self.undo.drain(from..).rev() {
            self.best[at] = old;
        }
    }

    /// The deepest node marked at `position` (the root, marked everywhere, when no other).
    fn deepest_at(&self, position: usize) -> usize {
        let mut at = position + self.size;
        let mut best = (0, 0);
        while at > 0 {
            if self.best[at].0 > best.0 {
                best = self.best[at];
            }
            at /= 2;
        }
        best.1
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
        assert!(g.cycles_through(usize::MAX).is_empty());
        assert_eq!(g.ship_order(), Some(vec![vec![2, 3], vec![1], vec![0]]));
    }

    /// Every product's cycle, whole, as ids.
    fn cycles(p: &[Located<Product>]) -> Vec<String> {
        Graph::new(p)
            .cycles_through(usize::MAX)
            .iter()
            .map(|c| {
                assert_eq!(c.shown.len(), c.len);
                c.shown
                    .iter()
                    .map(|&i| p[i].id.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn each_product_on_a_cycle_gets_one_through_it() {
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
        assert_eq!(cycles(&p), ["a b c", "b c a", "c a b", "d"]);
        assert_eq!(Graph::new(&p).ship_order(), None);
    }

    #[test]
    fn a_second_cycle_through_a_reported_product_is_reported_too() {
        // a -> b -> a and a -> c -> a: c is on a cycle as much as b is.
        let p = program(&[entry("a", "b, c"), entry("b", "a"), entry("c", "a")].concat());
        assert_eq!(cycles(&p), ["a b", "b a", "c a"]);
    }

    /// Deterministic pseudo-random graphs against brute force: the products named are exactly
    /// those that reach themselves, and each named cycle is simple, starts at its product,
    /// follows dependencies and closes.
    #[test]
    fn named_cycles_are_real_simple_cycles_through_every_cyclic_product() {
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |below: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            usize::try_from(seed % u64::try_from(below).unwrap()).unwrap()
        };
        for round in 0..300 {
            let n = 1 + next(if round % 2 == 0 { 12 } else { 40 });
            let edges = next(3 * n + 1);
            let mut deps = vec![Vec::new(); n];
            for _ in 0..edges {
                let (a, b) = (next(n), next(n));
                deps[a].push(format!("p{b}"));
            }
            let entries: String = (0..n)
                .map(|i| entry(&format!("p{i}"), &deps[i].join(", ")))
                .collect();
            let p = program(&entries);
            let g = Graph::new(&p);
            let reaches_itself = |v: usize| {
                let mut seen = vec![false; n];
                let mut todo: Vec<usize> = g.deps(v).to_vec();
                while let Some(w) = todo.pop() {
                    if w == v {
                        return true;
                    }
                    if !std::mem::replace(&mut seen[w], true) {
                        todo.extend_from_slice(g.deps(w));
                    }
                }
                false
            };
            let expected: Vec<usize> = (0..n).filter(|&v| reaches_itself(v)).collect();
            let all = g.cycles_through(usize::MAX);
            let named: Vec<usize> = all.iter().map(|c| c.product).collect();
            assert_eq!(named, expected, "round {round}: {entries}");
            for (c, capped) in all.iter().zip(g.cycles_through(2)) {
                assert_eq!(c.shown.len(), c.len);
                assert_eq!(c.shown[0], c.product);
                let mut distinct = c.shown.clone();
                distinct.sort_unstable();
                distinct.dedup();
                assert_eq!(distinct.len(), c.len, "round {round}: not simple {c:?}");
                for (k, &v) in c.shown.iter().enumerate() {
                    let w = c.shown[(k + 1) % c.len];
                    assert!(g.deps(v).contains(&w), "round {round}: {c:?}");
                }
                assert_eq!(capped.len, c.len);
                assert_eq!(capped.shown, c.shown[..c.len.min(2)]);
            }
            assert_eq!(g.ship_order().is_none(), !expected.is_empty());
        }
    }

    #[test]
    fn long_chains_need_no_recursion_and_name_a_few_products() {
        let n = 5_000;
        let entries: String = (0..n)
            .map(|i| entry(&format!("p{i}"), &format!("p{}", (i + 1) % n)))
            .collect();
        let p = program(&entries);
        let cycles = Graph::new(&p).cycles_through(3);
        assert_eq!(cycles.len(), n);
        assert!(cycles.iter().all(|c| c.len == n && c.shown.len() == 3));
        assert_eq!(cycles[4_999].shown, [4_999, 0, 1]);
    }
}
