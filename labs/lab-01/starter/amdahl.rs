//! Exercise 1.2: Amdahl's bound.
//!
//! What to do: write `amdahl_speedup`, the speed-up Amdahl's law allows `workers`
//! workers when a fraction `serial_fraction` of the sequential time cannot be
//! shared out, and `serial_fraction`, its inverse: the serial fraction that a
//! measured speed-up on `workers` workers implies. Keep the signatures, and the
//! documented edge cases, as they are.
//!
//! The book explains it: chapter 1, "Exercise 1.2: Amdahl's bound"
//! (book/01-concurrency-vs-parallelism/exercises.md).
//! Check your work:  cargo test -p lab-01 exercise_1_2
//! Stuck?            cargo xtask hint 1.2
//!
//! Helpers of your own are welcome, and starter lines you do not need may
//! go; keep every `pub` item and its signature, which the tests use.

// ANCHOR: amdahl
/// The speed-up at most: the serial part takes as long as ever, the rest is
/// shared out among `workers`.
///
/// Panics if `serial_fraction` is not within `0.0..=1.0` or `workers` is 0.
pub fn amdahl_speedup(serial_fraction: f64, workers: u32) -> f64 {
    let _ = (serial_fraction, workers);
    todo!("exercise 1.2: the speed-up Amdahl's law allows")
}

/// The serial fraction `s` for which `amdahl_speedup(s, workers)` equals
/// `measured_speedup`: solve `S = 1 / (s + (1 - s) / W)` for `s`.
///
/// With one worker every serial fraction gives a speed-up of 1, so the
/// measurement says nothing: returns NaN. A speed-up above `workers` gives a
/// negative fraction, one below 1 a fraction above 1: Amdahl's model does not
/// explain such a run, and the number says so. Panics if `measured_speedup`
/// is not above 0 or `workers` is 0.
pub fn serial_fraction(measured_speedup: f64, workers: u32) -> f64 {
    let _ = (measured_speedup, workers);
    todo!("exercise 1.2: the serial fraction a measured speed-up implies")
}
// ANCHOR_END: amdahl
