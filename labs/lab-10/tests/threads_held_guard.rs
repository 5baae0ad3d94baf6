//! A std `Mutex` guard held across an `.await` (src/held_guard.rs): what it
//! does on a current-thread runtime, and what the compiler and clippy say
//! about it (the crate in fixtures/held-guard, checked with cargo).

use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use lab_10::held_guard;
use lab_support::capture;
use lab_support::watchdog::{watchdog, watchdog_with_limit};

// ANCHOR: held_test
/// The second adder's `lock()` blocks the runtime's only thread while the
/// first adder, which holds the lock, waits for a gate that only a task of
/// that thread opens. Nothing can ever run again; the watchdog reports it
/// (its limit is only when to stop looking).
#[test]
fn threads_a_std_guard_across_await_deadlocks_a_current_thread_runtime() {
    let outcome = std::panic::catch_unwind(|| {
        watchdog_with_limit(
            Duration::from_millis(500),
            held_guard::std_guard_across_await,
        )
    });
    let message = lab_support::panic_message(&*outcome.expect_err("it never returns"));
    assert!(message.contains("did not finish within"), "{message}");
}
// ANCHOR_END: held_test

// ANCHOR: right_tests
#[test]
fn threads_a_std_guard_dropped_before_the_await_lets_both_add() {
    assert_eq!(watchdog(held_guard::std_guard_dropped_before_await), 2);
}

#[test]
fn threads_a_tokio_guard_across_the_await_lets_both_add() {
    assert_eq!(watchdog(held_guard::tokio_guard_across_await), 2);
}
// ANCHOR_END: right_tests

/// Environment variables of this test's own cargo run that must not reach the
/// fixture's: flags (a CI's `RUSTFLAGS=-Dwarnings` would turn clippy's
/// warning into an error), wrappers (sccache and the like) and the target
/// directory.
const NOT_INHERITED: [&str; 11] = [
    "RUSTFLAGS",
    "CARGO_ENCODED_RUSTFLAGS",
    "CARGO_BUILD_RUSTFLAGS",
    "RUSTDOCFLAGS",
    "CARGO_ENCODED_RUSTDOCFLAGS",
    "CARGO_BUILD_RUSTDOCFLAGS",
    "RUSTC_WRAPPER",
    "RUSTC_WORKSPACE_WRAPPER",
    "CARGO_BUILD_RUSTC_WRAPPER",
    "CARGO_TARGET_DIR",
    "CARGO_BUILD_TARGET_DIR",
];

/// The cargo that runs this test (cargo sets `CARGO` for it).
fn cargo() -> Command {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    for name in NOT_INHERITED {
        command.env_remove(name);
    }
    command
}

/// Runs cargo `args` on a copy of the fixture crate, offline, in a target
/// directory of its own. Returns the exit status's success and what cargo
/// printed on stderr, with cargo's progress lines left out and the
/// registry's path shortened, as the book shows it.
///
/// The copy (one per `name`, so that the two fixture tests never share one)
/// gets the fixture's `Cargo.toml` and `src/`, and the workspace's own
/// `Cargo.lock`. The fixture keeps no lockfile of its own, which could drift
/// from the workspace's after a `cargo update`: cargo resolves the copy
/// `--offline` (not `--locked`: it drops the lock's entries the fixture does
/// not use), keeping the versions the workspace's lock pins, which the
/// workspace's own build has already downloaded. So a fresh clone needs no
/// network once `cargo test -p lab-10` has built the lab.
fn cargo_on_fixture(name: &str, args: &[&str]) -> (bool, String) {
    let lab = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixture = lab.join("fixtures/held-guard");
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let copy = scratch.join(format!("held-guard-{name}"));
    std::fs::create_dir_all(copy.join("src")).expect("a scratch directory");
    std::fs::copy(fixture.join("Cargo.toml"), copy.join("Cargo.toml")).expect("copied");
    for file in std::fs::read_dir(fixture.join("src")).expect("the fixture's src/") {
        let file = file.expect("a file of src/");
        std::fs::copy(file.path(), copy.join("src").join(file.file_name())).expect("copied");
    }
    let workspace_lock = lab.join("../../Cargo.lock");
    std::fs::copy(&workspace_lock, copy.join("Cargo.lock")).expect("the workspace's Cargo.lock");
    let output = cargo()
        .current_dir(&copy)
        .args(args)
        .args(["--offline", "--color", "never", "--target-dir"])
        .arg(scratch.join("held-guard-target"))
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let progress = [
        "Compiling",
        "Checking",
        "Finished",
        "Blocking",
        "Locking",
        "Adding",
        "Removing",
        "Updating",
        "Downgrading",
    ];
    let kept: Vec<String> = stderr
        .lines()
        .filter(|l| !progress.iter().any(|p| l.trim_start().starts_with(p)))
        .filter(|l| !l.starts_with("warning: `held-guard` (lib) generated"))
        .map(shorten_registry_path)
        .collect();
    (output.status.success(), kept.join("\n") + "\n")
}

