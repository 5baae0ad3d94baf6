//! Output shown in the book, kept true.
//!
//! The book includes captured output from files under `book/` (for example
//! `book/03-race-conditions/captured/loom-lost-update.txt`). A test produces the
//! same text again and calls [`check`]: if the file differs, the test fails and
//! says how to regenerate it. `cargo xtask capture` runs those tests with
//! `LAB_CAPTURE=write`, which makes [`check`] write the file instead, on every
//! lab's reference solutions (`LAB_CAPTURE=write cargo test -p lab-NN
//! --features solutions` does it for one lab).
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
        let lab = Path::new(lab_dir)
            .file_name()
            .map_or_else(|| "lab-NN".into(), |n| n.to_string_lossy());
        panic!(
            "book/{book_path} no longer matches what the code prints (first difference at line {}).\n\
             Run `cargo xtask capture` to regenerate it (or only this lab's: \
             `LAB_CAPTURE=write cargo test -p {lab} --features solutions`), \
             and check the chapter's prose still fits.\n\
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

/// `rustc --version` of the compiler on the PATH (or `$RUSTC`), e.g.
/// `rustc 1.95.0 (59807616e 2026-04-14)`.
pub fn rustc_version() -> String {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let output = std::process::Command::new(&rustc)
        .arg("--version")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {rustc}: {e}"));
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

/// Like [`check`], for output whose wording depends on the Rust version (a
/// compiler error, a panic message). `actual`'s first line must end with
/// `# <rustc --version>`, as the captured file's does: the comparison is exact
/// only when the captured file was made by this same rustc (or when
/// `LAB_CAPTURE=write` regenerates it); otherwise it says so and skips, and
/// the caller's own assertions on the key facts are all that apply.
#[track_caller]
pub fn check_for_this_rustc(lab_dir: &str, book_path: &str, version: &str, actual: &str) {
    let captured = std::fs::read_to_string(book_file(lab_dir, book_path)).unwrap_or_default();
    let same_rustc = captured
        .lines()
        .next()
        .is_some_and(|l| l.ends_with(&format!("# {version}")));
    if same_rustc || std::env::var("LAB_CAPTURE").is_ok() {
        check(lab_dir, book_path, actual);
    } else {
        println!(
            "book/{book_path} was captured with another rustc than {version}; skipped the exact comparison"
        );
    }
}

/// What rustc printed when it rejected a file that must not compile.
#[derive(Debug)]
pub struct Rejected {
    /// `rustc --version`.
    pub version: String,
    /// The error messages, as printed.
    pub stderr: String,
}

impl Rejected {
    /// The text the book shows: the command (with the version) and the errors.
    pub fn shown(&self, file: &str) -> String {
        format!(
            "$ rustc --edition 2024 --crate-type lib {file}    # {}\n{}",
            self.version, self.stderr
        )
    }
}

/// Compiles `file` (relative to the lab's folder `lab_dir`) as a 2024-edition
/// library with rustc, writing into `out_dir`, and panics with `why` if it
/// compiles: the file is a does-not-compile example.
#[track_caller]
pub fn rustc_rejects(lab_dir: &str, out_dir: &str, file: &str, why: &str) -> Rejected {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let output = std::process::Command::new(&rustc)
        .current_dir(lab_dir)
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
        .args(["--out-dir", out_dir, file])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {rustc}: {e}"));
    assert!(
        !output.status.success(),
        "{file} compiled, but it must not: {why}"
    );
    Rejected {
        version: rustc_version(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}
