//! Playing one schedule of your choice, on the lab's own code, and counting
//! its preemptions: the third face of the std/loom switch, `replay_sync`.
//!
//! loom chooses the schedules it explores. This module lets a test choose one
//! and play it: at each of the replay's switch points (each one a point where
//! loom may switch threads too), the schedule names the thread that goes on. The lab's files are included once more with
//! `sync` set to [`crate::replay_sync`], whose `Mutex`, `Condvar` and
//! `thread::spawn` hand the processor from thread to thread as the schedule
//! says. The threads are real OS threads, but only one of them runs at a time,
//! so a replay is deterministic: no timing, no luck.
//!
//! Why a lab needs it: a preemption bound makes loom 0.7 explore only *some*
//! of the executions with at most that many preemptions (`Schedule::backtrack`
//! in loom's `src/rt/path.rs` adds no alternative at any scheduling point once
//! the bound is used up). A replay shows an execution that loom's bounded
//! search skipped, and how many preemptions it really has.
//!
//! What it models, and how it matches loom:
//! - The choice points are operations that are loom branch points as well:
//!   taking a lock, `Condvar::wait`, `notify_one`, `notify_all`, joining a
//!   thread, and the end of a thread. `spawn` is not one (in loom neither);
//!   nor is releasing a lock (loom's `release_lock` does not branch either).
//! - They are a subset of loom's. loom 0.7 may also switch as a `wait` starts
//!   (`branch_opaque`, while the waiter still holds its lock), as a woken
//!   waiter takes its lock back (`branch_acquire`), and just before a spawned
//!   thread ends (its `JoinHandle`'s notify). At those points the replay always
//!   lets the running thread go on: loom's default, and no preemption. So
//!   every schedule a replay plays is also a schedule loom could play, with the
//!   same preemptions, though loom's own list of choices for it is longer.
//! - A thread can go on at a choice point if its operation can complete now: a
//!   lock that nobody holds, a join of a thread that has ended, a wait that was
//!   notified and whose lock is free, a notify. (loom counts a notified waiter
//!   as runnable even while its lock is held, and blocks it at its re-acquire;
//!   the replay simply does not offer it until the lock is free. That limits
//!   which schedules can be written, not the counts.) A *preemption* is a
//!   choice of another thread while the running one could go on, counted as
//!   loom's `Schedule::preemptions` counts it; a switch away from a thread that
//!   must wait, or has ended, is free.
//! - `Condvar::wait` never wakes spuriously, and `notify_one` wakes the oldest
//!   waiter: the same simplifications as loom's `Condvar`, which std does not
//!   promise.
//! - Once the schedule runs out, the replay chooses as loom does by default:
//!   the running thread if it can go on, otherwise the lowest-numbered thread
//!   that can (`main` first, then `T1`, `T2`, …).
//! - A replay ends at the first panic of any thread, at a deadlock (no thread
//!   can go on and not all have ended), or at a schedule that names a thread
//!   that cannot go on. The other threads are then unwound, quietly.
//!
//! It models locks, condition variables, spawn and join: what lab 4's models
//! use. It has no atomics (loom's memory model is loom's job).

use std::any::Any;
use std::collections::VecDeque;
use std::fmt::{self, Write as _};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar as StdCondvar, Mutex as StdMutex, MutexGuard as StdGuard};

use crate::panic_message;
use crate::trace::{self, Step};

/// What a replay found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Every thread ran to its end.
    Finished,
    /// Some threads had not ended and none could go on.
    Deadlock,
    /// A thread panicked: the model's assertion, or the code's own panic.
    Panicked {
        /// The thread's label (`main`, `T1`, …).
        thread: String,
        /// What the panic said.
        message: String,
    },
    /// The schedule named a thread that could not go on (or does not exist).
    BadSchedule(String),
}

