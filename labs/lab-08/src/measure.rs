//! `cargo run --release -p lab-08 -- [OPTIONS]`: everything chapter 8
//! measures. The kernel ([`crate::kernel`]) on one thread, on threads split
//! by hand, with rayon and on child processes; your two exercises; work
//! stealing on a skewed job; grain size; Amdahl's law with a real serial
//! part; the pitfalls; what a thread and a process cost to start.
//!
//! The timing, the order of the rounds, the medians, speed-ups, the tables,
//! CSV, JSON and the chart are the book's shared harness,
//! [`lab_support::measure`]; this file keeps only the jobs, the ways and the
//! wording. Every result is checked against the sequential one before its
//! time counts.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lab_support::measure::chart::{LineChart, Series};
use lab_support::measure::scaling::{
    Timed, against_first, amdahl_bound, karp_flatt, worker_counts,
};
use lab_support::measure::text::{self, grid};
use lab_support::measure::{CSV_COLUMNS, CsvRow, Plan, Way, cores, median, number, timed};
use serde::Serialize;

pub use lab_support::measure::Format;

use crate::joins::Joins;
use crate::steal::{self, Trace};
use crate::view::{View, render_sequential};
use crate::{amdahl, grain, kernel, mandelbrot, merge_sort, pitfalls, pool, processes};

/// The command's help.
pub const USAGE: &str = "\
Usage: cargo run --release -p lab-08 -- [OPTIONS]

Times the chapter's kernel (the Collatz steps of every number up to N) on
one thread, on threads split by hand, with rayon, and on child processes;
then your exercises 8.1 and 8.2, work stealing on a skewed job, grain size,
Amdahl's law with a serial part, the pitfalls, and what it costs to start a
thread and a process. Every result is checked against the sequential one.

Options:
  --only PART      run one part: kernel, exercises, stealing, grain, amdahl,
                   pitfalls or start
  --n N            the kernel's numbers, 1 to N (default 6000000)
  --workers N      threads, rayon workers and processes (default: the cores)
  --repeat N       timed rounds of every way; the median is shown (default 3)
  --sweep LIST     time only the kernel and Amdahl's job, with each number
                   of workers, e.g. 1,2,4,8,16
  --svg FILE       with --sweep: write the speed-up chart to FILE, as SVG
  --trace FILE     write the work-stealing timeline to FILE, as SVG
  --format F       table (default), csv or json
  -h, --help       this text

Progress goes to stderr, the results to stdout.
";

/// One part of the run (`--only`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    /// The kernel's four ways.
    Kernel,
    /// Exercises 8.1 and 8.2.
    Exercises,
    /// The traced skewed job.
    Stealing,
    /// Grain size.
    Grain,
    /// Amdahl's law.
    Amdahl,
    /// The pitfalls.
    Pitfalls,
    /// Start cost of a thread and a process.
    Start,
}

impl Part {
    /// Every part, in the order the command runs them.
    pub const ALL: [Part; 7] = [
        Part::Kernel,
        Part::Exercises,
        Part::Stealing,
        Part::Grain,
        Part::Amdahl,
        Part::Pitfalls,
        Part::Start,
    ];

    fn parse(text: &str) -> Result<Part, String> {
        Part::ALL
            .into_iter()
            .find(|p| p.name() == text)
            .ok_or_else(|| {
                format!("--only takes kernel, exercises, stealing, grain, amdahl, pitfalls or start, not {text:?}")
            })
    }

    /// Its name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Part::Kernel => "kernel",
            Part::Exercises => "exercises",
            Part::Stealing => "stealing",
            Part::Grain => "grain",
            Part::Amdahl => "amdahl",
            Part::Pitfalls => "pitfalls",
            Part::Start => "start",
        }
    }
}

/// What to run, from the command line.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Run only this part.
    pub only: Option<Part>,
    /// The kernel's numbers, 1 to `n`.
    pub n: u64,
    /// Threads, workers and processes of the parallel ways.
    pub workers: usize,
    /// Timed rounds of every way.
    pub repeat: usize,
    /// Worker counts to sweep.
    pub sweep: Option<Vec<usize>>,
    /// Where to write the sweep's chart.
    pub svg: Option<PathBuf>,
    /// Where to write the timeline.
    pub trace: Option<PathBuf>,
    /// How to print the results.
    pub format: Format,
    /// Sizes of everything else, scaled with `n` (the tests make them tiny).
    pub scale: f64,
    /// The binary the processes way starts as children: the lab's own
    /// (`None`: this process's executable; the tests give the lab's binary,
    /// since theirs is the test binary).
    pub child_exe: Option<PathBuf>,
    /// `--help` was asked for.
    pub help: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            only: None,
            n: 6_000_000,
            workers: cores(),
            repeat: 3,
            sweep: None,
            svg: None,
            trace: None,
            format: Format::Table,
            scale: 1.0,
            child_exe: None,
            help: false,
        }
    }
}

impl Config {
    fn runs(&self, part: Part) -> bool {
        self.only.is_none_or(|p| p == part)
    }

