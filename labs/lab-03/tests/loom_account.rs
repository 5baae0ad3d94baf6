//! loom checks the withdrawals of src/account.rs: check-then-act overdraws the
//! account; one critical section, or a compare_exchange loop, never does.

use lab_support::capture;
use lab_support::model::Model;

use crate::account::{Account, AtomicAccount, InsufficientFunds};
use crate::sync::{Arc, thread};

// ANCHOR: two_withdrawals
/// Two threads each try to withdraw 80 from an account holding 100: exactly
/// one may succeed, and the balance must end at 20, never below zero.
fn two_withdrawals<A, W>(account: A, withdraw: W, balance: fn(&A) -> i64)
where
    A: Send + Sync + 'static,
    W: Fn(&A, i64) -> Result<(), InsufficientFunds> + Copy + Send + 'static,
{
    let account = Arc::new(account);
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let account = Arc::clone(&account);
            thread::spawn(move || withdraw(&account, 80))
        })
        .collect();
    let succeeded = threads
        .into_iter()
        .map(|t| t.join().unwrap())
        .filter(Result::is_ok)
        .count();
    let left = balance(&account);
    assert!(left >= 0, "the account is overdrawn: balance = {left}");
    assert_eq!(
        succeeded, 1,
        "exactly one withdrawal of 80 from 100 may succeed"
    );
    assert_eq!(left, 20);
}
// ANCHOR_END: two_withdrawals

// ANCHOR: check_then_act_test
#[test]
fn loom_check_then_act_withdrawal_overdraws_the_account() {
    let failure = Model::new().find_violation(|| {
        two_withdrawals(
            Account::new(100),
            Account::withdraw_check_then_act,
            Account::balance,
        )
    });
    assert!(failure.message.contains("overdrawn"));
    // The book shows this trace; this checks that the book's copy is current.
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "03-race-conditions/captured/loom-check-then-act.txt",
        &failure.to_string(),
    );
}
// ANCHOR_END: check_then_act_test

#[test]
fn loom_locked_withdrawal_never_overdraws() {
    let explored = Model::new()
        .check(|| two_withdrawals(Account::new(100), Account::withdraw, Account::balance));
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "03-race-conditions/captured/loom-locked-withdrawal.txt",
        &format!("{}.\n", explored),
    );
}

#[test]
fn loom_compare_exchange_withdrawal_never_overdraws() {
    Model::new().check(|| {
        two_withdrawals(
            AtomicAccount::new(100),
            AtomicAccount::withdraw,
            AtomicAccount::balance,
        )
    });
}
