//! A queue of jobs whose consumers wait on a `Condvar` until a job arrives.
//! One `pop` checks the condition with `if` and can take from an empty queue;
//! the other checks it with `while` and cannot. loom checks both in
//! `tests/loom_jobs.rs`.

use std::collections::VecDeque;

use super::sync::{Condvar, Mutex, trace};

/// An unbounded queue: `push` never waits, `pop` waits until there is a job.
#[derive(Debug)]
pub struct JobQueue<T> {
    jobs: Mutex<VecDeque<T>>,
    /// Notified after each push: "there may be a job now".
    available: Condvar,
}

impl<T> Default for JobQueue<T> {
    fn default() -> Self {
        JobQueue {
            jobs: Mutex::new(VecDeque::new()),
            available: Condvar::new(),
        }
    }
}

impl<T> JobQueue<T> {
    /// An empty queue.
    pub fn new() -> Self {
        Self::default()
    }

    // ANCHOR: push
    /// Adds a job and wakes one waiting consumer, if any.
    pub fn push(&self, job: T) {
        let mut jobs = self.jobs.lock().unwrap();
        jobs.push_back(job);
        trace!("pushes a job; {} in the queue; notify_one", jobs.len());
        self.available.notify_one();
    }
    // ANCHOR_END: push

    // ANCHOR: pop_if
    /// WRONG: waits at most once. Being woken up means only that the queue
    /// *was* not empty at the moment of the notification; another consumer
    /// may have taken the job before this one got the lock back.
    pub fn pop_with_if(&self) -> T {
        let mut jobs = self.jobs.lock().unwrap();
        if jobs.is_empty() {
            trace!("finds the queue empty; waits");
            jobs = self.available.wait(jobs).unwrap();
            trace!("wakes up; {} in the queue", jobs.len());
        }
        let job = jobs.pop_front();
        trace!(
            "pops {}; {} left",
            if job.is_some() { "a job" } else { "nothing" },
            jobs.len()
        );
        job.expect("woke up to an empty queue: another consumer took the job")
    }
    // ANCHOR_END: pop_if

    // ANCHOR: pop_while
    /// RIGHT: checks the condition again after every wake-up, and waits again
    /// while it does not hold. (`Condvar::wait_while` writes the same loop.)
    pub fn pop(&self) -> T {
        let mut jobs = self.jobs.lock().unwrap();
        while jobs.is_empty() {
            trace!("finds the queue empty; waits");
            jobs = self.available.wait(jobs).unwrap();
            trace!("wakes up; {} in the queue", jobs.len());
        }
        let job = jobs.pop_front();
        trace!("pops a job; {} left", jobs.len());
        job.expect("the loop ends only when the queue has a job")
    }
    // ANCHOR_END: pop_while
}
