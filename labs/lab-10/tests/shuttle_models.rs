//! The four shuttle models of chapter 10 ("Async bugs under shuttle"): for
//! each pitfall, shuttle finds a failing schedule of the tempting version
//! and passes the fix.
//!
//! The lab's four model files are compiled here a second time, with
//! `super::rt` set to shuttle's tokio (the `shuttle_tokio` crate, a
//! dev-dependency with its `shuttle` feature on) and `super::trace` set to
//! lab-support's `trace_shuttle!`, which records a step of the shuttle task
//! that runs it. In the lab's own build, `rt` is real tokio and `trace!` does
//! nothing (see src/lib.rs). `shuttle_tokio` is a crate of its own, whatever
//! its features, so real tokio is the same crate, with the same features, in
//! both builds.
//!
//! Every search is shuttle's depth-first search with no bound
//! (`lab_support::shuttle_model::Model::dfs`): a pass means that every
//! schedule of the model passed, for the model's fixed inputs, with no time,
//! no real I/O and one task running at a time. Each tempting model's failing
//! schedule is printed step by step, kept in the book (captured/shuttle-*.txt),
//! and replayed from shuttle's encoding of it to show that it reproduces.
//!
//! To play one schedule yourself, on the shuttle build of a model: run that
//! model's test with `LAB_REPLAY` set to shuttle's encoding, as a failure
//! prints it, for example
//! `LAB_REPLAY=910104f8acd1910120 cargo test -p lab-10
//! shuttle_notify_waiters_before -- --nocapture`. The test then plays that one
//! schedule instead of searching, prints its steps and how it ended, and
//! checks nothing else (no captured file). Name one test: every `shuttle_…`
//! test that runs plays the schedule on its own model. A plain
//! `cargo test -p lab-10` has no `LAB_REPLAY` and searches.

use lab_support::capture;
use lab_support::shuttle_model::{self, Failure, Model};

// ANCHOR: facade
// The facade, shuttle's face: see the module docs.
use lab_support::trace_shuttle as trace;
use shuttle_tokio as rt;

#[allow(dead_code)]
#[path = "../src/cancel.rs"]
mod cancel;
#[allow(dead_code)]
#[path = "../src/check_then_act.rs"]
mod check_then_act;
#[allow(dead_code)]
#[path = "../src/futurelock.rs"]
mod futurelock;
#[allow(dead_code)]
#[path = "../src/notify.rs"]
mod notify;
// ANCHOR_END: facade

/// The schedule to play instead of searching: `LAB_REPLAY`, if it is set
/// and not empty (see the module docs).
fn replay_request() -> Option<String> {
    std::env::var("LAB_REPLAY")
        .ok()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

/// Plays `schedule` once on `body` and prints its steps and how it ended;
/// returns the failure, if it failed.
fn replay_and_print<F>(schedule: &str, body: F) -> Option<Failure>
where
    F: Fn() + Send + Sync + 'static,
{
    match Model::replay(schedule, body) {
        Ok(steps) => {
            println!(
                "shuttle replayed the schedule it was given, and it passed.\n\
                 The execution, step by step:\n{}",
                shuttle_model::render_steps(&steps)
            );
            None
        }
        Err(failure) => {
            println!("{failure}");
            Some(failure)
        }
    }
}

/// Finds the failing schedule of the tempting model `body`, checks that
/// shuttle's encoding of it replays the same steps to the same end, and
/// keeps its account in `book_file`, under a line that says how to rerun it
/// and followed by one that says how to replay it. With `LAB_REPLAY` set, it
/// plays that schedule instead and returns its failure.
fn finds<F>(test: &str, book_file: &str, body: F) -> Failure
where
    F: Fn() + Send + Sync + Clone + 'static,
{
    if let Some(schedule) = replay_request() {
        return replay_and_print(&schedule, body)
            .unwrap_or_else(|| panic!("the schedule {schedule} passed on this model"));
    }
    let failure = Model::dfs().find_failure(body.clone());
    let replayed = Model::replay(&failure.schedule, body)
        .expect_err("the failing schedule passed when replayed");
    assert_eq!(
        (&replayed.steps, &replayed.message),
        (&failure.steps, &failure.message),
        "the replay of the failing schedule took other steps"
    );
    let text = format!(
        "$ cargo test -p lab-10 {test} -- --nocapture\n{failure}\
         To play it again: LAB_REPLAY={} cargo test -p lab-10 {test} -- --nocapture\n",
        failure.schedule
    );
    capture::check(env!("CARGO_MANIFEST_DIR"), book_file, &text);
    failure
}

/// Checks the fixed model `body` over every schedule, and keeps the verdict
/// in `book_file`, after `what` (what the model checks). With `LAB_REPLAY`
/// set, it plays that schedule instead, and fails if it fails.
fn passes<F>(what: &str, book_file: &str, body: F)
where
    F: Fn() + Send + Sync + 'static,
{
    if let Some(schedule) = replay_request() {
        if let Some(failure) = replay_and_print(&schedule, body) {
            panic!("{failure}");
        }
        return;
    }
    let explored = Model::dfs().check(body);
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        book_file,
        &format!("{what}: {explored}.\n"),
    );
}

// --- A lost wake-up with Notify --------------------------------------------

// ANCHOR: notify_tests

