//! Exercise 8.2: a parallel merge sort with `rayon::join` and a sequential
//! cut-off.
//!
//! `merge_sort` must sort `items` stably (equal items keep their order), sort
//! a slice of at most `cutoff` items (or of one item) on the spot with
//! `items.sort()`, and otherwise split it at `len / 2`, sort both halves with
//! one `joins.join(…, …)` (rayon's `join`, counted), and merge them. Run
//! `cargo test -p lab-08 exercise_8_2` to check it, and
//! `cargo run --release -p lab-08` to see which cut-off is fastest.

use crate::joins::Joins;

// ANCHOR: merge_sort
/// Sorts `items`, stably. For now all on one thread, whatever `cutoff` says:
/// split, join and merge instead.
pub fn merge_sort<T: Ord + Clone + Send>(items: &mut [T], cutoff: usize, joins: &Joins) {
    let _ = (cutoff, joins);
    items.sort();
}
// ANCHOR_END: merge_sort
