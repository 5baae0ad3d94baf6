//! Futures, wakers and an executor of our own: what a runtime does, in about
//! two hundred lines, before chapter 9 uses tokio's.
//!
//! - [`Trigger`] / [`Triggered`]: the smallest future that waits for
//!   something: it stores the waker it is given, and `fire` calls it.
//! - [`two_waits`] and [`TwoWaits`]: an `async fn`, and the state machine the
//!   compiler makes of it, written by hand.
//! - [`Countdown`] (wakes itself: a yield) and [`Forgetful`] (stores no
//!   waker: the mistake that leaves a task waiting for ever).
//! - [`block_on`]: polls one future, and parks the thread until it is woken.
//! - [`Executor`]: a queue of tasks on one thread; a task's waker puts it back
//!   in the queue. It counts every poll, so the tests can check that a task is
//!   polled only when woken.
//!
//! The book's page: chapter 9, "Futures, wakers and an executor of our own".

use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

// ANCHOR: trigger
/// What a [`Trigger`] and its [`Triggered`] future share.
#[derive(Debug, Default)]
struct TriggerState {
    fired: bool,
    /// The waker of the last poll that found the trigger not fired yet.
    waker: Option<Waker>,
}

/// The sending half: [`Trigger::fire`] makes the future ready.
#[derive(Debug)]
pub struct Trigger(Arc<Mutex<TriggerState>>);

/// A future that is ready once its [`Trigger`] has fired.
#[derive(Debug)]
pub struct Triggered(Arc<Mutex<TriggerState>>);

/// A trigger and the future that waits for it.
pub fn trigger() -> (Trigger, Triggered) {
    let state = Arc::new(Mutex::new(TriggerState::default()));
    (Trigger(Arc::clone(&state)), Triggered(state))
}

impl Trigger {
    /// Marks the trigger fired and wakes whoever polled the future last.
    pub fn fire(self) {
        let waker = {
            let mut state = self.0.lock().unwrap();
            state.fired = true;
            state.waker.take()
        };
        // Outside the lock: some executors poll the task right inside
        // `wake`, and that poll takes this lock (std's `Mutex` is not
        // re-entrant: waking under it would deadlock there).
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl Future for Triggered {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.0.lock().unwrap();
        if state.fired {
            Poll::Ready(())
        } else {
            // Not yet: keep this poll's waker, so that `fire` can call it.
            state.waker = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}
// ANCHOR_END: trigger

// ANCHOR: two_waits
/// Waits for `first`, then for `second`.
pub async fn two_waits(first: Triggered, second: Triggered) -> &'static str {
    first.await;
    second.await;
    "both fired"
}
// ANCHOR_END: two_waits

// ANCHOR: two_waits_machine
/// What the compiler makes of [`two_waits`], roughly: one variant for each
/// place where the function can be paused, holding what it needs from there on.
#[derive(Debug)]
pub enum TwoWaits {
    /// Paused at `first.await` (or not started).
    First { first: Triggered, second: Triggered },
    /// Paused at `second.await`.
    Second { second: Triggered },
    /// Returned `Ready`: nothing left.
    Done,
}

impl Future for TwoWaits {
    type Output = &'static str;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<&'static str> {
        loop {
            match &mut *self {
                TwoWaits::First { first, .. } => {
                    if Pin::new(first).poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                    // Move on to the next state, taking along what it needs.
                    let TwoWaits::First { second, .. } =
                        std::mem::replace(&mut *self, TwoWaits::Done)
                    else {
                        unreachable!()
                    };
                    *self = TwoWaits::Second { second };
                }
                TwoWaits::Second { second } => {
                    if Pin::new(second).poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                    *self = TwoWaits::Done;
                    return Poll::Ready("both fired");
                }
                TwoWaits::Done => panic!("TwoWaits polled again after it returned Ready"),
            }
        }
    }
}
// ANCHOR_END: two_waits_machine

impl TwoWaits {
    /// The machine in its first state, like calling `two_waits(first, second)`.
    pub fn new(first: Triggered, second: Triggered) -> Self {
        TwoWaits::First { first, second }
    }
}

// ANCHOR: countdown
/// Pending `n` times, then ready: each time it wakes its own task at once,
/// which asks the executor to poll it again soon (a *yield*).
#[derive(Debug)]
pub struct Countdown(pub u32);

impl Future for Countdown {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 == 0 {
            return Poll::Ready(());
        }
        self.0 -= 1;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
// ANCHOR_END: countdown

// ANCHOR: forgetful
/// Tempting: a future that waits for a flag but keeps no waker. Nobody will
/// ever wake its task, so an executor never polls it again, however often the
/// flag is set.
#[derive(Debug)]
pub struct Forgetful(pub Arc<AtomicBool>);

impl Future for Forgetful {
    type Output = ();

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        if self.0.load(Ordering::Acquire) {
            Poll::Ready(())
        } else {
            Poll::Pending // and no waker stored anywhere
        }
    }
}
// ANCHOR_END: forgetful

// ANCHOR: block_on
/// The waker of [`block_on`]: a flag, and the thread to unpark.
struct ThreadWaker {
    thread: Thread,
    woken: AtomicBool,
}

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::Release);
        self.thread.unpark();
    }
}

