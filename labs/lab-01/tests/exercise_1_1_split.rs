//! The tests of exercise 1.1 (your file: labs/lab-01/exercises/split.rs).
//! Real threads, under the watchdog; correctness only, never timing.

use lab_01::cpu::count_primes;
use lab_01::split::split_and_gather;
use lab_support::exercise;

/// Chunk `i` of `workers`, as the exercise defines it.
fn chunk(below: u64, workers: usize, i: usize) -> std::ops::Range<u64> {
    let (n, i) = (workers as u64, i as u64);
    below * i / n..below * (i + 1) / n
}

#[track_caller]
fn check(below: u64, workers: usize) {
    let counts = split_and_gather(below, workers);
    assert_eq!(
        counts.len(),
        workers,
        "split_and_gather({below}, {workers}) returned {} counts: one per worker, please",
        counts.len()
    );
    assert_eq!(
        counts.iter().sum::<u64>(),
        count_primes(0..below),
        "the counts of split_and_gather({below}, {workers}) do not add up to the primes below {below}: {counts:?}"
    );
    for (i, &count) in counts.iter().enumerate() {
        let range = chunk(below, workers, i);
        assert_eq!(
            count,
            count_primes(range.clone()),
            "split_and_gather({below}, {workers}): count {i} should be the primes in chunk {i}, \
             {range:?}; the counts must come back in chunk order: {counts:?}"
        );
    }
}

#[test]
fn exercise_1_1_one_worker() {
    exercise!("1.1").run(|| check(10_000, 1));
}

#[test]
fn exercise_1_1_three_workers() {
    exercise!("1.1").run(|| check(10_000, 3));
}

#[test]
fn exercise_1_1_seven_workers_keep_chunk_order() {
    exercise!("1.1").run(|| {
        check(100_000, 7);
        check(1_000, 7);
    });
}

#[test]
fn exercise_1_1_more_workers_than_numbers() {
    exercise!("1.1").run(|| {
        check(5, 8);
        check(0, 3);
    });
}
