//! Lab 6: atomics and memory ordering.
//!
//! Chapter 6 of the book walks through this crate. Every file below imports its
//! threads and primitives from `super::sync`: on real threads that is `std`, and
//! the loom tests in `tests/` include the very same files with `sync` set to
//! loom's mock primitives.
//!
//! - [`counter`]: a counter incremented with `load` then `store` (wrong: two
//!   steps) and with `fetch_add` (right: one read-modify-write).
//! - [`publish`]: a value handed from one thread to another behind a flag: with
//!   `Relaxed` (wrong, in two forms) and with `Release`/`Acquire` (right).
//! - [`spin`]: spin locks that go wrong (a `load` then a `store`; an unlock with
//!   `Relaxed`), one that is right (`CasLock`: `compare_exchange` with
//!   `Acquire`, unlock with `Release`), and `SwapLock` (`swap` with `Acquire`),
//!   right too, but tested on real threads only: under loom a spinning `swap`
//!   runs into loom's limit on branches (chapter 6, "A spin lock").
//! - [`spin_lock`]: exercise 6.1, `exercises/spin_lock.rs`, yours to edit: a
//!   spin lock with an RAII guard.

pub use lab_support::std_sync as sync;

pub mod counter;
pub mod publish;
pub mod spin;

// Exercise 6.1. `cargo test -p lab-06` compiles your copy in exercises/;
// `cargo xtask test` also compiles solutions/ and starter/ (see build_variant.rs).
#[cfg_attr(lab_variant = "learner", path = "../exercises/spin_lock.rs")]
#[cfg_attr(lab_variant = "solutions", path = "../solutions/spin_lock.rs")]
#[cfg_attr(lab_variant = "starter", path = "../starter/spin_lock.rs")]
pub mod spin_lock;
