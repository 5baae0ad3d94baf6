//! Running a shuttle model of async code and reporting what it found, in words:
//! the shuttle face of `lab_support::model` (which does the same for loom).
//!
//! shuttle (awslabs, 0.9) runs a test many times, each time under another
//! *schedule*: the order in which its tasks take their steps. Every task (the
//! test's own body, and each future it spawns) runs as a coroutine with a
//! stack of its own, all on the one OS thread that called shuttle (shuttle-engine
//! `src/runtime/thread/continuation.rs`, and `Task::from_future` in
//! `src/runtime/task/mod.rs`, which polls a spawned future in a loop on its
//! coroutine and switches away whenever it returns `Pending`). Only one task
//! runs at a time, and shuttle chooses which one at its *scheduling points*,
//! the calls of shuttle-engine's `thread::switch`: taking (at the first poll)
//! and releasing its semaphores, on which shuttle-tokio builds its locks and
//! channels, `Notify::notified` (before it registers), `yield_now`, each time
//! a task's future returns `Pending` and each time a task ends. A spawn
//! switches only *before* the new task exists (`ExecutionState::spawn_future`:
//! "This doesn't create a yield point"), so the new task runs no earlier than
//! the spawner's next scheduling point. Between two scheduling points a task
//! runs alone, so std atomics and other plain code are never interleaved
//! there.
//!
//! [`Model::check`] is for code you believe correct: it runs a search,
//! prints how many schedules it explored, and panics with the failing one,
//! step by step, if any fails. [`Model::find_failure`] is for demos of bugs: it
//! fails the test if shuttle finds *no* failing schedule, and returns (and
//! prints) the one it found, with shuttle's own encoding of that schedule, which
//! [`Model::replay`] (or `shuttle::replay`, with the same shuttle build of the
//! model) plays again.
//!
//! What the default search (depth-first, [`Model::dfs`]) explores: every
//! sequence of choices at shuttle's scheduling points, each run to its end,
//! with no bound on preemptions (shuttle-schedulers `src/dfs.rs`: at each
//! scheduling decision it tries every runnable task in turn, backtracking from
//! the deepest decision). It is exhaustive when no iteration bound is given and
//! the search ends on its own. What it leaves out: time (shuttle-tokio's
//! `sleep` and `timeout` do not wait), real I/O, tasks running truly in
//! parallel (two steps never overlap), weak memory (std atomics are plain
//! sequentially consistent memory under shuttle), and random choices: the
//! models' code draws from shuttle's random source only where it has one
//! option (see [`Model::dfs`]). A pass is shuttle's verdict on the schedules
//! it explored, never a proof.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::rc::Rc;

use shuttle::scheduler::{DfsScheduler, ReplayScheduler, Schedule, Scheduler, Task, TaskId};
use shuttle::{Config, FailurePersistence, Runner};
use shuttle_engine::scheduler::serialization::serialize_schedule;

use crate::panic_message;
use crate::trace::{self, Step};

/// How a failing schedule's account says that it ended in a deadlock.
pub const DEADLOCK: &str = "Then every task was blocked, each waiting for something that no \
                            running task could give: a deadlock";

/// "1 schedule", "27 schedules".
pub fn schedules_text(n: usize) -> String {
    if n == 1 {
        "1 schedule".to_owned()
    } else {
        format!("{n} schedules")
    }
}

/// Which search a [`Model`] runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Search {
    /// shuttle's depth-first search over every schedule, stopping after
    /// `max_schedules` if that is given.
    Dfs {
        /// A bound on the number of schedules tried; `None`: until every
        /// schedule has been tried.
        max_schedules: Option<usize>,
    },
    /// One schedule given as shuttle's encoding, played once ([`Model::replay`]).
    Replay,
}

impl fmt::Display for Search {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Search::Dfs {
                max_schedules: None,
            } => write!(f, "its depth-first search, which tries every schedule"),
            Search::Dfs {
                max_schedules: Some(n),
            } => write!(
                f,
                "its depth-first search, stopped after at most {}",
                schedules_text(*n)
            ),
            Search::Replay => write!(f, "a replay of the one schedule it was given"),
        }
    }
}

