//! The chapter's examples on real threads, each under the watchdog.

use std::panic::{AssertUnwindSafe, catch_unwind};

use lab_02::basics::{greet_on_a_thread, squares_on_threads, sum_on_a_thread};
use lab_02::panics::{parse_on_a_named_thread, parse_on_a_thread, scope_with_a_panicking_thread};
use lab_02::scoped::{double_in_place, sum_in_halves};
use lab_support::{panic_message, watchdog::watchdog};

#[test]
fn threads_spawn_and_join_return_the_closures_value() {
    watchdog(|| {
        assert_eq!(sum_on_a_thread((1..=100).collect()), 5050);
        assert_eq!(sum_on_a_thread(Vec::new()), 0);
    });
}

#[test]
fn threads_joined_in_order_give_results_in_order() {
    watchdog(|| {
        assert_eq!(squares_on_threads(6), [0, 1, 4, 9, 16, 25]);
        assert!(squares_on_threads(0).is_empty());
    });
}

#[test]
fn threads_move_closure_owns_what_it_uses() {
    watchdog(|| {
        assert_eq!(
            greet_on_a_thread("Ada".to_owned()),
            "hello, Ada, from another thread"
        );
    });
}

#[test]
fn threads_scoped_threads_borrow_local_data() {
    watchdog(|| {
        let numbers: Vec<u64> = (1..=1_000).collect();
        assert_eq!(sum_in_halves(&numbers), 500_500);
        assert_eq!(sum_in_halves(&[7]), 7);
        assert_eq!(sum_in_halves(&[]), 0);
        // `numbers` is still ours: the scope gave the borrows back.
        assert_eq!(numbers.len(), 1_000);
    });
}

#[test]
fn threads_scoped_threads_borrow_chunks_mutably() {
    watchdog(|| {
        for (len, workers) in [(10, 3), (3, 8), (0, 4), (100, 1), (5, 0)] {
            let mut numbers: Vec<u64> = (0..len).collect();
            double_in_place(&mut numbers, workers);
            let doubled: Vec<u64> = (0..len).map(|n| n * 2).collect();
            assert_eq!(numbers, doubled, "{len} numbers, {workers} workers");
        }
    });
}

#[test]
fn threads_join_returns_the_panic_payload() {
    watchdog(|| {
        assert_eq!(parse_on_a_thread("42"), Ok(42));
        let err = parse_on_a_thread("forty-two").unwrap_err();
        assert!(
            err.starts_with("not a number: "),
            "the payload of `expect` starts with its message: {err}"
        );
    });
}

#[test]
fn threads_scope_panics_when_a_thread_it_did_not_join_panicked() {
    watchdog(|| {
        let mut finished = false;
        // `AssertUnwindSafe`: catch_unwind asks whether a value the closure
        // borrows mutably could be seen half-changed after the panic; a bool
        // cannot be.
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            scope_with_a_panicking_thread(&mut finished)
        }));
        let payload = outcome.expect_err("the scope should have panicked");
        assert_eq!(panic_message(&*payload), "a scoped thread panicked");
        // The scope waited for the other thread before it panicked.
        assert!(finished, "the second thread ran to its end");
    });
}

#[test]
fn threads_named_thread_keeps_its_name() {
    watchdog(|| {
        assert_eq!(
            parse_on_a_named_thread("parser-7", " 17 "),
            "main: thread parser-7 parsed 17"
        );
        assert_eq!(
            parse_on_a_named_thread("parser-8", "x"),
            "main: thread parser-8 failed: cannot parse \"x\" as a number"
        );
        let name = std::thread::Builder::new()
            .name("reporter".to_owned())
            .spawn(|| std::thread::current().name().map(str::to_owned))
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(name.as_deref(), Some("reporter"));
    });
}
