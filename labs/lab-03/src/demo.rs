//! The lost update on real threads: `cargo run --release -p lab-03 --example lost_update`.
//!
//! This is a demonstration, not a test: how many updates are lost changes from
//! run to run and from machine to machine (on a single core it can be none).

use std::fmt::Write as _;
use std::time::Instant;

use crate::counter::{AtomicCounter, CasCounter, Counter, MutexCounter, SplitLockCounter};

// ANCHOR: race
/// Starts `threads` threads that each increment one shared counter
/// `increments` times, waits for all of them, and returns the final value.
pub fn race<C: Counter>(threads: u64, increments: u64) -> u64 {
    let counter = C::default();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                for _ in 0..increments {
                    counter.increment();
                }
            });
        }
    }); // the scope waits here until every thread has finished
    counter.get()
}
// ANCHOR_END: race

/// Runs [`race`] with every counter of [`crate::counter`] and reports the totals.
pub fn report(threads: u64, increments: u64) -> String {
    let expected = threads * increments;
    let mut out = format!(
        "{threads} threads x {increments} increments each; a correct counter ends at {expected}\n"
    );
    let mut row = |name: &str, total: u64, secs: f64| {
        let lost = expected - total;
        let _ = writeln!(
            out,
            "  {name:<38} {total:>10}   lost {lost:>9}   ({secs:.2} s)"
        );
    };
    let timed = |f: fn(u64, u64) -> u64| {
        let start = Instant::now();
        let total = f(threads, increments);
        (total, start.elapsed().as_secs_f64())
    };
    let (t, s) = timed(race::<SplitLockCounter>);
    row("SplitLockCounter (read, then write)", t, s);
    let (t, s) = timed(race::<MutexCounter>);
    row("MutexCounter (one critical section)", t, s);
    let (t, s) = timed(race::<AtomicCounter>);
    row("AtomicCounter (fetch_add)", t, s);
    let (t, s) = timed(race::<CasCounter>);
    row("CasCounter (compare_exchange loop)", t, s);
    out
}
