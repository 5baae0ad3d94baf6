//! `cargo run --release -p lab-07 -- [OPTIONS]`: a three-stage pipeline on
//! crossbeam channels against the same work on one thread, for several
//! channel capacities, and how long a queue gets with and without
//! back-pressure. `-- --help` lists the options.

use std::process::ExitCode;

use lab_07::measure::{self, USAGE};
use lab_support::measure::command_main;

fn main() -> ExitCode {
    command_main(USAGE, measure::parse_args, |c| c.help, measure::run)
}
