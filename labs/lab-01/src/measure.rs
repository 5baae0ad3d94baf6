//! The measurement: what to run ([`Config`], from the command line by
//! [`parse_args`]), running every way of both jobs and timing it ([`measure`],
//! [`sweep`]), and the speed-up, ideal and efficiency of each.
//!
//! `cargo run --release -p lab-01 -- --help` lists the options.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::server::Server;
use crate::{cpu, io};

/// The command line, for `--help` and for every error.
pub const USAGE: &str = "\
usage: cargo run --release -p lab-01 -- [OPTIONS]

Runs an I/O-bound job (requests to a local TCP server that waits before each
reply) and a CPU-bound job (counting primes) four ways each: sequential, std
threads, tokio tasks on one thread, and rayon (plus tokio on a multi-thread
runtime), and prints one table of times, speed-ups and efficiencies.

options:
  --requests N             requests in the I/O job (default 100)
  --latency-ms MS          how long the server waits before each reply (default 20)
  --primes-below N         the CPU job counts the primes below N (default 7000000)
  --chunks N               pieces the CPU job is split into (default 64)
  --workers W              threads of the thread, rayon and tokio pools
                           (default: the number of logical cores)
  --only io|cpu            run one of the two jobs only
  --format table|csv|json  how to print the results (default table)
  --sweep 1,2,4,8          run the std threads and rayon ways with each number
                           of workers and print speed-up against workers
  --svg FILE               with --sweep: also draw the speed-ups as an SVG chart
  --python                 also run python/companion.py (threading, asyncio,
                           multiprocessing) against the same server and print
                           Python beside Rust
  --python-exe PATH        the Python to run (default python3); implies --python
  --python-primes-below N  the Python CPU job's bound (default 300000: pure
                           Python is far slower, so compare speed-ups, not times)
  -h, --help               print this help

Progress goes to stderr; the results alone go to stdout.
";

/// Which of the two jobs to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Only {
    /// Both jobs (the default).
    Both,
    /// The I/O-bound job only.
    Io,
    /// The CPU-bound job only.
    Cpu,
}

/// How to print the results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A table to read.
    Table,
    /// Comma-separated values, one row per way.
    Csv,
    /// One JSON object with everything.
    Json,
}

/// What to run, as the command line asked.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Requests in the I/O job.
    pub requests: u64,
    /// How long the server waits before each reply.
    pub latency: Duration,
    /// The CPU job counts the primes below this.
    pub primes_below: u64,
    /// How many pieces the CPU job is split into.
    pub chunks: usize,
    /// Threads of the thread, rayon and tokio multi-thread pools.
    pub workers: usize,
    /// Which jobs to run.
    pub only: Only,
    /// How to print the results.
    pub format: Format,
    /// `--sweep`: the numbers of workers to try.
    pub sweep: Option<Vec<usize>>,
    /// `--svg`: where to draw the sweep's chart.
    pub svg: Option<PathBuf>,
    /// `--python`: run the Python companion too.
    pub python: bool,
    /// The Python to run.
    pub python_exe: String,
    /// The Python CPU job's bound.
    pub python_primes_below: u64,
    /// `--help`: print [`USAGE`] and nothing else.
    pub help: bool,
}

/// The number of logical cores: how many threads can run at the same instant.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

impl Default for Config {
    fn default() -> Self {
        Config {
            requests: 100,
            latency: Duration::from_millis(20),
            primes_below: 7_000_000,
            chunks: 64,
            workers: cores(),
            only: Only::Both,
            format: Format::Table,
            sweep: None,
            svg: None,
            python: false,
            python_exe: "python3".to_owned(),
            python_primes_below: 300_000,
            help: false,
        }
    }
}

