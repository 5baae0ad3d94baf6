//! The pinned mdBook tools, installed into `target/tools/` (never globally).

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use crate::proc;
use crate::{Result, fail};

/// Crate, version: each crate installs one binary of the same name.
pub const TOOLS: [(&str, &str); 4] = [
    ("mdbook", "0.5.4"),
    ("mdbook-quiz", "0.5.0"),
    ("mdbook-mermaid", "0.17.1"),
    ("mdbook-linkcheck2", "0.13.0"),
];

/// `target/tools`: cargo install's root.
pub fn root() -> PathBuf {
    crate::repo_root().join("target").join("tools")
}

/// `target/tools/bin`: the installed binaries.
pub fn bin_dir() -> PathBuf {
    root().join("bin")
}

/// A command running one of the installed tools, with `target/tools/bin` first
/// on its PATH (so mdbook finds its preprocessors) and the repository root as
/// its working folder.
pub fn command(tool: &str) -> Command {
    let mut cmd = Command::new(bin_dir().join(tool));
    proc::with_tools_path(&mut cmd, &bin_dir());
    cmd.current_dir(crate::repo_root());
    // A failed link check is reported through anyhow; with RUST_BACKTRACE set in
    // the environment it would add a stack backtrace to every broken link report.
    cmd.env("RUST_BACKTRACE", "0")
        .env("RUST_LIB_BACKTRACE", "0");
    cmd
}

/// The version the installed binary reports, if it runs.
fn installed_version(tool: &str) -> Option<String> {
    let out = Command::new(bin_dir().join(tool))
        .arg("--version")
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    // "mdbook v0.5.4", "mdbook-quiz 0.5.0", ...
    let text = String::from_utf8_lossy(&out.stdout);
    let word = text.split_whitespace().last()?;
    Some(word.trim_start_matches('v').to_owned())
}

/// Installs whichever tools are missing or at the wrong version.
pub fn ensure() -> Result {
    let missing: Vec<(&str, &str)> = TOOLS
        .iter()
        .copied()
        .filter(|(tool, version)| installed_version(tool).as_deref() != Some(*version))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = missing.iter().map(|(t, v)| format!("{t} {v}")).collect();
    println!(
        "installing {} into target/tools (first run only, a few minutes)…",
        names.join(", ")
    );
    let started = Instant::now();
    let root = root();
    let mut cmd = proc::cargo();
    cmd.args(["install", "--locked", "--force", "--root"])
        .arg(&root)
        .arg("--target-dir")
        .arg(root.join("build"))
        .args(missing.iter().map(|(t, v)| format!("{t}@{v}")));
    if !proc::status(&mut cmd)? {
        return fail(format!(
            "installing the book's tools failed (`{}`). cargo install needs to reach crates.io; \
             check the error above and run the command again.",
            proc::describe(&cmd)
        ));
    }
    for (tool, version) in &missing {
        let found = installed_version(tool);
        if found.as_deref() != Some(*version) {
            return fail(format!(
                "after installing, target/tools/bin/{tool} reports version {} instead of {version}",
                found.as_deref().unwrap_or("(none: it does not run)")
            ));
        }
    }
    println!(
        "installed {} in {} (cargo's PATH warning above does not apply: \
         cargo xtask runs them from target/tools/bin)",
        names.join(", "),
        crate::test::seconds(started.elapsed())
    );
    Ok(())
}

/// Writes `mermaid.min.js` and `mermaid-init.js` beside `book.toml`, from the
/// pinned mdbook-mermaid, so they always match it. They are generated (and
/// ignored by git), never edited. A file is rewritten only if it differs.
pub fn mermaid_assets() -> Result {
    let scratch = root().join("mermaid-assets");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch)
        .or_else(|e| fail(format!("cannot create {}: {e}", scratch.display())))?;
    // `mdbook-mermaid install DIR` writes the files beside DIR/book.toml (and edits
    // that book.toml): give it a scratch book so it never touches ours.
    std::fs::write(scratch.join("book.toml"), "[book]\n")
        .or_else(|e| fail(format!("cannot write in {}: {e}", scratch.display())))?;
    let mut cmd = command("mdbook-mermaid");
    cmd.arg("install").arg(&scratch);
    let out = proc::output(&mut cmd)?;
    if !out.status.success() {
        return fail(format!(
            "`{}` failed:\n{}",
            proc::describe(&cmd),
            proc::text(&out)
        ));
    }
    for name in ["mermaid.min.js", "mermaid-init.js"] {
        let fresh = std::fs::read(scratch.join(name))
            .or_else(|e| fail(format!("mdbook-mermaid install did not write {name}: {e}")))?;
        let dest = crate::repo_root().join(name);
        if std::fs::read(&dest).ok().as_deref() != Some(&fresh[..]) {
            std::fs::write(&dest, &fresh)
                .or_else(|e| fail(format!("cannot write {}: {e}", dest.display())))?;
        }
    }
    Ok(())
}
