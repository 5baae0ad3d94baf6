//! `cargo run --release -p lab-07 -- [OPTIONS]`: the three-stage pipeline of
//! [`crate::pipeline`] timed against the same work on one thread, with each
//! channel capacity as a way of its own; then the back-pressure run of
//! [`crate::backpressure`], on a bounded and an unbounded channel.
//!
//! The timing, the order of the rounds, the medians, the tables, CSV, JSON
//! and the chart are the book's shared harness, [`lab_support::measure`];
//! this file keeps only the jobs, the ways and the wording.

use std::cell::Cell;
use std::io::Write;
use std::path::PathBuf;

use lab_support::measure::chart::{LineChart, Series};
use lab_support::measure::text::{self, grid};
use lab_support::measure::{CSV_COLUMNS, CsvRow, Plan, Way, cores, median, number, time_ways};
use serde::Serialize;

use crate::backpressure::fast_producer;
use crate::pipeline::{one_thread, pipeline};

/// The command's help.
pub const USAGE: &str = "\
Usage: cargo run --release -p lab-07 -- [OPTIONS]

Times a three-stage pipeline (source, transform, sink; one thread each,
joined by crossbeam channels) against the same work on one thread, once for
each channel capacity; then sends messages as fast as it can to a slow
consumer, on a bounded and on an unbounded channel, and reports how long the
queue got.

Options:
  --items N          items through the pipeline (default 30000)
  --rounds N         rounds of work per item in each stage (default 1000)
  --capacities LIST  channel capacities to try, e.g. 0,1,16,1024 (the default)
  --repeat N         timed rounds of every way; the median is shown (default 5)
  --messages N       messages in the back-pressure run (default 20000)
  --slow N           rounds of work per message for the slow consumer
                     (default 2000)
  --format F         table (default), csv or json
  --svg FILE         also write the back-pressure chart (queue length against
                     messages sent) to FILE, as SVG
  -h, --help         this text

Progress goes to stderr, the results to stdout.
";

pub use lab_support::measure::Format;

/// What to run, from the command line.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Items through the pipeline.
    pub items: u64,
    /// Rounds of [`crate::pipeline::work`] per item in each stage.
    pub rounds: u32,
    /// The capacities to try, one way each.
    pub capacities: Vec<usize>,
    /// Timed rounds of every way.
    pub repeat: usize,
    /// Messages in the back-pressure run.
    pub messages: u64,
    /// Rounds of work per message for the back-pressure run's consumer.
    pub slow: u32,
    /// How to print the results.
    pub format: Format,
    /// Where to write the back-pressure chart, if anywhere.
    pub svg: Option<PathBuf>,
    /// `--help` was asked for.
    pub help: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            items: 30_000,
            rounds: 1_000,
            capacities: vec![0, 1, 16, 1024],
            repeat: 5,
            messages: 20_000,
            slow: 2_000,
            format: Format::Table,
            svg: None,
            help: false,
        }
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
            "--items" => config.items = number(arg, value()?, 1, 100_000_000)?,
            "--rounds" => config.rounds = number(arg, value()?, 1, 1_000_000)? as u32,
            "--repeat" => config.repeat = number(arg, value()?, 1, 100)? as usize,
            "--messages" => config.messages = number(arg, value()?, 1, 10_000_000)?,
            "--slow" => config.slow = number(arg, value()?, 0, 1_000_000)? as u32,
            "--capacities" => {
                let list = value()?;
                config.capacities = list
                    .split(',')
                    .map(|c| number(arg, c.trim(), 0, 1_000_000).map(|c| c as usize))
                    .collect::<Result<_, _>>()?;
            }
            "--format" => config.format = Format::parse(value()?)?,
            "--svg" => config.svg = Some(PathBuf::from(value()?)),
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    Ok(config)
}

/// One way of the pipeline job, timed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// Always "pipeline": the workload column of the shared CSV.
    pub workload: &'static str,
    /// "one thread", or "3 stages, capacity N".
    pub way: String,
    /// The channel capacity; `None` for the one-thread way.
    pub capacity: Option<usize>,
    /// OS threads the way runs on.
    pub threads: usize,
    /// The median time, in seconds.
    pub seconds: f64,
    /// Items per second at that time.
    pub items_per_second: f64,
    /// One thread's time / this time.
    pub speedup: f64,
    /// The best speed-up it could reach: as many stages as there are cores
    /// to run them at once, since every stage does the same work.
    pub ideal: f64,
    /// Speed-up / ideal.
    pub efficiency: f64,
    /// How full the channels were seen (see
    /// [`crate::pipeline::Outcome::most_queued`]), the largest over every run.
    pub most_queued: usize,
    /// Every timed run, in seconds.
    pub runs: Vec<f64>,
}

