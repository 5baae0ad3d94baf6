//! The measurement: what to run ([`Config`], from the command line by
//! [`parse_args`]), running every way of both jobs and timing it ([`measure`],
//! [`sweep`]), and the speed-up, ideal and efficiency of each.
//!
//! Fair timing: every runtime and pool is built before the clock starts; then
//! the shared harness, [`time_ways`](lab_support::measure::time_ways), runs
//! every way once in an untimed warm-up round at a small size, and each of
//! `--repeat` rounds runs every way once, in the order
//! [`round_order`](lab_support::measure::round_order) gives (a row of a
//! Williams design); each way's time is its [`median`]. The harness's
//! [`scaling`](lab_support::measure::scaling) works out each way's speed-up
//! against the sequential way and its efficiency ([`against_first`]), and
//! gives Amdahl's bound and the Karp–Flatt metric. This module keeps what is
//! lab 1's own: its jobs' ways and checks, and each way's ideal ([`ideal`]).
//!
//! `cargo run --release -p lab-01 -- --help` lists the options.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use lab_support::measure::scaling::{Timed, against_first, worker_counts};
use lab_support::measure::text::json;
use lab_support::measure::{Plan, Way, cores, median, number};
use serde::Serialize;

use crate::server::Server;
use crate::{cpu, io};

/// The command line, for `--help` and for every error.
pub const USAGE: &str = "\
usage: cargo run --release -p lab-01 -- [OPTIONS]

Runs an I/O-bound job (requests to a local TCP server that waits before each
reply) and a CPU-bound job (counting primes) five ways each: sequential, std
threads, tokio tasks on one thread, rayon, and tokio on a multi-thread
runtime, and prints one table of times, speed-ups and efficiencies.

options:
  --requests N             requests in the I/O job (default 50)
  --latency-ms MS          how long the server waits before each reply (default 10)
  --primes-below N         the CPU job counts the primes below N (default 3000000)
  --chunks N               pieces the CPU job is split into (default 64)
  --workers W              threads of the thread, rayon and tokio pools
                           (default: the number of logical cores)
  --repeat N               timed runs of each way (default 3): after one untimed
                           warm-up round, each round runs every way once, in the
                           order of one row of a Williams design (rows whose full
                           cycle balances which way runs in which place and
                           right after which); the results show each way's
                           median time
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

pub use lab_support::measure::Format;
pub use lab_support::measure::scaling::{amdahl_bound, karp_flatt, speedup};

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
    /// Timed runs of each way (rounds); the results show the median.
    pub repeat: usize,
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

