//! Lab 10: async pitfalls and coordination.
//!
//! Chapter 10 of the book walks through this crate.

// The facade. The shuttle models (cancel, check_then_act, futurelock, notify)
// name their runtime `super::rt` and their step recorder `super::trace`: here
// real tokio and a `trace!` that compiles to nothing. The test binary compiles
// the same four files a second time inside a module whose `rt` is shuttle's
// tokio (`shuttle_tokio`, a dev-dependency with its `shuttle` feature on) and
// whose `trace!` records a step of the shuttle task that runs it: see
// tests/shuttle_models.rs. The two tokios are separate crates, so this build
// keeps real tokio and `cargo test -p lab-10` needs no flag.

// ANCHOR: facade
/// The runtime the lab's async code uses: real tokio here.
pub use tokio as rt;

/// `trace!("...")`: a step worth showing in a shuttle model's failing
/// schedule. Here, on real tokio, it does nothing (its arguments are still
/// type-checked).
pub use lab_support::trace_off as trace;
// ANCHOR_END: facade

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

// The exercises. `cargo test -p lab-10` compiles your copies in exercises/;
// `cargo xtask test` also compiles solutions/ and starter/ (see build_variant.rs).
#[cfg_attr(lab_variant = "learner", path = "../exercises/service.rs")]
#[cfg_attr(lab_variant = "solutions", path = "../solutions/service.rs")]
#[cfg_attr(lab_variant = "starter", path = "../starter/service.rs")]
pub mod service;

#[cfg_attr(lab_variant = "learner", path = "../exercises/graceful.rs")]
#[cfg_attr(lab_variant = "solutions", path = "../solutions/graceful.rs")]
#[cfg_attr(lab_variant = "starter", path = "../starter/graceful.rs")]
pub mod graceful;
