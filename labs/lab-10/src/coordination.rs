//! Coordination between tasks: tokio's channels, `Notify` and `Semaphore`,
//! each in a small example that the tests run on a current-thread runtime
//! with paused time, so that what they check is the same on every run.
//!
//! - [`backpressure`]: a bounded `mpsc` channel makes a fast producer wait.
//! - [`Counter`]: an actor (a task that owns its state) that answers each
//!   request on a `oneshot` channel.
//! - [`lagging_receiver`]: a `broadcast` receiver that falls behind loses
//!   the oldest messages and is told how many (`RecvError::Lagged`).
//! - [`latest_only`]: a `watch` receiver sees only the newest value.
//! - [`stored_permit`]: `Notify::notify_one` with nobody waiting stores a
//!   permit, `notify_waiters` does not.
//! - [`limited`]: a `Semaphore` lets at most `k` jobs run at once.
//!
//! [`settle`] is how the tests let every task run as far as it can.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::{Notify, Semaphore, broadcast, mpsc, oneshot, watch};

// ANCHOR: settle
/// Lets every other task of the runtime run until it waits for something.
///
/// On paused time (`start_paused`), tokio's clock moves only when no task
/// can run: then it jumps to the next timer. So this sleep ends only once
/// every other task is waiting (or done), apart from timers due within its
/// second: those fire on the way, and their tasks run on. It is "run what
/// can run", not a delay: no real time passes, and a slow machine gives the
/// same result.
pub async fn settle() {
    tokio::time::sleep(Duration::from_secs(1)).await;
}
// ANCHOR_END: settle

