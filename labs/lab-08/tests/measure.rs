//! The measure command at a tiny size: its options, and the shape of what it
//! prints (never its numbers: no test depends on timing).

use lab_08::measure::{self, Config, Format, Part, parse_args};
use lab_support::measure::CSV_COLUMNS;
use lab_support::watchdog::watchdog;

fn tiny() -> Config {
    Config {
        n: 2_000,
        workers: 2,
        repeat: 1,
        scale: 0.001,
        child_exe: Some(env!("CARGO_BIN_EXE_lab-08").into()),
        ..Config::default()
    }
}

fn run(config: Config) -> (String, String) {
    watchdog(move || {
        let (mut out, mut progress) = (Vec::new(), Vec::new());
        measure::run(&config, &mut out, &mut progress).expect("the run succeeds");
        (
            String::from_utf8(out).unwrap(),
            String::from_utf8(progress).unwrap(),
        )
    })
}

/// Every part but your exercises, whose code may not be done yet: their
/// own tests say so.
fn parts() -> Vec<Part> {
    Part::ALL
        .into_iter()
        .filter(|&p| p != Part::Exercises || env!("LAB_VARIANT") != "learner")
        .collect()
}

#[test]
fn measure_options_and_their_errors() {
    assert_eq!(parse_args::<&str>(&[]).unwrap(), Config::default());
    let c = parse_args(&[
        "--n", "1_000", "--sweep", "1, 2", "--format", "csv", "--only", "grain",
    ])
    .unwrap();
    assert_eq!(
        (c.n, c.sweep, c.format, c.only),
        (1_000, Some(vec![1, 2]), Format::Csv, Some(Part::Grain))
    );
    for (args, error) in [
        (&["--n"][..], "--n needs a value"),
        (&["--n", "0"][..], "--n takes a whole number"),
        (&["--format", "xml"][..], "table, csv or json"),
        (&["--sweep", "1,x"][..], "--sweep"),
        (&["--only", "all"][..], "--only takes kernel"),
        (&["--svg", "a.svg"][..], "give --sweep too"),
        (&["--scale", "0"][..], "--scale"),
        (&["--bogus"][..], "unknown option"),
    ] {
        let e = parse_args(args).unwrap_err();
        assert!(e.contains(error), "{args:?}: {e}");
    }
}

#[test]
fn measure_every_part_prints_its_table() {
    for part in parts() {
        let (out, progress) = run(Config {
            only: Some(part),
            ..tiny()
        });
        let title = match part {
            Part::Kernel => "The kernel: Collatz steps of 1 to 2000",
            Part::Exercises => "Exercise 8.2: your merge_sort against sort",
            Part::Stealing => "Work stealing: a skewed job",
            Part::Grain => "Grain size:",
            Part::Amdahl => "Amdahl's law:",
            Part::Pitfalls => "Pitfall: a Mutex taken for every item",
            Part::Start => "Starting: what a thread and a process",
        };
        assert!(out.contains(title), "{part:?}:\n{out}");
        assert!(out.starts_with("lab-08 on "), "{out}");
        assert!(progress.contains("done ("), "{progress}");
    }
}

#[test]
fn measure_csv_has_the_shared_columns_and_rayon_in_its_rayon_ways() {
    let (out, _) = run(Config {
        only: Some(Part::Kernel),
        format: Format::Csv,
        ..tiny()
    });
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some(CSV_COLUMNS.join(",").as_str()));
    let ways: Vec<&str> = lines.map(|l| l.split(',').nth(1).unwrap()).collect();
    assert_eq!(ways.len(), 4, "{out}");
    assert_eq!(ways[0], "sequential");
    assert!(ways.iter().any(|w| w.contains("rayon")), "{ways:?}");
}

#[test]
fn measure_json_parses() {
    let (out, _) = run(Config {
        only: Some(Part::Amdahl),
        format: Format::Json,
        ..tiny()
    });
    assert!(
        out.trim_start().starts_with('{') && out.contains("\"serial_share\""),
        "{out}"
    );
}

#[test]
fn measure_sweep_writes_its_chart_and_trace_its_timeline() {
    let dir = std::env::temp_dir().join(format!("lab-08-measure-{}", std::process::id()));
    let (svg, trace) = (dir.join("speedup.svg"), dir.join("trace.svg"));
    let (out, _) = run(Config {
        only: Some(Part::Kernel),
        sweep: Some(vec![1, 2]),
        svg: Some(svg.clone()),
        trace: Some(trace.clone()),
        ..tiny()
    });
    assert!(
        out.contains("rayon par_iter (1)") && out.contains("rayon par_iter (2)"),
        "{out}"
    );
    let chart = std::fs::read_to_string(&svg).unwrap();
    assert!(
        chart.contains("rayon par_iter") && chart.contains("processes"),
        "{chart}"
    );
    let timeline = std::fs::read_to_string(&trace).unwrap();
    assert!(timeline.contains("rayon::join on 2 workers"), "{timeline}");
    std::fs::remove_dir_all(&dir).unwrap();
}
