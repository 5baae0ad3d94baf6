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
    // For now: one chunk, on this thread. Split it into `workers` chunks and
    // count each on a thread of its own (std::thread::scope).
    let _ = workers;
    vec![count_primes(0..below)]
}
// ANCHOR_END: split