// ANCHOR: backpressure
/// A producer sends `items` numbers into a channel of `capacity`, as fast as
/// it can; nobody receives at first. Returns how many sends had finished
/// when the producer first had to wait, and after each of three receives.
pub async fn backpressure(capacity: usize, items: usize) -> Vec<usize> {
    let (tx, mut rx) = mpsc::channel(capacity);
    let sent = Arc::new(AtomicUsize::new(0));
    let producer = {
        let sent = Arc::clone(&sent);
        tokio::spawn(async move {
            for i in 0..items {
                tx.send(i).await.expect("the receiver is alive"); // waits while full
                sent.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    let mut seen = Vec::new();
    settle().await; // the producer runs until the channel is full
    seen.push(sent.load(Ordering::Relaxed));
    for _ in 0..3 {
        rx.recv().await.expect("a number"); // makes room for one more
        settle().await;
        seen.push(sent.load(Ordering::Relaxed));
    }
    producer.abort();
    seen
}
// ANCHOR_END: backpressure

// ANCHOR: actor
/// What the counter actor can be asked.
#[derive(Debug)]
enum Command {
    /// Add to the total; the reply is the new total.
    Add(u64, oneshot::Sender<u64>),
    /// The total, unchanged.
    Get(oneshot::Sender<u64>),
}

/// A handle to a counter that one task owns: no lock, requests queue up in
/// a channel, and each carries the `oneshot` sender for its own reply.
#[derive(Debug, Clone)]
pub struct Counter {
    requests: mpsc::Sender<Command>,
}

impl Counter {
    /// Starts the actor's task. It ends when the last handle is dropped.
    pub fn start() -> Counter {
        let (requests, mut inbox) = mpsc::channel(16);
        tokio::spawn(async move {
            let mut total = 0;
            while let Some(command) = inbox.recv().await {
                match command {
                    Command::Add(n, reply) => {
                        total += n;
                        let _ = reply.send(total); // the asker may have given up
                    }
                    Command::Get(reply) => {
                        let _ = reply.send(total);
                    }
                }
            }
        });
        Counter { requests }
    }

    /// Adds `n`; returns the total just after this addition.
    pub async fn add(&self, n: u64) -> u64 {
        let (reply, answer) = oneshot::channel();
        self.requests
            .send(Command::Add(n, reply))
            .await
            .expect("the actor runs while a handle exists");
        answer.await.expect("the actor always replies")
    }

    /// The total now.
    pub async fn get(&self) -> u64 {
        let (reply, answer) = oneshot::channel();
        self.requests
            .send(Command::Get(reply))
            .await
            .expect("the actor runs while a handle exists");
        answer.await.expect("the actor always replies")
    }
}
// ANCHOR_END: actor

// ANCHOR: lagging
/// Sends `sent` messages (0, 1, …) on a broadcast channel of `capacity`
/// before its one receiver looks, then drops the sender. Returns what the
/// receiver gets, one line per `recv`.
pub async fn lagging_receiver(capacity: usize, sent: u32) -> Vec<String> {
    let (tx, mut rx) = broadcast::channel(capacity);
    for i in 0..sent {
        tx.send(i).expect("a receiver exists");
    }
    drop(tx);
    let mut got = Vec::new();
    loop {
        match rx.recv().await {
            Ok(i) => got.push(format!("got {i}")),
            Err(broadcast::error::RecvError::Lagged(missed)) => {
                got.push(format!("lagged: missed {missed}"));
            }
            Err(broadcast::error::RecvError::Closed) => {
                got.push("closed".to_owned());
                return got;
            }
        }
    }
}
// ANCHOR_END: lagging

// ANCHOR: watch
/// A `watch` channel of settings: the sender changes the value three times
/// before the watcher looks, then once more after it has looked, then is
/// dropped. Returns what the watcher saw at each wake-up.
pub async fn latest_only() -> Vec<String> {
    let (tx, mut rx) = watch::channel(0u32);
    let watcher = tokio::spawn(async move {
        let mut seen = Vec::new();
        while rx.changed().await.is_ok() {
            seen.push(format!("saw {}", *rx.borrow_and_update()));
        }
        seen.push("sender gone".to_owned());
        seen
    });
    for version in 1..=3 {
        tx.send(version).expect("the watcher is alive");
    }
    settle().await; // the watcher wakes once, and sees only 3
    tx.send(4).expect("the watcher is alive");
    settle().await;
    drop(tx);
    watcher.await.expect("the watcher finished")
}
// ANCHOR_END: watch

// ANCHOR: notify
/// `notify_one` (if `store` is true) or `notify_waiters` (if false) is
/// called before any task waits; then a task waits on `notified()`. Returns
/// whether that wait finished before the runtime ran out of other work
/// (within a paused-time limit that fires only once nothing else can run).
pub async fn stored_permit(store: bool) -> bool {
    let notify = Arc::new(Notify::new());
    if store {
        notify.notify_one(); // nobody waits: stores one permit
    } else {
        notify.notify_waiters(); // wakes those waiting now: nobody, so nothing
    }
    let waiter = {
        let notify = Arc::clone(&notify);
        tokio::spawn(async move { notify.notified().await })
    };
    tokio::time::timeout(Duration::from_secs(60), waiter)
        .await
        .is_ok()
}
// ANCHOR_END: notify

// ANCHOR: semaphore
/// Runs `jobs` jobs, at most `k` at once: each takes an owned permit before
/// its task starts, and gives it back when its task ends (the permit is
/// dropped). Each job waits `work` on tokio's clock. Returns the most jobs
/// that were running at one moment, and how many finished.
pub async fn limited(jobs: usize, k: usize, work: Duration) -> (usize, usize) {
    let permits = Arc::new(Semaphore::new(k));
    let running = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..jobs {
        // Waits here, in the loop that starts jobs, while k are running.
        let permit = Arc::clone(&permits)
            .acquire_owned()
            .await
            .expect("the semaphore is never closed");
        let (running, most) = (Arc::clone(&running), Arc::clone(&most));
        tasks.spawn(async move {
            let now = running.fetch_add(1, Ordering::Relaxed) + 1;
            most.fetch_max(now, Ordering::Relaxed);
            tokio::time::sleep(work).await;
            running.fetch_sub(1, Ordering::Relaxed);
            drop(permit); // the next job may start
        });
    }
    let finished = tasks.join_all().await.len();
    (most.load(Ordering::Relaxed), finished)
}
// ANCHOR_END: semaphore
