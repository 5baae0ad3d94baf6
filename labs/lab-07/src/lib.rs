//! Lab 7: message passing.
//!
//! Chapter 7 of the book walks through this crate. The threads here talk
//! through channels instead of sharing locked data.
//!
//! - [`pipeline`]: stages on threads of their own, joined by bounded
//!   crossbeam channels; the same work on one thread, to compare.
//! - [`fan`]: a worker pool that shares jobs out (fan-out), gathers the
//!   results (fan-in) and puts them back in input order.
//! - [`backpressure`]: a fast producer and a slow consumer, on a bounded and
//!   on an unbounded channel: how long the queue gets.
//! - [`hang`]: the classic hang, a sender kept alive, and its fix.
//! - [`select`]: `select!` with a shutdown channel beside the work, with
//!   `default`, `after`, `tick` and `never`.
//! - [`tempting`]: four tempting versions of a channel of our own, each
//!   wrong in one place; loom finds each.
//! - [`channel`]: exercise 7.3, `exercises/channel.rs`, yours to edit: a
//!   bounded channel from a `Mutex` and two `Condvar`s that disconnects.
//! - [`stages`]: exercise 7.1, `exercises/stages.rs`: a three-stage pipeline
//!   that keeps input order.
//! - [`pool`]: exercise 7.2, `exercises/pool.rs`: a worker pool that reports
//!   a panicking job and shuts down cleanly.
//! - [`measure`]: `cargo run --release -p lab-07`, the pipeline's throughput
//!   and the effect of channel capacity, timed.
//!
//! The files that the loom tests include again ([`tempting`], [`channel`])
//! take their primitives from `super::sync`: `std` here, loom's in
//! `tests/lab.rs`. The crossbeam code cannot run under loom (crossbeam-channel
//! has no loom support), so the tests check it by its behaviour on real
//! threads.

pub use lab_support::std_sync as sync;

pub mod backpressure;
pub mod fan;
pub mod hang;
pub mod measure;
pub mod pipeline;
pub mod select;
pub mod tempting;

// The exercises. `cargo test -p lab-07` compiles your copies in exercises/;
// `cargo xtask test` also compiles solutions/ and starter/ (see build_variant.rs).
#[cfg_attr(lab_variant = "learner", path = "../exercises/stages.rs")]
#[cfg_attr(lab_variant = "solutions", path = "../solutions/stages.rs")]
#[cfg_attr(lab_variant = "starter", path = "../starter/stages.rs")]
pub mod stages;

#[cfg_attr(lab_variant = "learner", path = "../exercises/pool.rs")]
#[cfg_attr(lab_variant = "solutions", path = "../solutions/pool.rs")]
#[cfg_attr(lab_variant = "starter", path = "../starter/pool.rs")]
pub mod pool;

#[cfg_attr(lab_variant = "learner", path = "../exercises/channel.rs")]
#[cfg_attr(lab_variant = "solutions", path = "../solutions/channel.rs")]
#[cfg_attr(lab_variant = "starter", path = "../starter/channel.rs")]
pub mod channel;
