//! Every test of lab 6, in one test binary, so that `cargo test -p lab-06` runs
//! all of them and lists every open exercise, even when one fails.
//!
//! The lab's concurrent code is included here a second time, with `sync` set to
//! loom's primitives: the same files that src/lib.rs compiles on std (see the
//! book's chapter 3, "Catching it with loom"). Tests named `loom_…` run loom
//! models; `threads_…` run on real threads; `exercise_…` check your exercise file.

use lab_support::loom_sync as sync;

#[allow(dead_code)]
#[path = "../src/counter.rs"]
mod counter;
#[allow(dead_code)]
#[path = "../src/publish.rs"]
mod publish;
#[allow(dead_code)]
#[path = "../src/spin.rs"]
mod spin;

// The exercise file: yours (exercises/), or, for `cargo xtask test`, the
// reference solution or the untouched starter code.
#[allow(dead_code)]
#[cfg_attr(lab_variant = "learner", path = "../exercises/spin_lock.rs")]
#[cfg_attr(lab_variant = "solutions", path = "../solutions/spin_lock.rs")]
#[cfg_attr(lab_variant = "starter", path = "../starter/spin_lock.rs")]
mod spin_lock;

mod exercise_6_1_spin_lock;
mod loom_counter;
mod loom_limits;
mod loom_publish;
mod loom_spin;
mod threads;