/// Parses the command line (the arguments after `--`). An error says what is
/// wrong in one line; the caller prints it with [`USAGE`].
pub fn parse_args<S: AsRef<str>>(args: &[S]) -> Result<Config, String> {
    let mut config = Config::default();
    let mut args = args.iter().map(AsRef::as_ref);
    while let Some(arg) = args.next() {
        // `--name=value` or `--name value`.
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v)),
            _ => (arg, None),
        };
        let mut value = || {
            inline
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match name {
            "-h" | "--help" => config.help = true,
            "--requests" => config.requests = number(name, value()?, 1, 10_000)?,
            "--latency-ms" => {
                config.latency = Duration::from_millis(number(name, value()?, 0, 10_000)?)
            }
            "--primes-below" => config.primes_below = number(name, value()?, 1, 10_000_000_000)?,
            "--chunks" => config.chunks = number(name, value()?, 1, 1_000_000)? as usize,
            "--workers" => config.workers = number(name, value()?, 1, 1_024)? as usize,
            "--only" => {
                config.only = match value()? {
                    "io" => Only::Io,
                    "cpu" => Only::Cpu,
                    other => return Err(format!("--only takes io or cpu, not {other:?}")),
                }
            }
            "--format" => {
                config.format = match value()? {
                    "table" => Format::Table,
                    "csv" => Format::Csv,
                    "json" => Format::Json,
                    other => {
                        return Err(format!("--format takes table, csv or json, not {other:?}"));
                    }
                }
            }
            "--sweep" => {
                let list = value()?;
                let counts = list
                    .split(',')
                    .map(|w| number("--sweep", w.trim(), 1, 1_024).map(|n| n as usize))
                    .collect::<Result<Vec<_>, _>>()?;
                config.sweep = Some(counts);
            }
            "--svg" => config.svg = Some(PathBuf::from(value()?)),
            "--python" => config.python = true,
            "--python-exe" => {
                config.python_exe = value()?.to_owned();
                config.python = true;
            }
            "--python-primes-below" => {
                config.python_primes_below = number(name, value()?, 1, 100_000_000)?
            }
            other => return Err(format!("unknown option {other:?}")),
        }
        if inline.is_some() && matches!(name, "-h" | "--help" | "--python") {
            return Err(format!("{name} takes no value"));
        }
    }
    if config.svg.is_some() && config.sweep.is_none() {
        return Err("--svg draws the sweep's chart: give --sweep too".to_owned());
    }
    if config.python && config.sweep.is_some() {
        return Err("--python and --sweep do not go together: run them one at a time".to_owned());
    }
    if config.python && config.format != Format::Table {
        return Err("--python prints a table only (leave out --format)".to_owned());
    }
    Ok(config)
}

/// A whole number between `min` and `max`, or an error that names the option.
fn number(option: &str, text: &str, min: u64, max: u64) -> Result<u64, String> {
    match text.replace('_', "").parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(format!(
            "{option} takes a whole number from {min} to {max}, not {text:?}"
        )),
    }
}

/// One of the two jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Workload {
    /// Waiting: requests to the server.
    Io,
    /// Computing: counting primes.
    Cpu,
}

impl Workload {
    /// "I/O" or "CPU".
    pub fn label(self) -> &'static str {
        match self {
            Workload::Io => "I/O",
            Workload::Cpu => "CPU",
        }
    }
}

// ANCHOR: speedup
/// How many times faster than the sequential run a way ran (its speed-up), and
/// what share of its ideal speed-up that is (its efficiency).
pub fn speedup(sequential: Duration, time: Duration, ideal: f64) -> (f64, f64) {
    let speedup = sequential.as_secs_f64() / time.as_secs_f64();
    let efficiency = speedup / ideal;
    (speedup, efficiency)
}
// ANCHOR_END: speedup

// ANCHOR: ideal
/// The best speed-up a way could reach. `in_flight` is how many pieces of work
/// it has under way at once: for waiting, each of them waits at the same time
/// as the others; for computing, only as many run as there are threads, and
/// threads only as many as there are cores.
pub fn ideal(workload: Workload, threads: usize, in_flight: usize, cores: usize) -> f64 {
    match workload {
        Workload::Io => in_flight as f64,
        Workload::Cpu => in_flight.min(threads).min(cores) as f64,
    }
}
// ANCHOR_END: ideal

// ANCHOR: amdahl_bound
/// Amdahl's law: the speed-up `workers` workers can reach at most when a
/// fraction `serial` of the sequential time cannot be shared out.
pub fn amdahl_bound(serial: f64, workers: usize) -> f64 {
    1.0 / (serial + (1.0 - serial) / workers as f64)
}
// ANCHOR_END: amdahl_bound

