//! loom checks the dining philosophers of src/philosophers.rs: left fork
//! first deadlocks; with one global order, or one lock around the table, every
//! execution loom explores passes.
//!
//! Three philosophers are three threads, so every model here sets a preemption
//! bound (chapter 3, "The preemption bound"), and one test shows that the
//! bound used still finds the deadlock while a smaller one does not. Another
//! plays, on the same code, a deadlocking schedule with one preemption that
//! loom's search under bound 1 skipped.

// std's Arc, not loom's: when loom finds a deadlock while a loom Arc is alive,
// the whole test process aborts (loom issue 291).
use std::sync::Arc;

use lab_support::capture;
use lab_support::model::{self, Model};
use lab_support::replay::replay;
use lab_support::watchdog::watchdog;

use crate::models::three_philosophers;
use crate::philosophers::{dine_left_first, dine_lower_first, dine_one_lock};
use crate::replayed;
use crate::sync::{Mutex, thread};

/// The bound of every model in this file.
const BOUND: usize = 2;

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
/// The bound used finds the deadlock; a bound of 1 does not. That is a fact
/// about loom's search, not about the bug: see the next test.
#[test]
fn loom_bound_two_finds_the_deadlock_bound_one_does_not() {
    let search = model::search_bounds(&[Some(1), Some(BOUND)], "the deadlock", || {
        three_philosophers(dine_left_first)
    });
    search.passed(Some(1));
    assert!(search.found(Some(BOUND)).is_deadlock());
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "04-locks-and-conditions/captured/loom-philosophers-bounds.txt",
        &search.to_string(),
    );
}
// ANCHOR_END: bound_test

// ANCHOR: one_preemption
/// The schedule of a deadlock with one preemption: the thread that goes on at
/// each of the replay's switch points (here the same as loom's: locks, joins
/// and no thread end before the deadlock). `main` waits to join T1, and T3
/// runs; T3 takes fork 2 and goes on to its second lock; there T2 runs,
/// although T3 could go on (the preemption); T2 takes fork 1 and waits for
/// fork 2; T1 takes fork 0 and waits for fork 1.
const ONE_PREEMPTION: [&str; 6] = ["T3", "T3", "T2", "T2", "T1", "T1"];

/// loom 0.7 under bound 1 passes the philosophers, although a schedule with
/// one preemption deadlocks them: its bounded search stops exploring
/// alternatives once the bound is used up (`Schedule::backtrack` in loom's
/// `src/rt/path.rs`), so it covers only some of the executions within the
/// bound. The replay plays that schedule on the same code and counts.
#[test]
fn loom_bound_one_misses_a_one_preemption_deadlock() {
    let loom = model::search_bounds(&[Some(1)], "the deadlock", || {
        three_philosophers(dine_left_first)
    });
    loom.passed(Some(1));
    let played = watchdog(|| {
        replay(&ONE_PREEMPTION, || {
            replayed::models::three_philosophers(replayed::philosophers::dine_left_first)
        })
    });
    assert!(played.is_deadlock(), "{played}");
    assert_eq!(played.preemptions, 1, "{played}");
    let report = format!("{loom}\nThe same model and code, played on one schedule:\n{played}");
    println!("{report}");
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "04-locks-and-conditions/captured/replay-philosophers-one-preemption.txt",
        &report,
    );
}
// ANCHOR_END: one_preemption

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

/// The executions loom explored for the fix, for the book.
#[test]
fn loom_philosopher_fix_reports_its_executions() {
    let lower = Model::new()
        .preemption_bound(BOUND)
        .check(|| three_philosophers(dine_lower_first));
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "04-locks-and-conditions/captured/loom-philosophers-fixed.txt",
        &format!("dine_lower_first, preemption bound {BOUND}: {}.\n", lower),
    );
}

/// What loom's search under bound 1 ran instead. Two of its executions start
/// with T3, as the one-preemption schedule does, but in no execution is T3
/// stopped after it asks for fork 0 while fork 0 is free: the one preemption
/// that deadlock needs. (T1 holds fork 0 from "holds fork 0" to "holds fork 1;
/// eats", and drops it before any other thread can run: releasing a lock and
/// ending a thread come before loom's next switch.)
#[test]
fn loom_bound_one_never_stops_t3_between_its_forks() {
    let (_, runs) = Model::new()
        .preemption_bound(1)
        .check_and_keep_steps(|| three_philosophers(dine_left_first));
    let t3_first = runs
        .iter()
        .filter(|run| run.first().is_some_and(|s| s.thread == "T3"))
        .count();
    assert_eq!(t3_first, 2, "executions of the search that start with T3");
    for run in runs.iter() {
        let is =
            |k: usize, thread: &str, event: &str| run[k].thread == thread && run[k].event == event;
        let Some(at) = (0..run.len()).find(|&k| is(k, "T3", "asks for fork 0")) else {
            continue;
        };
        let t1_took_fork_0 = (0..at).any(|k| is(k, "T1", "holds fork 0"));
        let t1_done_with_it = (0..at).any(|k| is(k, "T1", "holds fork 1; eats"));
        let fork_0_free = !t1_took_fork_0 || t1_done_with_it;
        assert!(
            !fork_0_free || is(at + 1, "T3", "holds fork 0; eats"),
            "loom under bound 1 stopped T3 between its forks with fork 0 free: {run:?}"
        );
    }
}
