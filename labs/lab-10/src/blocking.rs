//! Blocking the runtime: what shuttle cannot show, shown with a handshake.
//!
//! A tokio task runs on a runtime's thread until it reaches an `.await` that
//! is not ready; only then can the runtime poll another task. A blocking
//! call inside a task (std's `Receiver::recv`, a `Mutex::lock` that waits,
//! `std::thread::sleep`, a synchronous library) keeps the thread, so on a
//! current-thread runtime no other task runs until it returns.
//!
//! shuttle cannot show this. It runs every task as a coroutine, and all of
//! them on the one OS thread that runs the test (shuttle-engine 0.1.8,
//! `src/runtime/thread/continuation.rs`), switching only at its own
//! scheduling points. A real blocking call is not one of those: it blocks
//! that one thread, and with it every task, so the test just hangs, and
//! shuttle, which never gets control back, says nothing. shuttle has no pool
//! of worker threads that a blocked task could starve, and no clock (its
//! `sleep` returns after one scheduling point).
//!
//! The functions here show the bug on a real current-thread runtime,
//! without timing: in [`handshake_inline`] the blocking call waits for a
//! reply that only another task of the same runtime can send, so it waits
//! for ever (the test's watchdog reports the hang);
//! [`handshake_spawn_blocking`] and [`handshake_block_in_place`] move the
//! wait off the runtime's thread and finish. [`sleepers`] counts how many
//! tasks are in progress at once: with `std::thread::sleep` it is one.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::mpsc;
use std::time::Duration;

use tokio::runtime::Builder;
use tokio::sync::oneshot;

/// A current-thread runtime: one thread runs every task.
fn current_thread() -> tokio::runtime::Runtime {
    Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime")
}

// ANCHOR: answerer
/// The other side of the handshake: an async task that waits for a question
/// and sends its answer on a std channel, which a blocking `recv` reads.
async fn answerer(question: oneshot::Receiver<u32>, answer: mpsc::Sender<u32>) {
    let q = question.await.expect("the asker sent a question");
    answer.send(q + 1).expect("the asker waits for the answer");
}
// ANCHOR_END: answerer

// ANCHOR: inline
/// Tempting: the asker sends its question, then waits for the answer with a
/// blocking `recv`, inside its task. Never returns: the answerer is a task
/// on the same thread, and the thread is stuck in `recv`.
pub fn handshake_inline() -> u32 {
    current_thread().block_on(async {
        let (ask, question) = oneshot::channel();
        let (answer, answers) = mpsc::channel();
        let asker = tokio::spawn(async move {
            ask.send(41).expect("the answerer waits for the question");
            answers.recv().expect("the answerer sends an answer") // blocks the thread
        });
        tokio::spawn(answerer(question, answer));
        asker.await.expect("the asker finished")
    })
}
// ANCHOR_END: inline

// ANCHOR: spawn_blocking
/// Right: the blocking `recv` runs on tokio's blocking pool (a thread of its
/// own), and the asker's task awaits it. The runtime's thread is free to
/// run the answerer.
pub fn handshake_spawn_blocking() -> u32 {
    current_thread().block_on(async {
        let (ask, question) = oneshot::channel();
        let (answer, answers) = mpsc::channel();
        let asker = tokio::spawn(async move {
            ask.send(41).expect("the answerer waits for the question");
            tokio::task::spawn_blocking(move || answers.recv().expect("an answer"))
                .await
                .expect("the blocking call did not panic")
        });
        tokio::spawn(answerer(question, answer));
        asker.await.expect("the asker finished")
    })
}
// ANCHOR_END: spawn_blocking

// ANCHOR: block_in_place
/// Also right, on a multi-thread runtime only (on a current-thread runtime
/// it panics): `block_in_place` hands the worker's other tasks, the one in
/// its LIFO slot included, to a new worker thread and then blocks here. One
/// worker thread is enough to show it.
pub fn handshake_block_in_place() -> u32 {
    let runtime = Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a multi-thread runtime");
    runtime.block_on(async {
        let (ask, question) = oneshot::channel();
        let (answer, answers) = mpsc::channel();
        let asker = tokio::spawn(async move {
            ask.send(41).expect("the answerer waits for the question");
            tokio::task::block_in_place(move || answers.recv().expect("an answer"))
        });
        tokio::spawn(answerer(question, answer));
        asker.await.expect("the asker finished")
    })
}
// ANCHOR_END: block_in_place

/// How a sleeper waits: blocking its thread, or as a tokio timer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// `std::thread::sleep`: the runtime's thread sleeps.
    Blocking,
    /// `tokio::time::sleep(..).await`: the task yields until the timer fires.
    Async,
}

// ANCHOR: sleepers
/// Starts `tasks` local tasks on the current thread's runtime (run it on a
/// current-thread runtime); each waits `wait` in the way `how` says. Returns
/// the most tasks that were between their start and their end at one
/// moment: `tasks` if they waited together, 1 if they ran one after another.
pub async fn sleepers(tasks: usize, wait: Duration, how: Wait) -> usize {
    // One thread: a plain Cell is enough, and the tasks are local ones.
    let in_progress = Rc::new(Cell::new(0));
    let most = Rc::new(Cell::new(0));
    let local = tokio::task::LocalSet::new();
    for _ in 0..tasks {
        let (in_progress, most) = (Rc::clone(&in_progress), Rc::clone(&most));
        local.spawn_local(async move {
            in_progress.set(in_progress.get() + 1);
            most.set(most.get().max(in_progress.get()));
            match how {
                Wait::Blocking => std::thread::sleep(wait),
                Wait::Async => tokio::time::sleep(wait).await,
            }
            in_progress.set(in_progress.get() - 1);
        });
    }
    local.await;
    most.get()
}
// ANCHOR_END: sleepers
