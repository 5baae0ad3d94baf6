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

use std::thread;

// ANCHOR: parallel_map
/// Applies `f` to every item of `items` on `workers` threads, one contiguous
/// chunk each, and returns the results in the order of `items`.
pub fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    workers: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let workers = workers.max(1); // 0 workers count as 1
    let f = &f; // every thread borrows the one closure
    thread::scope(|s| {
        // Start every thread first: chunk `i` is items[len * i / workers ..
        // len * (i + 1) / workers], so the chunks are contiguous and in order.
        let handles: Vec<_> = (0..workers)
            .map(|i| {
                let chunk = &items[items.len() * i / workers..items.len() * (i + 1) / workers];
                s.spawn(move || chunk.iter().map(f).collect::<Vec<R>>())
            })
            .collect();
        // ...then join them in chunk order, so the results keep the input's order.
        let mut results = Vec::with_capacity(items.len());
        for handle in handles {
            match handle.join() {
                Ok(chunk_results) => results.extend(chunk_results),
                // `f` panicked on that thread: panic on this one, with the same payload.
                Err(payload) => std::panic::resume_unwind(payload),
            }
        }
        results
    })
}
// ANCHOR_END: parallel_map
