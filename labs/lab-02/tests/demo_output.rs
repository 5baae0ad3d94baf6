//! The lab's program (src/main.rs) prints the same lines on every run: its
//! threads wait for each other at barriers, never for a while. These tests run
//! it and check the output the book shows (`cargo xtask capture` rewrites it).

use std::process::{Command, Stdio};

use lab_support::capture;

/// Runs `cargo run -p lab-02 -- <arg>` (the built program) and returns its
/// stdout and stderr as one stream, in the order they were written, after a
/// line showing the command.
fn run(arg: &str) -> String {
    let (mut reader, writer) = std::io::pipe().expect("cannot make a pipe");
    let mut child = Command::new(env!("CARGO_BIN_EXE_lab-02"))
        .arg(arg)
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .stdout(writer.try_clone().expect("cannot clone the pipe"))
        .stderr(writer)
        .stdin(Stdio::null())
        .spawn()
        .expect("cannot run the lab's program");
    let mut output = String::new();
    std::io::Read::read_to_string(&mut reader, &mut output).expect("the output is UTF-8");
    let status = child.wait().expect("the program did not run");
    assert!(status.success(), "`{arg}` failed: {status}\n{output}");
    format!("$ cargo run -p lab-02 -- {arg}\n{output}")
}

#[test]
fn demo_detached_worker_loses_its_work() {
    let out = lab_support::watchdog::watchdog(|| run("detached"));
    assert!(out.contains("first half"), "{out}");
    assert!(!out.contains("second half"), "{out}");
    assert!(!out.contains("closed the report"), "{out}");
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "02-threads/captured/detached.txt",
        &out,
    );
}

#[test]
fn demo_joined_worker_finishes_its_work() {
    let out = lab_support::watchdog::watchdog(|| run("joined"));
    assert!(out.contains("second half"), "{out}");
    assert!(out.contains("closed the report"), "{out}");
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "02-threads/captured/joined.txt",
        &out,
    );
}

/// The number in `thread 'parser-1' (12345) panicked`, which recent versions of
/// Rust print, is the operating system's id of the thread: new on every run. The
/// book shows it as `<id>`.
fn mask_thread_ids(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("' (") {
        let (before, after) = rest.split_at(at + 3);
        out.push_str(before);
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && after[digits..].starts_with(')') {
            out.push_str("<id>");
            rest = &after[digits..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn demo_named_thread_appears_in_its_panic_message() {
    const BOOK: &str = "02-threads/captured/named-panic.txt";
    let out = mask_thread_ids(&lab_support::watchdog::watchdog(|| run("named")));
    assert!(out.contains("thread 'parser-1' "), "{out}");
    assert!(
        out.contains("cannot parse \"forty-two\" as a number"),
        "{out}"
    );
    assert!(out.contains("main: thread parser-1 failed"), "{out}");

    // How a panic is reported changes a little between versions of Rust: the
    // book shows it as this rustc printed it, and other versions are checked
    // only by the assertions above.
    let version = capture::rustc_version();
    let shown = out.replacen('\n', &format!("    # {version}\n"), 1);
    capture::check_for_this_rustc(env!("CARGO_MANIFEST_DIR"), BOOK, &version, &shown);
}
