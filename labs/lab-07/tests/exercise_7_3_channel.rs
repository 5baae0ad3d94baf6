//! The tests of exercise 7.3 (your file: labs/lab-07/exercises/channel.rs).
//! loom checks small models of the channel; real threads check many messages
//! through it.

use lab_support::capture;
use lab_support::exercise;
use lab_support::model::Model;

use crate::channel::{Disconnected, SendError, channel};
use crate::sync::{thread, trace};

/// Two receivers wait on an empty channel; the one sender (the model's own
/// thread) is dropped without sending. Both receivers must see the
/// disconnection: neither may sleep for ever.
fn two_receivers_see_the_disconnection() {
    let (tx, rx) = channel::<u32>(1);
    let receivers: Vec<_> = (0..2)
        .map(|_| {
            let rx = rx.clone();
            thread::spawn(move || assert_eq!(rx.recv(), Err(Disconnected)))
        })
        .collect();
    drop(rx);
    drop(tx);
    for r in receivers {
        r.join().unwrap();
    }
}

/// A spawned thread sends two messages and drops its sender; the model's own
/// thread must receive both, in order, then `Err(Disconnected)`.
fn no_message_lost() {
    let (tx, rx) = channel(2);
    let sender = thread::spawn(move || {
        tx.send(1).unwrap();
        tx.send(2).unwrap();
    });
    let mut got = Vec::new();
    while let Ok(message) = rx.recv() {
        got.push(message);
    }
    trace!("received {got:?}");
    assert_eq!(got, [1, 2], "messages were lost");
    sender.join().unwrap();
}

/// Capacity 1, two messages: the sender must wait for room, and the
/// receiver, woken by each send, gets both.
fn a_full_channel_makes_the_sender_wait() {
    let (tx, rx) = channel(1);
    let watcher = rx.clone();
    let sender = thread::spawn(move || {
        for message in [1, 2] {
            tx.send(message).unwrap();
            let buffered = watcher.len();
            assert!(
                buffered <= 1,
                "{buffered} messages in a channel of capacity 1"
            );
        }
    });
    assert_eq!(rx.recv(), Ok(1));
    assert_eq!(rx.recv(), Ok(2));
    assert_eq!(rx.recv(), Err(Disconnected));
    sender.join().unwrap();
}

/// What the pipeline model needs of a channel: exercise 7.3's, or a
/// tempting one (`loom_tempting_channel.rs`).
pub(crate) trait Pipe: Send + 'static {
    type Tx: Send + 'static;
    type Rx: Send + 'static;
    fn pair(capacity: usize) -> (Self::Tx, Self::Rx);
    /// One more receiver of the same channel.
    fn clone_rx(rx: &Self::Rx) -> Self::Rx;
    fn send(tx: &Self::Tx, x: u32);
    /// `None` once the channel is disconnected and empty.
    fn recv(rx: &Self::Rx) -> Option<u32>;
    /// The sender is done: drop it.
    fn close(tx: Self::Tx);
}

/// Exercise 7.3's channel.
pub(crate) struct Ours;

impl Pipe for Ours {
    type Tx = crate::channel::Sender<u32>;
    type Rx = crate::channel::Receiver<u32>;
    fn pair(capacity: usize) -> (Self::Tx, Self::Rx) {
        channel(capacity)
    }
    fn clone_rx(rx: &Self::Rx) -> Self::Rx {
        rx.clone()
    }
    fn send(tx: &Self::Tx, x: u32) {
        tx.send(x).unwrap();
    }
    fn recv(rx: &Self::Rx) -> Option<u32> {
        rx.recv().ok()
    }
    fn close(tx: Self::Tx) {
        drop(tx);
    }
}

/// The pipeline model's preemption bound. With no bound loom's search is too
/// big for a test (bound 3 already explores thousands of executions);
/// `loom_tempting_channel.rs` shows that this bound still finds a `recv` that
/// checks for disconnection first.
pub(crate) const PIPELINE_BOUND: usize = 2;

// ANCHOR: pipeline_model
/// Two stages over a channel: the model's own thread sends 1 and 2 into a
/// channel of capacity 1; a stage thread multiplies each by 10 and passes it
/// on; a collector thread receives until the channel disconnects. Every
/// message arrives, in order, and every thread finishes.
pub(crate) fn two_stage_pipeline<P: Pipe>() {
    let (to_stage, stage_in) = P::pair(1);
    let (to_collector, collector_in) = P::pair(1);
    let stage = thread::spawn(move || {
        while let Some(x) = P::recv(&stage_in) {
            P::send(&to_collector, x * 10);
        }
        P::close(to_collector);
    });
    let collector = thread::spawn(move || {
        let mut got = Vec::new();
        while let Some(x) = P::recv(&collector_in) {
            got.push(x);
        }
        trace!("collected {got:?}");
        got
    });
    for x in [1, 2] {
        P::send(&to_stage, x);
    }
    P::close(to_stage);
    stage.join().unwrap();
    assert_eq!(collector.join().unwrap(), [10, 20], "messages were lost");
}
// ANCHOR_END: pipeline_model

