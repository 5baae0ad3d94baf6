//! Three ways to lose with rayon: a `Mutex` inside `par_iter`; a lock held
//! while calling into rayon; blocking waits on rayon's workers. And one that
//! looks wrong and is fine: nested parallel loops (one pool serves both).

use std::hint::black_box;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
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

/// What [`lock_then_call_into_rayon`] and [`call_into_rayon_then_lock`] saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reentry {
    /// The second job ran on the same OS thread as the first.
    pub same_thread: bool,
    /// It ran while the first job was waiting inside its call into the
    /// other pool.
    pub inside_the_wait: bool,
    /// It found the lock already taken (by its own thread).
    pub lock_was_taken: bool,
}

/// What the second job records: its thread, whether the first job was in
/// its wait, and whether the lock was taken.
#[derive(Debug)]
struct Seen {
    thread: std::thread::ThreadId,
    inside_the_wait: bool,
    lock_was_taken: bool,
}

/// How long the first job's wait into the other pool gives the second job to
/// run: a guard that only a bug in the demonstration would reach, well
/// inside the watchdog's limit.
const PATIENCE: Duration = Duration::from_secs(4);

fn one_worker() -> rayon::ThreadPool {
    crate::pool(1).expect("a pool of one worker")
}

// ANCHOR: reentry_harness
/// The harness of both versions below. Pool `outer` has one worker. It runs
/// `rayon::join(first, second)`: `second` waits in the worker's queue while
/// `first` runs. `first` gets the lock and `wait_in_rayon`, which calls into
/// another pool, `inner`, and waits there until `second` has run (or gives
/// up after [`PATIENCE`]). While it waits, the worker does not sit idle: it
/// takes `second` from its own queue and runs it, on the same thread, inside
/// that wait. `second` looks at the lock with `try_lock`, so that the
/// demonstration always ends: with `lock()`, if the lock were held, it would
/// wait for a lock that its own thread holds, and that thread cannot let go
/// until `second` returns.
fn first_then_second(first: impl FnOnce(&Mutex<u64>, &(dyn Fn() + Sync)) + Send) -> Reentry {
    let (outer, inner) = (one_worker(), one_worker());
    let lock = Mutex::new(0);
    let waiting = AtomicBool::new(false);
    let (second_ran, wait_for_second) = mpsc::channel::<Seen>();
    let wait_for_second = Mutex::new(wait_for_second);
    let seen = Mutex::new(None);
    let wait_in_rayon = || {
        waiting.store(true, Ordering::SeqCst);
        let got = inner.install(|| wait_for_second.lock().unwrap().recv_timeout(PATIENCE));
        waiting.store(false, Ordering::SeqCst);
        *seen.lock().unwrap() = got.ok();
    };
    let first_thread = outer.install(|| {
        rayon::join(
            || {
                first(&lock, &wait_in_rayon);
                std::thread::current().id()
            },
            || {
                let _ = second_ran.send(Seen {
                    thread: std::thread::current().id(),
                    inside_the_wait: waiting.load(Ordering::SeqCst),
                    lock_was_taken: lock.try_lock().is_err(),
                });
            },
        )
        .0
    });
    let seen = seen
        .into_inner()
        .unwrap()
        .expect("the second job ran while the first waited in rayon");
    Reentry {
        same_thread: seen.thread == first_thread,
        inside_the_wait: seen.inside_the_wait,
        lock_was_taken: seen.lock_was_taken,
    }
}
// ANCHOR_END: reentry_harness

// ANCHOR: lock_then_rayon
/// Tempting: hold a lock while calling into rayon (rayon issue 592). While
/// this thread waits inside rayon, rayon may run another job on it, and
/// that job finds the lock taken: by its own thread.
pub fn lock_then_call_into_rayon() -> Reentry {
    first_then_second(|lock, wait_in_rayon| {
        let _guard = lock.lock().unwrap();
        wait_in_rayon();
    })
}

/// Right: call into rayon first, with no lock held, and take the lock only
/// to store what came back. The other job still runs on this thread during
/// the wait, and now finds the lock free.
pub fn call_into_rayon_then_lock() -> Reentry {
    first_then_second(|lock, wait_in_rayon| {
        wait_in_rayon();
        *lock.lock().unwrap() += 1;
    })
}
// ANCHOR_END: lock_then_rayon

// ANCHOR: blocking
/// Tempting: waiting (here `sleep`, standing for a blocking read or a
/// request) inside `par_iter`. Each wait holds one of the pool's workers
/// (the global pool has one per core, unless `RAYON_NUM_THREADS` says
/// otherwise): `waits` waits of `each` take about
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

// ANCHOR: wait_behind
/// Tempting: inside rayon, block until another rayon job has done something.
/// On a pool of one worker, `join` runs `a` first and leaves `b` in the same
/// worker's queue; `a` waits for `b`'s message, and `b` can only run once `a`
/// returns. With more workers, it hangs whenever every worker is waiting like
/// this. Here `a` gives up after `patience` and reports what it got.
pub fn wait_for_a_job_queued_behind_you(patience: Duration) -> Result<(), mpsc::RecvTimeoutError> {
    let pool = one_worker();
    let (done, wait_for_done) = mpsc::channel::<()>();
    pool.install(|| {
        rayon::join(
            move || wait_for_done.recv_timeout(patience),
            move || {
                let _ = done.send(());
            },
        )
        .0
    })
}
// ANCHOR_END: wait_behind

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
