//! The pinned mdBook tools, installed into `target/tools/` (never globally).

use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::proc;
use crate::{Result, fail};

/// Crate, version: each crate installs one binary of the same name.
///
/// No link checker: `tests/book_built.rs` checks every link and `#fragment`
/// of the built book, and mdbook-linkcheck2 pulls a web stack (reqwest,
/// rustls, aws-lc-sys with its C build) although the book follows no web link.
pub const TOOLS: [(&str, &str); 3] = [
    ("mdbook", "0.5.4"),
    ("mdbook-quiz", "0.5.0"),
    ("mdbook-mermaid", "0.17.1"),
];

/// The release profile the tools are built with, in place of the default one:
/// no optimisation, many codegen units, no LTO, no debug info. Measured on two
/// idle cores: the three tools build in 173 s, and the book then builds in
/// about 2.5 s (1.2 s with mdBook's six hottest crates at opt-level 1, which
/// costs 36 s more to build mdbook).
const PROFILE: [(&str, &str); 5] = [
    ("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0"),
    ("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256"),
    ("CARGO_PROFILE_RELEASE_LTO", "false"),
    ("CARGO_PROFILE_RELEASE_DEBUG", "false"),
    ("CARGO_PROFILE_RELEASE_INCREMENTAL", "false"),
];

/// Lines of cargo's output shown when an install fails.
const TAIL_LINES: usize = 40;

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
    // mdbook-quiz reports a bad quiz through anyhow (with its backtrace feature);
    // with RUST_BACKTRACE set in the environment it would add a stack backtrace.
    cmd.env("RUST_BACKTRACE", "0")
        .env("RUST_LIB_BACKTRACE", "0");
    cmd
}

/// The version the installed binary reports, if it runs.
fn installed_version(tool: &str) -> Option<String> {
    let out = Command::new(bin_dir().join(tool))
        .arg("--version")
        .stdin(Stdio::null())
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

/// Installs whichever tools are missing or at the wrong version, one at a
/// time into the same `--target-dir` (so what they share is built once),
/// showing which one is building and for how long instead of cargo's lines.
///
/// Interrupting it (Ctrl-C) leaves nothing half-installed: cargo install
/// copies a finished binary into a staging folder beside `bin/` and renames
/// it into place, so `bin/TOOL` is either absent, the old one, or complete.
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
        "installing {} into target/tools/ (first run only: about three minutes on two \
         cores; nothing is installed globally)",
        names.join(", ")
    );
    let started = Instant::now();
    for (i, (tool, version)) in missing.iter().enumerate() {
        let label = format!("{tool} {version} ({} of {})", i + 1, missing.len());
        install(tool, version, &label)?;
    }
    println!(
        "installed the book's tools in {}",
        duration(started.elapsed())
    );
    Ok(())
}

/// `cargo install --locked` of one tool into `target/tools/`, its output kept
/// in `target/tools/install-TOOL.log` and summed up in a progress line.
fn install(tool: &str, version: &str, label: &str) -> Result {
    let root = root();
    let mut cmd = proc::cargo();
    cmd.args(["install", "--locked", "--force", "--root"])
        .arg(&root)
        .arg("--target-dir")
        .arg(root.join("build"))
        .arg(format!("{tool}@{version}"))
        .envs(PROFILE)
        // Plain lines to count, no colour codes, no progress bar.
        .env("CARGO_TERM_COLOR", "never")
        .env("CARGO_TERM_PROGRESS_WHEN", "never")
        .env_remove("CARGO_TERM_QUIET")
        .env_remove("CARGO_TERM_VERBOSE");
    let mut progress = Progress::new(label);
    let (ok, lines) = run_counting(&mut cmd, &mut progress)?;
    let log = root.join(format!("install-{tool}.log"));
    let env: String = PROFILE.iter().map(|(k, v)| format!("{k}={v} ")).collect();
    let mut text = format!("$ {env}{}\n", proc::describe(&cmd));
    for line in &lines {
        text.push_str(line);
        text.push('\n');
    }
    let _ = std::fs::create_dir_all(&root);
    let saved = std::fs::write(&log, text).is_ok();
    if !ok {
        progress.finish("failed");
        print_tail(&lines);
        return fail(format!(
            "installing {tool} {version} failed (`{}`{}). cargo install needs to reach \
             crates.io the first time; check the error above and run the command again.",
            proc::describe(&cmd),
            if saved {
                format!("; all of its output is in target/tools/install-{tool}.log")
            } else {
                String::new()
            }
        ));
    }
    let found = installed_version(tool);
    if found.as_deref() != Some(version) {
        progress.finish("failed");
        return fail(format!(
            "after installing, target/tools/bin/{tool} reports version {} instead of {version}",
            found.as_deref().unwrap_or("(none: it does not run)")
        ));
    }
    progress.finish("installed");
    Ok(())
}

