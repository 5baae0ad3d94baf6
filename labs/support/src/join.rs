//! Joining worker threads so that a failing test reports the panic that came
//! first.
//!
//! When one worker of a test panics while it holds a lock, the lock is
//! poisoned, and the other workers' `lock().unwrap()` panic too. Joining them
//! one by one with `join().unwrap()` then reports whichever the test joins
//! first, often a `PoisonError`, and always as `Any { .. }`, the payload's
//! `Debug`. [`join_all`] joins every worker and, if any panicked, panics with
//! the message of the worker whose panic began first.
//!
//! The order comes from the panic hook that this crate wraps (see
//! `crate::quietly`): it notes, for every panicking thread, when its panic
//! began. The watchdog and the exercise checks install it before a test runs.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::{JoinHandle, ScopedJoinHandle, ThreadId};

use crate::panic_message;

/// The threads that panicked, with the order in which their panics began.
/// Bounded, so that a long test run does not grow it for ever.
static PANICKED: Mutex<Vec<(ThreadId, u64)>> = Mutex::new(Vec::new());
static NEXT: AtomicU64 = AtomicU64::new(0);
const KEPT: usize = 4096;

/// Called by the panic hook, on the panicking thread.
pub(crate) fn note_panic() {
    let seq = NEXT.fetch_add(1, Ordering::Relaxed);
    let id = std::thread::current().id();
    let mut panicked = PANICKED.lock().unwrap_or_else(|e| e.into_inner());
    if panicked.len() >= KEPT {
        panicked.drain(..KEPT / 2);
    }
    panicked.push((id, seq));
}

/// When thread `id`'s (latest) panic began, if the hook saw it.
fn panic_order(id: ThreadId) -> Option<u64> {
    let panicked = PANICKED.lock().unwrap_or_else(|e| e.into_inner());
    panicked
        .iter()
        .rev()
        .find(|(t, _)| *t == id)
        .map(|&(_, seq)| seq)
}

/// A handle [`join_all`] can join: std's `JoinHandle` and `ScopedJoinHandle`.
pub trait Worker<T> {
    /// The thread's id, known before it is joined.
    fn thread_id(&self) -> ThreadId;
    /// `join()`.
    fn join_worker(self) -> std::thread::Result<T>;
}

impl<T> Worker<T> for JoinHandle<T> {
    fn thread_id(&self) -> ThreadId {
        self.thread().id()
    }
    fn join_worker(self) -> std::thread::Result<T> {
        self.join()
    }
}

impl<T> Worker<T> for ScopedJoinHandle<'_, T> {
    fn thread_id(&self) -> ThreadId {
        self.thread().id()
    }
    fn join_worker(self) -> std::thread::Result<T> {
        self.join()
    }
}

/// Joins every worker, in order, and returns their values. If any of them
/// panicked, panics (after joining them all) with the message of the one whose
/// panic began first, and says how many others panicked.
#[track_caller]
pub fn join_all<T, W: Worker<T>>(workers: impl IntoIterator<Item = W>) -> Vec<T> {
    crate::install_panic_hook();
    let mut values = Vec::new();
    // (when its panic began, the worker's position, its message)
    let mut failed: Vec<(Option<u64>, usize, String)> = Vec::new();
    for (i, worker) in workers.into_iter().enumerate() {
        let id = worker.thread_id();
        match worker.join_worker() {
            Ok(value) => values.push(value),
            Err(payload) => failed.push((panic_order(id), i, panic_message(&*payload))),
        }
    }
    // Workers the hook saw, in the order their panics began; then the rest.
    failed.sort_by_key(|&(seq, i, _)| (seq.is_none(), seq, i));
    if let Some((_, i, message)) = failed.first() {
        let others = match failed.len() - 1 {
            0 => String::new(),
            1 => "\n(1 more worker panicked after it: a panic while holding a lock poisons \
                  the lock, so later panics are often only a consequence of the first.)"
                .to_owned(),
            n => format!(
                "\n({n} more workers panicked after it: a panic while holding a lock poisons \
                 the lock, so later panics are often only a consequence of the first.)"
            ),
        };
        panic!(
            "worker thread number {} (counting from 0) panicked first: {message}{others}",
            i
        );
    }
    values
}

#[cfg(test)]
mod tests {
    use super::join_all;
    use std::sync::{Arc, Mutex, mpsc};

    /// The worker that panicked first is the one reported, whatever the join
    /// order, and the poisoned lock it left behind is only counted.
    #[test]
    fn join_all_reports_the_panic_that_began_first() {
        // As the watchdog and the exercise checks do before a test runs.
        crate::install_panic_hook();
        let lock = Arc::new(Mutex::new(()));
        let (holding, held) = mpsc::channel();
        let first = {
            let lock = Arc::clone(&lock);
            std::thread::spawn(move || {
                let _guard = lock.lock().unwrap();
                holding.send(()).unwrap();
                panic!("the first panic");
            })
        };
        held.recv().unwrap();
        // Blocks until `first` drops its guard, which it does while unwinding:
        // after its panic began. So this panic (a PoisonError) comes second.
        let second = std::thread::spawn(move || drop(lock.lock().unwrap()));
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| join_all([second, first])));
        let message = crate::panic_message(&*outcome.expect_err("two workers panicked"));
        assert!(
            message.starts_with(
                "worker thread number 1 (counting from 0) panicked first: the first panic"
            ),
            "{message}"
        );
        assert!(
            message.contains("1 more worker panicked after it"),
            "{message}"
        );
    }

    #[test]
    fn join_all_returns_the_values_in_order() {
        let workers: Vec<_> = (0..3).map(|i| std::thread::spawn(move || i * 10)).collect();
        assert_eq!(join_all(workers), [0, 10, 20]);
    }
}