    /// `size` scaled by `--scale`, at least `min`.
    fn sized(&self, size: u64, min: u64) -> u64 {
        ((size as f64 * self.scale) as u64).max(min)
    }
}

/// Reads the command line (without the program's name).
pub fn parse_args<S: AsRef<str>>(args: &[S]) -> Result<Config, String> {
    let mut config = Config::default();
    let mut args = args.iter().map(AsRef::as_ref);
    while let Some(arg) = args.next() {
        if arg == "-h" || arg == "--help" {
            config.help = true;
            continue;
        }
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg {
            "--only" => config.only = Some(Part::parse(value()?)?),
            "--n" => config.n = number(arg, value()?, 1, 1_000_000_000)?,
            "--workers" => config.workers = number(arg, value()?, 1, 1_024)? as usize,
            "--repeat" => config.repeat = number(arg, value()?, 1, 100)? as usize,
            "--sweep" => config.sweep = Some(worker_counts(arg, value()?)?),
            "--svg" => config.svg = Some(PathBuf::from(value()?)),
            "--trace" => config.trace = Some(PathBuf::from(value()?)),
            "--format" => config.format = Format::parse(value()?)?,
            "--scale" => {
                let text = value()?;
                config.scale = text
                    .parse::<f64>()
                    .ok()
                    .filter(|s| *s > 0.0 && *s <= 100.0)
                    .ok_or_else(|| {
                        format!("--scale takes a number above 0, up to 100, not {text:?}")
                    })?;
            }
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    if config.svg.is_some() && config.sweep.is_none() {
        return Err("--svg draws the sweep's chart: give --sweep too".to_owned());
    }
    Ok(config)
}

/// One timed way of one job: the shared CSV's columns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// The job ("collatz", "8.1 mandelbrot", …).
    pub workload: String,
    /// The way, timed against the job's first way.
    #[serde(flatten)]
    pub timed: Timed,
}

/// The grain-size job at one size.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Grain {
    /// Items per call.
    pub items: u64,
    /// Median seconds per call: `iter`, `par_iter`, `with_min_len`,
    /// `fold_chunks`.
    pub seconds: [f64; 4],
}

/// Amdahl's job at one number of workers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AmdahlPoint {
    /// Workers of the pool.
    pub workers: usize,
    /// Median seconds of the whole job.
    pub seconds: f64,
    /// One worker's time / this time.
    pub speedup: f64,
    /// Amdahl's bound with the serial part's measured share.
    pub bound: f64,
    /// The serial fraction worked back from the speed-up (Karp–Flatt).
    pub effective_serial: Option<f64>,
}

/// Amdahl's job.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AmdahlReport {
    /// The chain's time alone / the whole job's time on one worker.
    pub serial_share: f64,
    /// The chain's median time alone.
    pub serial_seconds: f64,
    /// One point per worker count.
    pub points: Vec<AmdahlPoint>,
}

/// What starting costs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Start {
    /// Median seconds to spawn and join a thread that does nothing.
    pub thread_seconds: f64,
    /// Median seconds to start and wait for a child process that does
    /// nothing.
    pub process_seconds: f64,
    /// The empty child's peak resident memory, KiB.
    pub child_peak_kib: Option<u64>,
    /// What each of 100 live, waiting threads adds to this process's
    /// resident memory, KiB.
    pub per_thread_kib: Option<f64>,
}

/// The work-stealing runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stealing {
    /// The skewed job's items.
    pub items: u64,
    /// Split by hand into equal blocks.
    pub by_hand: Trace,
    /// Split by `rayon::join`.
    pub by_rayon: Trace,
}

/// Everything one run measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Logical cores of this machine.
    pub cores: usize,
    /// Workers of the parallel ways.
    pub workers: usize,
    /// Timed rounds of every way.
    pub repeat: usize,
    /// The kernel's numbers, 1 to `n`.
    pub n: u64,
    /// Every timed way of the kernel, the exercises and the pitfalls.
    pub rows: Vec<Row>,
    /// The merge sort's cut-offs within noise of the fastest (see
    /// [`measure_exercises`]); empty if the sort did not run.
    pub fastest_cutoffs: Vec<usize>,
    /// The Collatz steps in each block of the hand split on `workers`
    /// threads (when the kernel ran).
    pub hand_split_blocks: Vec<u64>,
    /// The traced runs.
    pub stealing: Option<Stealing>,
    /// Grain size, by size.
    pub grain: Vec<Grain>,
    /// The `with_min_len` and `fold_chunks` size of the grain job.
    pub min_len: usize,
    /// Amdahl's job.
    pub amdahl: Option<AmdahlReport>,
    /// Start cost.
    pub start: Option<Start>,
}

/// The lab's binary, to start children: `config.child_exe`, or this
/// process's own executable.
fn this_binary(config: &Config) -> Result<PathBuf, String> {
    match &config.child_exe {
        Some(exe) => Ok(exe.clone()),
        None => std::env::current_exe().map_err(|e| format!("cannot find the lab's binary: {e}")),
    }
}

