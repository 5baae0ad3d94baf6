//! The tempting fix for exercise 3.1, and why it is wrong. It holds both
//! accounts' locks across the check and the move, so no update is lost, but it
//! takes them in the order of its arguments: two transfers in opposite
//! directions can each hold one lock and wait for the other for ever.
//! (A spoiler for exercise 3.1: the book shows it inside the hidden solution.)

// std's Arc, not loom's: when loom finds a deadlock while a loom Arc is alive,
// the whole test process aborts (loom issue 291).
use std::sync::Arc;

use lab_support::capture;
use lab_support::model::Model;

use crate::sync::{Mutex, thread, trace};

// ANCHOR: tempting
/// WRONG: locks `from`, then `to`.
fn tempting_transfer(accounts: &[Mutex<u64>], from: usize, to: usize, amount: u64) -> bool {
    let mut from_balance = accounts[from].lock().unwrap();
    trace!("holds account {from}");
    trace!("asks for account {to}");
    let mut to_balance = accounts[to].lock().unwrap();
    trace!("holds account {to}");
    if *from_balance < amount {
        return false;
    }
    *from_balance -= amount;
    *to_balance += amount;
    true
}
// ANCHOR_END: tempting

#[test]
fn loom_tempting_transfer_deadlocks() {
    let failure = Model::new().find_violation(|| {
        let accounts = Arc::new([Mutex::new(100), Mutex::new(100)]);
        let there = {
            let accounts = Arc::clone(&accounts);
            thread::spawn(move || tempting_transfer(&accounts[..], 0, 1, 50))
        };
        let back = {
            let accounts = Arc::clone(&accounts);
            thread::spawn(move || tempting_transfer(&accounts[..], 1, 0, 30))
        };
        there.join().unwrap();
        back.join().unwrap();
    });
    assert!(failure.is_deadlock(), "{failure}");
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "03-race-conditions/captured/loom-tempting-transfer.txt",
        &failure.to_string(),
    );
}
