//! A tour of tokio's tools, each in a small function that the tests run and
//! the book shows: runtimes, `spawn` and `JoinHandle`, `join!`, `try_join!`,
//! `JoinSet`, `select!` and `timeout`, and many futures in one task, a few
//! at a time (`buffer_unordered`, a `Semaphore`).
//!
//! Each function writes what happens, and when, into a [`Log`]. The times are
//! tokio's clock: the tests run these functions on a runtime whose clock is
//! *paused* (`start_paused`), which jumps straight to the next timer whenever
//! every task is waiting, so a run takes no real time and its log is the same
//! every time. (The lab's library cannot build a paused runtime itself: that
//! needs tokio's `test-util` feature, which only the tests turn on.)
//!
//! The book's page: chapter 9, "Tokio's tools".

use std::fmt::Display;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::stream::{self, StreamExt};
use tokio::runtime::Runtime;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::{Instant, sleep, timeout};

/// What happened when: one line per event, stamped with the milliseconds
/// on tokio's clock since the log was made. Clones write to the same log.
#[derive(Debug, Clone)]
pub struct Log {
    start: Instant,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Log {
    /// An empty log whose time 0 is now. Call it inside a runtime.
    pub fn new() -> Self {
        Log {
            start: Instant::now(),
            lines: Arc::default(),
        }
    }

    /// Adds a line.
    pub fn say(&self, what: impl Display) {
        let ms = self.start.elapsed().as_millis();
        self.lines
            .lock()
            .unwrap()
            .push(format!("{ms:>5} ms  {what}"));
    }

    /// The lines so far.
    pub fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    /// The lines so far, one per line of text.
    pub fn text(&self) -> String {
        self.lines().iter().map(|l| format!("{l}\n")).collect()
    }
}

impl Default for Log {
    fn default() -> Self {
        Log::new()
    }
}

// ANCHOR: drop_note
/// Notes in the log when a [`step`] is dropped before it finished.
struct DropNote {
    log: Log,
    name: &'static str,
    finished: bool,
}

impl Drop for DropNote {
    fn drop(&mut self) {
        if !self.finished {
            self.log
                .say(format_args!("{} dropped before it finished", self.name));
        }
    }
}
// ANCHOR_END: drop_note

// ANCHOR: step
/// A piece of work that waits `ms` milliseconds, logs that it is done, and
/// returns its name. If it is dropped before that, it logs so instead.
pub async fn step(log: Log, name: &'static str, ms: u64) -> &'static str {
    let mut note = DropNote {
        log: log.clone(),
        name,
        finished: false,
    };
    sleep(Duration::from_millis(ms)).await;
    log.say(format_args!("{name} done"));
    note.finished = true;
    name
}
// ANCHOR_END: step

/// A step that fails: it waits `ms` milliseconds, then returns an error.
pub async fn failing_step(log: Log, name: &'static str, ms: u64) -> Result<&'static str, String> {
    sleep(Duration::from_millis(ms)).await;
    log.say(format_args!("{name} fails"));
    Err(format!("{name} failed"))
}

// ANCHOR: runtimes
/// One runtime of each kind.
pub fn runtimes() -> std::io::Result<(Runtime, Runtime)> {
    // Every task on the thread that calls `block_on`.
    let current = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    // Tasks on a pool of worker threads (one per core unless told).
    let multi = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("tour-worker")
        .enable_all()
        .build()?;
    Ok((current, multi))
}
// ANCHOR_END: runtimes

// ANCHOR: where_tasks_run
/// Spawns `tasks` tasks on `runtime`, each of which reports the name of the
/// thread it ran on, and returns those names in spawn order.
pub fn where_tasks_run(runtime: &Runtime, tasks: usize) -> Vec<String> {
    runtime.block_on(async {
        let handles: Vec<_> = (0..tasks)
            .map(|_| {
                tokio::spawn(async {
                    let thread = std::thread::current();
                    thread.name().unwrap_or("(no name)").to_owned()
                })
            })
            .collect();
        let mut names = Vec::new();
        for handle in handles {
            names.push(handle.await.expect("the task does not panic"));
        }
        names
    })
}
// ANCHOR_END: where_tasks_run

// ANCHOR: spawn
/// Spawns a task that returns a value and one that panics, and awaits both
/// handles.
pub async fn spawn_and_join(log: Log) {
    let good = tokio::spawn(async { 6 * 7 });
    let bad = tokio::spawn(async {
        let empty: Vec<u32> = Vec::new();
        empty[0] // panics: index out of bounds
    });
    match good.await {
        Ok(value) => log.say(format_args!("good task returned {value}")),
        Err(e) => log.say(format_args!("good task failed: {e}")),
    }
    match bad.await {
        Ok(value) => log.say(format_args!("bad task returned {value}")),
        Err(e) if e.is_panic() => log.say("bad task panicked: its JoinError says is_panic()"),
        Err(e) => log.say(format_args!("bad task failed otherwise: {e}")),
    }
    log.say("the runtime, and this task, go on");
}
// ANCHOR_END: spawn

// ANCHOR: not_awaited
/// Tempting: calling an async function and not awaiting what it returns.
pub async fn not_awaited(log: Log) {
    // rustc warns here ("futures do nothing unless you `.await` or poll them"):
    // the future is made, and dropped without ever being polled.
    #[allow(unused_must_use)]
    step(log.clone(), "never awaited", 100);
    sleep(Duration::from_millis(200)).await;
    log.say("200 ms later, and nothing else was logged");
}
// ANCHOR_END: not_awaited

// ANCHOR: detach
/// Tempting: dropping a `JoinHandle` to stop a task. Right: `abort`.
pub async fn drop_or_abort(log: Log) {
    let detached = tokio::spawn(step(log.clone(), "task whose handle was dropped", 100));
    drop(detached); // detaches the task: it runs on
    let aborted = tokio::spawn(step(log.clone(), "aborted task", 100));
    sleep(Duration::from_millis(50)).await; // both tasks are waiting now
    aborted.abort(); // the runtime drops the task's future
    match aborted.await {
        Err(e) if e.is_cancelled() => log.say("aborted task: its JoinError says is_cancelled()"),
        other => log.say(format_args!("aborted task: {other:?}")),
    }
    sleep(Duration::from_millis(200)).await;
    log.say("200 ms later");
}
// ANCHOR_END: detach

// ANCHOR: join
/// The same two steps awaited one after the other, then with `join!`.
pub async fn one_after_the_other_then_join(log: Log) {
    step(log.clone(), "a", 100).await;
    step(log.clone(), "b", 200).await;
    log.say("one after the other: both done");
    let (a, b) = tokio::join!(step(log.clone(), "c", 100), step(log.clone(), "d", 200));
    log.say(format_args!("join!: both done, returned ({a}, {b})"));
}
// ANCHOR_END: join

// ANCHOR: try_join
/// `try_join!` of three steps whose second fails.
pub async fn try_join_first_error(log: Log) {
    let ok = |name, ms| {
        let log = log.clone();
        async move { Ok::<_, String>(step(log, name, ms).await) }
    };
    let outcome = tokio::try_join!(
        ok("a", 100),
        failing_step(log.clone(), "b", 200),
        ok("c", 300)
    );
    log.say(format_args!("try_join! returned {outcome:?}"));
}
// ANCHOR_END: try_join

// ANCHOR: join_set
/// Three tasks in a `JoinSet`, collected as they finish.
pub async fn join_set_in_completion_order(log: Log) {
    let mut set = JoinSet::new();
    for (name, ms) in [("slow", 300), ("fast", 100), ("middle", 200)] {
        set.spawn(step(log.clone(), name, ms));
    }
    while let Some(joined) = set.join_next().await {
        let name = joined.expect("no step panics");
        log.say(format_args!("join_next returned {name}"));
    }
}
// ANCHOR_END: join_set

// ANCHOR: select
/// `select!` between a short wait and a long one.
pub async fn select_first_wins(log: Log) {
    let winner = tokio::select! {
        name = step(log.clone(), "short", 100) => name,
        name = step(log.clone(), "long", 300) => name,
    };
    log.say(format_args!("select! returned {winner}"));
    sleep(Duration::from_millis(500)).await;
    log.say("500 ms later, and long never finished");
}
// ANCHOR_END: select

// ANCHOR: timeout
/// A step that takes too long, and one that does not, each under a time limit.
pub async fn time_limits(log: Log) {
    let limit = Duration::from_millis(1_000);
    match timeout(limit, step(log.clone(), "slow", 5_000)).await {
        Ok(name) => log.say(format_args!("{name} made it")),
        Err(elapsed) => log.say(format_args!("slow: timeout returned Err({elapsed})")),
    }
    match timeout(limit, step(log.clone(), "quick", 200)).await {
        Ok(name) => log.say(format_args!("timeout returned Ok({name})")),
        Err(elapsed) => log.say(format_args!("quick: Err({elapsed})")),
    }
}
// ANCHOR_END: timeout

/// Five steps for the two functions below: `(name, ms)`.
const FIVE_STEPS: [(&str, u64); 5] = [("a", 300), ("b", 100), ("c", 100), ("d", 200), ("e", 50)];

// ANCHOR: buffer_unordered
/// Five steps, at most two running at once: a stream of futures, and
/// `buffer_unordered(2)`.
pub async fn a_few_at_a_time(log: Log) {
    let names: Vec<&str> = stream::iter(FIVE_STEPS)
        .map(|(name, ms)| {
            // Runs when `buffer_unordered` has room for one more.
            log.say(format_args!("{name} starts"));
            step(log.clone(), name, ms)
        })
        .buffer_unordered(2)
        .collect()
        .await;
    log.say(format_args!("buffer_unordered(2) yielded {names:?}"));
}
// ANCHOR_END: buffer_unordered

// ANCHOR: semaphore
/// The same five steps, all made at once and joined, each of which waits
/// for one of the two permits of a `Semaphore` before it starts.
pub async fn two_permits(log: Log) {
    let permits = Semaphore::new(2);
    let steps = FIVE_STEPS.map(|(name, ms)| {
        let (log, permits) = (log.clone(), &permits);
        async move {
            let _permit = permits.acquire().await.expect("never closed");
            log.say(format_args!("{name} has a permit"));
            step(log, name, ms).await
        } // `_permit` is dropped here: the next waiter gets it
    });
    let names = futures::future::join_all(steps).await;
    log.say(format_args!("join_all returned {names:?}"));
}
// ANCHOR_END: semaphore