fn equal<T: PartialEq + std::fmt::Debug>(expected: &T, got: &T) -> Result<(), String> {
    if expected == got {
        Ok(())
    } else {
        Err(format!("got {got:?}, not {expected:?}"))
    }
}

fn rows(workload: &str, timed: Vec<Timed>) -> Vec<Row> {
    timed
        .into_iter()
        .map(|timed| Row {
            workload: workload.to_owned(),
            timed,
        })
        .collect()
}

/// The ideal of a way on `threads` threads: no more than the cores.
fn ideal<T>(way: &Way<'_, T>) -> f64 {
    way.threads.min(cores()) as f64
}

// ANCHOR: kernel_ways
/// The kernel's ways on `workers` workers each, after the sequential way.
/// All do the same work. The hand split starts its threads and the
/// processes way its children in every timed run, as a program that used
/// them would; rayon's pools are built once, beforehand, as a program keeps
/// its pool.
fn kernel_ways<'a>(
    exe: &'a Path,
    workers: &[usize],
    pools: &'a [rayon::ThreadPool],
) -> Vec<Way<'a, Result<u64, String>>> {
    let mut ways = vec![Way::new("sequential", 1, 1, |n| {
        Ok(kernel::sequential(1..=n))
    })];
    for &w in workers {
        ways.push(Way::new(
            format!("threads split by hand ({w})"),
            w,
            w,
            move |n| Ok(kernel::hand_split(n, w)),
        ));
    }
    for (&w, pool) in workers.iter().zip(pools) {
        ways.push(Way::new(format!("rayon par_iter ({w})"), w, w, move |n| {
            Ok(pool.install(|| kernel::with_rayon(1..=n)))
        }));
    }
    for &w in workers {
        ways.push(Way::new(format!("processes ({w})"), w, w, move |n| {
            processes::collatz_in_processes(exe, n, w).map_err(|e| e.to_string())
        }));
    }
    ways
}
// ANCHOR_END: kernel_ways

/// Times the kernel's ways with each number of workers in `workers`. Also
/// returns the Collatz steps in each block of the hand split on
/// `config.workers` threads, whose sum is what every way is checked against.
pub fn measure_kernel(
    config: &Config,
    workers: &[usize],
    progress: &mut dyn Write,
) -> Result<(Vec<Row>, Vec<u64>), String> {
    let exe = this_binary(config)?;
    let pools = workers
        .iter()
        .map(|&w| pool(w))
        .collect::<Result<Vec<_>, _>>()?;
    let ways = kernel_ways(&exe, workers, &pools);
    let warm_up = (config.n / 20).max(1);
    let (blocks, _) = timed(
        progress,
        "collatz: the hand split's blocks, one by one",
        || {
            kernel::blocks(config.n, config.workers)
                .into_iter()
                .map(kernel::sequential)
                .collect::<Vec<u64>>()
        },
    );
    let (expected, expected_warm_up) =
        (blocks.iter().sum::<u64>(), kernel::sequential(1..=warm_up));
    let check = |n: u64, got: Result<u64, String>| {
        let want = if n == config.n {
            expected
        } else {
            expected_warm_up
        };
        equal(&Ok(want), &got)
    };
    let plan = Plan {
        job: "collatz",
        size: config.n,
        warm_up,
        repeat: config.repeat,
        check: &check,
    };
    let rows = rows("collatz", against_first(&plan, &ways, ideal, progress)?);
    Ok((rows, blocks))
}

/// The merge sort's cut-offs tried.
const CUTOFFS: [usize; 5] = [16, 1_000, 10_000, 100_000, 1_000_000];