/// One line of a replay's account: a step the code traced, or a switch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// A `trace!` call: which thread did what.
    Step(Step),
    /// The processor passed from one thread to another.
    Switch {
        /// Why the thread that ran stopped: "could go on" for a preemption, else
        /// what it waits for.
        why: String,
        /// The thread that runs next, if any.
        to: Option<String>,
        /// The number of this preemption (1, 2, …), or `None` for a free switch.
        preemption: Option<usize>,
    },
}

/// The result of [`replay`].
#[derive(Debug, Clone)]
pub struct Replay {
    /// The schedule as given.
    pub schedule: Vec<String>,
    /// How many of the schedule's choices the replay used; after them it chose
    /// as loom does by default.
    pub choices_used: usize,
    /// The account of the run, in order.
    pub lines: Vec<Line>,
    /// How many preemptions the run made.
    pub preemptions: usize,
    /// How it ended.
    pub outcome: Outcome,
}

impl Replay {
    /// True if the run ended in a deadlock.
    pub fn is_deadlock(&self) -> bool {
        self.outcome == Outcome::Deadlock
    }

    /// The message of the panic that ended the run, if one did.
    pub fn panic_message(&self) -> Option<&str> {
        match &self.outcome {
            Outcome::Panicked { message, .. } => Some(message),
            _ => None,
        }
    }
}

fn preemptions_text(n: usize) -> String {
    if n == 1 {
        "1 preemption".to_owned()
    } else {
        format!("{n} preemptions")
    }
}

impl fmt::Display for Replay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "The schedule, one thread for each of the replay's switch points: {}.",
            self.schedule.join(" ")
        )?;
        if self.choices_used < self.schedule.len() {
            writeln!(
                f,
                "(The run ended after {} of its choices.)",
                self.choices_used
            )?;
        }
        writeln!(f, "The execution, step by step:")?;
        let width = self
            .lines
            .iter()
            .filter_map(|l| match l {
                Line::Step(step) => Some(step.thread.len()),
                Line::Switch { .. } => None,
            })
            .max()
            .unwrap_or(0);
        let mut n = 0;
        let mut out = String::new();
        for line in &self.lines {
            match line {
                Line::Step(step) => {
                    n += 1;
                    trace::write_step(&mut out, n, width, step);
                }
                Line::Switch {
                    why,
                    to,
                    preemption,
                } => {
                    let what = match preemption {
                        Some(k) => format!("preemption {k}: {why}"),
                        None => why.clone(),
                    };
                    let next = match to {
                        Some(t) => format!("; {t} runs"),
                        None => String::new(),
                    };
                    let _ = writeln!(out, "       ({what}{next})");
                }
            }
        }
        f.write_str(&out)?;
        let after = preemptions_text(self.preemptions);
        match &self.outcome {
            Outcome::Finished => writeln!(f, "Every thread finished, after {after}."),
            Outcome::Deadlock => writeln!(f, "{}, after {after}.", trace::DEADLOCK),
            Outcome::Panicked { thread, message } => {
                writeln!(f, "Then {thread} panicked, after {after}:")?;
                for line in message.lines() {
                    writeln!(f, "  {line}")?;
                }
                Ok(())
            }
            Outcome::BadSchedule(why) => writeln!(f, "The schedule cannot be played: {why}"),
        }
    }
}

/// What a thread is about to do at a choice point, or is blocked in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    /// Running, between choice points.
    Running,
    /// Taking the lock with this id.
    Lock(usize),
    /// Asleep on a condvar, to take the lock with this id once woken.
    Wait { lock: usize, notified: bool },
    /// About to notify: can always go on.
    Notify,
    /// Joining the thread with this index.
    Join(usize),
    /// Ended.
    Done,
}

#[derive(Debug)]
struct ThreadState {
    label: String,
    op: Op,
}

#[derive(Debug)]
struct State {
    threads: Vec<ThreadState>,
    /// The thread that may run now.
    running: usize,
    schedule: VecDeque<String>,
    choices_used: usize,
    /// Lock id -> the thread that holds it.
    holders: Vec<(usize, usize)>,
    /// Condvar id -> its waiters, oldest first.
    waiters: Vec<(usize, VecDeque<usize>)>,
    lines: Vec<Line>,
    preemptions: usize,
    /// Set when the replay is over: every thread still in it unwinds.
    ended: Option<Outcome>,
}

