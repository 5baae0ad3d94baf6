//! The book: `build`, `serve` and `capture`.

use std::net::TcpListener;
use std::path::{Component, Path};

use crate::{Result, fail, proc, tools};

/// `cargo xtask build`: installs the tools if needed and builds the book into
/// `target/book/html/`; fails on any warning or error mdBook (or a plugin) prints.
pub fn build() -> Result {
    tools::ensure()?;
    build_book()
}

/// Builds the book with the installed tools (see [`build`]).
pub fn build_book() -> Result {
    tools::mermaid_assets()?;
    let mut cmd = tools::command("mdbook");
    cmd.arg("build");
    let out = proc::output(&mut cmd)?;
    let text: String = proc::strip_ansi(&proc::text(&out))
        .lines()
        .filter(|line| !HARMLESS.contains(&line.trim()))
        .map(|line| format!("{line}\n"))
        .collect();
    print!("{text}");
    let complaints: Vec<&str> = text.lines().filter(|l| is_complaint(l)).collect();
    if !out.status.success() {
        return fail("the book does not build (see mdBook's output above)");
    }
    if !complaints.is_empty() {
        return fail(format!(
            "mdBook printed {} warning or error line(s); the build must be clean:\n{}",
            complaints.len(),
            complaints.join("\n")
        ));
    }
    println!("built the book: open target/book/html/index.html");
    Ok(())
}

/// Lines a plugin prints on every build that are known to be harmless, left out
/// of the output and of the warning check. Exact lines: a new version of a tool
/// that prints something else is a warning again until someone looks at it.
///
/// mdbook-mermaid 0.17.1's Cargo.lock pins mdbook-preprocessor 0.5.0 (we install
/// with `--locked`), and it warns whenever mdBook's version differs from that,
/// even within 0.5.x, whose preprocessor protocol is the same.
const HARMLESS: &[&str] = &[
    "Warning: The mdbook-mermaid preprocessor was built against version 0.5.0 of mdbook, \
     but we're being called from version 0.5.4",
];

/// A line of mdBook's output that is a warning or an error: a log line whose
/// level is WARN or ERROR, or a plugin's `Warning:`/`Error:` line.
fn is_complaint(line: &str) -> bool {
    line.split_whitespace().take(3).any(|word| {
        let word = word.trim_start_matches(|c: char| !c.is_ascii_alphabetic());
        let end = word
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(word.len());
        let upper = word[..end].to_ascii_uppercase();
        matches!(upper.as_str(), "WARN" | "WARNING" | "ERROR")
    })
}

/// `cargo xtask serve`: builds the book and serves it on 127.0.0.1 only,
/// rebuilding and reloading the page on every change.
pub fn serve(port: u16) -> Result {
    // Check the port before the (possibly long) install, and say what to do.
    match TcpListener::bind(("127.0.0.1", port)) {
        Ok(listener) => drop(listener),
        Err(_) => {
            return fail(format!(
                "port {port} on 127.0.0.1 is in use (another `cargo xtask serve`?). \
                 Pick another: cargo xtask serve --port {}",
                if port == u16::MAX { 3001 } else { port + 1 }
            ));
        }
    }
    tools::ensure()?;
    tools::mermaid_assets()?;
    println!("serving the book at http://127.0.0.1:{port}/ (Ctrl-C stops it)");
    println!(
        "(mdbook-mermaid's \"built against version 0.5.0 of mdbook\" warning on each build is harmless)"
    );
    let mut cmd = tools::command("mdbook");
    cmd.args(["serve", "--hostname", "127.0.0.1", "--port"])
        .arg(port.to_string());
    run_in_place(cmd)
}

/// Becomes `cmd` (Unix `exec`), so that Ctrl-C or a kill reaches mdbook itself
/// and no server is left behind when this process ends.
#[cfg(unix)]
fn run_in_place(mut cmd: std::process::Command) -> Result {
    use std::os::unix::process::CommandExt;
    let e = cmd.exec();
    fail(format!("could not run `{}`: {e}", proc::describe(&cmd)))
}

/// Runs `cmd` and waits for it.
#[cfg(not(unix))]
fn run_in_place(mut cmd: std::process::Command) -> Result {
    if proc::status(&mut cmd)? {
        Ok(())
    } else {
        fail("mdbook serve stopped with an error (see its output above)")
    }
}

/// One real run whose output the book shows: the program (`cargo`, or `python3`
/// for the Python companions of appendix A), its arguments, and the file under
/// `book/` that receives its stdout (`None` when the program writes its files
/// under `book/` itself).
struct RealRun {
    program: &'static str,
    args: &'static [&'static str],
    book_file: Option<&'static str>,
}

/// `cargo run --release --quiet -p LAB -- ARGS…` into `book_file`: a lab's
/// measure command.
macro_rules! measure_run {
    ($lab:literal, [$($arg:literal),*], $book_file:literal) => {
        RealRun {
            program: "cargo",
            args: &["run", "--release", "--quiet", "-p", $lab, "--" $(, $arg)*],
            book_file: Some($book_file),
        }
    };
}

