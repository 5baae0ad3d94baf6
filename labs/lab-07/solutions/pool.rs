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

use std::panic::{self, AssertUnwindSafe};
use std::thread::{self, JoinHandle};

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
        let (jobs, queue) = unbounded::<(usize, Job<T>)>();
        let (done, results) = unbounded();
        let workers = (0..workers.max(1))
            .map(|_| {
                let (queue, done): (Receiver<(usize, Job<T>)>, Sender<_>) =
                    (queue.clone(), done.clone());
                thread::spawn(move || {
                    for (job, run) in queue {
                        let result =
                            panic::catch_unwind(AssertUnwindSafe(run)).map_err(|p| JobFailed {
                                job,
                                message: lab_support::panic_message(&*p),
                            });
                        let _ = done.send((job, result));
                    }
                })
            })
            .collect();
        Pool {
            jobs: Some(jobs),
            results,
            workers,
            submitted: 0,
        }
    }

    /// Queues `job`; returns its number (0 for the first job, then 1, …).
    pub fn submit(&mut self, job: impl FnOnce() -> T + Send + 'static) -> usize {
        let number = self.submitted;
        self.submitted += 1;
        self.jobs
            .as_ref()
            .expect("the pool is running until shutdown")
            .send((number, Box::new(job)))
            .expect("the workers take jobs until shutdown");
        number
    }

    /// Lets every queued job finish, joins every worker, and returns each
    /// job's result in the order the jobs were submitted.
    pub fn shutdown(mut self) -> Vec<Result<T, JobFailed>> {
        // No more jobs: each worker's loop ends once the queue is empty.
        drop(self.jobs.take());
        for worker in self.workers.drain(..) {
            worker.join().expect("a worker catches its jobs' panics");
        }
        let mut results: Vec<Option<Result<T, JobFailed>>> =
            (0..self.submitted).map(|_| None).collect();
        for (job, result) in self.results.try_iter() {
            results[job] = Some(result);
        }
        results
            .into_iter()
            .map(|r| r.expect("every job sends one result"))
            .collect()
    }
}
// ANCHOR_END: pool
