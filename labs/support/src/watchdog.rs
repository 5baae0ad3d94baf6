//! A watchdog for tests on real threads: code that deadlocks or loops forever
//! fails within seconds, with a message that says so, instead of hanging the run.
//!
//! The test body runs on a thread of its own while the test's thread waits for
//! it with a time limit. If the limit passes, the test fails; the stuck thread is
//! left behind (Rust cannot kill a thread) and ends with the test process.
//! The limit is a safety net, never a measurement: a correct test finishes in a
//! small fraction of it, and no test asserts how long anything took.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// How the watchdog's message begins when a test ran out of time.
pub const HANG_MARK: &str = "watchdog: `";

/// How long a watched test may run: 10 s, or `LAB_WATCHDOG_SECS` if set.
pub fn limit() -> Duration {
    let secs = std::env::var("LAB_WATCHDOG_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    Duration::from_secs(secs)
}

thread_local! {
    /// True on a thread that a watchdog is watching: a watchdog inside it
    /// (a watched test that calls `watchdog` again) adds nothing, and runs its
    /// body in place.
    static WATCHED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `body` on its own thread and returns what it returns; panics (failing
/// the test) if it panics, or if it has not finished within [`limit`].
#[track_caller]
pub fn watchdog<T, F>(body: F) -> T
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    watchdog_with_limit(limit(), body)
}

/// [`watchdog`] with a limit of your choice.
#[track_caller]
pub fn watchdog_with_limit<T, F>(limit: Duration, body: F) -> T
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    if WATCHED.with(std::cell::Cell::get) {
        return body();
    }
    crate::install_panic_hook();
    let test = thread::current().name().unwrap_or("this test").to_owned();
    let (done, finished) = mpsc::channel();
    let worker = thread::Builder::new()
        .name(format!("{test} (watched)"))
        .spawn(move || {
            WATCHED.with(|w| w.set(true));
            let _ = done.send(body());
        })
        .expect("the watchdog could not start a thread");
    match finished.recv_timeout(limit) {
        Ok(value) => {
            let _ = worker.join();
            value
        }
        // The body panicked: its sender was dropped without sending.
        Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(payload) => std::panic::resume_unwind(payload),
            Ok(()) => unreachable!("the body returned without sending its result"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "{HANG_MARK}{test}` did not finish within {} s. It looks like a deadlock \
             (threads waiting for each other forever) or an endless loop; in a loom \
             test, it can also be a model too big to explore (more threads, or no \
             preemption bound). If a thread of the test panicked first, its message is \
             printed above this one: a panic can leave the other threads waiting for ever. \
             (Set LAB_WATCHDOG_SECS to allow longer on a very slow machine.)",
            limit.as_secs_f64()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::{watchdog, watchdog_with_limit};
    use std::time::Duration;

    /// A watchdog inside a watched test runs its body in place: one watched
    /// thread, one name, one message if it fires.
    #[test]
    fn a_watchdog_inside_a_watched_body_runs_in_place() {
        let names = watchdog(|| {
            let outer = std::thread::current().name().map(str::to_owned);
            let inner = watchdog(|| std::thread::current().name().map(str::to_owned));
            (outer, inner)
        });
        assert_eq!(names.0, names.1);
        assert!(
            names
                .0
                .as_deref()
                .is_some_and(|n| n.ends_with(" (watched)") && !n.ends_with("(watched) (watched)")),
            "{names:?}"
        );
    }

    #[test]
    fn the_watchdog_passes_on_a_panic_of_the_body() {
        let outcome = std::panic::catch_unwind(|| {
            watchdog_with_limit(Duration::from_secs(10), || panic!("the body's own panic"))
        });
        let message = crate::panic_message(&*outcome.expect_err("the body panicked"));
        assert_eq!(message, "the body's own panic");
    }
}