impl State {
    fn holder(&self, lock: usize) -> Option<usize> {
        self.holders
            .iter()
            .find(|(id, _)| *id == lock)
            .map(|&(_, t)| t)
    }

    fn can_go_on(&self, t: usize) -> bool {
        match self.threads[t].op {
            Op::Running | Op::Notify => true,
            Op::Lock(lock) => self.holder(lock).is_none(),
            Op::Wait { lock, notified, .. } => notified && self.holder(lock).is_none(),
            Op::Join(other) => self.threads[other].op == Op::Done,
            Op::Done => false,
        }
    }

    /// Why thread `t` cannot go on, in words.
    fn why_not(&self, t: usize) -> String {
        let me = &self.threads[t].label;
        let holder = |lock| match self.holder(lock) {
            Some(h) => format!("a lock that {} holds", self.threads[h].label),
            None => "a lock".to_owned(),
        };
        match self.threads[t].op {
            Op::Lock(lock) => format!("{me} waits for {}", holder(lock)),
            Op::Wait {
                notified: false, ..
            } => format!("{me} sleeps on a condvar"),
            Op::Wait { lock, .. } => format!("{me} is woken, and waits for {}", holder(lock)),
            Op::Join(other) => format!("{me} waits to join {}", self.threads[other].label),
            Op::Done => format!("{me} has ended"),
            Op::Running | Op::Notify => format!("{me} could go on"),
        }
    }

    fn end(&mut self, outcome: Outcome) {
        if self.ended.is_none() {
            self.ended = Some(outcome);
        }
    }

    /// The choice at a choice point of the running thread: who runs next.
    fn choose(&mut self) {
        let me = self.running;
        let runnable: Vec<usize> = (0..self.threads.len())
            .filter(|&t| self.can_go_on(t))
            .collect();
        if runnable.is_empty() {
            if self.threads.iter().all(|t| t.op == Op::Done) {
                self.end(Outcome::Finished);
            } else {
                let why = self.why_not(me);
                self.lines.push(Line::Switch {
                    why,
                    to: None,
                    preemption: None,
                });
                self.end(Outcome::Deadlock);
            }
            return;
        }
        let next = match self.schedule.pop_front() {
            Some(label) => {
                self.choices_used += 1;
                let choice = self.choices_used;
                match self.threads.iter().position(|t| t.label == label) {
                    Some(t) if runnable.contains(&t) => t,
                    Some(t) => {
                        let why = self.why_not(t);
                        self.end(Outcome::BadSchedule(format!(
                            "choice {choice} names {label}, but {why}"
                        )));
                        return;
                    }
                    None => {
                        let names: Vec<&str> =
                            self.threads.iter().map(|t| t.label.as_str()).collect();
                        self.end(Outcome::BadSchedule(format!(
                            "choice {choice} names {label}, and there is no such thread \
                             (the threads so far: {})",
                            names.join(", ")
                        )));
                        return;
                    }
                }
            }
            // loom's default: go on if you can, else the lowest-numbered thread.
            None if runnable.contains(&me) => me,
            None => runnable[0],
        };
        if next != me {
            let to = Some(self.threads[next].label.clone());
            if self.can_go_on(me) {
                self.preemptions += 1;
                self.lines.push(Line::Switch {
                    why: format!("{} could go on", self.threads[me].label),
                    to,
                    preemption: Some(self.preemptions),
                });
            } else {
                let why = self.why_not(me);
                self.lines.push(Line::Switch {
                    why,
                    to,
                    preemption: None,
                });
            }
        }
        self.running = next;
    }

    /// Makes the operation of the thread that now runs happen.
    fn complete(&mut self, t: usize) {
        match self.threads[t].op {
            Op::Lock(lock) | Op::Wait { lock, .. } => self.holders.push((lock, t)),
            Op::Notify | Op::Join(_) | Op::Running | Op::Done => {}
        }
        self.threads[t].op = Op::Running;
    }
}

