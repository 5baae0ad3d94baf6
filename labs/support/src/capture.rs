//! Output shown in the book, kept true.
//!
//! The book includes captured output from files under `book/` (for example
//! `book/03-race-conditions/captured/loom-lost-update.txt`). A test produces the
//! same text again and calls [`check`]: if the file differs, the test fails and
//! says how to regenerate it. `cargo xtask capture` runs those tests with
//! `LAB_CAPTURE=write`, which makes [`check`] write the file instead.
//! Files outside `book/` are never written.

use std::path::{Path, PathBuf};

/// Compares `actual` with the captured file `book_path` (relative to the
/// repository's `book/`), or writes it when `LAB_CAPTURE=write`.
/// `lab_dir` is the calling lab's `CARGO_MANIFEST_DIR`.
#[track_caller]
pub fn check(lab_dir: &str, book_path: &str, actual: &str) {
    let path = book_file(lab_dir, book_path);
    if std::env::var("LAB_CAPTURE").as_deref() == Ok("write") {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .unwrap_or_else(|e| panic!("cannot create {}: {e}", parent.display()));
        }
        std::fs::write(&path, actual)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        println!("wrote {}", path.display());
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_default()
        .replace("\r\n", "\n");
    if expected != actual {
        let first_difference = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "book/{book_path} no longer matches what the code prints (first difference at line {}).\n\
             Run `cargo xtask capture` to regenerate it, and check the chapter's prose still fits.\n\
             --- the book has:\n{expected}\n--- the code prints now:\n{actual}",
            first_difference + 1
        );
    }
}

/// The path of a file under the repository's `book/` folder.
pub fn book_file(lab_dir: &str, book_path: &str) -> PathBuf {
    let root = Path::new(lab_dir).join("../..");
    assert!(
        !book_path.contains("..") && !Path::new(book_path).is_absolute(),
        "captured files live under book/: {book_path:?}"
    );
    root.join("book").join(book_path)
}

/// The shape of `text`, for output whose numbers change from run to run while
/// its lines must stay the same: each run of digits becomes `N`, and each run of
/// spaces (padding that moves with the numbers' widths) becomes one space.
pub fn shape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = None;
    for c in text.chars() {
        let c = if c.is_ascii_digit() { 'N' } else { c };
        if (c == 'N' || c == ' ') && last == Some(c) {
            continue;
        }
        out.push(c);
        last = Some(c);
    }
    out
}
