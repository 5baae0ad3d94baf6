//! loom checks the two try-only semaphores of src/atomic.rs with one permit and
//! three threads: check-then-take lets two holders in; with compare-exchange,
//! every execution loom explores under the bound of this file passes.
//!
//! Three threads need a preemption bound (chapter 3, "The preemption bound");
//! a test below shows that the bound used finds the bug and a bound of 1 does
//! not.

use std::sync::Arc;

use lab_support::capture;
use lab_support::model::{self, Model};

use crate::atomic::{CheckThenTake, CompareExchange};
use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::{thread, trace};

/// The bound of every model in this file.
const BOUND: usize = 2;

/// What the model needs of a semaphore.
pub(crate) trait Sem: Send + Sync + 'static {
    fn with_permits(permits: usize) -> Self;
    fn try_enter(&self) -> bool;
    fn leave(&self);
}

impl Sem for CheckThenTake {
    fn with_permits(permits: usize) -> Self {
        CheckThenTake::new(permits)
    }
    fn try_enter(&self) -> bool {
        self.try_acquire()
    }
    fn leave(&self) {
        self.release();
    }
}

impl Sem for CompareExchange {
    fn with_permits(permits: usize) -> Self {
        CompareExchange::new(permits)
    }
    fn try_enter(&self) -> bool {
        self.try_acquire()
    }
    fn leave(&self) {
        self.release();
    }
}

// ANCHOR: model
/// One permit, three threads (two spawned and the model's own), each trying
/// once to take it. A thread that gets it counts itself in a shared counter of
/// holders right after `try_enter`, and out right before `leave`; the counter
/// must never exceed 1.
fn three_threads_one_permit<S: Sem>() {
    let semaphore = Arc::new(S::with_permits(1));
    let holders = Arc::new(AtomicUsize::new(0));
    let visit = move |semaphore: &S, holders: &AtomicUsize| {
        if !semaphore.try_enter() {
            return;
        }
        let now = holders.fetch_add(1, Ordering::SeqCst) + 1;
        trace!("is inside; {now} holders");
        assert!(
            now <= 1,
            "{now} holders at once; the semaphore has 1 permit"
        );
        holders.fetch_sub(1, Ordering::SeqCst);
        semaphore.leave();
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
}
// ANCHOR_END: model

// ANCHOR: wrong_test
#[test]
fn loom_check_then_take_lets_two_holders_in() {
    let failure = Model::new()
        .preemption_bound(BOUND)
        .find_violation(three_threads_one_permit::<CheckThenTake>);
    assert!(failure.message.contains("holders at once"), "{failure}");
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "05-semaphores/captured/loom-check-then-take.txt",
        &failure.to_string(),
    );
}
// ANCHOR_END: wrong_test

// ANCHOR: bound_test
/// By hand, the bug needs two preemptions: one thread stopped between its
/// check and its take, and the other stopped while it is inside, holding the
/// permit. So no search under bound 1 can find it; under bound 2, loom does.
#[test]
fn loom_bound_two_finds_check_then_take_bound_one_cannot() {
    let search = model::search_bounds(&[Some(1), Some(BOUND)], "two holders", || {
        three_threads_one_permit::<CheckThenTake>()
    });
    search.passed(Some(1));
    search.found(Some(BOUND));
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "05-semaphores/captured/loom-check-then-take-bounds.txt",
        &search.to_string(),
    );
}
// ANCHOR_END: bound_test

// ANCHOR: right_test
#[test]
fn loom_compare_exchange_never_lets_two_in() {
    let explored = Model::new()
        .preemption_bound(BOUND)
        .check(three_threads_one_permit::<CompareExchange>);
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "05-semaphores/captured/loom-compare-exchange.txt",
        &format!("preemption bound {BOUND}: {}.\n", explored),
    );
}
// ANCHOR_END: right_test
