//! Running a loom model and reporting what it found, in words.
//!
//! [`Model::check`] is for code you believe correct: it runs loom's search,
//! prints how many executions it explored, and panics with the failing
//! execution, step by step, if one breaks. A pass means "every execution loom
//! explored passed", never a proof: see below for what the search leaves out.
//! [`Model::find_violation`] is for demos of bugs: it fails the test if loom
//! finds *no* failing execution, and returns (and prints) the one it found.
//!
//! What loom explores and what it does not is set out in the book's chapters 3
//! (and 4, for `Condvar`) and 6. In short: interleavings of the model's threads at the
//! points where they touch loom's primitives (taking a lock, each atomic
//! operation, `Condvar` wait and notify, loom `Arc` clone and drop,
//! `yield_now`/`spin_loop`, joining and ending a thread; not `spawn`, not
//! releasing a lock), and for each atomic load the earlier stores it may read.
//! It leaves out load buffering, treats `SeqCst` accesses as `AcqRel`, never
//! wakes a `Condvar` waiter spuriously, always wakes the oldest waiter on
//! `notify_one`, never times out a `wait_timeout`, and never fails a
//! `compare_exchange_weak` spuriously. With a preemption bound it explores
//! only a *subset* of the executions with at most that many preemptions: in
//! loom 0.7, `Schedule::backtrack` (`src/rt/path.rs`) adds no alternative at a
//! scheduling point once the preemptions so far equal the bound, not even the
//! free choice of which thread runs after one blocks or ends. So "bound k
//! passes" is a fact about loom's search, never the number of preemptions a
//! bug needs (the lab-04 test `loom_bound_one_misses_a_one_preemption_deadlock`
//! pins that down).

use std::cell::Cell;
use std::fmt;
use std::panic::{self, AssertUnwindSafe};

use crate::panic_message;
use crate::trace::{self, Step};

/// loom's limit on the scheduling and load choices (branches) of one
/// execution, pinned to loom 0.7's default. An execution that makes more
/// fails with "Model exceeded maximum number of branches": a spin loop that
/// never sees the store it waits for does (chapter 6, "A spin lock").
pub const MAX_BRANCHES: usize = 1_000;

/// A loom model with an optional preemption bound.
#[derive(Debug, Clone, Default)]
pub struct Model {
    preemption_bound: Option<usize>,
}

/// "1 execution", "27 executions".
pub fn executions_text(n: usize) -> String {
    if n == 1 {
        "1 execution".to_owned()
    } else {
        format!("{n} executions")
    }
}

/// What a successful [`Model::check`] explored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Explored {
    /// How many complete executions loom ran. Every one passed.
    pub executions: usize,
}

/// "loom explored 27 executions; every one passed", or "loom explored 1
/// execution; it passed" (no full stop: the captured reports put it in a
/// sentence of their own).
impl fmt::Display for Explored {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "loom explored {}; {} passed",
            executions_text(self.executions),
            if self.executions == 1 {
                "it"
            } else {
                "every one"
            }
        )
    }
}

/// A failing execution that loom found.
#[derive(Debug, Clone)]
pub struct Failure {
    /// Which execution of the search failed (1 is the first loom tried).
    pub execution: usize,
    /// The steps the model's `trace!` calls recorded, in the order they ran.
    pub steps: Vec<Step>,
    /// The panic message: a failed assertion, or loom's own verdict
    /// (`deadlock; threads = …`).
    pub message: String,
    /// The preemption bound the search ran under.
    pub preemption_bound: Option<usize>,
}

