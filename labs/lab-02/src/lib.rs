//! Lab 2: threads.
//!
//! Chapter 2 of the book walks through this crate. Everything here runs on real
//! threads (`std::thread`); the lab has no loom models, because loom has no
//! `thread::scope`, and scoped threads are half of this chapter.
//!
//! - [`basics`]: `thread::spawn`, `JoinHandle::join` and `move` closures.
//! - [`scoped`]: `thread::scope`, threads that borrow local variables.
//! - [`panics`]: what `join` returns when a thread panics, what a scope does
//!   with such a panic, and named threads.
//! - [`detached`]: a thread nobody joins, whose work is lost when `main`
//!   returns; `cargo run -p lab-02 -- detached` shows it.
//! - [`parallel_map`]: exercise 2.1, `exercises/parallel_map.rs`, yours to edit.

pub mod basics;
pub mod detached;
pub mod panics;
pub mod scoped;

// Exercise 2.1. `cargo test -p lab-02` compiles your copy in exercises/;
// `cargo xtask test` also compiles solutions/ and starter/ (see build_variant.rs).
#[cfg_attr(lab_variant = "learner", path = "../exercises/parallel_map.rs")]
#[cfg_attr(lab_variant = "solutions", path = "../solutions/parallel_map.rs")]
#[cfg_attr(lab_variant = "starter", path = "../starter/parallel_map.rs")]
pub mod parallel_map;
