//! The measure command, at a tiny size: its options, and the shape of what it
//! prints (never its numbers: no test depends on timing).

use lab_07::measure::{self, Config, Format, parse_args};
use lab_support::watchdog::watchdog;

fn tiny() -> Config {
    Config {
        items: 300,
        rounds: 1,
        capacities: vec![0, 4],
        repeat: 2,
        messages: 200,
        slow: 1,
        ..Config::default()
    }
}

fn run(config: &Config) -> (String, String) {
    let (mut out, mut progress) = (Vec::new(), Vec::new());
    measure::run(config, &mut out, &mut progress).expect("the run succeeds");
    (
        String::from_utf8(out).unwrap(),
        String::from_utf8(progress).unwrap(),
    )
}

#[test]
fn measure_options_and_their_errors() {
    assert_eq!(parse_args::<&str>(&[]).unwrap(), Config::default());
    let c = parse_args(&[
        "--items",
        "1_000",
        "--capacities",
        "0, 2",
        "--format",
        "csv",
    ])
    .unwrap();
    assert_eq!(
        (c.items, c.capacities, c.format),
        (1_000, vec![0, 2], Format::Csv)
    );
    for (args, error) in [
        (&["--items"][..], "--items needs a value"),
        (&["--items", "0"][..], "--items"),
        (&["--format", "xml"][..], "table, csv or json"),
        (&["--capacities", "1,x"][..], "--capacities"),
        (&["--bogus"][..], "unknown option"),
    ] {
        let e = parse_args(args).unwrap_err();
        assert!(e.contains(error), "{args:?}: {e}");
    }
}

#[test]
fn measure_prints_every_way_and_both_channels() {
    watchdog(|| {
        let (table, progress) = run(&tiny());
        for way in ["one thread", "3 stages, capacity 0", "3 stages, capacity 4"] {
            assert!(table.contains(way), "{table}");
        }
        assert!(
            table.contains("bounded(16)") && table.contains("unbounded"),
            "{table}"
        );
        assert!(progress.contains("pipeline, round 2/2"), "{progress}");
        let csv = run(&Config {
            format: Format::Csv,
            ..tiny()
        })
        .0;
        assert_eq!(csv.lines().count(), 4, "a header and three ways:\n{csv}");
        assert!(csv.starts_with("workload,way,threads,seconds,speedup,ideal,"));
        let json = run(&Config {
            format: Format::Json,
            ..tiny()
        })
        .0;
        assert!(json.contains("\"most_queued\""), "{json}");
    });
}

#[test]
fn measure_writes_the_back_pressure_chart() {
    watchdog(|| {
        let dir = std::env::temp_dir().join(format!("lab-07-chart-{}", std::process::id()));
        let svg = dir.join("chart.svg");
        run(&Config {
            svg: Some(svg.clone()),
            ..tiny()
        });
        let text = std::fs::read_to_string(&svg).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(
            text.starts_with("<svg") && text.contains("unbounded"),
            "{text}"
        );
        assert!(!text.contains("<script") && !text.contains("http://fonts"));
    });
}
