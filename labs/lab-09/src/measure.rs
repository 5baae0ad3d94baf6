//! `cargo run --release -p lab-09 -- [tasks-vs-threads|server] [OPTIONS]`:
//! what chapter 9 measures. `tasks-vs-threads` starts many waiting jobs as
//! tokio tasks and as OS threads, each way and count in a child process of
//! its own ([`crate::tasks_threads`]), and reports time and memory; `server`
//! sends many clients at once to the loopback server, tokio's and the
//! thread-per-connection one ([`crate::server`]), and reports time and the
//! kernel's listen-queue counters. With no subcommand, both at their
//! defaults.
//!
//! The command line, the formats and the chart are the book's shared
//! harness, [`lab_support::measure`]; the harness's `CSV_COLUMNS` (a job
//! timed on some threads, with a speed-up) do not fit here, so each part has
//! its own columns, `way` first.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use lab_support::measure::chart::{LineChart, Series};
use lab_support::measure::text::{self, grid};
use lab_support::measure::{median, number, timed, write_chart};
use serde::Serialize;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt};

pub use lab_support::measure::Format;

use crate::protocol::{Reply, Request};
use crate::server::{self, ThreadServer, TokioServer};
use crate::tasks_threads::{self, Run, Way};

/// The command's help.
pub const USAGE: &str = "\
Usage: cargo run --release -p lab-09 -- [SUBCOMMAND] [OPTIONS]

Subcommands (none: both, at their defaults, as tables):
  tasks-vs-threads   many jobs that each wait once, as tokio tasks and as OS
                     threads: time to start and finish them all, peak memory
  server             many clients at once against the loopback server, tokio
                     (a task per connection) and std (a thread per connection)

Options of tasks-vs-threads:
  --counts LIST      how many jobs, e.g. 100,1000 (default: 100, 1000, 10000
                     for both ways, and 100000 tasks)
  --wait-ms L        each job's wait, in milliseconds (default 100)
  --repeat N         runs of each way and count; the median is shown (default 3)
  --svg FILE         write the memory-per-job chart to FILE, as SVG
  --python           also run python/many_waits.py (asyncio tasks, threads)
  --python-exe PATH  the Python to run (default python3); implies --python

Options of server:
  --clients N        clients at once, one connection and one request each
                     (default 1000)
  --wait-ms L        how long the server waits before each reply (default 100)
  --backlog N        the listen backlog both servers ask for (default 4096;
                     tokio's and std's TcpListener::bind ask for 128)

Both:
  --format F         table (or text, the default), csv or json
  -h, --help         this text

Progress goes to stderr, the results to stdout.
";

/// Which part to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Both, at their defaults (no subcommand).
    Both,
    /// `tasks-vs-threads`.
    TasksVsThreads,
    /// `server`.
    Server,
}

/// What to run, from the command line.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The subcommand.
    pub part: Part,
    /// Counts of tokio tasks.
    pub task_counts: Vec<usize>,
    /// Counts of OS threads.
    pub thread_counts: Vec<usize>,
    /// Each job's wait, or the server's wait before each reply, in ms.
    pub wait_ms: u64,
    /// Runs of each way and count (tasks-vs-threads).
    pub repeat: usize,
    /// Where to write the chart.
    pub svg: Option<PathBuf>,
    /// Run the Python companion too.
    pub python: bool,
    /// The Python to run.
    pub python_exe: String,
    /// Clients at once (server).
    pub clients: usize,
    /// The backlog both servers ask for.
    pub backlog: u32,
    /// How to print the results.
    pub format: Format,
    /// The binary the children run: the lab's own (`None`: this process's
    /// executable; the tests give the lab's binary, theirs being the test
    /// binary).
    pub child_exe: Option<PathBuf>,
    /// `--help` was asked for.
    pub help: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            part: Part::Both,
            task_counts: vec![100, 1_000, 10_000, 100_000],
            thread_counts: vec![100, 1_000, 10_000],
            wait_ms: 100,
            repeat: 3,
            svg: None,
            python: false,
            python_exe: "python3".to_owned(),
            clients: 1_000,
            backlog: server::BACKLOG,
            format: Format::Table,
            child_exe: None,
            help: false,
        }
    }
}

