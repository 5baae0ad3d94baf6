//! Exercise 5.2: a reusable barrier.
//!
//! What to do: write `wait`. A barrier for `n` threads makes each thread that
//! calls `wait` wait until `n` threads have called it; then all `n` go on,
//! and exactly one of them (the last to arrive) gets `true`. The barrier must
//! be reusable: the same `n` threads may meet at it again and again, and a
//! thread that races ahead into the next round must not slip through, nor
//! keep the slower ones from leaving the round before. Keep the signatures as
//! they are; you may change the fields.
//!
//! The book explains it: chapter 5, "Exercise 5.2: a reusable barrier"
//! (book/05-semaphores/exercises.md).
//! Check your work:  cargo test -p lab-05 exercise_5_2
//! Stuck?            cargo xtask hint 5.2
//!
//! `super::sync` is `std::sync` on real threads and loom's look-alike under the
//! model checker, so the tests can run this very file both ways. `trace!("...")`
//! records a step for loom's printed interleaving and does nothing on real
//! threads: keep the calls that are here, and add one after each lock, wait or
//! atomic operation you want to see. Without them, a failing loom execution of
//! your code can only say that it recorded no steps.
//!
//! Private helpers that your version does not need may go; keep every `pub`
//! item and its signature, which the tests use.

use super::sync::{Condvar, Mutex, trace};

// ANCHOR: barrier
/// Where `n` threads wait for each other, round after round.
#[derive(Debug)]
pub struct Barrier {
    n: usize,
    state: Mutex<Round>,
    /// Notify it when the last thread of a round arrives.
    all_arrived: Condvar,
}

/// The barrier's state: which round it is in, and who has arrived.
#[derive(Debug, Default)]
struct Round {
    /// How many threads have arrived in this round.
    arrived: usize,
    /// The number of the round; it goes up each time a round is complete.
    generation: u64,
}

impl Barrier {
    /// A barrier for `n` threads (at least 1).
    pub fn new(n: usize) -> Self {
        assert!(n > 0, "a barrier for 0 threads would never open");
        Barrier {
            n,
            state: Mutex::new(Round::default()),
            all_arrived: Condvar::new(),
        }
    }

    /// Waits until `n` threads have called `wait` in this round. Returns
    /// `true` in exactly one of them, the last to arrive.
    pub fn wait(&self) -> bool {
        let mut round = self.state.lock().unwrap();
        round.arrived += 1;
        if round.arrived == self.n {
            round.arrived = 0;
            round.generation += 1;
            trace!("arrives last; round {} opens; notify_all", round.generation);
            self.all_arrived.notify_all();
            return true;
        }
        let mine = round.generation;
        trace!("arrives; {} of {} in round {mine}", round.arrived, self.n);
        while round.generation == mine {
            round = self.all_arrived.wait(round).unwrap();
        }
        trace!("leaves round {mine}");
        false
    }
}
// ANCHOR_END: barrier
