//! Exercise 3.1: a safe transfer.
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
    pub fn transfer(&self, from: usize, to: usize, amount: u64) -> Result<(), TransferError> {
        if from == to {
            return Err(TransferError::SameAccount);
        }
        if from >= self.accounts.len() || to >= self.accounts.len() {
            return Err(TransferError::NoSuchAccount);
        }
        // Each step below takes a lock and lets it go again at once.
        let from_balance = self.read(from);
        if from_balance < amount {
            return Err(TransferError::InsufficientFunds);
        }
        let to_balance = self.read(to);
        self.write(from, from_balance - amount);
        self.write(to, to_balance + amount);
        Ok(())
    }

    /// Reads one balance in a critical section of its own.
    fn read(&self, account: usize) -> u64 {
        let balance = self.accounts[account].lock().unwrap();
        trace!("read account {account} = {}", *balance);
        *balance
    }

    /// Writes one balance in a critical section of its own.
    fn write(&self, account: usize, value: u64) {
        let mut balance = self.accounts[account].lock().unwrap();
        *balance = value;
        trace!("write account {account} = {value}");
    }
    // ANCHOR_END: transfer
}
