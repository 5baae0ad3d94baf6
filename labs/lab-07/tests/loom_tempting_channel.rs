//! The three tempting channels of src/tempting.rs, and the execution loom
//! finds for each. Each model is also run on exercise 7.3's channel in
//! `exercise_7_3_channel.rs`, where every execution loom explores passes.

use std::sync::Arc;

use lab_support::capture;
use lab_support::model::{self, Model};

use crate::exercise_7_3_channel::{
    COMPETING_BOUND, PIPELINE_BOUND, Pipe, two_receivers_compete, two_stage_pipeline,
};
use crate::sync::{thread, trace};
use crate::tempting::{Flaw, Tempting};

// ANCHOR: two_receivers
/// Two receivers wait on an empty channel; the one sender (the model's own
/// thread) leaves without sending. Both receivers must see the disconnection.
fn two_receivers_see_the_disconnection(flaw: Flaw) {
    let channel = Arc::new(Tempting::<u32>::new(flaw, 1, 1));
    let receivers: Vec<_> = (0..2)
        .map(|_| {
            let channel = Arc::clone(&channel);
            thread::spawn(move || assert_eq!(channel.recv(), None))
        })
        .collect();
    channel.drop_sender();
    for r in receivers {
        r.join().unwrap();
    }
}
// ANCHOR_END: two_receivers

// ANCHOR: no_message_lost
/// The sender (a spawned thread) sends two messages and leaves; the receiver
/// (the model's own thread) must get both before it sees the disconnection.
fn no_message_lost(flaw: Flaw) {
    let channel = Arc::new(Tempting::new(flaw, 2, 1));
    let sender = {
        let channel = Arc::clone(&channel);
        thread::spawn(move || {
            channel.send(1);
            channel.send(2);
            channel.drop_sender();
        })
    };
    let mut got = Vec::new();
    while let Some(message) = channel.recv() {
        got.push(message);
    }
    trace!("received {got:?}");
    assert_eq!(got, [1, 2], "messages were lost");
    sender.join().unwrap();
}
// ANCHOR_END: no_message_lost

// ANCHOR: never_over_capacity
/// A channel of capacity 1; the sender (a spawned thread) sends two messages,
/// the receiver (the model's own thread) takes two. The buffer must never
/// hold more than one.
fn never_over_capacity(flaw: Flaw) {
    let channel = Arc::new(Tempting::new(flaw, 1, 1));
    let sender = {
        let channel = Arc::clone(&channel);
        thread::spawn(move || {
            for message in [1, 2] {
                let buffered = channel.send(message);
                assert!(
                    buffered <= 1,
                    "{buffered} messages in a channel of capacity 1"
                );
            }
            channel.drop_sender();
        })
    };
    assert_eq!(channel.recv(), Some(1));
    assert_eq!(channel.recv(), Some(2));
    sender.join().unwrap();
}
// ANCHOR_END: never_over_capacity

/// The failing execution loom finds in `model` with `flaw`, as the book
/// shows it.
fn verdict(model: fn(Flaw), flaw: Flaw, book_file: &str) -> String {
    let text = Model::new().find_violation(move || model(flaw)).to_string();
    capture::check(env!("CARGO_MANIFEST_DIR"), book_file, &text);
    text
}

#[test]
fn loom_the_last_senders_notify_one_leaves_a_receiver_asleep() {
    let text = verdict(
        two_receivers_see_the_disconnection,
        Flaw::LastSenderWakesOne,
        "07-message-passing/captured/loom-notify-one.txt",
    );
    assert!(text.contains("every thread was blocked"), "{text}");
}

#[test]
fn loom_disconnected_before_empty_loses_messages() {
    let text = verdict(
        no_message_lost,
        Flaw::DisconnectedBeforeEmpty,
        "07-message-passing/captured/loom-disconnected-first.txt",
    );
    assert!(text.contains("messages were lost"), "{text}");
}

#[test]
fn loom_a_send_that_does_not_wait_overfills_the_buffer() {
    let text = verdict(
        never_over_capacity,
        Flaw::SendsWhenFull,
        "07-message-passing/captured/loom-sends-when-full.txt",
    );
    assert!(
        text.contains("2 messages in a channel of capacity 1"),
        "{text}"
    );
}

/// A tempting channel behind the pipeline model's interface.
struct WithFlaw<const FLAW: u8>;

impl<const FLAW: u8> Pipe for WithFlaw<FLAW> {
    type Tx = Arc<Tempting<u32>>;
    type Rx = Arc<Tempting<u32>>;
    fn pair(capacity: usize) -> (Self::Tx, Self::Rx) {
        let flaw = match FLAW {
            0 => Flaw::LastSenderWakesOne,
            1 => Flaw::DisconnectedBeforeEmpty,
            2 => Flaw::SendsWhenFull,
            _ => Flaw::WaitsWithIf,
        };
        let channel = Arc::new(Tempting::new(flaw, capacity, 1));
        (Arc::clone(&channel), channel)
    }
    fn clone_rx(rx: &Self::Rx) -> Self::Rx {
        Arc::clone(rx)
    }
    fn send(tx: &Self::Tx, x: u32) {
        tx.send(x);
    }
    fn recv(rx: &Self::Rx) -> Option<u32> {
        rx.recv()
    }
    fn close(tx: Self::Tx) {
        tx.drop_sender();
    }
}

/// The pipeline model runs under a preemption bound; that bound still finds
/// a `recv` that checks for disconnection before emptiness. (A bound that
/// finds one bug says nothing of bugs that need more preemptions.)
#[test]
fn loom_the_pipeline_bound_still_finds_a_recv_that_checks_disconnection_first() {
    let search = model::search_bounds(&[Some(PIPELINE_BOUND)], "it", || {
        two_stage_pipeline::<WithFlaw<1>>()
    });
    let failure = search.found(Some(PIPELINE_BOUND));
    assert!(failure.message.contains("messages were lost"), "{failure}");
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "07-message-passing/captured/loom-pipeline-bound.txt",
        &format!("{search}\n{failure}"),
    );
}

/// A receiver that does not look again after waking (as if it waited in an
/// `if`): with two receivers competing, one of them can be woken for a
/// message that the other takes first. loom never wakes a waiter spuriously,
/// so only such a competitor can show the bug. Which bounds find it, for the
/// book's table.
#[test]
fn loom_a_receiver_that_does_not_look_again_goes_without() {
    let search = model::search_bounds(&[Some(1), Some(COMPETING_BOUND)], "it", || {
        two_receivers_compete::<WithFlaw<3>>()
    });
    let failure = search.found(Some(COMPETING_BOUND));
    assert!(
        failure.message.contains("went without a message"),
        "{failure}"
    );
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "07-message-passing/captured/loom-waits-with-if.txt",
        &format!("{search}\n{failure}"),
    );
}
