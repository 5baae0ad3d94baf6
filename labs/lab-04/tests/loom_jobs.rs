//! loom checks the job queue of src/jobs.rs with two competing consumers:
//! `pop_with_if` can wake up to an empty queue; `pop` never does.
//!
//! loom's `Condvar` never wakes spuriously (chapter 3, "What loom explores"),
//! so the `if` is caught only because a second consumer can steal the job
//! between the notification and the woken consumer's return. The model has
//! three threads and so a preemption bound; a test below shows it finds the bug.

// std's Arc, not loom's: a broken queue may deadlock, and a deadlock found
// while a loom Arc is alive aborts the test process (loom issue 291).
use std::sync::Arc;

use lab_support::capture;
use lab_support::model::Model;

use crate::jobs::JobQueue;
use crate::sync::thread;

/// The bound of every model in this file.
const BOUND: usize = 3;

// ANCHOR: model
/// Two consumers each pop one job; the model's own thread pushes two.
/// Each job must reach exactly one consumer.
fn two_consumers(pop: fn(&JobQueue<u32>) -> u32) {
    let queue = Arc::new(JobQueue::new());
    let consumers: Vec<_> = (0..2)
        .map(|_| {
            let queue = Arc::clone(&queue);
            thread::spawn(move || pop(&queue))
        })
        .collect();
    queue.push(1);
    queue.push(2);
    let mut got: Vec<u32> = consumers.into_iter().map(|c| c.join().unwrap()).collect();
    got.sort_unstable();
    assert_eq!(got, [1, 2], "each job reaches exactly one consumer");
}
// ANCHOR_END: model

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
/// The stolen wake-up needs three preemptions (the model's own thread must be
/// stopped so that a consumer waits first, and again so that the other
/// consumer takes the job before the woken one gets the lock back). A bound of
/// 2 misses it; the bound of this file finds it.
#[test]
fn loom_the_bound_used_still_finds_the_stolen_wake_up() {
    let two = Model::new()
        .preemption_bound(2)
        .check(|| two_consumers(JobQueue::pop_with_if));
    let three = Model::new()
        .preemption_bound(BOUND)
        .find_violation(|| two_consumers(JobQueue::pop_with_if));
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "04-locks-and-conditions/captured/loom-pop-with-if-bounds.txt",
        &format!(
            "preemption bound 2: {}.\n\
             preemption bound {BOUND}: loom found the stolen wake-up in execution number {}.\n",
            two, three.execution
        ),
    );
}
// ANCHOR_END: bound_test