/// The preemption bound of the three-thread model below. With no bound,
/// loom's search of it takes seconds; `loom_tempting_channel.rs` shows that
/// this bound finds a `recv` that does not look again after waking.
pub(crate) const COMPETING_BOUND: usize = 2;

// ANCHOR: competing_receivers
/// Two receivers, one `recv` each, on a channel of capacity 1; the model's own
/// thread sends 1 and 2, then leaves. Each receiver must get one message: a
/// receiver woken for a message that the other took first must wait again.
pub(crate) fn two_receivers_compete<P: Pipe>() {
    let (tx, rx) = P::pair(1);
    let receivers: Vec<_> = (0..2)
        .map(|_| {
            let rx = P::clone_rx(&rx);
            thread::spawn(move || P::recv(&rx))
        })
        .collect();
    drop(rx);
    P::send(&tx, 1);
    P::send(&tx, 2);
    P::close(tx);
    let mut got: Vec<Option<u32>> = receivers.into_iter().map(|r| r.join().unwrap()).collect();
    got.sort();
    trace!("the receivers got {got:?}");
    assert_eq!(got, [Some(1), Some(2)], "a receiver went without a message");
}
// ANCHOR_END: competing_receivers

/// Capacity 1: a spawned thread sends 1, then 2, which waits for room; the
/// model's own thread drops the only receiver. The waiting `send` must wake
/// up and fail, handing 2 back: the last receiver's `Drop` wakes the senders.
fn a_send_waiting_for_room_fails_when_the_receivers_leave() {
    let (tx, rx) = channel(1);
    let sender = thread::spawn(move || {
        let _ = tx.send(1);
        tx.send(2)
    });
    drop(rx);
    assert_eq!(sender.join().unwrap(), Err(SendError(2)));
}

/// Every model, by name, for the book's table.
const MODELS: &[(&str, fn())] = &[
    (
        "two receivers see the disconnection",
        two_receivers_see_the_disconnection,
    ),
    ("no message lost", no_message_lost),
    (
        "a full channel makes the sender wait",
        a_full_channel_makes_the_sender_wait,
    ),
    (
        "a send waiting for room fails when the receivers leave",
        a_send_waiting_for_room_fails_when_the_receivers_leave,
    ),
];

#[test]
fn exercise_7_3_loom_every_model_passes() {
    exercise!("7.3").run(|| {
        let mut text = String::new();
        for (name, model) in MODELS {
            let explored = Model::new().check(model);
            text.push_str(&format!("{name}: {explored}.\n"));
        }
        let explored = Model::new()
            .preemption_bound(COMPETING_BOUND)
            .check(two_receivers_compete::<Ours>);
        text.push_str(&format!(
            "two receivers compete for two messages, preemption bound {COMPETING_BOUND}: {explored}.\n"
        ));
        let explored = Model::new()
            .preemption_bound(PIPELINE_BOUND)
            .check(two_stage_pipeline::<Ours>);
        text.push_str(&format!(
            "a two-stage pipeline, two messages, preemption bound {PIPELINE_BOUND}: {explored}.\n"
        ));
        capture::check(
            env!("CARGO_MANIFEST_DIR"),
            "07-message-passing/captured/loom-own-channel.txt",
            &text,
        );
    });
}

#[test]
fn exercise_7_3_threads_many_messages_many_threads() {
    exercise!("7.3").run(|| {
        const SENDERS: u64 = 4;
        const RECEIVERS: usize = 3;
        const EACH: u64 = 5_000;
        let (tx, rx) = lab_07::channel::channel(4);
        let total = std::thread::scope(|s| {
            for k in 0..SENDERS {
                let tx = tx.clone();
                s.spawn(move || {
                    for i in 0..EACH {
                        // Stops if every receiver is gone (a receiver that
                        // panicked): the receivers' panic is the one to see.
                        if tx.send(k * EACH + i).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(tx);
            let receivers: Vec<_> = (0..RECEIVERS)
                .map(|_| {
                    let rx = rx.clone();
                    s.spawn(move || rx.iter().fold((0u64, 0u64), |(n, sum), x| (n + 1, sum + x)))
                })
                .collect();
            drop(rx);
            lab_support::join::join_all(receivers)
                .into_iter()
                .fold((0, 0), |(n, sum), (m, t)| (n + m, sum + t))
        });
        let n = SENDERS * EACH;
        assert_eq!(total, (n, n * (n - 1) / 2), "(messages, their sum)");
    });
}

#[test]
fn exercise_7_3_threads_buffered_messages_outlive_the_senders() {
    exercise!("7.3").run(|| {
        let (tx, rx) = lab_07::channel::channel(3);
        for x in [1, 2, 3] {
            tx.send(x).unwrap();
        }
        drop(tx);
        assert_eq!(rx.iter().collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(rx.recv(), Err(lab_07::channel::Disconnected));
    });
}

/// Given code, not the exercise: `send` fails, handing the message back, once
/// every receiver is gone.
#[test]
fn threads_own_channel_send_fails_without_receivers() {
    let (tx, rx) = lab_07::channel::channel(1);
    drop(rx);
    assert_eq!(tx.send(7), Err(lab_07::channel::SendError(7)));
    let _ = SendError(0); // the loom copy's type, used by the models' signatures
}
