//! The course as the learner's files stand: every exercise of every lab, and
//! whether its tests pass. Shared by `progress`, `watch` and `hint` without an id.
//!
//! An exercise is *done* when every test named `exercise_N_M_…` in its lab's test
//! binary passes on the learner's files (`exercises/`, the default build, no cargo
//! feature). The builds go to `target/watch/`, a target folder of their own, so
//! that an editor's rust-analyzer, which holds the lock on `target/`, never makes
//! them wait. Results are cached in `target/watch/progress.json` under a hash of
//! every file that can change them (the lab's folder, `labs/support/`,
//! `Cargo.toml` and `Cargo.lock`): with nothing changed, nothing is rebuilt or run.

use std::collections::{BTreeMap, hash_map::DefaultHasher};
use std::hash::{Hash, Hasher};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use lab_support::exercise::Exercise;
use serde::{Deserialize, Serialize};

use crate::labs::{self, Lab};
use crate::{Result, fail, proc, usage};

/// How long one run of a lab's exercise tests may take before it is stopped.
/// Every exercise's tests finish in a few seconds when they pass. For these
/// runs the labs' own watchdog (10 s under `cargo test`) is moved past this
/// limit, so that it is this limit that stops a hang, and the verdict can say
/// from the CPU time whether it looks like a deadlock or a busy loop.
pub const DEFAULT_LIMIT: Duration = Duration::from_secs(20);

/// One exercise of the course, in course order.
#[derive(Debug, Clone)]
pub struct Item {
    pub lab: Lab,
    pub ex: Exercise,
}

impl Item {
    /// `exercise_3_1_`: the prefix of the names of this exercise's tests.
    pub fn test_prefix(&self) -> String {
        format!("exercise_{}_", self.ex.id.replace('.', "_"))
    }

    /// `labs/lab-03/exercises/transfer.rs`.
    pub fn file(&self) -> PathBuf {
        self.lab.rel("exercises", &self.ex.file)
    }

    /// `"Exercise 3.1: a safe transfer" in book/03-race-conditions/exercises.md`.
    pub fn where_explained(&self) -> String {
        format!("\"{}\" in book/{}", self.ex.section, self.ex.page)
    }
}

/// Where an exercise stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    /// Every one of its tests passed.
    Done { tests: usize },
    /// A test failed; `detail` is what the first failing test printed.
    Open {
        failed: usize,
        tests: usize,
        detail: String,
        /// The names of the failing tests.
        failing: Vec<String>,
    },
    /// The lab does not compile; `error` is the compiler's first error in one
    /// line, `full` the whole of it as the compiler printed it.
    DoesNotCompile { error: String, full: String },
    /// The run was stopped after the time limit; `detail` says what it looks like.
    Hung { detail: String },
    /// The lab's test binary has no test of this exercise.
    NoTests,
    /// Not checked yet.
    Unknown,
}

impl Status {
    pub fn is_done(&self) -> bool {
        matches!(self, Status::Done { .. })
    }

    /// A short word for the progress view.
    pub fn label(&self) -> &'static str {
        match self {
            Status::Done { .. } => "done",
            Status::Open { .. } => "open",
            Status::DoesNotCompile { .. } => "does not compile",
            Status::Hung { .. } => "stopped (hung)",
            Status::NoTests => "no tests",
            Status::Unknown => "not checked",
        }
    }
}

/// Every exercise of every lab, in course order (labs by name, exercises in the
/// order of their `exercises.toml`).
pub fn items() -> Result<Vec<Item>> {
    let mut items = Vec::new();
    for lab in labs::all()? {
        for ex in lab.exercises()? {
            items.push(Item {
                lab: lab.clone(),
                ex,
            });
        }
    }
    Ok(items)
}

