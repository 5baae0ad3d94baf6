//! Lab 1: concurrency vs. parallelism, measured.
//!
//! Chapter 1 of the book walks through this crate. The same two jobs run five
//! ways each, and `cargo run --release -p lab-01` times them:
//!
//! - [`io`]: an I/O-bound job, requests that each wait at a [`server`]:
//!   sequential, std threads, tokio tasks on one thread, rayon, and tokio
//!   tasks on a multi-thread runtime.
//! - [`cpu`]: a CPU-bound job, counting primes: the same five ways.
//! - [`measure`]: the command line, the two jobs' ways, and their speed-up,
//!   ideal and efficiency; [`report`] and [`chart`] print them in lab 1's
//!   words; [`python`] runs the Python companion (`python/companion.py`) for
//!   the book's appendix A. The timing itself (warm-up, rounds in the order of
//!   a Williams design, medians), the tables' grid, CSV, JSON and the chart's
//!   drawing are the shared harness of every lab, [`lab_support::measure`].
//! - [`split`]: exercise 1.1, `exercises/split.rs`, yours to edit.
//! - [`amdahl`]: exercise 1.2, `exercises/amdahl.rs`, yours to edit.

pub mod chart;
pub mod cpu;
pub mod io;
pub mod measure;
pub mod python;
pub mod report;
pub mod server;

// The exercises. `cargo test -p lab-01` compiles your copies in exercises/;
// `cargo xtask test` also compiles solutions/ and starter/ (see build_variant.rs).
#[cfg_attr(lab_variant = "learner", path = "../exercises/split.rs")]
#[cfg_attr(lab_variant = "solutions", path = "../solutions/split.rs")]
#[cfg_attr(lab_variant = "starter", path = "../starter/split.rs")]
pub mod split;

#[cfg_attr(lab_variant = "learner", path = "../exercises/amdahl.rs")]
#[cfg_attr(lab_variant = "solutions", path = "../solutions/amdahl.rs")]
#[cfg_attr(lab_variant = "starter", path = "../starter/amdahl.rs")]
pub mod amdahl;
