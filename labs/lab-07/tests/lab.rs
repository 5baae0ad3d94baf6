//! Every test of lab 7, in one test binary, so that `cargo test -p lab-07` runs
//! all of them and lists every open exercise, even when one fails.
//!
//! The lab's own channels are included here a second time, with `sync` set to
//! loom's primitives: the same files that src/lib.rs compiles on std (see the
//! book's chapter 3, "Catching it with loom"). Tests named `loom_…` run loom
//! models; `threads_…` run on real threads (crossbeam-channel cannot run under
//! loom, so its tests check behaviour); `exercise_…` check your exercise files.

use lab_support::loom_sync as sync;

#[allow(dead_code)]
#[path = "../src/tempting.rs"]
mod tempting;

// The exercise file: yours (exercises/), or, for `cargo xtask test`, the
// reference solution or the untouched starter code.
#[allow(dead_code)]
#[cfg_attr(lab_variant = "learner", path = "../exercises/channel.rs")]
#[cfg_attr(lab_variant = "solutions", path = "../solutions/channel.rs")]
#[cfg_attr(lab_variant = "starter", path = "../starter/channel.rs")]
mod channel;

mod exercise_7_1_stages;
mod exercise_7_2_pool;
mod exercise_7_3_channel;
mod loom_tempting_channel;
mod measure;
mod threads_channels;
mod threads_patterns;