/// A shuttle model: a search and a body that shuttle runs under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Model {
    search: Search,
}

impl Default for Model {
    fn default() -> Self {
        Self::dfs()
    }
}

/// What a successful [`Model::check`] explored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Explored {
    /// How many complete schedules shuttle ran. Every one passed.
    pub schedules: usize,
    /// The search that ran them.
    pub search: Search,
}

impl Explored {
    /// True if the search tried every schedule (depth-first, no bound hit).
    pub fn exhaustive(&self) -> bool {
        match self.search {
            Search::Dfs { max_schedules } => max_schedules.is_none_or(|n| self.schedules < n),
            Search::Replay => false,
        }
    }
}

/// "shuttle explored all 27 schedules (depth-first); every one passed" (no
/// full stop: the captured reports put it in a sentence of their own).
impl fmt::Display for Explored {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verdict = if self.schedules == 1 {
            "it"
        } else {
            "every one"
        };
        if self.exhaustive() {
            write!(
                f,
                "shuttle explored all {} (depth-first, every schedule); {verdict} passed",
                schedules_text(self.schedules)
            )
        } else {
            write!(
                f,
                "shuttle explored {} ({}); {verdict} passed",
                schedules_text(self.schedules),
                self.search
            )
        }
    }
}

/// A failing schedule that shuttle found.
#[derive(Debug, Clone)]
pub struct Failure {
    /// Which schedule of the search failed (1 is the first shuttle tried).
    pub schedule_number: usize,
    /// The steps the model's `trace!` calls recorded, in the order they ran.
    pub steps: Vec<Step>,
    /// The panic message: a failed assertion, or shuttle's own verdict
    /// (`deadlock! blocked tasks: [...]`).
    pub message: String,
    /// shuttle's encoding of the failing schedule, for [`Model::replay`].
    pub schedule: String,
    /// The search that found it.
    pub search: Search,
}

impl Failure {
    /// True if shuttle stopped because every unfinished task was blocked.
    pub fn is_deadlock(&self) -> bool {
        self.message.starts_with("deadlock!")
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.search == Search::Replay {
            writeln!(
                f,
                "shuttle replayed the schedule it was given, and it failed."
            )?;
        } else {
            writeln!(
                f,
                "shuttle found a failing schedule: number {} of {}.",
                self.schedule_number, self.search
            )?;
        }
        if self.steps.is_empty() {
            writeln!(
                f,
                "The schedule recorded no steps: the code it ran has no trace! calls. \
                 Add trace!(\"...\") after the awaits, locks and notifications you want \
                 to see (use super::trace), and run the test again."
            )?;
        } else {
            writeln!(f, "The execution, step by step:")?;
            f.write_str(&trace::render(&self.steps))?;
        }
        if self.is_deadlock() {
            writeln!(f, "{DEADLOCK}. shuttle reports:")?;
        } else {
            writeln!(f, "Then it failed:")?;
        }
        for line in self.message.lines() {
            writeln!(f, "  {line}")?;
        }
        writeln!(
            f,
            "shuttle's encoding of this schedule, which Model::replay plays again:"
        )?;
        for line in self.schedule.lines() {
            writeln!(f, "  {line}")?;
        }
        Ok(())
    }
}

// The steps of the schedule that runs now, on this OS thread (shuttle runs
// every task of a model on it), and whether a model is running here at all.
thread_local! {
    static STEPS: RefCell<Vec<Step>> = const { RefCell::new(Vec::new()) };
    static RECORDING: Cell<bool> = const { Cell::new(false) };
}

/// Records a step of the shuttle task that runs now: `main` for the model's
/// body, `T1`, `T2`, … for the tasks it spawns, in spawn order (shuttle numbers
/// its tasks 0, 1, 2, … as they are created: `ExecutionState::spawn_future` in
/// shuttle-engine's `src/runtime/execution.rs`). Reached as `trace!` through
/// the `trace_shuttle` macro. Outside a shuttle model it records nothing.
pub fn record(event: String) {
    if !RECORDING.with(Cell::get) {
        return;
    }
    let Some(task) = shuttle::current::try_get_current_task() else {
        return;
    };
    let thread = match usize::from(task) {
        0 => "main".to_owned(),
        n => format!("T{n}"),
    };
    STEPS.with(|steps| steps.borrow_mut().push(Step { thread, event }));
}

