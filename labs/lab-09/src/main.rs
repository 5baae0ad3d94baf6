//! `cargo run --release -p lab-09 -- [tasks-vs-threads|server] [OPTIONS]`:
//! tasks against threads, and the loopback server with many clients, timed.
//! `-- --help` lists the options.
//!
//! Started as `lab-09 __child …`, the binary is one of `tasks-vs-threads`'s
//! children (see `lab_09::tasks_threads`).

use std::process::ExitCode;

use lab_09::measure::{self, USAGE};
use lab_09::tasks_threads::{CHILD, child_main, heap};
use lab_support::measure::command_main;

/// Every allocation of this program is counted, so that a child can say
/// what starting a task or a thread took from the heap.
#[global_allocator]
static ALLOCATOR: heap::Counting = heap::Counting;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some(CHILD) {
        return match child_main(&args[1..]) {
            Ok(line) => {
                println!("{line}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        };
    }
    command_main(USAGE, measure::parse_args, |c| c.help, measure::run)
}
