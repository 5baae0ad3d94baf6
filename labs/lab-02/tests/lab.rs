//! Every test of lab 2, in one test binary, so that `cargo test -p lab-02` runs
//! all of them and lists every open exercise, even when one fails.
//!
//! Everything runs on real threads, under the watchdog: loom has no
//! `thread::scope`, so this lab has no loom models. Tests named `threads_…`
//! check the chapter's examples; `demo_…` run the lab's program and check the
//! output the book shows; `does_not_compile_…` the compiler error the book
//! shows; `exercise_…` check your exercise file. The exercise code is reached
//! through the library (`lab_02::parallel_map`), which compiles your copy in
//! exercises/ (or, for `cargo xtask test`, solutions/ or starter/: see
//! src/lib.rs). No test sleeps, and none asserts how long anything took.

mod demo_output;
mod does_not_compile;
mod exercise_2_1_parallel_map;
mod threads;
