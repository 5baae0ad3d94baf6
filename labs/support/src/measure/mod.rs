//! The harness every lab's measure command shares: timing each way of a job
//! fairly ([`time_ways`]: an untimed warm-up round, then rounds in the order
//! of a Williams design, [`round_order`]), the [`median`] of the runs, the
//! command line's numbers ([`number`]), and printing the results: tables, CSV
//! and JSON ([`text`]), and line charts as plain SVG ([`chart`]); and the
//! command itself ([`command_main`], [`Format`], [`write_chart`]); speed-ups,
//! Amdahl's bound, the serial fraction and sweeps' worker counts
//! ([`scaling`]).
//!
//! A lab keeps only what is its own: its jobs, its ways (each a [`Way`]), what
//! it works out from the times (speed-ups, ideals), and the wording of its
//! tables.

pub mod chart;
pub mod scaling;
pub mod text;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// The columns every measure command's CSV starts with, one row per way:
/// the job, the way, its threads, its median time, its speed-up, its ideal,
/// speed-up / ideal, and the machine's cores. A lab may add its own after
/// them.
pub const CSV_COLUMNS: [&str; 8] = [
    "workload",
    "way",
    "threads",
    "seconds",
    "speedup",
    "ideal",
    "efficiency",
    "cores",
];

/// One way's values in the [`CSV_COLUMNS`], formatted as every measure
/// command writes them (seconds to 6 places, speed-up and efficiency to 4).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CsvRow<'a> {
    /// The job.
    pub workload: &'a str,
    /// The way.
    pub way: &'a str,
    /// Its OS threads.
    pub threads: usize,
    /// Its median time.
    pub seconds: f64,
    /// Its speed-up.
    pub speedup: f64,
    /// Its ideal speed-up.
    pub ideal: f64,
    /// Speed-up / ideal.
    pub efficiency: f64,
    /// The machine's logical cores.
    pub cores: usize,
}

impl CsvRow<'_> {
    /// The cells, in the order of [`CSV_COLUMNS`].
    pub fn cells(&self) -> Vec<String> {
        vec![
            self.workload.to_owned(),
            self.way.to_owned(),
            self.threads.to_string(),
            format!("{:.6}", self.seconds),
            format!("{:.4}", self.speedup),
            self.ideal.to_string(),
            format!("{:.4}", self.efficiency),
            self.cores.to_string(),
        ]
    }
}

/// How a measure command prints its results (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A table to read.
    Table,
    /// Comma-separated values, one row per way.
    Csv,
    /// One JSON object with everything.
    Json,
}

impl Format {
    /// `--format`'s value: `table`, `csv` or `json`.
    pub fn parse(text: &str) -> Result<Format, String> {
        match text {
            "table" => Ok(Format::Table),
            "csv" => Ok(Format::Csv),
            "json" => Ok(Format::Json),
            other => Err(format!("--format takes table, csv or json, not {other:?}")),
        }
    }
}

/// Writes a chart's SVG to `path`, creating its folder if need be, and says
/// so on `progress`.
pub fn write_chart(path: &Path, svg: &str, progress: &mut dyn Write) -> Result<(), String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(path, svg).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let _ = writeln!(progress, "wrote the chart to {}", path.display());
    Ok(())
}

