//! The chapter's main kernel: for every number from 1 to `n`, the length of
//! its Collatz sequence (halve an even number, make an odd one `3x + 1`, until
//! 1), all added up. Each number is independent of the others, the cost of
//! one varies a lot from number to number, and the answer is one exact
//! integer, so every way's result can be checked against the sequential one.
//!
//! The ways: one thread; threads that split the numbers into equal blocks by
//! hand; rayon. The processes way is in [`crate::processes`].

use std::ops::RangeInclusive;

use rayon::prelude::*;

// ANCHOR: steps
/// How many steps the Collatz sequence of `start` takes to reach 1.
pub fn steps(start: u64) -> u64 {
    let mut x = start;
    let mut steps = 0;
    while x > 1 {
        x = if x.is_multiple_of(2) {
            x / 2
        } else {
            3 * x + 1
        };
        steps += 1;
    }
    steps
}
// ANCHOR_END: steps

// ANCHOR: sequential
/// The kernel on one thread: the steps of every number in `numbers`, added up.
pub fn sequential(numbers: RangeInclusive<u64>) -> u64 {
    numbers.map(steps).sum()
}
// ANCHOR_END: sequential

// ANCHOR: rayon
/// The same with rayon: `into_par_iter` turns the range into a parallel
/// iterator, whose pieces rayon's workers share out among themselves.
pub fn with_rayon(numbers: RangeInclusive<u64>) -> u64 {
    numbers.into_par_iter().map(steps).sum()
}
// ANCHOR_END: rayon

/// `1..=n` cut into `parts` blocks of (nearly) equal length, in order.
pub fn blocks(n: u64, parts: usize) -> Vec<RangeInclusive<u64>> {
    let parts = parts.max(1) as u64;
    (0..parts)
        .map(|p| (p * n / parts + 1)..=((p + 1) * n / parts))
        .filter(|r| !r.is_empty())
        .collect()
}

// ANCHOR: hand_split
/// The same by hand: `threads` scoped threads, each given one block of
/// equal length up front. A block whose numbers happen to cost more keeps its
/// thread busy while the others, done, wait at the end of the scope.
pub fn hand_split(n: u64, threads: usize) -> u64 {
    std::thread::scope(|s| {
        let handles: Vec<_> = blocks(n, threads)
            .into_iter()
            .map(|block| s.spawn(move || sequential(block)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    })
}
// ANCHOR_END: hand_split