/// `/home/you/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/tokio-…`
/// becomes `~/.cargo/registry/src/…/tokio-…`.
fn shorten_registry_path(line: &str) -> String {
    match (line.find("--> /"), line.find("/registry/src/")) {
        (Some(arrow), Some(registry)) if arrow < registry => {
            let rest = &line[registry + "/registry/src/".len()..];
            let after_index = rest.find('/').map_or(rest, |i| &rest[i..]);
            format!("{}--> ~/.cargo/registry/src/…{after_index}", &line[..arrow])
        }
        _ => line.to_owned(),
    }
}

// ANCHOR: compile_test
/// The adder given to `tokio::spawn` does not compile: the future is not
/// `Send`, because the std `MutexGuard` lives across the `.await`. Checks
/// that `cargo check --features spawn` on the fixture fails with the three
/// facts the book reads in the error, and that the text is the book's
/// (exactly, for the rustc that captured it).
#[test]
fn does_not_compile_spawning_a_future_that_holds_a_std_guard() {
    let (compiled, errors) = cargo_on_fixture("check", &["check", "--features", "spawn"]);
    assert!(!compiled, "src/spawned.rs must not compile:\n{errors}");
    assert!(
        errors.contains("future cannot be sent between threads safely"),
        "{errors}"
    );
    assert!(errors.contains("MutexGuard<'_, u64>"), "{errors}");
    assert!(
        errors.contains("required by a bound in `tokio::spawn`"),
        "{errors}"
    );
    let version = capture::rustc_version();
    let shown = format!("$ cargo check --features spawn    # {version}\n{errors}");
    capture::check_for_this_rustc(
        env!("CARGO_MANIFEST_DIR"),
        "10-async-pitfalls/captured/held-guard-spawn.txt",
        &version,
        &shown,
    );
}
// ANCHOR_END: compile_test

/// The same adder, not spawned, compiles, and clippy warns about the guard:
/// `cargo clippy` on the fixture succeeds and names `await_holding_lock`,
/// and its text is the book's (exactly, for the rustc that captured it).
/// Where clippy is not installed, the test says "skipped: …" on the
/// terminal (even without `--nocapture`) and checks nothing.
#[test]
fn clippy_warns_about_a_std_guard_held_across_await() {
    let probe = cargo().args(["clippy", "--version"]).output();
    if !probe.as_ref().is_ok_and(|out| out.status.success()) {
        let why = probe.map_or_else(
            |e| e.to_string(),
            |out| String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        );
        // Straight to stderr: libtest captures `eprintln!`, not this.
        let _ = writeln!(
            std::io::stderr(),
            "skipped: clippy_warns_about_a_std_guard_held_across_await: `cargo clippy` is not \
             installed ({why}); `rustup component add clippy` installs it"
        );
        return;
    }
    let (ran, warnings) = cargo_on_fixture("clippy", &["clippy"]);
    assert!(
        ran,
        "the fixture compiles without the spawn feature:\n{warnings}"
    );
    assert!(
        warnings.contains("clippy::await_holding_lock"),
        "{warnings}"
    );
    let version = capture::rustc_version();
    let shown = format!("$ cargo clippy    # {version}\n{warnings}");
    capture::check_for_this_rustc(
        env!("CARGO_MANIFEST_DIR"),
        "10-async-pitfalls/captured/held-guard-clippy.txt",
        &version,
        &shown,
    );
}