/// The `main` of a measure command: reads the command line with `parse`;
/// on an error prints it and `usage` and exits with 2; if `help` says the
/// command line asked for help, prints `usage`; otherwise runs `run` with
/// the results to stdout and progress to stderr, and exits with 1 on an
/// error, which it prints.
pub fn command_main<C>(
    usage: &str,
    parse: impl FnOnce(&[String]) -> Result<C, String>,
    help: impl FnOnce(&C) -> bool,
    run: impl FnOnce(&C, &mut dyn Write, &mut dyn Write) -> Result<(), String>,
) -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match parse(&args) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("error: {e}\n\n{usage}");
            return ExitCode::from(2);
        }
    };
    if help(&config) {
        print!("{usage}");
        return ExitCode::SUCCESS;
    }
    match run(&config, &mut std::io::stdout(), &mut std::io::stderr()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The number of logical cores: how many threads can run at the same instant
/// (`std::thread::available_parallelism`, or 1 if it cannot tell).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Runs `f`, telling `progress` what runs (`label… `) and, once it is done,
/// how long it took (`done (0.123 s)`).
pub fn timed<T>(progress: &mut dyn Write, label: &str, f: impl FnOnce() -> T) -> (T, Duration) {
    let _ = write!(progress, "{label}… ");
    let _ = progress.flush();
    let start = Instant::now();
    let value = f();
    let took = start.elapsed();
    let _ = writeln!(progress, "done ({:.3} s)", took.as_secs_f64());
    (value, took)
}

// ANCHOR: round_order
/// The order in which round `round` (counting from 0) runs `ways` ways: one row
/// of a *Williams design*, whose rows balance which way runs right after which
/// (one Latin square for an even number of ways, two for an odd number). Row 0
/// is `0, 1, n-1, 2, n-2, 3, …` for `n` ways; the next row adds 1 to every
/// entry (wrapping round to 0 after `n - 1`), and so on. For an odd `n`, each
/// such row is followed by the same row reversed. Over a full cycle (`n`
/// rounds, or `2n` for an odd `n`), every way runs in every place and right
/// after every other way equally often; from two rounds on, no way runs right
/// after the same way in every round. All of this counts neighbours within a
/// round: the last way of one round and the first of the next are not balanced.
pub fn round_order(ways: usize, round: usize) -> Vec<usize> {
    let n = ways.max(1);
    let (shift, reversed) = if n.is_multiple_of(2) {
        (round % n, false)
    } else {
        (round / 2 % n, round % 2 == 1)
    };
    let mut order: Vec<usize> = (0..ways)
        .map(|k| {
            let first = if k % 2 == 1 {
                k.div_ceil(2)
            } else {
                (n - k / 2) % n
            };
            (first + shift) % n
        })
        .collect();
    if reversed {
        order.reverse();
    }
    order
}
// ANCHOR_END: round_order

/// The median of `times`: half the runs took longer, half less. Unlike the mean,
/// one run slowed down by something else on the machine barely moves it. NaN
/// for no times at all.
pub fn median(times: &[f64]) -> f64 {
    let mut sorted = times.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => sorted[n / 2],
        _ => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// A way of a job: its name, threads and work in flight, and the run itself,
/// which takes the size of the job (requests, a bound, items…) and returns
/// what the job's check looks at.
pub struct Way<'a, T> {
    /// The way's name, as progress lines, errors and tables show it.
    pub name: String,
    /// The OS threads the way runs the job on.
    pub threads: usize,
    /// How many pieces of work it has under way at once.
    pub in_flight: usize,
    /// Runs the job at the size given and returns its result.
    pub run: Box<dyn Fn(u64) -> T + 'a>,
}

impl<'a, T> Way<'a, T> {
    /// A way named `name` that runs `run`.
    pub fn new(
        name: impl Into<String>,
        threads: usize,
        in_flight: usize,
        run: impl Fn(u64) -> T + 'a,
    ) -> Self {
        Way {
            name: name.into(),
            threads,
            in_flight,
            run: Box::new(run),
        }
    }
}

impl<T> std::fmt::Debug for Way<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Way")
            .field("name", &self.name)
            .field("threads", &self.threads)
            .field("in_flight", &self.in_flight)
            .finish_non_exhaustive()
    }
}

/// How a job is timed: its size, the smaller size of the untimed warm-up round,
/// how many timed rounds, and how to check a result for a given size.
pub struct Plan<'a, T> {
    /// The job's label in progress lines and errors, e.g. "CPU".
    pub job: &'a str,
    /// The size every timed round runs the job at.
    pub size: u64,
    /// The size of the untimed warm-up round.
    pub warm_up: u64,
    /// How many timed rounds.
    pub repeat: usize,
    /// Checks a way's result for the size it ran at: `Err` says what is wrong.
    pub check: &'a dyn Fn(u64, T) -> Result<(), String>,
}

impl<T> std::fmt::Debug for Plan<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plan")
            .field("job", &self.job)
            .field("size", &self.size)
            .field("warm_up", &self.warm_up)
            .field("repeat", &self.repeat)
            .finish_non_exhaustive()
    }
}