impl Default for Config {
    fn default() -> Self {
        Config {
            requests: 50,
            latency: Duration::from_millis(10),
            primes_below: 3_000_000,
            chunks: 64,
            workers: cores(),
            repeat: 3,
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
            "--repeat" => config.repeat = number(name, value()?, 1, 1_000)? as usize,
            "--only" => {
                config.only = match value()? {
                    "io" => Only::Io,
                    "cpu" => Only::Cpu,
                    other => return Err(format!("--only takes io or cpu, not {other:?}")),
                }
            }
            "--format" => config.format = Format::parse(value()?)?,
            "--sweep" => {
                config.sweep = Some(worker_counts("--sweep", value()?)?);
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

/// One way of one job, timed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// Which job.
    pub workload: Workload,
    /// The way, timed against the job's sequential way: its name, threads,
    /// median time, speed-up, ideal (see [`ideal`]), efficiency and every
    /// timed run.
    #[serde(flatten)]
    pub timed: Timed,
}

/// The fixed overhead of the threads way on an empty job.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overhead {
    /// Time of the std threads way with nothing to count: splitting, starting
    /// and joining the threads, adding up.
    pub seconds: f64,
    /// `seconds` / the CPU job's sequential time.
    pub fraction: f64,
}

/// The effective serial fraction of the CPU job (see [`karp_flatt`]) and the
/// bounds Amdahl's law sets with it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SerialFraction {
    /// The way with the best speed-up among those with the most workers.
    pub way: String,
    /// Its speed-up, S.
    pub speedup: f64,
    /// W: its workers that have a core each (its ideal).
    pub workers: usize,
    /// e, worked back from S and W; `None` when W is 1.
    pub fraction: Option<f64>,
    /// Amdahl's bound with e on W workers: S again, by construction.
    pub bound: Option<f64>,
    /// Amdahl's bound with e on unlimited cores, 1/e; `None` unless e > 0.
    pub bound_unlimited: Option<f64>,
}

impl SerialFraction {
    /// From the CPU rows: the best speed-up of the ways that have the most
    /// cores to use. `None` if there are no such rows.
    pub fn from_rows(rows: &[Row]) -> Option<SerialFraction> {
        let cpu = rows
            .iter()
            .filter(|r| r.workload == Workload::Cpu && r.timed.way != "sequential")
            .map(|r| &r.timed);
        let most = cpu.clone().map(|t| t.ideal).fold(0.0, f64::max);
        let best = cpu
            .filter(|t| t.ideal == most)
            .max_by(|a, b| a.speedup.total_cmp(&b.speedup))?;
        let workers = best.ideal as usize;
        let fraction = karp_flatt(best.speedup, workers);
        Some(SerialFraction {
            way: best.way.clone(),
            speedup: best.speedup,
            workers,
            fraction,
            bound: fraction.map(|e| amdahl_bound(e, workers)),
            bound_unlimited: fraction.filter(|&e| e > 0.0).map(|e| 1.0 / e),
        })
    }
}

/// Everything one run measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Logical cores of this machine.
    pub cores: usize,
    /// Threads of the pools.
    pub workers: usize,
    /// Timed runs of each way; the table shows the median.
    pub repeat: usize,
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
    /// The threads way's fixed overhead (when the CPU job ran).
    pub threads_overhead: Option<Overhead>,
    /// The CPU job's effective serial fraction (when the CPU job ran).
    pub karp_flatt: Option<SerialFraction>,
}

