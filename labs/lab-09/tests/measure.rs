//! The measure command at a tiny size: its options and errors, and the shape
//! of what it prints (never its numbers: no test depends on timing).

use std::process::Command;

use lab_09::measure::{self, Config, Format, Part, SERVER_COLUMNS, TASK_COLUMNS, parse_args};
use lab_support::watchdog::watchdog;

const EXE: &str = env!("CARGO_BIN_EXE_lab-09");

fn run(config: Config) -> String {
    watchdog(move || {
        let (mut out, mut progress) = (Vec::new(), Vec::new());
        measure::run(&config, &mut out, &mut progress).expect("the run succeeds");
        String::from_utf8(out).unwrap()
    })
}

/// Tiny: ten jobs of each way, each waiting 1 ms, one run.
fn tiny_tasks() -> Config {
    Config {
        part: Part::TasksVsThreads,
        task_counts: vec![10],
        thread_counts: vec![10],
        wait_ms: 1,
        repeat: 1,
        format: Format::Csv,
        child_exe: Some(EXE.into()),
        ..Config::default()
    }
}

#[test]
fn measure_options_and_their_errors() {
    let c = parse_args::<&str>(&[]).unwrap();
    assert_eq!(c, Config::default());
    assert_eq!(c.part, Part::Both);
    let c = parse_args(&[
        "tasks-vs-threads",
        "--counts",
        "10, 1_000",
        "--wait-ms",
        "5",
    ])
    .unwrap();
    assert_eq!(
        (c.part, c.task_counts, c.thread_counts, c.wait_ms),
        (Part::TasksVsThreads, vec![10, 1000], vec![10, 1000], 5)
    );
    let c = parse_args(&["server", "--backlog", "128", "--format", "text"]).unwrap();
    assert_eq!(
        (c.part, c.backlog, c.format),
        (Part::Server, 128, Format::Table)
    );
    for (args, error) in [
        (
            &["tasks-vs-threads", "--counts", "10,0"][..],
            "--counts takes a whole number from 1",
        ),
        (
            &["tasks-vs-threads", "--bogus"][..],
            "unknown option \"--bogus\"",
        ),
        (
            &["tasks-vs-threads", "--clients", "3"][..],
            "--clients is an option of server",
        ),
        (
            &["server", "--counts", "3"][..],
            "--counts is an option of tasks-vs-threads",
        ),
        (
            &["server", "--format", "xml"][..],
            "table, text, csv or json",
        ),
        (&["--format", "csv"][..], "needs a subcommand"),
        (&["servers"][..], "unknown subcommand \"servers\""),
        (&["server", "--wait-ms"][..], "--wait-ms needs a value"),
    ] {
        let e = parse_args(args).unwrap_err();
        assert!(e.contains(error), "{args:?}: {e}");
    }
}

/// The CSV's header, then one row per way and count: `way` names a task or
/// a thread, `count` is a plain integer, `seconds` a number, `bytes` an
/// integer.
#[test]
fn measure_tasks_vs_threads_csv_has_its_columns_and_a_row_per_way_and_count() {
    let out = run(tiny_tasks());
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some(TASK_COLUMNS.join(",").as_str()));
    assert!(
        TASK_COLUMNS
            .join(",")
            .starts_with("way,count,seconds,bytes,")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 2, "{out}");
    for (row, word) in rows.iter().zip(["task", "thread"]) {
        assert_eq!(row.len(), TASK_COLUMNS.len(), "{row:?}");
        assert!(row[0].contains(word), "{row:?}");
        assert_eq!(row[1], "10");
        assert!(row[2].parse::<f64>().is_ok(), "{row:?}");
        assert!(row[3].parse::<u64>().is_ok(), "{row:?}");
    }
    // tokio::spawn allocates the task: at least one heap block per task.
    let allocations: f64 = rows[0][9].parse().unwrap();
    assert!(allocations >= 1.0, "{:?}", rows[0]);
}

#[test]
fn measure_tasks_vs_threads_table_json_and_chart() {
    let chart = std::env::temp_dir().join(format!("lab-09-chart-{}.svg", std::process::id()));
    let table = run(Config {
        format: Format::Table,
        svg: Some(chart.clone()),
        ..tiny_tasks()
    });
    assert!(
        table.starts_with("Tasks against threads: jobs that each wait 1 ms"),
        "{table}"
    );
    assert!(table.contains("std::mem::size_of_val"), "{table}");
    let svg = std::fs::read_to_string(&chart).unwrap();
    std::fs::remove_file(&chart).unwrap();
    assert!(
        svg.starts_with("<svg") && svg.contains("tokio task"),
        "{svg}"
    );
    let json = run(Config {
        format: Format::Json,
        ..tiny_tasks()
    });
    assert!(json.contains("\"future_bytes\""), "{json}");
}

/// The lab's own binary, as a reader runs it: the same CSV, and a bad
/// count gets a one-line error.
#[test]
fn measure_tasks_vs_threads_from_the_command_line() {
    watchdog(|| {
        let out = Command::new(EXE)
            .args([
                "tasks-vs-threads",
                "--counts",
                "10",
                "--wait-ms",
                "1",
                "--repeat",
                "1",
            ])
            .args(["--format", "csv"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(stdout.starts_with("way,count,seconds,bytes,"), "{stdout}");
        assert_eq!(stdout.lines().count(), 3, "{stdout}");

        let out = Command::new(EXE)
            .args(["tasks-vs-threads", "--counts", "0"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr
                .lines()
                .next()
                .unwrap()
                .starts_with("error: --counts takes a whole number"),
            "{stderr}"
        );
    });
}

/// More threads than the machine allows is refused before anything starts.
#[test]
fn measure_too_many_threads_is_refused() {
    if lab_09::tasks_threads::thread_limit().is_none() {
        return; // not Linux: nothing to check against
    }
    let config = Config {
        thread_counts: vec![1_000_000],
        ..tiny_tasks()
    };
    let e = measure::run(&config, &mut Vec::new(), &mut Vec::new()).unwrap_err();
    assert!(
        e.contains("1000000 threads is more than this machine"),
        "{e}"
    );
}

/// Each thread std starts maps at least its stack and the guard page under
/// it; the measured count is what the thread limit divides by.
#[test]
fn measure_a_thread_maps_at_least_its_stack_and_guard_page() {
    watchdog(|| {
        let Some((now, per)) = lab_09::tasks_threads::maps_per_thread() else {
            return; // not Linux: no /proc/self/maps
        };
        assert!(now > 0);
        assert!(per >= 2.0, "{per} areas per thread");
    });
}

/// Three clients against each server, on real sockets: the CSV's header and
/// one row per server.
#[test]
fn measure_server_csv_has_a_row_per_server() {
    let out = run(Config {
        part: Part::Server,
        clients: 3,
        wait_ms: 0,
        backlog: 16,
        format: Format::Csv,
        ..Config::default()
    });
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some(SERVER_COLUMNS.join(",").as_str()));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 2, "{out}");
    assert!(
        rows[0].starts_with("tokio: a task per connection,3,16,"),
        "{out}"
    );
    assert!(
        rows[1].starts_with("std: a thread per connection,3,16,"),
        "{out}"
    );
}
