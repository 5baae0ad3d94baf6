//! The tests of exercise 7.1 (your file: labs/lab-07/exercises/stages.rs).
//! Real threads, under the watchdog: crossbeam-channel cannot run under loom.

use crossbeam_channel::bounded;
use lab_07::stages::{Output, ParseError, run};
use lab_support::exercise;

/// The number of steps of the Collatz sequence from `n` down to 1: cheap for
/// some numbers, dearer for others, so the compute workers overtake one
/// another.
fn collatz_steps(mut n: u64) -> u64 {
    let mut steps = 0;
    while n > 1 {
        n = if n.is_multiple_of(2) {
            n / 2
        } else {
            3 * n + 1
        };
        steps += 1;
    }
    steps
}

fn lines(texts: &[&str]) -> Vec<String> {
    texts.iter().map(|t| t.to_string()).collect()
}

#[test]
fn exercise_7_1_results_in_input_order() {
    exercise!("7.1").run(|| {
        let input: Vec<String> = (1..=300u64).map(|n| n.to_string()).collect();
        let expected: Vec<Output> = (1..=300u64).map(|n| Ok(collatz_steps(n))).collect();
        for (workers, capacity) in [(1, 1), (4, 0), (4, 16), (3, 1), (0, 2)] {
            let got = run(input.clone(), workers, capacity, collatz_steps);
            assert!(
                got == expected,
                "with {workers} workers and capacity {capacity}: {} outputs for {} lines, \
                 first difference at line {:?}",
                got.len(),
                expected.len(),
                got.iter().zip(&expected).position(|(a, b)| a != b)
            );
        }
    });
}

// ANCHOR: overtaking
/// Two workers. Line 0's computation waits until line 2's has begun, so the
/// worker that took line 0 is stuck, and the other worker does line 1, sends
/// its result, and only then takes line 2, which lets line 0 go on. So line
/// 1's result always reaches the collector before line 0's, and the outputs
/// must still come back in the order of the lines. (With one worker, line 0
/// would wait for ever, and the watchdog would stop the test.)
#[test]
fn exercise_7_1_a_later_line_that_finishes_first_still_comes_second() {
    exercise!("7.1").run(|| {
        let (line_2_begun, wait_for_line_2) = bounded::<()>(1);
        let compute = move |n: u64| {
            if n == 100 {
                wait_for_line_2.recv().expect("line 2 was computed");
            }
            if n == 300 {
                line_2_begun.send(()).unwrap();
            }
            n + 1
        };
        let got = run(lines(&["100", "200", "300"]), 2, 1, compute);
        assert_eq!(got, [Ok(101), Ok(201), Ok(301)]);
    });
}
// ANCHOR_END: overtaking

#[test]
fn exercise_7_1_a_line_that_does_not_parse_gives_its_error_in_its_place() {
    exercise!("7.1").run(|| {
        let got = run(lines(&["3", " 4 ", "five", "6"]), 2, 0, |n| n * 10);
        let five = ParseError {
            line: 2,
            text: "five".to_owned(),
        };
        assert_eq!(got, [Ok(30), Ok(40), Err(five), Ok(60)]);
    });
}

#[test]
fn exercise_7_1_no_input_ends_at_once() {
    exercise!("7.1").run(|| {
        assert_eq!(run(Vec::new(), 3, 1, |n| n), []);
    });
}