/// One way of one job, timed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// Which job.
    pub workload: Workload,
    /// Which way, as the table names it.
    pub way: String,
    /// The OS threads the way runs the job on.
    pub threads: usize,
    /// Wall-clock time, in seconds.
    pub seconds: f64,
    /// Sequential time / this time.
    pub speedup: f64,
    /// The best speed-up this way could reach (see [`ideal`]).
    pub ideal: f64,
    /// Speed-up / ideal.
    pub efficiency: f64,
}

/// The serial part of the CPU job and Amdahl's bound it sets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Serial {
    /// Time of the std threads way with nothing to count: splitting, starting
    /// and joining the threads, adding up.
    pub seconds: f64,
    /// `seconds` / the sequential time.
    pub fraction: f64,
    /// Amdahl's bound on the workers that have a core each.
    pub amdahl_bound: f64,
    /// The best speed-up measured on the CPU job.
    pub best_measured: f64,
}

/// Everything one run measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Logical cores of this machine.
    pub cores: usize,
    /// Threads of the pools.
    pub workers: usize,
    /// Requests of the I/O job.
    pub requests: u64,
    /// The server's wait per request, in milliseconds.
    pub latency_ms: u64,
    /// The CPU job's bound.
    pub primes_below: u64,
    /// The CPU job's chunks.
    pub chunks: usize,
    /// What every CPU way counted (when the CPU job ran).
    pub primes: Option<u64>,
    /// The well-known count it was checked against, if there is one.
    pub known_primes: Option<u64>,
    /// Every way of every job that ran, in order.
    pub rows: Vec<Row>,
    /// The CPU job's serial part (when the CPU job ran).
    pub serial: Option<Serial>,
}

/// Runs `f`, telling `progress` what runs and how long it took.
fn timed<T>(progress: &mut dyn Write, label: &str, f: impl FnOnce() -> T) -> (T, Duration) {
    let _ = write!(progress, "{label}… ");
    let _ = progress.flush();
    let start = Instant::now();
    let value = f();
    let took = start.elapsed();
    let _ = writeln!(progress, "done ({:.3} s)", took.as_secs_f64());
    (value, took)
}

/// A way of a job: its name, threads, work in flight, and the run itself.
type Way<'a, T> = (&'static str, usize, usize, Box<dyn Fn() -> T + 'a>);

/// Times each way; the first must be the sequential one. Checks every result
/// with `check` and returns the rows.
fn run_ways<T>(
    workload: Workload,
    ways: Vec<Way<'_, T>>,
    cores: usize,
    check: &dyn Fn(T) -> Result<(), String>,
    progress: &mut dyn Write,
) -> Result<Vec<Row>, String> {
    let mut rows = Vec::new();
    let mut sequential = Duration::ZERO;
    for (i, (name, threads, in_flight, run)) in ways.into_iter().enumerate() {
        let label = format!("{}: {name}", workload.label());
        let (result, took) = timed(progress, &label, run);
        check(result).map_err(|e| format!("{label}: {e}"))?;
        if i == 0 {
            sequential = took;
        }
        let ideal = ideal(workload, threads, in_flight, cores);
        let (speedup, efficiency) = speedup(sequential, took, ideal);
        rows.push(Row {
            workload,
            way: name.to_owned(),
            threads,
            seconds: took.as_secs_f64(),
            speedup,
            ideal,
            efficiency,
        });
    }
    Ok(rows)
}

/// Checks an I/O way's result against [`io::expected_total`].
fn io_check(requests: u64) -> impl Fn(std::io::Result<u64>) -> Result<(), String> {
    move |result| match result {
        Ok(total) if total == io::expected_total(requests) => Ok(()),
        Ok(total) => Err(format!(
            "the answers add up to {total}, not {}",
            io::expected_total(requests)
        )),
        Err(e) => Err(format!(
            "{e} (each request in flight holds two open files, the client's and the \
             server's: try fewer --requests, or raise `ulimit -n`)"
        )),
    }
}

/// The I/O job, every way, against the server at `addr`.
pub fn measure_io(
    config: &Config,
    addr: SocketAddr,
    progress: &mut dyn Write,
) -> Result<Vec<Row>, String> {
    let (n, w) = (config.requests, config.workers);
    let all = n as usize;
    let ways: Vec<Way<'_, std::io::Result<u64>>> = vec![
        ("sequential", 1, 1, Box::new(|| io::io_sequential(addr, n))),
        (
            "std threads",
            all,
            all,
            Box::new(|| io::io_threads(addr, n, all)),
        ),
        (
            "tokio tasks (1 thread)",
            1,
            all,
            Box::new(|| io::io_tokio(addr, n)),
        ),
        (
            "rayon",
            w,
            w.min(all),
            Box::new(|| io::io_rayon(addr, n, w)),
        ),
        (
            "tokio (multi-thread)",
            w,
            all,
            Box::new(|| io::io_tokio_multi(addr, n, w)),
        ),
    ];
    run_ways(Workload::Io, ways, cores(), &io_check(n), progress)
}

