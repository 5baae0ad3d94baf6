//! Running child processes: cargo, the mdBook tools.

use std::ffi::OsString;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::{Result, fail};

/// A `cargo` command: the cargo that runs this xtask (`$CARGO`), or `cargo`.
pub fn cargo() -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let mut cmd = Command::new(cargo);
    cmd.current_dir(crate::repo_root());
    cmd
}

/// A command that finds the pinned tools first on its PATH.
pub fn with_tools_path(cmd: &mut Command, tools_bin: &Path) {
    let mut paths = vec![tools_bin.to_path_buf()];
    if let Some(old) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&old));
    }
    if let Ok(joined) = std::env::join_paths(paths) {
        cmd.env("PATH", joined);
    }
}

/// A printable form of a command, for messages.
pub fn describe(cmd: &Command) -> String {
    let program = Path::new(cmd.get_program())
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut words = vec![program];
    words.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    words.join(" ")
}

/// Runs a command with the terminal as its stdin, stdout and stderr; true if it
/// exited successfully.
pub fn status(cmd: &mut Command) -> Result<bool> {
    match cmd.status() {
        Ok(status) => Ok(status.success()),
        Err(e) => fail(format!("could not run `{}`: {e}", describe(cmd))),
    }
}

/// Runs a command and captures its output.
pub fn output(cmd: &mut Command) -> Result<Output> {
    cmd.stdin(Stdio::null());
    match cmd.output() {
        Ok(out) => Ok(out),
        Err(e) => fail(format!("could not run `{}`: {e}", describe(cmd))),
    }
}

/// stdout and stderr of a captured run, as one text.
pub fn text(out: &Output) -> String {
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    text
}

/// Removes ANSI colour codes from captured output.
pub fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.peek() == Some(&'[') {
                chars.next();
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Runs a command, showing its output as it comes (like [`status`]) while also
/// keeping it; returns whether it succeeded and all it printed.
pub fn tee(cmd: &mut Command) -> Result<(bool, String)> {
    use std::io::{IsTerminal, Read, Write};

    if std::io::stderr().is_terminal() && std::env::var_os("CARGO_TERM_COLOR").is_none() {
        cmd.env("CARGO_TERM_COLOR", "always");
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = match cmd.spawn() {
        Ok(child) => child,
        Err(e) => return fail(format!("could not run `{}`: {e}", describe(cmd))),
    };
    fn pump(mut from: impl Read, mut to: impl Write) -> Vec<u8> {
        let mut kept = Vec::new();
        let mut buf = [0u8; 8192];
        while let Ok(n) = from.read(&mut buf) {
            if n == 0 {
                break;
            }
            let _ = to.write_all(&buf[..n]);
            let _ = to.flush();
            kept.extend_from_slice(&buf[..n]);
        }
        kept
    }
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let out_thread = std::thread::spawn(move || match stdout {
        Some(s) => pump(s, std::io::stdout()),
        None => Vec::new(),
    });
    let err_kept = match stderr {
        Some(s) => pump(s, std::io::stderr()),
        None => Vec::new(),
    };
    let out_kept = out_thread.join().unwrap_or_default();
    let status = match child.wait() {
        Ok(status) => status,
        Err(e) => return fail(format!("could not wait for `{}`: {e}", describe(cmd))),
    };
    let mut text = String::from_utf8_lossy(&out_kept).into_owned();
    text.push('\n');
    text.push_str(&String::from_utf8_lossy(&err_kept));
    Ok((status.success(), strip_ansi(&text)))
}
