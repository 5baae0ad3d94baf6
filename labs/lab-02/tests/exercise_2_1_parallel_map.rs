//! The tests of exercise 2.1 (your file: labs/lab-02/exercises/parallel_map.rs).
//! Real threads, under the watchdog; correctness only, never timing.

use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;
use std::thread::{self, ThreadId};

use lab_02::parallel_map::parallel_map;
use lab_support::{exercise, panic_message};

/// Checks `parallel_map` on `len` items and `workers` workers against a plain map.
#[track_caller]
fn check(len: u64, workers: usize) {
    let items: Vec<u64> = (0..len).collect();
    let f = |x: &u64| format!("{x}^2={}", x * x);
    let expected: Vec<String> = items.iter().map(f).collect();
    let got = parallel_map(&items, workers, f);
    assert_eq!(
        got.len(),
        items.len(),
        "parallel_map over {len} items with {workers} workers returned {} results: one per item, please",
        got.len()
    );
    assert_eq!(
        got, expected,
        "parallel_map over {len} items with {workers} workers: the results must be f of each item, \
         in the order of the items"
    );
}

#[test]
fn exercise_2_1_results_in_input_order() {
    exercise!("2.1").run(|| {
        for (len, workers) in [(1, 1), (10, 1), (10, 2), (10, 3), (100, 7), (1_000, 16)] {
            check(len, workers);
        }
    });
}

#[test]
fn exercise_2_1_more_workers_than_items_and_no_items() {
    exercise!("2.1").run(|| {
        for (len, workers) in [(3, 8), (1, 4), (0, 1), (0, 4)] {
            check(len, workers);
        }
    });
}

/// The task says so: 0 workers count as one, rather than dividing by zero.
#[test]
fn exercise_2_1_zero_workers_count_as_one() {
    exercise!("2.1").run(|| {
        for len in [0, 5] {
            check(len, 0);
        }
    });
}

#[test]
fn exercise_2_1_borrows_items_that_are_not_copy() {
    exercise!("2.1").run(|| {
        let words: Vec<String> = ["one", "two", "three", "four", "five"]
            .map(str::to_owned)
            .into();
        let lengths = parallel_map(&words, 2, String::len);
        assert_eq!(lengths, [3, 3, 5, 4, 4]);
        // The words are still ours: parallel_map only borrowed them.
        assert_eq!(words.len(), 5);
    });
}

#[test]
fn exercise_2_1_uses_one_thread_per_chunk() {
    exercise!("2.1").run(|| {
        for workers in [2, 4] {
            let seen: Mutex<HashSet<ThreadId>> = Mutex::new(HashSet::new());
            let items: Vec<u64> = (0..40).collect();
            let doubled = parallel_map(&items, workers, |x| {
                seen.lock().unwrap().insert(thread::current().id());
                x * 2
            });
            assert_eq!(doubled, items.iter().map(|x| x * 2).collect::<Vec<_>>());
            let threads = seen.into_inner().unwrap().len();
            assert_eq!(
                threads, workers,
                "with {workers} workers and 40 items, f ran on {threads} thread(s): \
                 each of the {workers} chunks should be mapped on a thread of its own"
            );
        }
    });
}

#[test]
fn exercise_2_1_a_panic_in_f_reaches_the_caller() {
    exercise!("2.1").run(|| {
        let items: Vec<u64> = (0..20).collect();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            parallel_map(&items, 4, |&x| {
                if x == 13 {
                    panic!("item {x} is unlucky");
                }
                x
            })
        }));
        let Err(payload) = outcome else {
            panic!("f panicked on item 13, but parallel_map returned normally");
        };
        let message = panic_message(&*payload);
        assert_eq!(
            message, "item 13 is unlucky",
            "the caller should panic with f's own payload; it panicked with {message:?}. \
             (`unwrap()` on the join result, or leaving the handle to the scope, replaces it \
             with a message of its own: use std::panic::resume_unwind)"
        );
    });
}