#[test]
fn shuttle_notify_waiters_before_the_waiter_registers_loses_the_wake_up() {
    let failure = finds(
        "shuttle_notify_waiters_before_the_waiter_registers_loses_the_wake_up",
        "10-async-pitfalls/captured/shuttle-notify.txt",
        || {
            shuttle::future::block_on(notify::one_setter_one_waiter(
                notify::Version::NotifyWaiters,
            ))
        },
    );
    assert!(failure.is_deadlock(), "{failure}");
}

#[test]
fn shuttle_notify_one_leaves_a_permit_for_a_late_waiter() {
    passes(
        "notify_one, the waiter looks then waits",
        "10-async-pitfalls/captured/shuttle-notify-one.txt",
        || shuttle::future::block_on(notify::one_setter_one_waiter(notify::Version::NotifyOne)),
    );
}

#[test]
fn shuttle_a_notified_enabled_before_the_check_misses_no_notify_waiters() {
    passes(
        "notify_waiters, the waiter registers then looks",
        "10-async-pitfalls/captured/shuttle-notify-enable.txt",
        || shuttle::future::block_on(notify::one_setter_one_waiter(notify::Version::EnableFirst)),
    );
}

// ANCHOR_END: notify_tests

// --- Cancellation losing a message -----------------------------------------

#[test]
fn shuttle_a_select_branch_that_reads_both_halves_tears_a_message() {
    let failure = finds(
        "shuttle_a_select_branch_that_reads_both_halves_tears_a_message",
        "10-async-pitfalls/captured/shuttle-cancel.txt",
        || {
            shuttle::future::block_on(cancel::a_message_and_a_status_request(
                cancel::Version::WholeMessageInTheBranch,
            ))
        },
    );
    assert!(
        failure.message.contains("a message was torn or lost"),
        "{failure}"
    );
}

#[test]
fn shuttle_a_select_branch_that_reads_one_half_loses_nothing() {
    passes(
        "one recv per round, the first half kept outside the select!",
        "10-async-pitfalls/captured/shuttle-cancel-right.txt",
        || {
            shuttle::future::block_on(cancel::a_message_and_a_status_request(
                cancel::Version::OneHalfPerBranch,
            ))
        },
    );
}

// --- Check-then-act across an await ---------------------------------------

#[test]
fn shuttle_unlocking_between_the_check_and_the_withdrawal_overdraws() {
    let failure = finds(
        "shuttle_unlocking_between_the_check_and_the_withdrawal_overdraws",
        "10-async-pitfalls/captured/shuttle-check-then-act.txt",
        || {
            shuttle::future::block_on(check_then_act::two_withdrawals(
                check_then_act::Version::UnlockBeforeTheAwait,
            ))
        },
    );
    assert!(
        failure.message.contains("the account is overdrawn"),
        "{failure}"
    );
}

#[test]
fn shuttle_holding_the_guard_across_the_await_never_overdraws() {
    passes(
        "one guard from the check to the withdrawal",
        "10-async-pitfalls/captured/shuttle-check-then-act-right.txt",
        || {
            shuttle::future::block_on(check_then_act::two_withdrawals(
                check_then_act::Version::GuardAcrossTheAwait,
            ))
        },
    );
}

// --- A futurelock ------------------------------------------------------------

#[test]
fn shuttle_a_pinned_lock_future_polled_by_reference_in_select_is_a_futurelock() {
    let failure = finds(
        "shuttle_a_pinned_lock_future_polled_by_reference_in_select_is_a_futurelock",
        "10-async-pitfalls/captured/shuttle-futurelock.txt",
        || {
            shuttle::future::block_on(futurelock::save_while_reporting(
                futurelock::Version::PinnedSaveAcrossRounds,
            ))
        },
    );
    assert!(failure.is_deadlock(), "{failure}");
}

#[test]
fn shuttle_a_lock_future_created_in_the_select_is_dropped_and_never_futurelocks() {
    passes(
        "a new save in each round of the select!",
        "10-async-pitfalls/captured/shuttle-futurelock-right.txt",
        || {
            shuttle::future::block_on(futurelock::save_while_reporting(
                futurelock::Version::SaveCreatedInTheSelect,
            ))
        },
    );
}

// --- The same files on real tokio ------------------------------------------

/// Runs `model` to its end on a current-thread runtime with paused time, and
/// on a multi-thread runtime with two workers, under the watchdog.
fn on_real_tokio<F>(model: impl Fn() -> F + Send + 'static)
where
    F: std::future::Future<Output = ()>,
{
    lab_support::watchdog::watchdog(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build()
            .expect("a current-thread runtime")
            .block_on(model());
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a multi-thread runtime")
            .block_on(model());
    });
}

/// The fixed models, compiled in the lab's own build (`lab_10::…`, where
/// `rt` is real tokio), run on real runtimes: one run each, which shows that
/// the same files work there, and checks nothing about other schedules.
#[test]
fn threads_the_fixed_models_run_on_real_tokio() {
    use lab_10::{cancel, check_then_act, futurelock, notify};
    on_real_tokio(|| notify::one_setter_one_waiter(notify::Version::NotifyOne));
    on_real_tokio(|| notify::one_setter_one_waiter(notify::Version::EnableFirst));
    on_real_tokio(|| cancel::a_message_and_a_status_request(cancel::Version::OneHalfPerBranch));
    on_real_tokio(|| check_then_act::two_withdrawals(check_then_act::Version::GuardAcrossTheAwait));
    on_real_tokio(|| futurelock::save_while_reporting(futurelock::Version::SaveCreatedInTheSelect));
}
