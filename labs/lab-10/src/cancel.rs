//! Cancellation losing a message: a `select!` branch that is not cancel-safe.
//!
//! A server task reads messages of two halves from a channel (think of a
//! length and the body it announces) and, in the same loop, answers status
//! requests from another channel. (Both are unbounded `mpsc` channels: a
//! bounded channel's `send` adds a wait for room, and shuttle more schedules to
//! explore, with nothing new to find.) `select!` polls both branches; when one
//! completes, it *drops* the other's future (tokio's `select!` docs, section
//! "Cancellation safety", `src/macros/select.rs`). The tempting branch reads a
//! whole message in one `async fn`: if a status request wins while that future
//! holds the first half and waits for the second, the first half is dropped
//! with it. The next round reads the second half as the first half of the next
//! message: messages are torn and lost, with no error anywhere.
//!
//! The status branch's pattern, `Some(()) = status_requests.recv()`, is
//! matched against what `recv` returns: a `None` (the channel closed) does
//! not match, and `select!` then disables that branch for the rest of that
//! `select!` and waits for the others (tokio's `select!` docs,
//! `src/macros/select.rs`).
//!
//! The right branch is one `recv()`, which tokio documents as cancel safe
//! (`mpsc::UnboundedReceiver::recv`, "Cancel safety"): if it loses, it has taken
//! nothing. The half read so far lives in a variable outside the `select!`,
//! which no cancellation drops.
//!
//! Every `select!` here is `biased;` (branches polled in the order written):
//! an unbiased `select!` picks its first branch at random, and under shuttle
//! that random choice is not one its depth-first search explores (see
//! `lab_support::shuttle_model::Model::dfs`).

use super::rt::sync::mpsc::{UnboundedReceiver as Receiver, unbounded_channel};
use super::trace;

/// One message: its two halves.
pub type Message = (u32, u32);

/// Which server loop a model runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// Tempting: the message branch reads both halves.
    WholeMessageInTheBranch,
    /// Right: the branch reads one half; the half so far is kept outside.
    OneHalfPerBranch,
}

// ANCHOR: tempting
/// Reads one message: two halves, one after the other. Not cancel-safe:
/// dropped between the two `recv`s, it loses the first half.
async fn read_message(halves: &mut Receiver<u32>) -> Option<Message> {
    let first = halves.recv().await?;
    trace!("reads the first half, {first}");
    let second = halves.recv().await?;
    trace!("reads the second half, {second}");
    Some((first, second))
}

/// Tempting: serves until the halves' channel closes; returns the messages.
pub async fn serve_tempting(
    mut halves: Receiver<u32>,
    mut status_requests: Receiver<()>,
) -> Vec<Message> {
    let mut messages = Vec::new();
    loop {
        super::rt::select! {
            biased;
            Some(()) = status_requests.recv() => {
                trace!("answers a status request: {} messages so far", messages.len());
            }
            message = read_message(&mut halves) => match message {
                Some(message) => messages.push(message),
                None => break,
            },
        }
    }
    messages
}
// ANCHOR_END: tempting

// ANCHOR: right
/// Right: each round of the `select!` reads at most one half, with `recv`,
/// which loses nothing when it is cancelled; the first half waits in
/// `first_half`, outside the `select!`.
pub async fn serve(mut halves: Receiver<u32>, mut status_requests: Receiver<()>) -> Vec<Message> {
    let mut messages = Vec::new();
    let mut first_half = None;
    loop {
        super::rt::select! {
            biased;
            Some(()) = status_requests.recv() => {
                trace!("answers a status request: {} messages so far", messages.len());
            }
            half = halves.recv() => match (half, first_half.take()) {
                (None, _) => break,
                (Some(first), None) => {
                    trace!("reads the first half, {first}");
                    first_half = Some(first);
                }
                (Some(second), Some(first)) => {
                    trace!("reads the second half, {second}");
                    messages.push((first, second));
                }
            },
        }
    }
    messages
}
// ANCHOR_END: right

// ANCHOR: model
/// The model: a client (T1) sends one message, half by half, and between the
/// halves asks for the server's status on the other channel; the test's task
/// serves both channels and checks that it got the message whole.
pub async fn a_message_and_a_status_request(version: Version) {
    let (half_tx, halves) = unbounded_channel::<u32>();
    let (status_tx, status_requests) = unbounded_channel::<()>();
    let client = super::rt::spawn(async move {
        half_tx.send(1).expect("the server left");
        trace!("sends the first half, 1");
        status_tx.send(()).expect("the server left");
        trace!("asks for the status");
        half_tx.send(2).expect("the server left");
        trace!("sends the second half, 2; about to close the halves' channel");
        // Dropping the last sender closes the channel. Under shuttle the drop
        // has a scheduling point, and the server may run and see the channel
        // closed before this task goes on: so the trace names it first.
        drop(half_tx);
    });
    let messages = match version {
        Version::WholeMessageInTheBranch => serve_tempting(halves, status_requests).await,
        Version::OneHalfPerBranch => serve(halves, status_requests).await,
    };
    trace!("has the messages {messages:?}");
    client.await.expect("the client panicked");
    assert_eq!(messages, [(1, 2)], "a message was torn or lost");
}
// ANCHOR_END: model
