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

use std::thread;

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
    let count = lines.len();
    let (to_compute, parsed) = bounded::<(usize, Output)>(capacity);
    let (to_collect, computed) = bounded::<(usize, Output)>(capacity);
    thread::scope(|s| {
        // Stage 1: parse, in order, numbering each line.
        s.spawn(move || {
            for (i, line) in lines.iter().enumerate() {
                if to_compute.send((i, parse(i, line))).is_err() {
                    break;
                }
            }
        });
        // Stage 2: compute, on several threads; errors pass through.
        for _ in 0..workers.max(1) {
            let (parsed, to_collect, compute) = (parsed.clone(), to_collect.clone(), &compute);
            s.spawn(move || {
                for (i, output) in parsed {
                    if to_collect.send((i, output.map(compute))).is_err() {
                        break;
                    }
                }
            });
        }
        // Only the workers' clones may keep the channels open.
        drop((parsed, to_collect));
        // Stage 3: collect, putting each output in its place.
        let mut outputs: Vec<Option<Output>> = vec![None; count];
        for (i, output) in computed {
            outputs[i] = Some(output);
        }
        outputs
            .into_iter()
            .map(|o| o.expect("one output per line"))
            .collect()
    })
}
// ANCHOR_END: stages