/// Times each way of `ways` (the first must be the sequential one) with the
/// shared harness's [`against_first`]: a warm-up round, then `plan.repeat`
/// rounds, every result checked. Returns one row per way, with its median
/// time and, against the sequential way's, its speed-up, ideal (lab 1's own,
/// [`ideal`]) and efficiency.
fn run_ways<T>(
    workload: Workload,
    plan: &Plan<'_, T>,
    ways: &[Way<'_, T>],
    cores: usize,
    progress: &mut dyn Write,
) -> Result<Vec<Row>, String> {
    let timed = against_first(
        plan,
        ways,
        |way| ideal(workload, way.threads, way.in_flight, cores),
        progress,
    )?;
    Ok(timed
        .into_iter()
        .map(|timed| Row { workload, timed })
        .collect())
}

/// Checks an I/O way's result for `requests` requests against
/// [`io::expected_total`].
fn io_check(requests: u64, result: std::io::Result<u64>) -> Result<(), String> {
    match result {
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

/// The I/O job's warm-up size: a few requests.
fn io_warm_up(requests: u64) -> u64 {
    requests.min(8)
}

/// A tokio runtime with its timer and I/O enabled: current-thread, or
/// multi-thread with `workers` threads.
fn tokio_runtime(workers: Option<usize>) -> Result<tokio::runtime::Runtime, String> {
    let mut builder = match workers {
        None => tokio::runtime::Builder::new_current_thread(),
        Some(w) => {
            let mut b = tokio::runtime::Builder::new_multi_thread();
            b.worker_threads(w);
            b
        }
    };
    builder
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start a tokio runtime: {e}"))
}

/// A rayon pool of `workers` threads.
fn rayon_pool(workers: usize) -> Result<rayon::ThreadPool, String> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .build()
        .map_err(|e| format!("cannot start rayon's threads: {e}"))
}

/// The I/O job, every way, against the server at `addr`. The runtimes and the
/// pool are built before any clock starts: the times are the requests' alone.
pub fn measure_io(
    config: &Config,
    addr: SocketAddr,
    progress: &mut dyn Write,
) -> Result<Vec<Row>, String> {
    let (n, w) = (config.requests, config.workers);
    let all = n as usize;
    let one_thread = tokio_runtime(None)?;
    let multi_thread = tokio_runtime(Some(w))?;
    let pool = rayon_pool(w)?;
    let ways: Vec<Way<'_, std::io::Result<u64>>> = vec![
        Way::new("sequential", 1, 1, |n| io::io_sequential(addr, n)),
        Way::new("std threads", all, all, |n| {
            io::io_threads(addr, n, n as usize)
        }),
        Way::new("tokio tasks (1 thread)", 1, all, |n| {
            io::io_tokio_in(&one_thread, addr, n)
        }),
        Way::new("rayon", w, w.min(all), |n| io::io_rayon_in(&pool, addr, n)),
        Way::new("tokio (multi-thread)", w, all, |n| {
            io::io_tokio_in(&multi_thread, addr, n)
        }),
    ];
    let plan = Plan {
        job: Workload::Io.label(),
        size: n,
        warm_up: io_warm_up(n),
        repeat: config.repeat,
        check: &io_check,
    };
    run_ways(Workload::Io, &plan, &ways, cores(), progress)
}

/// The CPU job's warm-up size: a small bound.
fn cpu_warm_up(below: u64) -> u64 {
    below.min(100_000)
}

/// The count of primes below `below`, and a check of the CPU ways' counts (for
/// the job or its warm-up): against the well-known count where there is one,
/// else against one sequential count, made once, untimed, here.
fn cpu_checker(below: u64) -> (u64, impl Fn(u64, u64) -> Result<(), String>) {
    let expected_at = |b: u64| cpu::known_prime_count(b).unwrap_or_else(|| cpu::count_primes(0..b));
    let (full, warm_up) = (expected_at(below), expected_at(cpu_warm_up(below)));
    let check = move |size, count| {
        let expected = if size == below { full } else { warm_up };
        if count == expected {
            Ok(())
        } else {
            Err(format!("counted {count} primes, not {expected}"))
        }
    };
    (full, check)
}

/// The CPU job, every way. Returns the rows and the count of primes. The
/// runtimes and the pool are built before any clock starts.
pub fn measure_cpu(config: &Config, progress: &mut dyn Write) -> Result<(Vec<Row>, u64), String> {
    let (below, chunks, w) = (config.primes_below, config.chunks, config.workers);
    let one_thread = tokio_runtime(None)?;
    let multi_thread = tokio_runtime(Some(w))?;
    let pool = rayon_pool(w)?;
    let ways: Vec<Way<'_, u64>> = vec![
        Way::new("sequential", 1, 1, |b| cpu::cpu_sequential(b, chunks)),
        Way::new("std threads", w, w.min(chunks), |b| {
            cpu::cpu_threads(b, chunks, w)
        }),
        Way::new("tokio tasks (1 thread)", 1, chunks, |b| {
            cpu::cpu_tokio_in(&one_thread, b, chunks)
        }),
        Way::new("rayon", w, w.min(chunks), |b| {
            cpu::cpu_rayon_in(&pool, b, chunks)
        }),
        Way::new("tokio (multi-thread)", w, chunks, |b| {
            cpu::cpu_tokio_in(&multi_thread, b, chunks)
        }),
    ];
    let (primes, check) = cpu_checker(below);
    let plan = Plan {
        job: Workload::Cpu.label(),
        size: below,
        warm_up: cpu_warm_up(below),
        repeat: config.repeat,
        check: &check,
    };
    let rows = run_ways(Workload::Cpu, &plan, &ways, cores(), progress)?;
    Ok((rows, primes))
}

