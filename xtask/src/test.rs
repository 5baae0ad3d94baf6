//! `cargo xtask test [LAB]`: the one command that runs everything.
//!
//! 1. Installs the tools and builds the book, warning-free (skipped with LAB).
//! 2. `cargo test --workspace --features lab-01/solutions,…` (or `-p LAB
//!    --features solutions`): every lab compiled with its reference solutions;
//!    all must pass. Without LAB, everything is built first (`--no-run`) and
//!    the browser tests (`tests/book_browser.rs`, which spend their time in
//!    Chromium) then run on their own beside the rest; their verdict is one
//!    more line of the summary.
//! 3. For each lab with exercises: its starter code (`cargo test -p LAB
//!    --features starter`) must compile, and its tests must fail with
//!    `exercise <id> is not done yet` for every exercise: an exercise whose
//!    starter passes has no teeth.
//!
//! The variant is a cargo feature of each lab (see
//! `labs/support/src/build_variant.rs`), so the solutions, starter and
//! learner's builds of a lab stay side by side in `target/`: a second run
//! rebuilds nothing.
//! 4. The committed `exercises/` and `starter/` copies of each file must agree.
//!
//! It ends with a summary and, as its last line, `xtask: N passed, M failed`.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use lab_support::exercise::{Exercise, OPEN_MARK};

use crate::labs::{self, Lab};
use crate::{Failure, Result, book, proc, tools};