/// The real runs `cargo xtask capture` regenerates.
const REAL_RUNS: &[RealRun] = &[
    // Chapter 1: the measure command's table, its CSV, and the sweep (whose
    // chart the command writes itself, under book/).
    measure_run!(
        "lab-01",
        [],
        "01-concurrency-vs-parallelism/captured/measure.txt"
    ),
    measure_run!(
        "lab-01",
        ["--format", "csv"],
        "01-concurrency-vs-parallelism/captured/measure.csv"
    ),
    measure_run!(
        "lab-01",
        [
            "--sweep",
            "1,2,4",
            "--svg",
            "book/01-concurrency-vs-parallelism/captured/speedup.svg"
        ],
        "01-concurrency-vs-parallelism/captured/sweep.txt"
    ),
    // Appendix A: Python beside Rust.
    measure_run!(
        "lab-01",
        ["--python"],
        "appendix-a-python/captured/python-vs-rust.txt"
    ),
    RealRun {
        program: "cargo",
        args: &[
            "run",
            "--release",
            "--quiet",
            "-p",
            "lab-03",
            "--example",
            "lost_update",
        ],
        book_file: Some("03-race-conditions/captured/lost-update-run.txt"),
    },
    // Chapter 7: the pipeline against one thread for each channel capacity,
    // and the back-pressure run, whose chart the command writes itself.
    measure_run!(
        "lab-07",
        ["--svg", "book/07-message-passing/captured/backpressure.svg"],
        "07-message-passing/captured/measure.txt"
    ),
    // Chapter 8: each part of the measure command in a file of its own (the
    // work-stealing part with its timeline), the kernel's CSV, and the sweep
    // with its chart.
    measure_run!(
        "lab-08",
        ["--only", "kernel"],
        "08-data-parallelism/captured/kernel.txt"
    ),
    measure_run!(
        "lab-08",
        ["--only", "exercises"],
        "08-data-parallelism/captured/exercises.txt"
    ),
    measure_run!(
        "lab-08",
        [
            "--only",
            "stealing",
            "--trace",
            "book/08-data-parallelism/captured/stealing.svg"
        ],
        "08-data-parallelism/captured/stealing.txt"
    ),
    measure_run!(
        "lab-08",
        ["--only", "grain"],
        "08-data-parallelism/captured/grain.txt"
    ),
    measure_run!(
        "lab-08",
        ["--only", "amdahl"],
        "08-data-parallelism/captured/amdahl.txt"
    ),
    measure_run!(
        "lab-08",
        ["--only", "pitfalls"],
        "08-data-parallelism/captured/pitfalls.txt"
    ),
    measure_run!(
        "lab-08",
        ["--only", "start"],
        "08-data-parallelism/captured/start.txt"
    ),
    measure_run!(
        "lab-08",
        ["--only", "kernel", "--format", "csv"],
        "08-data-parallelism/captured/kernel.csv"
    ),
    measure_run!(
        "lab-08",
        [
            "--sweep",
            "1,2,4",
            "--svg",
            "book/08-data-parallelism/captured/speedup.svg"
        ],
        "08-data-parallelism/captured/sweep.txt"
    ),
    // Chapter 9: tasks against threads (table with its chart, and the CSV),
    // Python's asyncio tasks and threads beside them, and the loopback
    // server with tokio's and std's backlog of 128, then with 4096.
    measure_run!(
        "lab-09",
        [
            "tasks-vs-threads",
            "--svg",
            "book/09-async-concurrency/captured/tasks-vs-threads.svg"
        ],
        "09-async-concurrency/captured/tasks-vs-threads.txt"
    ),
    measure_run!(
        "lab-09",
        ["tasks-vs-threads", "--format", "csv"],
        "09-async-concurrency/captured/tasks-vs-threads.csv"
    ),
    measure_run!(
        "lab-09",
        ["tasks-vs-threads", "--python"],
        "09-async-concurrency/captured/tasks-python.txt"
    ),
    measure_run!(
        "lab-09",
        ["server", "--backlog", "128"],
        "09-async-concurrency/captured/server-backlog-128.txt"
    ),
    measure_run!(
        "lab-09",
        ["server", "--backlog", "4096"],
        "09-async-concurrency/captured/server-backlog-4096.txt"
    ),
    // Chapter 9 again: lab 1's I/O job at a thousand waits, the command that
    // stalled before lab 1's server chose its backlog.
    measure_run!(
        "lab-01",
        [
            "--only",
            "io",
            "--requests",
            "1000",
            "--latency-ms",
            "100",
            "--repeat",
            "1"
        ],
        "09-async-concurrency/captured/lab01-io-1000.txt"
    ),
    // Appendix A: asyncio's many waiting tasks and threads, and the small runs
    // that show each asyncio piece beside tokio's (that one writes its eight
    // files itself).
    RealRun {
        program: "python3",
        args: &["labs/lab-09/python/many_waits.py", "--table"],
        book_file: Some("appendix-a-python/captured/asyncio-many-waits.txt"),
    },
    RealRun {
        program: "python3",
        args: &[
            "labs/lab-09/python/asyncio_pieces.py",
            "--write",
            "book/appendix-a-python/captured",
        ],
        book_file: None,
    },
];

