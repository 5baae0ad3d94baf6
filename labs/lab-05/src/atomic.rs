//! Two semaphores that only *try* to take a permit, without a `Condvar`. The
//! first checks that a permit is free, then takes it, in two critical
//! sections, and lets too many threads in; the second keeps the count in an
//! atomic and checks and takes in one `compare_exchange`. loom checks both in
//! `tests/loom_atomic.rs`. Neither can wait for a permit without spinning,
//! which is why exercise 5.1 builds a semaphore on a `Mutex` and a `Condvar`.

use super::sync::atomic::{AtomicUsize, Ordering};
use super::sync::{Mutex, trace};

// ANCHOR: check_then_take
/// WRONG: "is a permit free?" and "take it" are two steps, each in its own
/// critical section. Between them, another thread can see the same permit
/// and take it too. (Written with `load` and then `fetch_sub` on an atomic,
/// it is just as wrong: the book explains why the lab shows it with a lock.)
#[derive(Debug)]
pub struct CheckThenTake {
    permits: Mutex<usize>,
}

impl CheckThenTake {
    /// A semaphore with `permits` permits.
    pub fn new(permits: usize) -> Self {
        CheckThenTake {
            permits: Mutex::new(permits),
        }
    }

    /// Takes a permit if one is free, and says whether it did. (A real
    /// semaphore would try again until it gets one; one try shows the race.)
    pub fn try_acquire(&self) -> bool {
        let seen = *self.permits.lock().unwrap();
        trace!("sees {seen} free");
        if seen == 0 {
            return false;
        }
        let mut permits = self.permits.lock().unwrap();
        *permits = permits.saturating_sub(1);
        trace!("takes a permit; {} free", *permits);
        true
    }

    /// Gives a permit back.
    pub fn release(&self) {
        let mut permits = self.permits.lock().unwrap();
        *permits += 1;
        trace!("gives a permit back; {} free", *permits);
    }
}
// ANCHOR_END: check_then_take

// ANCHOR: compare_exchange
/// RIGHT: the check and the decrement are one atomic step.
/// `compare_exchange` writes `seen - 1` only if the counter still holds
/// `seen`; if another thread changed it in between, it fails, returns what
/// the counter holds now, and we decide again.
#[derive(Debug)]
pub struct CompareExchange {
    permits: AtomicUsize,
}

impl CompareExchange {
    /// A semaphore with `permits` permits.
    pub fn new(permits: usize) -> Self {
        CompareExchange {
            permits: AtomicUsize::new(permits),
        }
    }

    /// Takes a permit if one is free, and says whether it did.
    pub fn try_acquire(&self) -> bool {
        let mut seen = self.permits.load(Ordering::SeqCst);
        while seen > 0 {
            match self
                .permits
                .compare_exchange(seen, seen - 1, Ordering::SeqCst, Ordering::SeqCst)
            {
                Ok(_) => {
                    trace!("takes a permit; {} free", seen - 1);
                    return true;
                }
                Err(now) => {
                    trace!("expected {seen} free, found {now}");
                    seen = now;
                }
            }
        }
        trace!("finds no permit");
        false
    }

    /// Gives a permit back.
    pub fn release(&self) {
        let before = self.permits.fetch_add(1, Ordering::SeqCst);
        trace!("gives a permit back; {} free", before + 1);
    }
}
// ANCHOR_END: compare_exchange
