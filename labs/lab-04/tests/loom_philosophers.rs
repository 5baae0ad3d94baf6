//! loom checks the dining philosophers of src/philosophers.rs: left fork
//! first deadlocks; one global order, or one lock around the table, never does.
//!
//! Three philosophers are three threads, so every model here sets a preemption
//! bound (chapter 3, "The preemption bound"), and one test shows that the
//! bound used still finds the deadlock while a smaller one misses it.

// std's Arc, not loom's: when loom finds a deadlock while a loom Arc is alive,
// the whole test process aborts (loom issue 291).
use std::sync::Arc;

use lab_support::capture;
use lab_support::model::Model;

use crate::philosophers::{dine_left_first, dine_lower_first, dine_one_lock};
use crate::sync::{Mutex, thread};

/// The bound of every model in this file.
const BOUND: usize = 2;

// ANCHOR: model
/// Three philosophers around a table with three forks; each eats once. Every
/// fork must have served two meals (one for each of its neighbours).
fn three_philosophers(dine: fn(&[Mutex<u32>], usize)) {
    let forks = Arc::new([Mutex::new(0), Mutex::new(0), Mutex::new(0)]);
    let philosophers: Vec<_> = (0..3)
        .map(|seat| {
            let forks = Arc::clone(&forks);
            thread::spawn(move || dine(&forks[..], seat))
        })
        .collect();
    for p in philosophers {
        p.join().unwrap();
    }
    for fork in forks.iter() {
        assert_eq!(*fork.lock().unwrap(), 2, "every fork serves two meals");
    }
}
// ANCHOR_END: model

// ANCHOR: deadlock_test
#[test]
fn loom_left_fork_first_deadlocks() {
    let failure = Model::new()
        .preemption_bound(BOUND)
        .find_violation(|| three_philosophers(dine_left_first));
    assert!(failure.is_deadlock(), "{failure}");
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "04-locks-and-conditions/captured/loom-philosophers-deadlock.txt",
        &failure.to_string(),
    );
}
// ANCHOR_END: deadlock_test

// ANCHOR: bound_test
/// The deadlock needs two preemptions: two philosophers must each be stopped
/// right after taking their first fork. A bound of 1 misses it, which is why
/// this file uses 2.
#[test]
fn loom_one_preemption_misses_the_deadlock_two_find_it() {
    let one = Model::new()
        .preemption_bound(1)
        .check(|| three_philosophers(dine_left_first));
    let two = Model::new()
        .preemption_bound(2)
        .find_violation(|| three_philosophers(dine_left_first));
    assert!(two.is_deadlock(), "{two}");
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "04-locks-and-conditions/captured/loom-philosophers-bounds.txt",
        &format!(
            "preemption bound 1: {}.\n\
             preemption bound 2: loom found the deadlock in execution number {}.\n",
            one, two.execution
        ),
    );
}
// ANCHOR_END: bound_test

// ANCHOR: fix_tests
#[test]
fn loom_lower_fork_first_never_deadlocks() {
    Model::new()
        .preemption_bound(BOUND)
        .check(|| three_philosophers(dine_lower_first));
}

#[test]
fn loom_one_lock_around_the_table_never_deadlocks() {
    Model::new().preemption_bound(BOUND).check(|| {
        let table = Arc::new(Mutex::new(vec![0, 0, 0]));
        let philosophers: Vec<_> = (0..3)
            .map(|seat| {
                let table = Arc::clone(&table);
                thread::spawn(move || dine_one_lock(&table, seat))
            })
            .collect();
        for p in philosophers {
            p.join().unwrap();
        }
        assert_eq!(
            *table.lock().unwrap(),
            [2, 2, 2],
            "every fork serves two meals"
        );
    });
}
// ANCHOR_END: fix_tests

/// The executions each proof explored, for the book.
#[test]
fn loom_philosopher_proofs_report_their_executions() {
    let lower = Model::new()
        .preemption_bound(BOUND)
        .check(|| three_philosophers(dine_lower_first));
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "04-locks-and-conditions/captured/loom-philosophers-fixed.txt",
        &format!("dine_lower_first, preemption bound {BOUND}: {}.\n", lower),
    );
}
