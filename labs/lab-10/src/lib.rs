//! Lab 10: async pitfalls and coordination.
//!
//! Chapter 10 of the book walks through this crate.

/// The runtime the lab's async code uses: real tokio here. The test binary
/// compiles the same files a second time with `rt` set to shuttle's tokio
/// (see tests/lab.rs).
pub use tokio as rt;

// Found by shuttle: each a tempting version and a fix.
pub mod cancel;
pub mod check_then_act;
pub mod futurelock;
pub mod notify;

// What shuttle cannot show, coordination, graceful shutdown.
pub mod blocking;
pub mod coordination;
pub mod held_guard;
pub mod shutdown;