/// The shared state of one replay.
#[derive(Debug)]
struct Controller {
    state: StdMutex<State>,
    turn: StdCondvar,
    /// The OS threads of the model's spawned threads, joined when the replay ends.
    os_threads: StdMutex<Vec<std::thread::JoinHandle<()>>>,
}

/// The payload with which the threads of a replay that is over unwind.
#[derive(Debug)]
struct ReplayOver;

thread_local! {
    /// The replay this OS thread belongs to, and its index in it.
    static CURRENT: std::cell::RefCell<Option<(Arc<Controller>, usize)>> =
        const { std::cell::RefCell::new(None) };
}

fn current() -> Option<(Arc<Controller>, usize)> {
    CURRENT.with(|c| c.borrow().clone())
}

/// The replay of this thread, for an operation (`what`) that only makes
/// sense inside one.
fn in_replay(what: &str) -> (Arc<Controller>, usize) {
    current().unwrap_or_else(|| panic!("replay_sync::{what} is only for use inside a replay"))
}

impl Controller {
    fn lock(&self) -> StdGuard<'_, State> {
        // A thread that panicked while holding this std mutex can only be this
        // module's own code; the state is still consistent for reporting.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits until thread `me` may run; unwinds if the replay is over.
    fn wait_turn<'a>(&'a self, mut state: StdGuard<'a, State>, me: usize) -> StdGuard<'a, State> {
        loop {
            if state.ended.is_some() {
                drop(state);
                panic::resume_unwind(Box::new(ReplayOver));
            }
            if state.running == me {
                return state;
            }
            state = self.turn.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// A choice point of thread `me`, about to do `op`. Returns once `op` is
    /// done, true; or false at once if the replay is over and this thread is
    /// unwinding (a drop that locks): the caller then acts as plain std code.
    fn choice_point(&self, me: usize, op: Op) -> bool {
        let mut state = self.lock();
        if state.ended.is_some() && std::thread::panicking() {
            return false;
        }
        state.threads[me].op = op;
        state.choose();
        self.turn.notify_all();
        let mut state = self.wait_turn(state, me);
        state.complete(me);
        true
    }
}

/// Plays `schedule` on `body`, the model, which runs as thread `main` on the
/// calling thread; the threads it spawns with `replay_sync::thread::spawn` are
/// `T1`, `T2`, … in spawn order. Each entry of `schedule` names the thread
/// that goes on at one choice point; after the last, the replay chooses as
/// loom does by default. Returns what happened; panics only if called inside
/// another replay.
pub fn replay<F>(schedule: &[&str], body: F) -> Replay
where
    F: FnOnce(),
{
    assert!(
        current().is_none(),
        "replay: a replay cannot be started inside another replay"
    );
    let controller = Arc::new(Controller {
        state: StdMutex::new(State {
            threads: vec![ThreadState {
                label: "main".to_owned(),
                op: Op::Running,
            }],
            running: 0,
            schedule: schedule.iter().map(|s| (*s).to_owned()).collect(),
            choices_used: 0,
            holders: Vec::new(),
            waiters: Vec::new(),
            lines: Vec::new(),
            preemptions: 0,
            ended: None,
        }),
        turn: StdCondvar::new(),
        os_threads: StdMutex::new(Vec::new()),
    });
    CURRENT.with(|c| *c.borrow_mut() = Some((Arc::clone(&controller), 0)));
    let result = crate::quietly(|| panic::catch_unwind(AssertUnwindSafe(body)));
    match result {
        Ok(()) => thread_ends(&controller, 0),
        Err(payload) => thread_panicked(&controller, 0, payload),
    }
    CURRENT.with(|c| *c.borrow_mut() = None);
    // Every other thread has ended or is unwinding now; wait for them all.
    loop {
        let next = controller
            .os_threads
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop();
        match next {
            Some(handle) => {
                let _ = handle.join();
            }
            None => break,
        }
    }
    let mut state = controller.lock();
    Replay {
        schedule: schedule.iter().map(|s| (*s).to_owned()).collect(),
        choices_used: state.choices_used,
        lines: std::mem::take(&mut state.lines),
        preemptions: state.preemptions,
        outcome: state.ended.clone().unwrap_or(Outcome::Finished),
    }
}

/// Thread `me` has run its closure to the end: its last choice point.
fn thread_ends(controller: &Controller, me: usize) {
    let mut state = controller.lock();
    if state.ended.is_some() {
        return;
    }
    state.threads[me].op = Op::Done;
    state.choose();
    controller.turn.notify_all();
    // main has ended while others still run: it waits for the end of the
    // replay (loom, too, runs every spawned thread to its end).
    while me == 0 && state.ended.is_none() {
        state = controller
            .turn
            .wait(state)
            .unwrap_or_else(|e| e.into_inner());
    }
}

/// Thread `me` unwound: the end of the replay if it was a real panic.
fn thread_panicked(controller: &Controller, me: usize, payload: Box<dyn Any + Send>) {
    let mut state = controller.lock();
    if !payload.is::<ReplayOver>() {
        let thread = state.threads[me].label.clone();
        state.end(Outcome::Panicked {
            thread,
            message: panic_message(&*payload),
        });
    }
    state.threads[me].op = Op::Done;
    controller.turn.notify_all();
}

static NEXT_ID: AtomicUsize = AtomicUsize::new(1);

fn new_id() -> usize {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

/// Records a step of the thread that runs now (used by `trace!`); does
/// nothing outside a replay.
pub fn record(event: String) {
    if let Some((controller, me)) = current() {
        let mut state = controller.lock();
        let thread = state.threads[me].label.clone();
        state.lines.push(Line::Step(Step { thread, event }));
    }
}

/// `Mutex`, `MutexGuard` and `Condvar` with std's interface, whose operations
/// are choice points of the replay.
pub mod sync {
    use super::*;
    use std::ops::{Deref, DerefMut};
    use std::sync::{LockResult, PoisonError, TryLockError};

    /// A mutex whose `lock` is a choice point. Outside a replay it is a plain
    /// std mutex.
    #[derive(Debug)]
    pub struct Mutex<T: ?Sized> {
        id: usize,
        inner: std::sync::Mutex<T>,
    }

    /// The guard of a [`Mutex`]; dropping it releases the lock (not a choice
    /// point, as in loom).
    #[derive(Debug)]
    pub struct MutexGuard<'a, T: ?Sized> {
        mutex: &'a Mutex<T>,
        inner: Option<std::sync::MutexGuard<'a, T>>,
        /// The replay it was taken in, if any.
        replay: Option<(Arc<Controller>, usize)>,
    }

    impl<T: Default> Default for Mutex<T> {
        /// An unlocked mutex holding `T::default()`, with an id of its own.
        fn default() -> Self {
            Self::new(T::default())
        }
    }

    impl<T> Mutex<T> {
        /// A new, unlocked mutex.
        pub fn new(value: T) -> Self {
            Mutex {
                id: new_id(),
                inner: std::sync::Mutex::new(value),
            }
        }
    }

    impl<T: ?Sized> Mutex<T> {
        /// Takes the lock: a choice point, which completes only when this thread
        /// runs and nobody holds the lock.
        pub fn lock(&self) -> LockResult<MutexGuard<'_, T>> {
            let replay = current()
                .filter(|(controller, me)| controller.choice_point(*me, Op::Lock(self.id)));
            self.take_inner(replay)
        }

        fn take_inner(
            &self,
            replay: Option<(Arc<Controller>, usize)>,
        ) -> LockResult<MutexGuard<'_, T>> {
            let (inner, poisoned) = if replay.is_some() {
                // The replay gave this thread the lock: the std mutex is free.
                match self.inner.try_lock() {
                    Ok(g) => (g, false),
                    Err(TryLockError::Poisoned(e)) => (e.into_inner(), true),
                    Err(TryLockError::WouldBlock) => {
                        unreachable!("replay: a lock the replay gave out is held")
                    }
                }
            } else {
                match self.inner.lock() {
                    Ok(g) => (g, false),
                    Err(e) => (e.into_inner(), true),
                }
            };
            let guard = MutexGuard {
                mutex: self,
                inner: Some(inner),
                replay,
            };
            if poisoned {
                Err(PoisonError::new(guard))
            } else {
                Ok(guard)
            }
        }
    }