/// The item with id `id`, or a usage error listing every id.
pub fn find(items: &[Item], id: &str) -> Result<usize> {
    if let Some(i) = items.iter().position(|it| it.ex.id == id) {
        return Ok(i);
    }
    if items.is_empty() {
        return usage(format!("unknown exercise {id}: no lab has exercises yet"));
    }
    usage(format!(
        "unknown exercise {id}; the exercises are: {}",
        items
            .iter()
            .map(|it| it.ex.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// `target/watch`: the target folder of `progress` and `watch`.
pub fn target_dir() -> PathBuf {
    crate::repo_root().join("target").join("watch")
}

fn cache_path() -> PathBuf {
    target_dir().join("progress.json")
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Cache {
    /// "lab-03 3.1" → (hash of the lab's inputs, status).
    entries: BTreeMap<String, (String, Status)>,
}

fn cache_key(item: &Item) -> String {
    format!("{} {}", item.lab.name, item.ex.id)
}

fn load_cache() -> Cache {
    std::fs::read_to_string(cache_path())
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn save_cache(cache: &Cache) {
    let path = cache_path();
    if let Some(parent) = path.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    if let Ok(text) = serde_json::to_string_pretty(cache) {
        // Written aside and renamed, so that a reader never sees half a file.
        let tmp = path.with_extension("json.tmp");
        if std::fs::write(&tmp, text).is_ok() {
            let _ = std::fs::rename(&tmp, &path);
        }
    }
}

/// A hash of every file that can change a lab's test results: the lab's folder,
/// `labs/support/`, the workspace's `Cargo.toml` and `Cargo.lock`. (std's
/// `DefaultHasher`: its output may change between Rust releases, which only
/// makes the cache miss once.)
pub fn lab_hash(lab: &Lab) -> String {
    let root = crate::repo_root();
    let mut hasher = DefaultHasher::new();
    let mut files = Vec::new();
    collect_files(&lab.dir, &mut files);
    collect_files(&root.join("labs").join("support"), &mut files);
    files.push(root.join("Cargo.toml"));
    files.push(root.join("Cargo.lock"));
    for file in files {
        file.strip_prefix(&root).unwrap_or(&file).hash(&mut hasher);
        std::fs::read(&file).ok().hash(&mut hasher);
    }
    format!("{:016x}", hasher.finish())
}

/// Every file under `dir`, sorted, leaving out `target/` folders and dot files.
pub fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let name = name.unwrap_or_default();
        if name.starts_with('.') || name == "target" {
            continue;
        }
        if path.is_dir() {
            collect_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// What `status` knows about every item: the cached status where the lab's files
/// are unchanged, `Unknown` elsewhere.
pub fn cached(items: &[Item]) -> Vec<Status> {
    let cache = load_cache();
    let mut hashes: BTreeMap<String, String> = BTreeMap::new();
    items
        .iter()
        .map(|item| {
            let hash = hashes
                .entry(item.lab.name.clone())
                .or_insert_with(|| lab_hash(&item.lab))
                .clone();
            match cache.entries.get(&cache_key(item)) {
                Some((h, status)) if *h == hash => status.clone(),
                _ => Status::Unknown,
            }
        })
        .collect()
}

/// Stores fresh statuses in the cache (a hung run is not stored: it may have
/// been a slow moment of the machine rather than the code).
pub fn remember(items: &[Item], fresh: &[(usize, Status)]) {
    let mut cache = load_cache();
    let mut hashes: BTreeMap<String, String> = BTreeMap::new();
    for (i, status) in fresh {
        let item = &items[*i];
        if matches!(status, Status::Hung { .. } | Status::Unknown) {
            cache.entries.remove(&cache_key(item));
            continue;
        }
        let hash = hashes
            .entry(item.lab.name.clone())
            .or_insert_with(|| lab_hash(&item.lab))
            .clone();
        cache
            .entries
            .insert(cache_key(item), (hash, status.clone()));
    }
    save_cache(&cache);
}

/// What the build of some labs gave: each lab's test binary, or its first error.
#[derive(Debug, Default)]
pub struct Built {
    pub executables: BTreeMap<String, PathBuf>,
    /// The first error of each lab that did not compile: one line, and in full.
    pub errors: BTreeMap<String, (String, String)>,
}

/// Something to say while a long step runs (a build, a test run).
pub type Report<'a> = &'a mut dyn FnMut(&str);

/// Set by `watch`: each cargo build runs in a process group of its own, so that
/// cancelling it stops the compilers it started too (killing cargo alone would
/// leave them writing the old build's files beside the next build). `progress`
/// leaves it unset, so that a Ctrl-C in the terminal reaches cargo as usual.
pub static OWN_PROCESS_GROUP: AtomicBool = AtomicBool::new(false);

/// Stops a build started by [`build`], with the compilers it started.
fn stop_build(child: &mut Child) {
    #[cfg(unix)]
    if OWN_PROCESS_GROUP.load(Ordering::Relaxed)
        && let Some(pid) = rustix::process::Pid::from_raw(child.id() as i32)
    {
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
    kill(child);
}

/// Builds the test binary (`tests/lab.rs`) of each lab in `labs` with the
/// learner's files, in one cargo run that goes on past a lab that does not
/// compile (`--keep-going`). `say` hears "compiling N crates…" as cargo goes.
pub fn build(labs: &[&Lab], cancel: &AtomicBool, say: Report) -> Result<Built> {
    let mut built = Built::default();
    if labs.is_empty() {
        return Ok(built);
    }
    let mut cmd = proc::cargo();
    cmd.args([
        "build",
        "--keep-going",
        "--message-format=json",
        "--test",
        "lab",
    ])
    .env("CARGO_TARGET_DIR", target_dir())
    .env("CARGO_TERM_COLOR", "never")
    .env_remove("LAB_VARIANT")
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    for lab in labs {
        cmd.args(["-p", &lab.name]);
    }
    let mut child = cmd
        .spawn()
        .or_else(|e| fail(format!("could not run `{}`: {e}", proc::describe(&cmd))))?;
    let stderr = child.stderr.take();
    // cargo's own lines (Compiling …, error: …) go to stderr: count them as they come.
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let err_thread = std::thread::spawn(move || {
        let mut kept = Vec::new();
        if let Some(stderr) = stderr {
            for line in BufReader::new(stderr).lines().map_while(|l| l.ok()) {
                let _ = tx.send(line.clone());
                kept.push(line);
            }
        }
        kept
    });
    let stdout = child.stdout.take();
    let out_thread = read_in_background(stdout);
    let mut compiled = 0usize;
    let status = loop {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(line) => {
                let line = line.trim_start();
                if line.starts_with("Blocking") {
                    say(line);
                } else if line.starts_with("Compiling") {
                    compiled += 1;
                    let what = line.trim_start_matches("Compiling").trim();
                    say(&format!("compiling ({compiled} crates so far): {what}"));
                }
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                break child.wait();
            }
        }
        if cancel.load(Ordering::Relaxed) {
            stop_build(&mut child);
            let _ = err_thread.join();
            let _ = out_thread.join();
            return fail("cancelled");
        }
    };
    let cargo_lines = err_thread.join().unwrap_or_default();
    let json = out_thread.join().unwrap_or_default();
    if let Err(e) = status {
        return fail(format!("could not wait for cargo: {e}"));
    }
    for line in json.lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let lab = msg["manifest_path"]
            .as_str()
            .and_then(|p| Path::new(p).parent()?.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match msg["reason"].as_str() {
            Some("compiler-artifact") => {
                if msg["target"]["name"] == "lab"
                    && let Some(exe) = msg["executable"].as_str()
                {
                    built.executables.insert(lab, PathBuf::from(exe));
                }
            }
            Some("compiler-message") => {
                if msg["message"]["level"] == "error"
                    && !built.errors.contains_key(&lab)
                    && let Some(rendered) = msg["message"]["rendered"].as_str()
                {
                    built
                        .errors
                        .insert(lab, (first_error(rendered), rendered.trim_end().to_owned()));
                }
            }
            _ => {}
        }
    }
    for lab in labs {
        if !built.executables.contains_key(&lab.name) && !built.errors.contains_key(&lab.name) {
            // No compiler message: a build script or cargo itself failed.
            let first = cargo_lines
                .iter()
                .find(|l| l.trim_start().starts_with("error"))
                .map(|l| l.trim().to_owned())
                .unwrap_or_else(|| {
                    format!(
                        "cargo built no test binary for {0}; `cargo test -p {0}` shows why",
                        lab.name
                    )
                });
            built
                .errors
                .insert(lab.name.clone(), (first, cargo_lines.join("\n")));
        }
    }
    Ok(built)
}

/// The headline and the location of a rendered compiler error:
/// `error[E0308]: mismatched types at labs/lab-03/exercises/transfer.rs:12:5`.
pub fn first_error(rendered: &str) -> String {
    let mut lines = rendered.lines();
    let head = lines.next().unwrap_or_default().trim().to_owned();
    match lines.find_map(|l| l.trim_start().strip_prefix("--> ")) {
        Some(place) => format!("{head} at {}", tidy_path(place.trim())),
        None => head,
    }
}

/// `labs/lab-03/tests/../exercises/x.rs:2:5` → `labs/lab-03/exercises/x.rs:2:5`
/// (the labs' test binaries include the exercise files by a `../` path).
fn tidy_path(place: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in place.split('/') {
        if part == ".." && parts.last().is_some_and(|p| *p != "..") {
            parts.pop();
        } else {
            parts.push(part);
        }
    }
    parts.join("/")
}

/// What one run of a test binary gave.
#[derive(Debug, Default)]
pub struct RunResult {
    /// Test name → passed.
    pub results: BTreeMap<String, bool>,
    /// Test name → what it printed when it failed.
    pub failures: BTreeMap<String, String>,
    /// Set when the run was stopped at the time limit: what it looks like.
    pub hung: Option<String>,
    /// The tests that had not finished when the run was stopped.
    pub unfinished: Vec<String>,
}

/// Runs the tests whose names start with any of `prefixes` in a lab's test
/// binary, stopping it after `limit`. On a stop, says whether it looks like a
/// deadlock (no CPU used) or an endless loop or a loom model too big (a CPU kept
/// busy), and which tests had not finished.
pub fn run_tests(
    lab: &Lab,
    exe: &Path,
    prefixes: &[String],
    limit: Duration,
    cancel: &AtomicBool,
) -> Result<RunResult> {
    let names = list_tests(lab, exe, prefixes)?;
    let mut cmd = test_command(lab, exe);
    // The labs' watchdog waits past this run's limit: the limit stops a hang.
    cmd.env("LAB_WATCHDOG_SECS", (limit.as_secs() + 15).to_string())
        .args(prefixes)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .or_else(|e| fail(format!("could not run {}: {e}", exe.display())))?;
    let out = read_in_background(child.stdout.take());
    let err = read_in_background(child.stderr.take());
    let started = Instant::now();
    let mut cpu = CpuWatch::new(child.id());
    let stopped = loop {
        match child.try_wait() {
            Ok(Some(_)) => break false,
            Ok(None) => {}
            Err(e) => return fail(format!("could not wait for {}: {e}", exe.display())),
        }
        if cancel.load(Ordering::Relaxed) {
            kill(&mut child);
            return fail("cancelled");
        }
        if started.elapsed() >= limit {
            break true;
        }
        cpu.sample();
        // Polling, not synchronizing: the tool checks on the child ten times a second.
        std::thread::sleep(Duration::from_millis(100));
    };
    let busy = if stopped { cpu.busy() } else { None };
    if stopped {
        kill(&mut child);
    }
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    let mut result = parse_libtest(&stdout);
    if stopped {
        let unfinished: Vec<&String> = names
            .iter()
            .filter(|n| !result.results.contains_key(*n))
            .collect();
        result.hung = Some(hang_verdict(limit, busy, &unfinished));
        result.unfinished = unfinished.into_iter().cloned().collect();
    } else if result.results.is_empty() && !names.is_empty() {
        // It ended without reporting its tests: it crashed (an abort, a stack overflow).
        let tail: Vec<&str> = stderr.lines().rev().take(3).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        for name in &names {
            result.results.insert(name.clone(), false);
            result.failures.insert(
                name.clone(),
                format!(
                    "the test binary stopped before reporting its tests:\n{}",
                    tail.join("\n")
                ),
            );
        }
    }
    Ok(result)
}

/// A command running a lab's test binary the way `cargo test` would: in the
/// lab's folder, with `CARGO_MANIFEST_DIR` set, colour off, no backtraces.
fn test_command(lab: &Lab, exe: &Path) -> Command {
    let mut cmd = Command::new(exe);
    cmd.current_dir(&lab.dir)
        .env("CARGO_MANIFEST_DIR", &lab.dir)
        .env("CARGO_PKG_NAME", &lab.name)
        .env("RUST_BACKTRACE", "0")
        .arg("--color=never");
    cmd
}

/// The names of the tests that match `prefixes` (libtest's `--list`).
fn list_tests(lab: &Lab, exe: &Path, prefixes: &[String]) -> Result<Vec<String>> {
    let mut cmd = test_command(lab, exe);
    cmd.arg("--list").arg("--format=terse").args(prefixes);
    let out = proc::output(&mut cmd)?;
    if !out.status.success() {
        return fail(format!(
            "{} --list failed:\n{}",
            exe.display(),
            proc::text(&out)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .filter(|name| prefixes.iter().any(|p| name.starts_with(p.as_str())))
        .map(str::to_owned)
        .collect())
}

/// Reads all of a child's stream on a thread of its own (so that a full pipe
/// never stops the child), as text.
pub fn read_in_background(
    from: Option<impl Read + Send + 'static>,
) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut from) = from {
            let _ = from.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

fn kill(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

/// The CPU time a process has used, sampled over the last few seconds (Linux's
/// `/proc/PID/stat`; elsewhere it knows nothing and says so).
struct CpuWatch {
    pid: u32,
    samples: std::collections::VecDeque<(Instant, u64)>,
}

impl CpuWatch {
    fn new(pid: u32) -> Self {
        CpuWatch {
            pid,
            samples: Default::default(),
        }
    }

    /// utime + stime in clock ticks (USER_HZ, 100 per second on Linux).
    fn ticks(&self) -> Option<u64> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid)).ok()?;
        // The command name (field 2) is in parentheses and may hold spaces.
        let rest = &stat[stat.rfind(')')? + 2..];
        let fields: Vec<&str> = rest.split_whitespace().collect();
        // Fields 14 and 15 of the whole line are 12 and 13 after the name.
        Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
    }

    fn sample(&mut self) {
        if let Some(t) = self.ticks() {
            let now = Instant::now();
            self.samples.push_back((now, t));
            while self
                .samples
                .front()
                .is_some_and(|(at, _)| now.duration_since(*at) > Duration::from_secs(3))
            {
                self.samples.pop_front();
            }
        }
    }

    /// The share of one CPU the process used over the last seconds, if known.
    fn busy(&mut self) -> Option<f64> {
        self.sample();
        let (first, last) = (self.samples.front()?, self.samples.back()?);
        let wall = last.0.duration_since(first.0).as_secs_f64();
        if wall < 0.5 {
            return None;
        }
        Some((last.1.saturating_sub(first.1)) as f64 / 100.0 / wall)
    }
}

/// What a stopped run looks like, in words.
pub fn hang_verdict(limit: Duration, busy: Option<f64>, unfinished: &[&String]) -> String {
    let which = if unfinished.is_empty() {
        String::new()
    } else {
        format!(
            " Still running: {}.",
            unfinished
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let loom = unfinished.iter().any(|n| n.contains("loom"));
    let looks = match busy {
        Some(share) if share >= 0.2 && loom => format!(
            "it kept a CPU busy ({:.0}% of one) until it was stopped: it looks like a loom model \
             too big to explore (more threads or steps, or no preemption bound), or an endless \
             loop inside the model",
            share * 100.0
        ),
        Some(share) if share >= 0.2 => format!(
            "it kept a CPU busy ({:.0}% of one) until it was stopped: it looks like an endless \
             loop (a spin on a flag that never changes, a retry that never succeeds)",
            share * 100.0
        ),
        Some(_) => "it used no CPU while it waited: it looks like a deadlock (threads or tasks \
             waiting for each other, or for a message, a permit or a wake-up that never comes)"
            .to_owned(),
        None => "it looks like a deadlock, an endless loop, or a loom model too big to explore"
            .to_owned(),
    };
    format!("stopped after {} s: {looks}.{which}", limit.as_secs())
}

/// Reads libtest's output: `test NAME ... ok|FAILED|ignored` lines and the
/// `---- NAME stdout ----` blocks of the failures.
pub fn parse_libtest(stdout: &str) -> RunResult {
    let mut result = RunResult::default();
    let mut current: Option<(String, String)> = None;
    for line in stdout.lines() {
        if let Some((name, verdict)) = line
            .strip_prefix("test ")
            .and_then(|rest| rest.rsplit_once(" ... "))
        {
            match verdict.trim() {
                "ok" => {
                    result.results.insert(name.to_owned(), true);
                }
                "FAILED" => {
                    result.results.insert(name.to_owned(), false);
                }
                _ => {}
            }
            continue;
        }
        if let Some(name) = line
            .strip_prefix("---- ")
            .and_then(|l| l.strip_suffix(" stdout ----"))
        {
            if let Some((n, text)) = current.take() {
                result.failures.insert(n, text.trim_end().to_owned());
            }
            current = Some((name.to_owned(), String::new()));
            continue;
        }
        if line == "failures:" || line.starts_with("test result:") {
            if let Some((n, text)) = current.take() {
                result.failures.insert(n, text.trim_end().to_owned());
            }
            continue;
        }
        if let Some((_, text)) = current.as_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    if let Some((n, text)) = current.take() {
        result.failures.insert(n, text.trim_end().to_owned());
    }
    result
}

/// The message a failed test printed, without libtest's `thread '…' panicked at
/// FILE:LINE:COL:` line and the `note: run with RUST_BACKTRACE` line.
pub fn failure_message(raw: &str) -> String {
    raw.lines()
        .filter(|l| {
            let panicked_at = l.starts_with("thread '") && l.contains("panicked at");
            !panicked_at && !l.starts_with("note: run with `RUST_BACKTRACE")
        })
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

/// The status of `item` from a run of its lab's tests.
pub fn status_of(item: &Item, run: &RunResult) -> Status {
    let prefix = item.test_prefix();
    let mine: Vec<(&String, &bool)> = run
        .results
        .iter()
        .filter(|(name, _)| name.starts_with(&prefix))
        .collect();
    if let Some(detail) = &run.hung
        && (mine.is_empty() || run.unfinished.iter().any(|n| n.starts_with(&prefix)))
    {
        return Status::Hung {
            detail: detail.clone(),
        };
    }
    if mine.is_empty() {
        return Status::NoTests;
    }
    let failed: Vec<&String> = mine
        .iter()
        .filter(|(_, ok)| !**ok)
        .map(|(n, _)| *n)
        .collect();
    if failed.is_empty() {
        return Status::Done { tests: mine.len() };
    }
    let detail = run
        .failures
        .get(failed[0])
        .map(|raw| failure_message(raw))
        .unwrap_or_default();
    Status::Open {
        failed: failed.len(),
        tests: mine.len(),
        detail,
        failing: failed.iter().map(|n| (*n).clone()).collect(),
    }
}

/// Checks the given items: builds their labs (in one cargo run), runs each lab's
/// exercise tests once for all of its items, and returns the fresh statuses.
pub fn check(
    items: &[Item],
    which: &[usize],
    limit: Duration,
    cancel: &Arc<AtomicBool>,
    say: Report,
) -> Result<Vec<(usize, Status)>> {
    let mut labs: Vec<&Lab> = Vec::new();
    for &i in which {
        if !labs.iter().any(|l| l.name == items[i].lab.name) {
            labs.push(&items[i].lab);
        }
    }
    say("building the labs' tests…");
    let built = build(&labs, cancel, say)?;
    let mut fresh = Vec::new();
    for lab in labs {
        let mine: Vec<usize> = which
            .iter()
            .copied()
            .filter(|&i| items[i].lab.name == lab.name)
            .collect();
        if let Some((error, full)) = built.errors.get(&lab.name) {
            for i in mine {
                fresh.push((
                    i,
                    Status::DoesNotCompile {
                        error: error.clone(),
                        full: full.clone(),
                    },
                ));
            }
            continue;
        }
        let Some(exe) = built.executables.get(&lab.name) else {
            continue;
        };
        let prefixes: Vec<String> = mine.iter().map(|&i| items[i].test_prefix()).collect();
        let ids: Vec<&str> = mine.iter().map(|&i| items[i].ex.id.as_str()).collect();
        say(&format!(
            "running the tests of exercise{} {} ({})…",
            if ids.len() == 1 { "" } else { "s" },
            ids.join(", "),
            lab.name
        ));
        let run = run_tests(lab, exe, &prefixes, limit, cancel)?;
        for i in mine {
            fresh.push((i, status_of(&items[i], &run)));
        }
    }
    remember(items, &fresh);
    Ok(fresh)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTPUT: &str = "\
running 3 tests
test exercise_3_1_no_money_lost ... ok
test exercise_3_1_no_deadlock ... FAILED
test exercise_3_2_model_finds_the_race ... ok

failures:

---- exercise_3_1_no_deadlock stdout ----

thread 'exercise_3_1_no_deadlock' panicked at labs/support/src/exercise.rs:181:13:
exercise 3.1 is not done yet: Fix it. Edit labs/lab-03/exercises/transfer.rs.

What the test saw:
    loom found a deadlock
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace


failures:
    exercise_3_1_no_deadlock

test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.52s
";

    fn item(id: &str) -> Item {
        Item {
            lab: Lab {
                name: "lab-03".into(),
                dir: PathBuf::from("labs/lab-03"),
            },
            ex: Exercise {
                id: id.into(),
                file: "transfer.rs".into(),
                task: "Fix it.".into(),
                page: "03-race-conditions/exercises.md".into(),
                section: "Exercise".into(),
                hint: "hint".into(),
                hang: None,
            },
        }
    }

    #[test]
    fn libtest_output_gives_each_exercise_its_status() {
        let run = parse_libtest(OUTPUT);
        assert_eq!(run.results.len(), 3);
        match status_of(&item("3.1"), &run) {
            Status::Open {
                failed,
                tests,
                detail,
                failing,
            } => {
                assert_eq!((failed, tests), (1, 2));
                assert_eq!(failing, ["exercise_3_1_no_deadlock"]);
                assert!(
                    detail.starts_with("exercise 3.1 is not done yet"),
                    "{detail}"
                );
                assert!(!detail.contains("panicked at"), "{detail}");
                assert!(!detail.contains("RUST_BACKTRACE"), "{detail}");
                assert!(
                    detail.ends_with("What the test saw:\n    loom found a deadlock"),
                    "{detail}"
                );
            }
            other => panic!("3.1 should be open, got {other:?}"),
        }
        assert_eq!(status_of(&item("3.2"), &run), Status::Done { tests: 1 });
        assert_eq!(status_of(&item("3.3"), &run), Status::NoTests);
    }

    #[test]
    fn a_stopped_run_marks_the_exercises_it_had_not_finished() {
        let mut run = parse_libtest("test exercise_3_2_model_finds_the_race ... ok\n");
        let stuck = "exercise_3_1_no_deadlock".to_owned();
        run.hung = Some(hang_verdict(Duration::from_secs(60), Some(0.0), &[&stuck]));
        run.unfinished = vec![stuck.clone()];
        match status_of(&item("3.1"), &run) {
            Status::Hung { detail } => {
                assert!(detail.contains("deadlock"), "{detail}");
                assert!(detail.contains("exercise_3_1_no_deadlock"), "{detail}");
            }
            other => panic!("3.1 should be hung, got {other:?}"),
        }
        assert_eq!(status_of(&item("3.2"), &run), Status::Done { tests: 1 });
    }

    #[test]
    fn a_stopped_run_says_what_it_looks_like() {
        let loom = "exercise_6_1_loom_mailbox".to_owned();
        let plain = "exercise_6_1_spins".to_owned();
        let limit = Duration::from_secs(30);
        assert!(hang_verdict(limit, Some(0.95), &[&loom]).contains("loom model too big"));
        assert!(hang_verdict(limit, Some(0.95), &[&plain]).contains("endless loop"));
        assert!(hang_verdict(limit, Some(0.01), &[&plain]).contains("deadlock"));
        let unknown = hang_verdict(limit, None, &[&plain]);
        assert!(unknown.contains("deadlock, an endless loop, or a loom model"));
        assert!(unknown.starts_with("stopped after 30 s"));
    }

    #[test]
    fn a_compiler_error_is_shown_as_its_headline_and_place() {
        let rendered = "error[E0308]: mismatched types\n  --> labs/lab-03/tests/../exercises/transfer.rs:12:5\n   |\n12 |     1\n";
        assert_eq!(
            first_error(rendered),
            "error[E0308]: mismatched types at labs/lab-03/exercises/transfer.rs:12:5"
        );
    }
}
