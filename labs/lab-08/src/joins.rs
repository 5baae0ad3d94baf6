//! What exercise 8.2 calls instead of `rayon::join`: [`Joins::join`] is
//! `rayon::join`, and counts its calls, so that the tests can check that your
//! merge sort stops splitting where its cut-off says. It also notes, on each
//! thread, how deeply joins are nested there (a sort that recurses without
//! end fails with a message instead of overflowing its stack) and whether
//! the thread is running a join's second closure, `b` ([`inside_b`]: the
//! tests use it to check that half of the work is offered to other workers).

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

/// How deeply `Joins::join` calls may nest on one thread. A merge sort of
/// `n` items nests about log2(n) deep: 200 is far beyond any real input.
pub const MAX_DEPTH: usize = 200;

thread_local! {
    static DEPTH: Cell<usize> = const { Cell::new(0) };
    static IN_B: Cell<usize> = const { Cell::new(0) };
}

/// Whether this thread is running (inside) the second closure of some
/// [`Joins::join`].
pub fn inside_b() -> bool {
    IN_B.get() > 0
}

/// Adds 1 to a thread-local counter while alive, even if what it guards
/// panics.
struct Nested(&'static std::thread::LocalKey<Cell<usize>>);

impl Nested {
    fn enter(key: &'static std::thread::LocalKey<Cell<usize>>) -> Nested {
        key.set(key.get() + 1);
        Nested(key)
    }
}

impl Drop for Nested {
    fn drop(&mut self) {
        self.0.set(self.0.get() - 1);
    }
}

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
        assert!(
            DEPTH.get() < MAX_DEPTH,
            "joins.join nested more than {MAX_DEPTH} deep: your merge_sort recurses \
             without end (a slice of one item must not be split again, and neither \
             half may be empty)"
        );
        rayon::join(
            move || {
                let _depth = Nested::enter(&DEPTH);
                a()
            },
            move || {
                let _depth = Nested::enter(&DEPTH);
                let _in_b = Nested::enter(&IN_B);
                b()
            },
        )
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