/// `cargo xtask capture`: regenerates the output the book shows. Runs the tests
/// with `LAB_CAPTURE=write` (they rewrite their files under `book/**/captured/`),
/// then each real run of [`REAL_RUNS`], every lab built with its reference
/// solutions (its `solutions` feature). Writes nothing outside `book/`.
pub fn capture() -> Result {
    let mut failures = Vec::new();
    // The introduction's view of `cargo xtask progress` on the starter code.
    if let Err(crate::Failure::Failed(m) | crate::Failure::Usage(m)) = crate::progress::capture() {
        failures.push(m);
    }
    // Every lab with its reference solutions: `--features lab-01/solutions,…`.
    let labs = crate::labs::all()?;
    let solutions: Vec<String> = labs
        .iter()
        .map(|l| format!("{}/solutions", l.name))
        .collect();
    println!(
        "capture: LAB_CAPTURE=write cargo test --workspace --features lab-NN/solutions (every lab)"
    );
    let mut cmd = proc::cargo();
    cmd.args(["test", "--workspace", "--features", &solutions.join(",")])
        .env("LAB_CAPTURE", "write")
        .env_remove("LAB_VARIANT");
    if !proc::status(&mut cmd)? {
        failures.push("cargo test --workspace (with LAB_CAPTURE=write) failed".to_owned());
    }
    let book_dir = crate::repo_root().join("book");
    for run in REAL_RUNS {
        let rel = run.book_file.map(Path::new);
        if let Some(rel) = rel
            && (rel.is_absolute() || rel.components().any(|c| !matches!(c, Component::Normal(_))))
        {
            failures.push(format!(
                "{}: captured files must be under book/",
                rel.display()
            ));
            continue;
        }
        let mut cmd = if run.program == "cargo" {
            // The lab's reference solutions: `--features solutions` before
            // the `--` that starts the program's own arguments.
            let mut cmd = proc::cargo();
            let end = run
                .args
                .iter()
                .position(|a| *a == "--")
                .unwrap_or(run.args.len());
            cmd.args(&run.args[..end])
                .args(["--features", "solutions"])
                .args(&run.args[end..])
                .env_remove("LAB_VARIANT");
            cmd
        } else {
            let mut cmd = std::process::Command::new(run.program);
            cmd.current_dir(crate::repo_root()).args(run.args);
            cmd
        };
        match rel {
            Some(rel) => println!("capture: {} > book/{}", proc::describe(&cmd), rel.display()),
            None => println!("capture: {}", proc::describe(&cmd)),
        }
        let out = proc::output(&mut cmd)?;
        if !out.status.success() {
            eprint!("{}", proc::text(&out));
            failures.push(format!("`{}` failed", proc::describe(&cmd)));
            continue;
        }
        let Some(rel) = rel else {
            print!("{}", String::from_utf8_lossy(&out.stdout));
            continue;
        };
        let dest = book_dir.join(rel);
        if let Some(parent) = dest.parent()
            && let Err(e) = std::fs::create_dir_all(parent)
        {
            failures.push(format!("cannot create {}: {e}", parent.display()));
            continue;
        }
        match std::fs::write(&dest, &out.stdout) {
            Ok(()) => println!("wrote book/{}", rel.display()),
            Err(e) => failures.push(format!("cannot write {}: {e}", dest.display())),
        }
    }
    if failures.is_empty() {
        println!(
            "capture: done. Check the chapters' prose still fits the new output (git diff book/)."
        );
        Ok(())
    } else {
        fail(format!(
            "capture: {} step(s) failed:\n  {}",
            failures.len(),
            failures.join("\n  ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::is_complaint;

    #[test]
    fn warnings_and_errors_are_complaints() {
        assert!(is_complaint(" WARN Ignoring file"));
        assert!(is_complaint("ERROR Rendering failed"));
        assert!(is_complaint(
            "2026-11-22 23:19:15 [WARN] (mdbook_quiz): odd"
        ));
        assert!(is_complaint(
            "[2026-11-22T23:17:53Z ERROR mdbook_mermaid] missing"
        ));
        assert!(is_complaint("Warning: something"));
        assert!(is_complaint("error: File not found: nothere.md"));
        assert!(is_complaint("warning[W001]: odd"));
    }

    #[test]
    fn information_is_not_a_complaint() {
        assert!(!is_complaint(" INFO Book building has started"));
        assert!(!is_complaint(
            "2026-11-22 23:19:15 [INFO] (mdbook_quiz): Running"
        ));
        assert!(!is_complaint(
            " INFO HTML book written to `target/book/html`"
        ));
        assert!(!is_complaint(" INFO Running the html backend"));
    }
}
