//! Exercise 3.1: a safe transfer. REFERENCE SOLUTION: spoilers below.
//!
//! What to do: fix `Bank::transfer` so that no money is ever created or lost,
//! no account is overdrawn, and no two transfers can deadlock, whatever the
//! threads do at the same time. Keep the signatures as they are.
//!
//! The book explains it: chapter 3, "Exercise 3.1: a safe transfer"
//! (book/03-race-conditions/exercises.md).
//! Check your work:  cargo test -p lab-03 exercise_3_1
//! Stuck?            cargo xtask hint 3.1
//!
//! `super::sync` is `std::sync` on real threads and loom's look-alike under the
//! model checker, so the tests can run this very file both ways. `trace!("...")`
//! records a step for loom's printed interleaving and does nothing on real
//! threads: keep the calls that are here, and add one after each lock, wait or
//! atomic operation you want to see. Without them, a failing loom execution of
//! your code can only say that it recorded no steps.
//!
//! Private helpers that your version does not need may go; keep every `pub`
//! item and its signature, which the tests use.

use super::sync::{Mutex, trace};

/// Why a transfer was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferError {
    /// The source account holds less than the amount.
    InsufficientFunds,
    /// The source and the destination are the same account.
    SameAccount,
    /// There is no account with that number.
    NoSuchAccount,
}

/// A bank of accounts, each behind its own lock.
#[derive(Debug)]
pub struct Bank {
    accounts: Vec<Mutex<u64>>,
}

impl Bank {
    /// A bank whose account `i` holds `balances[i]`.
    pub fn new(balances: &[u64]) -> Self {
        Bank {
            accounts: balances.iter().map(|&b| Mutex::new(b)).collect(),
        }
    }

    /// The balance of one account.
    pub fn balance(&self, account: usize) -> u64 {
        *self.accounts[account].lock().unwrap()
    }

    /// The money in all accounts together. Call it when no transfer is running.
    pub fn total(&self) -> u64 {
        (0..self.accounts.len()).map(|i| self.balance(i)).sum()
    }

    // ANCHOR: transfer
    /// Moves `amount` from account `from` to account `to`.
    ///
    /// Both locks are held across the check and the move, so no other transfer
    /// can come between them; and every transfer takes its two locks in the same
    /// order (lower account number first), so no two transfers can each hold
    /// the lock the other is waiting for.
    pub fn transfer(&self, from: usize, to: usize, amount: u64) -> Result<(), TransferError> {
        if from == to {
            return Err(TransferError::SameAccount);
        }
        if from >= self.accounts.len() || to >= self.accounts.len() {
            return Err(TransferError::NoSuchAccount);
        }
        let (mut from_balance, mut to_balance);
        if from < to {
            from_balance = self.accounts[from].lock().unwrap();
            trace!("lock account {from}");
            to_balance = self.accounts[to].lock().unwrap();
            trace!("lock account {to}");
        } else {
            to_balance = self.accounts[to].lock().unwrap();
            trace!("lock account {to}");
            from_balance = self.accounts[from].lock().unwrap();
            trace!("lock account {from}");
        }
        trace!(
            "read account {from} = {}, account {to} = {}",
            *from_balance, *to_balance
        );
        if *from_balance < amount {
            return Err(TransferError::InsufficientFunds);
        }
        *from_balance -= amount;
        *to_balance += amount;
        trace!(
            "write account {from} = {}, account {to} = {}",
            *from_balance, *to_balance
        );
        Ok(())
    } // both locks are released here
    // ANCHOR_END: transfer
}
