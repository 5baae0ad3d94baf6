//! The tests of exercise 7.2 (your file: labs/lab-07/exercises/pool.rs).
//! Real threads, under the watchdog.

use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};

use lab_07::pool::{JobFailed, Pool};
use lab_support::exercise;

/// Two workers. Job 0 waits until job 2 runs, so the worker that took job 0
/// is stuck, and the other worker does job 1, sends its result, and only then
/// runs job 2, which lets job 0 finish. So job 1's result always arrives
/// before job 0's, and `shutdown` must still put them in submission order.
#[test]
fn exercise_7_2_a_job_that_finishes_later_still_comes_first() {
    exercise!("7.2").run(|| {
        let (job_2_runs, wait_for_job_2) = crossbeam_channel::bounded::<()>(1);
        let mut pool = Pool::new(2);
        pool.submit(move || {
            wait_for_job_2.recv().expect("job 2 ran");
            0
        });
        pool.submit(|| 1);
        pool.submit(move || {
            job_2_runs.send(()).unwrap();
            2
        });
        assert_eq!(pool.shutdown(), [Ok(0), Ok(1), Ok(2)]);
    });
}

#[test]
fn exercise_7_2_every_result_in_submission_order() {
    exercise!("7.2").run(|| {
        let mut pool = Pool::new(4);
        for i in 0..200u64 {
            assert_eq!(
                pool.submit(move || i * i),
                i as usize,
                "job numbers count from 0"
            );
        }
        let results = pool.shutdown();
        let expected: Vec<Result<u64, JobFailed>> = (0..200u64).map(|i| Ok(i * i)).collect();
        assert_eq!(results, expected);
    });
}

#[test]
fn exercise_7_2_a_panicking_job_is_reported_and_the_pool_goes_on() {
    exercise!("7.2").run(|| {
        // One worker: the jobs after the panicking one run on the same thread.
        let mut pool = Pool::new(1);
        for i in 0..6u32 {
            pool.submit(move || {
                assert!(i != 2, "job {i} fails");
                i
            });
        }
        let results = pool.shutdown();
        let failed = JobFailed {
            job: 2,
            message: "job 2 fails".to_owned(),
        };
        assert_eq!(results, [Ok(0), Ok(1), Err(failed), Ok(3), Ok(4), Ok(5)]);
    });
}

// ANCHOR: all_workers
/// Four jobs that each wait until all four are running: they finish only if
/// the pool really has four workers.
#[test]
fn exercise_7_2_n_workers_run_n_jobs_at_once() {
    exercise!("7.2").run(|| {
        let mut pool = Pool::new(4);
        let all_four = Arc::new(Barrier::new(4));
        for _ in 0..4 {
            let all_four = Arc::clone(&all_four);
            pool.submit(move || {
                all_four.wait();
            });
        }
        assert_eq!(pool.shutdown().len(), 4);
    });
}
// ANCHOR_END: all_workers

/// How many worker threads have run a job and not yet ended.
static ALIVE: AtomicUsize = AtomicUsize::new(0);

/// Counts its thread in when first touched, out when the thread ends.
struct Alive;
impl Drop for Alive {
    fn drop(&mut self) {
        ALIVE.fetch_sub(1, Ordering::SeqCst);
    }
}
thread_local! {
    static MARK: RefCell<Option<Alive>> = const { RefCell::new(None) };
}

/// `shutdown` comes right after the 60 submits, so most jobs are still queued
/// then: a `shutdown` that threw queued jobs away would return fewer results.
/// (How many are still queued depends on the run; a correct pool passes
/// whatever it is.)
#[test]
fn exercise_7_2_shutdown_finishes_the_queue_and_joins_every_worker() {
    exercise!("7.2").run(|| {
        let done = Arc::new(AtomicUsize::new(0));
        let mut pool = Pool::new(3);
        for _ in 0..60 {
            let done = Arc::clone(&done);
            pool.submit(move || {
                MARK.with(|m| {
                    m.borrow_mut().get_or_insert_with(|| {
                        ALIVE.fetch_add(1, Ordering::SeqCst);
                        Alive
                    });
                });
                done.fetch_add(1, Ordering::SeqCst);
            });
        }
        let results = pool.shutdown();
        assert_eq!(results.len(), 60, "one result per job");
        assert_eq!(done.load(Ordering::SeqCst), 60, "every queued job ran");
        // A joined thread has ended, thread-locals dropped and all.
        assert_eq!(ALIVE.load(Ordering::SeqCst), 0, "a worker is still running");
    });
}

#[test]
fn exercise_7_2_a_pool_with_no_jobs_shuts_down() {
    exercise!("7.2").run(|| {
        let pool: Pool<()> = Pool::new(2);
        assert!(pool.shutdown().is_empty());
    });
}
