//! crossbeam-channel's behaviour, on real threads: loom cannot run it
//! (crossbeam-channel has no loom support), so these tests check what the
//! book says it does. None of them depends on timing: a timeout is only ever
//! asked to expire where no message can arrive.

use std::time::Duration;

use crossbeam_channel::{
    RecvTimeoutError, SendTimeoutError, TryRecvError, TrySendError, bounded, unbounded,
};
use lab_support::watchdog::watchdog;

#[test]
fn threads_a_bounded_channel_refuses_a_message_once_full() {
    let (tx, rx) = bounded(2);
    tx.try_send(1).unwrap();
    tx.try_send(2).unwrap();
    assert_eq!(tx.try_send(3), Err(TrySendError::Full(3)));
    assert_eq!(rx.recv(), Ok(1));
    tx.try_send(3).unwrap();
    assert_eq!(rx.try_iter().collect::<Vec<_>>(), [2, 3]);
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
}

#[test]
fn threads_an_unbounded_channel_never_refuses() {
    let (tx, rx) = unbounded();
    for i in 0..10_000 {
        tx.try_send(i).unwrap();
    }
    assert_eq!(rx.len(), 10_000, "nothing held the sender back");
}

// ANCHOR: rendezvous
#[test]
fn threads_a_zero_capacity_channel_is_a_rendezvous() {
    watchdog(|| {
        let (tx, rx) = bounded(0);
        // No receiver is waiting, so there is nowhere to put the message.
        assert_eq!(tx.try_send(1), Err(TrySendError::Full(1)));
        assert_eq!(tx.len(), 0, "a zero-capacity channel never holds a message");
        std::thread::scope(|s| {
            // send blocks until the receiver takes the message from its hand.
            s.spawn(|| tx.send(2).unwrap());
            assert_eq!(rx.recv(), Ok(2));
        });
    });
}
// ANCHOR_END: rendezvous

#[test]
fn threads_receivers_clone_and_each_message_goes_to_one() {
    watchdog(|| {
        let (tx, rx) = bounded(8);
        let total: u64 = std::thread::scope(|s| {
            let consumers: Vec<_> = (0..4)
                .map(|_| {
                    let rx = rx.clone();
                    s.spawn(move || rx.iter().collect::<Vec<u64>>())
                })
                .collect();
            drop(rx);
            for i in 0..1_000 {
                tx.send(i).unwrap();
            }
            drop(tx);
            let mut all: Vec<u64> = lab_support::join::join_all(consumers)
                .into_iter()
                .flatten()
                .collect();
            all.sort_unstable();
            assert_eq!(
                all,
                (0..1_000).collect::<Vec<_>>(),
                "each message exactly once"
            );
            all.iter().sum()
        });
        assert_eq!(total, 999 * 1_000 / 2);
    });
}

// ANCHOR: disconnection
#[test]
fn threads_send_fails_once_every_receiver_is_gone() {
    let (tx, rx) = unbounded();
    let rx2 = rx.clone();
    drop(rx);
    tx.send(1).expect("one receiver is left");
    drop(rx2);
    // The message comes back inside the error.
    assert_eq!(tx.send(2).map_err(|e| e.into_inner()), Err(2));
}

#[test]
fn threads_receiving_ends_once_every_sender_is_gone_and_the_buffer_is_empty() {
    let (tx, rx) = unbounded();
    let tx2 = tx.clone();
    tx.send(1).unwrap();
    tx2.send(2).unwrap();
    drop(tx);
    assert_eq!(rx.try_recv(), Ok(1));
    drop(tx2);
    // Every sender is gone, but a message is still buffered: it arrives.
    assert_eq!(rx.recv(), Ok(2));
    assert!(rx.recv().is_err(), "empty and disconnected");
    assert_eq!(rx.try_recv(), Err(TryRecvError::Disconnected));
}
// ANCHOR_END: disconnection

// ANCHOR: timeouts
#[test]
fn threads_timeouts_expire_only_where_nothing_can_arrive() {
    let (tx, rx) = bounded::<u32>(1);
    // A sender is alive but never sends: the wait can only time out.
    assert_eq!(
        rx.recv_timeout(Duration::from_millis(10)),
        Err(RecvTimeoutError::Timeout)
    );
    tx.send(1).unwrap();
    // Full, and nobody receives: the send can only time out.
    assert_eq!(
        tx.send_timeout(2, Duration::from_millis(10)),
        Err(SendTimeoutError::Timeout(2))
    );
    drop(tx);
    assert_eq!(rx.recv_timeout(Duration::from_secs(5)), Ok(1));
    // No sender left: disconnected at once, not after the time limit.
    assert_eq!(
        rx.recv_timeout(Duration::from_secs(60)),
        Err(RecvTimeoutError::Disconnected)
    );
}
// ANCHOR_END: timeouts

/// std's channel since Rust 1.67 is built on crossbeam-channel's code, but
/// its receiver does not clone (one consumer), and std has no `select!`.
#[test]
fn threads_std_mpsc_has_bounded_and_zero_capacity_channels_too() {
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    tx.try_send(1).unwrap();
    assert!(matches!(
        tx.try_send(2),
        Err(std::sync::mpsc::TrySendError::Full(2))
    ));
    drop(tx);
    assert_eq!(rx.iter().collect::<Vec<_>>(), [1]);
    // Capacity 0: a rendezvous; with nobody receiving, there is no room.
    let (tx, _rx) = std::sync::mpsc::sync_channel(0);
    assert!(matches!(
        tx.try_send(1),
        Err(std::sync::mpsc::TrySendError::Full(1))
    ));
}
