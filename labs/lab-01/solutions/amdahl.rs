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
    assert!(
        (0.0..=1.0).contains(&serial_fraction),
        "the serial fraction must be within 0..=1, not {serial_fraction}"
    );
    assert!(workers > 0, "Amdahl's law needs at least one worker");
    let w = f64::from(workers);
    1.0 / (serial_fraction + (1.0 - serial_fraction) / w)
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
    assert!(
        measured_speedup > 0.0,
        "a speed-up must be above 0, not {measured_speedup}"
    );
    assert!(workers > 0, "Amdahl's law needs at least one worker");
    if workers == 1 {
        return f64::NAN;
    }
    let w = f64::from(workers);
    (w / measured_speedup - 1.0) / (w - 1.0)
}
// ANCHOR_END: amdahl
