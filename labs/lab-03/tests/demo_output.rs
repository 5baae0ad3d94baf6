//! The book shows one real run of `cargo run --release -p lab-03 --example
//! lost_update`, captured by `cargo xtask capture`. Its numbers differ from run
//! to run, so this test checks that the program still prints the same lines,
//! with its numbers masked (`capture::shape`), and that the correct counters add up.

use lab_support::capture;

#[test]
fn lost_update_demo_prints_what_the_book_shows() {
    let now = lab_03::demo::report(2, 10_000);
    for line in now.lines().skip(2) {
        assert!(
            line.contains(" lost         0 "),
            "a correct counter lost updates: {line}"
        );
    }
    let path = capture::book_file(
        env!("CARGO_MANIFEST_DIR"),
        "03-race-conditions/captured/lost-update-run.txt",
    );
    let shown = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run `cargo xtask capture` to make it",
            path.display()
        )
    });
    assert_eq!(
        capture::shape(&shown),
        capture::shape(&now),
        "the demo's output no longer has the shape the book shows; run `cargo xtask capture`"
    );
}
