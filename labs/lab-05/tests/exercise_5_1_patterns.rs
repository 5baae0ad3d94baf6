//! The patterns of src/patterns.rs, on the semaphore of exercise 5.1: they
//! pass once your semaphore works. loom checks the signal and the rendezvous
//! (two threads each, every execution); real threads check the pool.

use lab_support::exercise;
use lab_support::join::join_all;
use lab_support::model::Model;

use crate::patterns::{Rendezvous, Signal};
use crate::sync::atomic::{AtomicBool, Ordering};
use crate::sync::{thread, trace};
// std's Arc, not loom's: a broken semaphore may deadlock (loom issue 291).
use std::sync::Arc;

// ANCHOR: signal_model
/// A worker stores its result and signals; the model's own thread waits for
/// the signal and must then see the result.
fn signal_after_the_work() {
    let signal = Arc::new(Signal::new());
    let result = Arc::new(AtomicBool::new(false));
    let worker = {
        let (signal, result) = (Arc::clone(&signal), Arc::clone(&result));
        thread::spawn(move || {
            result.store(true, Ordering::Relaxed);
            trace!("stores the result; signals");
            signal.done();
        })
    };
    signal.wait();
    assert!(
        result.load(Ordering::Relaxed),
        "the signal came before the work"
    );
    worker.join().unwrap();
}
// ANCHOR_END: signal_model

// ANCHOR: rendezvous_model
/// Threads a and b meet at a rendezvous. Each marks that it has arrived, and
/// after the rendezvous each must see the other's mark.
fn two_threads_meet() {
    let meeting = Arc::new(Rendezvous::new());
    let arrived = Arc::new([AtomicBool::new(false), AtomicBool::new(false)]);
    let b = {
        let (meeting, arrived) = (Arc::clone(&meeting), Arc::clone(&arrived));
        thread::spawn(move || {
            arrived[1].store(true, Ordering::Relaxed);
            meeting.arrive_b();
            assert!(
                arrived[0].load(Ordering::Relaxed),
                "b went on before a came"
            );
        })
    };
    arrived[0].store(true, Ordering::Relaxed);
    meeting.arrive_a();
    assert!(
        arrived[1].load(Ordering::Relaxed),
        "a went on before b came"
    );
    b.join().unwrap();
}
// ANCHOR_END: rendezvous_model

#[test]
fn exercise_5_1_loom_signal_orders_the_work() {
    exercise!("5.1").run(|| {
        Model::new().check(signal_after_the_work);
    });
}

#[test]
fn exercise_5_1_loom_rendezvous_waits_for_both() {
    exercise!("5.1").run(|| {
        Model::new().check(two_threads_meet);
    });
}

#[test]
fn exercise_5_1_threads_pool_runs_at_most_n_at_once() {
    exercise!("5.1").run(|| {
        use std::sync::atomic::{AtomicUsize, Ordering};
        const LIMIT: usize = 2;
        let pool = lab_05::patterns::Pool::new(LIMIT);
        let running = AtomicUsize::new(0);
        let total = AtomicUsize::new(0);
        std::thread::scope(|s| {
            let workers: Vec<_> = (0..6)
                .map(|_| {
                    s.spawn(|| {
                        for _ in 0..1_000 {
                            pool.run(|| {
                                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                                assert!(now <= LIMIT, "{now} jobs at once; the limit is {LIMIT}");
                                total.fetch_add(1, Ordering::SeqCst);
                                running.fetch_sub(1, Ordering::SeqCst);
                            });
                        }
                    })
                })
                .collect();
            // If a worker panics, report that panic, not what it left behind.
            join_all(workers);
        });
        assert_eq!(total.into_inner(), 6_000);
    });
}

#[test]
fn exercise_5_1_threads_signal_and_rendezvous() {
    exercise!("5.1").run(|| {
        let signal = lab_05::patterns::Signal::new();
        let meeting = lab_05::patterns::Rendezvous::new();
        std::thread::scope(|s| {
            s.spawn(|| {
                signal.done();
                meeting.arrive_b();
            });
            signal.wait();
            meeting.arrive_a();
        });
    });
}