/// Runs `future` to the end on this thread and returns its output and how
/// many times it was polled: once, then once more after each wake-up.
pub fn block_on_counting<F: Future>(future: F) -> (F::Output, usize) {
    let mut future = pin!(future);
    let thread_waker = Arc::new(ThreadWaker {
        thread: thread::current(),
        woken: AtomicBool::new(false),
    });
    let waker = Waker::from(Arc::clone(&thread_waker));
    let mut cx = Context::from_waker(&waker);
    let mut polls = 0;
    loop {
        polls += 1;
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return (output, polls);
        }
        // Sleep until woken. A wake that comes before `park` is not lost
        // (`unpark` leaves a token, and `park` then returns at once), but
        // `park` may also return when no wake came: for no reason at all
        // (std allows it), or for a token that other code unparking this
        // thread left. So it is the flag that says whether a wake came.
        while !thread_waker.woken.swap(false, Ordering::Acquire) {
            thread::park();
        }
    }
}

/// Runs `future` to the end on this thread and returns its output.
pub fn block_on<F: Future>(future: F) -> F::Output {
    block_on_counting(future).0
}
// ANCHOR_END: block_on

// ANCHOR: task
/// A future as the executor keeps it: boxed and pinned, its output dropped.
type BoxedTask = Pin<Box<dyn Future<Output = ()> + Send>>;

/// One task: the future, and what its waker needs to queue it again. The
/// task is shared, as an `Arc<Task>`, by the executor's queue and by every
/// waker made from it, which other threads may hold; so the future sits in
/// a `Mutex`, which only the executor locks, to poll it.
struct Task {
    name: String,
    /// `None` once the future has returned `Ready`.
    future: Mutex<Option<BoxedTask>>,
    /// Where a wake puts the task: the executor's queue.
    queue: mpsc::Sender<Arc<Task>>,
    /// True while the task is in the queue, so that two wakes before a poll
    /// queue it once.
    queued: AtomicBool,
    polls: AtomicUsize,
}

impl Wake for Task {
    fn wake(self: Arc<Self>) {
        if !self.queued.swap(true, Ordering::AcqRel) {
            // The executor holds the receiver as long as it lives.
            let _ = self.queue.send(Arc::clone(&self));
        }
    }
}
// ANCHOR_END: task

impl std::fmt::Debug for Task {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Task")
            .field("name", &self.name)
            .field("polls", &self.polls)
            .finish_non_exhaustive()
    }
}

/// A task as the tests see it: how often it was polled, and whether it is done.
#[derive(Debug, Clone)]
pub struct TaskHandle(Arc<Task>);

impl TaskHandle {
    /// How many times the executor has polled this task.
    pub fn polls(&self) -> usize {
        self.0.polls.load(Ordering::Acquire)
    }

    /// Whether the task's future has returned `Ready`.
    pub fn is_finished(&self) -> bool {
        self.0.future.lock().unwrap().is_none()
    }
}

// ANCHOR: executor
/// Tasks on one thread: a queue of the ones that are ready to be polled.
#[derive(Debug)]
pub struct Executor {
    queue: mpsc::Sender<Arc<Task>>,
    ready: mpsc::Receiver<Arc<Task>>,
    unfinished: usize,
    /// One line per poll: which task, and what the poll returned.
    log: Vec<String>,
}

impl Executor {
    pub fn new() -> Self {
        let (queue, ready) = mpsc::channel();
        Executor {
            queue,
            ready,
            unfinished: 0,
            log: Vec::new(),
        }
    }

    /// Adds a task, ready to be polled for the first time.
    pub fn spawn(
        &mut self,
        name: &str,
        future: impl Future<Output = ()> + Send + 'static,
    ) -> TaskHandle {
        let task = Arc::new(Task {
            name: name.to_owned(),
            future: Mutex::new(Some(Box::pin(future))),
            queue: self.queue.clone(),
            queued: AtomicBool::new(false),
            polls: AtomicUsize::new(0),
        });
        self.unfinished += 1;
        Waker::from(Arc::clone(&task)).wake(); // into the queue
        TaskHandle(task)
    }

    /// Polls ready tasks until none is ready, and returns. Tasks still
    /// waiting stay waiting: nothing polls them until they are woken.
    pub fn run_until_idle(&mut self) {
        while let Ok(task) = self.ready.try_recv() {
            self.poll(task);
        }
    }

    /// Runs until every task has finished, sleeping while none is ready
    /// (another thread, a timer's, may wake one).
    pub fn run(&mut self) {
        while self.unfinished > 0 {
            let task = self.ready.recv().expect("the executor holds a sender");
            self.poll(task);
        }
    }

    fn poll(&mut self, task: Arc<Task>) {
        // Out of the queue before the poll: a wake during the poll queues it again.
        task.queued.store(false, Ordering::Release);
        let mut slot = task.future.lock().unwrap();
        let Some(future) = slot.as_mut() else {
            return; // finished already: a late wake-up
        };
        let waker = Waker::from(Arc::clone(&task));
        task.polls.fetch_add(1, Ordering::AcqRel);
        let outcome = future.as_mut().poll(&mut Context::from_waker(&waker));
        self.log.push(format!(
            "poll {:<6} -> {}",
            task.name,
            if outcome.is_ready() {
                "Ready"
            } else {
                "Pending"
            }
        ));
        if outcome.is_ready() {
            *slot = None;
            self.unfinished -= 1;
        }
    }
}
// ANCHOR_END: executor

impl Executor {
    /// How many tasks have not returned `Ready` yet.
    pub fn unfinished(&self) -> usize {
        self.unfinished
    }

    /// Adds a line of your own to the log, between the executor's.
    pub fn note(&mut self, line: impl Into<String>) {
        self.log.push(line.into());
    }

    /// The log so far, emptied.
    pub fn take_log(&mut self) -> Vec<String> {
        std::mem::take(&mut self.log)
    }
}

impl Default for Executor {
    fn default() -> Self {
        Executor::new()
    }
}
