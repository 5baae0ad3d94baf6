//! `cargo run --release -p lab-07 -- [OPTIONS]`: a three-stage pipeline on
//! crossbeam channels against the same work on one thread, for several
//! channel capacities, and how long a queue gets with and without
//! back-pressure. `-- --help` lists the options.

use std::process::ExitCode;

use lab_07::measure::{self, USAGE};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match measure::parse_args(&args) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if config.help {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    match measure::run(&config, &mut std::io::stdout(), &mut std::io::stderr()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
