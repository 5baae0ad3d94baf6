//! What exercise 8.2 calls instead of `rayon::join`: [`Joins::join`] is
//! `rayon::join`, and counts its calls, so that the tests can check that your
//! merge sort splits exactly where its cut-off says.

use std::sync::atomic::{AtomicUsize, Ordering};

/// A counter of `rayon::join` calls.
#[derive(Debug, Default)]
pub struct Joins {
    count: AtomicUsize,
}

impl Joins {
    /// A counter at 0.
    pub fn new() -> Joins {
        Joins::default()
    }

    /// `rayon::join(a, b)`, counted: runs `a` on this worker, offers `b` to
    /// the others, and returns both results once both are done.
    pub fn join<A, B, RA, RB>(&self, a: A, b: B) -> (RA, RB)
    where
        A: FnOnce() -> RA + Send,
        B: FnOnce() -> RB + Send,
        RA: Send,
        RB: Send,
    {
        self.count.fetch_add(1, Ordering::Relaxed);
        rayon::join(a, b)
    }

    /// How many joins so far.
    pub fn count(&self) -> usize {
        self.count.load(Ordering::Relaxed)
    }
}

// ANCHOR: expected
/// How many joins a merge sort of `len` items makes with this `cutoff`: none
/// for at most `cutoff` items (or one item), which it sorts on the spot;
/// otherwise one, plus those of the halves (`len / 2` items, and the rest).
pub fn expected_joins(len: usize, cutoff: usize) -> usize {
    if len <= cutoff.max(1) {
        0
    } else {
        let half = len / 2;
        1 + expected_joins(half, cutoff) + expected_joins(len - half, cutoff)
    }
}
// ANCHOR_END: expected