/// Reads the command line (without the program's name).
pub fn parse_args<S: AsRef<str>>(args: &[S]) -> Result<Config, String> {
    let mut config = Config::default();
    let mut args = args.iter().map(AsRef::as_ref).peekable();
    match args.peek().copied() {
        Some("tasks-vs-threads") => config.part = Part::TasksVsThreads,
        Some("server") => config.part = Part::Server,
        Some(word) if !word.starts_with('-') => {
            return Err(format!(
                "unknown subcommand {word:?} (tasks-vs-threads or server)"
            ));
        }
        _ => {}
    }
    if config.part != Part::Both {
        args.next();
    }
    let (tasks_only, server_only) = (
        ["--counts", "--repeat", "--svg", "--python", "--python-exe"],
        ["--clients", "--backlog"],
    );
    while let Some(arg) = args.next() {
        if arg == "-h" || arg == "--help" {
            config.help = true;
            continue;
        }
        let wrong_part = match config.part {
            Part::TasksVsThreads => server_only.contains(&arg).then_some("server"),
            Part::Server => tasks_only.contains(&arg).then_some("tasks-vs-threads"),
            Part::Both => (tasks_only.contains(&arg) || server_only.contains(&arg))
                .then_some("tasks-vs-threads or server"),
        };
        if let Some(part) = wrong_part {
            return Err(format!(
                "{arg} is an option of {part}: give that subcommand first"
            ));
        }
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg {
            "--counts" => {
                let counts = value()?
                    .split(',')
                    .map(|c| number("--counts", c.trim(), 1, 1_000_000).map(|n| n as usize))
                    .collect::<Result<Vec<_>, _>>()?;
                config.task_counts = counts.clone();
                config.thread_counts = counts;
            }
            "--wait-ms" => config.wait_ms = number(arg, value()?, 0, 60_000)?,
            "--repeat" => config.repeat = number(arg, value()?, 1, 100)? as usize,
            "--svg" => config.svg = Some(PathBuf::from(value()?)),
            "--python" => config.python = true,
            "--python-exe" => {
                config.python_exe = value()?.to_owned();
                config.python = true;
            }
            "--clients" => config.clients = number(arg, value()?, 1, 100_000)? as usize,
            "--backlog" => config.backlog = number(arg, value()?, 1, 1 << 20)? as u32,
            "--format" => {
                config.format = match value()? {
                    "text" => Format::Table,
                    other => Format::parse(other).map_err(|_| {
                        format!("--format takes table, text, csv or json, not {other:?}")
                    })?,
                }
            }
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    if config.part == Part::Both && config.format != Format::Table {
        return Err(
            "--format csv or json needs a subcommand: tasks-vs-threads or server".to_owned(),
        );
    }
    Ok(config)
}

/// Runs what `config` asks for: results to `out`, progress to `progress`.
pub fn run(config: &Config, out: &mut dyn Write, progress: &mut dyn Write) -> Result<(), String> {
    let write = |out: &mut dyn Write, text: &str| {
        out.write_all(text.as_bytes())
            .map_err(|e| format!("cannot write the results: {e}"))
    };
    if matches!(config.part, Part::Both | Part::TasksVsThreads) {
        let report = tasks_vs_threads(config, progress)?;
        write(out, &report.render(config.format))?;
        if let Some(path) = &config.svg {
            write_chart(path, &report.chart().svg(), progress)?;
        }
    }
    if config.part == Part::Both {
        write(out, "\n")?;
    }
    if matches!(config.part, Part::Both | Part::Server) {
        let report = server_report(config, progress)?;
        write(out, &report.render(config.format))?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Tasks against threads.

/// One way and count, measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskRow {
    /// The way's name: contains "task" or "thread".
    pub way: String,
    /// How many jobs.
    pub count: usize,
    /// Seconds from the first start to the last end.
    pub seconds: f64,
    /// The child's peak resident set, in bytes.
    pub bytes: u64,
    /// The peak of the same child starting nothing.
    pub baseline_bytes: u64,
    /// `(bytes - baseline_bytes) / count`: every job's memory stays until
    /// it is joined, alive or not (see [`crate::tasks_threads`]).
    pub bytes_per_item: f64,
    /// Seconds from the first start to the last start (Rust ways only).
    pub start_seconds: Option<f64>,
    /// `seconds` / the wait.
    pub x_wait: f64,
    /// The most jobs alive at once.
    pub most_alive: usize,
    /// Heap allocations per job while starting them (Rust ways only).
    pub allocations_per_item: Option<f64>,
    /// Heap bytes allocated per job while starting them (Rust ways only).
    pub heap_bytes_per_item: Option<f64>,
}

/// The CSV's columns for [`TaskRow`]: `way,count,seconds,bytes` first.
pub const TASK_COLUMNS: [&str; 11] = [
    "way",
    "count",
    "seconds",
    "bytes",
    "baseline_bytes",
    "bytes_per_item",
    "start_seconds",
    "x_wait",
    "most_alive",
    "allocations_per_item",
    "heap_bytes_per_item",
];

/// What a tokio task is made of, as this build of tokio has it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskSize {
    /// `size_of_val` of the future each task runs.
    pub future_bytes: usize,
    /// `size_of_val` of the `Sleep` inside it.
    pub sleep_bytes: usize,
}

/// Everything `tasks-vs-threads` found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TasksReport {
    /// Each job's wait, in ms.
    pub wait_ms: u64,
    /// Runs of each way and count.
    pub repeat: usize,
    /// One row per way and count.
    pub rows: Vec<TaskRow>,
    /// The task's own sizes.
    pub task_size: TaskSize,
    /// The machine's limit on threads, and which limit it is.
    pub thread_limit: Option<String>,
}

fn child_exe(config: &Config) -> Result<PathBuf, String> {
    match &config.child_exe {
        Some(exe) => Ok(exe.clone()),
        None => std::env::current_exe()
            .map_err(|e| format!("cannot find this program's executable: {e}")),
    }
}

/// Runs every way and count of `config` in child processes.
pub fn tasks_vs_threads(config: &Config, progress: &mut dyn Write) -> Result<TasksReport, String> {
    let limit = tasks_threads::thread_limit();
    if let (Some((most, why)), Some(&count)) = (&limit, config.thread_counts.iter().max())
        && count as u64 > *most
    {
        return Err(format!(
            "--counts: {count} threads is more than this machine lets one process start: {why}"
        ));
    }
    let exe = child_exe(config)?;
    let mut ways = vec![
        (Way::Task, config.task_counts.clone()),
        (Way::Thread, config.thread_counts.clone()),
    ];
    if config.python {
        if python_runs(&config.python_exe) {
            ways.push((Way::PythonTask, config.task_counts.clone()));
            ways.push((Way::PythonThread, config.thread_counts.clone()));
        } else {
            let _ = writeln!(
                progress,
                "{} not found (or older than 3.11): the Rust ways alone",
                config.python_exe
            );
        }
    }
    let wait = config.wait_ms;
    let mut rows = Vec::new();
    for (way, counts) in ways {
        let one = |count: usize, progress: &mut dyn Write| -> Result<Vec<Run>, String> {
            (0..config.repeat)
                .map(|round| {
                    let label = format!(
                        "{} × {count}, run {}/{}",
                        way.name(),
                        round + 1,
                        config.repeat
                    );
                    timed(progress, &label, || {
                        tasks_threads::in_child(&exe, &config.python_exe, way, count, wait)
                    })
                    .0
                })
                .collect()
        };
        let baseline = one(0, progress)?;
        let baseline_bytes = median_u64(baseline.iter().map(|r| r.peak_bytes));
        for count in counts {
            let runs = one(count, progress)?;
            let bytes = median_u64(runs.iter().map(|r| r.peak_bytes));
            let most_alive = median_u64(runs.iter().map(|r| r.most_alive as u64)) as usize;
            let seconds = median(&runs.iter().map(|r| r.seconds).collect::<Vec<_>>());
            let rust = matches!(way, Way::Task | Way::Thread);
            let per = |f: fn(&Run) -> f64| {
                rust.then(|| median(&runs.iter().map(f).collect::<Vec<_>>()) / count as f64)
            };
            rows.push(TaskRow {
                way: way.name().to_owned(),
                count,
                seconds,
                bytes,
                baseline_bytes,
                bytes_per_item: bytes.saturating_sub(baseline_bytes) as f64 / count as f64,
                start_seconds: rust
                    .then(|| median(&runs.iter().map(|r| r.start_seconds).collect::<Vec<_>>())),
                x_wait: if wait == 0 {
                    f64::NAN
                } else {
                    seconds / (wait as f64 / 1000.0)
                },
                most_alive,
                allocations_per_item: per(|r| r.allocations as f64),
                heap_bytes_per_item: per(|r| r.allocated_bytes as f64),
            });
        }
    }
    let (future_bytes, sleep_bytes) = tasks_threads::task_future_size()
        .map_err(|e| format!("cannot start a tokio runtime: {e}"))?;
    Ok(TasksReport {
        wait_ms: wait,
        repeat: config.repeat,
        rows,
        task_size: TaskSize {
            future_bytes,
            sleep_bytes,
        },
        thread_limit: limit.map(|(n, why)| format!("{n} threads ({why})")),
    })
}

/// Whether `python` runs and is 3.11 or later (asyncio.TaskGroup).
fn python_runs(python: &str) -> bool {
    std::process::Command::new(python)
        .args(["-c", "import sys; sys.exit(sys.version_info < (3, 11))"])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn median_u64(values: impl Iterator<Item = u64>) -> u64 {
    median(&values.map(|v| v as f64).collect::<Vec<_>>()).round() as u64
}

/// An optional number as a cell: `digits` decimals, or `empty` for none.
fn cell(value: Option<f64>, digits: usize, empty: &str) -> String {
    value.map_or_else(|| empty.to_owned(), |v| format!("{v:.digits$}"))
}

fn kib(bytes: f64) -> String {
    format!("{:.1} KiB", bytes / 1024.0)
}

impl TasksReport {
    /// The report as `format` has it.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Csv => {
                let rows: Vec<Vec<String>> = self
                    .rows
                    .iter()
                    .map(|r| {
                        vec![
                            r.way.clone(),
                            r.count.to_string(),
                            format!("{:.6}", r.seconds),
                            r.bytes.to_string(),
                            r.baseline_bytes.to_string(),
                            format!("{:.0}", r.bytes_per_item),
                            cell(r.start_seconds, 6, ""),
                            format!("{:.3}", r.x_wait),
                            r.most_alive.to_string(),
                            cell(r.allocations_per_item, 2, ""),
                            cell(r.heap_bytes_per_item, 1, ""),
                        ]
                    })
                    .collect();
                text::csv(&TASK_COLUMNS, &rows)
            }
            Format::Json => text::json(self),
            Format::Table => self.table(),
        }
    }

    fn table(&self) -> String {
        let mut s = format!(
            "Tasks against threads: jobs that each wait {} ms once (tokio::time::sleep, \
             std::thread::sleep), each way and count in a child process of its own; \
             every number the median of {} run(s)\n",
            self.wait_ms, self.repeat
        );
        s += "seconds: from the first job's start to the last one's end; start: to the last one's start\n";
        s += "x wait: seconds / the wait (1.00: every job started and ended at no cost)\n";
        s += "peak: the child's peak resident set (VmHWM); each way's baseline, the same child \
              starting nothing, is subtracted for per job\n";
        s += "per job: (peak - baseline) / count; alive: the most jobs started and not yet \
              finished at the same time\n";
        s += "heap/job: heap blocks per job × their average size, while the jobs were being \
              started\n\n";
        let header = [
            "way", "count", "seconds", "start", "x wait", "peak", "baseline", "alive", "per job",
            "heap/job",
        ];
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| {
                vec![
                    r.way.clone(),
                    r.count.to_string(),
                    format!("{:.3}", r.seconds),
                    cell(r.start_seconds, 3, "–"),
                    format!("{:.2}", r.x_wait),
                    format!("{:.1} MiB", r.bytes as f64 / (1024.0 * 1024.0)),
                    format!("{:.1} MiB", r.baseline_bytes as f64 / (1024.0 * 1024.0)),
                    r.most_alive.to_string(),
                    kib(r.bytes_per_item),
                    match (r.allocations_per_item, r.heap_bytes_per_item) {
                        (Some(n), Some(b)) => format!("{n:.2} × {:.0} B", b / n.max(1e-9)),
                        _ => "–".to_owned(),
                    },
                ]
            })
            .collect();
        let mut right = vec![true; header.len()];
        right[0] = false;
        s += &grid(&header, &rows, &right);
        let size = &self.task_size;
        s += &format!(
            "\nOne tokio task's own future (std::mem::size_of_val): {} bytes, of which the Sleep \
             is {}; tokio::spawn puts it in one heap block with the task's header, scheduler \
             handle and trailer (heap/job above).\n",
            size.future_bytes, size.sleep_bytes
        );
        if let Some(why) = &self.thread_limit {
            s += &format!("One process on this machine can start at most {why}.\n");
        }
        s
    }

    /// Memory per job, in KiB, against the count on a log scale.
    pub fn chart(&self) -> LineChart {
        let colours = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e"];
        let mut names: Vec<&str> = Vec::new();
        for r in &self.rows {
            if !names.contains(&r.way.as_str()) {
                names.push(&r.way);
            }
        }
        let series = names
            .iter()
            .enumerate()
            .map(|(i, name)| Series {
                label: (*name).to_owned(),
                colour: colours[i % colours.len()].to_owned(),
                points: self
                    .rows
                    .iter()
                    .filter(|r| r.way == *name)
                    .map(|r| ((r.count as f64).log10(), r.bytes_per_item / 1024.0))
                    .collect(),
                width: 2.0,
                opacity: 1.0,
                dash: name.contains("python").then(|| "6 4".to_owned()),
                class: "series".to_owned(),
                dots: true,
            })
            .collect();
        let powers = || self.rows.iter().map(|r| (r.count as f64).log10());
        let top = powers().map(f64::ceil).fold(1.0, f64::max);
        // A way with no point at the largest count (threads, whose default
        // counts stop below the machine's thread limit) says so.
        let largest = self.rows.iter().map(|r| r.count).max().unwrap_or(0);
        let short: Vec<String> = names
            .iter()
            .filter(|name| {
                !self
                    .rows
                    .iter()
                    .any(|r| r.way == **name && r.count == largest)
            })
            .map(|name| format!("no {name} point at {largest}"))
            .collect();
        let note = if short.is_empty() {
            String::new()
        } else {
            format!(" ({}: not run at that count)", short.join(", "))
        };
        LineChart {
            title: format!(
                "Memory per waiting job (peak resident set less the baseline), each waiting {} ms",
                self.wait_ms
            ),
            x_label: format!(
                "jobs started, as a power of ten (2: 100, 3: 1,000, 4: 10,000, 5: 100,000){note}"
            ),
            y_label: "KiB per job".to_owned(),
            x_ticks: (0..=top as u32).map(f64::from).collect(),
            y_suffix: String::new(),
            series,
        }
    }
}

