//! The kernel on child processes. The lab's own binary, started as
//! `lab-08 __child collatz FIRST LAST`, computes one block of
//! [`crate::kernel`] and prints its sum on stdout; the parent starts one
//! child per block, reads every child's answer and adds them up. Nothing is
//! shared: each child has its own memory, and the only thing that comes back
//! is one line of text.
//!
//! `lab-08 __child nothing` does no work and prints its peak memory (Linux's
//! `VmHWM`, from `/proc/self/status`), to measure what starting a process
//! costs.

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
    let running = kernel::blocks(n, children)
        .into_iter()
        .map(|block| {
            Command::new(exe)
                .args([CHILD, "collatz"])
                .arg(block.start().to_string())
                .arg(block.end().to_string())
                .stdout(Stdio::piped())
                .spawn()
        })
        .collect::<io::Result<Vec<_>>>()?;
    let mut total = 0;
    for child in running {
        let out = child.wait_with_output()?;
        if !out.status.success() {
            return Err(io::Error::other(format!("a child failed: {}", out.status)));
        }
        let text = String::from_utf8_lossy(&out.stdout);
        total += text
            .trim()
            .parse::<u64>()
            .map_err(|e| io::Error::other(format!("a child printed {text:?}: {e}")))?;
    }
    Ok(total)
}
// ANCHOR_END: children

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
/// before they start and once while every one of them waits at a barrier
/// (`None` off Linux). Each thread's stack is reserved in full (2 MiB by
/// default) but only the pages it touches count as resident.
pub fn memory_per_waiting_thread_kib(threads: usize) -> Option<f64> {
    use std::sync::Barrier;
    let before = memory_kib()?;
    let all_waiting = Barrier::new(threads + 1);
    let let_go = Barrier::new(threads + 1);
    let during = std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                all_waiting.wait();
                let_go.wait();
            });
        }
        all_waiting.wait();
        let during = memory_kib();
        let_go.wait();
        during
    })?;
    Some(during.saturating_sub(before) as f64 / threads.max(1) as f64)
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
        [job] if job == "nothing" => {
            Ok(peak_memory_kib().map_or("-".to_owned(), |k| k.to_string()))
        }
        _ => Err(format!(
            "{CHILD} takes `collatz FIRST LAST` or `nothing`, not {args:?}"
        )),
    }
}
