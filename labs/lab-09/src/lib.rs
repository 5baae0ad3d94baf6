//! Lab 9: async concurrency.
//!
//! Chapter 9 of the book walks through this crate.

pub mod protocol;

// Futures, wakers and an executor of our own; then tokio's tools.
pub mod executor;
pub mod timer;
pub mod tour;

// Measured: tasks against threads, and a loopback server with many clients.
pub mod measure;
pub mod server;
pub mod tasks_threads;