/// Times exercise 8.1 (your `render` against `render_sequential`) and
/// exercise 8.2 (your `merge_sort` at each cut-off against `sort`). Returns
/// the rows and the cut-offs within noise of the fastest (the fastest among
/// them).
pub fn measure_exercises(
    config: &Config,
    pool: &rayon::ThreadPool,
    progress: &mut dyn Write,
) -> Result<(Vec<Row>, Vec<usize>), String> {
    let w = pool.current_num_threads();
    let side = config.sized(700, 8);
    let view = View::new(side as usize * 3 / 2, side as usize, 500);
    let image = render_sequential(&view);
    let small = View::new(40, 30, 500);
    let small_image = render_sequential(&small);
    let ways = vec![
        Way::new("render_sequential", 1, 1, |size| {
            render_sequential(if size == 0 { &small } else { &view })
        }),
        Way::new(format!("your render ({w})"), w, w, |size| {
            pool.install(|| mandelbrot::render(if size == 0 { &small } else { &view }))
        }),
    ];
    let check = |size: u64, got: Vec<u32>| {
        let want = if size == 0 { &small_image } else { &image };
        if &got == want {
            Ok(())
        } else {
            Err("your render's image differs from render_sequential's".to_owned())
        }
    };
    let plan = Plan {
        job: "8.1 mandelbrot",
        size: 1,
        warm_up: 0,
        repeat: config.repeat,
        check: &check,
    };
    let mut out = rows(
        "8.1 mandelbrot",
        against_first(&plan, &ways, ideal, progress)?,
    );

    let len = config.sized(2_000_000, 64) as usize;
    let input: Vec<u64> = (0..len as u64)
        .map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 20)
        .collect();
    let mut sorted = input.clone();
    sorted.sort();
    let cutoffs: Vec<usize> = CUTOFFS.iter().map(|&c| c.min(len)).collect();
    // Each way sorts a copy of the first `size` items: all of them in the
    // timed rounds, a twentieth in the warm-up.
    let mut ways: Vec<Way<'_, Vec<u64>>> = vec![Way::new("sort (one thread)", 1, 1, |size| {
        let mut v = input[..size as usize].to_vec();
        v.sort();
        v
    })];
    for &cutoff in &cutoffs {
        let input = &input;
        ways.push(Way::new(
            format!("your merge_sort, cut-off {cutoff} ({w})"),
            w,
            w,
            move |size| {
                let mut v = input[..size as usize].to_vec();
                pool.install(|| merge_sort::merge_sort(&mut v, cutoff, &Joins::new()));
                v
            },
        ));
    }
    let warm_up = (len / 20).max(1);
    let mut sorted_warm_up = input[..warm_up].to_vec();
    sorted_warm_up.sort();
    let check = |size: u64, got: Vec<u64>| {
        let want = if size as usize == len {
            &sorted
        } else {
            &sorted_warm_up
        };
        if &got == want {
            Ok(())
        } else {
            Err("your merge_sort left the items out of order".to_owned())
        }
    };
    let plan = Plan {
        job: "8.2 merge sort",
        size: len as u64,
        warm_up: warm_up as u64,
        repeat: config.repeat,
        check: &check,
    };
    let timed = against_first(&plan, &ways, ideal, progress)?;
    // The fastest cut-off, and every other whose fastest run was no slower
    // than the fastest one's slowest run: those are within noise of it.
    let fastest = |t: &Timed| t.runs.iter().copied().fold(f64::INFINITY, f64::min);
    let slowest = |t: &Timed| t.runs.iter().copied().fold(0.0, f64::max);
    let mut close = Vec::new();
    if let Some(best) = timed[1..]
        .iter()
        .min_by(|a, b| a.seconds.total_cmp(&b.seconds))
    {
        close = timed[1..]
            .iter()
            .zip(&cutoffs)
            .filter(|(t, _)| fastest(t) <= slowest(best))
            .map(|(_, &c)| c)
            .collect();
        if close.is_empty() {
            close = timed[1..]
                .iter()
                .zip(&cutoffs)
                .filter(|(t, _)| t.seconds == best.seconds)
                .map(|(_, &c)| c)
                .collect();
        }
    }
    out.extend(rows("8.2 merge sort", timed));
    Ok((out, close))
}

/// Runs the skewed job traced, split by hand and by rayon.
pub fn measure_stealing(
    config: &Config,
    pool: &rayon::ThreadPool,
    progress: &mut dyn Write,
) -> Result<Stealing, String> {
    let items = config.sized(3_000, 16);
    let threads = pool.current_num_threads();
    let expected = steal::sequential(0..items);
    let piece = (items / 64).max(1);
    let (by_hand, _) = timed(progress, "stealing: split by hand", || {
        steal::traced_by_hand(items, threads, piece)
    });
    let (by_rayon, _) = timed(progress, "stealing: rayon::join", || {
        steal::traced_by_rayon(pool, items, piece)
    });
    for (name, trace) in [("split by hand", &by_hand), ("rayon::join", &by_rayon)] {
        equal(&expected, &trace.total).map_err(|e| format!("stealing: {name}: {e}"))?;
    }
    Ok(Stealing {
        items,
        by_hand,
        by_rayon,
    })
}

/// The grain job's sizes.
const GRAIN_SIZES: [u64; 5] = [100, 1_000, 10_000, 100_000, 1_000_000];

/// The grain job's `with_min_len` and `fold_chunks` size.
const MIN_LEN: usize = 100_000;

