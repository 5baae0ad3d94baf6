//! Tasks against threads, measured: `count` jobs that each wait `wait` once,
//! as tokio tasks (each `tokio::time::sleep(wait)`, on a multi-thread
//! runtime) or as OS threads (each `std::thread::sleep(wait)`).
//!
//! Both ways wait on a timer of their own, the same thing Python's companion
//! (`python/many_waits.py`) does, so their rows can stand side by side. No
//! barrier holds the jobs back until all have started: each job's wait
//! begins when the job does. Starting thousands of threads can take longer
//! than the wait, so the first ones may end before the last ones start; a
//! gauge counts the most jobs started and not yet finished at once
//! ([`Gauge`]). Memory is not given back when a job ends but when it is
//! joined: a thread's stack stays the thread's until `join` (then glibc
//! keeps it in its cache of stacks for new threads, or unmaps it), a task's
//! cell until its `JoinHandle` is dropped. Both ways join every job after the
//! last has started, so every job's memory counts in the peak.
//!
//! Every way and count runs in a child process of its own (the lab's own
//! binary, started as `lab-09 __child WAY COUNT WAIT_MS`): Linux's peak
//! resident set (`VmHWM` in `/proc/self/status`) is the peak of a process's
//! whole life, so one process can measure one run only. A child started with
//! a count of 0 builds the same runtime and starts nothing: its peak is the
//! baseline the parent subtracts.
//!
//! The binary counts its heap allocations ([`heap::Counting`], its global
//! allocator), so a child also says how many allocations, and how many
//! bytes, starting the jobs took.

use std::io;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The first argument that makes the lab's binary a child.
pub const CHILD: &str = "__child";

/// The Python companion, next to this crate's Cargo.toml.
pub const PYTHON_SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/python/many_waits.py");

/// A way to run many waiting jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Way {
    /// tokio tasks on a multi-thread runtime.
    Task,
    /// OS threads from `std::thread`.
    Thread,
    /// Python's asyncio tasks (the companion script).
    PythonTask,
    /// Python's threads (the companion script).
    PythonThread,
}

impl Way {
    /// Its name in tables and CSV: each contains "task" or "thread".
    pub fn name(self) -> &'static str {
        match self {
            Way::Task => "tokio task",
            Way::Thread => "std thread",
            Way::PythonTask => "python asyncio task",
            Way::PythonThread => "python thread",
        }
    }

    /// Whether each job is an OS thread (and so bound by the machine's limits).
    pub fn is_thread(self) -> bool {
        matches!(self, Way::Thread | Way::PythonThread)
    }

    /// Its word on the child's command line.
    fn child_word(self) -> &'static str {
        match self {
            Way::Task => "task",
            Way::Thread => "thread",
            Way::PythonTask => "asyncio",
            Way::PythonThread => "threads",
        }
    }
}

/// How many jobs are alive now, and the most that were alive at once.
#[derive(Debug, Default)]
pub struct Gauge {
    now: AtomicUsize,
    most: AtomicUsize,
}

impl Gauge {
    /// A job is about to start.
    pub fn enter(&self) {
        let now = self.now.fetch_add(1, Ordering::Relaxed) + 1;
        self.most.fetch_max(now, Ordering::Relaxed);
    }

    /// A job has finished its wait.
    pub fn leave(&self) {
        self.now.fetch_sub(1, Ordering::Relaxed);
    }

    /// The most jobs alive at once so far.
    pub fn most(&self) -> usize {
        self.most.load(Ordering::Relaxed)
    }
}

/// What one run of one way measured, in the process that ran it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Run {
    /// From just before the first job started to just after the last ended.
    pub seconds: f64,
    /// From just before the first job started to just after the last started.
    pub start_seconds: f64,
    /// The process's peak resident set (`VmHWM`), in bytes.
    pub peak_bytes: u64,
    /// The most jobs alive at once.
    pub most_alive: usize,
    /// Heap allocations while the jobs were being started (0: not counted).
    pub allocations: u64,
    /// Heap bytes allocated while the jobs were being started.
    pub allocated_bytes: u64,
}

impl Run {
    /// The run as the child prints it: one line of comma-separated numbers.
    pub fn line(&self) -> String {
        format!(
            "{:.6},{:.6},{},{},{},{}",
            self.seconds,
            self.start_seconds,
            self.peak_bytes,
            self.most_alive,
            self.allocations,
            self.allocated_bytes
        )
    }