/// The steps, numbered, as a failing schedule's account shows them.
pub fn render_steps(steps: &[Step]) -> String {
    trace::render(steps)
}

fn reset_steps() {
    STEPS.with(|steps| steps.borrow_mut().clear());
}

fn take_steps() -> Vec<Step> {
    STEPS.with(|steps| std::mem::take(&mut *steps.borrow_mut()))
}

/// What a [`Recording`] scheduler saw: how many schedules began, and the
/// choices of the one that runs now.
#[derive(Debug, Default)]
struct Log {
    schedules: usize,
    current: Schedule,
}

/// A scheduler that makes the choices of `inner` and writes each one down, as
/// shuttle's own `CurrentSchedule` does (a task step per scheduling decision,
/// a random step per random number), so that the failing schedule can be
/// encoded with shuttle's `serialize_schedule` and replayed.
#[derive(Debug)]
struct Recording<S> {
    inner: S,
    log: Rc<RefCell<Log>>,
}

impl<S: Scheduler> Scheduler for Recording<S> {
    fn new_execution(&mut self) -> Option<Schedule> {
        let schedule = self.inner.new_execution()?;
        let mut log = self.log.borrow_mut();
        log.schedules += 1;
        log.current = schedule.clone();
        Some(schedule)
    }

    fn next_task(
        &mut self,
        runnable: &[&Task],
        current: Option<TaskId>,
        is_yielding: bool,
    ) -> Option<TaskId> {
        let next = self.inner.next_task(runnable, current, is_yielding)?;
        self.log.borrow_mut().current.push_task(next);
        Some(next)
    }

    fn next_u64(&mut self) -> u64 {
        self.log.borrow_mut().current.push_random();
        self.inner.next_u64()
    }
}

/// Puts `RECORDING` back when a run returns or unwinds.
struct StopRecording(bool);

impl Drop for StopRecording {
    fn drop(&mut self) {
        RECORDING.with(|r| r.set(self.0));
    }
}

impl Model {
    /// shuttle's depth-first search with no bound: every schedule, so a pass
    /// means every schedule passed. Right for models of two or three tasks
    /// with a few awaits each.
    ///
    /// The search is built as `DfsScheduler::new(None, true)`: it lets the
    /// model's code draw random numbers, always the same ones (shuttle-schedulers
    /// `src/dfs.rs`), so a choice made at random is *not* explored. shuttle-tokio
    /// draws one in two places: `Notify::notify_one` picks a waiter at random
    /// (`src/sync/notify.rs` of shuttle-tokio-impl-inner), which changes
    /// nothing when one task waits, as in every model of lab 10; and `select!`
    /// without `biased;` picks the branch to poll first at random, so the
    /// models' `select!`s are all `biased;`. (`shuttle::check_dfs` refuses
    /// random numbers altogether, and would fail on the first `notify_one`
    /// that finds a waiter.)
    pub fn dfs() -> Self {
        Model {
            search: Search::Dfs {
                max_schedules: None,
            },
        }
    }

    /// The depth-first search, stopped after `max_schedules` schedules: a
    /// sample of the schedules, in depth-first order, not all of them.
    pub fn dfs_bounded(max_schedules: usize) -> Self {
        Model {
            search: Search::Dfs {
                max_schedules: Some(max_schedules),
            },
        }
    }

    /// Checks `body`: runs the search and panics with the failing schedule,
    /// step by step, if any schedule panics or deadlocks. Prints and returns
    /// how many schedules shuttle explored.
    #[track_caller]
    pub fn check<F>(&self, body: F) -> Explored
    where
        F: Fn() + Send + Sync + 'static,
    {
        match self.run(body) {
            Ok(explored) => {
                println!("{explored}.");
                explored
            }
            Err(failure) => panic!("{failure}"),
        }
    }

