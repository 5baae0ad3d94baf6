//! Four small spin locks that guard code, not data: `lock` spins until the
//! thread holds the lock, `unlock` lets the next one in. (Exercise 6.1 adds the
//! data and a guard.) The first looks and then takes in two steps, the second
//! unlocks with `Relaxed`, the third and fourth are right. loom checks them in
//! `tests/loom_spin.rs`.

use super::sync::atomic::{AtomicBool, Ordering};
use super::sync::{hint, trace};

// ANCHOR: load_then_store
/// WRONG: "is it unlocked?" and "lock it" are two atomic steps. Two threads
/// can both see it unlocked, both lock it, and both go in.
#[derive(Debug, Default)]
pub struct LoadThenStoreLock {
    locked: AtomicBool,
}

impl LoadThenStoreLock {
    /// Spins until the lock looks free, then takes it (it thinks).
    pub fn lock(&self) {
        while self.locked.load(Ordering::Acquire) {
            trace!("loads locked = true; spins");
            hint::spin_loop();
        }
        trace!("loads locked = false");
        self.locked.store(true, Ordering::Relaxed);
        trace!("stores locked = true");
    }

    /// Lets the next thread in.
    pub fn unlock(&self) {
        self.locked.store(false, Ordering::Release);
        trace!("stores locked = false (Release)");
    }
}
// ANCHOR_END: load_then_store

// ANCHOR: relaxed_unlock
/// WRONG: one thread at a time gets in, but the unlock is `Relaxed`. The next
/// holder's `Acquire` has no `Release` to pair with, so what the last holder
/// wrote is not ordered before what the next holder reads.
#[derive(Debug, Default)]
pub struct RelaxedUnlockLock {
    locked: AtomicBool,
}

impl RelaxedUnlockLock {
    /// Spins until this thread has turned `locked` from false to true.
    pub fn lock(&self) {
        while self
            .locked
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            trace!("compare_exchange finds it locked; spins");
            hint::spin_loop();
        }
        trace!("compare_exchange locks it (Acquire)");
    }

    /// Lets the next thread in, but orders nothing.
    pub fn unlock(&self) {
        self.locked.store(false, Ordering::Relaxed);
        trace!("stores locked = false (Relaxed)");
    }
}
// ANCHOR_END: relaxed_unlock

// ANCHOR: cas_lock
/// RIGHT: `compare_exchange(false, true, Acquire, Relaxed)` looks and locks
/// in one read-modify-write: it succeeds for exactly one thread, the one that
/// turned `false` into `true`. The unlock is a `Release` store, which the next
/// holder's `Acquire` reads: all the last holder did happens before all the
/// next one does.
#[derive(Debug, Default)]
pub struct CasLock {
    locked: AtomicBool,
}

impl CasLock {
    /// Spins until this thread has turned `locked` from false to true.
    pub fn lock(&self) {
        while self
            .locked
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            trace!("compare_exchange finds it locked; spins");
            hint::spin_loop();
        }
        trace!("compare_exchange locks it (Acquire)");
    }

    /// Lets the next thread in, and publishes what this one wrote.
    pub fn unlock(&self) {
        self.locked.store(false, Ordering::Release);
        trace!("stores locked = false (Release)");
    }
}
// ANCHOR_END: cas_lock

// ANCHOR: swap_lock
/// RIGHT as well, on real hardware: `swap(true, Acquire)` returns the old
/// value, so it returns `false` to exactly one thread. But loom cannot check
/// it: see `tests/loom_spin.rs`, `loom_a_swap_loop_never_lets_go`.
#[derive(Debug, Default)]
pub struct SwapLock {
    locked: AtomicBool,
}

impl SwapLock {
    /// Spins until this thread has turned `locked` from false to true.
    pub fn lock(&self) {
        while self.locked.swap(true, Ordering::Acquire) {
            trace!("swap finds it locked; spins");
            hint::spin_loop();
        }
        trace!("swap locks it (Acquire)");
    }

    /// Lets the next thread in, and publishes what this one wrote.
    pub fn unlock(&self) {
        self.locked.store(false, Ordering::Release);
        trace!("stores locked = false (Release)");
    }
}
// ANCHOR_END: swap_lock
