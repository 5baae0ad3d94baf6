//! Exercise 7.2: a worker pool that reports a panicking job and shuts down
//! cleanly.
//!
//! What to do: write `Pool::new`, `submit` and `shutdown`. `new(n)` starts
//! `n` worker threads that take jobs from one channel and send each result,
//! with the job's number, into another. A job that panics gives
//! `Err(JobFailed)` for that job, and its worker goes on with the next one.
//! `shutdown` lets every job already submitted finish, joins every worker,
//! and returns one result per job, in the order they were submitted. Keep the
//! signatures as they are (writing `mut self` in `shutdown` is fine); you may
//! change the fields.
//!
//! The workers outlive `new`, so they are started with `thread::spawn`, not
//! in a `thread::scope`, and a job must be `'static`. A job that panics still
//! has its message printed by Rust's panic hook, even once you catch it: a
//! `panicked at … job 2 fails` line in the test output is the test's own
//! panicking job, not your bug.
//!
//! The book explains it: chapter 7, "Exercise 7.2: a worker pool"
//! (book/07-message-passing/exercises.md).
//! Check your work:  cargo test -p lab-07 exercise_7_2
//! Stuck?            cargo xtask hint 7.2

#[allow(unused_imports)] // you will need them
use std::panic::{self, AssertUnwindSafe};
#[allow(unused_imports)] // you will need them
use std::thread::{self, JoinHandle};

#[allow(unused_imports)] // you will need them
use crossbeam_channel::{Receiver, Sender, unbounded};

// ANCHOR: pool
/// A job: any closure that runs once on a worker and returns a `T`.
pub type Job<T> = Box<dyn FnOnce() -> T + Send + 'static>;

/// A job that panicked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobFailed {
    /// The job's number, as `submit` returned it.
    pub job: usize,
    /// What it panicked with (see `lab_support::panic_message`).
    pub message: String,
}

/// A fixed number of worker threads that run submitted jobs.
#[derive(Debug)]
#[allow(dead_code)] // until new, submit and shutdown use the fields
pub struct Pool<T> {
    /// Where `submit` sends numbered jobs. `None` once shutting down.
    jobs: Option<Sender<(usize, Job<T>)>>,
    /// Where the workers send numbered results.
    results: Receiver<(usize, Result<T, JobFailed>)>,
    workers: Vec<JoinHandle<()>>,
    /// How many jobs were submitted: the next job's number.
    submitted: usize,
}

impl<T: Send + 'static> Pool<T> {
    /// Starts `workers` worker threads (at least one).
    pub fn new(workers: usize) -> Self {
        let _ = workers;
        todo!("exercise 7.2: start the workers, each taking jobs from one channel")
    }

    /// Queues `job`; returns its number (0 for the first job, then 1, …).
    pub fn submit(&mut self, job: impl FnOnce() -> T + Send + 'static) -> usize {
        let _ = job;
        todo!("exercise 7.2: number the job and send it to the workers")
    }

    /// Lets every queued job finish, joins every worker, and returns each
    /// job's result in the order the jobs were submitted.
    pub fn shutdown(self) -> Vec<Result<T, JobFailed>> {
        todo!("exercise 7.2: close the job channel, join the workers, gather the results")
    }
}
// ANCHOR_END: pool