    impl<T: ?Sized> Deref for MutexGuard<'_, T> {
        type Target = T;
        fn deref(&self) -> &T {
            self.inner.as_ref().expect("the guard holds its lock")
        }
    }

    impl<T: ?Sized> DerefMut for MutexGuard<'_, T> {
        fn deref_mut(&mut self) -> &mut T {
            self.inner.as_mut().expect("the guard holds its lock")
        }
    }

    impl<T: ?Sized> MutexGuard<'_, T> {
        /// Releases the lock, in the replay and for real.
        fn release(&mut self) {
            self.inner = None;
            if let Some((controller, _)) = &self.replay {
                let mut state = controller.lock();
                let id = self.mutex.id;
                state.holders.retain(|&(lock, _)| lock != id);
            }
        }
    }

    impl<T: ?Sized> Drop for MutexGuard<'_, T> {
        fn drop(&mut self) {
            if self.inner.is_some() {
                self.release();
            }
        }
    }

    /// A condition variable whose `wait`, `notify_one` and `notify_all` are
    /// choice points. Only for use inside a replay.
    #[derive(Debug)]
    pub struct Condvar {
        id: usize,
    }

    impl Default for Condvar {
        fn default() -> Self {
            Self::new()
        }
    }

    impl Condvar {
        /// A new condition variable.
        pub fn new() -> Self {
            Condvar { id: new_id() }
        }

        /// Releases the guard's lock and sleeps until notified; then takes the
        /// lock again. Never wakes spuriously.
        pub fn wait<'a, T: ?Sized>(
            &self,
            mut guard: MutexGuard<'a, T>,
        ) -> LockResult<MutexGuard<'a, T>> {
            let (controller, me) = in_replay("Condvar::wait");
            let mutex = guard.mutex;
            {
                let mut state = controller.lock();
                match state.waiters.iter_mut().find(|(cv, _)| *cv == self.id) {
                    Some((_, queue)) => queue.push_back(me),
                    None => state.waiters.push((self.id, VecDeque::from([me]))),
                }
            }
            guard.release();
            drop(guard);
            controller.choice_point(
                me,
                Op::Wait {
                    lock: mutex.id,
                    notified: false,
                },
            );
            mutex.take_inner(Some((controller, me)))
        }

        /// Wakes the thread that has waited longest, if any.
        pub fn notify_one(&self) {
            self.notify(false);
        }

        /// Wakes every waiting thread.
        pub fn notify_all(&self) {
            self.notify(true);
        }

        fn notify(&self, all: bool) {
            let (controller, me) = in_replay("Condvar::notify");
            controller.choice_point(me, Op::Notify);
            let mut state = controller.lock();
            let woken: Vec<usize> = match state.waiters.iter_mut().find(|(cv, _)| *cv == self.id) {
                Some((_, queue)) if all => queue.drain(..).collect(),
                Some((_, queue)) => queue.pop_front().into_iter().collect(),
                None => Vec::new(),
            };
            for t in woken {
                if let Op::Wait { notified, .. } = &mut state.threads[t].op {
                    *notified = true;
                }
            }
        }
    }
}

