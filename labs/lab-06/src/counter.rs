//! Two counters that several threads increment. The first reads the value and
//! then writes it back plus one, in two atomic steps; the second adds one in a
//! single read-modify-write. loom checks both in `tests/loom_counter.rs`.

use super::sync::atomic::{AtomicU64, Ordering};
use super::sync::trace;

// ANCHOR: load_store
/// WRONG: each step is atomic, the increment is not. Between the `load` and
/// the `store`, another thread can increment too, and one of the two
/// increments is overwritten.
#[derive(Debug, Default)]
pub struct LoadStoreCounter {
    value: AtomicU64,
}

impl LoadStoreCounter {
    /// Adds one.
    pub fn increment(&self) {
        let seen = self.value.load(Ordering::Relaxed);
        trace!("loads {seen}");
        self.value.store(seen + 1, Ordering::Relaxed);
        trace!("stores {}", seen + 1);
    }

    /// The value now.
    pub fn get(&self) -> u64 {
        self.value.load(Ordering::Relaxed)
    }
}
// ANCHOR_END: load_store

// ANCHOR: fetch_add
/// RIGHT: `fetch_add` reads, adds and writes in one indivisible step, and
/// returns the value it replaced. No other write can come in between.
#[derive(Debug, Default)]
pub struct FetchAddCounter {
    value: AtomicU64,
}

impl FetchAddCounter {
    /// Adds one.
    pub fn increment(&self) {
        let before = self.value.fetch_add(1, Ordering::Relaxed);
        trace!("fetch_add: {before} -> {}", before + 1);
    }

    /// The value now.
    pub fn get(&self) -> u64 {
        self.value.load(Ordering::Relaxed)
    }
}
// ANCHOR_END: fetch_add
