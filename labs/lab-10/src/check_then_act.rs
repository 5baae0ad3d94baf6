//! Check-then-act across an `.await`, with tokio's `Mutex` let go in between.
//!
//! An account behind a tokio `Mutex`. A withdrawal looks at the balance,
//! asks an approver (an `.await`: in a real service, a call to another
//! service; here `yield_now`, which lets any other task run), and then takes
//! the money. The tempting version takes the lock to look, lets it go (the
//! guard is a temporary of the statement), and takes it again to withdraw:
//! between the two, another withdrawal can look at the same balance. Two
//! withdrawals of 60 from 100 then both pass the check, and the account ends
//! at -20.
//!
//! tokio's `MutexGuard` may be held across an `.await` (it is `Send`, and the
//! lock's waiters are woken as tasks, not blocked threads: tokio's
//! `src/sync/mutex.rs`), so the right version keeps the guard from the check
//! to the withdrawal. (Looking again after the `.await`, under the second
//! guard, is right too, if the approval may be wasted.)

use std::sync::Arc;

use super::rt::sync::Mutex;
use super::trace;

/// An account whose balance may never go below zero.
#[derive(Debug)]
pub struct Account {
    balance: Mutex<i64>,
}

/// Which withdrawal a model runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// Tempting: lock to check, unlock, await, lock again to withdraw.
    UnlockBeforeTheAwait,
    /// Right: one guard from the check to the withdrawal.
    GuardAcrossTheAwait,
}

/// The approval of a withdrawal: some `.await` between the check and the
/// act. `yield_now` is a point where tokio (and shuttle) may run another task.
async fn approve(amount: i64) {
    let _ = amount;
    super::rt::task::yield_now().await;
}

impl Account {
    /// An account holding `balance`.
    pub fn new(balance: i64) -> Self {
        Account {
            balance: Mutex::new(balance),
        }
    }

    /// The balance now.
    pub async fn balance(&self) -> i64 {
        *self.balance.lock().await
    }

    // ANCHOR: tempting
    /// Tempting: withdraws `amount` if the balance covers it.
    pub async fn withdraw_tempting(&self, amount: i64) -> bool {
        let balance = *self.balance.lock().await; // the guard goes here
        trace!("reads the balance, {balance}, and unlocks");
        if balance < amount {
            return false;
        }
        approve(amount).await;
        let mut balance = self.balance.lock().await;
        *balance -= amount;
        trace!(
            "locks again, withdraws {amount}: the balance is {}",
            *balance
        );
        true
    }
    // ANCHOR_END: tempting

    // ANCHOR: right
    /// Right: withdraws `amount` if the balance covers it, holding the lock
    /// from the check to the withdrawal.
    pub async fn withdraw(&self, amount: i64) -> bool {
        let mut balance = self.balance.lock().await;
        trace!("locks, reads the balance: {}", *balance);
        if *balance < amount {
            return false;
        }
        approve(amount).await; // still holding the guard
        *balance -= amount;
        trace!("withdraws {amount}: the balance is {}", *balance);
        true
    }
    // ANCHOR_END: right
}

// ANCHOR: model
/// The model: an account of 100; the test's task and a task it spawns (T1)
/// each withdraw 60. At most one may succeed, and the balance never goes
/// below zero.
pub async fn two_withdrawals(version: Version) {
    let account = Arc::new(Account::new(100));
    let withdraw = move |account: Arc<Account>| async move {
        match version {
            Version::UnlockBeforeTheAwait => account.withdraw_tempting(60).await,
            Version::GuardAcrossTheAwait => account.withdraw(60).await,
        }
    };
    let other = super::rt::spawn(withdraw(Arc::clone(&account)));
    let mine = withdraw(Arc::clone(&account)).await;
    let theirs = other.await.expect("the other withdrawal panicked");
    let balance = account.balance().await;
    assert!(
        balance >= 0,
        "the account is overdrawn: balance {balance} (withdrawals succeeded: {mine}, {theirs})"
    );
}
// ANCHOR_END: model