/// Spawning and joining threads of a replay.
pub mod thread {
    use super::*;

    /// The handle of a thread spawned in a replay.
    #[derive(Debug)]
    pub struct JoinHandle<T> {
        index: usize,
        result: Arc<StdMutex<Option<T>>>,
    }

    /// Starts `f` as the next thread of the replay (`T1`, `T2`, …). Not a
    /// choice point: the spawning thread runs on.
    pub fn spawn<F, T>(f: F) -> JoinHandle<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let (controller, _) = in_replay("thread::spawn");
        let index = {
            let mut state = controller.lock();
            let index = state.threads.len();
            state.threads.push(ThreadState {
                label: format!("T{index}"),
                op: Op::Running,
            });
            index
        };
        let result = Arc::new(StdMutex::new(None));
        let slot = Arc::clone(&result);
        let ctl = Arc::clone(&controller);
        let os = std::thread::Builder::new()
            .name(format!("replay T{index}"))
            .spawn(move || {
                CURRENT.with(|c| *c.borrow_mut() = Some((Arc::clone(&ctl), index)));
                let outcome = crate::quietly(|| {
                    panic::catch_unwind(AssertUnwindSafe(|| {
                        // Wait for the first turn: spawn is not a choice point.
                        let state = ctl.lock();
                        drop(ctl.wait_turn(state, index));
                        f()
                    }))
                });
                match outcome {
                    Ok(value) => {
                        *slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(value);
                        thread_ends(&ctl, index);
                    }
                    Err(payload) => thread_panicked(&ctl, index, payload),
                }
            })
            .expect("replay: could not start an OS thread");
        controller
            .os_threads
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(os);
        JoinHandle { index, result }
    }

    impl<T> JoinHandle<T> {
        /// Waits for the thread to end: a choice point. A thread that panics
        /// ends the replay, so this returns only its value.
        pub fn join(self) -> std::thread::Result<T> {
            let (controller, me) = in_replay("JoinHandle::join");
            controller.choice_point(me, Op::Join(self.index));
            let value = self
                .result
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take()
                .expect("replay: a joined thread left its value");
            Ok(value)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Outcome, replay};
    use crate::replay_sync::{Mutex, thread};
    use std::sync::Arc;

    /// Two threads that each add one under a lock: the default choices run
    /// them to the end with no preemption.
    fn two_adders() {
        let count = Arc::new(Mutex::new(0));
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let count = Arc::clone(&count);
                thread::spawn(move || *count.lock().unwrap() += 1)
            })
            .collect();
        for w in workers {
            w.join().unwrap();
        }
        assert_eq!(*count.lock().unwrap(), 2);
    }

    #[test]
    fn the_default_choices_run_every_thread_to_its_end() {
        let played = replay(&[], two_adders);
        assert_eq!(played.outcome, Outcome::Finished, "{played}");
        assert_eq!(played.preemptions, 0, "{played}");
    }

    #[test]
    fn a_switch_away_from_a_thread_that_could_go_on_is_a_preemption() {
        // main waits to join T1, so T2 runs (free); at its lock T2 could go
        // on, but T1 runs: one preemption.
        let played = replay(&["T2", "T1"], two_adders);
        assert_eq!(played.outcome, Outcome::Finished, "{played}");
        assert_eq!(played.preemptions, 1, "{played}");
    }

    #[test]
    fn a_schedule_that_names_a_thread_that_cannot_go_on_is_refused() {
        let played = replay(&["main"], two_adders);
        match &played.outcome {
            Outcome::BadSchedule(why) => {
                assert!(
                    why.contains("choice 1 names main, but main waits to join T1"),
                    "{why}"
                )
            }
            other => panic!("expected a refused schedule, got {other:?}\n{played}"),
        }
        let played = replay(&["T7"], two_adders);
        assert!(
            matches!(&played.outcome, Outcome::BadSchedule(why) if why.contains("no such thread")),
            "{played}"
        );
    }

    #[test]
    fn a_lock_taken_twice_by_one_thread_is_a_deadlock() {
        let played = replay(&[], || {
            let m = Mutex::new(());
            let _first = m.lock().unwrap();
            let _second = m.lock().unwrap();
        });
        assert!(played.is_deadlock(), "{played}");
    }
}
