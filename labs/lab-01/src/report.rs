//! The results as text: a table to read, CSV for other programs, the sweep's
//! speed-up against workers, and Python beside Rust, in lab 1's words. The
//! grid, the numbers in its cells, the CSV and the JSON are the shared
//! harness's ([`lab_support::measure::text`]).

use std::fmt::Write as _;

use lab_support::measure::text::{grid, percent, seconds, spread, times, two_figures};

use crate::measure::{Report, Row, SerialFraction, SweepReport, Workload, karp_flatt};
use crate::python::PythonReport;

/// The first lines of every table: the machine and the sizes of the jobs.
fn header(out: &mut String, cores: usize, workers: Option<usize>, r: (u64, u64, u64, usize)) {
    let (requests, latency_ms, primes_below, chunks) = r;
    let _ = write!(
        out,
        "machine: {cores} logical cores (std::thread::available_parallelism)"
    );
    if let Some(w) = workers {
        let _ = write!(out, "; thread, rayon and tokio pools of {w} workers");
    }
    out.push('\n');
    if requests > 0 {
        let _ = writeln!(
            out,
            "I/O job: {requests} requests to a TCP server on 127.0.0.1 that waits {latency_ms} ms before each reply"
        );
    }
    if primes_below > 0 {
        let _ = writeln!(
            out,
            "CPU job: count the primes below {primes_below} by trial division, split into {chunks} chunks"
        );
    }
}

/// The sizes of the jobs that ran (0 for a job that did not run).
fn sizes(
    rows: &[Row],
    requests: u64,
    latency_ms: u64,
    below: u64,
    chunks: usize,
) -> (u64, u64, u64, usize) {
    let io = rows.iter().any(|r| r.workload == Workload::Io);
    let cpu = rows.iter().any(|r| r.workload == Workload::Cpu);
    (
        if io { requests } else { 0 },
        latency_ms,
        if cpu { below } else { 0 },
        chunks,
    )
}

/// The default run as a table to read.
pub fn table(report: &Report) -> String {
    let mut out = String::new();
    let s = sizes(
        &report.rows,
        report.requests,
        report.latency_ms,
        report.primes_below,
        report.chunks,
    );
    header(&mut out, report.cores, Some(report.workers), s);
    out.push('\n');
    let rows: Vec<Vec<String>> = report
        .rows
        .iter()
        .map(|r| {
            vec![
                r.workload.label().to_owned(),
                r.timed.way.clone(),
                r.timed.threads.to_string(),
                seconds(r.timed.seconds),
                times(r.timed.speedup),
                format!("{:.0}", r.timed.ideal),
                percent(r.timed.efficiency),
            ]
        })
        .collect();
    out.push_str(&grid(
        &[
            "workload",
            "way",
            "threads",
            "time",
            "speed-up",
            "ideal",
            "efficiency",
        ],
        &rows,
        &[false, false, true, true, true, true, true],
    ));
    out.push('\n');
    let mut checked = Vec::new();
    if s.0 > 0 {
        checked.push(format!(
            "every I/O way got all {} replies right",
            report.requests
        ));
    }
    if let Some(primes) = report.primes {
        let known = match report.known_primes {
            Some(k) => format!("known: {k}"),
            None => "no known value for this bound: checked against the sequential way".to_owned(),
        };
        checked.push(format!("every CPU way counted {primes} primes ({known})"));
    }
    let _ = writeln!(out, "checked: {}", checked.join("; "));
    let _ = writeln!(out, "{}", timing(report.repeat));
    let _ = writeln!(
        out,
        "ideal: for waiting, the requests a way has in flight at once; for computing, the cores its threads can use"
    );
    let _ = writeln!(out, "{}", ideal_is_a_model(s.0 > 0));
    let _ = writeln!(out, "efficiency = speed-up / ideal");
    let io_sequential = report
        .rows
        .iter()
        .find(|r| r.workload == Workload::Io && r.timed.way == "sequential");
    if let Some(r) = io_sequential {
        let per_request = r.timed.seconds * 1000.0 / report.requests as f64;
        let _ = writeln!(
            out,
            "per-request overhead of the I/O job (sequential time / requests - {} ms): {:.2} ms, mostly the server's tokio timer rounding each wait up to its next 1 ms tick",
            report.latency_ms,
            per_request - report.latency_ms as f64
        );
    }
    if let Some(overhead) = &report.threads_overhead {
        let _ = writeln!(
            out,
            "fixed overhead of the threads way, empty job (split, start and join {} threads, add up): {:.6} s, {:.3}% of the sequential time",
            report.workers,
            overhead.seconds,
            overhead.fraction * 100.0
        );
    }
    if let Some(kf) = &report.karp_flatt {
        karp_flatt_lines(&mut out, kf);
    }
    out
}

