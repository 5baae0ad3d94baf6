//! `--python`: the companion script runs (tiny sizes) and its results appear
//! beside Rust's; without Python, the Rust half runs alone and says so.
//! Nothing about time.

use lab_01::measure::Config;
use lab_01::python::{NOT_FOUND, SCRIPT};
use lab_support::measure::round_order;
use lab_support::watchdog::watchdog;

use crate::{run_to_string, tiny_config};

/// Whether `python3` can be run here.
pub fn have_python() -> bool {
    std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn python_companion_runs_beside_rust() {
    if !have_python() {
        println!("python3 is not installed: nothing to check");
        return;
    }
    watchdog(|| {
        let text = run_to_string(&Config {
            python: true,
            ..tiny_config()
        });
        assert!(text.starts_with("Python 3."), "{text}");
        assert!(text.contains("GIL: "), "{text}");
        let head = text
            .lines()
            .find(|l| l.starts_with("workload"))
            .expect("a header");
        assert!(head.contains("Rust") && head.contains("Python"), "{head}");
        assert_eq!(head.matches("spread").count(), 2, "{head}");
        for (workload, rust, python) in [
            ("I/O", "std threads", "threading"),
            ("I/O", "tokio tasks (1 thread)", "asyncio (1 thread)"),
            ("CPU", "rayon", "multiprocessing"),
            ("CPU", "sequential", "sequential"),
        ] {
            let found = text
                .lines()
                .any(|l| l.starts_with(workload) && l.contains(rust) && l.contains(python));
            assert!(
                found,
                "no {workload} row with {rust} beside {python}:\n{text}"
            );
        }
    });
}

/// The companion runs its rounds in the same orders as measure.rs: its own
/// copy of `round_order`, for 4 ways (its own) and 5 (the Rust half's).
#[test]
fn python_companion_orders_its_rounds_as_measure_rs_does() {
    if !have_python() {
        println!("python3 is not installed: nothing to check");
        return;
    }
    watchdog(|| {
        for ways in [4, 5] {
            let output = std::process::Command::new("python3")
                .args([SCRIPT, "--orders", &ways.to_string()])
                .output()
                .unwrap();
            assert!(output.status.success(), "{output:?}");
            let python: Vec<Vec<usize>> = serde_json::from_slice(&output.stdout).unwrap();
            let rust: Vec<Vec<usize>> = (0..2 * ways).map(|r| round_order(ways, r)).collect();
            assert_eq!(python, rust, "{ways} ways");
        }
    });
}

/// A server that accepts connections but never replies: every request of the
/// companion has a time limit (here made short with `--timeout`), so the
/// companion ends with an error that says so, instead of hanging the run.
#[test]
fn python_companion_gives_up_on_a_stalled_server() {
    if !have_python() {
        println!("python3 is not installed: nothing to check");
        return;
    }
    watchdog(|| {
        // Never accepted: the operating system completes each connection into
        // the listener's backlog, and no reply ever comes.
        let stalled = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = stalled.local_addr().unwrap().port().to_string();
        let output = std::process::Command::new("python3")
            .args([
                SCRIPT,
                "--port",
                &port,
                "--workers",
                "2",
                "--timeout",
                "0.2",
            ])
            .args(["--requests", "2", "--primes-below", "100", "--json"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{stderr}");
        assert!(
            stderr.contains("no reply from the server within 0.2 s"),
            "{stderr}"
        );
        drop(stalled);
    });
}

#[test]
fn python_missing_runs_the_rust_half_alone() {
    watchdog(|| {
        let config = Config {
            python: true,
            python_exe: "/nonexistent/lab-01/python3".to_owned(),
            ..tiny_config()
        };
        let text = run_to_string(&config);
        assert!(text.starts_with(NOT_FOUND), "{text}");
        assert!(
            text.contains("tokio tasks (1 thread)"),
            "the Rust table: {text}"
        );
        assert!(!text.contains("Python"), "{text}");
    });
}
