//! Three ways to lose with rayon: a `Mutex` inside `par_iter`; a lock held
//! while calling into rayon; blocking waits on rayon's workers. And one that
//! looks wrong and is fine: nested parallel loops (one pool serves both).

use std::hint::black_box;
use std::sync::Mutex;
use std::sync::mpsc;
use std::time::Duration;

use rayon::prelude::*;

/// A little work per item, so that the lock is not all there is.
pub fn cost(x: u64) -> u64 {
    let mut h = x;
    for _ in 0..20 {
        h = black_box(h.rotate_left(5) ^ 0x9e37_79b9_7f4a_7c15);
    }
    h & 0xff
}

// ANCHOR: mutex_inside
/// Tempting: every item adds its share to one total behind a `Mutex`. The
/// answer is right, but every worker queues for the same lock, once per item.
pub fn sum_through_a_mutex(n: u64) -> u64 {
    let total = Mutex::new(0);
    (0..n).into_par_iter().for_each(|x| {
        *total.lock().unwrap() += cost(x);
    });
    total.into_inner().unwrap()
}

/// Right: each worker adds up its own pieces, and rayon adds the pieces'
/// sums. No lock at all.
pub fn sum_without_a_lock(n: u64) -> u64 {
    (0..n).into_par_iter().map(cost).sum()
}
// ANCHOR_END: mutex_inside

/// What [`lock_then_call_into_rayon`] saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reentry {
    /// The worker that held the lock.
    pub holder: usize,
    /// The worker that ran the second job.
    pub second_job_ran_on: usize,
    /// The second job found the lock already taken (by its own thread).
    pub lock_was_taken: bool,
}

// ANCHOR: lock_then_rayon
/// Holding a lock while calling into rayon (rayon issue 592). Pool `outer`
/// has one worker. It runs `rayon::join(first, second)`: `second` waits in
/// the worker's queue while `first` runs. `first` takes the lock and calls
/// into another pool, `inner`; while it waits for `inner`, the worker does
/// not sit idle: it takes `second` from its own queue and runs it, on the
/// same thread, inside `first`'s wait, with the lock still held.
///
/// `second` uses `try_lock` so that the demonstration ends: with
/// `lock()` it would wait for a lock that its own thread holds, and that
/// thread cannot let go until `second` returns. `inner` waits until
/// `second` has run (or for ten seconds, a guard that only a bug in this
/// demonstration would reach), so that `first` cannot finish before the worker
/// looks for other work.
pub fn lock_then_call_into_rayon() -> Reentry {
    let outer = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let inner = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let lock = Mutex::new(0);
    let (second_ran, wait_for_second) = mpsc::channel::<(usize, bool)>();
    let (holder, seen) = outer.install(|| {
        rayon::join(
            || {
                let _guard = lock.lock().unwrap();
                let holder = rayon::current_thread_index().unwrap();
                let seen = inner.install(move || {
                    wait_for_second
                        .recv_timeout(Duration::from_secs(10))
                        .expect("the second job ran while the first waited in rayon")
                });
                (holder, seen)
            },
            || {
                let taken = lock.try_lock().is_err();
                let me = rayon::current_thread_index().unwrap();
                second_ran.send((me, taken)).unwrap();
            },
        )
        .0
    });
    Reentry {
        holder,
        second_job_ran_on: seen.0,
        lock_was_taken: seen.1,
    }
}

/// Right: do the parallel work first, with no lock held, and take the lock
/// only to store what it found.
pub fn call_into_rayon_then_lock(total: &Mutex<u64>, n: u64) {
    let found = sum_without_a_lock(n);
    *total.lock().unwrap() += found;
}
// ANCHOR_END: lock_then_rayon

// ANCHOR: blocking
/// Tempting: waiting (here `sleep`, standing for a blocking read or a
/// request) inside `par_iter`. Each wait holds one of rayon's workers, which
/// are as many as the cores: `waits` waits of `each` take about
/// `waits / workers` times `each`, however little CPU they need.
pub fn waits_on_rayon(waits: usize, each: Duration) -> usize {
    (0..waits)
        .into_par_iter()
        .map(|_| std::thread::sleep(each))
        .count()
}

/// Waits belong on threads of their own (or async tasks, chapter 9): all
/// `waits` wait at once and take about `each`.
pub fn waits_on_threads(waits: usize, each: Duration) -> usize {
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..waits)
            .map(|_| s.spawn(move || std::thread::sleep(each)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).count()
    })
}
// ANCHOR_END: blocking

// ANCHOR: nested
/// A parallel loop inside a parallel loop: rayon does not start new threads
/// for the inner one. Both run on the same pool's workers, which share out
/// the inner pieces like any others. Returns the sum and the highest worker
/// index that any outer or inner item ran on (it panics if one ran on a
/// thread that is not a rayon worker).
pub fn nested(outer: u64, inner: u64) -> (u64, usize) {
    let on_a_worker = || rayon::current_thread_index().expect("runs on a rayon worker");
    (0..outer)
        .into_par_iter()
        .map(|i| {
            let (sum, highest) = (0..inner)
                .into_par_iter()
                .map(|j| (cost(i * inner + j), on_a_worker()))
                .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1.max(b.1)));
            (sum, highest.max(on_a_worker()))
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1.max(b.1)))
}
// ANCHOR_END: nested

// ANCHOR: pool
/// A pool of your own size: `install` runs the closure on one of the pool's
/// workers, and every rayon call inside it uses that pool instead of the
/// global one (whose size comes from `RAYON_NUM_THREADS`, or else the number
/// of cores).
pub fn on_a_pool_of(threads: usize) -> usize {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a pool");
    pool.install(rayon::current_num_threads)
}
// ANCHOR_END: pool