/// Times `iter`, `par_iter`, `with_min_len` and `fold_chunks` on tiny work
/// at each size (the results of a sample's calls added up and checked):
/// many calls per sample at the small sizes, so that a sample takes long
/// enough to time.
pub fn measure_grain(
    config: &Config,
    pool: &rayon::ThreadPool,
    progress: &mut dyn Write,
) -> Result<Vec<Grain>, String> {
    let mut out = Vec::new();
    for &items in &GRAIN_SIZES {
        let items = config.sized(items, 1);
        let calls = (config.sized(4_000_000, 1) / items).max(1);
        let want = grain::sum_of_squares(items as usize);
        // `calls` calls of `sum`, their results added up.
        let repeat = move |calls: u64, sum: fn(usize) -> u64| {
            (0..calls).fold(0u64, |a, _| {
                a.wrapping_add(sum(std::hint::black_box(items as usize)))
            })
        };
        let w = pool.current_num_threads();
        let ways: Vec<Way<'_, u64>> = vec![
            Way::new("iter", 1, 1, move |calls| {
                repeat(calls, grain::sum_of_squares)
            }),
            Way::new("par_iter", w, 1, move |calls| {
                pool.install(|| repeat(calls, grain::sum_of_squares_par))
            }),
            Way::new("with_min_len", w, 1, move |calls| {
                pool.install(|| repeat(calls, |n| grain::sum_of_squares_min_len(n, MIN_LEN)))
            }),
            Way::new("fold_chunks", w, 1, move |calls| {
                pool.install(|| repeat(calls, |n| grain::sum_of_squares_chunks(n, MIN_LEN)))
            }),
        ];
        // Every call's result is added up: right only if each call was right
        // (a wrong call would have to be cancelled out exactly by another).
        let check = |calls: u64, got: u64| equal(&want.wrapping_mul(calls), &got);
        let job = format!("grain {items}");
        let plan = Plan {
            job: &job,
            size: calls,
            warm_up: calls.div_ceil(10),
            repeat: config.repeat,
            check: &check,
        };
        let times = lab_support::measure::time_ways(&plan, &ways, progress)?;
        let per_call = |i: usize| median(&times[i]) / calls as f64;
        out.push(Grain {
            items,
            seconds: [per_call(0), per_call(1), per_call(2), per_call(3)],
        });
    }
    Ok(out)
}

/// Times Amdahl's job alone and with each number of workers.
pub fn measure_amdahl(
    config: &Config,
    workers: &[usize],
    progress: &mut dyn Write,
) -> Result<AmdahlReport, String> {
    let steps = config.sized(20_000_000, 10);
    let items = config.sized(800_000, 10);
    let expected = amdahl::job_sequential(steps, items);
    let chain = amdahl::serial_part(steps);
    let mut counts = vec![1];
    counts.extend(workers.iter().copied().filter(|&w| w != 1));
    let pools = counts
        .iter()
        .map(|&w| pool(w))
        .collect::<Result<Vec<_>, _>>()?;
    // The serial part alone returns its chain's last hash, the whole job its
    // total: each is checked against its own.
    let mut ways: Vec<Way<'_, (bool, u64)>> = vec![Way::new("the serial part alone", 1, 1, |_| {
        (false, amdahl::serial_part(steps))
    })];
    for (&w, pool) in counts.iter().zip(&pools) {
        ways.push(Way::new(format!("the whole job ({w})"), w, w, move |_| {
            (true, pool.install(|| amdahl::job(steps, items)))
        }));
    }
    let check =
        |_: u64, (whole, got): (bool, u64)| equal(&(if whole { expected } else { chain }), &got);
    let plan = Plan {
        job: "amdahl",
        size: 1,
        warm_up: 1,
        repeat: config.repeat,
        check: &check,
    };
    let times = lab_support::measure::time_ways(&plan, &ways, progress)?;
    let serial_seconds = median(&times[0]);
    let one = median(&times[1]);
    let serial_share = serial_seconds / one;
    let points = counts
        .iter()
        .zip(&times[1..])
        .map(|(&w, runs)| {
            let seconds = median(runs);
            let speedup = one / seconds;
            let effective = w.min(cores());
            AmdahlPoint {
                workers: w,
                seconds,
                speedup,
                bound: amdahl_bound(serial_share, effective),
                effective_serial: karp_flatt(speedup, effective),
            }
        })
        .collect();
    Ok(AmdahlReport {
        serial_share,
        serial_seconds,
        points,
    })
}

/// Times the pitfalls: a `Mutex` inside `par_iter` against `sum`, and
/// blocking waits on rayon's workers against threads of their own.
pub fn measure_pitfalls(
    config: &Config,
    pool: &rayon::ThreadPool,
    progress: &mut dyn Write,
) -> Result<Vec<Row>, String> {
    let w = pool.current_num_threads();
    let n = config.sized(12_000_000, 10);
    let expected: u64 = (0..n).map(pitfalls::cost).sum();
    let ways: Vec<Way<'_, u64>> = vec![
        Way::new("sequential sum", 1, 1, |n| (0..n).map(pitfalls::cost).sum()),
        Way::new(format!("par_iter, map and sum ({w})"), w, w, |n| {
            pool.install(|| pitfalls::sum_without_a_lock(n))
        }),
        Way::new(format!("par_iter, a Mutex per item ({w})"), w, w, |n| {
            pool.install(|| pitfalls::sum_through_a_mutex(n))
        }),
    ];
    let small: u64 = (0..n / 10).map(pitfalls::cost).sum();
    let check = |size: u64, got: u64| equal(&(if size == n { expected } else { small }), &got);
    let plan = Plan {
        job: "mutex",
        size: n,
        warm_up: n / 10,
        repeat: config.repeat,
        check: &check,
    };
    let mut out = rows("mutex", against_first(&plan, &ways, ideal, progress)?);

    let waits = 16usize;
    let each = Duration::from_millis(5);
    let ways: Vec<Way<'_, usize>> = vec![
        Way::new("one thread, one wait after another", 1, 1, |k| {
            (0..k).map(|_| std::thread::sleep(each)).count()
        }),
        Way::new(format!("par_iter ({w})"), w, waits.min(w), |k| {
            pool.install(|| pitfalls::waits_on_rayon(k as usize, each))
        }),
        Way::new(format!("a thread per wait ({waits})"), waits, waits, |k| {
            pitfalls::waits_on_threads(k as usize, each)
        }),
    ];
    let check = |k: u64, got: usize| equal(&(k as usize), &got);
    let plan = Plan {
        job: "waits",
        size: waits as u64,
        warm_up: 2,
        repeat: config.repeat,
        check: &check,
    };
    // The ideal of a waiting way is how many waits it has under way at once.
    let timed = against_first(&plan, &ways, |way| way.in_flight as f64, progress)?;
    out.extend(rows("16 waits of 5 ms", timed));
    Ok(out)
}

