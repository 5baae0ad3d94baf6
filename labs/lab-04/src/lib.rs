//! Lab 4: locks and conditions.
//!
//! Chapter 4 of the book walks through this crate. Every file below imports its
//! threads and locks from `super::sync`: on real threads that is `std`, and the
//! loom tests in `tests/loom_*.rs` include the very same files with `sync` set to
//! loom's mock primitives.
//!
//! - [`guards`]: where a critical section ends, a guard held too long, and a
//!   `RwLock`.
//! - [`poison`]: a mutex poisoned by a panicking thread, and how to recover.
//! - [`philosophers`]: a deadlock from lock order, and two ways out of it.
//! - [`jobs`]: a queue whose consumers wait on a `Condvar`: with `if` (wrong)
//!   and with `while` (right).
//! - [`bounded_queue`]: exercise 4.1, `exercises/bounded_queue.rs`, yours to edit.

pub use lab_support::std_sync as sync;

pub mod guards;
pub mod jobs;
pub mod philosophers;
pub mod poison;

// Exercise 4.1. `cargo test -p lab-04` compiles your copy in exercises/;
// `cargo xtask test` also compiles solutions/ and starter/ (see build_variant.rs).
#[cfg_attr(lab_variant = "learner", path = "../exercises/bounded_queue.rs")]
#[cfg_attr(lab_variant = "solutions", path = "../solutions/bounded_queue.rs")]
#[cfg_attr(lab_variant = "starter", path = "../starter/bounded_queue.rs")]
pub mod bounded_queue;