/// The back-pressure run on one channel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pressure {
    /// The channel's capacity; `None` for unbounded.
    pub capacity: Option<usize>,
    /// The longest the queue got.
    pub most_queued: usize,
    /// That many `u64` messages, in bytes (the channel's own bookkeeping
    /// not counted).
    pub most_bytes: usize,
    /// The queue's length after each send, every `step`-th one.
    pub samples: Vec<usize>,
    /// One sample every `step` messages.
    pub step: usize,
}

/// Everything one run measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Logical cores of this machine.
    pub cores: usize,
    /// Items through the pipeline.
    pub items: u64,
    /// Rounds of work per item in each stage.
    pub rounds: u32,
    /// Timed runs of each way.
    pub repeat: usize,
    /// One row per way, the one-thread way first.
    pub rows: Vec<Row>,
    /// Messages in the back-pressure run.
    pub messages: u64,
    /// The slow consumer's rounds of work per message.
    pub slow: u32,
    /// The back-pressure run on a bounded channel, then on an unbounded one.
    pub pressure: Vec<Pressure>,
}

/// The stages of the pipeline: a speed-up above this is impossible.
const STAGES: usize = 3;

/// The bounded channel of the back-pressure run.
const PRESSURE_CAPACITY: usize = 16;

/// Times the pipeline job, every way.
pub fn measure_pipeline(config: &Config, progress: &mut dyn Write) -> Result<Vec<Row>, String> {
    let rounds = config.rounds;
    let warm_up = config.items.min(2_000);
    let expected = one_thread(config.items, rounds);
    let expected_warm_up = one_thread(warm_up, rounds);
    let most: Vec<Cell<usize>> = config.capacities.iter().map(|_| Cell::new(0)).collect();
    let mut ways: Vec<Way<'_, u64>> = vec![Way::new("one thread", 1, 1, |n| one_thread(n, rounds))];
    for (&capacity, most) in config.capacities.iter().zip(&most) {
        ways.push(Way::new(
            format!("3 stages, capacity {capacity}"),
            STAGES,
            STAGES,
            move |n| {
                let outcome = pipeline(n, rounds, Some(capacity));
                most.set(most.get().max(outcome.most_queued));
                outcome.sum
            },
        ));
    }
    let check = |size: u64, sum: u64| {
        let want = if size == config.items {
            expected
        } else {
            expected_warm_up
        };
        if sum == want {
            Ok(())
        } else {
            Err(format!("the sum is {sum}, not {want}"))
        }
    };
    let plan = Plan {
        job: "pipeline",
        size: config.items,
        warm_up,
        repeat: config.repeat,
        check: &check,
    };
    let runs = time_ways(&plan, &ways, progress)?;
    let base = median(&runs[0]);
    let ideal_pipeline = STAGES.min(cores()) as f64;
    let rows = ways
        .iter()
        .zip(runs)
        .enumerate()
        .map(|(i, (way, runs))| {
            let seconds = median(&runs);
            let speedup = base / seconds;
            let ideal = if i == 0 { 1.0 } else { ideal_pipeline };
            Row {
                workload: "pipeline",
                way: way.name.clone(),
                capacity: i.checked_sub(1).map(|k| config.capacities[k]),
                threads: way.threads,
                seconds,
                items_per_second: config.items as f64 / seconds,
                speedup,
                ideal,
                efficiency: speedup / ideal,
                most_queued: i.checked_sub(1).map_or(0, |k| most[k].get()),
                runs,
            }
        })
        .collect();
    Ok(rows)
}

/// The back-pressure run on a channel of `capacity`, sampled down to at most
/// 500 points.
fn pressure(config: &Config, capacity: Option<usize>, progress: &mut dyn Write) -> Pressure {
    let label = format!("back-pressure: {}", capacity_name(capacity));
    let (queue, _) = lab_support::measure::timed(progress, &label, || {
        fast_producer(config.messages, capacity, config.slow)
    });
    let most_queued = queue.most();
    let queued = queue.queued;
    let step = queued.len().div_ceil(500).max(1);
    Pressure {
        capacity,
        most_queued,
        most_bytes: most_queued * std::mem::size_of::<u64>(),
        samples: queued.iter().step_by(step).copied().collect(),
        step,
    }
}

/// Everything: the pipeline's ways, then the back-pressure runs.
pub fn measure(config: &Config, progress: &mut dyn Write) -> Result<Report, String> {
    let rows = measure_pipeline(config, progress)?;
    let pressure = vec![
        pressure(config, Some(PRESSURE_CAPACITY), progress),
        pressure(config, None, progress),
    ];
    Ok(Report {
        cores: cores(),
        items: config.items,
        rounds: config.rounds,
        repeat: config.repeat,
        rows,
        messages: config.messages,
        slow: config.slow,
        pressure,
    })
}

fn capacity_name(capacity: Option<usize>) -> String {
    match capacity {
        Some(c) => format!("bounded({c})"),
        None => "unbounded".to_owned(),
    }
}