    /// Reads a line of [`Run::line`].
    pub fn parse(line: &str) -> Result<Run, String> {
        let bad = || format!("a child printed {line:?}, not six numbers");
        let cells: Vec<&str> = line.trim().split(',').collect();
        let [s, start, peak, most, allocs, bytes] = cells[..] else {
            return Err(bad());
        };
        let float = |t: &str| t.parse::<f64>().map_err(|_| bad());
        let int = |t: &str| t.parse::<u64>().map_err(|_| bad());
        Ok(Run {
            seconds: float(s)?,
            start_seconds: float(start)?,
            peak_bytes: int(peak)?,
            most_alive: int(most)? as usize,
            allocations: int(allocs)?,
            allocated_bytes: int(bytes)?,
        })
    }
}

/// The job every task runs: wait, then say so. Its future's size is the
/// part of the task that is the job's own (see [`task_future_size`]).
// ANCHOR: task_job
async fn waiting_task(wait: Duration, gauge: Arc<Gauge>) {
    tokio::time::sleep(wait).await;
    gauge.leave();
}
// ANCHOR_END: task_job

/// The size in bytes of the future each task runs (`std::mem::size_of_val`),
/// and of the `Sleep` future inside it.
pub fn task_future_size() -> io::Result<(usize, usize)> {
    let wait = Duration::from_millis(1);
    let future = waiting_task(wait, Arc::new(Gauge::default()));
    // Making a Sleep reads the runtime's clock: inside one.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()?;
    let _inside = runtime.enter();
    let sleep = tokio::time::sleep(wait);
    Ok((
        std::mem::size_of_val(&future),
        std::mem::size_of_val(&sleep),
    ))
}

// ANCHOR: tasks
/// `count` tokio tasks on a multi-thread runtime (one worker per core), each
/// of which sleeps `wait` once; returns when every one has finished.
pub fn run_tasks(count: usize, wait: Duration) -> io::Result<Run> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_time()
        .build()?;
    let gauge = Arc::new(Gauge::default());
    runtime.block_on(async {
        let mut tasks = Vec::with_capacity(count);
        let heap_before = heap::counted();
        let start = Instant::now();
        for _ in 0..count {
            gauge.enter();
            tasks.push(tokio::spawn(waiting_task(wait, Arc::clone(&gauge))));
        }
        let start_seconds = start.elapsed().as_secs_f64();
        let heap = heap::counted().since(heap_before);
        for task in tasks {
            task.await?;
        }
        Ok(Run {
            seconds: start.elapsed().as_secs_f64(),
            start_seconds,
            most_alive: gauge.most(),
            allocations: heap.allocations,
            allocated_bytes: heap.bytes,
            peak_bytes: 0,
        })
    })
}
// ANCHOR_END: tasks

// ANCHOR: threads
/// `count` OS threads (std's default 2 MiB stack each), each of which sleeps
/// `wait` once in `std::thread::sleep`; returns when every one has finished.
pub fn run_threads(count: usize, wait: Duration) -> io::Result<Run> {
    let gauge = Arc::new(Gauge::default());
    let mut threads = Vec::with_capacity(count);
    let heap_before = heap::counted();
    let start = Instant::now();
    for n in 0..count {
        gauge.enter();
        let gauge = Arc::clone(&gauge);
        let spawned = std::thread::Builder::new().spawn(move || {
            std::thread::sleep(wait);
            gauge.leave();
        });
        match spawned {
            Ok(thread) => threads.push(thread),
            Err(e) => {
                return Err(io::Error::other(format!(
                    "thread {} of {count} did not start: {e}",
                    n + 1
                )));
            }
        }
    }
    let start_seconds = start.elapsed().as_secs_f64();
    let heap = heap::counted().since(heap_before);
    for thread in threads {
        thread
            .join()
            .map_err(|_| io::Error::other("a thread panicked"))?;
    }
    Ok(Run {
        seconds: start.elapsed().as_secs_f64(),
        start_seconds,
        most_alive: gauge.most(),
        allocations: heap.allocations,
        allocated_bytes: heap.bytes,
        peak_bytes: 0,
    })
}
// ANCHOR_END: threads

/// This process's peak resident set so far, in bytes (`VmHWM`, Linux only).
pub fn peak_bytes() -> io::Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status").map_err(|e| {
        io::Error::other(format!("cannot read /proc/self/status (Linux only): {e}"))
    })?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.split_whitespace().next()?.parse::<u64>().ok())
        .map(|kib| kib * 1024)
        .ok_or_else(|| io::Error::other("no VmHWM line in /proc/self/status"))
}