/// How the rounds were run, after "times: median of N runs".
const ROUNDS: &str = "each round runs every way once, in the order of one row of a Williams design, whose full cycle of rows balances which way runs in which place and right after which (after an untimed warm-up round at a small size)";

/// How the times were taken.
fn timing(repeat: usize) -> String {
    format!("times: median of {}; {ROUNDS}", runs(repeat))
}

/// "3 runs", or "1 run".
fn runs(repeat: usize) -> String {
    if repeat == 1 {
        "1 run".to_owned()
    } else {
        format!("{repeat} runs")
    }
}

/// What the ideal is not; `io`: whether the I/O job ran.
fn ideal_is_a_model(io: bool) -> &'static str {
    if io {
        "ideal is a model, not a hard upper bound: the I/O ideal assumes all of the sequential time is waiting that overlaps"
    } else {
        "ideal is a model, not a hard upper bound"
    }
}

/// The effective serial fraction and the bounds it implies: always two lines,
/// each starting the same way whatever was measured.
fn karp_flatt_lines(out: &mut String, kf: &SerialFraction) {
    let from = format!(
        "from the best CPU speed-up, {} with {} on {} workers",
        times(kf.speedup),
        kf.way,
        kf.workers
    );
    match (kf.fraction, kf.bound) {
        (Some(e), Some(bound)) => {
            let _ = writeln!(
                out,
                "effective serial fraction (Karp–Flatt, {from}): e = {:.1}%",
                e * 100.0
            );
            let unlimited = match kf.bound_unlimited {
                Some(b) => format!(
                    "about {}x on unlimited cores (1/e, to two figures: e from one run is mostly noise), were e the same on any number of workers, which one number of workers cannot show (on a machine with more cores, --sweep prints e for several)",
                    two_figures(b)
                ),
                None => "no bound on unlimited cores (e is not above 0: Amdahl's model sees no serial part)".to_owned(),
            };
            let _ = writeln!(
                out,
                "Amdahl's bound with that e: {} on {} workers (the measured speed-up, by construction); {unlimited}",
                times(bound),
                kf.workers
            );
        }
        _ => {
            let _ = writeln!(
                out,
                "effective serial fraction (Karp–Flatt, {from}): not defined, as with one worker every fraction gives a speed-up of 1"
            );
            let _ = writeln!(
                out,
                "Amdahl's bound: run on more than one core, with more than one worker (--workers), to see it"
            );
        }
    }
}

/// The rows as CSV: a header line, then one line per way.
pub fn csv(rows: &[Row], cores: usize) -> String {
    let header = lab_support::measure::CSV_COLUMNS;
    let lines: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let workload = match r.workload {
                Workload::Io => "io",
                Workload::Cpu => "cpu",
            };
            lab_support::measure::CsvRow {
                workload,
                way: &r.timed.way,
                threads: r.timed.threads,
                seconds: r.timed.seconds,
                speedup: r.timed.speedup,
                ideal: r.timed.ideal,
                efficiency: r.timed.efficiency,
                cores,
            }
            .cells()
        })
        .collect();
    lab_support::measure::text::csv(&header, &lines)
}

/// The sweep as speed-up against workers: one line per job and way, one column
/// per number of workers, with the ideal under each job.
pub fn sweep_table(report: &SweepReport) -> String {
    let mut out = String::new();
    let s = sizes(
        &report.rows,
        report.requests,
        report.latency_ms,
        report.primes_below,
        report.chunks,
    );
    header(&mut out, report.cores, None, s);
    for r in report.rows.iter().filter(|r| r.timed.way == "sequential") {
        let _ = writeln!(
            out,
            "{} job, sequential: {}",
            r.workload.label(),
            seconds(r.timed.seconds)
        );
    }
    let _ = writeln!(out, "{}", timing(report.repeat));
    out.push_str("\nspeed-up over sequential, by number of workers\n");
    let mut head = vec!["workload".to_owned(), "way".to_owned()];
    head.extend(report.workers.iter().map(|w| w.to_string()));
    let head: Vec<&str> = head.iter().map(String::as_str).collect();
    let mut rows = Vec::new();
    for workload in [Workload::Io, Workload::Cpu] {
        for way in ["std threads", "rayon", "ideal"] {
            let cells: Vec<String> = report
                .rows
                .iter()
                .filter(|r| r.workload == workload && r.timed.way != "sequential")
                .filter(|r| way == "ideal" || r.timed.way == way)
                .take(report.workers.len())
                .map(|r| {
                    if way == "ideal" {
                        times(r.timed.ideal)
                    } else {
                        times(r.timed.speedup)
                    }
                })
                .collect();
            if cells.is_empty() {
                continue;
            }
            let mut row = vec![workload.label().to_owned(), way.to_owned()];
            row.extend(cells);
            rows.push(row);
        }
    }
    let mut right = vec![false, false];
    right.extend(report.workers.iter().map(|_| true));
    out.push_str(&grid(&head, &rows, &right));
    let _ = writeln!(
        out,
        "\nideal: for waiting, one request in flight per worker; for computing, one core per worker, up to the {} cores",
        report.cores
    );
    let _ = writeln!(out, "{}", ideal_is_a_model(s.0 > 0));
    if s.2 > 0 {
        serial_fractions(&mut out, report);
    }
    out
}

