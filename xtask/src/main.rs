//! `cargo xtask`: the book's two commands (`serve`, `test`) and the learner's
//! helpers (`watch`, `progress`, `hint`, `reset`), plus `build` and `capture`
//! for authors.
//!
//! No argument-parsing crate: the only thing you need to build and test this
//! repository is the Rust toolchain. The mdBook tools are installed, pinned,
//! into `target/tools/` on first use. `watch` reads keys through crossterm
//! (raw mode and key events on every OS).

mod book;
mod course;
mod labs;
mod proc;
mod progress;
mod test;
mod tools;
mod watch;

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
  watch [ID|LAB]     show your current exercise (the first one not done, or the one
                     you pick: 3.1, lab-03) and re-run its tests on every save of a
                     file under labs/*/exercises/; on a pass, move on to the next.
                     Keys: h hint, n next, p previous, l list, r reset, q quit
  progress           list every exercise of every lab: done, open or does not compile
  hint [ID]          show the hint for exercise ID (e.g. 3.1), or for your current one
  reset ID           put the starter code of exercise ID back (your version is saved
                     under exercise-backups/ first)
  reset --all        the same for every exercise file you changed (asks first)

  watch and progress take --limit SECS: how long one run of an exercise's tests may
  take before it is stopped as hung (default 20). They build into target/watch/.

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

/// The repository's root folder (the workspace root). `XTASK_REPO_ROOT`
/// points the learner's commands at another tree: xtask's own tests use it to
/// run `watch` and `progress` on a scratch copy of a tiny fixture course.
pub fn repo_root() -> PathBuf {
    if let Some(root) = std::env::var_os("XTASK_REPO_ROOT") {
        return PathBuf::from(root);
    }
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
        "hint" => match rest {
            [] => labs::hint(None),
            [id] => labs::hint(Some(id)),
            _ => usage("`hint` takes at most one exercise id, e.g. cargo xtask hint 3.1"),
        },
        "reset" => match rest {
            [all] if all == "--all" => {
                labs::reset_all(&mut std::io::BufReader::new(std::io::stdin()))
            }
            _ => labs::reset(one_id("reset", rest)?),
        },
        "progress" => {
            let (limit, extra) = parse_limit("progress", rest)?;
            if let Some(extra) = extra.first() {
                return usage(format!(
                    "`progress` takes only --limit SECS (got {extra:?}), e.g. cargo xtask progress"
                ));
            }
            progress::run(limit)
        }
        "watch" => {
            let (limit, picks) = parse_limit("watch", rest)?;
            match picks.as_slice() {
                [] => watch::run(None, limit),
                [pick] => watch::run(Some(pick), limit),
                _ => usage(
                    "`watch` takes at most one exercise id or lab, e.g. cargo xtask watch 3.1",
                ),
            }
        }
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
        [id] if !id.starts_with('-') => Ok(id),
        [flag] => usage(format!(
            "`{command}` does not know {flag:?}; it takes one exercise id (e.g. cargo xtask \
             {command} 3.1) or --all"
        )),
        _ => usage(format!(
            "`{command}` needs one exercise id, e.g. cargo xtask {command} 3.1, or --all"
        )),
    }
}

/// Splits `--limit SECS` (or `--limit=SECS`) off the arguments.
fn parse_limit<'a>(
    command: &str,
    rest: &'a [String],
) -> Result<(std::time::Duration, Vec<&'a str>)> {
    let mut limit = course::DEFAULT_LIMIT;
    let mut others = Vec::new();
    let mut i = 0;
    while i < rest.len() {
        let arg = rest[i].as_str();
        let value = if arg == "--limit" {
            i += 1;
            match rest.get(i) {
                Some(v) => Some(v.as_str()),
                None => {
                    return usage(format!(
                        "--limit needs a number of seconds, e.g. cargo xtask {command} --limit 120"
                    ));
                }
            }
        } else {
            arg.strip_prefix("--limit=")
        };
        match value {
            Some(v) => match v.parse::<u64>() {
                Ok(secs) if (1..=3600).contains(&secs) => {
                    limit = std::time::Duration::from_secs(secs)
                }
                _ => {
                    return usage(format!(
                        "--limit {v:?} is not a number of seconds from 1 to 3600, \
                         e.g. cargo xtask {command} --limit 120"
                    ));
                }
            },
            None if arg.starts_with('-') => {
                return usage(format!(
                    "`{command}` does not know {arg:?}; see cargo xtask help"
                ));
            }
            None => others.push(arg),
        }
        i += 1;
    }
    Ok((limit, others))
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
