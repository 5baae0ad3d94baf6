//! Amdahl's law with a real serial part. The job first walks a chain of
//! hashes, each step needing the one before (no worker can start step `k`
//! before step `k - 1` is done), and then does independent work on many
//! items, which rayon shares out. However many workers there are, the chain
//! takes as long as on one.

use std::hint::black_box;

use rayon::prelude::*;

/// One step of the chain: the next hash from the last.
fn step(h: u64) -> u64 {
    black_box(
        (h ^ (h >> 31))
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(17),
    )
}

// ANCHOR: job
/// The serial part: `steps` steps of the chain, each after the last.
pub fn serial_part(steps: u64) -> u64 {
    (0..steps).fold(1, |h, _| step(h))
}

/// The parallel part: `items` independent items of 100 steps each.
pub fn parallel_part(seed: u64, items: u64) -> u64 {
    (0..items)
        .into_par_iter()
        .map(|i| (0..100).fold(seed ^ i, |h, _| step(h)))
        .reduce(|| 0, u64::wrapping_add)
}

/// The whole job, on whatever pool it is called from: the chain, then the
/// items, which start from the chain's last hash.
pub fn job(steps: u64, items: u64) -> u64 {
    let seed = serial_part(steps);
    parallel_part(seed, items)
}
// ANCHOR_END: job

/// The whole job on this thread alone, with no rayon at all: what every way
/// is checked against.
pub fn job_sequential(steps: u64, items: u64) -> u64 {
    let seed = serial_part(steps);
    (0..items)
        .map(|i| (0..100).fold(seed ^ i, |h, _| step(h)))
        .fold(0, u64::wrapping_add)
}
