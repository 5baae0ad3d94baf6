//! The CPU-bound job: count the primes below a bound by trial division.
//!
//! Every way below splits `0..below` into the same chunks ([`chunk_ranges`]),
//! counts the primes of each chunk with [`count_primes`] and adds the counts up.
//! Only who runs the chunks changes: one thread, a few std threads, tokio tasks
//! or rayon's pool. Each returns the count, so that a test (or the measurement)
//! can check it. The `…_in` functions take a runtime or pool built beforehand,
//! so that the measurement times the counting, not the building of the pool.

use std::ops::Range;

// ANCHOR: count_primes
/// How many primes lie in `range`, by trial division: `n` is prime if it is at
/// least 2 and no `d` with `d * d <= n` divides it. Deliberately slow and simple:
/// pure computation, no memory to speak of, no waiting.
pub fn count_primes(range: Range<u64>) -> u64 {
    let is_prime = |n: u64| {
        n >= 2
            && (2..)
                .take_while(|d| d * d <= n)
                .all(|d| !n.is_multiple_of(d))
    };
    range.filter(|&n| is_prime(n)).count() as u64
}
// ANCHOR_END: count_primes

// ANCHOR: chunk_ranges
/// Splits `0..below` into `chunks` contiguous ranges, in order: chunk `i` is
/// `below * i / chunks .. below * (i + 1) / chunks`. Their sizes differ by at
/// most one; some are empty when `below < chunks`.
pub fn chunk_ranges(below: u64, chunks: usize) -> Vec<Range<u64>> {
    let n = chunks as u64;
    (0..n).map(|i| below * i / n..below * (i + 1) / n).collect()
}
// ANCHOR_END: chunk_ranges

// ANCHOR: cpu_sequential
/// One thread counts every chunk, one after the other: the baseline.
pub fn cpu_sequential(below: u64, chunks: usize) -> u64 {
    chunk_ranges(below, chunks)
        .into_iter()
        .map(count_primes)
        .sum()
}
// ANCHOR_END: cpu_sequential

// ANCHOR: cpu_threads
/// `workers` std threads share the chunks: thread `w` counts chunks `w`,
/// `w + workers`, `w + 2 * workers`, … (dealt round-robin, so that every thread
/// gets some small and some large numbers), and the counts are added up.
pub fn cpu_threads(below: u64, chunks: usize, workers: usize) -> u64 {
    let ranges = chunk_ranges(below, chunks);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let mine = ranges.iter().skip(w).step_by(workers).cloned();
                s.spawn(move || mine.map(count_primes).sum::<u64>())
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    })
}
// ANCHOR_END: cpu_threads

// ANCHOR: cpu_tokio
/// One tokio task per chunk, on a current-thread runtime: one OS thread runs
/// every task. A task that never `.await`s runs to the end before the next one
/// starts, so this is the sequential way with extra steps.
pub fn cpu_tokio(below: u64, chunks: usize) -> u64 {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("cannot start a tokio runtime");
    cpu_tokio_in(&runtime, below, chunks)
}

/// The tasks themselves, on a runtime built beforehand: whichever runtime it
/// is decides how many of them run at once.
pub fn cpu_tokio_in(runtime: &tokio::runtime::Runtime, below: u64, chunks: usize) -> u64 {
    runtime.block_on(async {
        let mut tasks = tokio::task::JoinSet::new();
        for range in chunk_ranges(below, chunks) {
            tasks.spawn(async move { count_primes(range) });
        }
        tasks.join_all().await.into_iter().sum()
    })
}
// ANCHOR_END: cpu_tokio

// ANCHOR: cpu_rayon
/// rayon's pool of `workers` threads takes the chunks from a parallel iterator;
/// its work stealing keeps every thread busy until the last chunk is done.
pub fn cpu_rayon(below: u64, chunks: usize, workers: usize) -> u64 {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .build()
        .expect("cannot start rayon's threads");
    cpu_rayon_in(&pool, below, chunks)
}

/// The counting itself, on a pool built beforehand.
pub fn cpu_rayon_in(pool: &rayon::ThreadPool, below: u64, chunks: usize) -> u64 {
    use rayon::prelude::*;
    pool.install(|| {
        chunk_ranges(below, chunks)
            .into_par_iter()
            .map(count_primes)
            .sum()
    })
}
// ANCHOR_END: cpu_rayon

// ANCHOR: cpu_tokio_multi
/// The same tasks as [`cpu_tokio`], on a multi-thread runtime of `workers`
/// threads: they now run side by side. (Long computations on a runtime's
/// threads keep them from serving other tasks; chapter 10 shows the cost.)
pub fn cpu_tokio_multi(below: u64, chunks: usize, workers: usize) -> u64 {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .build()
        .expect("cannot start a tokio runtime");
    cpu_tokio_in(&runtime, below, chunks)
}
// ANCHOR_END: cpu_tokio_multi

/// The number of primes below `below`, where it is well known (π(10ⁿ) and a few
/// others), to check the count against something other than itself.
pub fn known_prime_count(below: u64) -> Option<u64> {
    const KNOWN: &[(u64, u64)] = &[
        (10, 4),
        (100, 25),
        (1_000, 168),
        (10_000, 1_229),
        (100_000, 9_592),
        (200_000, 17_984),
        (1_000_000, 78_498),
        (2_000_000, 148_933),
        (3_000_000, 216_816),
        (4_000_000, 283_146),
        (5_000_000, 348_513),
        (6_000_000, 412_849),
        (7_000_000, 476_648),
        (8_000_000, 539_777),
        (10_000_000, 664_579),
        (100_000_000, 5_761_455),
        (1_000_000_000, 50_847_534),
    ];
    KNOWN.iter().find(|&&(b, _)| b == below).map(|&(_, n)| n)
}
