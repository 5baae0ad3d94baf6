//! Every test of lab 1, in one test binary, so that `cargo test -p lab-01` runs
//! all of them and lists every open exercise, even when one fails.
//!
//! Tests named `cpu_…` and `io_…` check that every way of each job gets the
//! right result (never how fast: timings belong to the measure command, not to
//! tests); `server_…` the server; `cli_…` the command line; `measure_…` the
//! serial fraction, on made-up numbers (the median and the round order are
//! lab-support's, tested there); `output_…` the
//! table, CSV, JSON and SVG; `python_…` the Python companion; `capture_…` that
//! the output the book shows still has the same lines; `exercise_…` check your
//! exercise files. The exercise code is reached through the library
//! (`lab_01::split`, `lab_01::amdahl`), which compiles your copy in exercises/
//! (or, for `cargo xtask test`, solutions/ or starter/: see src/lib.rs).

mod capture;
mod cli;
mod exercise_1_1_split;
mod exercise_1_2_amdahl;
mod measure;
mod output;
mod python;
mod ways_cpu;
mod ways_io;

use std::time::Duration;

use lab_01::measure::Config;

/// A run small enough for a test: a handful of requests, a small bound.
pub fn tiny_config() -> Config {
    Config {
        requests: 4,
        latency: Duration::from_millis(1),
        primes_below: 10_000,
        chunks: 8,
        python_primes_below: 1_000,
        ..Config::default()
    }
}

/// Runs the command's `run` on `config` and returns what it printed on stdout.
pub fn run_to_string(config: &Config) -> String {
    let mut out = Vec::new();
    let mut progress = Vec::new();
    lab_01::measure::run(config, &mut out, &mut progress).unwrap_or_else(|e| panic!("{e}"));
    String::from_utf8(out).expect("the output is UTF-8")
}