/// Times starting a thread and a process that do nothing.
pub fn measure_start(config: &Config, progress: &mut dyn Write) -> Result<Start, String> {
    let exe = this_binary(config)?;
    let threads = config.sized(200, 3) as usize;
    let children = config.sized(20, 3) as usize;
    let mut thread_times = Vec::new();
    let mut process_times = Vec::new();
    let mut child_peak = None;
    let (result, _) = timed(
        progress,
        &format!("start: {threads} threads, {children} processes"),
        || {
            for _ in 0..threads {
                let begun = Instant::now();
                std::thread::spawn(|| ())
                    .join()
                    .map_err(|_| "an empty thread panicked")?;
                thread_times.push(begun.elapsed().as_secs_f64());
            }
            for _ in 0..children {
                let begun = Instant::now();
                child_peak = processes::empty_child(&exe).map_err(|e| e.to_string())?;
                process_times.push(begun.elapsed().as_secs_f64());
            }
            Ok::<(), String>(())
        },
    );
    result?;
    Ok(Start {
        thread_seconds: median(&thread_times),
        process_seconds: median(&process_times),
        child_peak_kib: child_peak,
        per_thread_kib: processes::memory_per_waiting_thread_kib(100),
    })
}

/// Runs every part `config` asks for.
pub fn measure(config: &Config, progress: &mut dyn Write) -> Result<Report, String> {
    let workers = config.workers;
    let pool = pool(workers)?;
    let sweep = config.sweep.clone().unwrap_or_else(|| vec![workers]);
    let mut report = Report {
        cores: cores(),
        workers,
        repeat: config.repeat,
        n: config.n,
        rows: Vec::new(),
        fastest_cutoffs: Vec::new(),
        hand_split_blocks: Vec::new(),
        stealing: None,
        grain: Vec::new(),
        min_len: MIN_LEN,
        amdahl: None,
        start: None,
    };
    if config.runs(Part::Kernel) {
        let (rows, blocks) = measure_kernel(config, &sweep, progress)?;
        report.rows.extend(rows);
        if config.sweep.is_none() {
            report.hand_split_blocks = blocks;
        }
    }
    if config.runs(Part::Exercises) && config.sweep.is_none() {
        let (rows, best) = measure_exercises(config, &pool, progress)?;
        report.rows.extend(rows);
        report.fastest_cutoffs = best;
    }
    if (config.runs(Part::Stealing) && config.sweep.is_none()) || config.trace.is_some() {
        report.stealing = Some(measure_stealing(config, &pool, progress)?);
    }
    if config.runs(Part::Grain) && config.sweep.is_none() {
        report.grain = measure_grain(config, &pool, progress)?;
    }
    if config.runs(Part::Amdahl) {
        report.amdahl = Some(measure_amdahl(config, &sweep, progress)?);
    }
    if config.runs(Part::Pitfalls) && config.sweep.is_none() {
        report
            .rows
            .extend(measure_pitfalls(config, &pool, progress)?);
    }
    if config.runs(Part::Start) && config.sweep.is_none() {
        report.start = Some(measure_start(config, progress)?);
    }
    Ok(report)
}

fn table_of(rows: &[&Row]) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let t = &r.timed;
            vec![
                t.way.clone(),
                t.threads.to_string(),
                text::seconds(t.seconds),
                text::spread(&t.runs, t.seconds),
                text::times(t.speedup),
                text::times(t.ideal),
                text::percent(t.efficiency),
            ]
        })
        .collect();
    grid(
        &[
            "way", "threads", "time", "spread", "speed-up", "ideal", "of ideal",
        ],
        &cells,
        &[false, true, true, true, true, true, true],
    )
}

fn section(out: &mut String, report: &Report, workload: &str, title: &str) {
    let rows: Vec<&Row> = report
        .rows
        .iter()
        .filter(|r| r.workload == workload)
        .collect();
    if rows.is_empty() {
        return;
    }
    out.push_str(&format!("\n{title}\n\n"));
    out.push_str(&table_of(&rows));
}

