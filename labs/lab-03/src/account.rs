//! Withdrawals from a shared account: one checks and acts in separate critical
//! sections and overdraws it; two do not. loom checks all three in
//! `tests/loom_account.rs`.

use super::sync::atomic::{AtomicI64, Ordering};
use super::sync::{Mutex, trace};

/// Why a withdrawal was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InsufficientFunds {
    /// The balance the withdrawal saw.
    pub balance: i64,
    /// What it asked for.
    pub amount: i64,
}

/// An account balance behind a `Mutex`. The balance is signed so that an
/// overdraft shows up as a negative number instead of a crash.
#[derive(Debug)]
pub struct Account {
    balance: Mutex<i64>,
}

impl Account {
    /// An account holding `balance`.
    pub fn new(balance: i64) -> Self {
        Account {
            balance: Mutex::new(balance),
        }
    }

    /// The balance now.
    pub fn balance(&self) -> i64 {
        *self.balance.lock().unwrap()
    }

    // ANCHOR: check_then_act
    /// WRONG: checks the balance in one critical section and takes the money
    /// in another. Two withdrawals can both pass the check before either acts.
    pub fn withdraw_check_then_act(&self, amount: i64) -> Result<(), InsufficientFunds> {
        // Check.
        let balance = {
            let balance = self.balance.lock().unwrap();
            trace!(
                "check: balance = {}, enough for {amount}? {}",
                *balance,
                *balance >= amount
            );
            *balance
        }; // the lock is released here
        if balance < amount {
            return Err(InsufficientFunds { balance, amount });
        }
        // Act. The check above may no longer be true.
        let mut balance = self.balance.lock().unwrap();
        *balance -= amount;
        trace!("act: balance = {}", *balance);
        Ok(())
    }
    // ANCHOR_END: check_then_act

    // ANCHOR: withdraw
    /// RIGHT: the check and the act share one critical section.
    pub fn withdraw(&self, amount: i64) -> Result<(), InsufficientFunds> {
        let mut balance = self.balance.lock().unwrap();
        trace!(
            "check: balance = {}, enough for {amount}? {}",
            *balance,
            *balance >= amount
        );
        if *balance < amount {
            return Err(InsufficientFunds {
                balance: *balance,
                amount,
            });
        }
        *balance -= amount;
        trace!("act: balance = {}", *balance);
        Ok(())
    } // the lock is released here, after the act
    // ANCHOR_END: withdraw
}

/// An account whose balance is one atomic integer.
#[derive(Debug)]
pub struct AtomicAccount {
    balance: AtomicI64,
}

impl AtomicAccount {
    /// An account holding `balance`.
    pub fn new(balance: i64) -> Self {
        AtomicAccount {
            balance: AtomicI64::new(balance),
        }
    }

    /// The balance now.
    pub fn balance(&self) -> i64 {
        self.balance.load(Ordering::Relaxed)
    }

    // ANCHOR: cas_withdraw
    /// RIGHT: check the balance we saw, then take the money only if the balance
    /// is still the one we checked; if another thread changed it, check again.
    pub fn withdraw(&self, amount: i64) -> Result<(), InsufficientFunds> {
        let mut balance = self.balance.load(Ordering::Relaxed);
        loop {
            trace!(
                "check: balance = {balance}, enough for {amount}? {}",
                balance >= amount
            );
            if balance < amount {
                return Err(InsufficientFunds { balance, amount });
            }
            let new = balance - amount;
            match self
                .balance
                .compare_exchange(balance, new, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => {
                    trace!("act: compare_exchange balance {balance} -> {new}");
                    return Ok(());
                }
                Err(now) => {
                    trace!("compare_exchange fails: balance is {now}, not {balance}; check again");
                    balance = now;
                }
            }
        }
    }
    // ANCHOR_END: cas_withdraw
}
