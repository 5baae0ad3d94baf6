//! The book shows real runs of the measure command, captured by `cargo xtask
//! capture` (see xtask/src/book.rs). Their numbers differ from run to run and
//! machine to machine, so these tests check that a tiny run today still prints
//! the same lines, numbers masked (`capture::shape`).

use lab_01::measure::{Config, Format};
use lab_support::capture;
use lab_support::watchdog::watchdog;

use crate::{run_to_string, tiny_config};

fn shown(book_path: &str) -> String {
    let path = capture::book_file(env!("CARGO_MANIFEST_DIR"), book_path);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run `cargo xtask capture` to make it",
                path.display()
            )
        })
        .replace("\r\n", "\n")
}

/// The lines whose words, not only numbers, depend on what was measured: the
/// effective serial fraction may be below 0 or not defined (one core), and
/// names the fastest way. Both start the same way in every case (the test
/// `measure_the_table_words_every_case_of_the_serial_fraction` checks it), so
/// only their starts are compared.
const MEASURED_WORDS: &[&str] = &["effective serial fraction (Karp–Flatt, ", "Amdahl's bound"];

/// The sweep's rows of Karp–Flatt's e: each cell is a percentage, which may be
/// below 0, or `n/a` where W is 1 (every cell, on a one-core machine), so
/// their cells differ between runs in more than digits.
const E_ROWS: &[&str] = &["std threads ", "rayon "];

fn stable_shape(text: &str) -> String {
    let kept: String = text
        .lines()
        .map(|line| {
            if let Some(start) = MEASURED_WORDS.iter().find(|w| line.starts_with(*w)) {
                format!("{start}…\n")
            } else if let Some(way) = E_ROWS.iter().find(|w| line.starts_with(*w)) {
                let cells = line[way.len()..].split_whitespace().map(|_| " e");
                format!("{}{}\n", way.trim_end(), cells.collect::<String>())
            } else {
                format!("{line}\n")
            }
        })
        .collect();
    capture::shape(&kept)
}

#[track_caller]
fn assert_same_shape(book_path: &str, shown: &str, now: &str) {
    assert_eq!(
        stable_shape(shown),
        stable_shape(now),
        "book/{book_path} no longer has the shape of what the command prints; \
         run `cargo xtask capture` and check the chapter's prose still fits"
    );
}

fn check(book_path: &'static str, config: Config) {
    watchdog(move || {
        let now = run_to_string(&config);
        assert_same_shape(book_path, &shown(book_path), &now);
    });
}

#[test]
fn capture_measure_table_has_the_shape_the_book_shows() {
    check(
        "01-concurrency-vs-parallelism/captured/measure.txt",
        tiny_config(),
    );
}

#[test]
fn capture_measure_csv_has_the_shape_the_book_shows() {
    let config = Config {
        format: Format::Csv,
        ..tiny_config()
    };
    check("01-concurrency-vs-parallelism/captured/measure.csv", config);
}

#[test]
fn capture_sweep_has_the_shape_the_book_shows() {
    let config = Config {
        sweep: Some(vec![1, 2, 4]),
        ..tiny_config()
    };
    check("01-concurrency-vs-parallelism/captured/sweep.txt", config);
}

#[test]
fn capture_speedup_chart_exists_and_is_svg() {
    let svg = shown("01-concurrency-vs-parallelism/captured/speedup.svg");
    assert!(svg.starts_with("<svg"), "not an SVG");
    assert_eq!(svg.matches("class=\"series\"").count(), 4);
}

/// The first line names the Python version and build, which differ between
/// machines; the rest must keep its shape.
#[test]
fn capture_python_beside_rust_has_the_shape_the_book_shows() {
    if !crate::python::have_python() {
        println!("python3 is not installed: nothing to check");
        return;
    }
    watchdog(|| {
        let book_path = "appendix-a-python/captured/python-vs-rust.txt";
        let now = run_to_string(&Config {
            python: true,
            ..tiny_config()
        });
        let shown = shown(book_path);
        let rest = |text: &str| {
            text.lines()
                .skip(1)
                .map(|l| format!("{l}\n"))
                .collect::<String>()
        };
        assert!(
            shown.starts_with("Python "),
            "book/{book_path} does not start with the Python line"
        );
        assert_same_shape(book_path, &rest(&shown), &rest(&now));
    });
}
