//! Exercise 5.1: a counting semaphore with an RAII permit.
//!
//! What to do: write `acquire` and `release`. `acquire` waits while no permit
//! is left, then takes one and returns a `Permit`; dropping the permit gives
//! it back through `release`, which wakes a waiting thread. At most
//! `permits` threads may hold a permit at once, and no thread may wait for
//! ever while a permit is free. Keep the signatures as they are; you may
//! change the fields.
//!
//! The book explains it: chapter 5, "Exercise 5.1: a counting semaphore"
//! (book/05-semaphores/exercises.md).
//! Check your work:  cargo test -p lab-05 exercise_5_1
//! Stuck?            cargo xtask hint 5.1
//!
//! `super::sync` is `std::sync` on real threads and loom's look-alike under the
//! model checker, so the tests can run this very file both ways. `trace!("...")`
//! records a step for loom's printed interleaving and does nothing on real
//! threads: keep the calls that are here, and add one after each lock, wait or
//! atomic operation you want to see. Without them, a failing loom execution of
//! your code can only say that it recorded no steps.
//!
//! Private helpers that your version does not need may go; keep every `pub`
//! item and its signature, which the tests use.

use super::sync::{Condvar, Mutex, trace};

// ANCHOR: semaphore
/// A counting semaphore: a number of permits that threads take and give back.
#[derive(Debug)]
pub struct Semaphore {
    /// How many permits are free now.
    permits: Mutex<usize>,
    /// Notify it when a permit comes back: "a permit may be free now".
    released: Condvar,
}

/// A permit taken from a [`Semaphore`]. Dropping it gives the permit back.
#[derive(Debug)]
#[must_use = "dropping the permit gives it back at once"]
pub struct Permit<'a> {
    semaphore: &'a Semaphore,
}

impl Semaphore {
    /// A semaphore with `permits` free permits (0 is allowed: see `release`).
    pub fn new(permits: usize) -> Self {
        Semaphore {
            permits: Mutex::new(permits),
            released: Condvar::new(),
        }
    }

    /// How many permits are free now.
    pub fn available(&self) -> usize {
        *self.permits.lock().unwrap()
    }

    /// Waits until a permit is free, takes it and returns it.
    pub fn acquire(&self) -> Permit<'_> {
        let mut permits = self.permits.lock().unwrap();
        while *permits == 0 {
            trace!("finds no permit; waits");
            permits = self.released.wait(permits).unwrap();
            trace!("wakes up; {} free", *permits);
        }
        *permits -= 1;
        trace!("takes a permit; {} free", *permits);
        Permit { semaphore: self }
    }

    /// Adds one free permit and wakes one waiting thread, if any. Dropping a
    /// `Permit` calls it; another thread may call it too, to let a waiter go.
    pub fn release(&self) {
        let mut permits = self.permits.lock().unwrap();
        *permits += 1;
        trace!("gives a permit back; {} free; notify_one", *permits);
        self.released.notify_one();
    }
}

impl Permit<'_> {
    /// Keeps the permit taken for good: it is not given back.
    pub fn forget(self) {
        std::mem::forget(self);
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.semaphore.release();
    }
}
// ANCHOR_END: semaphore
