//! `--python`: runs `python/companion.py`, the same two jobs in Python
//! (sequential, threading, asyncio, multiprocessing), against the same server,
//! and reads back its JSON.

use std::io::{ErrorKind, Read, Write};
use std::net::SocketAddr;
use std::process::{Command, Stdio};

use serde::Deserialize;

use crate::measure::Config;

/// The companion script, next to this crate's Cargo.toml.
pub const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/python/companion.py");

/// Printed (before the Rust table) when there is no Python to run.
pub const NOT_FOUND: &str = "python3 not found: running the Rust half alone";

/// One way of one job, as the companion timed it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PythonRow {
    /// "sequential", "threading", "asyncio (1 thread)" or "multiprocessing".
    pub way: String,
    /// Wall-clock time, the median of [`PythonRow::runs`], in seconds.
    pub seconds: f64,
    /// The time of every timed run, in seconds, round by round.
    pub runs: Vec<f64>,
    /// The way's result: the sum of the answers, or the count of primes.
    pub result: u64,
}

/// What the companion printed.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PythonReport {
    /// `platform.python_version()`, e.g. "3.12.3".
    pub version: String,
    /// "CPython", "PyPy", …
    pub implementation: String,
    /// "yes", "no (free-threaded build)", or "unknown" (an implementation
    /// that cannot tell, other than CPython and PyPy).
    pub gil: String,
    /// Timed runs of each way; `seconds` is their median.
    pub repeat: usize,
    /// The sum of the answers every I/O way must get.
    pub io_expected: u64,
    /// The I/O ways.
    pub io: Vec<PythonRow>,
    /// The bound of Python's CPU job.
    pub primes_below: u64,
    /// The count every CPU way must get.
    pub primes_expected: u64,
    /// The CPU ways.
    pub cpu: Vec<PythonRow>,
}

/// Runs the companion against the server at `addr` with the sizes of `config`
/// (its own, smaller, CPU bound). `Ok(None)` if there is no such Python.
pub fn run_companion(
    config: &Config,
    addr: Option<SocketAddr>,
    progress: &mut dyn Write,
) -> Result<Option<PythonReport>, String> {
    let addr = addr.ok_or("--python needs the I/O job (leave out --only cpu)")?;
    let _ = writeln!(progress, "python: {} {SCRIPT} …", config.python_exe);
    let child = Command::new(&config.python_exe)
        .arg(SCRIPT)
        .args(["--port", &addr.port().to_string()])
        .args(["--requests", &config.requests.to_string()])
        .args(["--latency-ms", &config.latency.as_millis().to_string()])
        .args(["--primes-below", &config.python_primes_below.to_string()])
        .args(["--chunks", &config.chunks.to_string()])
        .args(["--workers", &config.workers.to_string()])
        .args(["--repeat", &config.repeat.to_string()])
        .arg("--json")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::PermissionDenied) => {
            let _ = writeln!(progress, "{NOT_FOUND}");
            return Ok(None);
        }
        Err(e) => return Err(format!("cannot run {}: {e}", config.python_exe)),
    };
    let (Some(mut stdout), Some(mut stderr)) = (child.stdout.take(), child.stderr.take()) else {
        return Err("the companion's output pipes were not set up".to_owned());
    };
    // The companion's progress (its stderr) goes where the Rust half's
    // progress goes, as it comes: to stderr in the command, into a buffer in
    // the tests. Its results (its stdout) are read on another thread meanwhile,
    // so that neither pipe can fill up and stall it. The companion puts a
    // time limit on every request, so a stalled server ends it with an error.
    let json = std::thread::scope(|s| {
        let reader = s.spawn(move || {
            let mut json = Vec::new();
            stdout.read_to_end(&mut json).map(|_| json)
        });
        let mut buffer = [0u8; 512];
        loop {
            match stderr.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => {
                    let _ = progress.write_all(&buffer[..n]);
                    let _ = progress.flush();
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        reader
            .join()
            .expect("reading the companion's stdout does not panic")
    });
    let status = child
        .wait()
        .map_err(|e| format!("cannot wait for {}: {e}", config.python_exe))?;
    let json = json.map_err(|e| format!("cannot read the companion's output: {e}"))?;
    if !status.success() {
        return Err(format!(
            "{} {SCRIPT} failed ({status}); its output:\n{}",
            config.python_exe,
            String::from_utf8_lossy(&json)
        ));
    }
    let report: PythonReport = serde_json::from_slice(&json)
        .map_err(|e| format!("the companion printed something other than its JSON: {e}"))?;
    check(&report)?;
    Ok(Some(report))
}

/// Every Python way got the right result, there are four of each, and each
/// was timed `repeat` times.
fn check(report: &PythonReport) -> Result<(), String> {
    for (job, rows, expected) in [
        ("I/O", &report.io, report.io_expected),
        ("CPU", &report.cpu, report.primes_expected),
    ] {
        if rows.len() != 4 {
            return Err(format!(
                "the companion ran {} {job} ways, not 4",
                rows.len()
            ));
        }
        if let Some(bad) = rows.iter().find(|r| r.result != expected) {
            return Err(format!(
                "Python {job}, {}: got {}, not {expected}",
                bad.way, bad.result
            ));
        }
        if let Some(bad) = rows.iter().find(|r| r.runs.len() != report.repeat) {
            return Err(format!(
                "Python {job}, {}: {} timed runs, not {}",
                bad.way,
                bad.runs.len(),
                report.repeat
            ));
        }
    }
    Ok(())
}
