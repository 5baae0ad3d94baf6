//! A futurelock: a `select!` that keeps a future queued for a lock while
//! another of its branches waits for the same lock.
//!
//! A task must save a counter (an `async fn` that locks it), and in the
//! meantime answers report requests, each of which reads the counter under
//! the same lock. The tempting loop pins the save's future once and polls it
//! by reference (`&mut save`) in every round of a `select!`, so that the save
//! is not restarted. When another task holds the lock, the save's future
//! queues for it. A report request arrives; its branch wins, and its body
//! waits for the lock too, behind the save. The holder lets go; tokio's
//! `Mutex` is fair (first come, first served: `src/sync/mutex.rs`), so the
//! lock goes to the save's future, which only this task could poll, and this
//! task is waiting in the report's body. Nobody can go on: the task is stuck
//! on a future it holds itself. Oxide Computer named this a *futurelock*
//! (RFD 609). shuttle-tokio's `Mutex` is fair the same way (a strictly fair
//! `BatchSemaphore`: shuttle-tokio-impl-inner `src/sync/mutex.rs`), and
//! shuttle reports the stuck task as a deadlock.
//!
//! Two rules of `select!` make this happen. While it runs the body of the
//! branch that won, it polls no other branch: the body is ordinary code of
//! this task, and the other futures just sit there. And a future polled by
//! reference (`&mut save`) is not dropped when another branch wins, so it
//! keeps its place in the lock's queue. (`pin!` is needed because a future
//! polled through `&mut` must stay where it is between polls: `pin!` fixes
//! it on this task's stack.)
//!
//! The right loop creates the save's future inside the `select!`: when the
//! report's branch wins, the save's future is dropped, and dropping it gives
//! up its place in the lock's queue. The save is cancel-safe (it does all its
//! work after its only `.await`), so starting it again in the next round loses
//! nothing. (Spawning the save as a task of its own is right too: a task is
//! polled by the runtime, whatever this loop waits for.)

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::sync::Arc;

use super::rt::sync::mpsc::{Receiver, channel};
use super::rt::sync::{Mutex, MutexGuard};
use super::trace;

/// Which loop a model runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// Tempting: one pinned save, polled by reference in each round.
    PinnedSaveAcrossRounds,
    /// Right: a new save in each round, dropped when the other branch wins.
    SaveCreatedInTheSelect,
}

// ANCHOR: save
/// `counter.lock().await`, with a step in the trace when the lock future
/// first returns `Pending`: then it is in the lock's queue (tokio's and
/// shuttle-tokio's `Mutex` queue a waiter when it is polled and the lock is
/// taken). `who` names the future in that step.
async fn lock<'a>(counter: &'a Mutex<u32>, who: &str) -> MutexGuard<'a, u32> {
    let mut future = pin!(counter.lock());
    let mut queued = false;
    poll_fn(|cx| {
        let poll = future.as_mut().poll(cx);
        if poll.is_pending() && !queued {
            queued = true;
            trace!("{who} queues for the counter's lock");
        }
        poll
    })
    .await
}

/// Saves: adds one to the counter, under its lock. Its only `.await` is the
/// lock, so a cancelled save has done nothing.
async fn save(counter: &Mutex<u32>) {
    let mut count = lock(counter, "the save").await;
    *count += 1;
    trace!("saves: the count is {}", *count);
}
// ANCHOR_END: save

// ANCHOR: tempting
/// Tempting: saves once, answering report requests until the save is done.
pub async fn save_and_report_tempting(counter: &Mutex<u32>, mut reports: Receiver<()>) {
    let mut save = pin!(save(counter));
    loop {
        super::rt::select! {
            biased;
            () = &mut save => break,
            Some(()) = reports.recv() => {
                trace!("takes a report request");
                let count = *lock(counter, "the report").await;
                trace!("reports the count: {count}");
            }
        }
    }
}
// ANCHOR_END: tempting

// ANCHOR: right
/// Right: each round starts the save afresh; when a report request wins, the
/// save's future is dropped, and leaves the lock's queue.
pub async fn save_and_report(counter: &Mutex<u32>, mut reports: Receiver<()>) {
    loop {
        super::rt::select! {
            biased;
            () = save(counter) => break,
            Some(()) = reports.recv() => {
                trace!("takes a report request");
                let count = *lock(counter, "the report").await;
                trace!("reports the count: {count}");
            }
        }
    }
}
// ANCHOR_END: right

// ANCHOR: model
/// The model: another task (T1) holds the counter's lock while it asks for a
/// report, then lets go; the test's task saves and reports.
pub async fn save_while_reporting(version: Version) {
    let counter = Arc::new(Mutex::new(0));
    let (report_tx, reports) = channel::<()>(1);
    let other = {
        let counter = Arc::clone(&counter);
        super::rt::spawn(async move {
            let guard = counter.lock().await;
            trace!("locks the counter");
            // The saver may have finished already: then no report is needed.
            if report_tx.send(()).await.is_ok() {
                trace!("asks for a report");
            }
            drop(guard);
            trace!("unlocks the counter");
        })
    };
    match version {
        Version::PinnedSaveAcrossRounds => save_and_report_tempting(&counter, reports).await,
        Version::SaveCreatedInTheSelect => save_and_report(&counter, reports).await,
    }
    other.await.expect("the other task panicked");
    assert_eq!(*counter.lock().await, 1, "the save ran once");
}
// ANCHOR_END: model
