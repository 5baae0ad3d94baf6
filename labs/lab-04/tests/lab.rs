//! Every test of lab 4, in one test binary, so that `cargo test -p lab-04` runs
//! all of them and lists every open exercise, even when one fails.
//!
//! The lab's concurrent code is included here a second time, with `sync` set to
//! loom's primitives: the same files that src/lib.rs compiles on std (see the
//! book's chapter 3, "Catching it with loom"), and a third time in
//! `replayed.rs`, where a test plays one schedule of its choice on them. Tests
//! named `loom_…` run loom models (and the replays that show what loom's
//! bounded search skipped); `threads_…` run on real threads; `exercise_…`
//! check your exercise file.

// On purpose: replayed.rs compiles the files below a second time, on the
// replay's primitives.
#![allow(clippy::duplicate_mod)]

use lab_support::loom_sync as sync;

#[allow(dead_code)]
#[path = "../src/jobs.rs"]
mod jobs;
#[allow(dead_code)]
#[path = "../src/philosophers.rs"]
mod philosophers;

// The exercise file: yours (exercises/), or, for `cargo xtask test`, the
// reference solution or the untouched starter code.
#[allow(dead_code)]
#[cfg_attr(lab_variant = "learner", path = "../exercises/bounded_queue.rs")]
#[cfg_attr(lab_variant = "solutions", path = "../solutions/bounded_queue.rs")]
#[cfg_attr(lab_variant = "starter", path = "../starter/bounded_queue.rs")]
mod bounded_queue;

mod exercise_4_1_bounded_queue;
mod loom_jobs;
mod loom_limits;
mod loom_philosophers;
mod loom_tempting_queue;
mod models;
mod replayed;
mod threads;
