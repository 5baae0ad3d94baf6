//! Running a loom model and reporting what it found, in words.
//!
//! [`Model::check`] proves a fix: it explores every execution loom can reach
//! (within the bound, if one is set), prints how many it explored, and panics
//! with the failing execution, step by step, if one breaks.
//! [`Model::find_violation`] is for demos of bugs: it fails the test if loom
//! finds *no* failing execution, and returns (and prints) the one it found.
//!
//! What loom explores and what it does not is set out in the book's chapter 3
//! and appendix B; in short: every interleaving of the model's threads at the
//! points where they touch loom's primitives, up to the preemption bound, with
//! the documented gaps of loom's memory model (SeqCst treated as AcqRel, no
//! load buffering).

use std::cell::Cell;
use std::fmt;
use std::panic::{self, AssertUnwindSafe};

use crate::panic_message;
use crate::trace::{self, Step};

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

/// "loom explored 27 executions; every one passed" (no full stop: the
/// captured reports put it in a sentence of their own).
impl fmt::Display for Explored {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "loom explored {}; every one passed",
            executions_text(self.executions)
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
        if self.steps.is_empty() {
            writeln!(
                f,
                "The execution recorded no steps (the code has no trace! calls)."
            )?;
        } else {
            writeln!(f, "The execution, step by step:")?;
            f.write_str(&trace::render(&self.steps))?;
        }
        if self.is_deadlock() {
            writeln!(
                f,
                "Then every thread was blocked, each waiting for something that no running \
                 thread could give: a deadlock. loom reports:"
            )?;
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
    /// A model with no preemption bound: loom explores every interleaving.
    /// Right for two threads; bound anything bigger (see [`Model::preemption_bound`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// Explores only the executions in which threads are preempted at most `bound`
    /// times. The state space of three or more threads grows so fast that an
    /// unbounded search can take hours; most real bugs need only one or two
    /// preemptions. A test that uses a bound should also show that the bound still
    /// finds the bug it is meant to find.
    pub fn preemption_bound(mut self, bound: usize) -> Self {
        self.preemption_bound = Some(bound);
        self
    }

    /// Proves `body`: runs every execution and panics with the failing one, step by
    /// step, if any execution panics or deadlocks. Prints and returns how many
    /// executions it explored.
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

    /// For demos of bugs: fails if loom finds *no* failing execution; otherwise
    /// prints the failing execution step by step and returns it.
    #[track_caller]
    pub fn find_violation<F>(&self, body: F) -> Failure
    where
        F: Fn() + Sync + Send + 'static,
    {
        match self.run(body) {
            Ok(executions) => panic!(
                "expected loom to find a failing execution, but all {} passed{}",
                executions_text(executions),
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
        let mut builder = loom::model::Builder::new();
        // Set explicitly, so LOOM_MAX_PREEMPTIONS in the environment cannot change
        // what a test explores (the book shows these numbers).
        builder.preemption_bound = self.preemption_bound;
        // Nor may LOOM_MAX_PERMUTATIONS, LOOM_MAX_DURATION or LOOM_CHECKPOINT_FILE
        // cut the search short: a pass must mean every execution was explored.
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
