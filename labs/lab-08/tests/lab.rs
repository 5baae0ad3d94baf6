//! Every test of lab 8, in one test binary, so that `cargo test -p lab-08`
//! runs all of them and lists every open exercise, even when one fails.
//!
//! Nothing here runs under loom: rayon's workers are real threads that loom
//! cannot schedule. Tests named `threads_…` run the lab's code on real
//! threads and check its results and where it ran (`rayon::current_thread_index`),
//! never how long anything took or how many workers took part, which depends
//! on timing; `exercise_…` check your exercise files; `measure_…` the measure
//! command at a tiny size. Each runs under the watchdog, so that a hang fails
//! within seconds.

/// A private pool of `threads` workers for a test: code that runs on it and
/// never ends holds only these workers, not the global pool the other tests
/// use.
fn pool(threads: usize) -> rayon::ThreadPool {
    lab_08::pool(threads).unwrap()
}

mod exercise_8_1_mandelbrot;
mod exercise_8_2_merge_sort;
mod measure;
mod threads_kernel;
mod threads_rayon;
