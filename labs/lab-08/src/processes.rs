//! The kernel on child processes. The lab's own binary, started as
//! `lab-08 __child collatz FIRST LAST`, computes one block of
//! [`crate::kernel`] and prints its sum on stdout; the parent starts one
//! child per block, reads every child's answer and adds them up. Nothing is
//! shared: each child has its own memory, and the only thing that comes back
//! is one line of text.
//!
//! `lab-08 __child nothing` does no work and prints its peak memory (Linux's
//! `VmHWM`, from `/proc/self/status`), to measure what starting a process
//! costs; `lab-08 __child abort` crashes, to show that the parent goes on.

use std::io;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::kernel;

/// The first argument that makes the lab's binary a child.
pub const CHILD: &str = "__child";

// ANCHOR: children
/// The kernel on `1..=n` in `children` child processes of `exe`, one block
/// each, all started before any is waited for.
pub fn collatz_in_processes(exe: &Path, n: u64, children: usize) -> io::Result<u64> {
    let mut running = Vec::new();
    for block in kernel::blocks(n, children) {
        let started = Command::new(exe)
            .args([CHILD, "collatz"])
            .arg(block.start().to_string())
            .arg(block.end().to_string())
            .stdout(Stdio::piped())
            .spawn();
        match started {
            Ok(child) => running.push(child),
            Err(e) => {
                end_all(running);
                return Err(e);
            }
        }
    }
    let mut total = 0;
    let mut running = running.into_iter();
    while let Some(child) = running.next() {
        match answer(child) {
            Ok(part) => total += part,
            Err(e) => {
                end_all(running);
                return Err(e);
            }
        }
    }
    Ok(total)
}
// ANCHOR_END: children

/// Ends the children still running and waits for them: no `Drop` stops a
/// `Child`, so without this they would run on, and be left unwaited for.
fn end_all(children: impl IntoIterator<Item = std::process::Child>) {
    for mut child in children {
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// Waits for one child and reads the number it printed.
fn answer(child: std::process::Child) -> io::Result<u64> {
    let out = child.wait_with_output()?;
    if !out.status.success() {
        return Err(io::Error::other(format!("a child failed: {}", out.status)));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    text.trim()
        .parse::<u64>()
        .map_err(|e| io::Error::other(format!("a child printed {text:?}: {e}")))
}

/// Starts one child of `exe` that crashes (`std::process::abort`), and
/// waits for it: the parent goes on, and sees how the child ended.
pub fn crashing_child(exe: &Path) -> io::Result<std::process::ExitStatus> {
    Command::new(exe)
        .args([CHILD, "abort"])
        .stderr(Stdio::null())
        .status()
}

/// Starts one child of `exe` that does nothing and waits for it; returns the
/// child's peak resident memory in KiB (`None` where `/proc` cannot say).
pub fn empty_child(exe: &Path) -> io::Result<Option<u64>> {
    let out = Command::new(exe).args([CHILD, "nothing"]).output()?;
    if !out.status.success() {
        return Err(io::Error::other(format!(
            "the child failed: {}",
            out.status
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().parse().ok())
}

/// This process's peak resident memory in KiB, from Linux's
/// `/proc/self/status` (`None` elsewhere).
pub fn peak_memory_kib() -> Option<u64> {
    status_kib("VmHWM:")
}

/// This process's resident memory now, in KiB (`VmRSS`; `None` off Linux).
pub fn memory_kib() -> Option<u64> {
    status_kib("VmRSS:")
}

fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// What `threads` threads that are all alive and waiting add to this
/// process's resident memory, per thread, in KiB: the memory is read once
/// before they start and once while every one of them waits (`None` off
/// Linux, or if a thread cannot start). Other threads of the process that
/// allocate meanwhile count too: it is an estimate. Each thread's stack is reserved in full (2 MiB by
/// default) but only the pages it touches count as resident.
pub fn memory_per_waiting_thread_kib(threads: usize) -> Option<f64> {
    use std::sync::mpsc;
    let before = memory_kib()?;
    let (started, wait_for_start) = mpsc::channel::<()>();
    std::thread::scope(|s| {
        // Each thread waits on a channel of its own until its sender is
        // dropped: whatever happens here, every thread is let go.
        let mut release = Vec::new();
        for _ in 0..threads {
            let (keep_waiting, wait) = mpsc::channel::<()>();
            let started = started.clone();
            let spawned = std::thread::Builder::new().spawn_scoped(s, move || {
                let _ = started.send(());
                let _ = wait.recv();
            });
            if spawned.is_err() {
                return None;
            }
            release.push(keep_waiting);
        }
        for _ in 0..threads {
            wait_for_start.recv().ok()?;
        }
        let during = memory_kib();
        drop(release);
        Some(during?.saturating_sub(before) as f64 / threads.max(1) as f64)
    })
}

/// What a child does, given the arguments after [`CHILD`]; the text it
/// prints, or an error for arguments it does not know.
pub fn child_main(args: &[String]) -> Result<String, String> {
    match args {
        [job, first, last] if job == "collatz" => {
            let first: u64 = first.parse().map_err(|e| format!("first: {e}"))?;
            let last: u64 = last.parse().map_err(|e| format!("last: {e}"))?;
            Ok(kernel::sequential(first..=last).to_string())
        }
        [job] if job == "abort" => std::process::abort(),
        [job] if job == "nothing" => {
            Ok(peak_memory_kib().map_or("-".to_owned(), |k| k.to_string()))
        }
        _ => Err(format!(
            "{CHILD} takes `collatz FIRST LAST`, `nothing` or `abort`, not {args:?}"
        )),
    }
}