// ---------------------------------------------------------------------------
// The loopback server.

/// One server's run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServerRow {
    /// The server's name.
    pub way: String,
    /// Clients at once.
    pub clients: usize,
    /// The backlog it asked for.
    pub backlog: u32,
    /// From the first client's start to the last reply.
    pub seconds: f64,
    /// `seconds` / the wait.
    pub x_wait: f64,
    /// The slowest client's time, in seconds.
    pub slowest: f64,
    /// Clients whose reply came more than [`STALL`] after the wait.
    pub stalled: usize,
    /// The most connections the server served at once.
    pub most_at_once: usize,
    /// How much `TcpExt: ListenOverflows` rose.
    pub listen_overflows: Option<u64>,
    /// How much `TcpExt: ListenDrops` rose.
    pub listen_drops: Option<u64>,
}

/// The CSV's columns for [`ServerRow`].
pub const SERVER_COLUMNS: [&str; 10] = [
    "way",
    "clients",
    "backlog",
    "seconds",
    "x_wait",
    "slowest",
    "stalled",
    "most_at_once",
    "listen_overflows",
    "listen_drops",
];

/// A client whose reply comes this long after the wait has stalled: a
/// dropped handshake is sent again after one second.
pub const STALL: Duration = Duration::from_millis(500);

