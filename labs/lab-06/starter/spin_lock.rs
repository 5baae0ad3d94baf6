//! Exercise 6.1: a spin lock with an RAII guard.
//!
//! What to do: write `SpinLock::lock` and the guard's `drop`. `lock` spins
//! until it turns `locked` from `false` to `true` in one atomic step, then
//! returns a `SpinGuard`; dropping the guard unlocks. Never two holders at
//! once, and each holder must see what the previous holder wrote: choose the
//! orderings for that. Take the lock with `compare_exchange`, not `swap`:
//! loom cannot check a loop of swaps (the book says why). Keep the
//! signatures as they are.
//!
//! The book explains it: chapter 6, "Exercise 6.1: a spin lock with a guard"
//! (book/06-atomics-and-memory-ordering/exercises.md).
//! Check your work:  cargo test -p lab-06 exercise_6_1
//! Stuck?            cargo xtask hint 6.1
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

use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};

#[allow(unused_imports)] // you will need them
use super::sync::atomic::{AtomicBool, Ordering};
use super::sync::cell::UnsafeCell;
#[allow(unused_imports)] // you will need them
use super::sync::{hint, trace};

// ANCHOR: spin_lock
/// A lock that waits by spinning: a thread that finds it locked tries again
/// at once, in a loop, instead of going to sleep.
#[derive(Debug, Default)]
#[allow(dead_code)] // until `lock` and the guard's `drop` use `locked`
pub struct SpinLock<T> {
    /// `true` while a thread holds the lock.
    locked: AtomicBool,
    /// The value the lock guards. Reached only through a `SpinGuard`.
    data: UnsafeCell<T>,
}

// SAFETY: `SpinLock` hands out access to `data` only through a `SpinGuard`,
// and only one guard exists at a time (`lock` creates one only after turning
// `locked` from false to true, and the guard's drop turns it back). So at most
// one thread reaches the value at a time, and it may be a different thread
// each time: that needs `T: Send`, not `T: Sync`. The unlock is a Release
// store and the lock an Acquire read of it, so each holder's accesses happen
// before the next holder's.
unsafe impl<T: Send> Sync for SpinLock<T> {}

/// Proof that this thread holds the lock: it derefs to the value, and
/// dropping it unlocks.
#[derive(Debug)]
#[must_use = "dropping the guard unlocks at once"]
pub struct SpinGuard<'a, T> {
    lock: &'a SpinLock<T>,
    /// Makes the guard `Sync` only if `T` is, as `&mut T` is: a shared
    /// `&SpinGuard` gives out `&T`.
    _marker: PhantomData<&'a mut T>,
}

impl<T> SpinLock<T> {
    /// A lock around `value`, unlocked.
    pub fn new(value: T) -> Self {
        SpinLock {
            locked: AtomicBool::new(false),
            data: UnsafeCell::new(value),
        }
    }

    /// The value, once no thread can hold the lock any more.
    pub fn into_inner(self) -> T {
        self.data.into_inner()
    }

    /// Spins until this thread holds the lock, and returns the guard.
    pub fn lock(&self) -> SpinGuard<'_, T> {
        todo!("exercise 6.1: spin until you turn `locked` from false to true, then return a guard")
    }
}

impl<T> Drop for SpinGuard<'_, T> {
    fn drop(&mut self) {
        todo!("exercise 6.1: unlock")
    }
}
// ANCHOR_END: spin_lock

// ANCHOR: deref
impl<T> Deref for SpinGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard exists, so the lock is held, and the value is
        // reached only through this guard until it is dropped (the `Acquire`
        // in `lock` ordered this access after the last holder's, whose guard
        // unlocked with `Release`). The `&T` borrows the guard, so it cannot
        // outlive it, and the guard's drop is what unlocks. (Under loom, the
        // reference outlives the `with` closure, so loom checks the access
        // only at this call: still inside the same critical section.)
        self.lock.data.with(|data| unsafe { &*data })
    }
}

impl<T> DerefMut for SpinGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as for `deref`; and `&mut self` means no other reference
        // from this guard is alive, so the `&mut T` is the only reference to
        // the value.
        self.lock.data.with_mut(|data| unsafe { &mut *data })
    }
}
// ANCHOR_END: deref
