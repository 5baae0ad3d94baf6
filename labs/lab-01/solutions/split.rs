//! Exercise 1.1: split the work by hand.
//!
//! What to do: make `split_and_gather` count the primes below `below` on
//! `workers` std threads, one chunk each, and return each chunk's count in
//! chunk order. Chunk `i` is `below * i / n .. below * (i + 1) / n`, with `i`
//! and `n = workers as u64` both `u64`: the chunks are contiguous, cover
//! `0..below` exactly, and some are empty when `below < workers`. Count each with `crate::cpu::count_primes`. Keep the
//! signature as it is.
//!
//! The book explains it: chapter 1, "Exercise 1.1: split the work by hand"
//! (book/01-concurrency-vs-parallelism/exercises.md).
//! Check your work:  cargo test -p lab-01 exercise_1_1
//! Stuck?            cargo xtask hint 1.1
//!
//! Helpers of your own are welcome, and starter lines you do not need may
//! go; keep every `pub` item and its signature, which the tests use.

use crate::cpu::count_primes;

// ANCHOR: split
/// Counts the primes of each of `workers` chunks of `0..below`, each on its own
/// thread, and returns the counts in chunk order.
pub fn split_and_gather(below: u64, workers: usize) -> Vec<u64> {
    let n = workers as u64;
    std::thread::scope(|s| {
        // Start every thread first...
        let handles: Vec<_> = (0..n)
            .map(|i| {
                let chunk = below * i / n..below * (i + 1) / n;
                s.spawn(move || count_primes(chunk))
            })
            .collect();
        // ...then wait for each, in the order they were started.
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}
// ANCHOR_END: split