/// How long a client waits for its reply before it fails the run.
pub const CLIENT_TIMEOUT: Duration = Duration::from_secs(10);

/// This machine's limits that bear on many connections.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Limits {
    /// `ulimit -n` (soft), from `/proc/self/limits`.
    pub open_files: Option<u64>,
    /// `net.core.somaxconn`: the kernel's cap on any backlog.
    pub somaxconn: Option<u64>,
    /// `net.ipv4.tcp_max_syn_backlog`: the bound on half-open connections
    /// (SYN received, handshake not finished) per listener, but only with
    /// SYN cookies off (`net.ipv4.tcp_syncookies` 0); with them on, Linux's
    /// default, a listener's SYN queue is bounded by its own backlog and a
    /// SYN beyond it is answered with a cookie instead of being queued.
    pub tcp_max_syn_backlog: Option<u64>,
}

impl Limits {
    /// Reads them from `/proc`.
    pub fn read() -> Limits {
        let read = |path: &str| std::fs::read_to_string(path).ok()?.trim().parse().ok();
        Limits {
            open_files: tasks_threads::process_limit("Max open files"),
            somaxconn: read("/proc/sys/net/core/somaxconn"),
            tcp_max_syn_backlog: read("/proc/sys/net/ipv4/tcp_max_syn_backlog"),
        }
    }
}

