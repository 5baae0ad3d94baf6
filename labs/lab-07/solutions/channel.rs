//! Exercise 7.3: a bounded channel of our own, from a `Mutex` and two
//! `Condvar`s, with counts of senders and receivers so that disconnection
//! works both ways.
//!
//! What to do: write `Receiver::recv`. It waits while the buffer is empty and
//! some sender is still alive; it returns the oldest message while there is
//! one, even after every sender is gone; and it returns `Err(Disconnected)`
//! once the last sender is gone *and* the buffer is empty. No message may be
//! lost, and no receiver may sleep for ever. Keep the signatures as they are.
//!
//! The book explains it: chapter 7, "Exercise 7.3: disconnection in our own
//! channel" (book/07-message-passing/exercises.md).
//! Check your work:  cargo test -p lab-07 exercise_7_3
//! Stuck?            cargo xtask hint 7.3
//!
//! `super::sync` is `std::sync` on real threads and loom's look-alike under the
//! model checker, so the tests can run this very file both ways. `trace!("...")`
//! records a step for loom's printed interleaving and does nothing on real
//! threads: keep the calls that are here, and add one after each lock, wait or
//! notify you want to see.

use std::collections::VecDeque;
// std's Arc, not `super::sync::Arc`, on purpose: when loom finds a deadlock,
// it unwinds the model's threads, and a loom `Arc` dropped then panics again
// and aborts the whole test process (loom issue 291); so does any `Drop` that
// takes a loom lock then, which is why the two `Drop`s below step aside while
// the model unwinds. A wrong `recv` then fails its one test with a readable
// trace. The `Mutex` and `Condvar`s inside are loom's under the model checker,
// so every lock, wait and notification is still explored.
use std::sync::Arc;

use super::sync::{Condvar, Mutex, MutexGuard, model_is_unwinding, trace};

// ANCHOR: shared
/// What the senders and receivers of one channel share.
#[derive(Debug)]
struct Shared<T> {
    state: Mutex<State<T>>,
    /// Notified when a message arrives or the last sender leaves.
    not_empty: Condvar,
    /// Notified when a message leaves the buffer or the last receiver leaves.
    not_full: Condvar,
    capacity: usize,
}

/// Everything the lock guards.
#[derive(Debug)]
struct State<T> {
    buffer: VecDeque<T>,
    senders: usize,
    receivers: usize,
}
// ANCHOR_END: shared

/// The sending half. Clone it for more producers; the channel disconnects
/// for the receivers when the last clone is dropped.
#[derive(Debug)]
pub struct Sender<T> {
    shared: Arc<Shared<T>>,
}

/// The receiving half. Clone it for more consumers: each message goes to one
/// of them. The channel disconnects for the senders when the last clone is
/// dropped.
#[derive(Debug)]
pub struct Receiver<T> {
    shared: Arc<Shared<T>>,
}

/// `send` failed: every receiver is gone. The message comes back.
#[derive(Debug, PartialEq, Eq)]
pub struct SendError<T>(pub T);

/// `recv` failed: every sender is gone and the buffer is empty.
#[derive(Debug, PartialEq, Eq)]
pub struct Disconnected;

/// A channel that holds at most `capacity` messages (at least 1).
pub fn channel<T>(capacity: usize) -> (Sender<T>, Receiver<T>) {
    assert!(capacity > 0, "this channel needs a capacity of at least 1");
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            buffer: VecDeque::with_capacity(capacity),
            senders: 1,
            receivers: 1,
        }),
        not_empty: Condvar::new(),
        not_full: Condvar::new(),
        capacity,
    });
    (
        Sender {
            shared: Arc::clone(&shared),
        },
        Receiver { shared },
    )
}

impl<T> Shared<T> {
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap()
    }
}

// ANCHOR: send
impl<T> Sender<T> {
    /// Waits while the buffer is full, then adds `message`. Fails, giving the
    /// message back, once every receiver is gone.
    pub fn send(&self, message: T) -> Result<(), SendError<T>> {
        let mut state = self.shared.lock();
        while state.buffer.len() == self.shared.capacity && state.receivers > 0 {
            trace!("finds the buffer full; waits");
            state = self.shared.not_full.wait(state).unwrap();
        }
        if state.receivers == 0 {
            trace!("finds no receiver left; send fails");
            return Err(SendError(message));
        }
        state.buffer.push_back(message);
        trace!("sends; {} buffered; notify_one", state.buffer.len());
        self.shared.not_empty.notify_one();
        Ok(())
    }
}
// ANCHOR_END: send

// ANCHOR: recv
impl<T> Receiver<T> {
    /// Waits for a message. Returns the oldest one while there is one, even
    /// after every sender is gone; `Err(Disconnected)` once every sender is
    /// gone and the buffer is empty.
    pub fn recv(&self) -> Result<T, Disconnected> {
        let mut state = self.shared.lock();
        loop {
            // Empty first, then disconnected: what is buffered is delivered
            // even after the last sender has gone.
            if let Some(message) = state.buffer.pop_front() {
                trace!("receives; {} buffered; notify_one", state.buffer.len());
                self.shared.not_full.notify_one();
                return Ok(message);
            }
            if state.senders == 0 {
                trace!("finds it empty and no sender left: disconnected");
                return Err(Disconnected);
            }
            trace!("finds it empty; waits");
            state = self.shared.not_empty.wait(state).unwrap();
        }
    }
}
// ANCHOR_END: recv

impl<T> Receiver<T> {
    /// Every message, until the channel is empty and disconnected.
    pub fn iter(&self) -> impl Iterator<Item = T> + '_ {
        std::iter::from_fn(|| self.recv().ok())
    }

    /// How many messages are buffered now.
    pub fn len(&self) -> usize {
        self.shared.lock().buffer.len()
    }

    /// True if no message is buffered now.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        self.shared.lock().senders += 1;
        Sender {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<T> Clone for Receiver<T> {
    fn clone(&self) -> Self {
        self.shared.lock().receivers += 1;
        Receiver {
            shared: Arc::clone(&self.shared),
        }
    }
}

// ANCHOR: sender_drop
impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        if model_is_unwinding() {
            return; // under loom, after a failure: see the comment on Arc
        }
        let mut state = self.shared.lock();
        state.senders -= 1;
        if state.senders == 0 {
            // Every waiting receiver must see the disconnection, not one.
            trace!("drops the last sender; notify_all");
            self.shared.not_empty.notify_all();
        } else {
            trace!("drops a sender; {} left", state.senders);
        }
    }
}
// ANCHOR_END: sender_drop

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        if model_is_unwinding() {
            return; // under loom, after a failure: see the comment on Arc
        }
        let mut state = self.shared.lock();
        state.receivers -= 1;
        if state.receivers == 0 {
            // Senders waiting for room must see that none will come.
            trace!("drops the last receiver; notify_all");
            self.shared.not_full.notify_all();
        }
    }
}
