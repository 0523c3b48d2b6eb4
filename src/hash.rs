//! The hash maps and sets of ids a manifest's author chose.
//!
//! Manifests come from pull requests, so their ids are hostile input: a hasher with a fixed
//! seed would let an author pick ids that all collide and make every lookup linear. These
//! maps use foldhash with a random seed per process (and per map), which no manifest can
//! predict: the output of a run never shows an order that depends on it. It costs a fraction
//! of the standard library's SipHash on short keys (`docs/decisions.md`).

/// A `HashMap` with a randomly seeded foldhash.
pub type Map<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// A `HashSet` with a randomly seeded foldhash.
pub type Set<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;

/// An empty [`Set`] with room for `n` entries.
pub fn set_with_capacity<T>(n: usize) -> Set<T> {
    Set::with_capacity_and_hasher(n, foldhash::fast::RandomState::default())
}

/// An empty [`Map`] with room for `n` entries.
pub fn map_with_capacity<K, V>(n: usize) -> Map<K, V> {
    Map::with_capacity_and_hasher(n, foldhash::fast::RandomState::default())
}