/// Everything `server` found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServerReport {
    /// Each request's wait, in ms.
    pub wait_ms: u64,
    /// The machine's limits.
    pub limits: Limits,
    /// One row per server.
    pub rows: Vec<ServerRow>,
    /// Connections opened and closed one after another, with no request.
    pub connects: usize,
    /// How long those took, in seconds.
    pub connect_seconds: f64,
}

// ANCHOR: counters
/// The kernel's `TcpExt: ListenOverflows` and `ListenDrops` counters, read
/// from `/proc/net/netstat` (what `nstat` shows as `TcpExtListenOverflows`
/// and `TcpExtListenDrops`): connections that found a listener's accept
/// queue full. `None` where the file cannot be read.
pub fn listen_counters() -> Option<(u64, u64)> {
    let netstat = std::fs::read_to_string("/proc/net/netstat").ok()?;
    // Two lines per group: the names, then the values.
    let mut lines = netstat.lines().filter(|l| l.starts_with("TcpExt:"));
    let (names, values) = (lines.next()?, lines.next()?);
    let value = |wanted: &str| {
        names
            .split_whitespace()
            .zip(values.split_whitespace())
            .find(|(name, _)| *name == wanted)?
            .1
            .parse()
            .ok()
    };
    Some((value("ListenOverflows")?, value("ListenDrops")?))
}
// ANCHOR_END: counters