/// The child's work: `[WAY, COUNT, WAIT_MS]` after [`CHILD`]; returns the
/// line to print.
pub fn child_main(args: &[String]) -> Result<String, String> {
    let [way, count, wait_ms] = args else {
        return Err(format!("{CHILD} takes WAY COUNT WAIT_MS, not {args:?}"));
    };
    let count: usize = count
        .parse()
        .map_err(|_| format!("{CHILD}: COUNT {count:?} is not a whole number"))?;
    let wait = Duration::from_millis(
        wait_ms
            .parse()
            .map_err(|_| format!("{CHILD}: WAIT_MS {wait_ms:?} is not a whole number"))?,
    );
    let run = match way.as_str() {
        "task" => run_tasks(count, wait),
        "thread" => run_threads(count, wait),
        other => return Err(format!("{CHILD}: unknown way {other:?}")),
    }
    .map_err(|e| e.to_string())?;
    let peak_bytes = peak_bytes().map_err(|e| e.to_string())?;
    Ok(Run { peak_bytes, ..run }.line())
}

/// Runs `way` with `count` jobs that wait `wait_ms` in a child process: the
/// lab's binary `exe` for the Rust ways, `python` running [`PYTHON_SCRIPT`]
/// for Python's. A count of 0 is the baseline: nothing started.
pub fn in_child(
    exe: &Path,
    python: &str,
    way: Way,
    count: usize,
    wait_ms: u64,
) -> Result<Run, String> {
    let what = format!("{} × {count}", way.name());
    let mut command = match way {
        Way::Task | Way::Thread => {
            let mut c = Command::new(exe);
            c.args([CHILD, way.child_word()]);
            c.arg(count.to_string());
            c
        }
        Way::PythonTask | Way::PythonThread => {
            let mut c = Command::new(python);
            c.args([PYTHON_SCRIPT, "--most-alive"]);
            if count == 0 {
                c.args(["baseline", "1"]);
            } else {
                c.arg(way.child_word()).arg(count.to_string());
            }
            c
        }
    };
    command.arg(wait_ms.to_string()).stdin(Stdio::null());
    let out = command.output().map_err(|e| {
        format!(
            "{what}: cannot start {}: {e}",
            command.get_program().display()
        )
    })?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        let said = stderr
            .trim()
            .lines()
            .last()
            .unwrap_or("")
            .trim_start_matches("error: ");
        return Err(format!("{what}: the child failed ({}): {said}", out.status));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    match way {
        Way::Task | Way::Thread => Run::parse(&stdout),
        Way::PythonTask | Way::PythonThread => {
            // `seconds,peak_rss_bytes,most_alive`
            let bad = || format!("{what}: many_waits.py printed {:?}", stdout.trim());
            let cells: Vec<&str> = stdout.trim().split(',').collect();
            let [s, peak, most] = cells[..] else {
                return Err(bad());
            };
            Ok(Run {
                seconds: s.parse().map_err(|_| bad())?,
                peak_bytes: peak.parse().map_err(|_| bad())?,
                most_alive: most.parse().map_err(|_| bad())?,
                ..Run::default()
            })
        }
    }
    .map_err(|e| format!("{what}: {e}"))
}

/// The most OS threads this machine lets one process start, and the limit
/// that says so, from `/proc` (Linux; `None` where it cannot tell). Each
/// thread takes a process id, counts against the user's process limit, and
/// adds areas to the process's memory map, which `vm.max_map_count` bounds:
/// how many, [`maps_per_thread`] measures. Other processes share the first
/// two limits, so fewer may start.
pub fn thread_limit() -> Option<(u64, String)> {
    let read =
        |path: &str| -> Option<u64> { std::fs::read_to_string(path).ok()?.trim().parse().ok() };
    let mut limits = Vec::new();
    if let Some(n) = read("/proc/sys/kernel/pid_max") {
        limits.push((
            n,
            format!("kernel.pid_max is {n} (each thread takes an id)"),
        ));
    }
    if let Some(n) = read("/proc/sys/kernel/threads-max") {
        limits.push((n, format!("kernel.threads-max is {n}")));
    }
    if let (Some(n), Some((now, per))) = (read("/proc/sys/vm/max_map_count"), maps_per_thread()) {
        limits.push((
            (n.saturating_sub(now) as f64 / per) as u64,
            format!(
                "vm.max_map_count is {n}; this process maps {now} areas, and each thread adds \
                 {per:.1} (measured: its stack and guard page, and std's signal stack and its \
                 guard page)"
            ),
        ));
    }
    if let Some(n) = process_limit("Max processes") {
        limits.push((n, format!("ulimit -u (max user processes) is {n}")));
    }
    limits.into_iter().min_by_key(|(n, _)| *n)
}

