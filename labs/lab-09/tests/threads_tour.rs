//! The tour of tokio's tools (src/tour.rs), each function run on a
//! current-thread runtime whose clock is paused: tokio's clock jumps to the
//! next timer whenever every task is waiting, so the times in each log are
//! the same on every run, whatever the machine's load. Nothing here does
//! real I/O, which is what makes the jumps sound (tokio issue 4522: with
//! real sockets, a jump can fire a timeout before data that is on its way).

use std::future::Future;

use lab_09::tour::{self, Log};
use lab_support::capture;
use lab_support::watchdog::watchdog;

// ANCHOR: paused
/// Runs `body` on a current-thread runtime with its clock paused, under the
/// watchdog, and returns what it logged.
fn paused<F, Fut>(body: F) -> Vec<String>
where
    F: FnOnce(Log) -> Fut + Send + 'static,
    Fut: Future<Output = ()>,
{
    watchdog(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build()
            .unwrap();
        runtime.block_on(async {
            let log = Log::new();
            body(log.clone()).await;
            log.lines()
        })
    })
}
// ANCHOR_END: paused

/// Checks the log against the book's copy, and returns it.
fn captured(name: &str, lines: Vec<String>) -> Vec<String> {
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        &format!("09-async-concurrency/captured/tokio-{name}.txt"),
        &text,
    );
    lines
}

fn strip(lines: &[String]) -> Vec<&str> {
    lines.iter().map(|l| l.as_str()).collect()
}

#[test]
fn threads_tour_current_thread_runs_every_task_on_the_calling_thread() {
    watchdog(|| {
        let (current, multi) = tour::runtimes().unwrap();
        let me = std::thread::current().name().unwrap().to_owned();
        let on_current = tour::where_tasks_run(&current, 8);
        assert!(on_current.iter().all(|name| *name == me), "{on_current:?}");
        let on_multi = tour::where_tasks_run(&multi, 8);
        assert!(
            on_multi.iter().all(|name| name == "tour-worker"),
            "{on_multi:?}"
        );
        let text = format!(
            "current-thread runtime: 8 tasks, each ran on the thread that called block_on: {}\n\
             multi-thread runtime:   8 tasks, each ran on a thread named {:?}: {}\n",
            on_current.iter().all(|name| *name == me),
            "tour-worker",
            on_multi.iter().all(|name| name == "tour-worker"),
        );
        capture::check(
            env!("CARGO_MANIFEST_DIR"),
            "09-async-concurrency/captured/tokio-runtimes.txt",
            &text,
        );
    });
}

#[test]
fn threads_tour_a_panic_in_a_task_becomes_a_join_error() {
    let log = captured("spawn", paused(tour::spawn_and_join));
    assert_eq!(
        strip(&log),
        [
            "    0 ms  good task returned 42",
            "    0 ms  bad task panicked: its JoinError says is_panic()",
            "    0 ms  the runtime, and this task, go on",
        ]
    );
}

#[test]
fn threads_tour_a_future_not_awaited_does_nothing() {
    let log = captured("not-awaited", paused(tour::not_awaited));
    assert_eq!(
        strip(&log),
        ["  200 ms  200 ms later, and nothing else was logged"]
    );
}

#[test]
fn threads_tour_a_dropped_handle_detaches_and_abort_cancels() {
    let log = captured("detach", paused(tour::drop_or_abort));
    assert_eq!(
        strip(&log),
        [
            "   50 ms  aborted task dropped before it finished",
            "   50 ms  aborted task: its JoinError says is_cancelled()",
            "  100 ms  task whose handle was dropped done",
            "  250 ms  200 ms later",
        ]
    );
}

#[test]
fn threads_tour_join_waits_for_the_longest_not_the_sum() {
    let log = captured("join", paused(tour::one_after_the_other_then_join));
    assert_eq!(
        strip(&log),
        [
            "  100 ms  a done",
            "  300 ms  b done",
            "  300 ms  one after the other: both done",
            "  400 ms  c done",
            "  500 ms  d done",
            "  500 ms  join!: both done, returned (c, d)",
        ]
    );
}

#[test]
fn threads_tour_try_join_returns_the_first_error_and_drops_the_rest() {
    let log = captured("try-join", paused(tour::try_join_first_error));
    assert_eq!(
        strip(&log),
        [
            "  100 ms  a done",
            "  200 ms  b fails",
            "  200 ms  c dropped before it finished",
            "  200 ms  try_join! returned Err(\"b failed\")",
        ]
    );
}

#[test]
fn threads_tour_join_set_returns_results_in_completion_order() {
    let log = captured("join-set", paused(tour::join_set_in_completion_order));
    assert_eq!(
        strip(&log),
        [
            "  100 ms  fast done",
            "  100 ms  join_next returned fast",
            "  200 ms  middle done",
            "  200 ms  join_next returned middle",
            "  300 ms  slow done",
            "  300 ms  join_next returned slow",
        ]
    );
}

#[test]
fn threads_tour_select_takes_the_first_and_drops_the_other() {
    let log = captured("select", paused(tour::select_first_wins));
    assert_eq!(
        strip(&log),
        [
            "  100 ms  short done",
            "  100 ms  long dropped before it finished",
            "  100 ms  select! returned short",
            "  600 ms  500 ms later, and long never finished",
        ]
    );
}

#[test]
fn threads_tour_timeout_drops_a_slow_future_at_the_limit() {
    let log = captured("timeout", paused(tour::time_limits));
    assert_eq!(
        strip(&log),
        [
            " 1000 ms  slow dropped before it finished",
            " 1000 ms  slow: timeout returned Err(deadline has elapsed)",
            " 1200 ms  quick done",
            " 1200 ms  timeout returned Ok(quick)",
        ]
    );
}

#[test]
fn threads_tour_buffer_unordered_keeps_two_running_and_yields_as_they_finish() {
    let log = captured("buffer-unordered", paused(tour::a_few_at_a_time));
    assert_eq!(
        strip(&log),
        [
            "    0 ms  a starts",
            "    0 ms  b starts",
            "  100 ms  b done",
            "  100 ms  c starts",
            "  200 ms  c done",
            "  200 ms  d starts",
            "  300 ms  a done",
            "  300 ms  e starts",
            "  350 ms  e done",
            "  400 ms  d done",
            "  400 ms  buffer_unordered(2) yielded [\"b\", \"c\", \"a\", \"e\", \"d\"]",
        ]
    );
}

#[test]
fn threads_tour_a_semaphore_of_two_lets_two_run_and_join_all_keeps_the_order() {
    let log = captured("semaphore", paused(tour::two_permits));
    assert_eq!(
        strip(&log),
        [
            "    0 ms  a has a permit",
            "    0 ms  b has a permit",
            "  100 ms  b done",
            "  100 ms  c has a permit",
            "  200 ms  c done",
            "  200 ms  d has a permit",
            "  300 ms  a done",
            "  300 ms  e has a permit",
            "  350 ms  e done",
            "  400 ms  d done",
            "  400 ms  join_all returned [\"a\", \"b\", \"c\", \"d\", \"e\"]",
        ]
    );
}
