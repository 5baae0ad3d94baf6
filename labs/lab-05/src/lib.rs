//! Lab 5: semaphores.
//!
//! Chapter 5 of the book walks through this crate. Every file below imports its
//! threads and primitives from `super::sync`: on real threads that is `std`, and
//! the loom tests in `tests/` include the very same files with `sync` set to
//! loom's mock primitives.
//!
//! - [`atomic`]: a semaphore that checks for a permit, then takes it, in two
//!   steps (wrong), and one on an atomic that does both in one
//!   `compare_exchange` (right).
//! - [`semaphore`]: exercise 5.1, `exercises/semaphore.rs`, yours to edit: a
//!   counting semaphore from a `Mutex<usize>` and a `Condvar`, with an RAII
//!   permit.
//! - [`barrier`]: exercise 5.2, `exercises/barrier.rs`, yours to edit: a
//!   reusable barrier.
//! - [`patterns`]: a pool of N, a signal and a rendezvous, built on your
//!   semaphore.

pub use lab_support::std_sync as sync;

pub mod atomic;
pub mod patterns;

// Exercise 5.1. `cargo test -p lab-05` compiles your copy in exercises/;
// `cargo xtask test` also compiles solutions/ and starter/ (see build_variant.rs).
#[cfg_attr(lab_variant = "learner", path = "../exercises/semaphore.rs")]
#[cfg_attr(lab_variant = "solutions", path = "../solutions/semaphore.rs")]
#[cfg_attr(lab_variant = "starter", path = "../starter/semaphore.rs")]
pub mod semaphore;

// Exercise 5.2.
#[cfg_attr(lab_variant = "learner", path = "../exercises/barrier.rs")]
#[cfg_attr(lab_variant = "solutions", path = "../solutions/barrier.rs")]
#[cfg_attr(lab_variant = "starter", path = "../starter/barrier.rs")]
pub mod barrier;
