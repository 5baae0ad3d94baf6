//! What loom's `Condvar` does not explore, shown rather than asserted: each
//! test pins down one limit that chapter 4 ("Waiting for a condition") states,
//! so that the book's claims stay true for the loom version in Cargo.lock.

use std::sync::Arc;
use std::time::Duration;

use lab_support::model::Model;

use crate::sync::{Condvar, Mutex, thread};

/// A real `Condvar::wait` may return with no notification (a spurious
/// wake-up); loom's never does (loom issue #1). A wait that nobody will ever
/// notify is therefore a deadlock under loom, never a wake-up.
#[test]
fn loom_condvar_never_wakes_spuriously() {
    let failure = Model::new().find_violation(|| {
        let ready = Mutex::new(false);
        let wake = Condvar::new();
        let guard = ready.lock().unwrap();
        let _guard = wake.wait(guard).unwrap();
        panic!("woke up with no notification");
    });
    assert!(failure.is_deadlock(), "{failure}");
}

/// std promises only that `notify_one` wakes *one* waiter, not which. loom's
/// `Condvar` keeps its waiters in a queue and always wakes the oldest
/// (`pop_front` in loom's `src/rt/condvar.rs`), so it never explores a
/// notification that wakes a later waiter first. Two threads fall asleep, in
/// either order; one notification; in every execution loom explores, the
/// thread that fell asleep first is the one that wakes.
#[test]
fn loom_notify_one_always_wakes_the_oldest_waiter() {
    static ORDERS: std::sync::Mutex<std::collections::BTreeSet<Vec<usize>>> =
        std::sync::Mutex::new(std::collections::BTreeSet::new());
    let explored = Model::new().check(|| {
        /// Who fell asleep, in order, and who woke up first.
        #[derive(Default)]
        struct Seen {
            asleep: Vec<usize>,
            first_awake: Option<usize>,
        }
        let state = Arc::new((Mutex::new(Seen::default()), Condvar::new()));
        let waiters: Vec<_> = (1..=2)
            .map(|me| {
                let state = Arc::clone(&state);
                thread::spawn(move || {
                    let (lock, cv) = &*state;
                    let mut seen = lock.lock().unwrap();
                    seen.asleep.push(me);
                    // One wait, no loop: loom never wakes a waiter spuriously,
                    // and this test wants to see who the notification woke.
                    seen = cv.wait(seen).unwrap();
                    seen.first_awake.get_or_insert(me);
                })
            })
            .collect();
        let (lock, cv) = &*state;
        // Until both are asleep: each goes to sleep in the same critical
        // section in which it wrote its name, so a name means "asleep".
        while lock.lock().unwrap().asleep.len() < 2 {
            thread::yield_now();
        }
        cv.notify_one();
        while lock.lock().unwrap().first_awake.is_none() {
            thread::yield_now();
        }
        cv.notify_one();
        for w in waiters {
            w.join().unwrap();
        }
        let seen = lock.lock().unwrap();
        assert_eq!(
            seen.first_awake,
            Some(seen.asleep[0]),
            "notify_one woke a later waiter first"
        );
        ORDERS.lock().unwrap().insert(seen.asleep.clone());
    });
    // Both orders of falling asleep occurred, so the FIFO wake-up is not an
    // accident of one order.
    let orders = ORDERS.lock().unwrap();
    assert!(
        orders.contains(&vec![1, 2]) && orders.contains(&vec![2, 1]),
        "{explored}; orders seen: {orders:?}"
    );
}

/// A real `wait_timeout` returns once the time is up, notified or not. loom's
/// never times out (`src/sync/condvar.rs`: "TODO: implement timing out"; it
/// is a plain `wait`), so a wait that nobody notifies is a deadlock under loom
/// and loom never runs the code's timed-out path.
#[test]
fn loom_wait_timeout_never_times_out() {
    let failure = Model::new().find_violation(|| {
        let ready = Mutex::new(false);
        let wake = Condvar::new();
        let guard = ready.lock().unwrap();
        let (_guard, result) = wake.wait_timeout(guard, Duration::from_millis(1)).unwrap();
        assert!(result.timed_out(), "std would time out here");
    });
    assert!(failure.is_deadlock(), "{failure}");
}