fn micros(s: f64) -> String {
    format!("{} µs", text::two_figures(s * 1e6))
}

/// The report as tables to read.
pub fn table(report: &Report) -> String {
    let mut out = format!(
        "lab-08 on {} logical cores; parallel ways with {} workers; median of {} timed rounds (after an untimed warm-up round; rounds in a rotating order); spread = (slowest - fastest) / median.\n",
        report.cores, report.workers, report.repeat
    );
    section(
        &mut out,
        report,
        "collatz",
        &format!("The kernel: Collatz steps of 1 to {}, added up", report.n),
    );
    if report.hand_split_blocks.len() > 1 {
        let b = &report.hand_split_blocks;
        let most = *b.iter().max().unwrap_or(&1) as f64;
        let least = (*b.iter().min().unwrap_or(&1)).max(1) as f64;
        let list: Vec<String> = b.iter().map(|s| s.to_string()).collect();
        out.push_str(&format!(
            "the hand split's blocks, in Collatz steps: {} (the dearest {} the cheapest)\n",
            list.join(", "),
            text::times(most / least)
        ));
    }
    if report.rows.iter().any(|r| r.workload == "collatz") {
        out.push_str("(the hand split and the processes start their threads or children in every timed run; rayon's pools are built beforehand)\n");
    }
    section(
        &mut out,
        report,
        "8.1 mandelbrot",
        "Exercise 8.1: your render against render_sequential",
    );
    section(
        &mut out,
        report,
        "8.2 merge sort",
        "Exercise 8.2: your merge_sort against sort",
    );
    match report.fastest_cutoffs.as_slice() {
        [] => {}
        [one] => out.push_str(&format!("fastest cut-off here: {one}\n")),
        several => {
            let list: Vec<String> = several.iter().map(|c| c.to_string()).collect();
            out.push_str(&format!(
                "cut-offs within noise of the fastest here: {} (their runs overlap the fastest one's)\n",
                list.join(", ")
            ));
        }
    }
    if let Some(s) = &report.stealing {
        out.push_str(&format!(
            "\nWork stealing: a skewed job of {} items (item i costs i + 1 units), run once each way\n\n",
            s.items
        ));
        let cells: Vec<Vec<String>> = [("split by hand", &s.by_hand), ("rayon::join", &s.by_rayon)]
            .iter()
            .map(|(name, t)| {
                vec![
                    name.to_string(),
                    text::seconds(t.seconds),
                    t.busy()
                        .iter()
                        .map(|b| text::percent(*b))
                        .collect::<Vec<_>>()
                        .join(" "),
                    t.steals().to_string(),
                ]
            })
            .collect();
        out.push_str(&grid(
            &["way", "time", "busy, worker by worker", "pieces stolen"],
            &cells,
            &[false, true, false, true],
        ));
    }
    if !report.grain.is_empty() {
        out.push_str(
            "\nGrain size: a multiply and an add per item; time per call (median); par_iter / iter above 1 means par_iter is slower\n\n"
        );
        let cells: Vec<Vec<String>> = report
            .grain
            .iter()
            .map(|g| {
                vec![
                    g.items.to_string(),
                    micros(g.seconds[0]),
                    micros(g.seconds[1]),
                    micros(g.seconds[2]),
                    micros(g.seconds[3]),
                    text::times(g.seconds[1] / g.seconds[0]),
                ]
            })
            .collect();
        let min_len = format!("with_min_len({})", report.min_len);
        let chunks = format!("fold_chunks({})", report.min_len);
        out.push_str(&grid(
            &[
                "items",
                "iter",
                "par_iter",
                &min_len,
                &chunks,
                "par_iter / iter",
            ],
            &cells,
            &[true, true, true, true, true, true],
        ));
        let crossover = report.grain.iter().find(|g| g.seconds[1] < g.seconds[0]);
        out.push_str(&match crossover {
            Some(g) => format!("par_iter first beats iter here at {} items\n", g.items),
            None => "par_iter beat iter at none of these sizes here\n".to_owned(),
        });
    }
    if let Some(a) = &report.amdahl {
        out.push_str(&format!(
            "\nAmdahl's law: a chain of hashes (serial: {}, {} of the job on one worker), then independent items\n\n",
            text::seconds(a.serial_seconds),
            text::percent(a.serial_share)
        ));
        let cells: Vec<Vec<String>> = a
            .points
            .iter()
            .map(|p| {
                vec![
                    p.workers.to_string(),
                    text::seconds(p.seconds),
                    text::times(p.speedup),
                    text::times(p.bound),
                    p.effective_serial.map_or("–".to_owned(), text::percent),
                ]
            })
            .collect();
        out.push_str(&grid(
            &[
                "workers",
                "time",
                "speed-up",
                "Amdahl's bound",
                "effective serial fraction",
            ],
            &cells,
            &[true, true, true, true, true],
        ));
        out.push_str(&format!(
            "(more workers than the {} cores count as {} in the bound and the fraction)\n",
            report.cores, report.cores
        ));
    }
    section(
        &mut out,
        report,
        "mutex",
        "Pitfall: a Mutex taken for every item inside par_iter",
    );
    section(
        &mut out,
        report,
        "16 waits of 5 ms",
        "Pitfall: blocking waits on rayon's workers (ideal: waits under way at once)",
    );
    if let Some(s) = &report.start {
        let kib = |k: Option<u64>| {
            k.map_or("unknown".to_owned(), |k| {
                format!("{} MiB", text::two_figures(k as f64 / 1024.0))
            })
        };
        out.push_str(&format!(
            "\nStarting: what a thread and a process that do nothing cost\n\n  a thread (spawn and join):           {}\n  a process (start and wait):          {}\n  the empty child's peak memory:       {}\n  each of 100 waiting threads adds:    {}\n",
            micros(s.thread_seconds),
            micros(s.process_seconds),
            kib(s.child_peak_kib),
            s.per_thread_kib.map_or("unknown".to_owned(), |k| format!("{} KiB", text::two_figures(k)))
        ));
    }
    out
}

