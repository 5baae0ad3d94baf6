//! `cargo run --release -p lab-01 -- [OPTIONS]`: the same I/O-bound and
//! CPU-bound jobs, run five ways each (sequentially, on std threads, as tokio
//! tasks on one thread and on several, and with rayon), timed side by side.
//! `-- --help` lists the options.

use std::process::ExitCode;

use lab_01::measure::{self, USAGE};
use lab_support::measure::command_main;

fn main() -> ExitCode {
    command_main(USAGE, measure::parse_args, |c| c.help, measure::run)
}
