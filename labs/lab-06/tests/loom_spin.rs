//! loom checks the spin locks of src/spin.rs, and (in exercise_6_1_spin_lock.rs)
//! the spin lock of exercise 6.1. Two threads, the model's own and one
//! spawned, each go through the lock once. loom checks the two things a lock
//! must give: one holder at a time (a counter of holders), and each holder's
//! accesses ordered after the previous holder's (loom's own check of every
//! access to an `UnsafeCell`).
//!
//! Two threads need no preemption bound: loom explores every execution it can
//! generate (within its memory model's limits). Spin locks stay at two threads:
//! with three, an execution makes more than loom's 1,000 branches
//! (`lab_support::model::MAX_BRANCHES`) and loom stops it (the last test of
//! this file shows it).

use std::sync::Arc;

use lab_support::capture;
use lab_support::model::{self, Failure, Model};
use lab_support::trace::Step;

use crate::spin::{CasLock, LoadThenStoreLock, RelaxedUnlockLock, SwapLock};
use crate::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::cell::UnsafeCell;
use crate::sync::{thread, trace};

/// What the models need of a lock that guards code.
pub(crate) trait RawLock: Default + Send + Sync + 'static {
    fn lock(&self);
    fn unlock(&self);
}

impl RawLock for LoadThenStoreLock {
    fn lock(&self) {
        LoadThenStoreLock::lock(self);
    }
    fn unlock(&self) {
        LoadThenStoreLock::unlock(self);
    }
}

impl RawLock for RelaxedUnlockLock {
    fn lock(&self) {
        RelaxedUnlockLock::lock(self);
    }
    fn unlock(&self) {
        RelaxedUnlockLock::unlock(self);
    }
}

impl RawLock for CasLock {
    fn lock(&self) {
        CasLock::lock(self);
    }
    fn unlock(&self) {
        CasLock::unlock(self);
    }
}

impl RawLock for SwapLock {
    fn lock(&self) {
        SwapLock::lock(self);
    }
    fn unlock(&self) {
        SwapLock::unlock(self);
    }
}

/// Counts a thread in and checks it is alone. `Relaxed` on purpose: a
/// read-modify-write reads the last value before its own write in the
/// counter's modification order, so two holders at once cannot both read 0
/// whatever the ordering, and `Relaxed` adds no happens-before edge that could
/// make up for one missing in the lock.
pub(crate) fn come_in(holders: &AtomicUsize) {
    let now = holders.fetch_add(1, Ordering::Relaxed) + 1;
    trace!("is inside; {now} holders");
    assert!(now <= 1, "{now} threads inside the lock at once");
}

/// Counts a thread out.
pub(crate) fn go_out(holders: &AtomicUsize) {
    holders.fetch_sub(1, Ordering::Relaxed);
}

// ANCHOR: one_at_a_time
/// Two threads each go through the lock once; a counter of holders must
/// never exceed 1. Nothing else is shared: this model checks mutual
/// exclusion only.
fn one_at_a_time<L: RawLock>() {
    let lock = Arc::new(L::default());
    let holders = Arc::new(AtomicUsize::new(0));
    let visit = move |lock: &L, holders: &AtomicUsize| {
        lock.lock();
        come_in(holders);
        go_out(holders);
        lock.unlock();
    };
    let other = {
        let (lock, holders) = (Arc::clone(&lock), Arc::clone(&holders));
        thread::spawn(move || visit(&lock, &holders))
    };
    visit(&lock, &holders);
    other.join().unwrap();
}
// ANCHOR_END: one_at_a_time

// ANCHOR: each_adds_one
/// A lock under test and the value it is meant to guard.
#[derive(Default)]
struct Guarded<L> {
    lock: L,
    holders: AtomicUsize,
    value: UnsafeCell<u64>,
}

// SAFETY: only if the lock under test works: `value` is touched only between
// `lock` and `unlock`. That is exactly what the model checks; loom reports
// any access to `value` that races with another.
unsafe impl<L: Sync> Sync for Guarded<L> {}

/// As `one_at_a_time`, and each thread also adds one to a plain `u64` in an
/// `UnsafeCell` while it holds the lock. loom checks every access to the
/// cell: one that is not ordered after the previous holder's write is a
/// "Causality violation".
fn each_adds_one<L: RawLock>() {
    let shared = Arc::new(Guarded::<L>::default());
    let visit = move |shared: &Guarded<L>| {
        shared.lock.lock();
        come_in(&shared.holders);
        // SAFETY: this thread holds the lock (if the lock works).
        shared.value.with_mut(|n| unsafe { *n += 1 });
        go_out(&shared.holders);
        shared.lock.unlock();
    };
    let other = {
        let shared = Arc::clone(&shared);
        thread::spawn(move || visit(&shared))
    };
    visit(&shared);
    other.join().unwrap();
    // SAFETY: both threads are joined.
    let total = shared.value.with(|n| unsafe { *n });
    assert_eq!(total, 2, "an addition was lost");
}
// ANCHOR_END: each_adds_one

// ANCHOR: wrong_tests
#[test]
fn loom_load_then_store_lets_two_in() {
    let failure = Model::new().find_violation(one_at_a_time::<LoadThenStoreLock>);
    assert!(
        failure.message.contains("inside the lock at once"),
        "{failure}"
    );
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "06-atomics-and-memory-ordering/captured/loom-load-then-store-lock.txt",
        &failure.to_string(),
    );
}

