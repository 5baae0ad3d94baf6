//! Fan-out, fan-in: `workers` threads take numbered jobs from one channel
//! (fan-out: crossbeam's receivers clone, and each message goes to one of
//! them) and send numbered results into another (fan-in: its senders clone).
//! The numbers put the results back in input order, whichever worker
//! finished first.

use std::panic::{self, AssertUnwindSafe};
use std::thread;

use crossbeam_channel::{bounded, unbounded};

/// A job that panicked: its index and the panic's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panicked {
    /// Where the job was in the input.
    pub index: usize,
    /// What it panicked with.
    pub message: String,
}

// ANCHOR: map_in_order
/// `f` applied to every input on `workers` threads; the results in input
/// order. A job that panics gives `Err` in its place; the others still run.
pub fn map_in_order<T, R, F>(inputs: Vec<T>, workers: usize, f: F) -> Vec<Result<R, Panicked>>
where
    T: Send,
    R: Send,
    F: Fn(T) -> R + Sync,
{
    let count = inputs.len();
    let (to_workers, jobs) = bounded::<(usize, T)>(workers);
    let (to_results, results) = unbounded::<(usize, Result<R, Panicked>)>();
    thread::scope(|s| {
        for _ in 0..workers.max(1) {
            let (jobs, to_results, f) = (jobs.clone(), to_results.clone(), &f);
            s.spawn(move || {
                for (index, input) in jobs {
                    // A panic ends this job, not the worker: it is caught here
                    // and sent on as the job's result.
                    let result =
                        panic::catch_unwind(AssertUnwindSafe(|| f(input))).map_err(|p| Panicked {
                            index,
                            message: lab_support::panic_message(&*p),
                        });
                    // The receiving end lives until every result is in.
                    let _ = to_results.send((index, result));
                }
            });
        }
        // Only the workers' clones may keep the result channel open.
        drop(to_results);
        s.spawn(move || {
            for job in inputs.into_iter().enumerate() {
                to_workers.send(job).expect("every worker stopped");
            }
        });
        let mut in_order: Vec<Option<Result<R, Panicked>>> = (0..count).map(|_| None).collect();
        for (index, result) in results {
            in_order[index] = Some(result);
        }
        in_order
            .into_iter()
            .map(|r| r.expect("every job sends one result"))
            .collect()
    })
}
// ANCHOR_END: map_in_order