/// `12.3 s`.
pub fn seconds(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

/// One check of the run, for the summary.
struct Check {
    passed: bool,
    what: String,
    took: Option<Duration>,
}

#[derive(Default)]
struct Report {
    checks: Vec<Check>,
}

impl Report {
    fn record(&mut self, passed: bool, what: impl Into<String>, took: Option<Duration>) {
        let what = what.into();
        if !passed {
            eprintln!("xtask: FAILED: {what}");
        }
        self.checks.push(Check { passed, what, took });
    }

    /// Runs a phase, times it, and records it; its error message becomes the
    /// summary line.
    fn phase(&mut self, name: &str, body: impl FnOnce() -> Result) -> bool {
        println!("\nxtask: {name}…");
        let started = Instant::now();
        let outcome = body();
        let took = Some(started.elapsed());
        match outcome {
            Ok(()) => self.record(true, name, took),
            Err(Failure::Failed(m) | Failure::Usage(m)) => {
                self.record(false, format!("{name}: {m}"), took)
            }
        }
        self.checks.last().is_some_and(|c| c.passed)
    }

    fn finish(self, started: Instant) -> Result {
        let passed = self.checks.iter().filter(|c| c.passed).count();
        let failed = self.checks.len() - passed;
        println!(
            "\nxtask test summary ({} in all):",
            seconds(started.elapsed())
        );
        for check in &self.checks {
            let took = check.took.map(seconds).unwrap_or_default();
            let first_line = check.what.lines().next().unwrap_or_default();
            println!(
                "  {:<6}  {first_line}{}",
                if check.passed { "ok" } else { "FAILED" },
                if took.is_empty() {
                    String::new()
                } else {
                    format!("  ({took})")
                }
            );
        }
        println!("xtask: {passed} passed, {failed} failed");
        if failed == 0 {
            Ok(())
        } else {
            Err(Failure::Failed(String::new()))
        }
    }
}

/// `cargo test`, with the book's paths in its environment (the labs' variant
/// is chosen by the caller's `--features`).
fn cargo_test() -> Command {
    let root = crate::repo_root();
    let mut cmd = proc::cargo();
    cmd.arg("test")
        // The variant was once an environment variable: one left over from
        // then would stop every lab's build script.
        .env_remove("LAB_VARIANT")
        .env("BOOK_TOOLS_BIN", tools::bin_dir())
        // book.toml's build-dir: mdBook writes the HTML straight into
        // target/book/html/. The tests find it from BOOK_BUILD_DIR (in it or
        // in its html/, see tests/support/lib.rs); BOOK_HTML_DIR names it.
        .env("BOOK_BUILD_DIR", root.join("target").join("book"))
        .env(
            "BOOK_HTML_DIR",
            root.join("target").join("book").join("html"),
        );
    cmd
}

/// `lab-01/solutions,lab-02/solutions,…`: every lab's `variant` feature, for
/// `--features` in one workspace run. A bare `--features solutions` would turn
/// it on only in the packages that have it (not the root package nor xtask),
/// and quietly leave out a lab that lacked it; named, such a lab is an error.
fn features_of_all(labs: &[Lab], variant: &str) -> String {
    labs.iter()
        .map(|lab| format!("{}/{variant}", lab.name))
        .collect::<Vec<_>>()
        .join(",")
}

pub fn run(only: Option<&str>) -> Result {
    let started = Instant::now();
    let labs = match only {
        Some(name) => vec![labs::find(name)?],
        None => labs::all()?,
    };
    let mut report = Report::default();

    // 1. The book.
    if only.is_none() {
        report.phase("install the book's tools and build the book", || {
            tools::ensure()?;
            book::build_book()
        });
    }

    // 2. Everything, with the reference solutions.
    let mut solutions_output = String::new();
    let scope: Vec<String> = match only {
        Some(_) => ["-p", &labs[0].name, "--features", "solutions"]
            .map(str::to_owned)
            .to_vec(),
        None => vec![
            "--workspace".to_owned(),
            "--features".to_owned(),
            features_of_all(&labs, "solutions"),
        ],
    };
    let shown = match only {
        Some(_) => scope.join(" "),
        None => "--workspace --features lab-NN/solutions (every lab)".to_owned(),
    };
    // The browser tests spend their time in Chromium, most of it waiting on
    // pages: they run on their own, beside the rest, once everything is built.
    let browser = match only {
        None => start_browser_tests(&scope),
        Some(_) => None,
    };
    let solutions_ok = report.phase(&format!("cargo test {shown} --no-fail-fast"), || {
        let mut cmd = cargo_test();
        cmd.args(&scope).arg("--no-fail-fast");
        if browser.is_some() {
            cmd.env("BOOK_BROWSER_ELSEWHERE", "1");
        }
        let (ok, text) = proc::tee(&mut cmd)?;
        solutions_output = text;
        if ok {
            Ok(())
        } else {
            crate::fail("some tests failed (see above)")
        }
    });

    // 3 and 4, lab by lab.
    for lab in &labs {
        let exercises = match lab.exercises() {
            Ok(ex) => ex,
            Err(Failure::Failed(m) | Failure::Usage(m)) => {
                report.record(false, m, None);
                continue;
            }
        };
        if exercises.is_empty() {
            println!(
                "\nxtask: {} has no exercises.toml: no starter checks",
                lab.name
            );
            continue;
        }
        check_starter(
            &mut report,
            lab,
            &exercises,
            solutions_ok,
            &solutions_output,
        );
        for ex in &exercises {
            check_copies(&mut report, lab, ex);
        }
    }

    if let Some(run) = browser {
        finish_browser_tests(&mut report, run);
    }
    report.finish(started)
}

/// The browser tests' binary, running.
struct BrowserRun {
    child: std::process::Child,
    /// Its stdout and stderr, read as they come.
    output: [std::thread::JoinHandle<String>; 2],
    started: Instant,
}

/// Builds every test of `scope` (`cargo test --no-run`, cargo's lines shown:
/// on a fresh clone this is where the time goes) and starts the binary of
/// `tests/book_browser.rs` on its own. `None` if the build failed: the test
/// run that follows reports why, and runs the browser tests itself.
fn start_browser_tests(scope: &[String]) -> Option<BrowserRun> {
    println!("\nxtask: building every test, then starting the browser tests beside the others…");
    let mut cmd = cargo_test();
    cmd.args(scope)
        .args(["--no-run", "--message-format=json"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit());
    let out = cmd.output().ok()?;
    if !out.status.success() {
        return None;
    }
    let exe = String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|line| {
            let msg: serde_json::Value = serde_json::from_str(line).ok()?;
            (msg["reason"] == "compiler-artifact" && msg["target"]["name"] == "book_browser")
                .then(|| msg["executable"].as_str().map(str::to_owned))
                .flatten()
        })?;
    let root = crate::repo_root();
    let mut child = Command::new(exe)
        .current_dir(&root)
        .env("CARGO_MANIFEST_DIR", &root)
        .env("BOOK_TOOLS_BIN", tools::bin_dir())
        .env("BOOK_BUILD_DIR", root.join("target").join("book"))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    let stdout = crate::course::read_in_background(child.stdout.take());
    let stderr = crate::course::read_in_background(child.stderr.take());
    Some(BrowserRun {
        child,
        output: [stdout, stderr],
        started: Instant::now(),
    })
}

/// Waits for the browser tests started by [`start_browser_tests`] and records
/// their verdict, with their output if they failed.
fn finish_browser_tests(report: &mut Report, mut run: BrowserRun) {
    println!("\nxtask: the browser tests (tests/book_browser.rs), run beside the others…");
    let passed = run.child.wait().is_ok_and(|status| status.success());
    let text: String = run
        .output
        .into_iter()
        .map(|stream| stream.join().unwrap_or_default())
        .collect();
    let took = run.started.elapsed();
    let result = text
        .lines()
        .rev()
        .find(|l| l.starts_with("test result:"))
        .unwrap_or("no test result line")
        .to_owned();
    if passed {
        for line in text.lines().filter(|l| l.contains("skipped")) {
            println!("{line}");
        }
        println!("{result}");
    } else {
        eprintln!("--- output of tests/book_browser.rs:\n{text}--- end of output");
    }
    // Their own time is in libtest's line; `took` also counts the wait
    // for the checks that ran beside them.
    report.record(
        passed,
        format!(
            "the browser tests (tests/book_browser.rs): {result} (collected {} after they began)",
            seconds(took)
        ),
        None,
    );
}

/// Step 3: the starter code compiles, and every exercise's tests fail with its
/// "not done yet" line.
fn check_starter(
    report: &mut Report,
    lab: &Lab,
    exercises: &[Exercise],
    solutions_ok: bool,
    solutions_output: &str,
) {
    println!(
        "\nxtask: {}: the starter code must compile and fail every exercise…",
        lab.name
    );
    let started = Instant::now();
    let mut cmd = cargo_test();
    cmd.args(["-p", &lab.name, "--features", "starter", "--no-run"]);
    let compiled = match proc::output(&mut cmd) {
        Ok(out) if out.status.success() => Ok(()),
        Ok(out) => {
            eprint!("{}", proc::text(&out));
            Err(format!(
                "{}: the starter code does not compile (see above)",
                lab.name
            ))
        }
        Err(Failure::Failed(m) | Failure::Usage(m)) => Err(m),
    };
    if let Err(m) = compiled {
        report.record(false, m, Some(started.elapsed()));
        return;
    }
    report.record(
        true,
        format!("{}: starter code compiles", lab.name),
        Some(started.elapsed()),
    );

    let started = Instant::now();
    let mut cmd = cargo_test();
    cmd.args(["-p", &lab.name, "--features", "starter", "--no-fail-fast"]);
    let (passed, text) = match proc::output(&mut cmd) {
        Ok(out) => (out.status.success(), proc::strip_ansi(&proc::text(&out))),
        Err(Failure::Failed(m) | Failure::Usage(m)) => {
            report.record(false, m, None);
            return;
        }
    };
    let took = started.elapsed();
    let mut shown = false;
    let mut show = || {
        if !shown {
            shown = true;
            eprintln!(
                "--- output of the starter run of {}:\n{text}--- end of output",
                lab.name
            );
        }
    };
    if passed {
        show();
    }
    for ex in exercises {
        let mark = format!("exercise {} {OPEN_MARK}", ex.id);
        let failing_tests = text.matches(&mark).count();
        if failing_tests == 0 {
            show();
            report.record(
                false,
                format!(
                    "the starter code of exercise {} passes its tests: the exercise has no teeth \
                     (no test said \"{mark}\")",
                    ex.id
                ),
                Some(took),
            );
            continue;
        }
        let solution_failed =
            solutions_output.contains(&format!("the reference solution of exercise {} ", ex.id));
        let solution = if solution_failed {
            "but its solution FAILS its tests"
        } else if solutions_ok {
            "solution passes"
        } else {
            "solution: see the failed tests above"
        };
        let plural = if failing_tests == 1 { "" } else { "s" };
        report.record(
            !solution_failed,
            format!(
                "exercise {}: starter fails as it should ({failing_tests} test{plural}), {solution}",
                ex.id
            ),
            Some(took),
        );
    }
}

/// Step 4: `exercises/<file>` and `starter/<file>` must be identical as committed.
fn check_copies(report: &mut Report, lab: &Lab, ex: &Exercise) {
    let root = crate::repo_root();
    let mine = lab.rel("exercises", &ex.file);
    let starter = lab.rel("starter", &ex.file);
    let same = match (
        std::fs::read(root.join(&mine)),
        std::fs::read(root.join(&starter)),
    ) {
        (Ok(a), Ok(b)) => a == b,
        (Err(e), _) => {
            report.record(false, format!("cannot read {}: {e}", mine.display()), None);
            return;
        }
        (_, Err(e)) => {
            report.record(
                false,
                format!("cannot read {}: {e}", starter.display()),
                None,
            );
            return;
        }
    };
    let what = format!(
        "exercise {}: exercises/{} and starter/{} agree",
        ex.id, ex.file, ex.file
    );
    if same {
        report.record(true, what, None);
        return;
    }
    match edited_since_commit(&root, &mine) {
        Some(false) => report.record(
            false,
            format!(
                "{}: starter/{} and exercises/{} differ in the repository; \
                 they must be identical when committed",
                lab.name, ex.file, ex.file
            ),
            None,
        ),
        Some(true) => {
            println!(
                "xtask: you have edited exercises/{} ({}); the check used starter/{}",
                ex.file, lab.name, ex.file
            );
            report.record(
                true,
                format!(
                    "exercise {}: you have edited exercises/{}; the check used starter/{}",
                    ex.id, ex.file, ex.file
                ),
                None,
            );
        }
        None => {
            println!(
                "xtask: exercises/{} differs from starter/{} ({}); git cannot tell whether you \
                 edited it (no git, or no commit yet); the check used starter/{}",
                ex.file, ex.file, lab.name, ex.file
            );
            report.record(
                true,
                format!(
                    "exercise {}: exercises/{} differs from starter/{} (not committed yet)",
                    ex.id, ex.file, ex.file
                ),
                None,
            );
        }
    }
}

/// Whether `file` differs from its committed version: `Some(true)` if edited,
/// `Some(false)` if not, `None` if git cannot say (no git, no commit).
fn edited_since_commit(root: &Path, file: &Path) -> Option<bool> {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(root)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .ok()
    };
    if !git(&["rev-parse", "--verify", "--quiet", "HEAD"])?.success() {
        return None;
    }
    let file = file.to_str()?;
    // A file git does not track has no committed copy to compare with.
    if !git(&["ls-files", "--error-unmatch", "--", file])?.success() {
        return None;
    }
    match git(&["diff", "--quiet", "HEAD", "--", file])?.code() {
        Some(0) => Some(false),
        Some(1) => Some(true),
        _ => None,
    }
}
