//! The dining philosophers: each needs two forks, shared with the neighbours.
//! Taking them in the wrong order deadlocks; one global order, or one lock
//! around the whole table, does not. loom checks all three in
//! `tests/loom_philosophers.rs`.
//!
//! A fork is a `Mutex<u32>` counting the meals it served. Philosopher `seat`
//! sits between fork `seat` (on the left) and fork `seat + 1` (on the right,
//! wrapping round to fork 0).

use super::sync::{Mutex, trace};

/// The two forks of the philosopher at `seat`, left then right.
fn forks_of(seat: usize, forks: usize) -> (usize, usize) {
    (seat, (seat + 1) % forks)
}

// ANCHOR: left_first
/// WRONG: everyone takes the left fork, then the right one. If every
/// philosopher holds a left fork, every right fork is taken: all wait for ever.
pub fn dine_left_first(forks: &[Mutex<u32>], seat: usize) {
    let (left, right) = forks_of(seat, forks.len());
    let mut first = forks[left].lock().unwrap();
    trace!("holds fork {left}");
    trace!("asks for fork {right}");
    let mut second = forks[right].lock().unwrap();
    trace!("holds fork {right}; eats");
    *first += 1;
    *second += 1;
}
// ANCHOR_END: left_first

// ANCHOR: lower_first
/// RIGHT: one global order. Everyone takes the lower-numbered of their two
/// forks first, so the last philosopher reaches for fork 0 before fork N-1.
pub fn dine_lower_first(forks: &[Mutex<u32>], seat: usize) {
    let (left, right) = forks_of(seat, forks.len());
    let (low, high) = (left.min(right), left.max(right));
    let mut first = forks[low].lock().unwrap();
    trace!("holds fork {low}");
    trace!("asks for fork {high}");
    let mut second = forks[high].lock().unwrap();
    trace!("holds fork {high}; eats");
    *first += 1;
    *second += 1;
}
// ANCHOR_END: lower_first

// ANCHOR: one_lock
/// RIGHT: one lock around all the forks. Taking both forks is one step, so
/// nobody ever holds one and waits for the other. The price: only one
/// philosopher eats at a time, even when two could.
pub fn dine_one_lock(table: &Mutex<Vec<u32>>, seat: usize) {
    let mut forks = table.lock().unwrap();
    let (left, right) = forks_of(seat, forks.len());
    trace!("holds the table: forks {left} and {right}; eats");
    forks[left] += 1;
    forks[right] += 1;
}
// ANCHOR_END: one_lock
