//! A thread started with `thread::spawn` must own what its closure uses:
//! compile_fail/borrow_without_move.rs borrows a local `String` and does not
//! compile. This test compiles it with rustc and checks the error the book shows.

use lab_support::capture;

const FILE: &str = "compile_fail/borrow_without_move.rs";
const BOOK: &str = "02-threads/captured/borrow-without-move.txt";

#[test]
fn does_not_compile_spawning_a_borrowing_closure() {
    let lab = env!("CARGO_MANIFEST_DIR");
    let why = "the closure borrows a local of the function";
    let rejected = capture::rustc_rejects(lab, env!("CARGO_TARGET_TMPDIR"), FILE, why);
    let stderr = &rejected.stderr;
    assert!(stderr.contains("error[E0373]"), "{stderr}");
    assert!(stderr.contains("move"), "{stderr}");
    // The book shows the error exactly as this rustc printed it; other versions
    // word it a little differently, and then only the checks above apply.
    capture::check_for_this_rustc(lab, BOOK, &rejected.version, &rejected.shown(FILE));
}
