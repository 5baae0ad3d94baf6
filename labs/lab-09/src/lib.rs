//! Lab 9: async concurrency.
//!
//! Chapter 9 of the book walks through this crate.
//!
//! - [`executor`] and [`timer`]: futures, wakers and an executor of our own:
//!   a future written by hand, `block_on`, a queue of tasks on one thread,
//!   and a timer whose clock a test can move by hand.
//! - [`tour`]: tokio's tools, each in a small function: runtimes, `spawn`,
//!   `join!`, `try_join!`, `JoinSet`, `select!`, `timeout`.
//! - [`protocol`]: the lab's one-line request protocol.
//! - [`fetch`]: exercise 9.1, `exercises/fetch.rs`, yours to edit: a
//!   concurrent fetcher with a limit on requests in flight and a time limit
//!   on each.
//! - [`join_all`]: exercise 9.2, `exercises/join_all.rs`: `join_all` written
//!   by hand, run on the executor of [`executor`].
//! - [`tasks_threads`], [`server`] and [`measure`]: tasks against threads,
//!   and a loopback server with many clients, measured.
//!
//! The tests run tokio on *paused* time (its clock jumps to the next timer
//! whenever every task waits) with in-memory streams, never real sockets, so
//! no test depends on timing.

pub mod protocol;

// Futures, wakers and an executor of our own; then tokio's tools.
pub mod executor;
pub mod timer;
pub mod tour;

// Measured: tasks against threads, and a loopback server with many clients.
pub mod measure;
pub mod server;
pub mod tasks_threads;

// The exercises. `cargo test -p lab-09` compiles your copies in exercises/;
// `cargo xtask test` also compiles solutions/ and starter/ (see build_variant.rs).
#[cfg_attr(lab_variant = "learner", path = "../exercises/fetch.rs")]
#[cfg_attr(lab_variant = "solutions", path = "../solutions/fetch.rs")]
#[cfg_attr(lab_variant = "starter", path = "../starter/fetch.rs")]
pub mod fetch;

#[cfg_attr(lab_variant = "learner", path = "../exercises/join_all.rs")]
#[cfg_attr(lab_variant = "solutions", path = "../solutions/join_all.rs")]
#[cfg_attr(lab_variant = "starter", path = "../starter/join_all.rs")]
pub mod join_all;
