//! The steps of one loom execution, recorded by `trace!` and printed when the
//! execution fails.
//!
//! loom runs all the threads of a model as coroutines on the one OS thread that
//! called it, so an ordinary (std) thread-local list sees every step of every
//! model thread, in the order they ran, and loom itself never sees the list: it
//! adds no interleavings to explore. [`crate::model::Model`] clears the list at
//! the start of each execution.
//!
//! The steps come out in the order the operations ran, provided each `trace!`
//! follows the operation it describes with no other loom operation in between:
//! loom switches threads only at its own operations (taking a lock, an atomic
//! access, a `Condvar` wait or notify, a loom `Arc` clone or drop,
//! `yield_now`/`spin_loop`, a join, the end of a thread), never between them.
//! Spawning a thread is not a switch point in loom 0.7 (`rt::spawn` does not
//! branch), and neither is releasing a lock (`rt/mutex.rs`, `release_lock`).

use std::cell::RefCell;
use std::fmt::Write as _;

/// One recorded step: which thread did what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// `main` for the model's own thread, `T1`, `T2`, … for the threads it spawns
    /// (in the order they were spawned), or the name given with `Builder::name`.
    pub thread: String,
    /// What the thread did, as written in `trace!`.
    pub event: String,
}

thread_local! {
    static STEPS: RefCell<Vec<Step>> = const { RefCell::new(Vec::new()) };
}

/// Forgets the steps recorded so far on this OS thread.
pub fn reset() {
    STEPS.with(|steps| steps.borrow_mut().clear());
}

/// Takes the steps recorded so far on this OS thread.
pub fn take() -> Vec<Step> {
    STEPS.with(|steps| std::mem::take(&mut *steps.borrow_mut()))
}

/// Records a step of the loom thread that is running now.
#[cfg(feature = "loom")]
pub fn record(event: String) {
    let thread = current_thread_label();
    STEPS.with(|steps| steps.borrow_mut().push(Step { thread, event }));
}

#[cfg(feature = "loom")]
fn current_thread_label() -> String {
    let me = loom::thread::current();
    if let Some(name) = me.name() {
        return name.to_owned();
    }
    // loom numbers its threads 0 (the model's closure), 1, 2, … in spawn order
    // and shows the number only through Debug: "ThreadId(1)".
    let id = format!("{:?}", me.id());
    match id.trim_start_matches("ThreadId(").trim_end_matches(')') {
        "0" => "main".to_owned(),
        n => format!("T{n}"),
    }
}

/// How a failing run's account says that it ended in a deadlock: loom's
/// reports (`model::Failure`) and the replay's use the same words.
pub const DEADLOCK: &str = "Then every thread was blocked, each waiting for something that no \
                            running thread could give: a deadlock";

/// The steps as a numbered list, one per line: `   1. T1    read counter = 0`.
pub fn render(steps: &[Step]) -> String {
    let width = steps.iter().map(|s| s.thread.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (i, step) in steps.iter().enumerate() {
        write_step(&mut out, i + 1, width, step);
    }
    out
}

/// One numbered line of [`render`]'s list, with the thread's label padded to
/// `width`: the replay's account uses the same lines.
pub(crate) fn write_step(out: &mut String, number: usize, width: usize, step: &Step) {
    let _ = writeln!(
        out,
        "  {number:>3}. {:<width$}  {}",
        step.thread, step.event
    );
}