/// Checks a CPU way's count against the well-known count or the sequential one.
fn cpu_check(expected: u64) -> impl Fn(u64) -> Result<(), String> {
    move |count| {
        if count == expected {
            Ok(())
        } else {
            Err(format!("counted {count} primes, not {expected}"))
        }
    }
}

/// The CPU job, every way. Returns the rows and the count of primes.
pub fn measure_cpu(config: &Config, progress: &mut dyn Write) -> Result<(Vec<Row>, u64), String> {
    let (below, chunks, w) = (config.primes_below, config.chunks, config.workers);
    let expected = match cpu::known_prime_count(below) {
        Some(known) => known,
        None => cpu::cpu_sequential(below, chunks.max(1)),
    };
    let ways: Vec<Way<'_, u64>> = vec![
        (
            "sequential",
            1,
            1,
            Box::new(|| cpu::cpu_sequential(below, chunks)),
        ),
        (
            "std threads",
            w,
            w.min(chunks),
            Box::new(|| cpu::cpu_threads(below, chunks, w)),
        ),
        (
            "tokio tasks (1 thread)",
            1,
            chunks,
            Box::new(|| cpu::cpu_tokio(below, chunks)),
        ),
        (
            "rayon",
            w,
            w.min(chunks),
            Box::new(|| cpu::cpu_rayon(below, chunks, w)),
        ),
        (
            "tokio (multi-thread)",
            w,
            chunks,
            Box::new(|| cpu::cpu_tokio_multi(below, chunks, w)),
        ),
    ];
    let rows = run_ways(Workload::Cpu, ways, cores(), &cpu_check(expected), progress)?;
    Ok((rows, expected))
}

// ANCHOR: serial_part
/// The part of the CPU job that no number of workers shortens: the std threads
/// way run with nothing to count still splits the range, starts and joins its
/// threads and adds up. The shortest of a few runs, against the sequential time.
pub fn serial_part(config: &Config, sequential: f64, best_measured: f64) -> Serial {
    let seconds = (0..5)
        .map(|_| {
            let start = Instant::now();
            cpu::cpu_threads(0, config.chunks, config.workers);
            start.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min);
    let fraction = seconds / sequential;
    Serial {
        seconds,
        fraction,
        amdahl_bound: amdahl_bound(fraction, config.workers.min(cores())),
        best_measured,
    }
}
// ANCHOR_END: serial_part

/// The default run: both jobs (or the one `--only` names), every way.
/// `addr` is the server the I/O job uses.
pub fn measure(
    config: &Config,
    addr: Option<SocketAddr>,
    progress: &mut dyn Write,
) -> Result<Report, String> {
    let mut report = Report {
        cores: cores(),
        workers: config.workers,
        requests: config.requests,
        latency_ms: config.latency.as_millis() as u64,
        primes_below: config.primes_below,
        chunks: config.chunks,
        primes: None,
        known_primes: cpu::known_prime_count(config.primes_below),
        rows: Vec::new(),
        serial: None,
    };
    if let Some(addr) = addr.filter(|_| config.only != Only::Cpu) {
        report.rows.extend(measure_io(config, addr, progress)?);
    }
    if config.only != Only::Io {
        let (rows, primes) = measure_cpu(config, progress)?;
        let best = rows.iter().map(|r| r.speedup).fold(0.0, f64::max);
        report.serial = Some(serial_part(config, rows[0].seconds, best));
        report.primes = Some(primes);
        report.rows.extend(rows);
    }
    Ok(report)
}

/// What a sweep measured: the sequential baselines and, for each number of
/// workers, the std threads and rayon ways of each job.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepReport {
    /// Logical cores of this machine.
    pub cores: usize,
    /// The numbers of workers tried.
    pub workers: Vec<usize>,
    /// Requests of the I/O job.
    pub requests: u64,
    /// The server's wait per request, in milliseconds.
    pub latency_ms: u64,
    /// The CPU job's bound.
    pub primes_below: u64,
    /// The CPU job's chunks.
    pub chunks: usize,
    /// The sequential runs, then every (job, way, workers), in order.
    pub rows: Vec<Row>,
}

