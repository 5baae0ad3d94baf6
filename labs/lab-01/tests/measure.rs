//! The arithmetic of the measurement, on made-up numbers: the Karp–Flatt
//! serial fraction and the bounds it implies, and how the table words them.
//! Nothing is timed here. (The median and the order of the rounds are the
//! shared harness's, `lab_support::measure`, and tested there.)

use lab_01::measure::{Report, Row, SerialFraction, Workload, amdahl_bound, karp_flatt};
use lab_01::report;
use lab_support::measure::scaling::Timed;

#[track_caller]
fn close(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() < 1e-9,
        "expected {expected}, got {actual}"
    );
}

#[test]
fn measure_karp_flatt_known_values() {
    close(karp_flatt(2.0, 2).unwrap(), 0.0);
    close(karp_flatt(1.0, 4).unwrap(), 1.0);
    close(karp_flatt(1.0 / 0.19, 10).unwrap(), 0.1);
    close(karp_flatt(1.5, 2).unwrap(), 1.0 / 3.0);
    // Faster than W: below 0, outside Amdahl's model.
    assert!(karp_flatt(2.5, 2).unwrap() < 0.0);
    assert_eq!(karp_flatt(1.0, 1), None, "one worker says nothing");
}

#[test]
fn measure_karp_flatt_inverts_amdahl() {
    for e in [0.0, 0.01, 0.1, 0.5, 1.0] {
        for w in [2, 3, 8, 64] {
            close(karp_flatt(amdahl_bound(e, w), w).unwrap(), e);
        }
    }
}

fn cpu_row(way: &str, threads: usize, seconds: f64, ideal: f64) -> Row {
    let speedup = 2.0 / seconds;
    Row {
        workload: Workload::Cpu,
        timed: Timed {
            way: way.to_owned(),
            threads,
            seconds,
            speedup,
            ideal,
            efficiency: speedup / ideal,
            runs: vec![seconds],
        },
    }
}

#[test]
fn measure_serial_fraction_takes_the_best_way_with_the_most_cores() {
    let rows = [
        cpu_row("sequential", 1, 2.0, 1.0),
        cpu_row("std threads", 2, 1.25, 2.0),
        // Faster than the others, but with one core: not the one to take.
        cpu_row("tokio tasks (1 thread)", 1, 1.0, 1.0),
        cpu_row("rayon", 2, 1.0 / 0.6, 2.0),
        cpu_row("tokio (multi-thread)", 2, 1.5, 2.0),
    ];
    let kf = SerialFraction::from_rows(&rows).unwrap();
    assert_eq!(kf.way, "std threads");
    assert_eq!(kf.workers, 2);
    close(kf.speedup, 1.6);
    let e = kf.fraction.unwrap();
    close(e, 0.25);
    close(kf.bound.unwrap(), 1.6);
    close(kf.bound_unlimited.unwrap(), 4.0);

    let one_worker = [
        cpu_row("sequential", 1, 2.0, 1.0),
        cpu_row("rayon", 1, 2.0, 1.0),
    ];
    let kf = SerialFraction::from_rows(&one_worker).unwrap();
    assert_eq!((kf.fraction, kf.bound_unlimited), (None, None));
    assert_eq!(SerialFraction::from_rows(&one_worker[..1]), None);
}

/// The table always words the serial fraction in two lines that start the
/// same way, whatever was measured: the book's captured output keeps its
/// shape on any machine.
#[test]
fn measure_the_table_words_every_case_of_the_serial_fraction() {
    let cases = [
        (
            1.25,
            2.0,
            "e = 25.0%",
            "about 4.0x on unlimited cores (1/e, ",
        ),
        // 1/e = 149.25...: two figures are all that such a number means.
        (
            1.0067,
            2.0,
            "e = 0.7%",
            "about 150x on unlimited cores (1/e, ",
        ),
        (0.95, 2.0, "e = -5.0%", "no bound on unlimited cores"),
        (2.0, 1.0, "not defined", "more than one worker"),
    ];
    for (seconds, ideal, says, bound) in cases {
        let rows = vec![
            cpu_row("sequential", 1, 2.0, 1.0),
            cpu_row("rayon", ideal as usize, seconds, ideal),
        ];
        let report = Report {
            cores: 2,
            workers: 2,
            repeat: 3,
            requests: 100,
            latency_ms: 10,
            primes_below: 1_000,
            chunks: 8,
            primes: Some(168),
            known_primes: Some(168),
            karp_flatt: SerialFraction::from_rows(&rows),
            threads_overhead: None,
            rows,
        };
        let text = report::table(&report);
        let line = |start: &str| {
            let found: Vec<&str> = text.lines().filter(|l| l.starts_with(start)).collect();
            assert_eq!(found.len(), 1, "one line {start:?} in:\n{text}");
            found[0].to_owned()
        };
        let fraction = line("effective serial fraction (Karp–Flatt, ");
        assert!(fraction.contains(says), "{fraction}");
        let amdahl = line("Amdahl's bound");
        assert!(amdahl.contains(bound), "{amdahl}");
    }
}
