//! The tests of exercise 5.2 (your file: labs/lab-05/exercises/barrier.rs).
//! loom checks small models; real threads check many rounds.

use lab_support::capture;
use lab_support::exercise;
use lab_support::join::join_all;
use lab_support::model::Model;

use crate::barrier::Barrier;
use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::thread;
// std's Arc, not loom's: a broken barrier may deadlock (loom issue 291).
use std::sync::Arc;

/// The bound of the three-thread model.
const BOUND: usize = 2;

// ANCHOR: rounds_model
/// `threads` threads (the model's own among them) meet at one barrier
/// `rounds` times. Before each `wait`, a thread writes the number of the round
/// it has reached; after it, it must see every other thread at that round or
/// later. Exactly one thread of each round must be told it was the last.
fn meet(threads: usize, rounds: usize) {
    let barrier = Arc::new(Barrier::new(threads));
    let reached: Arc<Vec<AtomicUsize>> =
        Arc::new((0..threads).map(|_| AtomicUsize::new(0)).collect());
    let leaders = Arc::new(AtomicUsize::new(0));
    let run =
        move |me: usize, barrier: &Barrier, reached: &[AtomicUsize], leaders: &AtomicUsize| {
            for round in 1..=rounds {
                reached[me].store(round, Ordering::SeqCst);
                if barrier.wait() {
                    leaders.fetch_add(1, Ordering::SeqCst);
                }
                for (other, r) in reached.iter().enumerate() {
                    let at = r.load(Ordering::SeqCst);
                    assert!(
                        at >= round,
                        "thread {me} left round {round} before thread {other} arrived"
                    );
                }
            }
        };
    let others: Vec<_> = (1..threads)
        .map(|me| {
            let (barrier, reached, leaders) = (
                Arc::clone(&barrier),
                Arc::clone(&reached),
                Arc::clone(&leaders),
            );
            thread::spawn(move || run(me, &barrier, &reached, &leaders))
        })
        .collect();
    run(0, &barrier, &reached, &leaders);
    for t in others {
        t.join().unwrap();
    }
    assert_eq!(
        leaders.load(Ordering::SeqCst),
        rounds,
        "one leader per round"
    );
}
// ANCHOR_END: rounds_model

#[test]
fn exercise_5_2_loom_two_threads_two_rounds() {
    exercise!("5.2").run(|| {
        let explored = Model::new().check(|| meet(2, 2));
        capture::check(
            env!("CARGO_MANIFEST_DIR"),
            "05-semaphores/captured/loom-barrier-two-rounds.txt",
            &format!("2 threads, 2 rounds, no bound: {}.\n", explored),
        );
    });
}

#[test]
fn exercise_5_2_loom_three_threads_one_round() {
    exercise!("5.2").run(|| {
        let explored = Model::new().preemption_bound(BOUND).check(|| meet(3, 1));
        capture::check(
            env!("CARGO_MANIFEST_DIR"),
            "05-semaphores/captured/loom-barrier-three-threads.txt",
            &format!(
                "3 threads, 1 round, preemption bound {BOUND}: {}.\n",
                explored
            ),
        );
    });
}

#[test]
fn exercise_5_2_threads_many_rounds() {
    exercise!("5.2").run(|| {
        use std::sync::atomic::{AtomicUsize, Ordering};
        const THREADS: usize = 4;
        const ROUNDS: usize = 2_000;
        let barrier = lab_05::barrier::Barrier::new(THREADS);
        let arrivals = AtomicUsize::new(0);
        let leaders = AtomicUsize::new(0);
        std::thread::scope(|s| {
            let workers: Vec<_> = (0..THREADS)
                .map(|_| {
                    s.spawn(|| {
                        for round in 1..=ROUNDS {
                            arrivals.fetch_add(1, Ordering::SeqCst);
                            if barrier.wait() {
                                leaders.fetch_add(1, Ordering::SeqCst);
                            }
                            let seen = arrivals.load(Ordering::SeqCst);
                            assert!(
                                seen >= THREADS * round,
                                "left round {round} early: {seen} arrivals"
                            );
                        }
                    })
                })
                .collect();
            // If a worker panics, report that panic, not what it left behind.
            join_all(workers);
        });
        assert_eq!(leaders.into_inner(), ROUNDS, "one leader per round");
    });
}