/// Times each way of `ways`: first one untimed warm-up round at
/// `plan.warm_up`, then `plan.repeat` timed rounds at `plan.size`, each of
/// which runs every way once, in the order [`round_order`] gives for that
/// round. Every result, warm-up included, goes through `plan.check`; the first
/// that fails ends the measurement with an error that names the job and the
/// way. Returns, for each way in the order given, its times in seconds round
/// by round. Every step is a line on `progress` (see [`timed`]).
pub fn time_ways<T>(
    plan: &Plan<'_, T>,
    ways: &[Way<'_, T>],
    progress: &mut dyn Write,
) -> Result<Vec<Vec<f64>>, String> {
    let job = plan.job;
    let (warm_up, _) = timed(progress, &format!("{job}: warm-up round"), || {
        ways.iter().try_for_each(|way| {
            (plan.check)(plan.warm_up, (way.run)(plan.warm_up))
                .map_err(|e| format!("{job}: {} (warm-up): {e}", way.name))
        })
    });
    warm_up?;
    let mut runs = vec![Vec::new(); ways.len()];
    for round in 0..plan.repeat {
        for i in round_order(ways.len(), round) {
            let way = &ways[i];
            let label = format!("{job}, round {}/{}: {}", round + 1, plan.repeat, way.name);
            let (result, took) = timed(progress, &label, || (way.run)(plan.size));
            (plan.check)(plan.size, result).map_err(|e| format!("{job}: {}: {e}", way.name))?;
            runs[i].push(took.as_secs_f64());
        }
    }
    Ok(runs)
}

/// A whole number between `min` and `max` (`_` may group its digits), or an
/// error that names the option: for a command line's `--option N`.
pub fn number(option: &str, text: &str, min: u64, max: u64) -> Result<u64, String> {
    match text.replace('_', "").parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(format!(
            "{option} takes a whole number from {min} to {max}, not {text:?}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::collections::HashMap;

    use super::*;

    #[test]
    fn format_names_its_three_values() {
        assert_eq!(Format::parse("csv"), Ok(Format::Csv));
        assert_eq!(Format::parse("table"), Ok(Format::Table));
        assert_eq!(Format::parse("json"), Ok(Format::Json));
        let e = Format::parse("xml").unwrap_err();
        assert!(
            e.contains("table, csv or json") && e.contains("\"xml\""),
            "{e}"
        );
    }

    #[test]
    fn write_chart_makes_its_folder() {
        let dir = std::env::temp_dir().join(format!("lab-support-chart-{}", std::process::id()));
        let path = dir.join("deeper").join("c.svg");
        let mut progress = Vec::new();
        write_chart(&path, "<svg/>", &mut progress).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "<svg/>");
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(
            String::from_utf8(progress)
                .unwrap()
                .starts_with("wrote the chart to ")
        );
    }

    /// The median is one of the times, or the mean of the middle two: exact
    /// here, so the values can be compared with `==`.
    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[5.0]), 5.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        // One run slowed down by something else barely moves it.
        assert_eq!(median(&[1.0, 1.1, 90.0]), 1.1);
        assert!(median(&[]).is_nan());
    }

    /// `round_order` is a Williams design: every round runs every way once;
    /// over a full cycle every way runs in every place, and right after every
    /// other way, equally often; from two rounds on, no way runs right after
    /// the same way in every round; in the first `n` rounds, each way runs
    /// first once.
    #[test]
    fn round_order_is_a_williams_design() {
        for n in 1..=16usize {
            let cycle = if n.is_multiple_of(2) { n } else { 2 * n };
            let rows: Vec<Vec<usize>> = (0..cycle).map(|r| round_order(n, r)).collect();
            let each = cycle / n;
            let mut places = HashMap::new();
            let mut after = HashMap::new();
            for row in &rows {
                let mut sorted = row.clone();
                sorted.sort_unstable();
                assert_eq!(sorted, (0..n).collect::<Vec<_>>(), "{n} ways: {row:?}");
                for (place, &way) in row.iter().enumerate() {
                    *places.entry((place, way)).or_insert(0) += 1;
                }
                for pair in row.windows(2) {
                    *after.entry((pair[0], pair[1])).or_insert(0) += 1;
                }
            }
            assert_eq!(places.len(), n * n, "{n} ways: every way in every place");
            assert!(places.values().all(|&c| c == each), "{n} ways: {places:?}");
            assert_eq!(
                after.len(),
                n * (n - 1),
                "{n} ways: every way after every other"
            );
            assert!(after.values().all(|&c| c == each), "{n} ways: {after:?}");
            assert_eq!(
                round_order(n, cycle),
                rows[0],
                "{n} ways: the cycle repeats"
            );
            for rounds in 2..=cycle {
                for way in 0..n {
                    let mut before: Vec<Option<usize>> = rows[..rounds]
                        .iter()
                        .map(|row| {
                            let place = row.iter().position(|&w| w == way).unwrap();
                            place.checked_sub(1).map(|p| row[p])
                        })
                        .collect();
                    before.dedup();
                    assert!(
                        before.len() > 1 || before[0].is_none(),
                        "{n} ways, {rounds} rounds: way {way} always runs right after way {:?}",
                        before[0]
                    );
                }
            }
            let mut first: Vec<usize> = rows[..n].iter().map(|row| row[0]).collect();
            first.sort_unstable();
            assert_eq!(first, (0..n).collect::<Vec<_>>(), "{n} ways: first in turn");
        }
    }

    #[test]
    fn number_takes_whole_numbers_in_range_and_names_the_option() {
        assert_eq!(number("--n", "1_000", 1, 10_000), Ok(1_000));
        assert_eq!(number("--n", "1", 1, 1), Ok(1));
        for bad in ["0", "10001", "-1", "x", ""] {
            assert_eq!(
                number("--n", bad, 1, 10_000),
                Err(format!(
                    "--n takes a whole number from 1 to 10000, not {bad:?}"
                ))
            );
        }
    }

    #[test]
    fn timed_says_what_runs_and_how_long_it_took() {
        let mut progress = Vec::new();
        let (value, took) = timed(&mut progress, "job", || 7);
        assert_eq!(value, 7);
        let text = String::from_utf8(progress).unwrap();
        assert_eq!(
            text,
            format!("job… done ({:.3} s)\n", took.as_secs_f64()),
            "{text}"
        );
    }

    /// What [`run_ways`] saw: what [`time_ways`] returned, every run as
    /// (way, size) in the order they ran, and the progress lines.
    struct Outcome {
        times: Result<Vec<Vec<f64>>, String>,
        calls: Vec<(usize, u64)>,
        progress: String,
    }

    /// Runs `ways` ways that record the size each run got, under a plan that
    /// accepts every result but that of way `bad.1` at size `bad.0`.
    fn run_ways(ways: usize, repeat: usize, bad: Option<(u64, usize)>) -> Outcome {
        let calls = RefCell::new(Vec::new());
        let ways: Vec<Way<'_, usize>> = (0..ways)
            .map(|i| {
                let calls = &calls;
                Way::new(format!("way {i}"), 1, 1, move |size| {
                    calls.borrow_mut().push((i, size));
                    i
                })
            })
            .collect();
        let check = |size: u64, result: usize| match bad {
            Some((s, way)) if s == size && way == result => Err("wrong".to_owned()),
            _ => Ok(()),
        };
        let plan = Plan {
            job: "J",
            size: 100,
            warm_up: 10,
            repeat,
            check: &check,
        };
        let mut progress = Vec::new();
        let times = time_ways(&plan, &ways, &mut progress);
        drop(ways);
        Outcome {
            times,
            calls: calls.into_inner(),
            progress: String::from_utf8(progress).unwrap(),
        }
    }

    #[test]
    fn time_ways_warms_up_then_runs_the_rounds_in_round_order() {
        let Outcome {
            times,
            calls,
            progress,
        } = run_ways(3, 2, None);
        let times = times.unwrap();
        assert_eq!(times.len(), 3);
        assert!(times.iter().all(|t| t.len() == 2), "{times:?}");
        let mut expected: Vec<(usize, u64)> = (0..3).map(|i| (i, 10)).collect();
        for round in 0..2 {
            expected.extend(round_order(3, round).into_iter().map(|i| (i, 100)));
        }
        assert_eq!(calls, expected);
        let labels: Vec<&str> = progress
            .lines()
            .map(|l| l.split_once("… done (").unwrap().0)
            .collect();
        let mut want = vec!["J: warm-up round".to_owned()];
        for round in 0..2 {
            for i in round_order(3, round) {
                want.push(format!("J, round {}/2: way {i}", round + 1));
            }
        }
        assert_eq!(labels, want);
    }

    #[test]
    fn time_ways_stops_at_the_first_wrong_result_and_names_it() {
        let warm_up = run_ways(3, 2, Some((10, 1)));
        assert_eq!(warm_up.times, Err("J: way 1 (warm-up): wrong".to_owned()));
        assert_eq!(warm_up.calls, [(0, 10), (1, 10)]);
        let timed = run_ways(3, 2, Some((100, 2)));
        assert_eq!(timed.times, Err("J: way 2: wrong".to_owned()));
    }
}
