//! Every test of lab 5, in one test binary, so that `cargo test -p lab-05` runs
//! all of them and lists every open exercise, even when one fails.
//!
//! The lab's concurrent code is included here a second time, with `sync` set to
//! loom's primitives: the same files that src/lib.rs compiles on std (see the
//! book's chapter 3, "Catching it with loom"). Tests named `loom_…` run loom
//! models; `threads_…` run on real threads; `exercise_…` check your exercise file
//! (the patterns of src/patterns.rs run on it too).

use lab_support::loom_sync as sync;

#[allow(dead_code)]
#[path = "../src/atomic.rs"]
mod atomic;
#[allow(dead_code)]
#[path = "../src/patterns.rs"]
mod patterns;

// The exercise file: yours (exercises/), or, for `cargo xtask test`, the
// reference solution or the untouched starter code.
#[allow(dead_code)]
#[cfg_attr(lab_variant = "learner", path = "../exercises/barrier.rs")]
#[cfg_attr(lab_variant = "solutions", path = "../solutions/barrier.rs")]
#[cfg_attr(lab_variant = "starter", path = "../starter/barrier.rs")]
mod barrier;
#[allow(dead_code)]
#[cfg_attr(lab_variant = "learner", path = "../exercises/semaphore.rs")]
#[cfg_attr(lab_variant = "solutions", path = "../solutions/semaphore.rs")]
#[cfg_attr(lab_variant = "starter", path = "../starter/semaphore.rs")]
mod semaphore;

mod exercise_5_1_patterns;
mod exercise_5_1_semaphore;
mod exercise_5_2_barrier;
mod loom_atomic;
mod loom_tempting_semaphore;