/// Prints the last [`TAIL_LINES`] lines of a failed install, and cargo's
/// `error` lines before them (a compile error can be followed by many lines).
fn print_tail(lines: &[String]) {
    let from = lines.len().saturating_sub(TAIL_LINES);
    let earlier: Vec<&String> = lines[..from]
        .iter()
        .filter(|l| l.starts_with("error"))
        .take(10)
        .collect();
    if !earlier.is_empty() {
        eprintln!("cargo's first errors:");
        for line in earlier {
            eprintln!("{line}");
        }
        eprintln!("…");
    }
    eprintln!("the last {} lines of cargo's output:", lines.len() - from);
    for line in &lines[from..] {
        eprintln!("{line}");
    }
}

/// Runs `cmd` with its output captured line by line, feeding each line to
/// `progress` and ticking it at least once a second; returns whether it
/// succeeded and every line it printed (stdout and stderr, as they came).
fn run_counting(cmd: &mut Command, progress: &mut Progress) -> Result<(bool, Vec<String>)> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = match cmd.spawn() {
        Ok(child) => child,
        Err(e) => return fail(format!("could not run `{}`: {e}", proc::describe(cmd))),
    };
    let (tx, rx) = mpsc::channel::<String>();
    fn pump(from: impl Read + Send + 'static, tx: mpsc::Sender<String>) {
        std::thread::spawn(move || {
            for line in BufReader::new(from).split(b'\n').map_while(|l| l.ok()) {
                let line = String::from_utf8_lossy(&line).trim_end().to_owned();
                if tx.send(proc::strip_ansi(&line)).is_err() {
                    break;
                }
            }
        });
    }
    if let Some(out) = child.stdout.take() {
        pump(out, tx.clone());
    }
    if let Some(err) = child.stderr.take() {
        pump(err, tx.clone());
    }
    drop(tx);
    let mut lines = Vec::new();
    progress.tick();
    loop {
        match rx.recv_timeout(Duration::from_secs(1)) {
            Ok(line) => {
                progress.line(&line);
                lines.push(line);
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            // Both pipes closed: cargo is done (or has closed them).
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        progress.tick();
    }
    match child.wait() {
        Ok(status) => Ok((status.success(), lines)),
        Err(e) => fail(format!("could not wait for `{}`: {e}", proc::describe(cmd))),
    }
}

/// The progress of one install: on a terminal one line rewritten in place
/// about once a second; elsewhere (CI, a pipe) a line at the start, one every
/// [`Progress::EVERY`], and one at the end.
struct Progress {
    label: String,
    started: Instant,
    compiled: usize,
    /// What cargo does before it compiles (updating the index, downloading).
    before: &'static str,
    terminal: bool,
    last_shown: Option<Instant>,
    /// Width of the line last drawn on the terminal, to blank it out.
    drawn: usize,
}

impl Progress {
    /// Between two lines when the output is not a terminal.
    const EVERY: Duration = Duration::from_secs(30);

    fn new(label: &str) -> Progress {
        Progress::with_terminal(label, std::io::stdout().is_terminal())
    }

    fn with_terminal(label: &str, terminal: bool) -> Progress {
        Progress {
            label: label.to_owned(),
            started: Instant::now(),
            compiled: 0,
            before: "starting",
            terminal,
            last_shown: None,
            drawn: 0,
        }
    }

    /// Takes in one line of cargo's output.
    fn line(&mut self, line: &str) {
        match line.split_whitespace().next().unwrap_or_default() {
            "Compiling" => self.compiled += 1,
            "Updating" => self.before = "updating the crates.io index",
            "Downloading" | "Downloaded" => self.before = "downloading crates",
            _ => {}
        }
    }

    /// What the line says now: `1 m 23 s, 142 crates compiled` (under 80
    /// characters with the label, so that `\r` can rewrite it).
    fn status(&self) -> String {
        let took = duration(self.started.elapsed());
        match self.compiled {
            0 => format!("{took}, {}", self.before),
            1 => format!("{took}, 1 crate compiled"),
            n => format!("{took}, {n} crates compiled"),
        }
    }

    /// Shows the line if it is time to.
    fn tick(&mut self) {
        let now = Instant::now();
        let due = match (self.last_shown, self.terminal) {
            (None, _) => true,
            (Some(at), true) => now - at >= Duration::from_millis(250),
            (Some(at), false) => now - at >= Progress::EVERY,
        };
        if !due {
            return;
        }
        if self.terminal {
            self.draw(&format!("installing {}: {}", self.label, self.status()));
        } else if self.last_shown.is_none() {
            println!("installing {}…", self.label);
        } else {
            println!("  {}: {}", self.label, self.status());
        }
        self.last_shown = Some(now);
    }

    /// Rewrites the terminal's current line with `text`.
    fn draw(&mut self, text: &str) {
        let width = text.chars().count();
        let blank = " ".repeat(self.drawn.saturating_sub(width));
        let mut out = std::io::stdout().lock();
        let _ = write!(out, "\r{text}{blank}");
        let _ = out.flush();
        self.drawn = width;
    }

    /// The last line: `installed mdbook 0.5.4 (1 of 3) in 1 m 40 s, 210 crates compiled`.
    fn finish(&mut self, what: &str) {
        let text = format!("{what} {} after {}", self.label, self.status());
        if self.terminal {
            self.draw(&text);
            println!();
        } else {
            println!("{text}");
        }
    }
}

/// `42 s`, `1 m 23 s`: whole seconds, as a person reads a clock.
fn duration(d: Duration) -> String {
    let s = d.as_secs();
    if s < 60 {
        format!("{s} s")
    } else {
        format!("{} m {:02} s", s / 60, s % 60)
    }
}

/// Writes `mermaid.min.js` and `mermaid-init.js` into `book/mermaid/`, from the
/// pinned mdbook-mermaid, so they always match it; mdBook copies them into the
/// built book, where `book/mermaid-loader.js` loads them on the pages that have
/// a diagram. They are generated (and ignored by git), never edited. A file is
/// rewritten only if it differs.
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
        let folder = crate::repo_root().join("book").join("mermaid");
        std::fs::create_dir_all(&folder)
            .or_else(|e| fail(format!("cannot create {}: {e}", folder.display())))?;
        let dest = folder.join(name);
        if std::fs::read(&dest).ok().as_deref() != Some(&fresh[..]) {
            std::fs::write(&dest, &fresh)
                .or_else(|e| fail(format!("cannot write {}: {e}", dest.display())))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{Progress, duration};
    use std::time::Duration;

    #[test]
    fn durations_read_like_a_clock() {
        assert_eq!(duration(Duration::from_millis(4_900)), "4 s");
        assert_eq!(duration(Duration::from_secs(83)), "1 m 23 s");
        assert_eq!(duration(Duration::from_secs(300)), "5 m 00 s");
    }

    #[test]
    fn progress_counts_compiled_crates_and_says_what_cargo_does() {
        let mut p = Progress::with_terminal("mdbook 0.5.4 (1 of 3)", false);
        p.line("    Updating crates.io index");
        assert!(
            p.status().ends_with(", updating the crates.io index"),
            "{}",
            p.status()
        );
        p.line("  Downloaded serde v1.0.228");
        assert!(
            p.status().ends_with(", downloading crates"),
            "{}",
            p.status()
        );
        p.line("   Compiling proc-macro2 v1.0.103");
        assert!(p.status().ends_with(", 1 crate compiled"), "{}", p.status());
        p.line("   Compiling serde v1.0.228");
        p.line("warning: unused variable: `x`");
        assert!(
            p.status().ends_with(", 2 crates compiled"),
            "{}",
            p.status()
        );
        p.line("    Finished `release` profile [unoptimized] target(s) in 2m 10s");
        assert!(
            p.status().ends_with(", 2 crates compiled"),
            "{}",
            p.status()
        );
    }
}
