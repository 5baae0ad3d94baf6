//! `cargo xtask`: the book's two commands (`serve`, `test`) and the learner's
//! helpers (`hint`, `reset`), plus `build` and `capture` for authors.
//!
//! Plain std Rust, no argument-parsing crate: the only thing you need to build
//! and test this repository is the Rust toolchain. The mdBook tools are
//! installed, pinned, into `target/tools/` on first use.

mod book;
mod labs;
mod proc;
mod test;
mod tools;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

The two commands:
  serve [--port N]   build the book, serve it at http://127.0.0.1:N (default 3000),
                     rebuild and reload on every change
  test [LAB]         run every test: the book build, the labs with their solutions,
                     and the check that each exercise's starter code fails;
                     with LAB (e.g. lab-03) only that lab's tests and checks

For learners:
  hint ID            show the hint for exercise ID (e.g. 3.1)
  reset ID           put the starter code of exercise ID back (your version is saved
                     under target/exercise-backups/ first)

For authors:
  build              build the book into target/book/, failing on any warning
  capture            regenerate the program output the book shows (book/**/captured/)
  help               show this text

The first command that needs the book installs the pinned mdBook tools into
target/tools/ (a few minutes, once); nothing is installed globally.";

/// Why a command did not succeed.
#[derive(Debug)]
pub enum Failure {
    /// The command line was wrong (exit code 2).
    Usage(String),
    /// The command ran and failed (exit code 1).
    Failed(String),
}

pub type Result<T = ()> = std::result::Result<T, Failure>;

/// Shorthand for a [`Failure::Failed`] with a message.
pub fn fail<T>(message: impl Into<String>) -> Result<T> {
    Err(Failure::Failed(message.into()))
}

/// Shorthand for a [`Failure::Usage`] with a message.
pub fn usage<T>(message: impl Into<String>) -> Result<T> {
    Err(Failure::Usage(message.into()))
}

/// The repository's root folder (the workspace root).
pub fn repo_root() -> PathBuf {
    let xtask_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask_dir.parent().unwrap_or(xtask_dir).to_path_buf()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            eprintln!("xtask: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Failed(message)) => {
            if !message.is_empty() {
                eprintln!("xtask: {message}");
            }
            ExitCode::from(1)
        }
    }
}

fn run(args: &[String]) -> Result {
    let Some(command) = args.first() else {
        println!("{USAGE}");
        return Ok(());
    };
    let rest = &args[1..];
    match command.as_str() {
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        "serve" => book::serve(parse_port(rest)?),
        "build" => {
            no_more_args("build", rest)?;
            book::build()
        }
        "test" => {
            let lab = match rest {
                [] => None,
                [lab] => Some(lab.as_str()),
                _ => return usage("`test` takes at most one lab, e.g. cargo xtask test lab-03"),
            };
            test::run(lab)
        }
        "hint" => labs::hint(one_id("hint", rest)?),
        "reset" => labs::reset(one_id("reset", rest)?),
        "capture" => {
            no_more_args("capture", rest)?;
            book::capture()
        }
        other => usage(format!("unknown command {other}\n\n{USAGE}")),
    }
}

fn no_more_args(command: &str, rest: &[String]) -> Result {
    match rest.first() {
        None => Ok(()),
        Some(extra) => usage(format!("`{command}` takes no arguments (got {extra:?})")),
    }
}

fn one_id<'a>(command: &str, rest: &'a [String]) -> Result<&'a str> {
    match rest {
        [id] => Ok(id),
        _ => usage(format!(
            "`{command}` needs one exercise id, e.g. cargo xtask {command} 3.1"
        )),
    }
}

fn parse_port(rest: &[String]) -> Result<u16> {
    let mut port = 3000;
    let mut i = 0;
    while i < rest.len() {
        let arg = rest[i].as_str();
        let value = if arg == "--port" || arg == "-p" {
            i += 1;
            match rest.get(i) {
                Some(v) => v.as_str(),
                None => return usage("--port needs a number, e.g. cargo xtask serve --port 3001"),
            }
        } else if let Some(v) = arg.strip_prefix("--port=") {
            v
        } else {
            return usage(format!(
                "`serve` takes only --port N (got {arg:?}), e.g. cargo xtask serve --port 3001"
            ));
        };
        port = match value.parse::<u16>() {
            Ok(p) if p > 0 => p,
            _ => {
                return usage(format!(
                    "--port {value:?} is not a port number (1 to 65535), e.g. cargo xtask serve --port 3001"
                ));
            }
        };
        i += 1;
    }
    Ok(port)
}