/// The report as CSV: the shared columns, one row per timed way.
pub fn csv(report: &Report) -> String {
    let mut cells: Vec<Vec<String>> = report
        .rows
        .iter()
        .map(|r| {
            let t = &r.timed;
            CsvRow {
                workload: &r.workload,
                way: &t.way,
                threads: t.threads,
                seconds: t.seconds,
                speedup: t.speedup,
                ideal: t.ideal,
                efficiency: t.efficiency,
                cores: report.cores,
            }
            .cells()
        })
        .collect();
    if let Some(a) = &report.amdahl {
        for p in &a.points {
            let ideal = p.workers.min(report.cores) as f64;
            cells.push(
                CsvRow {
                    workload: "amdahl",
                    way: &format!("rayon, serial part {:.4}", a.serial_share),
                    threads: p.workers,
                    seconds: p.seconds,
                    speedup: p.speedup,
                    ideal,
                    efficiency: p.speedup / ideal,
                    cores: report.cores,
                }
                .cells(),
            );
        }
    }
    text::csv(&CSV_COLUMNS, &cells)
}

/// The sweep's chart: the kernel's speed-up against workers, one line per
/// way, and the ideal.
pub fn chart(report: &Report, workers: &[usize]) -> String {
    let kinds = [
        ("threads split by hand", "#1f77b4"),
        ("rayon par_iter", "#d62728"),
        ("processes", "#2ca02c"),
    ];
    let mut series: Vec<Series> = kinds
        .iter()
        .map(|(kind, colour)| Series {
            label: kind.to_string(),
            colour: colour.to_string(),
            points: report
                .rows
                .iter()
                .filter(|r| r.workload == "collatz" && r.timed.way.starts_with(kind))
                .map(|r| (r.timed.threads as f64, r.timed.speedup))
                .collect(),
            width: 2.5,
            opacity: 1.0,
            dash: None,
            class: "series".to_owned(),
            dots: true,
        })
        .collect();
    series.insert(
        0,
        Series {
            label: "ideal (workers, up to the cores)".to_owned(),
            colour: "#888888".to_owned(),
            points: workers
                .iter()
                .map(|&w| (w as f64, w.min(report.cores) as f64))
                .collect(),
            width: 1.5,
            opacity: 1.0,
            dash: Some("6 4".to_owned()),
            class: "ideal".to_owned(),
            dots: false,
        },
    );
    LineChart {
        title: format!(
            "The kernel's speed-up against workers, {} logical cores",
            report.cores
        ),
        x_label: "workers (threads, rayon workers or processes)".to_owned(),
        y_label: "speed-up over sequential".to_owned(),
        x_ticks: workers.iter().map(|&w| w as f64).collect(),
        y_suffix: "x".to_owned(),
        series,
    }
    .svg()
}

/// Runs what `config` asks and writes the results to `out`, progress to
/// `progress`.
pub fn run(config: &Config, out: &mut dyn Write, progress: &mut dyn Write) -> Result<(), String> {
    let report = measure(config, progress)?;
    if let (Some(path), Some(s)) = (&config.trace, &report.stealing) {
        let svg = steal::timeline_svg(&[
            (
                &format!("split by hand into {} equal blocks", s.by_hand.workers),
                &s.by_hand,
            ),
            (
                &format!("rayon::join on {} workers", s.by_rayon.workers),
                &s.by_rayon,
            ),
        ]);
        lab_support::measure::write_chart(path, &svg, progress)?;
    }
    if let (Some(path), Some(workers)) = (&config.svg, &config.sweep) {
        lab_support::measure::write_chart(path, &chart(&report, workers), progress)?;
    }
    let text = match config.format {
        Format::Table => table(&report),
        Format::Csv => csv(&report),
        Format::Json => text::json(&report),
    };
    out.write_all(text.as_bytes())
        .map_err(|e| format!("cannot write the results: {e}"))
}
