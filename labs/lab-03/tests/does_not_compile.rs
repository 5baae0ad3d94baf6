//! Safe Rust has no data races: sharing a `Cell` (not `Sync`) between threads is
//! a compile error. This test compiles compile_fail/cell_not_sync.rs with rustc
//! and checks the error the book shows.

use std::process::Command;

use lab_support::capture;

const FILE: &str = "compile_fail/cell_not_sync.rs";
const BOOK: &str = "03-race-conditions/captured/cell-not-sync.txt";

#[test]
fn sharing_a_cell_between_threads_does_not_compile() {
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
        "{FILE} compiled, but it must not: Cell is not Sync"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("error[E0277]"), "{stderr}");
    assert!(
        stderr.contains("`Cell<u64>` cannot be shared between threads safely"),
        "{stderr}"
    );

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