impl Failure {
    /// True if loom stopped because every thread was blocked.
    pub fn is_deadlock(&self) -> bool {
        self.message.starts_with("deadlock")
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "loom found a failing execution: number {} of the search{}.",
            self.execution,
            match self.preemption_bound {
                Some(b) => format!(", preemption bound {b}"),
                None => String::new(),
            }
        )?;
        if self.steps.is_empty() && self.message.starts_with("not yet implemented") {
            // A starter's todo!(): nothing ran yet, so there is nothing to trace.
            writeln!(f, "The execution recorded no steps.")?;
        } else if self.steps.is_empty() {
            writeln!(
                f,
                "The execution recorded no steps: the code it ran has no trace! calls. \
                 Add trace!(\"...\") after the lock, atomic or wait calls you want to see \
                 (use super::sync::trace), and run the test again."
            )?;
        } else {
            writeln!(f, "The execution, step by step:")?;
            f.write_str(&trace::render(&self.steps))?;
        }
        if self.is_deadlock() {
            writeln!(f, "{}. loom reports:", trace::DEADLOCK)?;
        } else {
            writeln!(f, "Then it failed:")?;
        }
        for line in self.message.lines() {
            writeln!(f, "  {line}")?;
        }
        Ok(())
    }
}

thread_local! {
    static EXECUTIONS: Cell<usize> = const { Cell::new(0) };
}

impl Model {
    /// A model with no preemption bound: loom's search is then limited only by
    /// its memory model and its limits (see the module docs). Right for two
    /// threads; bound anything bigger (see [`Model::preemption_bound`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// Lets loom preempt threads at most `bound` times per execution. The state
    /// space of three or more threads grows so fast that an unbounded search can
    /// take hours, and the bound cuts it down. It cuts more than the executions
    /// with over `bound` preemptions: loom 0.7 stops branching at every
    /// scheduling point once `bound` preemptions are used, so it skips some
    /// executions *within* the bound too. A test that uses a bound must
    /// therefore show that the bound still finds the bug it is meant to find;
    /// the bound at which loom finds a bug says nothing about how many
    /// preemptions the bug needs.
    pub fn preemption_bound(mut self, bound: usize) -> Self {
        self.preemption_bound = Some(bound);
        self
    }

    /// Checks `body`: runs loom's search and panics with the failing execution,
    /// step by step, if any execution panics or deadlocks. Prints and returns how
    /// many executions loom explored. A pass says that every execution loom
    /// explored passed, not that no execution can fail.
    #[track_caller]
    pub fn check<F>(&self, body: F) -> Explored
    where
        F: Fn() + Sync + Send + 'static,
    {
        match self.run(body) {
            Ok(executions) => {
                let explored = Explored { executions };
                println!("{explored}.");
                explored
            }
            Err(failure) => panic!("{failure}"),
        }
    }

    /// [`Model::check`], keeping the steps of every execution loom explored, in
    /// the order it explored them: for tests that look at where loom's search
    /// went. (The steps of an execution are taken when its body returns.)
    #[track_caller]
    pub fn check_and_keep_steps<F>(&self, body: F) -> (Explored, Vec<Vec<Step>>)
    where
        F: Fn() + Sync + Send + 'static,
    {
        let kept = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = std::sync::Arc::clone(&kept);
        let explored = self.check(move || {
            body();
            sink.lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(trace::take());
        });
        let steps = std::mem::take(&mut *kept.lock().unwrap_or_else(|e| e.into_inner()));
        (explored, steps)
    }

    /// For demos of bugs: fails if loom finds *no* failing execution; otherwise
    /// prints the failing execution step by step and returns it.
    #[track_caller]
    pub fn find_violation<F>(&self, body: F) -> Failure
    where
        F: Fn() + Sync + Send + 'static,
    {
        match self.run(body) {
            Ok(executions) => panic!(
                "expected loom to find a failing execution, but {}{}",
                Explored { executions },
                match self.preemption_bound {
                    Some(b) => format!(" (preemption bound {b})"),
                    None => String::new(),
                }
            ),
            Err(failure) => {
                println!("{failure}");
                failure
            }
        }
    }

