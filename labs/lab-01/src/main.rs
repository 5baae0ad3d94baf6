//! `cargo run --release -p lab-01 -- [OPTIONS]`: the same I/O-bound and
//! CPU-bound jobs, run five ways each (sequentially, on std threads, as tokio
//! tasks on one thread and on several, and with rayon), timed side by side.
//! `-- --help` lists the options.

use std::process::ExitCode;

use lab_01::measure::{self, USAGE};

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