#[test]
fn loom_relaxed_unlock_is_a_causality_violation() {
    // Mutual exclusion holds: one holder at a time, in every execution loom
    // generates.
    let alone = Model::new().check(one_at_a_time::<RelaxedUnlockLock>);
    // But the second holder's access is not ordered after the first's.
    let failure = Model::new().find_violation(each_adds_one::<RelaxedUnlockLock>);
    assert!(failure.message.contains("Causality violation"), "{failure}");
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "06-atomics-and-memory-ordering/captured/loom-relaxed-unlock.txt",
        &format!(
            "one_at_a_time: {}.\n\
             each_adds_one: {failure}",
            alone
        ),
    );
}
// ANCHOR_END: wrong_tests

// ANCHOR: right_test
#[test]
fn loom_compare_exchange_lock_is_right() {
    let alone = Model::new().check(one_at_a_time::<CasLock>);
    let ordered = Model::new().check(each_adds_one::<CasLock>);
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "06-atomics-and-memory-ordering/captured/loom-cas-lock.txt",
        &format!(
            "one_at_a_time, 2 threads, no bound: {}.\n\
             each_adds_one, 2 threads, no bound: {}.\n",
            alone, ordered
        ),
    );
}
// ANCHOR_END: right_test

// ANCHOR: bound_test
/// Which preemption bounds find the look-then-lock bug. By hand it needs one
/// preemption (a thread stopped while it is inside, so that the other loads a
/// stale `false`), so bound 0 cannot find it.
#[test]
fn loom_bounds_that_find_load_then_store() {
    let search = model::search_bounds(&[Some(0), Some(1), None], "two holders", || {
        one_at_a_time::<LoadThenStoreLock>()
    });
    search.passed(Some(0));
    search.found(Some(1));
    search.found(None);
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "06-atomics-and-memory-ordering/captured/loom-load-then-store-bounds.txt",
        &search.to_string(),
    );
}
// ANCHOR_END: bound_test

// ANCHOR: swap_test
/// A limit of loom, not a bug of the lock: loom has no fairness. A thread
/// spinning on `swap(true)` writes `true` at every turn, and loom may order
/// each of those writes before the holder's `store(false)`, for ever: the
/// spinner never sees the lock free, and loom gives up. (The language allows
/// that order; real hardware makes the store visible soon.) Hence
/// `compare_exchange`, whose failures write nothing, in the lab's locks.
#[test]
fn loom_a_swap_loop_never_lets_go() {
    let failure = Model::new().find_violation(one_at_a_time::<SwapLock>);
    assert!(
        failure.message.contains("maximum number of branches"),
        "{failure}"
    );
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "06-atomics-and-memory-ordering/captured/loom-swap-loop.txt",
        &first_steps_then_repeats(&failure, 6),
    );
}
// ANCHOR_END: swap_test

/// The failing execution, with its first `shown` steps listed; then the run
/// of one step repeated (by one thread, or by several threads taking turns)
/// counted instead of listed; then the steps after that run, if any.
fn first_steps_then_repeats(failure: &Failure, shown: usize) -> String {
    let line =
        |i: usize, step: &Step| format!("  {:>3}. {:<4}  {}\n", i + 1, step.thread, step.event);
    let mut text = format!("In execution number {} of the search:\n", failure.execution);
    let shown = shown.min(failure.steps.len());
    for (i, step) in failure.steps.iter().enumerate().take(shown) {
        text += &line(i, step);
    }
    let rest = &failure.steps[shown..];
    if let Some(first) = rest.first() {
        // The threads taking turns: those of the run's first steps, up to
        // the first thread that comes back.
        let mut turns: Vec<&str> = Vec::new();
        for step in rest.iter().take_while(|s| s.event == first.event) {
            if turns.contains(&step.thread.as_str()) {
                break;
            }
            turns.push(&step.thread);
        }
        let run = rest
            .iter()
            .enumerate()
            .take_while(|(i, s)| s.event == first.event && s.thread == turns[i % turns.len()])
            .count();
        text += &if let [thread] = turns[..] {
            format!("  … and {run} more times: {thread:<4}  {}\n", first.event)
        } else {
            format!(
                "  … and {run} more steps, {} taking turns: {}\n",
                turns.join(" and "),
                first.event
            )
        };
        for (i, step) in rest.iter().enumerate().skip(run) {
            text += &line(shown + i, step);
        }
    }
    text += &format!(
        "Then loom stopped:\n  {}\n",
        failure.message.lines().next().unwrap_or_default()
    );
    text
}

/// The same limit with three threads, even with the `compare_exchange` lock:
/// two threads spin while the third holds the lock, and loom explores
/// schedules in which each `spin_loop` hands the turn to the other spinner,
/// not to the holder, for longer and longer. No fairness stops that; loom's
/// limit on branches per execution does (the captured trace shows one such
/// execution). So the lab's spin-lock models stay at two threads.
#[test]
fn loom_three_spinning_threads_exceed_the_branch_limit() {
    let failure = Model::new().preemption_bound(2).find_violation(|| {
        let lock = Arc::new(CasLock::default());
        let others: Vec<_> = (0..2)
            .map(|_| {
                let lock = Arc::clone(&lock);
                thread::spawn(move || {
                    lock.lock();
                    lock.unlock();
                })
            })
            .collect();
        lock.lock();
        lock.unlock();
        for t in others {
            t.join().unwrap();
        }
    });
    assert!(
        failure.message.contains("maximum number of branches"),
        "{failure}"
    );
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "06-atomics-and-memory-ordering/captured/loom-three-spinners.txt",
        &format!(
            "3 threads, preemption bound 2.\n{}",
            first_steps_then_repeats(&failure, 5)
        ),
    );
}
