//! Every test of lab 3, in one test binary, so that `cargo test -p lab-03` runs
//! all of them and lists every open exercise, even when one fails.
//!
//! The lab's concurrent code is included here a second time, with `sync` set to
//! loom's primitives: the same files that src/lib.rs compiles on std (see the
//! book's chapter 3, "Catching it with loom"). Tests named `loom_…` run loom
//! models; `threads_…` run on real threads; `exercise_…` check your exercise
//! files.

use lab_support::loom_sync as sync;

#[allow(dead_code)]
#[path = "../src/account.rs"]
mod account;
#[allow(dead_code)]
#[path = "../src/counter.rs"]
mod counter;
#[allow(dead_code)]
#[path = "../src/tickets.rs"]
mod tickets;

// The exercise files: yours (exercises/), or, for `cargo xtask test`, the
// reference solutions or the untouched starter code.
#[cfg_attr(lab_variant = "learner", path = "../exercises/ticket_model.rs")]
#[cfg_attr(lab_variant = "solutions", path = "../solutions/ticket_model.rs")]
#[cfg_attr(lab_variant = "starter", path = "../starter/ticket_model.rs")]
mod ticket_model;
#[allow(dead_code)]
#[cfg_attr(lab_variant = "learner", path = "../exercises/transfer.rs")]
#[cfg_attr(lab_variant = "solutions", path = "../solutions/transfer.rs")]
#[cfg_attr(lab_variant = "starter", path = "../starter/transfer.rs")]
mod transfer;

mod demo_output;
mod does_not_compile;
mod exercise_3_1_transfer;
mod exercise_3_2_ticket_model;
mod loom_account;
mod loom_counter;
mod loom_limits;
mod loom_tempting_transfer;
mod threads;
