//! A std `Mutex` guard held across an `.await` (src/held_guard.rs): what it
//! does on a current-thread runtime, and what the compiler and clippy say
//! about it (the crate in fixtures/held-guard, checked with cargo).

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

/// Runs cargo `args` on the fixture crate, in a target directory of its
/// own, offline (its one dependency, tokio, is the workspace's, already
/// downloaded). Returns the exit status's success and what cargo printed
/// on stderr, with cargo's progress lines left out and the registry's path
/// shortened, as the book shows it.
fn cargo_on_fixture(args: &[&str]) -> (bool, String) {
    let lab = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .current_dir(lab.join("fixtures/held-guard"))
        .args(args)
        .args(["--offline", "--locked", "--color", "never", "--target-dir"])
        .arg(Path::new(env!("CARGO_TARGET_TMPDIR")).join("held-guard"))
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("RUSTC_WRAPPER")
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let progress = ["Compiling", "Checking", "Finished", "Blocking", "Locking"];
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
/// `Send`, because the std `MutexGuard` lives across the `.await`.
#[test]
fn does_not_compile_spawning_a_future_that_holds_a_std_guard() {
    let (compiled, errors) = cargo_on_fixture(&["check", "--features", "spawn"]);
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

/// The same adder, not spawned, compiles; clippy warns about the guard.
#[test]
fn clippy_warns_about_a_std_guard_held_across_await() {
    let (ran, warnings) = cargo_on_fixture(&["clippy"]);
    if !ran && warnings.contains("no such command") {
        println!("clippy is not installed: skipped");
        return;
    }
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
