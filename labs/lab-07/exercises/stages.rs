//! Exercise 7.1: a three-stage pipeline that keeps input order.
//!
//! What to do: write `run`. Stage 1 (one thread) parses each line into a
//! number; stage 2 (`workers` threads) computes on the numbers that parsed;
//! stage 3 (the calling thread) collects the results. Every channel between
//! the stages is a crossbeam `bounded(capacity)` channel (capacity 0 is a
//! rendezvous). The results come back in input order, one per line, and `run`
//! returns once the input has ended and every stage has finished. Keep the
//! signatures as they are.
//!
//! The book explains it: chapter 7, "Exercise 7.1: a pipeline that keeps its
//! order" (book/07-message-passing/exercises.md).
//! Check your work:  cargo test -p lab-07 exercise_7_1
//! Stuck?            cargo xtask hint 7.1

#[allow(unused_imports)] // you will need them
use std::thread;

#[allow(unused_imports)] // you will need it
use crossbeam_channel::bounded;

// ANCHOR: stages
/// A line that is not a number: where it was (counting from 0) and what it said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The line's index in the input.
    pub line: usize,
    /// The line as it was.
    pub text: String,
}

/// What the pipeline makes of one line.
pub type Output = Result<u64, ParseError>;

/// Parses one line: a whole number, with spaces around it allowed.
pub fn parse(line: usize, text: &str) -> Result<u64, ParseError> {
    text.trim().parse().map_err(|_| ParseError {
        line,
        text: text.to_owned(),
    })
}

/// Runs the three stages on `lines`: `compute` on every number that parsed,
/// on `workers` threads (0 counts as 1), with channels of `capacity`. One
/// output per line, in the order of the lines. `compute` is `Sync`, so the
/// workers can share it by reference (`&compute` is `Send`).
pub fn run<F>(lines: Vec<String>, workers: usize, capacity: usize, compute: F) -> Vec<Output>
where
    F: Fn(u64) -> u64 + Sync,
{
    let _ = (lines, workers, capacity, compute);
    todo!("exercise 7.1: parse, compute and collect on three stages joined by bounded channels")
}
// ANCHOR_END: stages
