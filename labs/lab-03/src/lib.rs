//! Lab 3: race conditions, and how to catch them.
//!
//! Chapter 3 of the book walks through this crate. Every file below imports its
//! threads and locks from `super::sync`: on real threads that is `std`, and the
//! loom tests in `tests/loom_*.rs` include the very same files with `sync` set to
//! loom's mock primitives.
//!
//! - [`counter`]: a counter that loses updates, and three that do not.
//! - [`account`]: a withdrawal that checks and acts in separate critical
//!   sections, and two that do not.
//! - [`tickets`]: two ticket dispensers, for exercise 3.2.
//! - [`transfer`]: exercise 3.1, `exercises/transfer.rs`, yours to edit.
//! - [`demo`]: the lost update happening for real, on real threads.

pub use lab_support::std_sync as sync;

pub mod account;
pub mod counter;
pub mod demo;
pub mod tickets;

// Exercise 3.1. `cargo test -p lab-03` compiles your copy in exercises/;
// `cargo xtask test` also compiles solutions/ and starter/ (see build_variant.rs).
#[cfg_attr(lab_variant = "learner", path = "../exercises/transfer.rs")]
#[cfg_attr(lab_variant = "solutions", path = "../solutions/transfer.rs")]
#[cfg_attr(lab_variant = "starter", path = "../starter/transfer.rs")]
pub mod transfer;