// ANCHOR: serial_part
/// The fixed overhead of the threads way: [`cpu::cpu_threads`] with nothing to
/// count still splits the range, starts and joins its threads and adds up. The
/// sequential way pays none of it: it is a cost only the parallel version has,
/// not the serial part of Amdahl's law (for that, see [`karp_flatt`]). The
/// median of five runs, and its share of the sequential time.
pub fn threads_overhead(config: &Config, sequential: f64) -> Overhead {
    let runs: Vec<f64> = (0..5)
        .map(|_| {
            let start = Instant::now();
            cpu::cpu_threads(0, config.chunks, config.workers);
            start.elapsed().as_secs_f64()
        })
        .collect();
    let seconds = median(&runs);
    Overhead {
        seconds,
        fraction: seconds / sequential,
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
        repeat: config.repeat,
        requests: config.requests,
        latency_ms: config.latency.as_millis() as u64,
        primes_below: config.primes_below,
        chunks: config.chunks,
        primes: None,
        known_primes: cpu::known_prime_count(config.primes_below),
        rows: Vec::new(),
        threads_overhead: None,
        karp_flatt: None,
    };
    if let Some(addr) = addr.filter(|_| config.only != Only::Cpu) {
        report.rows.extend(measure_io(config, addr, progress)?);
    }
    if config.only != Only::Io {
        let (rows, primes) = measure_cpu(config, progress)?;
        report.threads_overhead = Some(threads_overhead(config, rows[0].timed.seconds));
        report.karp_flatt = SerialFraction::from_rows(&rows);
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
    /// Timed runs of each way; the table shows the median.
    pub repeat: usize,
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
/// workers, against the sequential way, timed as [`measure`] times them
/// (warm-up, rounds, median; every rayon pool built beforehand).
pub fn sweep(
    config: &Config,
    workers: &[usize],
    addr: Option<SocketAddr>,
    progress: &mut dyn Write,
) -> Result<SweepReport, String> {
    let pools = workers
        .iter()
        .map(|&w| rayon_pool(w))
        .collect::<Result<Vec<_>, _>>()?;
    let mut rows = Vec::new();
    if let Some(addr) = addr.filter(|_| config.only != Only::Cpu) {
        let n = config.requests;
        let all = n as usize;
        let mut ways: Vec<Way<'_, std::io::Result<u64>>> =
            vec![Way::new("sequential", 1, 1, |n| io::io_sequential(addr, n))];
        for &w in workers {
            ways.push(Way::new("std threads", w, w.min(all), move |n| {
                io::io_threads(addr, n, w)
            }));
        }
        for (&w, pool) in workers.iter().zip(&pools) {
            ways.push(Way::new("rayon", w, w.min(all), move |n| {
                io::io_rayon_in(pool, addr, n)
            }));
        }
        let plan = Plan {
            job: Workload::Io.label(),
            size: n,
            warm_up: io_warm_up(n),
            repeat: config.repeat,
            check: &io_check,
        };
        rows.extend(run_ways(Workload::Io, &plan, &ways, cores(), progress)?);
    }
    if config.only != Only::Io {
        let (below, chunks) = (config.primes_below, config.chunks);
        let mut ways: Vec<Way<'_, u64>> = vec![Way::new("sequential", 1, 1, move |b| {
            cpu::cpu_sequential(b, chunks)
        })];
        for &w in workers {
            ways.push(Way::new("std threads", w, w.min(chunks), move |b| {
                cpu::cpu_threads(b, chunks, w)
            }));
        }
        for (&w, pool) in workers.iter().zip(&pools) {
            ways.push(Way::new("rayon", w, w.min(chunks), move |b| {
                cpu::cpu_rayon_in(pool, b, chunks)
            }));
        }
        let (_, check) = cpu_checker(below);
        let plan = Plan {
            job: Workload::Cpu.label(),
            size: below,
            warm_up: cpu_warm_up(below),
            repeat: config.repeat,
            check: &check,
        };
        rows.extend(run_ways(Workload::Cpu, &plan, &ways, cores(), progress)?);
    }
    Ok(SweepReport {
        cores: cores(),
        workers: workers.to_vec(),
        repeat: config.repeat,
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
            Format::Json => json(&report),
        };
        if let Some(path) = &config.svg {
            lab_support::measure::write_chart(path, &crate::chart::svg(&report), progress)?;
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
                Format::Json => json(&report),
            };
        }
    }
    out.write_all(text.as_bytes())
        .map_err(|e| format!("cannot write the results: {e}"))
}
