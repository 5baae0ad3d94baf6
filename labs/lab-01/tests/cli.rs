//! The command line, through `measure::parse_args`: defaults, every option,
//! and a clear error for bad input (the command prints it with the usage and
//! exits with status 2).

use std::time::Duration;

use lab_01::measure::{Config, Format, Only, USAGE, parse_args};

fn parse(args: &[&str]) -> Config {
    parse_args(args).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

fn error(args: &[&str]) -> String {
    match parse_args(args) {
        Ok(config) => panic!("{args:?} should be refused, but parsed as {config:?}"),
        Err(e) => e,
    }
}

#[test]
fn cli_no_options_gives_the_defaults() {
    let config = parse(&[]);
    assert_eq!(config, Config::default());
    assert_eq!(config.requests, 50);
    assert_eq!(config.latency, Duration::from_millis(10));
    assert_eq!(config.primes_below, 3_000_000);
    assert_eq!(config.workers, lab_support::measure::cores());
    assert_eq!(config.repeat, 3);
    assert_eq!((config.only, config.format), (Only::Both, Format::Table));
    assert!(!config.python && !config.help && config.sweep.is_none());
}

#[test]
fn cli_every_option_is_read() {
    let config = parse(&[
        "--requests",
        "7",
        "--latency-ms",
        "3",
        "--primes-below",
        "1_000",
        "--chunks=5",
        "--workers",
        "3",
        "--repeat",
        "5",
        "--only",
        "cpu",
        "--format",
        "json",
    ]);
    assert_eq!(config.requests, 7);
    assert_eq!(config.latency, Duration::from_millis(3));
    assert_eq!(config.primes_below, 1_000);
    assert_eq!(config.chunks, 5);
    assert_eq!(config.workers, 3);
    assert_eq!(config.repeat, 5);
    assert_eq!(parse(&["--repeat=1"]).repeat, 1);
    assert_eq!(config.only, Only::Cpu);
    assert_eq!(config.format, Format::Json);

    let config = parse(&[
        "--sweep",
        "1,2,4,8",
        "--svg",
        "chart.svg",
        "--format",
        "csv",
    ]);
    assert_eq!(config.sweep, Some(vec![1, 2, 4, 8]));
    assert_eq!(
        config.svg.as_deref(),
        Some(std::path::Path::new("chart.svg"))
    );

    let config = parse(&[
        "--python-exe",
        "/usr/bin/python3",
        "--python-primes-below",
        "500",
    ]);
    assert!(config.python);
    assert_eq!(config.python_exe, "/usr/bin/python3");
    assert_eq!(config.python_primes_below, 500);

    assert!(parse(&["--help"]).help);
    assert!(parse(&["-h"]).help);
    assert!(parse(&["--only", "io"]).only == Only::Io);
}

#[test]
fn cli_bad_input_is_refused_with_a_clear_error() {
    for (args, says) in [
        (&["--requests"][..], "--requests needs a value"),
        (
            &["--requests", "0"],
            "--requests takes a whole number from 1",
        ),
        (&["--requests", "ten"], "not \"ten\""),
        (&["--latency-ms", "-5"], "--latency-ms takes a whole number"),
        (&["--workers", "0"], "--workers takes a whole number from 1"),
        (&["--repeat"], "--repeat needs a value"),
        (
            &["--repeat", "0"],
            "--repeat takes a whole number from 1 to 1000",
        ),
        (&["--repeat", "three"], "--repeat takes a whole number"),
        (&["--repeat", "-1"], "--repeat takes a whole number"),
        (&["--repeat", "1001"], "not \"1001\""),
        (&["--only", "gpu"], "--only takes io or cpu"),
        (&["--format", "xml"], "--format takes table, csv or json"),
        (&["--sweep", "1,,4"], "--sweep takes a whole number"),
        (&["--svg", "x.svg"], "give --sweep too"),
        (&["--python", "--sweep", "1,2"], "do not go together"),
        (
            &["--python", "--format", "csv"],
            "--python prints a table only",
        ),
        (&["--fast"], "unknown option \"--fast\""),
        (&["100"], "unknown option \"100\""),
        (&["--python=yes"], "--python takes no value"),
    ] {
        let e = error(args);
        assert!(
            e.contains(says),
            "{args:?}: the error {e:?} should say {says:?}"
        );
        assert!(!e.contains('\n'), "{args:?}: the error is one line: {e:?}");
    }
}

#[test]
fn cli_usage_names_every_option() {
    for option in [
        "--requests",
        "--latency-ms",
        "--primes-below",
        "--chunks",
        "--workers",
        "--repeat",
        "--only",
        "--format",
        "--sweep",
        "--svg",
        "--python",
        "--python-exe",
        "--python-primes-below",
        "--help",
    ] {
        assert!(
            USAGE.contains(option),
            "the usage does not mention {option}"
        );
    }
}
