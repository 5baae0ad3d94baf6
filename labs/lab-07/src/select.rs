//! `select!`: waiting on several channels at once. A worker takes jobs from
//! one channel and listens for a shutdown on another; the smaller examples
//! show `default`, `after`, `tick` and `never`.

use std::time::Duration;

use crossbeam_channel::{Receiver, Sender, after, never, select, tick};

use crate::pipeline::work;

/// Why [`worker`] returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// Every job sender is gone and every job was done: drained.
    Drained,
    /// A shutdown arrived (a message, or its sender dropped): stopped early.
    ShutDown,
}

// ANCHOR: worker
/// Does jobs until the job channel is drained or a shutdown arrives. When
/// both channels are ready, `select!` tries them in a shuffled order, so
/// after a shutdown the worker may still do more jobs before it stops: each
/// time round, with even odds, one more (k more with odds 1 in 2^(k+1)). For
/// a strict priority, check the shutdown channel with `try_recv` at the top
/// of the loop as well, or use `select_biased!`.
pub fn worker(jobs: &Receiver<u64>, shutdown: &Receiver<()>, done: &Sender<u64>) -> Stopped {
    loop {
        select! {
            // A message or a disconnection: either way, stop.
            recv(shutdown) -> _ => return Stopped::ShutDown,
            recv(jobs) -> job => match job {
                Ok(job) => {
                    let _ = done.send(work(job, 100));
                }
                Err(_) => return Stopped::Drained,
            },
        }
    }
}
// ANCHOR_END: worker

// ANCHOR: default
/// A message if one is waiting, `None` at once if none is: `default` runs
/// when no other arm is ready.
pub fn poll(rx: &Receiver<u64>) -> Option<u64> {
    select! {
        recv(rx) -> msg => msg.ok(),
        default => None,
    }
}
// ANCHOR_END: default

// ANCHOR: after
/// A message, or `None` after `limit`: `after(limit)` is a channel that
/// delivers one message once `limit` has passed.
pub fn recv_within(rx: &Receiver<u64>, limit: Duration) -> Option<u64> {
    select! {
        recv(rx) -> msg => msg.ok(),
        recv(after(limit)) -> _ => None,
    }
}
// ANCHOR_END: after

// ANCHOR: tick
/// Sums the messages until the channel is drained, counting the beats of a
/// `tick(every)` channel, which delivers a message every `every`, along the
/// way (a progress report would go there).
pub fn sum_with_heartbeat(rx: &Receiver<u64>, every: Duration) -> (u64, usize) {
    let heartbeat = tick(every);
    let (mut sum, mut beats) = (0, 0);
    loop {
        select! {
            recv(rx) -> msg => match msg {
                Ok(x) => sum += x,
                Err(_) => return (sum, beats),
            },
            recv(heartbeat) -> _ => beats += 1,
        }
    }
}
// ANCHOR_END: tick

// ANCHOR: never
/// Every message of two channels, until both are drained, and how many times
/// the loop went round. A disconnected receiver is always ready in `select!`
/// (it returns `Err` at once), so a loop that kept selecting it would spin;
/// once a channel is drained, its arm waits on `never()`, a channel that
/// never delivers, instead. So the loop goes round once per message, and once
/// more per channel to see it drained.
pub fn merge(a: Receiver<u64>, b: Receiver<u64>) -> (Vec<u64>, usize) {
    let (mut a, mut b) = (Some(a), Some(b));
    let (mut out, mut rounds) = (Vec::new(), 0);
    while a.is_some() || b.is_some() {
        rounds += 1;
        select! {
            recv(a.as_ref().unwrap_or(&never())) -> msg => match msg {
                Ok(x) => out.push(x),
                Err(_) => a = None,
            },
            recv(b.as_ref().unwrap_or(&never())) -> msg => match msg {
                Ok(x) => out.push(x),
                Err(_) => b = None,
            },
        }
    }
    (out, rounds)
}
// ANCHOR_END: never