    /// Runs the model; `Ok(executions)` if all passed, else the first failure.
    pub fn run<F>(&self, body: F) -> Result<usize, Failure>
    where
        F: Fn() + Sync + Send + 'static,
    {
        // `Builder::new` reads LOOM_MAX_PREEMPTIONS, LOOM_MAX_BRANCHES,
        // LOOM_MAX_PERMUTATIONS, LOOM_MAX_DURATION and LOOM_CHECKPOINT_FILE from
        // the environment. Every one that changes what loom explores is set here,
        // so a reader's environment cannot change a test's verdict or the numbers
        // the book shows. (LOOM_LOG and LOOM_LOCATION change only what loom
        // prints, and are left to the reader.)
        let mut builder = loom::model::Builder::new();
        builder.preemption_bound = self.preemption_bound;
        builder.max_branches = MAX_BRANCHES;
        builder.max_permutations = None;
        builder.max_duration = None;
        builder.checkpoint_file = None;

        EXECUTIONS.with(|n| n.set(0));
        trace::reset();
        // The panic of a failing execution is reported by `Failure`, not printed
        // as it happens.
        let result = crate::quietly(|| {
            panic::catch_unwind(AssertUnwindSafe(|| {
                builder.check(move || {
                    // Each execution starts here, on this OS thread.
                    EXECUTIONS.with(|n| n.set(n.get() + 1));
                    trace::reset();
                    body();
                })
            }))
        });
        let executions = EXECUTIONS.with(Cell::get);
        match result {
            Ok(()) => Ok(executions),
            Err(payload) => Err(Failure {
                execution: executions,
                steps: trace::take(),
                message: panic_message(&*payload),
                preemption_bound: self.preemption_bound,
            }),
        }
    }
}

/// What loom's search did under each of several preemption bounds: the
/// book's bounds tables. Made by [`search_bounds`].
#[derive(Debug)]
pub struct Bounds {
    bug: String,
    rows: Vec<(Option<usize>, Result<usize, Failure>)>,
}

/// Runs `body` under each bound of `bounds` (`None`: no bound) and keeps what
/// loom's search did: how many executions passed, or the first failing one.
/// `bug` names what a failure is ("the deadlock"), for the report.
pub fn search_bounds<F>(bounds: &[Option<usize>], bug: &str, body: F) -> Bounds
where
    F: Fn() + Sync + Send + Clone + 'static,
{
    let rows = bounds
        .iter()
        .map(|&bound| {
            let model = Model {
                preemption_bound: bound,
            };
            (bound, model.run(body.clone()))
        })
        .collect();
    Bounds {
        bug: bug.to_owned(),
        rows,
    }
}

impl Bounds {
    fn row(&self, bound: Option<usize>) -> &Result<usize, Failure> {
        &self
            .rows
            .iter()
            .find(|(b, _)| *b == bound)
            .unwrap_or_else(|| panic!("no search was run with bound {bound:?}"))
            .1
    }

    /// Asserts that every execution explored under `bound` passed.
    #[track_caller]
    pub fn passed(&self, bound: Option<usize>) -> Explored {
        match self.row(bound) {
            Ok(executions) => Explored {
                executions: *executions,
            },
            Err(failure) => panic!("expected a pass under bound {bound:?}, but:\n{failure}"),
        }
    }

    /// Asserts that the search under `bound` found a failing execution, and
    /// returns it.
    #[track_caller]
    pub fn found(&self, bound: Option<usize>) -> &Failure {
        match self.row(bound) {
            Err(failure) => failure,
            Ok(executions) => panic!(
                "expected loom to find {} under bound {bound:?}, but {}",
                self.bug,
                Explored {
                    executions: *executions
                }
            ),
        }
    }
}

/// One line per bound, under a line that says what a bound does:
/// `  preemption bound 1: loom explored 14 executions; every one passed.`
impl fmt::Display for Bounds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "What loom's search found under each preemption bound (under bound k it \
             explores only some of the executions with at most k preemptions):"
        )?;
        for (bound, result) in &self.rows {
            let label = match bound {
                Some(b) => format!("preemption bound {b}"),
                None => "no bound".to_owned(),
            };
            match result {
                Ok(executions) => writeln!(
                    f,
                    "  {label}: {}.",
                    Explored {
                        executions: *executions
                    }
                )?,
                Err(failure) => writeln!(
                    f,
                    "  {label}: loom found {} in execution number {}.",
                    self.bug, failure.execution
                )?,
            }
        }
        Ok(())
    }
}
