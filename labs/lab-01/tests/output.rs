//! The results as a table, CSV, JSON and an SVG chart: their shape, never
//! their numbers.

use lab_01::measure::{Format, Only, Report, Row, SweepReport, Workload};
use lab_01::python::{PythonReport, PythonRow};
use lab_01::{chart, report};
use lab_support::measure::scaling::Timed;
use lab_support::watchdog::watchdog;

use crate::{run_to_string, tiny_config};

fn row(workload: Workload, way: &str, threads: usize, seconds: f64, ideal: f64) -> Row {
    let speedup = 2.0 / seconds;
    Row {
        workload,
        timed: Timed {
            way: way.to_owned(),
            threads,
            seconds,
            speedup,
            ideal,
            efficiency: speedup / ideal,
            runs: vec![seconds; 3],
        },
    }
}

/// A made-up sweep over 1, 2 and 4 workers on a 2-core machine.
fn sweep_report() -> SweepReport {
    let mut rows = vec![row(Workload::Io, "sequential", 1, 2.0, 1.0)];
    for way in ["std threads", "rayon"] {
        for w in [1, 2, 4] {
            rows.push(row(Workload::Io, way, w, 2.0 / w as f64, w as f64));
        }
    }
    rows.push(row(Workload::Cpu, "sequential", 1, 2.0, 1.0));
    for way in ["std threads", "rayon"] {
        for w in [1, 2, 4] {
            let ideal = w.min(2) as f64;
            rows.push(row(Workload::Cpu, way, w, 2.1 / ideal, ideal));
        }
    }
    SweepReport {
        cores: 2,
        workers: vec![1, 2, 4],
        repeat: 3,
        requests: 100,
        latency_ms: 20,
        primes_below: 2_000_000,
        chunks: 64,
        rows,
    }
}

#[test]
fn output_table_names_the_machine_the_sizes_and_every_way() {
    watchdog(|| {
        let text = run_to_string(&tiny_config());
        let cores = lab_support::measure::cores();
        assert!(
            text.starts_with(&format!("machine: {cores} logical cores")),
            "{text}"
        );
        assert!(text.contains("I/O job: 4 requests"), "{text}");
        assert!(
            text.contains("CPU job: count the primes below 10000"),
            "{text}"
        );
        let head = text
            .lines()
            .find(|l| l.starts_with("workload"))
            .expect("a header line");
        for column in ["way", "threads", "time", "speed-up", "ideal", "efficiency"] {
            assert!(head.contains(column), "no {column} column: {head}");
        }
        for workload in ["I/O", "CPU"] {
            for way in [
                "sequential",
                "std threads",
                "tokio tasks (1 thread)",
                "rayon",
                "tokio (multi-thread)",
            ] {
                let found = text
                    .lines()
                    .any(|l| l.starts_with(workload) && l.contains(way));
                assert!(found, "no {workload} row for {way}:\n{text}");
            }
        }
        assert!(
            text.contains("every CPU way counted 1229 primes (known: 1229)"),
            "{text}"
        );
        for line in [
            "times: median of 3 runs; each round runs every way once, in the order of one row of a Williams design",
            "ideal is a model, not a hard upper bound",
            "fixed overhead of the threads way, empty job",
            "per-request overhead of the I/O job",
            "effective serial fraction (Karp–Flatt, from the best CPU speed-up, ",
            "Amdahl's bound",
        ] {
            assert!(text.contains(line), "no {line:?} in:\n{text}");
        }
        assert!(!text.contains("serial part"), "{text}");
        assert!(!text.contains("connection"), "{text}");
    });
}

#[test]
fn output_only_one_job() {
    watchdog(|| {
        let text = run_to_string(&lab_01::measure::Config {
            only: Only::Cpu,
            ..tiny_config()
        });
        assert!(!text.contains("I/O"), "{text}");
        assert!(text.contains("\nCPU "), "{text}");
        let text = run_to_string(&lab_01::measure::Config {
            only: Only::Io,
            ..tiny_config()
        });
        assert!(!text.contains("CPU"), "{text}");
        assert!(text.contains("\nI/O "), "{text}");
    });
}

