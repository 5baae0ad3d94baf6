//! Blocking the runtime (src/blocking.rs), on real tokio runtimes, under the
//! watchdog.

use super::paused;
use std::time::Duration;

use lab_10::blocking::{self, Wait};
use lab_support::capture;
use lab_support::watchdog::{watchdog, watchdog_with_limit};

// ANCHOR: inline_test
/// The blocking `recv` inside a task never returns: the answer can only come
/// from another task of the same one-thread runtime. The watchdog stops the
/// test after a short limit (the limit only decides when to stop looking:
/// the handshake can never finish, however long it is given) and says what
/// it saw. The stuck thread stays blocked until the test process ends.
#[test]
fn threads_a_blocking_recv_in_a_task_hangs_the_runtime() {
    let outcome = std::panic::catch_unwind(|| {
        watchdog_with_limit(Duration::from_millis(500), blocking::handshake_inline)
    });
    let message = lab_support::panic_message(&*outcome.expect_err("it never returns"));
    assert!(message.contains("did not finish within"), "{message}");
    let shown = message.replace(
        "threads_blocking::threads_a_blocking_recv_in_a_task_hangs_the_runtime",
        "the inline handshake's test",
    );
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "10-async-pitfalls/captured/blocking-inline.txt",
        &format!(
            "{shown}\n\nWhat happened: the asker sent its question and called the blocking \
             `recv` inside its task. The runtime has one thread, and `recv` keeps it, so the \
             answerer's task is never polled and the answer never comes.\n"
        ),
    );
}
// ANCHOR_END: inline_test

// ANCHOR: right_tests
#[test]
fn threads_spawn_blocking_frees_the_runtime_for_the_answer() {
    assert_eq!(watchdog(blocking::handshake_spawn_blocking), 42);
}

#[test]
fn threads_block_in_place_hands_the_other_tasks_to_another_thread() {
    assert_eq!(watchdog(blocking::handshake_block_in_place), 42);
}
// ANCHOR_END: right_tests

// ANCHOR: sleepers_tests
/// `std::thread::sleep` keeps the runtime's thread: each task runs from its
/// start to its end before the next one starts. (The runtime's clock is
/// paused, as in the next test, but std's sleep knows nothing of it: each
/// sleep is real, 1 ms. The test counts, it does not time.)
#[test]
fn threads_std_sleep_in_tasks_runs_them_one_at_a_time() {
    let most = watchdog(|| {
        paused().block_on(blocking::sleepers(
            5,
            Duration::from_millis(1),
            Wait::Blocking,
        ))
    });
    assert_eq!(most, 1, "at most one task was in progress at once");
}

/// tokio's `sleep` yields: all five tasks are in progress at once. On paused
/// time the sleep costs no real time at all.
#[test]
fn threads_tokio_sleep_in_tasks_lets_them_wait_together() {
    let most =
        watchdog(|| paused().block_on(blocking::sleepers(5, Duration::from_secs(10), Wait::Async)));
    assert_eq!(most, 5, "all five tasks were in progress at once");
}
// ANCHOR_END: sleepers_tests
