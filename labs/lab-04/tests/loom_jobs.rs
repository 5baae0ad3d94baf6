//! loom checks the job queue of src/jobs.rs with two competing consumers:
//! `pop_with_if` can wake up to an empty queue; with `pop`, every execution
//! loom explores passes.
//!
//! loom's `Condvar` never wakes spuriously (chapter 3, "What loom explores"),
//! so the `if` is caught only because a second consumer can steal the job
//! between the notification and the woken consumer's return. The model has
//! three threads and so a preemption bound; a test below shows it finds the
//! bug, and a replay shows a two-preemption execution that bound 2 skipped.

use lab_support::capture;
use lab_support::model::{self, Model};
use lab_support::replay::replay;
use lab_support::watchdog::watchdog;

use crate::jobs::JobQueue;
use crate::models::two_consumers;
use crate::replayed;

/// The bound of every model in this file.
const BOUND: usize = 3;

// ANCHOR: if_test
#[test]
fn loom_pop_with_if_wakes_up_to_an_empty_queue() {
    let failure = Model::new()
        .preemption_bound(BOUND)
        .find_violation(|| two_consumers(JobQueue::pop_with_if));
    assert!(
        failure.message.contains("woke up to an empty queue"),
        "{failure}"
    );
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "04-locks-and-conditions/captured/loom-pop-with-if.txt",
        &failure.to_string(),
    );
}
// ANCHOR_END: if_test

// ANCHOR: while_test
#[test]
fn loom_pop_with_while_never_loses_a_job() {
    let explored = Model::new()
        .preemption_bound(BOUND)
        .check(|| two_consumers(JobQueue::pop));
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "04-locks-and-conditions/captured/loom-pop-with-while.txt",
        &format!("preemption bound {BOUND}: {}.\n", explored),
    );
}
// ANCHOR_END: while_test

// ANCHOR: bound_test
/// The bound used finds the stolen wake-up; a bound of 2 does not. A fact
/// about loom's search: the bug needs only two preemptions (next test).
#[test]
fn loom_the_bound_used_still_finds_the_stolen_wake_up() {
    let search = model::search_bounds(&[Some(2), Some(BOUND)], "the stolen wake-up", || {
        two_consumers(JobQueue::pop_with_if)
    });
    search.passed(Some(2));
    search.found(Some(BOUND));
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "04-locks-and-conditions/captured/loom-pop-with-if-bounds.txt",
        &search.to_string(),
    );
}
// ANCHOR_END: bound_test

// ANCHOR: two_preemptions
/// The stolen wake-up with two preemptions, one thread for each of the
/// replay's switch points (loom's list for the same schedule is longer: it
/// also may switch as a `wait` starts, as a woken waiter takes its lock back,
/// and before a thread ends, and there the replay lets the running thread go
/// on): `main` is stopped at `push(1)`'s lock (the first
/// preemption) and T1 runs, finds the queue empty and waits; `main` pushes job
/// 1 and notifies T1; at `push(2)`'s lock `main` is stopped again (the second)
/// and T2 takes job 1 and ends; T1 wakes up to an empty queue.
const TWO_PREEMPTIONS: [&str; 7] = ["T1", "T1", "main", "main", "T2", "T2", "T1"];

/// loom 0.7 under bound 2 passes `pop_with_if`, although a schedule with two
/// preemptions breaks it: once its two preemptions are used, loom's search
/// explores no other choice, not even the free one after T2 ends (it runs
/// `main`, which pushes job 2 before T1 looks).
#[test]
fn loom_bound_two_misses_a_two_preemption_stolen_wake_up() {
    let loom = model::search_bounds(&[Some(2)], "the stolen wake-up", || {
        two_consumers(JobQueue::pop_with_if)
    });
    loom.passed(Some(2));
    let played = watchdog(|| {
        replay(&TWO_PREEMPTIONS, || {
            replayed::models::two_consumers(replayed::jobs::JobQueue::pop_with_if)
        })
    });
    assert!(
        played
            .panic_message()
            .is_some_and(|m| m.contains("woke up to an empty queue")),
        "{played}"
    );
    assert_eq!(played.preemptions, 2, "{played}");
    let report = format!("{loom}\nThe same model and code, played on one schedule:\n{played}");
    println!("{report}");
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "04-locks-and-conditions/captured/replay-stolen-wake-up.txt",
        &report,
    );
}
// ANCHOR_END: two_preemptions

/// Where loom's search under bound 2 went instead: it does run an execution
/// that begins as the replay does (T1 waits, `main` pushes job 1, T2 takes it
/// and ends), but there its two preemptions are used up, and it goes on with
/// its default choice, `main` (the lowest-numbered thread that can go on),
/// which pushes job 2 before T1 looks.
#[test]
fn loom_bound_two_runs_main_where_the_stolen_wake_up_runs_t1() {
    let (_, runs) = Model::new()
        .preemption_bound(2)
        .check_and_keep_steps(|| two_consumers(JobQueue::pop_with_if));
    let events = |run: &[lab_support::trace::Step]| -> Vec<String> {
        run.iter()
            .map(|s| format!("{} {}", s.thread, s.event))
            .collect()
    };
    let beginning = [
        "T1 finds the queue empty; waits",
        "main pushes a job; 1 in the queue; notify_one",
        "T2 pops a job; 0 left",
    ];
    let next: Vec<String> = runs
        .iter()
        .map(|run| events(run))
        .filter(|e| e.starts_with(&beginning.map(String::from)))
        .map(|e| e[beginning.len()].clone())
        .collect();
    assert_eq!(
        next,
        ["main pushes a job; 1 in the queue; notify_one"],
        "after this beginning, loom's search under bound 2 should run main once, and T1 never"
    );
}
