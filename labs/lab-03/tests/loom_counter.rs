//! loom checks the counters of src/counter.rs: the split-lock counter loses an
//! update; the other three never do.

use lab_support::capture;
use lab_support::model::Model;

use crate::counter::{AtomicCounter, CasCounter, Counter, MutexCounter, SplitLockCounter};
use crate::sync::{Arc, thread};

// ANCHOR: model
/// The body of the model: two threads increment one counter once each.
/// loom runs this function many times, once for each execution of the two
/// threads that its search explores.
fn two_threads_increment<C: Counter>() {
    let counter = Arc::new(C::default());
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let counter = Arc::clone(&counter);
            thread::spawn(move || counter.increment())
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(counter.get(), 2, "two increments must add 2");
}
// ANCHOR_END: model

// ANCHOR: split_lock_test
#[test]
fn loom_split_lock_counter_loses_an_update() {
    let failure = Model::new().find_violation(two_threads_increment::<SplitLockCounter>);
    assert!(failure.message.contains("two increments must add 2"));
    // The book shows this trace; this checks that the book's copy is current.
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "03-race-conditions/captured/loom-split-lock.txt",
        &failure.to_string(),
    );
}
// ANCHOR_END: split_lock_test

// ANCHOR: fix_tests
#[test]
fn loom_mutex_counter_never_loses_an_update() {
    Model::new().check(two_threads_increment::<MutexCounter>);
}

#[test]
fn loom_fetch_add_counter_never_loses_an_update() {
    Model::new().check(two_threads_increment::<AtomicCounter>);
}

#[test]
fn loom_compare_exchange_counter_never_loses_an_update() {
    Model::new().check(two_threads_increment::<CasCounter>);
}
// ANCHOR_END: fix_tests

/// The executions loom explored for each fixed counter, for the book.
#[test]
fn loom_counter_checks_report_their_executions() {
    let mut report = String::new();
    for (name, explored) in [
        (
            "MutexCounter",
            Model::new().check(two_threads_increment::<MutexCounter>),
        ),
        (
            "AtomicCounter",
            Model::new().check(two_threads_increment::<AtomicCounter>),
        ),
        (
            "CasCounter",
            Model::new().check(two_threads_increment::<CasCounter>),
        ),
    ] {
        report += &format!("{name}: {}.\n", explored);
    }
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "03-race-conditions/captured/loom-counter-checks.txt",
        &report,
    );
}

/// Like [`two_threads_increment`], with `n` threads.
fn threads_increment<C: Counter>(n: u64) {
    let counter = Arc::new(C::default());
    let threads: Vec<_> = (0..n)
        .map(|_| {
            let counter = Arc::clone(&counter);
            thread::spawn(move || counter.increment())
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(counter.get(), n, "{n} increments must add {n}");
}

// ANCHOR: bounds
/// A preemption is a switch to another thread while the running one could
/// have gone on. The lost update needs one: a thread must be interrupted
/// between its read and its write. With a bound of 0, loom never interrupts a
/// thread that can still run, and so cannot find the bug.
#[test]
fn loom_zero_preemptions_miss_the_lost_update() {
    let explored = Model::new()
        .preemption_bound(0)
        .check(two_threads_increment::<SplitLockCounter>);
    assert!(explored.executions > 0);
}

#[test]
fn loom_one_preemption_finds_the_lost_update() {
    let failure = Model::new()
        .preemption_bound(1)
        .find_violation(two_threads_increment::<SplitLockCounter>);
    assert!(failure.message.contains("two increments must add 2"));
}
// ANCHOR_END: bounds

/// How the number of executions grows with the bound, for three threads: the
/// reason every model with three or more threads in these labs sets a bound.
#[test]
fn loom_executions_grow_with_threads_and_bound() {
    let mut report =
        String::from("threads  preemption bound  executions (MutexCounter; every one passed)\n");
    for threads in [3] {
        for bound in [Some(0), Some(1), Some(2), Some(3), None] {
            let model = match bound {
                Some(b) => Model::new().preemption_bound(b),
                None => Model::new(),
            };
            let explored = model.check(move || threads_increment::<MutexCounter>(threads));
            let bound = bound.map_or("none".to_owned(), |b| b.to_string());
            report += &format!("{threads:>7}  {bound:>16}  {:>10}\n", explored.executions);
        }
    }
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "03-race-conditions/captured/loom-bounds.txt",
        &report,
    );
}
