//! The tests of exercise 6.1 (your file: labs/lab-06/exercises/spin_lock.rs).
//! loom checks small models: one holder at a time, and each holder's writes
//! seen by the next; real threads check many lock and unlock rounds.

use lab_support::capture;
use lab_support::exercise;
use lab_support::join::join_all;
use lab_support::model::Model;

use crate::loom_spin::{come_in, go_out};
use crate::spin_lock::SpinLock;
use crate::sync::atomic::AtomicUsize;
use crate::sync::thread;
use std::sync::Arc;

// ANCHOR: guarded_model
/// Two threads (the model's own and one spawned) each lock the spin lock,
/// check that they are alone (a counter of holders), add one to the `u64` it
/// guards, and drop the guard. loom also checks the access to the value at
/// each dereference of the guard: it must be ordered after the previous
/// holder's write.
fn each_adds_one_guarded() {
    let lock = Arc::new(SpinLock::new(0_u64));
    let holders = Arc::new(AtomicUsize::new(0));
    let visit = move |lock: &SpinLock<u64>, holders: &AtomicUsize| {
        let mut value = lock.lock();
        come_in(holders);
        *value += 1;
        go_out(holders);
        drop(value);
    };
    let other = {
        let (lock, holders) = (Arc::clone(&lock), Arc::clone(&holders));
        thread::spawn(move || visit(&lock, &holders))
    };
    visit(&lock, &holders);
    other.join().unwrap();
    let total = *lock.lock();
    assert_eq!(total, 2, "an addition was lost");
}
// ANCHOR_END: guarded_model

#[test]
fn exercise_6_1_loom_one_holder_and_ordered() {
    exercise!("6.1").run(|| {
        let explored = Model::new().check(each_adds_one_guarded);
        capture::check(
            env!("CARGO_MANIFEST_DIR"),
            "06-atomics-and-memory-ordering/captured/loom-spin-lock.txt",
            &format!("2 threads, no bound: {}.\n", explored),
        );
    });
}

#[test]
fn exercise_6_1_threads_many_additions() {
    exercise!("6.1").run(|| {
        const THREADS: u64 = 4;
        const ROUNDS: u64 = 20_000;
        let lock = lab_06::spin_lock::SpinLock::new(0_u64);
        std::thread::scope(|s| {
            let workers: Vec<_> = (0..THREADS)
                .map(|_| {
                    s.spawn(|| {
                        for _ in 0..ROUNDS {
                            *lock.lock() += 1;
                        }
                    })
                })
                .collect();
            // If a worker panics, report that panic, not what it left behind.
            join_all(workers);
        });
        assert_eq!(lock.into_inner(), THREADS * ROUNDS, "additions were lost");
    });
}

#[test]
fn exercise_6_1_threads_guard_unlocks_when_dropped() {
    exercise!("6.1").run(|| {
        let lock = lab_06::spin_lock::SpinLock::new(vec![1]);
        {
            let mut guard = lock.lock();
            guard.push(2);
        }
        // If the drop did not unlock, this would spin for ever (and the
        // watchdog would fail the test).
        let other = std::thread::scope(|s| s.spawn(|| lock.lock().clone()).join().unwrap());
        assert_eq!(other, vec![1, 2]);
    });
}
