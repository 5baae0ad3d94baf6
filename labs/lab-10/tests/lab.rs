//! Every test of lab 10, in one test binary, so that `cargo test -p lab-10`
//! runs all of them and lists every open exercise, even when one fails.
//!
//! Tests named `shuttle_…` run shuttle's models of the lab's async code;
//! `threads_…` run the lab's code on real tokio runtimes (most on one
//! thread with paused time) under the watchdog; `does_not_compile_…` and
//! `clippy_…` check what the compiler and clippy say about the fixture crate
//! in fixtures/held-guard; `exercise_…` check your exercise files.

mod shuttle_models;

/// A current-thread runtime with paused time: its clock stands still and
/// jumps to the next timer only when every task is waiting, so a test's
/// timeouts and deadlines come out the same on every run, however loaded the
/// machine (tokio's `Builder::start_paused`, feature `test-util`).
fn paused() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .unwrap()
}

/// Runs `f` on a [`paused`] runtime, under the watchdog.
fn on_paused_time<F, T>(f: impl FnOnce() -> F + Send + 'static) -> T
where
    F: Future<Output = T>,
    T: Send + 'static,
{
    lab_support::watchdog::watchdog(move || paused().block_on(f()))
}

mod exercise_10_1_service;
mod exercise_10_2_graceful;
mod threads_blocking;
mod threads_coordination;
mod threads_held_guard;
mod threads_shutdown;
