//! Counters that several threads increment at once.
//!
//! `SplitLockCounter` loses updates; `MutexCounter`, `AtomicCounter` and
//! `CasCounter` do not. loom checks both claims in `tests/loom_counter.rs`.

use super::sync::atomic::{AtomicU64, Ordering};
use super::sync::{Mutex, trace};

/// Something several threads can increment at once. `Default` makes one at zero.
pub trait Counter: Default + Send + Sync + 'static {
    /// Adds one.
    fn increment(&self);
    /// The current value.
    fn get(&self) -> u64;
}

// ANCHOR: split_lock
/// WRONG: reads the value in one critical section and writes it in another.
/// Each step is safe on its own; between them, another thread can read the
/// same value, and one of the two increments is lost.
#[derive(Debug, Default)]
pub struct SplitLockCounter {
    value: Mutex<u64>,
}

impl Counter for SplitLockCounter {
    fn increment(&self) {
        // Critical section 1: read.
        let seen = {
            let value = self.value.lock().unwrap();
            trace!("read counter = {}", *value);
            *value
        }; // the lock is released here
        // Critical section 2: write what we computed from the old value.
        let mut value = self.value.lock().unwrap();
        *value = seen + 1;
        trace!("write counter = {}", *value);
    }

    fn get(&self) -> u64 {
        *self.value.lock().unwrap()
    }
}
// ANCHOR_END: split_lock

// ANCHOR: mutex
/// RIGHT: the read and the write happen in one critical section, so no other
/// thread can come between them.
#[derive(Debug, Default)]
pub struct MutexCounter {
    value: Mutex<u64>,
}

impl Counter for MutexCounter {
    fn increment(&self) {
        let mut value = self.value.lock().unwrap();
        trace!("read counter = {}", *value);
        *value += 1;
        trace!("write counter = {}", *value);
    } // the lock is released here, after the write

    fn get(&self) -> u64 {
        *self.value.lock().unwrap()
    }
}
// ANCHOR_END: mutex

// ANCHOR: fetch_add
/// RIGHT: `fetch_add` reads and writes in one indivisible step.
#[derive(Debug, Default)]
pub struct AtomicCounter {
    value: AtomicU64,
}

impl Counter for AtomicCounter {
    fn increment(&self) {
        // Relaxed is enough: the counter publishes no other data, and a
        // read-modify-write reads the value just before its own write in the
        // counter's modification order. Chapter 6 says when it is not enough.
        let before = self.value.fetch_add(1, Ordering::Relaxed);
        trace!("fetch_add counter: {before} -> {}", before + 1);
    }

    fn get(&self) -> u64 {
        self.value.load(Ordering::Relaxed)
    }
}
// ANCHOR_END: fetch_add

// ANCHOR: cas
/// RIGHT: read, compute, and write only if nobody wrote in between;
/// otherwise start again from the value that is there now.
#[derive(Debug, Default)]
pub struct CasCounter {
    value: AtomicU64,
}

impl Counter for CasCounter {
    fn increment(&self) {
        let mut seen = self.value.load(Ordering::Relaxed);
        trace!("read counter = {seen}");
        loop {
            let new = seen + 1;
            match self
                .value
                .compare_exchange(seen, new, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => {
                    trace!("compare_exchange counter: {seen} -> {new}");
                    return;
                }
                Err(now) => {
                    trace!("compare_exchange fails: counter is {now}, not {seen}; retry");
                    seen = now;
                }
            }
        }
    }

    fn get(&self) -> u64 {
        self.value.load(Ordering::Relaxed)
    }
}
// ANCHOR_END: cas