    /// For demos of bugs: fails if shuttle finds *no* failing schedule;
    /// otherwise prints the failing schedule step by step and returns it.
    #[track_caller]
    pub fn find_failure<F>(&self, body: F) -> Failure
    where
        F: Fn() + Send + Sync + 'static,
    {
        match self.run(body) {
            Ok(explored) => panic!("expected shuttle to find a failing schedule, but {explored}"),
            Err(failure) => {
                println!("{failure}");
                failure
            }
        }
    }

    /// Runs the search; `Ok` if every schedule passed, else the first failure.
    pub fn run<F>(&self, body: F) -> Result<Explored, Failure>
    where
        F: Fn() + Send + Sync + 'static,
    {
        let Search::Dfs { max_schedules } = self.search else {
            panic!("Model::run runs a search; to play one schedule, call Model::replay");
        };
        let result = run_with(DfsScheduler::new(max_schedules, true), body);
        match result {
            Ok(schedules) => Ok(Explored {
                schedules,
                search: self.search,
            }),
            Err((schedule_number, steps, message, schedule)) => Err(Failure {
                schedule_number,
                steps,
                message,
                schedule,
                search: self.search,
            }),
        }
    }

    /// Plays `schedule` (shuttle's encoding, as a [`Failure`] prints it) once
    /// on `body`, with shuttle's `ReplayScheduler`, and returns the steps it
    /// recorded and how it ended: `Ok(steps)` if it passed, `Err(failure)` if
    /// it failed (its `schedule_number` is 1, its search [`Search::Replay`]).
    /// A schedule that does not fit `body` (it ends before the model does,
    /// or has a task switch where the model draws a random number) fails
    /// with shuttle's `ReplayScheduler` message, "schedule ended early" and
    /// the like. `body` must be the shuttle build of the model: the same
    /// code compiled against real tokio has no shuttle scheduling points.
    pub fn replay<F>(schedule: &str, body: F) -> Result<Vec<Step>, Failure>
    where
        F: Fn() + Send + Sync + 'static,
    {
        let search = Search::Replay;
        let kept = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = std::sync::Arc::clone(&kept);
        let result = run_with(ReplayScheduler::new_from_encoded(schedule), move || {
            body();
            *sink.lock().unwrap_or_else(|e| e.into_inner()) = take_steps();
        });
        match result {
            Ok(_) => Ok(std::mem::take(
                &mut *kept.lock().unwrap_or_else(|e| e.into_inner()),
            )),
            Err((schedule_number, steps, message, schedule)) => Err(Failure {
                schedule_number,
                steps,
                message,
                schedule,
                search,
            }),
        }
    }
}

/// A failing run: which schedule, its steps, its message, its encoding.
type RunFailure = (usize, Vec<Step>, String, String);

/// Runs `body` under `scheduler` on this OS thread; `Ok(schedules)` if every
/// schedule passed.
fn run_with<S, F>(scheduler: S, body: F) -> Result<usize, RunFailure>
where
    S: Scheduler + 'static,
    F: Fn() + Send + Sync + 'static,
{
    let log = Rc::new(RefCell::new(Log::default()));
    let scheduler = Recording {
        inner: scheduler,
        log: Rc::clone(&log),
    };
    // The failure is reported by `Failure`, with the schedule: shuttle need
    // not print it to stderr too.
    let mut config = Config::new();
    config.failure_persistence = FailurePersistence::None;
    let runner = Runner::new(scheduler, config);

    let _restore = StopRecording(RECORDING.with(|r| r.replace(true)));
    reset_steps();
    // The panic of a failing schedule is reported by `Failure`, not printed as
    // it happens.
    let result = crate::quietly(|| {
        panic::catch_unwind(AssertUnwindSafe(|| {
            runner.run(move || {
                // Each schedule starts here, in shuttle's first task.
                reset_steps();
                body();
            })
        }))
    });
    let log = log.borrow();
    match result {
        Ok(schedules) => Ok(schedules),
        Err(payload) => Err((
            log.schedules,
            take_steps(),
            panic_message(&*payload),
            serialize_schedule(&log.current),
        )),
    }
}
