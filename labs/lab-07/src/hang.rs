//! The classic hang of message passing: a receive loop ends only when every
//! sender is gone, and one was kept alive.

use std::thread;

use crossbeam_channel::unbounded;

// ANCHOR: kept_sender
/// WRONG: never returns. Each thread gets a clone of `tx`, but `tx` itself is
/// still alive in this function, so the channel never disconnects and the
/// loop waits for ever after the last square.
pub fn sum_of_squares_kept_sender(n: u64) -> u64 {
    let (tx, rx) = unbounded();
    for i in 1..=n {
        let tx = tx.clone();
        thread::spawn(move || tx.send(i * i).unwrap());
    }
    rx.iter().sum()
}
// ANCHOR_END: kept_sender

// ANCHOR: dropped_sender
/// Right: drops the original sender before the loop, so the loop ends once
/// the last thread's clone is gone and every square has been received.
pub fn sum_of_squares(n: u64) -> u64 {
    let (tx, rx) = unbounded();
    for i in 1..=n {
        let tx = tx.clone();
        thread::spawn(move || tx.send(i * i).unwrap());
    }
    drop(tx);
    rx.iter().sum()
}
// ANCHOR_END: dropped_sender
