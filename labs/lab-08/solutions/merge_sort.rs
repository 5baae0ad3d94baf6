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
/// Sorts `items`, stably, in parallel down to `cutoff` items.
pub fn merge_sort<T: Ord + Clone + Send>(items: &mut [T], cutoff: usize, joins: &Joins) {
    if items.len() <= cutoff.max(1) {
        items.sort();
        return;
    }
    let mid = items.len() / 2;
    let (left, right) = items.split_at_mut(mid);
    joins.join(
        || merge_sort(left, cutoff, joins),
        || merge_sort(right, cutoff, joins),
    );
    let merged = merge(&items[..mid], &items[mid..]);
    items.clone_from_slice(&merged);
}

/// The two sorted halves as one sorted `Vec`. On a tie the left item goes
/// first: that keeps the sort stable.
fn merge<T: Ord + Clone>(left: &[T], right: &[T]) -> Vec<T> {
    let mut merged = Vec::with_capacity(left.len() + right.len());
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        if right[j] < left[i] {
            merged.push(right[j].clone());
            j += 1;
        } else {
            merged.push(left[i].clone());
            i += 1;
        }
    }
    merged.extend_from_slice(&left[i..]);
    merged.extend_from_slice(&right[j..]);
    merged
}
// ANCHOR_END: merge_sort
