//! Exercise 3.2: a loom test of your own.
//!
//! What to do: write the body of a loom model in which two customers, each on
//! a thread of its own, take one ticket from the same dispenser, and which
//! fails (panics) if they got the same ticket. The tests run your model on
//! `RacyDispenser`, where loom must find the failing execution, and on
//! `LockedDispenser`, where every execution must pass.
//!
//! The book explains it: chapter 3, "Exercise 3.2: a loom test of your own"
//! (book/03-race-conditions/exercises.md).
//! Check your work:  cargo test -p lab-03 exercise_3_2
//! Stuck?            cargo xtask hint 3.2
//!
//! The dispensers' code has `trace!` calls, so the failing execution loom
//! finds in `RacyDispenser` shows each customer's steps.

#[allow(unused_imports)] // you will need these
use super::sync::{Arc, thread};
use super::tickets::Dispenser;

// ANCHOR: model
/// The body of a loom model: loom runs it many times, once for each execution
/// it explores.
pub fn two_customers_get_different_tickets<D: Dispenser>() {
    // 1. Make a dispenser with two tickets: D::with_tickets(2), in an Arc.
    // 2. Start two threads; each takes one ticket and returns it.
    // 3. Wait for both (join) and check that their tickets differ.
    todo!("exercise 3.2: write this model")
}
// ANCHOR_END: model