// ANCHOR: client
/// One client: connect, send request `id` that waits `wait`, read the reply;
/// returns how long it all took.
async fn client(addr: SocketAddr, id: u64, wait: Duration) -> Result<Duration, String> {
    let start = Instant::now();
    let exchange = async {
        let mut stream = tokio::net::TcpStream::connect(addr).await?;
        stream
            .write_all(Request { id, wait }.line().as_bytes())
            .await?;
        let mut reply = String::new();
        tokio::io::BufReader::new(stream)
            .read_line(&mut reply)
            .await?;
        std::io::Result::Ok(reply)
    };
    let reply = tokio::time::timeout(CLIENT_TIMEOUT, exchange)
        .await
        .map_err(|_| {
            format!(
                "client {id}: no reply within {} s",
                CLIENT_TIMEOUT.as_secs()
            )
        })?
        .map_err(|e| format!("client {id}: {e}"))?;
    match Reply::parse(&reply) {
        Ok(Reply::Ok(got)) if got == id => Ok(start.elapsed()),
        _ => Err(format!("client {id}: expected \"{id} ok\", got {reply:?}")),
    }
}
// ANCHOR_END: client

/// `clients` clients at once against `addr`, each a task on `runtime`.
fn many_clients(
    runtime: &tokio::runtime::Runtime,
    addr: SocketAddr,
    clients: usize,
    wait: Duration,
) -> Result<(f64, Vec<Duration>), String> {
    runtime.block_on(async {
        let start = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for id in 0..clients as u64 {
            tasks.spawn(client(addr, id, wait));
        }
        let mut times = Vec::with_capacity(clients);
        while let Some(done) = tasks.join_next().await {
            times.push(done.map_err(|e| format!("a client task failed: {e}"))??);
        }
        Ok((start.elapsed().as_secs_f64(), times))
    })
}

