//! A thread started with `thread::spawn` must own what its closure uses:
//! compile_fail/borrow_without_move.rs borrows a local `String` and does not
//! compile. This test compiles it with rustc and checks the error the book shows.

use std::process::Command;

use lab_support::capture;

const FILE: &str = "compile_fail/borrow_without_move.rs";
const BOOK: &str = "02-threads/captured/borrow-without-move.txt";

#[test]
fn does_not_compile_spawning_a_borrowing_closure() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let version = Command::new(&rustc)
        .arg("--version")
        .output()
        .expect("cannot run rustc");
    let version = String::from_utf8_lossy(&version.stdout).trim().to_owned();
    let out_dir = env!("CARGO_TARGET_TMPDIR");
    let output = Command::new(&rustc)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "--edition",
            "2024",
            "--crate-type",
            "lib",
            "--emit",
            "metadata",
            "--color",
            "never",
        ])
        .args(["--out-dir", out_dir, FILE])
        .output()
        .expect("cannot run rustc");
    assert!(
        !output.status.success(),
        "{FILE} compiled, but it must not: the closure borrows a local of the function"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("error[E0373]"), "{stderr}");
    assert!(stderr.contains("move"), "{stderr}");

    // The book shows the error exactly as this rustc printed it. Other versions of
    // rustc word it a little differently; then only the checks above apply.
    let shown = format!("$ rustc --edition 2024 --crate-type lib {FILE}    # {version}\n{stderr}");
    let captured = std::fs::read_to_string(capture::book_file(env!("CARGO_MANIFEST_DIR"), BOOK))
        .unwrap_or_default();
    let same_rustc = captured
        .lines()
        .next()
        .is_some_and(|l| l.ends_with(&format!("# {version}")));
    if same_rustc || std::env::var("LAB_CAPTURE").is_ok() {
        capture::check(env!("CARGO_MANIFEST_DIR"), BOOK, &shown);
    } else {
        println!(
            "book/{BOOK} was captured with another rustc than {version}; skipped the exact comparison"
        );
    }
}
