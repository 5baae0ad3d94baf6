//! The lab on real threads: guards and their scope, a `RwLock`'s readers,
//! poisoning and recovery, the fixed philosophers and the job queue.
//! Each test that could hang runs under the watchdog: a deadlock fails within
//! seconds.

use std::collections::VecDeque;
use std::sync::{Arc, Barrier, Mutex, TryLockError};

use lab_04::guards::{
    CoarseStats, Counts, Settings, append, append_then_summarize, run_jobs,
    run_jobs_holding_the_lock,
};
use lab_04::jobs::JobQueue;
use lab_04::philosophers::{dine_lower_first, dine_one_lock};
use lab_04::poison;
use lab_support::capture;
use lab_support::watchdog::watchdog;

#[test]
fn threads_guard_ends_the_critical_section() {
    let log = Mutex::new(Vec::new());
    assert_eq!(append(&log, "a"), 1);
    assert!(
        log.try_lock().is_ok(),
        "append returned still holding the lock"
    );
    let summary = append_then_summarize(&log, "b");
    assert_eq!(summary, "2 entries, the last: Some(\"b\")");
    assert!(log.try_lock().is_ok());
}

/// Runs `run` over three jobs and reports, for each job, whether the queue was
/// locked while the job ran (seen with `try_lock` from inside the job).
/// A way to run the jobs of a queue: `run_jobs` or `run_jobs_holding_the_lock`.
type Runner = fn(&Mutex<VecDeque<u64>>, &mut dyn FnMut(u64));

fn locked_during_jobs(run: Runner) -> Vec<bool> {
    let jobs = Mutex::new(VecDeque::from([1, 2, 3]));
    let mut seen = Vec::new();
    run(&jobs, &mut |_job| {
        seen.push(matches!(jobs.try_lock(), Err(TryLockError::WouldBlock)));
    });
    seen
}

// ANCHOR: held_test
#[test]
fn threads_while_let_holds_the_lock_for_the_whole_body() {
    let holding = locked_during_jobs(|jobs, work| run_jobs_holding_the_lock(jobs, work));
    assert_eq!(holding, [true, true, true], "while let keeps the guard");
    let brief = locked_during_jobs(|jobs, work| run_jobs(jobs, work));
    assert_eq!(
        brief,
        [false, false, false],
        "let drops the guard at the `;`"
    );
}
// ANCHOR_END: held_test

// ANCHOR: readers_test
/// Two readers hold the read lock at the same moment: each waits at a barrier
/// for the other while holding it. With a `Mutex` this would never finish.
#[test]
fn threads_rwlock_lets_two_readers_in_at_once() {
    watchdog(|| {
        let settings = Arc::new(Settings::default());
        settings.set("mode", "fast");
        let both_inside = Arc::new(Barrier::new(2));
        let readers: Vec<_> = (0..2)
            .map(|_| {
                let (settings, both_inside) = (Arc::clone(&settings), Arc::clone(&both_inside));
                std::thread::spawn(move || {
                    let values = settings.lock().read().unwrap();
                    both_inside.wait(); // returns once both readers hold the lock
                    assert!(settings.lock().try_write().is_err(), "a writer got in");
                    values.get("mode").cloned()
                })
            })
            .collect();
        for r in readers {
            assert_eq!(r.join().unwrap().as_deref(), Some("fast"));
        }
        assert_eq!(settings.get("mode").as_deref(), Some("fast"));
    });
}
// ANCHOR_END: readers_test

// ANCHOR: poison_test
#[test]
fn threads_a_panic_poisons_the_mutex_and_we_recover() {
    let report = watchdog(poison::demo);
    assert!(report.contains("lock() returned Err"), "{report}");
    assert!(report.contains("repaired: [100, 100]"), "{report}");
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "04-locks-and-conditions/captured/poison-demo.txt",
        &report,
    );
}
// ANCHOR_END: poison_test

#[test]
fn threads_coarse_stats_keep_their_invariant() {
    watchdog(|| {
        let stats = Arc::new(CoarseStats::default());
        std::thread::scope(|s| {
            for t in 0..4 {
                let stats = &stats;
                s.spawn(move || {
                    for i in 0..10_000u64 {
                        stats.record((i + t) % 3 != 0);
                    }
                });
            }
        });
        let Counts { served, refused } = stats.snapshot();
        assert_eq!(served + refused, 40_000);
    });
}

#[test]
fn threads_fixed_philosophers_all_eat() {
    watchdog(|| {
        const SEATS: usize = 5;
        let forks: Arc<Vec<Mutex<u32>>> = Arc::new((0..SEATS).map(|_| Mutex::new(0)).collect());
        let table = Arc::new(Mutex::new(vec![0; SEATS]));
        std::thread::scope(|s| {
            for seat in 0..SEATS {
                let (forks, table) = (&forks, &table);
                s.spawn(move || {
                    for _ in 0..2_000 {
                        dine_lower_first(forks, seat);
                        dine_one_lock(table, seat);
                    }
                });
            }
        });
        for fork in forks.iter() {
            assert_eq!(*fork.lock().unwrap(), 4_000);
        }
        assert!(table.lock().unwrap().iter().all(|&n| n == 4_000));
    });
}

#[test]
fn threads_job_queue_delivers_every_job_once() {
    watchdog(|| {
        let queue = Arc::new(JobQueue::new());
        let consumers: Vec<_> = (0..4)
            .map(|_| {
                let queue = Arc::clone(&queue);
                std::thread::spawn(move || (0..5_000).map(|_| queue.pop()).collect::<Vec<u32>>())
            })
            .collect();
        for job in 0..20_000 {
            queue.push(job);
        }
        let mut all: Vec<u32> = consumers
            .into_iter()
            .flat_map(|c| c.join().unwrap())
            .collect();
        all.sort_unstable();
        assert!(all.iter().copied().eq(0..20_000));
    });
}
