//! A mutex poisoned by a thread that panicked while holding it, and the two
//! ways to go on: take the data anyway (`PoisonError::into_inner`), and, once
//! it is repaired, clear the poison (`Mutex::clear_poison`) while still
//! holding the guard.
//! `tests/threads.rs` runs [`demo`] and checks the book's copy of its report.

use std::fmt::Write as _;

use super::sync::{Arc, Mutex, MutexGuard, PoisonError, thread};

// ANCHOR: lock_anyway
/// Locks `mutex` even if a thread panicked while holding it. Use it only where
/// the data cannot be left half-changed, or where you repair it next.
pub fn lock_anyway<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
// ANCHOR_END: lock_anyway

// ANCHOR: demo
/// Two balances of 100 each. A thread moves 50 from the first to the second,
/// and panics half-way, while it holds the lock. Returns what happened, line
/// by line.
pub fn demo() -> String {
    let mut out = String::new();
    let balances = Arc::new(Mutex::new([100, 100]));
    let outcome = {
        let balances = Arc::clone(&balances);
        thread::spawn(move || {
            let mut b = balances.lock().unwrap();
            b[0] -= 50;
            panic!("the transfer failed half-way"); // b[1] += 50 never runs
        })
        .join()
    };
    let _ = writeln!(out, "the thread panicked: {}", outcome.is_err());
    let _ = writeln!(out, "is_poisoned(): {}", balances.is_poisoned());
    match balances.lock() {
        Ok(_) => out.push_str("lock() returned Ok\n"),
        Err(e) => {
            let _ = writeln!(out, "lock() returned Err: {e}");
        }
    }
    {
        let mut b = lock_anyway(&balances);
        let _ = writeln!(out, "into_inner() gives the data anyway: {:?}", *b);
        b[0] += 50; // repair: undo the half-done transfer
        let _ = writeln!(out, "repaired: {:?}", *b);
        // Still holding the guard: no other thread can lock the repaired data
        // and still find it poisoned between the repair and the clear.
        balances.clear_poison();
    }
    let _ = writeln!(
        out,
        "after clear_poison(): is_poisoned() = {}, lock() is Ok: {}",
        balances.is_poisoned(),
        balances.lock().is_ok()
    );
    out
}
// ANCHOR_END: demo
