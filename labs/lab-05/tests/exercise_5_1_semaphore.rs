//! The tests of exercise 5.1 (your file: labs/lab-05/exercises/semaphore.rs).
//! loom checks small models; real threads check many permits taken and given
//! back.

use lab_support::capture;
use lab_support::exercise;
use lab_support::join::join_all;
use lab_support::model::Model;

use crate::semaphore::Semaphore;
use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::{thread, trace};
// Shared through std's Arc, not loom's: when loom finds a deadlock (a lost
// wake-up) while a loom Arc is alive, the whole test process aborts (loom
// issue 291).
use std::sync::Arc;

/// The bound of the three-thread model. `loom_tempting_semaphore.rs` shows
/// that it still finds an `if` in place of a `while`.
pub(crate) const BOUND: usize = 2;

/// What the model needs of a semaphore: the exercise's, or the tempting one.
pub(crate) trait Sem: Send + Sync + 'static {
    fn with_permits(permits: usize) -> Self;
    /// Takes a permit; gives it back when the returned value is dropped.
    fn hold(&self) -> impl Drop + '_;
    fn available(&self) -> usize;
}

impl Sem for Semaphore {
    fn with_permits(permits: usize) -> Self {
        Semaphore::new(permits)
    }
    fn hold(&self) -> impl Drop + '_ {
        self.acquire()
    }
    fn available(&self) -> usize {
        Semaphore::available(self)
    }
}

// ANCHOR: holders_model
/// One permit, three threads (two spawned and the model's own), each taking
/// the permit once. A counter of holders goes up right after `acquire` and
/// down right before the permit is dropped; it must never exceed 1, and every
/// thread must get through (a lost wake-up is a deadlock).
pub(crate) fn three_threads_one_permit<S: Sem>() {
    let semaphore = Arc::new(S::with_permits(1));
    let holders = Arc::new(AtomicUsize::new(0));
    let visit = move |semaphore: &S, holders: &AtomicUsize| {
        let permit = semaphore.hold();
        let now = holders.fetch_add(1, Ordering::SeqCst) + 1;
        trace!("is inside; {now} holders");
        assert!(
            now <= 1,
            "{now} holders at once; the semaphore has 1 permit"
        );
        holders.fetch_sub(1, Ordering::SeqCst);
        drop(permit);
    };
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let (semaphore, holders) = (Arc::clone(&semaphore), Arc::clone(&holders));
            thread::spawn(move || visit(&semaphore, &holders))
        })
        .collect();
    visit(&semaphore, &holders);
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(semaphore.available(), 1, "the permit came back");
}
// ANCHOR_END: holders_model

/// A semaphore with no permit: a spawned thread waits in `acquire` while the
/// model's own thread calls `release`. The waiter must be woken up.
fn release_wakes_a_waiter() {
    let semaphore = Arc::new(Semaphore::new(0));
    let waiter = {
        let semaphore = Arc::clone(&semaphore);
        thread::spawn(move || semaphore.acquire().forget())
    };
    semaphore.release();
    waiter.join().unwrap();
    assert_eq!(semaphore.available(), 0, "the waiter kept the permit");
}

#[test]
fn exercise_5_1_loom_never_more_holders_than_permits() {
    exercise!("5.1").run(|| {
        let explored = Model::new()
            .preemption_bound(BOUND)
            .check(three_threads_one_permit::<Semaphore>);
        capture::check(
            env!("CARGO_MANIFEST_DIR"),
            "05-semaphores/captured/loom-semaphore-holders.txt",
            &format!("preemption bound {BOUND}: {}.\n", explored),
        );
    });
}

#[test]
fn exercise_5_1_loom_release_wakes_a_waiter() {
    exercise!("5.1").run(|| {
        Model::new().check(release_wakes_a_waiter);
    });
}

#[test]
fn exercise_5_1_threads_never_more_holders_than_permits() {
    exercise!("5.1").run(|| {
        const PERMITS: usize = 3;
        const THREADS: usize = 8;
        const ROUNDS: usize = 2_000;
        let semaphore = lab_05::semaphore::Semaphore::new(PERMITS);
        let holders = std::sync::atomic::AtomicUsize::new(0);
        let most = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|s| {
            let workers: Vec<_> = (0..THREADS)
                .map(|_| {
                    s.spawn(|| {
                        for _ in 0..ROUNDS {
                            let _permit = semaphore.acquire();
                            let now = holders.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                            most.fetch_max(now, std::sync::atomic::Ordering::SeqCst);
                            assert!(now <= PERMITS, "{now} holders; {PERMITS} permits");
                            holders.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
                        }
                    })
                })
                .collect();
            // If a worker panics, report that panic, not what it left behind.
            join_all(workers);
        });
        assert_eq!(semaphore.available(), PERMITS, "every permit came back");
        assert!(most.into_inner() <= PERMITS);
    });
}

#[test]
fn exercise_5_1_threads_dropping_a_permit_gives_it_back() {
    exercise!("5.1").run(|| {
        let semaphore = lab_05::semaphore::Semaphore::new(2);
        let first = semaphore.acquire();
        let second = semaphore.acquire();
        assert_eq!(semaphore.available(), 0);
        drop(first);
        assert_eq!(semaphore.available(), 1, "a dropped permit comes back");
        second.forget();
        assert_eq!(semaphore.available(), 1, "a forgotten permit does not");
        // A thread that asks for the last permit gets it once it is back
        // (whether it had to wait depends on the schedule; the loom test
        // `release_wakes_a_waiter` checks the waking).
        let third = semaphore.acquire();
        std::thread::scope(|s| {
            let waiter = s.spawn(|| semaphore.acquire().forget());
            drop(third);
            waiter.join().unwrap();
        });
        assert_eq!(semaphore.available(), 0);
    });
}
