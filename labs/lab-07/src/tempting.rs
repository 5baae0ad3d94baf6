//! Four tempting versions of the channel of exercise 7.3, each wrong in one
//! place. The loom tests in `tests/loom_tempting_channel.rs` find an
//! execution where each breaks.
//!
//! To keep the wrong line in plain sight, this channel is one type with a
//! [`Flaw`] and no `Sender`/`Receiver` halves: a test calls `send`, `recv` and
//! `drop_sender` on a shared `Arc<Tempting<T>>` (std's `Arc`, for the reason
//! given in `exercises/channel.rs`). It counts senders, not receivers.

use std::collections::VecDeque;

use super::sync::{Condvar, Mutex, MutexGuard, trace};

/// Which mistake this channel makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flaw {
    /// The last sender's drop wakes one waiting receiver (`notify_one`), not
    /// every one.
    LastSenderWakesOne,
    /// `recv` checks "no sender left" before "buffer empty", and so drops what
    /// is still buffered.
    DisconnectedBeforeEmpty,
    /// `send` does not wait while the buffer is full.
    SendsWhenFull,
    /// `recv` takes what is buffered after one wait without looking again,
    /// as if it waited in an `if`: another receiver may have taken it.
    WaitsWithIf,
}

/// A bounded channel with one [`Flaw`].
#[derive(Debug)]
pub struct Tempting<T> {
    flaw: Flaw,
    state: Mutex<State<T>>,
    not_empty: Condvar,
    not_full: Condvar,
    capacity: usize,
}

#[derive(Debug)]
struct State<T> {
    buffer: VecDeque<T>,
    senders: usize,
}

impl<T> Tempting<T> {
    /// A channel with `flaw`, room for `capacity` messages and `senders`
    /// senders, each of which calls [`Tempting::drop_sender`] when it is done.
    pub fn new(flaw: Flaw, capacity: usize, senders: usize) -> Self {
        Tempting {
            flaw,
            state: Mutex::new(State {
                buffer: VecDeque::new(),
                senders,
            }),
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
            capacity,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap()
    }

    /// How many messages are buffered now.
    pub fn len(&self) -> usize {
        self.lock().buffer.len()
    }

    /// True if no message is buffered now.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    // ANCHOR: send
    /// Adds `message`, waiting while the buffer is full (unless the flaw is
    /// [`Flaw::SendsWhenFull`]). Returns how many messages are buffered after it.
    pub fn send(&self, message: T) -> usize {
        let mut state = self.lock();
        // WRONG with SendsWhenFull: it never waits for room.
        while self.flaw != Flaw::SendsWhenFull && state.buffer.len() == self.capacity {
            trace!("finds the buffer full; waits");
            state = self.not_full.wait(state).unwrap();
        }
        state.buffer.push_back(message);
        let buffered = state.buffer.len();
        trace!("sends; {buffered} buffered; notify_one");
        self.not_empty.notify_one();
        buffered
    }
    // ANCHOR_END: send

    // ANCHOR: recv
    /// The oldest message, waiting while the buffer is empty; `None` once no
    /// sender is left (and, unless the flaw is
    /// [`Flaw::DisconnectedBeforeEmpty`], the buffer is empty).
    pub fn recv(&self) -> Option<T> {
        let mut state = self.lock();
        loop {
            // WRONG with DisconnectedBeforeEmpty: it gives up while messages
            // are still buffered.
            if self.flaw == Flaw::DisconnectedBeforeEmpty && state.senders == 0 {
                trace!(
                    "finds no sender left ({} buffered): disconnected",
                    state.buffer.len()
                );
                return None;
            }
            if let Some(message) = state.buffer.pop_front() {
                trace!("receives; {} buffered; notify_one", state.buffer.len());
                self.not_full.notify_one();
                return Some(message);
            }
            if state.senders == 0 {
                trace!("finds it empty and no sender left: disconnected");
                return None;
            }
            trace!("finds it empty; waits");
            state = self.not_empty.wait(state).unwrap();
            trace!("wakes up");
            // WRONG with WaitsWithIf: it takes what is there without looking
            // again; another receiver may have taken the message first.
            if self.flaw == Flaw::WaitsWithIf {
                let message = state.buffer.pop_front();
                if message.is_some() {
                    self.not_full.notify_one();
                }
                trace!(
                    "takes what is there: {}",
                    if message.is_some() {
                        "a message"
                    } else {
                        "nothing"
                    }
                );
                return message;
            }
        }
    }
    // ANCHOR_END: recv

    // ANCHOR: drop_sender
    /// What a sender's `Drop` does: one sender fewer; the last one wakes the
    /// receivers, so that they see the disconnection.
    pub fn drop_sender(&self) {
        let mut state = self.lock();
        state.senders -= 1;
        if state.senders > 0 {
            trace!("drops a sender; {} left", state.senders);
            return;
        }
        match self.flaw {
            // WRONG: wakes one waiting receiver; any other sleeps for ever.
            Flaw::LastSenderWakesOne => {
                trace!("drops the last sender; notify_one");
                self.not_empty.notify_one();
            }
            _ => {
                trace!("drops the last sender; notify_all");
                self.not_empty.notify_all();
            }
        }
    }
    // ANCHOR_END: drop_sender
}
