//! A timer for our executor: a clock, the sleepers waiting on it, and the
//! [`Sleep`] future.
//!
//! A [`Clock`] keeps the time and a list of sleepers, earliest deadline first,
//! each with the waker of the task that waits. Something has to move the
//! clock on and wake the sleepers whose time has come:
//!
//! - [`Clock::advance`], called by hand: a test (or the book's demo) decides
//!   when time passes, so every wake-up happens at a known step. tokio's
//!   paused time (`start_paused`) works the same way, except that tokio
//!   advances by itself whenever every task is waiting.
//! - [`Clock::start_thread`]: a timer thread that sleeps until the earliest
//!   deadline in real time, then wakes what is due, as a runtime's timer does.
//!
//! The book's page: chapter 9, "Futures, wakers and an executor of our own".

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::{Duration, Instant};

// ANCHOR: state
/// What a clock's handles, its sleepers and its timer thread share.
#[derive(Debug, Default)]
struct Shared {
    state: Mutex<State>,
    /// Told when a sleeper arrives or the clock stops: the timer thread may
    /// have a new earliest deadline.
    changed: Condvar,
}

#[derive(Debug, Default)]
struct State {
    /// The time since the clock was made.
    now: Duration,
    /// Who waits until when, earliest first: `(deadline, sleeper's number)`.
    sleepers: BTreeMap<(Duration, u64), Waker>,
    next_number: u64,
    /// Set while a timer thread moves the clock: real time when it started,
    /// and the clock's time then.
    real: Option<(Instant, Duration)>,
    stopped: bool,
}

impl State {
    /// Brings `now` up to date when real time moves the clock.
    fn tick(&mut self) -> Duration {
        if let Some((started, at)) = self.real {
            self.now = at + started.elapsed();
        }
        self.now
    }

    /// Takes out every sleeper whose deadline has come; the caller wakes them
    /// after unlocking.
    fn due(&mut self) -> Vec<Waker> {
        let now = self.tick();
        let mut due = Vec::new();
        while let Some(entry) = self.sleepers.first_entry() {
            if entry.key().0 > now {
                break;
            }
            due.push(entry.remove());
        }
        due
    }
}
// ANCHOR_END: state

/// A clock and its sleepers. Clones share the same clock.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    shared: Arc<Shared>,
}

impl Clock {
    /// A clock at 0 that moves only when [`Clock::advance`] is called.
    pub fn manual() -> Self {
        Clock::default()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.shared.state.lock().unwrap()
    }

    /// The time on the clock.
    pub fn now(&self) -> Duration {
        self.lock().tick()
    }

    /// How many sleepers are waiting (each one polled and not yet woken).
    pub fn sleepers(&self) -> usize {
        self.lock().sleepers.len()
    }

    // ANCHOR: sleep
    /// A future that is ready once the clock reads `now + duration`.
    pub fn sleep(&self, duration: Duration) -> Sleep {
        let mut state = self.lock();
        let number = state.next_number;
        state.next_number += 1;
        Sleep {
            clock: self.clone(),
            key: (state.tick() + duration, number),
        }
    }
    // ANCHOR_END: sleep

    // ANCHOR: advance
    /// Moves the clock on by `by`, wakes every sleeper whose deadline has
    /// come, and returns how many it woke.
    pub fn advance(&self, by: Duration) -> usize {
        let due = {
            let mut state = self.lock();
            state.now += by;
            state.due()
        };
        let woken = due.len();
        for waker in due {
            waker.wake();
        }
        woken
    }
    // ANCHOR_END: advance

    // ANCHOR: thread
    /// Starts a timer thread that moves the clock with real time: it sleeps
    /// until the earliest deadline, wakes what is due, and sleeps again. It
    /// stops when the returned [`TimerThread`] is dropped.
    pub fn start_thread(&self) -> TimerThread {
        {
            let mut state = self.lock();
            state.real = Some((Instant::now(), state.now));
        }
        let shared = Arc::clone(&self.shared);
        let handle = thread::spawn(move || {
            let mut state = shared.state.lock().unwrap();
            while !state.stopped {
                let due = state.due();
                if !due.is_empty() {
                    drop(state); // wake outside the lock
                    due.into_iter().for_each(Waker::wake);
                    state = shared.state.lock().unwrap();
                    continue;
                }
                state = match state.sleepers.first_key_value() {
                    Some((&(deadline, _), _)) => {
                        let left = deadline.saturating_sub(state.now);
                        shared.changed.wait_timeout(state, left).unwrap().0
                    }
                    None => shared.changed.wait(state).unwrap(),
                };
            }
        });
        TimerThread {
            clock: self.clone(),
            handle: Some(handle),
        }
    }
    // ANCHOR_END: thread
}

/// The timer thread of a clock; dropping it stops the thread and waits for it.
#[derive(Debug)]
pub struct TimerThread {
    clock: Clock,
    handle: Option<thread::JoinHandle<()>>,
}

impl Drop for TimerThread {
    fn drop(&mut self) {
        {
            let mut state = self.clock.lock();
            state.stopped = true;
            state.real = None; // the clock stays where it is
        }
        self.clock.shared.changed.notify_all();
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
    }
}

// ANCHOR: sleep_future
/// A future that is ready once its clock reads its deadline.
#[derive(Debug)]
pub struct Sleep {
    clock: Clock,
    key: (Duration, u64),
}

impl Future for Sleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.clock.lock();
        if state.tick() >= self.key.0 {
            state.sleepers.remove(&self.key);
            return Poll::Ready(());
        }
        // Not yet: (re)register with this poll's waker, and tell the timer
        // thread, whose earliest deadline may now be this one.
        state.sleepers.insert(self.key, cx.waker().clone());
        self.clock.shared.changed.notify_one();
        Poll::Pending
    }
}

impl Drop for Sleep {
    /// A sleep dropped before its deadline (cancelled) leaves nothing behind.
    fn drop(&mut self) {
        self.clock.lock().sleepers.remove(&self.key);
    }
}
// ANCHOR_END: sleep_future

impl Sleep {
    /// The time on the clock at which this sleep is ready.
    pub fn deadline(&self) -> Duration {
        self.key.0
    }
}