/// Runs the clients against each server.
pub fn server_report(config: &Config, progress: &mut dyn Write) -> Result<ServerReport, String> {
    let limits = Limits::read();
    if let Some(files) = limits.open_files
        && (config.clients as u64) * 2 + 64 > files
    {
        return Err(format!(
            "--clients {}: each client needs two open files here (its end and the server's), \
             and ulimit -n is {files}",
            config.clients
        ));
    }
    let wait = Duration::from_millis(config.wait_ms);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the clients' runtime: {e}"))?;
    let start_err = |e: std::io::Error| format!("cannot start a server: {e}");
    let mut rows = Vec::new();
    let mut measure = |way: &str,
                       addr: SocketAddr,
                       at_once: &dyn Fn() -> usize,
                       progress: &mut dyn Write|
     -> Result<(), String> {
        // A few clients first, so the first connection's costs are not timed.
        many_clients(&runtime, addr, 4, Duration::ZERO)?;
        let before = listen_counters();
        let label = format!("{way}: {} clients", config.clients);
        let (result, _) = timed(progress, &label, || {
            many_clients(&runtime, addr, config.clients, wait)
        });
        let after = listen_counters();
        let (seconds, times) = result?;
        let rise = |f: fn((u64, u64)) -> u64| Some(f(after?).saturating_sub(f(before?)));
        rows.push(ServerRow {
            way: way.to_owned(),
            clients: config.clients,
            backlog: config.backlog,
            seconds,
            x_wait: if config.wait_ms == 0 {
                f64::NAN
            } else {
                seconds / wait.as_secs_f64()
            },
            slowest: times.iter().max().map_or(0.0, Duration::as_secs_f64),
            stalled: times.iter().filter(|t| **t > wait + STALL).count(),
            most_at_once: at_once(),
            listen_overflows: rise(|c| c.0),
            listen_drops: rise(|c| c.1),
        });
        Ok(())
    };
    let tokio_server = TokioServer::start(config.backlog).map_err(start_err)?;
    measure(
        "tokio: a task per connection",
        tokio_server.addr(),
        &|| tokio_server.most_at_once(),
        progress,
    )?;
    {
        let threads = ThreadServer::start(config.backlog).map_err(start_err)?;
        measure(
            "std: a thread per connection",
            threads.addr(),
            &|| threads.most_at_once(),
            progress,
        )?;
    }
    let connects = config.clients;
    let (connect_seconds, _) = timed(
        progress,
        &format!("{connects} connections, one after another"),
        || connect_one_by_one(&runtime, tokio_server.addr(), connects),
    );
    Ok(ServerReport {
        wait_ms: config.wait_ms,
        limits,
        rows,
        connects,
        connect_seconds: connect_seconds?,
    })
}

