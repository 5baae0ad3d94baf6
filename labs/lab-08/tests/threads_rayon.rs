//! What the chapter claims about rayon, checked on real threads: results,
//! and where the work ran, never timing.

use std::sync::Mutex;

use lab_08::reduce::{
    SPLIT_SENSITIVE, squares_in_order, subtract_all, sum_in_parts, sum_with_a_wrong_identity,
    sum_with_the_identity,
};
use lab_08::steal::{self, Trace};
use lab_08::{amdahl, grain, pitfalls};
use lab_support::watchdog::watchdog;

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
}

// ANCHOR: float_split
#[test]
fn threads_a_float_sum_depends_on_the_split() {
    let whole = sum_in_parts(&SPLIT_SENSITIVE, 1);
    let halves = sum_in_parts(&SPLIT_SENSITIVE, 2);
    assert_ne!(whole, halves, "one piece: {whole}; two: {halves}");
    // Integers do not care.
    let ints: Vec<u64> = (1..=1_000).collect();
    let as_floats: Vec<f64> = ints.iter().map(|&i| i as f64).collect();
    assert_eq!(sum_in_parts(&as_floats, 1), sum_in_parts(&as_floats, 7));
}
// ANCHOR_END: float_split

/// rayon always splits a parallel iterator of two or more items at least
/// once (its splitter starts with one split per worker: rayon's
/// `iter/plumbing/mod.rs`, `Splitter::new` and `try_split`), and each piece
/// starts from the identity.
#[test]
fn threads_a_wrong_identity_or_a_non_associative_operation_changes_the_answer() {
    watchdog(|| {
        let values: Vec<u64> = (1..=10_000).collect();
        let sum: u64 = values.iter().sum();
        for threads in [1, 2, 4] {
            pool(threads).install(|| {
                assert_eq!(sum_with_the_identity(&values), sum);
                let wrong = sum_with_a_wrong_identity(&values);
                assert!(wrong > sum, "{threads} workers: {wrong}, the sum is {sum}");
                let signed: Vec<i64> = (1..=100).collect();
                let sequential = signed.iter().fold(0, |a, b| a - b);
                let got = subtract_all(&signed);
                assert!(
                    got > sequential,
                    "{threads} workers: {got}, sequentially {sequential}"
                );
            });
        }
    });
}

#[test]
fn threads_collect_keeps_the_input_order() {
    watchdog(|| {
        let want: Vec<u64> = (0..100_000).map(|i| i * i).collect();
        assert_eq!(squares_in_order(100_000), want);
    });
}

#[test]
fn threads_the_mutex_sum_is_right_only_slower() {
    watchdog(|| {
        let want: u64 = (0..50_000).map(pitfalls::cost).sum();
        assert_eq!(pitfalls::sum_through_a_mutex(50_000), want);
        assert_eq!(pitfalls::sum_without_a_lock(50_000), want);
        let total = Mutex::new(1);
        pitfalls::call_into_rayon_then_lock(&total, 50_000);
        assert_eq!(*total.lock().unwrap(), want + 1);
    });
}

// ANCHOR: reentry
/// The certain form of rayon issue 592: the second job runs on the very
/// thread that holds the lock, while that thread waits inside rayon. With
/// `lock()` instead of `try_lock()` it would wait for ever.
#[test]
fn threads_a_worker_waiting_in_rayon_runs_another_job_under_the_lock_it_holds() {
    let seen = watchdog(pitfalls::lock_then_call_into_rayon);
    assert_eq!(seen.second_job_ran_on, seen.holder);
    assert!(seen.lock_was_taken, "{seen:?}");
}
// ANCHOR_END: reentry

#[test]
fn threads_nested_loops_share_one_pool() {
    watchdog(|| {
        let want: u64 = (0..40 * 500).map(pitfalls::cost).sum();
        let (sum, highest) = pool(3).install(|| pitfalls::nested(40, 500));
        assert_eq!(sum, want);
        assert!(highest < 3, "a worker index {highest} in a pool of 3");
        assert_eq!(pitfalls::on_a_pool_of(3), 3);
    });
}

