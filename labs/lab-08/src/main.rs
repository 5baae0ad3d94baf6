//! `cargo run --release -p lab-08 -- [OPTIONS]`: the chapter's kernel on one
//! thread, on threads split by hand, with rayon and on child processes; your
//! exercises; grain size, Amdahl's law and the pitfalls, all timed.
//! `-- --help` lists the options.
//!
//! Started as `lab-08 __child …`, the binary is one of the processes way's
//! children (see `lab_08::processes`).

use std::process::ExitCode;

use lab_08::measure::{self, USAGE};
use lab_08::processes::{CHILD, child_main};
use lab_support::measure::command_main;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some(CHILD) {
        return match child_main(&args[1..]) {
            Ok(text) => {
                println!("{text}");
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
