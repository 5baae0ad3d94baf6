//! Safe Rust has no data races: sharing a `Cell` (not `Sync`) between threads is
//! a compile error. This test compiles compile_fail/cell_not_sync.rs with rustc
//! and checks the error the book shows.

use lab_support::capture;

const FILE: &str = "compile_fail/cell_not_sync.rs";
const BOOK: &str = "03-race-conditions/captured/cell-not-sync.txt";

#[test]
fn sharing_a_cell_between_threads_does_not_compile() {
    let lab = env!("CARGO_MANIFEST_DIR");
    let rejected =
        capture::rustc_rejects(lab, env!("CARGO_TARGET_TMPDIR"), FILE, "Cell is not Sync");
    let stderr = &rejected.stderr;
    assert!(stderr.contains("error[E0277]"), "{stderr}");
    assert!(
        stderr.contains("`Cell<u64>` cannot be shared between threads safely"),
        "{stderr}"
    );
    // The book shows the error exactly as this rustc printed it; other versions
    // word it a little differently, and then only the checks above apply.
    capture::check_for_this_rustc(lab, BOOK, &rejected.version, &rejected.shown(FILE));
}
