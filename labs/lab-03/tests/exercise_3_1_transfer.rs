//! The tests of exercise 3.1 (your file: labs/lab-03/exercises/transfer.rs).
//! loom checks two transfers at once; real threads check many.

use lab_support::exercise;
use lab_support::join::join_all;
use lab_support::model::Model;

use crate::transfer;
// The bank is shared through std's Arc, not loom's: when loom finds a deadlock
// while a loom Arc is alive, the whole test process aborts (loom issue 291).
use crate::sync::thread;
use std::sync::Arc;

/// Two transfers in opposite directions at once: 0 -> 1 of 50, 1 -> 0 of 30.
fn opposite_transfers() {
    let bank = Arc::new(transfer::Bank::new(&[100, 100]));
    let there = {
        let bank = Arc::clone(&bank);
        thread::spawn(move || bank.transfer(0, 1, 50))
    };
    let back = {
        let bank = Arc::clone(&bank);
        thread::spawn(move || bank.transfer(1, 0, 30))
    };
    assert_eq!(there.join().unwrap(), Ok(()), "0 -> 1 of 50 must succeed");
    assert_eq!(back.join().unwrap(), Ok(()), "1 -> 0 of 30 must succeed");
    assert_eq!(bank.total(), 200, "money was created or lost");
    assert_eq!((bank.balance(0), bank.balance(1)), (80, 120));
}

/// Two transfers of 80 from an account holding 100: only one may succeed.
fn competing_transfers() {
    let bank = Arc::new(transfer::Bank::new(&[100, 0]));
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let bank = Arc::clone(&bank);
            thread::spawn(move || bank.transfer(0, 1, 80))
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let ok = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(
        ok, 1,
        "exactly one transfer of 80 from 100 may succeed: {results:?}"
    );
    assert_eq!(bank.total(), 100, "money was created or lost");
    assert_eq!((bank.balance(0), bank.balance(1)), (20, 80));
}

#[test]
fn exercise_3_1_loom_opposite_transfers_keep_the_money() {
    exercise!("3.1").run(|| {
        Model::new().check(opposite_transfers);
    });
}

#[test]
fn exercise_3_1_loom_competing_transfers_never_overdraw() {
    exercise!("3.1").run(|| {
        Model::new().check(competing_transfers);
    });
}

#[test]
fn exercise_3_1_threads_many_transfers_keep_the_money() {
    exercise!("3.1").run(|| {
        use lab_03::transfer::Bank;
        const ACCOUNTS: usize = 4;
        let bank = Arc::new(Bank::new(&[1_000; ACCOUNTS]));
        std::thread::scope(|s| {
            let workers: Vec<_> = (1..=4u64)
                .map(|seed| {
                    let bank = &bank;
                    s.spawn(move || {
                        // A small pseudo-random sequence (xorshift): the same every run.
                        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15);
                        for _ in 0..20_000 {
                            x ^= x << 13;
                            x ^= x >> 7;
                            x ^= x << 17;
                            let from = (x % ACCOUNTS as u64) as usize;
                            let to = (from + 1 + (x >> 8) as usize % (ACCOUNTS - 1)) % ACCOUNTS;
                            let _ = bank.transfer(from, to, (x >> 16) % 300);
                        }
                    })
                })
                .collect();
            // If a transfer panics, report that panic, not what it left behind.
            join_all(workers);
        });
        assert_eq!(bank.total(), 4_000, "money was created or lost");
    });
}

#[test]
fn exercise_3_1_threads_refusals() {
    exercise!("3.1").run(|| {
        use lab_03::transfer::{Bank, TransferError};
        let bank = Bank::new(&[10, 0]);
        assert_eq!(bank.transfer(0, 0, 1), Err(TransferError::SameAccount));
        assert_eq!(bank.transfer(0, 2, 1), Err(TransferError::NoSuchAccount));
        assert_eq!(
            bank.transfer(0, 1, 11),
            Err(TransferError::InsufficientFunds)
        );
        assert_eq!(bank.transfer(1, 0, 0), Ok(()));
        assert_eq!(
            (bank.balance(0), bank.balance(1)),
            (10, 0),
            "a refused transfer changed a balance"
        );
    });
}