/// The sweep's effective serial fraction of the CPU job: Karp–Flatt's `e` for
/// each way and number of workers, worked back from its speed-up on W = its
/// ideal (the cores its workers could use); `n/a` where W is 1.
fn serial_fractions(out: &mut String, report: &SweepReport) {
    let _ = writeln!(
        out,
        "\neffective serial fraction of the CPU job (Karp–Flatt e, with W = the CPU ideal above), by number of workers"
    );
    let mut head = vec!["way".to_owned()];
    head.extend(report.workers.iter().map(|w| w.to_string()));
    let head: Vec<&str> = head.iter().map(String::as_str).collect();
    let mut rows = Vec::new();
    for way in ["std threads", "rayon"] {
        let mut row = vec![way.to_owned()];
        row.extend(
            report
                .rows
                .iter()
                .filter(|r| r.workload == Workload::Cpu && r.timed.way == way)
                .take(report.workers.len())
                .map(
                    |r| match karp_flatt(r.timed.speedup, r.timed.ideal as usize) {
                        Some(e) => format!("{:.1}%", e * 100.0),
                        None => "n/a".to_owned(),
                    },
                ),
        );
        rows.push(row);
    }
    let mut right = vec![false];
    right.extend(report.workers.iter().map(|_| true));
    out.push_str(&grid(&head, &rows, &right));
    let _ = writeln!(
        out,
        "n/a: with W = 1, every serial fraction gives a speed-up of 1, so the run says nothing about e"
    );
}

/// Python beside Rust: the same jobs, way by way, with speed-ups to compare
/// (Python's CPU job is smaller, so its times are not comparable).
pub fn python_table(rust: &Report, python: &PythonReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Python {} ({}, GIL: {}) beside Rust, on {} logical cores; pools of {} workers",
        python.version, python.implementation, python.gil, rust.cores, rust.workers
    );
    let _ = writeln!(
        out,
        "I/O job (both): {} requests to the same TCP server on 127.0.0.1, which waits {} ms before each reply",
        rust.requests, rust.latency_ms
    );
    let _ = writeln!(
        out,
        "CPU job: the primes below {} in Rust, below {} in Python (pure Python is far slower: compare speed-ups, not times)",
        rust.primes_below, python.primes_below
    );
    let _ = writeln!(
        out,
        "times: in both languages, median of {}; {ROUNDS}",
        runs(rust.repeat)
    );
    out.push('\n');
    let mut rows = Vec::new();
    for (workload, py_rows) in [(Workload::Io, &python.io), (Workload::Cpu, &python.cpu)] {
        let rust_rows = rust
            .rows
            .iter()
            .filter(|r| r.workload == workload && r.timed.way != "tokio (multi-thread)");
        for (r, p) in rust_rows.zip(py_rows.iter()) {
            let py_speedup = py_rows[0].seconds / p.seconds;
            rows.push(vec![
                workload.label().to_owned(),
                r.timed.way.clone(),
                seconds(r.timed.seconds),
                spread(&r.timed.runs, r.timed.seconds),
                times(r.timed.speedup),
                p.way.clone(),
                seconds(p.seconds),
                spread(&p.runs, p.seconds),
                times(py_speedup),
                format!("{:.0}", r.timed.ideal),
            ]);
        }
    }
    out.push_str(&grid(
        &[
            "workload", "Rust", "time", "spread", "speed-up", "Python", "time", "spread",
            "speed-up", "ideal",
        ],
        &rows,
        &[
            false, false, true, true, true, false, true, true, true, true,
        ],
    ));
    let _ = writeln!(
        out,
        "\nchecked: every way of both languages got every reply right and counted the primes right"
    );
    let _ = write!(
        out,
        "spread: (slowest run - fastest run) / median, for each way; a difference between two speed-ups smaller than the spreads of the ways involved may be noise"
    );
    if rust.repeat < 2 || python.repeat < 2 {
        out.push_str("; – where a way ran only once, which shows no spread (try --repeat 3)");
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "ideal: for waiting, the requests a way has in flight at once; for computing, the cores its threads or processes can use"
    );
    let _ = writeln!(out, "{}", ideal_is_a_model(true));
    out
}
