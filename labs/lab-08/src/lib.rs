//! Lab 8: data parallelism with rayon.
//!
//! Chapter 8 of the book walks through this crate.
//!
//! - [`kernel`]: the chapter's main kernel (Collatz steps of every number up
//!   to `n`) on one thread, on threads split by hand, and with rayon.
//! - [`processes`]: the same kernel on child processes of the lab's binary.
//! - [`steal`]: work stealing recorded from a real run of a skewed job, split
//!   by hand and by `rayon::join`, drawn as a timeline.
//! - [`reduce`]: what `reduce` and `sum` ask of their operation (a float sum
//!   that depends on the split; a wrong identity; a non-associative `-`), and
//!   `collect` keeping order.
//! - [`grain`]: tiny work per item, where `par_iter` loses to `iter`, and
//!   `with_min_len`.
//! - [`amdahl`]: a job with a real serial part.
//! - [`pitfalls`]: a `Mutex` inside `par_iter`, a lock held while calling
//!   into rayon, blocking waits on rayon's workers, nested loops, a pool of
//!   your own.
//! - [`view`] and [`mandelbrot`]: exercise 8.1, `exercises/mandelbrot.rs`,
//!   yours to edit: a Mandelbrot image on rayon's pool.
//! - [`joins`] and [`merge_sort`]: exercise 8.2, `exercises/merge_sort.rs`: a
//!   merge sort with `rayon::join` and a sequential cut-off.
//! - [`measure`]: `cargo run --release -p lab-08`, all of it timed.
//!
//! Nothing here runs under loom: rayon's pool is made of real threads that
//! loom cannot schedule. The tests check results, and where a run happened
//! (`rayon::current_thread_index`), never how long it took or how many
//! workers took part.

/// A rayon pool of `threads` workers, or an error that says which.
pub fn pool(threads: usize) -> Result<rayon::ThreadPool, String> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| format!("cannot build a pool of {threads}: {e}"))
}

pub mod amdahl;
pub mod grain;
pub mod joins;
pub mod kernel;
pub mod measure;
pub mod pitfalls;
pub mod processes;
pub mod reduce;
pub mod steal;
pub mod view;

// The exercises. `cargo test -p lab-08` compiles your copies in exercises/;
// `cargo xtask test` also compiles solutions/ and starter/ (see build_variant.rs).
#[cfg_attr(lab_variant = "learner", path = "../exercises/mandelbrot.rs")]
#[cfg_attr(lab_variant = "solutions", path = "../solutions/mandelbrot.rs")]
#[cfg_attr(lab_variant = "starter", path = "../starter/mandelbrot.rs")]
pub mod mandelbrot;

#[cfg_attr(lab_variant = "learner", path = "../exercises/merge_sort.rs")]
#[cfg_attr(lab_variant = "solutions", path = "../solutions/merge_sort.rs")]
#[cfg_attr(lab_variant = "starter", path = "../starter/merge_sort.rs")]
pub mod merge_sort;
