//! Three patterns built on the semaphore of exercise 5.1: a pool of N (the
//! *multiplex*), a signal from one thread to another, and a rendezvous of two
//! threads. They run on your semaphore, so their tests pass once it works.

use super::semaphore::Semaphore;

// ANCHOR: multiplex
/// At most `limit` threads run `work` at once; the others wait for a permit.
#[derive(Debug)]
pub struct Pool {
    slots: Semaphore,
}

impl Pool {
    /// A pool that lets `limit` threads in at once.
    pub fn new(limit: usize) -> Self {
        Pool {
            slots: Semaphore::new(limit),
        }
    }

    /// Runs `work` once a slot is free; the permit is given back when `work`
    /// returns, or panics.
    pub fn run<R>(&self, work: impl FnOnce() -> R) -> R {
        let _slot = self.slots.acquire();
        work()
    }
}
// ANCHOR_END: multiplex

// ANCHOR: signal
/// One thread waits until another says "done". The semaphore starts with no
/// permit: `done` adds one, and `wait` takes it. No thread holds anything in
/// between, which a `MutexGuard` could not do: only its own thread unlocks it.
#[derive(Debug)]
pub struct Signal {
    done: Semaphore,
}

impl Default for Signal {
    fn default() -> Self {
        Signal {
            done: Semaphore::new(0),
        }
    }
}

impl Signal {
    /// A signal not given yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Gives the signal: lets one `wait` return.
    pub fn done(&self) {
        self.done.release();
    }

    /// Waits until the signal has been given, and uses it up.
    pub fn wait(&self) {
        self.done.acquire().forget();
    }
}
// ANCHOR_END: signal

// ANCHOR: rendezvous
/// Two threads, `a` and `b`, wait for each other: neither returns from its
/// call before the other has arrived. Each signals its own arrival, then
/// waits for the other's.
#[derive(Debug)]
pub struct Rendezvous {
    a_arrived: Signal,
    b_arrived: Signal,
}

impl Default for Rendezvous {
    fn default() -> Self {
        Rendezvous {
            a_arrived: Signal::new(),
            b_arrived: Signal::new(),
        }
    }
}

impl Rendezvous {
    /// A rendezvous that neither thread has reached yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Called by thread `a`.
    pub fn arrive_a(&self) {
        self.a_arrived.done();
        self.b_arrived.wait();
    }

    /// Called by thread `b`.
    pub fn arrive_b(&self) {
        self.b_arrived.done();
        self.a_arrived.wait();
    }
}
// ANCHOR_END: rendezvous