#[test]
fn output_csv_has_a_header_and_one_parseable_line_per_way() {
    watchdog(|| {
        let text = run_to_string(&lab_01::measure::Config {
            format: Format::Csv,
            ..tiny_config()
        });
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        assert_eq!(
            header,
            [
                "workload",
                "way",
                "threads",
                "seconds",
                "speedup",
                "ideal",
                "efficiency",
                "cores"
            ]
        );
        let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
        assert_eq!(rows.len(), 10, "five ways of each job:\n{text}");
        for row in &rows {
            assert_eq!(row.len(), header.len(), "{row:?}");
            assert!(matches!(row[0], "io" | "cpu"), "{row:?}");
            for field in &row[2..] {
                field
                    .parse::<f64>()
                    .unwrap_or_else(|_| panic!("{field:?} in {row:?} is not a number"));
            }
        }
        // The speed-up of the sequential way is 1, whatever the times.
        assert_eq!(rows[0][1], "sequential");
        assert_eq!(rows[0][4].parse::<f64>().unwrap(), 1.0);
    });
}

#[test]
fn output_json_is_valid_and_complete() {
    watchdog(|| {
        let text = run_to_string(&lab_01::measure::Config {
            format: Format::Json,
            ..tiny_config()
        });
        let value: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(value["cores"], lab_support::measure::cores());
        assert_eq!(value["requests"], 4);
        assert_eq!(value["repeat"], 3);
        assert_eq!(value["primes"], 1229);
        let rows = value["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 10);
        assert_eq!(rows[0]["workload"], "io");
        assert!(
            rows.iter()
                .all(|r| r["seconds"].is_f64() && r["way"].is_string())
        );
        assert!(
            rows.iter()
                .all(|r| r["runs"].as_array().is_some_and(|runs| runs.len() == 3)),
            "three timed runs of each way"
        );
        assert!(value["threads_overhead"]["seconds"].is_f64());
        assert!(value["karp_flatt"]["speedup"].is_f64());
        assert!(value["karp_flatt"]["workers"].is_u64());
    });
}

#[test]
fn output_json_of_a_made_up_report_round_trips() {
    let report = Report {
        cores: 2,
        workers: 2,
        repeat: 1,
        requests: 1,
        latency_ms: 0,
        primes_below: 10,
        chunks: 1,
        primes: Some(4),
        known_primes: Some(4),
        rows: vec![row(Workload::Cpu, "sequential", 1, 2.0, 1.0)],
        threads_overhead: None,
        karp_flatt: None,
    };
    let value: serde_json::Value =
        serde_json::from_str(&lab_support::measure::text::json(&report)).unwrap();
    assert_eq!(value["rows"][0]["way"], "sequential");
    assert_eq!(value["karp_flatt"], serde_json::Value::Null);
}

#[test]
fn output_sweep_table_has_a_column_per_worker_count_and_the_ideal() {
    let text = report::sweep_table(&sweep_report());
    assert!(
        text.contains("speed-up over sequential, by number of workers"),
        "{text}"
    );
    assert!(text.contains("times: median of 3 runs"), "{text}");
    let head = text.lines().find(|l| l.starts_with("workload")).unwrap();
    assert_eq!(
        head.split_whitespace().collect::<Vec<_>>(),
        ["workload", "way", "1", "2", "4"]
    );
    let line = |start: &str| {
        text.lines()
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("no line {start:?}:\n{text}"))
    };
    assert_eq!(
        line("CPU       ideal")
            .split_whitespace()
            .collect::<Vec<_>>(),
        ["CPU", "ideal", "1.00x", "2.00x", "2.00x"]
    );
    assert_eq!(
        line("I/O       ideal")
            .split_whitespace()
            .collect::<Vec<_>>(),
        ["I/O", "ideal", "1.00x", "2.00x", "4.00x"]
    );
    assert_eq!(
        line("I/O       rayon")
            .split_whitespace()
            .collect::<Vec<_>>(),
        ["I/O", "rayon", "1.00x", "2.00x", "4.00x"]
    );
    // Karp–Flatt's e on W = the ideal: 2.1 / 2 - 1 on two cores; none on one.
    assert!(
        text.contains("effective serial fraction of the CPU job"),
        "{text}"
    );
    assert_eq!(
        line("std threads").split_whitespace().collect::<Vec<_>>(),
        ["std", "threads", "n/a", "5.0%", "5.0%"]
    );
}