/// The lines of `/proc/self/maps`: the areas this process has mapped.
fn mapped_areas() -> Option<u64> {
    Some(
        std::fs::read_to_string("/proc/self/maps")
            .ok()?
            .lines()
            .count() as u64,
    )
}

/// How many areas this process maps now, and how many one more thread adds,
/// measured: it starts 64 threads, counts the areas, starts 64 more, counts
/// again, and divides the difference by 64. (The first batch also makes
/// glibc's per-thread malloc arenas, of which there are at most eight per
/// core; the second batch's difference is the threads' own areas.) Each
/// thread waits until it is counted, then ends. `None` off Linux, or if a
/// thread cannot start.
pub fn maps_per_thread() -> Option<(u64, f64)> {
    use std::sync::RwLock;
    const BATCH: usize = 64;
    let now = mapped_areas()?;
    let started = Arc::new(AtomicUsize::new(0));
    let gate = Arc::new(RwLock::new(()));
    let hold = gate.write().ok()?;
    let mut threads = Vec::new();
    let mut counts = Vec::new();
    for _ in 0..2 {
        for _ in 0..BATCH {
            let (started, gate) = (Arc::clone(&started), Arc::clone(&gate));
            let spawned = std::thread::Builder::new().spawn(move || {
                started.fetch_add(1, Ordering::SeqCst);
                drop(gate.read()); // waits until the counting is done
            });
            match spawned {
                Ok(thread) => threads.push(thread),
                Err(_) => break,
            }
        }
        // Every thread has started its closure: its areas are all mapped.
        while started.load(Ordering::SeqCst) < threads.len() {
            std::thread::yield_now();
        }
        counts.push(mapped_areas());
    }
    drop(hold);
    let all_started = threads.len() == 2 * BATCH;
    for thread in threads {
        let _ = thread.join();
    }
    let (first, second) = (counts[0]?, counts[1]?);
    (all_started && second > first).then(|| (now, (second - first) as f64 / BATCH as f64))
}

/// A soft limit from `/proc/self/limits` (`None`: unlimited or unreadable).
pub fn process_limit(name: &str) -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with(name))?;
    line[name.len()..].split_whitespace().next()?.parse().ok()
}

/// Counting heap allocations: the lab's binary makes [`heap::Counting`] its
/// global allocator, and [`heap::counted`] reads the totals.
pub mod heap {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::sync::atomic::{AtomicU64, Ordering};

    static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
    static BYTES: AtomicU64 = AtomicU64::new(0);

    /// The system allocator, counting every allocation and its size.
    #[derive(Debug)]
    pub struct Counting;

    // SAFETY: every call is passed on unchanged to `System`, which upholds
    // `GlobalAlloc`'s contract; the counters only add.
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
            BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
            // SAFETY: our caller keeps `alloc`'s contract; we pass it on.
            unsafe { System.alloc(layout) }
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            // SAFETY: `ptr` came from `System` (through `alloc` above) with `layout`.
            unsafe { System.dealloc(ptr, layout) }
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            // A block grown or shrunk counts as one more allocation, of its new size.
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
            BYTES.fetch_add(new_size as u64, Ordering::Relaxed);
            // SAFETY: our caller keeps `realloc`'s contract; we pass it on.
            unsafe { System.realloc(ptr, layout, new_size) }
        }
    }

    /// Allocations and bytes allocated so far (all zero if the binary does
    /// not count).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    pub struct Counted {
        /// How many allocations.
        pub allocations: u64,
        /// Their bytes, added up.
        pub bytes: u64,
    }

    impl Counted {
        /// What was allocated between `before` and `self`.
        pub fn since(self, before: Counted) -> Counted {
            Counted {
                allocations: self.allocations - before.allocations,
                bytes: self.bytes - before.bytes,
            }
        }
    }

    /// The totals so far.
    pub fn counted() -> Counted {
        Counted {
            allocations: ALLOCATIONS.load(Ordering::Relaxed),
            bytes: BYTES.load(Ordering::Relaxed),
        }
    }
}
