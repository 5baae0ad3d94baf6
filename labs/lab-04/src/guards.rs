//! Guards and their scope: the critical section lasts exactly as long as the
//! guard. A guard dropped early, a guard kept too long, and a `RwLock` whose
//! readers share it. The tests are in `tests/threads.rs`.

use std::collections::{HashMap, VecDeque};

use super::sync::{Mutex, RwLock};

// ANCHOR: scope
/// Adds `entry` to the log and returns how many entries it holds now.
pub fn append(log: &Mutex<Vec<String>>, entry: &str) -> usize {
    let mut entries = log.lock().unwrap(); // the critical section starts here
    entries.push(entry.to_owned());
    entries.len()
} // `entries`, the guard, is dropped here: the critical section ends
// ANCHOR_END: scope

// ANCHOR: drop_early
/// Adds `entry` to the log, then does slow work with a copy of the log,
/// outside the critical section.
pub fn append_then_summarize(log: &Mutex<Vec<String>>, entry: &str) -> String {
    let mut entries = log.lock().unwrap();
    entries.push(entry.to_owned());
    let copy = entries.clone();
    drop(entries); // the critical section ends here, not at the end of the function
    summarize(&copy) // slow, and no other thread waits for it
}
// ANCHOR_END: drop_early

/// Stands for slow work that needs no lock.
fn summarize(entries: &[String]) -> String {
    format!("{} entries, the last: {:?}", entries.len(), entries.last())
}

// ANCHOR: held_too_long
/// WRONG: the guard that `lock()` returns is a temporary in the condition of
/// `while let`, and such a temporary lives until the end of the loop's body.
/// Every job runs inside the critical section: no other thread can add or
/// take a job until it finishes.
pub fn run_jobs_holding_the_lock(jobs: &Mutex<VecDeque<u64>>, mut work: impl FnMut(u64)) {
    while let Some(job) = jobs.lock().unwrap().pop_front() {
        work(job); // the queue is still locked here
    }
}
// ANCHOR_END: held_too_long

// ANCHOR: held_briefly
/// RIGHT: the temporary guard of a `let` statement is dropped at the end of
/// that statement, so the lock is held only while one job is taken.
pub fn run_jobs(jobs: &Mutex<VecDeque<u64>>, mut work: impl FnMut(u64)) {
    loop {
        let job = jobs.lock().unwrap().pop_front(); // locked for this line only
        let Some(job) = job else { break };
        work(job); // the queue is unlocked here
    }
}
// ANCHOR_END: held_briefly

// ANCHOR: rwlock
/// Settings that many threads read and few change: a `RwLock` lets any number
/// of readers in at once, or one writer alone.
#[derive(Debug, Default)]
pub struct Settings {
    values: RwLock<HashMap<String, String>>,
}

impl Settings {
    /// The value of `key`, if set. Takes a shared read lock.
    pub fn get(&self, key: &str) -> Option<String> {
        self.values.read().unwrap().get(key).cloned()
    }

    /// Sets `key` to `value`. Takes the exclusive write lock.
    pub fn set(&self, key: &str, value: &str) {
        self.values
            .write()
            .unwrap()
            .insert(key.to_owned(), value.to_owned());
    }
}
// ANCHOR_END: rwlock

// ANCHOR: rwlock_itself
impl Settings {
    /// The `RwLock` itself, for the tests that show who may hold it at once.
    pub fn lock(&self) -> &RwLock<HashMap<String, String>> {
        &self.values
    }
}
// ANCHOR_END: rwlock_itself

// ANCHOR: granularity
/// One lock for the whole state: simple, and whoever takes it sees both
/// counts as of one moment. An invariant that spans both fields (here:
/// `served + refused` is the number of requests recorded so far) holds
/// whenever the lock is free.
#[derive(Debug, Default)]
pub struct CoarseStats {
    inner: Mutex<Counts>,
}

/// The counts that [`CoarseStats`] keeps together.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Requests served.
    pub served: u64,
    /// Requests refused.
    pub refused: u64,
}

impl CoarseStats {
    /// Records one request.
    pub fn record(&self, served: bool) {
        let mut counts = self.inner.lock().unwrap();
        if served {
            counts.served += 1;
        } else {
            counts.refused += 1;
        }
    }

    /// Both counts, read together in one critical section.
    pub fn snapshot(&self) -> Counts {
        *self.inner.lock().unwrap()
    }
}
// ANCHOR_END: granularity