// ANCHOR: connects
/// Opens and closes `n` connections to `addr`, one after another, with no
/// request on them: what the connections alone cost a client on one task.
fn connect_one_by_one(
    runtime: &tokio::runtime::Runtime,
    addr: SocketAddr,
    n: usize,
) -> Result<f64, String> {
    runtime.block_on(async {
        let start = Instant::now();
        for _ in 0..n {
            let stream = tokio::net::TcpStream::connect(addr)
                .await
                .map_err(|e| format!("cannot connect: {e}"))?;
            drop(stream);
        }
        Ok(start.elapsed().as_secs_f64())
    })
}
// ANCHOR_END: connects

fn optional(value: Option<u64>, empty: &str) -> String {
    value.map_or_else(|| empty.to_owned(), |v| v.to_string())
}

impl ServerReport {
    /// The report as `format` has it.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Csv => {
                let rows: Vec<Vec<String>> = self
                    .rows
                    .iter()
                    .map(|r| {
                        vec![
                            r.way.clone(),
                            r.clients.to_string(),
                            r.backlog.to_string(),
                            format!("{:.6}", r.seconds),
                            format!("{:.3}", r.x_wait),
                            format!("{:.6}", r.slowest),
                            r.stalled.to_string(),
                            r.most_at_once.to_string(),
                            optional(r.listen_overflows, ""),
                            optional(r.listen_drops, ""),
                        ]
                    })
                    .collect();
                text::csv(&SERVER_COLUMNS, &rows)
            }
            Format::Json => text::json(self),
            Format::Table => self.table(),
        }
    }

    fn table(&self) -> String {
        let clients = self.rows.first().map_or(0, |r| r.clients);
        let backlog = self.rows.first().map_or(0, |r| r.backlog);
        let l = &self.limits;
        let mut s = format!(
            "The loopback server: {clients} clients at once, each with one connection and one \
             request that waits {} ms; both servers listen with a backlog of {backlog}\n",
            self.wait_ms
        );
        s += &format!(
            "This machine: open files (ulimit -n) {}; net.core.somaxconn {} (the kernel caps \
             every backlog at this); net.ipv4.tcp_max_syn_backlog {} (half-open connections, \
             when SYN cookies are off)\n",
            optional(l.open_files, "unlimited"),
            optional(l.somaxconn, "unknown"),
            optional(l.tcp_max_syn_backlog, "unknown"),
        );
        s += "seconds: from the first client's start to the last reply; x wait: seconds / the \
              wait; slowest: the slowest client's time, from its own first poll (so seconds - \
              slowest is about how late the last clients began)\n";
        s += &format!(
            "stalled: clients whose reply came more than {} s after the wait \
             (a dropped SYN is sent again after 1 s)\n",
            STALL.as_secs_f64()
        );
        s += "at once: the most connections the server served at the same time\n";
        s += "overflows, drops: how much the kernel's TcpExt ListenOverflows and ListenDrops \
              (/proc/net/netstat) rose during the run: counters of the whole machine\n\n";
        let header = [
            "way",
            "seconds",
            "x wait",
            "slowest",
            "stalled",
            "at once",
            "overflows",
            "drops",
        ];
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| {
                vec![
                    r.way.clone(),
                    format!("{:.3}", r.seconds),
                    format!("{:.2}", r.x_wait),
                    format!("{:.3}", r.slowest),
                    r.stalled.to_string(),
                    r.most_at_once.to_string(),
                    optional(r.listen_overflows, "–"),
                    optional(r.listen_drops, "–"),
                ]
            })
            .collect();
        let mut right = vec![true; header.len()];
        right[0] = false;
        s += &grid(&header, &rows, &right);
        s += &format!(
            "\n{} connections opened and closed one after another, no request: {:.3} s, \
             {:.0} µs each\n",
            self.connects,
            self.connect_seconds,
            self.connect_seconds / self.connects.max(1) as f64 * 1e6
        );
        s
    }
}
