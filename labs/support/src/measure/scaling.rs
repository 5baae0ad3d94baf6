//! What a measure command works out from its times: each way's speed-up
//! against the first (sequential) way and its share of the ideal
//! ([`speedup`], [`against_first`]), Amdahl's bound ([`amdahl_bound`]) and the
//! serial fraction worked back from a speed-up ([`karp_flatt`]), and the
//! worker counts of a sweep (`--sweep 1,2,4`, [`worker_counts`]).

use std::io::Write;
use std::time::Duration;

use serde::Serialize;

use super::{Plan, Way, median, number, time_ways};

// ANCHOR: speedup
/// How many times faster than the sequential run a way ran (its speed-up), and
/// what share of its ideal speed-up that is (its efficiency).
pub fn speedup(sequential: Duration, time: Duration, ideal: f64) -> (f64, f64) {
    let speedup = sequential.as_secs_f64() / time.as_secs_f64();
    let efficiency = speedup / ideal;
    (speedup, efficiency)
}
// ANCHOR_END: speedup

// ANCHOR: amdahl_bound
/// Amdahl's law: the speed-up `workers` workers can reach at most when a
/// fraction `serial` of the sequential time cannot be shared out.
pub fn amdahl_bound(serial: f64, workers: usize) -> f64 {
    1.0 / (serial + (1.0 - serial) / workers as f64)
}
// ANCHOR_END: amdahl_bound

// ANCHOR: karp_flatt
/// The Karp–Flatt metric: the serial fraction `e` that Amdahl's law needs to
/// explain a speed-up `speedup` measured on `workers` workers, worked back from
/// `1/S = e + (1 - e)/W`: `e = (1/S - 1/W) / (1 - 1/W)`. It counts everything
/// that kept the speed-up below `W` as serial: the truly serial part, the
/// parallel version's own overhead, an uneven share of the work, other
/// programs on the machine. `None` for one worker, whose speed-up is 1 whatever
/// `e` is; below 0 when the speed-up is above `W`, which Amdahl's model does
/// not explain.
pub fn karp_flatt(speedup: f64, workers: usize) -> Option<f64> {
    if workers < 2 {
        return None;
    }
    let w = workers as f64;
    Some((1.0 / speedup - 1.0 / w) / (1.0 - 1.0 / w))
}
// ANCHOR_END: karp_flatt

/// A sweep's worker counts, `1,2,4` (each from 1 to 1,024), for the option
/// `option`.
pub fn worker_counts(option: &str, list: &str) -> Result<Vec<usize>, String> {
    list.split(',')
        .map(|w| number(option, w.trim(), 1, 1_024).map(|n| n as usize))
        .collect()
}

/// One way of a job, timed against the job's first way.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timed {
    /// The way's name.
    pub way: String,
    /// The OS threads it ran on.
    pub threads: usize,
    /// The median of `runs`, in seconds.
    pub seconds: f64,
    /// The first way's median / this median.
    pub speedup: f64,
    /// The best speed-up this way could reach.
    pub ideal: f64,
    /// Speed-up / ideal.
    pub efficiency: f64,
    /// Every timed run, in seconds, round by round.
    pub runs: Vec<f64>,
}

/// Times `ways` with [`time_ways`] (a warm-up round, then `plan.repeat`
/// rounds, every result checked) and returns one [`Timed`] per way, in the
/// order given: its median and, against the first way's median (the
/// sequential way), its speed-up and, with `ideal(way)`, its efficiency.
pub fn against_first<T>(
    plan: &Plan<'_, T>,
    ways: &[Way<'_, T>],
    ideal: impl Fn(&Way<'_, T>) -> f64,
    progress: &mut dyn Write,
) -> Result<Vec<Timed>, String> {
    let runs = time_ways(plan, ways, progress)?;
    let first = runs.first().map_or(f64::NAN, |r| median(r));
    Ok(ways
        .iter()
        .zip(runs)
        .map(|(way, runs)| {
            let seconds = median(&runs);
            let ideal = ideal(way);
            let (speedup, efficiency) = speedup(
                Duration::from_secs_f64(first),
                Duration::from_secs_f64(seconds),
                ideal,
            );
            Timed {
                way: way.name.clone(),
                threads: way.threads,
                seconds,
                speedup,
                ideal,
                efficiency,
                runs,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amdahl_and_karp_flatt_undo_each_other() {
        for e in [0.0, 0.05, 0.3, 1.0] {
            for w in [2, 4, 16] {
                let s = amdahl_bound(e, w);
                let back = karp_flatt(s, w).unwrap();
                assert!((back - e).abs() < 1e-12, "e {e}, w {w}: {back}");
            }
        }
        assert_eq!(karp_flatt(1.0, 1), None);
        assert_eq!(amdahl_bound(0.0, 8), 8.0);
    }

    #[test]
    fn worker_counts_reads_a_list_and_names_the_option() {
        assert_eq!(worker_counts("--sweep", "1, 2,4"), Ok(vec![1, 2, 4]));
        let e = worker_counts("--sweep", "1,0").unwrap_err();
        assert!(e.starts_with("--sweep takes a whole number"), "{e}");
    }

    #[test]
    fn against_first_divides_by_the_first_ways_median() {
        let ways = vec![
            Way::new("slow", 1, 1, |_| {
                std::hint::black_box((0..10_000u64).sum::<u64>());
            }),
            Way::new("fast", 2, 2, |_| {}),
        ];
        let check = |_: u64, (): ()| Ok(());
        let plan = Plan {
            job: "J",
            size: 1,
            warm_up: 1,
            repeat: 3,
            check: &check,
        };
        let timed = against_first(&plan, &ways, |w| w.threads as f64, &mut Vec::new()).unwrap();
        assert_eq!(timed[0].speedup, 1.0);
        assert_eq!(timed[1].ideal, 2.0);
        assert_eq!(timed[1].speedup, timed[0].seconds / timed[1].seconds);
        assert_eq!(timed[1].efficiency, timed[1].speedup / 2.0);
        assert!(timed.iter().all(|t| t.runs.len() == 3));
    }
}