#[test]
fn threads_waits_on_rayon_and_on_threads_all_return() {
    watchdog(|| {
        let none = std::time::Duration::ZERO;
        assert_eq!(pitfalls::waits_on_rayon(10, none), 10);
        assert_eq!(pitfalls::waits_on_threads(10, none), 10);
    });
}

#[test]
fn threads_grain_size_changes_the_time_not_the_answer() {
    watchdog(|| {
        for n in [0, 1, 100, 12_345] {
            let want = grain::sum_of_squares(n);
            assert_eq!(grain::sum_of_squares_par(n), want, "{n}");
            assert_eq!(grain::sum_of_squares_min_len(n, 1_000), want, "{n}");
            assert_eq!(grain::sum_of_squares_chunks(n, 1_000), want, "{n}");
        }
    });
}

#[test]
fn threads_amdahls_job_gives_one_answer_on_any_pool() {
    watchdog(|| {
        let want = pool(1).install(|| amdahl::job(1_000, 2_000));
        assert_eq!(pool(3).install(|| amdahl::job(1_000, 2_000)), want);
    });
}

/// Every item ran exactly once, in pieces that do not overlap.
fn covers_every_item_once(trace: &Trace, items: u64) {
    let mut pieces: Vec<(u64, u64)> = trace.spans.iter().map(|s| (s.first, s.end_item)).collect();
    pieces.sort_unstable();
    let mut at = 0;
    for (first, end) in pieces {
        assert_eq!(first, at, "a gap or an overlap at item {at}");
        at = end;
    }
    assert_eq!(at, items);
}

#[test]
fn threads_the_traced_runs_account_for_every_item() {
    watchdog(|| {
        let items = 300;
        let want = steal::sequential(0..items);
        let by_hand = steal::traced_by_hand(items, 3, 10);
        assert_eq!(by_hand.total, want);
        covers_every_item_once(&by_hand, items);
        assert_eq!(by_hand.steals(), 0, "threads split by hand never steal");
        assert!(by_hand.spans.iter().all(|s| s.worker < 3));

        let by_rayon = steal::traced_by_rayon(&pool(2), items, 10);
        assert_eq!(by_rayon.total, want);
        covers_every_item_once(&by_rayon, items);
        // A piece marked stolen ran on another worker than the one that split
        // it off. Whether any was stolen depends on timing: not checked.
        for s in &by_rayon.spans {
            assert!(s.worker < 2);
            assert!(s.stolen_from.is_none_or(|from| from != s.worker), "{s:?}");
        }
        let svg = steal::timeline_svg(&[("by hand", &by_hand), ("rayon", &by_rayon)]);
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        for w in 0..3 {
            assert!(svg.contains(&format!(">worker {w} (")), "row of worker {w}");
        }
    });
}

/// What the chapter shows of the float sums and of the re-entered lock, kept
/// true by this test (`LAB_CAPTURE=write LAB_VARIANT=solutions cargo test -p
/// lab-08` writes it again).
#[test]
fn threads_the_chapters_captured_runs() {
    let mut text = String::new();
    for parts in [1, 2, 4] {
        text.push_str(&format!(
            "sum_in_parts({SPLIT_SENSITIVE:?}, {parts}) = {:?}\n",
            sum_in_parts(&SPLIT_SENSITIVE, parts)
        ));
    }
    lab_support::capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "08-data-parallelism/captured/float-split.txt",
        &text,
    );
    let seen = watchdog(pitfalls::lock_then_call_into_rayon);
    let text = format!(
        "{seen:?}\nthe worker that held the lock: {}\nthe worker that ran the second job: {}\ntry_lock found the lock taken: {}\n",
        seen.holder, seen.second_job_ran_on, seen.lock_was_taken
    );
    lab_support::capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "08-data-parallelism/captured/reentry.txt",
        &text,
    );
}