#[test]
fn output_svg_is_a_self_contained_chart() {
    let svg = chart::svg(&sweep_report());
    assert!(
        svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{svg}"
    );
    assert!(svg.trim_end().ends_with("</svg>"));
    assert!(
        svg.contains("2 logical cores"),
        "the title names the core count"
    );
    assert_eq!(
        svg.matches("class=\"series\"").count(),
        4,
        "one polyline per series"
    );
    assert_eq!(
        svg.matches("class=\"ideal\"").count(),
        2,
        "an ideal line per job"
    );
    assert_eq!(svg.matches("http").count(), 1, "no reference but the xmlns");
    for banned in ["<script", "@import", "url(", "href", "<image", "font-face"] {
        assert!(!svg.contains(banned), "the SVG must not contain {banned}");
    }
    // Well-formed enough: every element that opens is closed or self-closing.
    let opened = svg.matches('<').count();
    assert_eq!(opened, svg.matches('>').count());
    let open_tags = svg.matches("<text").count();
    assert_eq!(open_tags, svg.matches("</text>").count());
}

#[test]
fn output_a_real_sweep_writes_its_chart() {
    watchdog(|| {
        let dir = std::env::temp_dir().join(format!("lab-01-svg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("speedup.svg");
        let config = lab_01::measure::Config {
            sweep: Some(vec![1, 2]),
            svg: Some(path.clone()),
            ..tiny_config()
        };
        let text = run_to_string(&config);
        assert!(text.contains("CPU       rayon"), "{text}");
        let svg = std::fs::read_to_string(&path).unwrap();
        assert_eq!(svg.matches("class=\"series\"").count(), 4);
        let _ = std::fs::remove_dir_all(&dir);
    });
}

/// With `--repeat 1` every way ran once: its spread is shown as "–", not as
/// 0%, which would read as "no noise".
#[test]
fn output_python_table_shows_no_spread_for_a_single_run() {
    let once = |mut r: Row| {
        r.timed.runs.truncate(1);
        r
    };
    let rows: Vec<Row> = [Workload::Io, Workload::Cpu]
        .into_iter()
        .flat_map(|w| {
            [
                "sequential",
                "std threads",
                "tokio tasks (1 thread)",
                "rayon",
            ]
            .map(|way| once(row(w, way, 1, 1.0, 1.0)))
        })
        .collect();
    let rust = Report {
        cores: 2,
        workers: 2,
        repeat: 1,
        requests: 4,
        latency_ms: 1,
        primes_below: 10_000,
        chunks: 8,
        primes: Some(1_229),
        known_primes: Some(1_229),
        rows,
        threads_overhead: None,
        karp_flatt: None,
    };
    let python_rows = |result| {
        [
            "sequential",
            "threading",
            "asyncio (1 thread)",
            "multiprocessing",
        ]
        .map(|way| PythonRow {
            way: way.to_owned(),
            seconds: 1.0,
            runs: vec![1.0],
            result,
        })
        .to_vec()
    };
    let python = PythonReport {
        version: "3.12.3".to_owned(),
        implementation: "CPython".to_owned(),
        gil: "yes".to_owned(),
        repeat: 1,
        io_expected: 14,
        io: python_rows(14),
        primes_below: 1_000,
        primes_expected: 168,
        cpu: python_rows(168),
    };
    let text = report::python_table(&rust, &python);
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("I/O  ") || l.starts_with("CPU  "))
        .collect();
    assert_eq!(rows.len(), 8, "{text}");
    for line in rows {
        assert_eq!(
            line.matches('–').count(),
            2,
            "no spread for one run: {line}"
        );
        assert!(!line.contains('%'), "{line}");
    }
    assert!(text.contains("ran only once"), "{text}");
}