/// The report as tables to read.
pub fn table(report: &Report) -> String {
    let mut out = format!(
        "machine: {} logical cores (std::thread::available_parallelism)\n\
         pipeline: {} items; each of the 3 stages does {} rounds of work per item; \
         median of {} timed runs\n\n",
        report.cores, report.items, report.rounds, report.repeat
    );
    let rows: Vec<Vec<String>> = report
        .rows
        .iter()
        .map(|r| {
            vec![
                r.way.clone(),
                r.threads.to_string(),
                text::seconds(r.seconds),
                format!("{:.0}", r.items_per_second),
                text::times(r.speedup),
                text::times(r.ideal),
                text::spread(&r.runs, r.seconds),
                match r.capacity {
                    Some(_) => r.most_queued.to_string(),
                    None => "–".to_owned(),
                },
            ]
        })
        .collect();
    out.push_str(&grid(
        &[
            "way",
            "threads",
            "time",
            "items/s",
            "speed-up",
            "ideal",
            "spread",
            "most queued",
        ],
        &rows,
        &[false, true, true, true, true, true, true, true],
    ));
    out.push_str(&format!(
        "\nideal: the pipeline's three stages do equal work, so at best every core is busy \
         all the time, with a stage each: min(3 stages, {} cores).\n\
         spread: (slowest - fastest) / median of the timed runs.\n\
         most queued: the largest len() each sender saw right after its sends, added up \
         over the two channels, over every run (a sample, not a bound).\n",
        report.cores
    ));
    out.push_str(&format!(
        "\nback-pressure: {} messages sent as fast as possible to a consumer that does \
         {} rounds of work on each\n\n",
        report.messages, report.slow
    ));
    let rows: Vec<Vec<String>> = report
        .pressure
        .iter()
        .map(|p| {
            vec![
                capacity_name(p.capacity),
                p.most_queued.to_string(),
                format!("{} bytes", p.most_bytes),
            ]
        })
        .collect();
    out.push_str(&grid(
        &["channel", "most queued", "those messages"],
        &rows,
        &[false, true, true],
    ));
    out
}

/// The pipeline's rows as CSV, in the shared columns (workload, way, threads,
/// seconds, speed-up, ideal) plus this lab's own.
pub fn csv(report: &Report) -> String {
    let rows: Vec<Vec<String>> = report
        .rows
        .iter()
        .map(|r| {
            let mut cells = CsvRow {
                workload: r.workload,
                way: &r.way,
                threads: r.threads,
                seconds: r.seconds,
                speedup: r.speedup,
                ideal: r.ideal,
                efficiency: r.efficiency,
                cores: report.cores,
            }
            .cells();
            cells.extend([
                r.capacity.map_or(String::new(), |c| c.to_string()),
                format!("{:.0}", r.items_per_second),
                r.most_queued.to_string(),
            ]);
            cells
        })
        .collect();
    text::csv(
        &[
            &CSV_COLUMNS[..],
            &["capacity", "items_per_second", "most_queued"],
        ]
        .concat(),
        &rows,
    )
}

/// The back-pressure runs as a chart: queue length against messages sent.
pub fn chart(report: &Report) -> String {
    let colours = ["#1f77b4", "#d62728"];
    let series = report
        .pressure
        .iter()
        .zip(colours)
        .map(|(p, colour)| Series {
            label: format!(
                "{}: most queued {}",
                capacity_name(p.capacity),
                p.most_queued
            ),
            colour: colour.to_owned(),
            points: p
                .samples
                .iter()
                .enumerate()
                .map(|(i, &q)| ((i * p.step) as f64, q as f64))
                .collect(),
            width: 2.0,
            opacity: 1.0,
            dash: None,
            class: "series".to_owned(),
            dots: false,
        })
        .collect();
    let m = report.messages as f64;
    LineChart {
        title: format!(
            "Messages queued while a fast producer sends {} to a slow consumer",
            report.messages
        ),
        x_label: "messages sent".to_owned(),
        y_label: "messages in the queue".to_owned(),
        x_ticks: (0..=4).map(|k| (m * k as f64 / 4.0).round()).collect(),
        y_suffix: String::new(),
        series,
    }
    .svg()
}

/// Runs what `config` asks, the results to `out`, progress to `progress`.
pub fn run(config: &Config, out: &mut dyn Write, progress: &mut dyn Write) -> Result<(), String> {
    let report = measure(config, progress)?;
    let text = match config.format {
        Format::Table => table(&report),
        Format::Csv => csv(&report),
        Format::Json => text::json(&report),
    };
    if let Some(path) = &config.svg {
        lab_support::measure::write_chart(path, &chart(&report), progress)?;
    }
    out.write_all(text.as_bytes())
        .map_err(|e| format!("cannot write the results: {e}"))
}
