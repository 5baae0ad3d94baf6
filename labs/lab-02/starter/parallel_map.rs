//! Exercise 2.1: a parallel map on scoped threads.
//!
//! What to do: make `parallel_map` apply `f` to every item on `workers` scoped
//! threads. Split `items` into `workers` contiguous chunks (some are empty when
//! there are fewer items than workers), map each chunk on a thread of its own,
//! and return the results in the order of the input; 0 workers count as 1. If
//! `f` panics, the panic must reach the caller with its own payload:
//! `std::panic::resume_unwind`. Keep the signature as it is.
//!
//! The book explains it: chapter 2, "Exercise 2.1: a parallel map"
//! (book/02-threads/exercises.md).
//! Check your work:  cargo test -p lab-02 exercise_2_1
//! Stuck?            cargo xtask hint 2.1
//!
//! Helpers of your own are welcome, and starter lines you do not need may
//! go; keep every `pub` item and its signature, which the tests use.

// ANCHOR: parallel_map
/// Applies `f` to every item of `items` on `workers` threads, one contiguous
/// chunk each, and returns the results in the order of `items`.
pub fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    workers: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    // For now: every item on this thread. Split the items into `workers`
    // chunks and map each on a thread of its own (std::thread::scope).
    let _ = workers;
    items.iter().map(f).collect()
}
// ANCHOR_END: parallel_map
