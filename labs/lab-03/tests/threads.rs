//! The fixed counters and withdrawals on real threads, many times over.
//! Each test runs under the watchdog: a deadlock fails within seconds.

use lab_03::account::{Account, AtomicAccount};
use lab_03::counter::{AtomicCounter, CasCounter, Counter, MutexCounter};
use lab_03::demo::race;
use lab_support::watchdog::{watchdog, watchdog_with_limit};
use std::time::Duration;

const THREADS: u64 = 4;
const INCREMENTS: u64 = 20_000;

fn counts_every_increment<C: Counter>() {
    watchdog(|| assert_eq!(race::<C>(THREADS, INCREMENTS), THREADS * INCREMENTS));
}

#[test]
fn threads_mutex_counter_counts_every_increment() {
    counts_every_increment::<MutexCounter>();
}

#[test]
fn threads_fetch_add_counter_counts_every_increment() {
    counts_every_increment::<AtomicCounter>();
}

#[test]
fn threads_compare_exchange_counter_counts_every_increment() {
    counts_every_increment::<CasCounter>();
}

/// `THREADS` threads each try `tries` withdrawals of 1 from an account holding
/// `THREADS * tries / 2`: exactly that many succeed and the balance ends at 0.
fn withdrawals_stop_at_zero<A: Send + Sync>(
    account: A,
    withdraw: fn(&A, i64) -> bool,
    balance: fn(&A) -> i64,
) {
    let tries = 5_000;
    let start = balance(&account);
    let succeeded: i64 = std::thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|_| s.spawn(|| (0..tries).filter(|_| withdraw(&account, 1)).count() as i64))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    assert_eq!(succeeded, start);
    assert_eq!(balance(&account), 0);
}

#[test]
fn threads_locked_withdrawals_stop_at_zero() {
    watchdog(|| {
        let start = (THREADS * 5_000 / 2) as i64;
        withdrawals_stop_at_zero(
            Account::new(start),
            |a, n| a.withdraw(n).is_ok(),
            Account::balance,
        );
    });
}

#[test]
fn threads_compare_exchange_withdrawals_stop_at_zero() {
    watchdog(|| {
        let start = (THREADS * 5_000 / 2) as i64;
        withdrawals_stop_at_zero(
            AtomicAccount::new(start),
            |a, n| a.withdraw(n).is_ok(),
            AtomicAccount::balance,
        );
    });
}

/// The watchdog itself: a test that deadlocks must fail, quickly, saying so.
#[test]
fn watchdog_fails_a_deadlock_and_says_so() {
    // The two threads below deadlock for ever, on purpose; the watchdog leaves
    // them behind, and they end with the test process. The deadlock is
    // certain, whatever the OS scheduler does: each thread takes its first
    // lock, then waits at the barrier until the other has taken its first,
    // and only then asks for its second.
    let outcome = std::panic::catch_unwind(|| {
        watchdog_with_limit(Duration::from_secs(1), || {
            use std::sync::{Arc, Barrier, Mutex};
            let a = Arc::new(Mutex::new(()));
            let b = Arc::new(Mutex::new(()));
            let both_hold_one = Arc::new(Barrier::new(2));
            let other = {
                let (a, b, both_hold_one) = (a.clone(), b.clone(), both_hold_one.clone());
                std::thread::spawn(move || {
                    let _b = b.lock().unwrap();
                    both_hold_one.wait();
                    let _a = a.lock().unwrap(); // waits for ever: the other holds a
                })
            };
            let _a = a.lock().unwrap();
            both_hold_one.wait();
            let _b = b.lock().unwrap(); // waits for ever: the other holds b
            other.join().unwrap();
        })
    });
    let message =
        lab_support::panic_message(&*outcome.expect_err("the watchdog let a deadlock pass"));
    assert!(message.contains("looks like a deadlock"), "{message}");
}
