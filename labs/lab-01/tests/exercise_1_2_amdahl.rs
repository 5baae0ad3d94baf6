//! The tests of exercise 1.2 (your file: labs/lab-01/exercises/amdahl.rs).

use std::panic::catch_unwind;

use lab_01::amdahl::{amdahl_speedup, serial_fraction};
use lab_support::exercise;

#[track_caller]
fn close(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() < 1e-9,
        "{what} should be {expected}, but your code gives {actual}"
    );
}

#[test]
fn exercise_1_2_amdahl_known_values() {
    exercise!("1.2").run(|| {
        for w in [1, 2, 4, 16] {
            close(
                amdahl_speedup(0.0, w),
                f64::from(w),
                &format!("amdahl_speedup(0.0, {w})"),
            );
            close(
                amdahl_speedup(1.0, w),
                1.0,
                &format!("amdahl_speedup(1.0, {w})"),
            );
        }
        close(
            amdahl_speedup(0.1, 10),
            1.0 / 0.19,
            "amdahl_speedup(0.1, 10)",
        );
        close(amdahl_speedup(0.5, 2), 4.0 / 3.0, "amdahl_speedup(0.5, 2)");
        close(
            amdahl_speedup(0.05, 1_000_000),
            1.0 / (0.05 + 0.95 / 1e6),
            "amdahl_speedup(0.05, 1000000)",
        );
    });
}

#[test]
fn exercise_1_2_serial_fraction_known_values() {
    exercise!("1.2").run(|| {
        close(serial_fraction(4.0, 4), 0.0, "serial_fraction(4.0, 4)");
        close(serial_fraction(1.0, 4), 1.0, "serial_fraction(1.0, 4)");
        close(
            serial_fraction(1.0 / 0.19, 10),
            0.1,
            "serial_fraction(5.263…, 10)",
        );
        close(
            serial_fraction(1.5, 2),
            1.0 / 3.0,
            "serial_fraction(1.5, 2)",
        );
        // Faster than the ideal: a negative fraction, outside Amdahl's model.
        close(
            serial_fraction(3.0, 2),
            -1.0 / 3.0,
            "serial_fraction(3.0, 2)",
        );
        assert!(serial_fraction(1.0, 1).is_nan(), "with one worker: NaN");
    });
}

#[test]
fn exercise_1_2_round_trip() {
    exercise!("1.2").run(|| {
        for s in [0.0, 0.01, 0.1, 0.25, 0.5, 0.9, 1.0] {
            for w in [2, 3, 8, 64] {
                close(
                    serial_fraction(amdahl_speedup(s, w), w),
                    s,
                    &format!("serial_fraction(amdahl_speedup({s}, {w}), {w})"),
                );
            }
        }
    });
}

#[test]
fn exercise_1_2_refuses_what_makes_no_sense() {
    exercise!("1.2").run(|| {
        for (what, result) in [
            (
                "amdahl_speedup(-0.1, 4)",
                catch_unwind(|| amdahl_speedup(-0.1, 4)),
            ),
            (
                "amdahl_speedup(1.5, 4)",
                catch_unwind(|| amdahl_speedup(1.5, 4)),
            ),
            (
                "amdahl_speedup(f64::NAN, 4)",
                catch_unwind(|| amdahl_speedup(f64::NAN, 4)),
            ),
            (
                "amdahl_speedup(0.5, 0)",
                catch_unwind(|| amdahl_speedup(0.5, 0)),
            ),
            (
                "serial_fraction(0.0, 4)",
                catch_unwind(|| serial_fraction(0.0, 4)),
            ),
            (
                "serial_fraction(-2.0, 4)",
                catch_unwind(|| serial_fraction(-2.0, 4)),
            ),
            (
                "serial_fraction(2.0, 0)",
                catch_unwind(|| serial_fraction(2.0, 0)),
            ),
        ] {
            match result {
                Ok(value) => panic!("{what} should panic, but returned {value}"),
                Err(payload) => {
                    let message = lab_support::panic_message(&*payload);
                    assert!(
                        !message.contains("not yet implemented"),
                        "{what}: not written yet ({message})"
                    );
                }
            }
        }
    });
}