/// `--sweep`: the std threads and rayon ways of each job with each number of
/// workers, against one sequential run of the job.
pub fn sweep(
    config: &Config,
    workers: &[usize],
    addr: Option<SocketAddr>,
    progress: &mut dyn Write,
) -> Result<SweepReport, String> {
    let mut rows = Vec::new();
    if let Some(addr) = addr.filter(|_| config.only != Only::Cpu) {
        let n = config.requests;
        let all = n as usize;
        let mut ways: Vec<Way<'_, std::io::Result<u64>>> = vec![(
            "sequential",
            1,
            1,
            Box::new(move || io::io_sequential(addr, n)),
        )];
        for &w in workers {
            ways.push((
                "std threads",
                w,
                w.min(all),
                Box::new(move || io::io_threads(addr, n, w)),
            ));
        }
        for &w in workers {
            ways.push((
                "rayon",
                w,
                w.min(all),
                Box::new(move || io::io_rayon(addr, n, w)),
            ));
        }
        rows.extend(run_ways(
            Workload::Io,
            ways,
            cores(),
            &io_check(n),
            progress,
        )?);
    }
    if config.only != Only::Io {
        let (below, chunks) = (config.primes_below, config.chunks);
        let expected =
            cpu::known_prime_count(below).unwrap_or_else(|| cpu::cpu_sequential(below, 1));
        let mut ways: Vec<Way<'_, u64>> = vec![(
            "sequential",
            1,
            1,
            Box::new(move || cpu::cpu_sequential(below, chunks)),
        )];
        for &w in workers {
            ways.push((
                "std threads",
                w,
                w.min(chunks),
                Box::new(move || cpu::cpu_threads(below, chunks, w)),
            ));
        }
        for &w in workers {
            ways.push((
                "rayon",
                w,
                w.min(chunks),
                Box::new(move || cpu::cpu_rayon(below, chunks, w)),
            ));
        }
        rows.extend(run_ways(
            Workload::Cpu,
            ways,
            cores(),
            &cpu_check(expected),
            progress,
        )?);
    }
    Ok(SweepReport {
        cores: cores(),
        workers: workers.to_vec(),
        requests: config.requests,
        latency_ms: config.latency.as_millis() as u64,
        primes_below: config.primes_below,
        chunks: config.chunks,
        rows,
    })
}

/// Runs what `config` asks and writes the results to `out`, progress to
/// `progress`. The command's `main` is this, plus exit codes.
pub fn run(config: &Config, out: &mut dyn Write, progress: &mut dyn Write) -> Result<(), String> {
    let server = if config.only == Only::Cpu {
        None
    } else {
        Some(Server::start(config.latency).map_err(|e| format!("cannot start the server: {e}"))?)
    };
    let addr = server.as_ref().map(Server::addr);
    let mut text = String::new();
    if let Some(workers) = &config.sweep {
        let report = sweep(config, workers, addr, progress)?;
        text = match config.format {
            Format::Table => crate::report::sweep_table(&report),
            Format::Csv => crate::report::csv(&report.rows, report.cores),
            Format::Json => crate::report::json(&report),
        };
        if let Some(path) = &config.svg {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            }
            std::fs::write(path, crate::chart::svg(&report))
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            let _ = writeln!(progress, "wrote the chart to {}", path.display());
        }
    } else {
        let report = measure(config, addr, progress)?;
        if config.python {
            let python = crate::python::run_companion(config, addr, progress)?;
            match python {
                Some(python) => text = crate::report::python_table(&report, &python),
                None => {
                    text.push_str(crate::python::NOT_FOUND);
                    text.push('\n');
                    text.push_str(&crate::report::table(&report));
                }
            }
        } else {
            text = match config.format {
                Format::Table => crate::report::table(&report),
                Format::Csv => crate::report::csv(&report.rows, report.cores),
                Format::Json => crate::report::json(&report),
            };
        }
    }
    out.write_all(text.as_bytes())
        .map_err(|e| format!("cannot write the results: {e}"))
}
