//! What the chapter claims about rayon, checked on real threads: results,
//! and where the work ran, never timing.

use lab_08::reduce::{
    SPLIT_SENSITIVE, multiples_of_3_in_order, rayon_sum, squares_in_order, subtract_all,
    subtract_all_right, sum_in_fixed_chunks, sum_in_parts, sum_with_a_wrong_identity,
    sum_with_the_identity,
};
use lab_08::steal::{self, Trace};
use lab_08::{amdahl, grain, pitfalls};
use lab_support::watchdog::watchdog;

use crate::pool;

// ANCHOR: float_split
#[test]
fn threads_a_float_sum_depends_on_the_split() {
    let whole = sum_in_parts(&SPLIT_SENSITIVE, 1);
    let halves = sum_in_parts(&SPLIT_SENSITIVE, 2);
    assert_ne!(whole, halves, "one piece: {whole}; two: {halves}");
    // rayon's own sum on one worker: cut exactly once, into the two halves.
    assert_eq!(pool(1).install(|| rayon_sum(&SPLIT_SENSITIVE)), halves);
    // Fixed chunks give one answer on any pool.
    let values: Vec<f64> = (0..10_000).map(|i| 1.0 / (1.0 + i as f64)).collect();
    let once = sum_in_fixed_chunks(&values, 100);
    for threads in [1, 2, 4] {
        assert_eq!(
            pool(threads).install(|| sum_in_fixed_chunks(&values, 100)),
            once
        );
    }
    // Integers do not care where they are cut.
    let ints: Vec<u64> = (1..=1_000).map(|i| i * i).collect();
    for parts in [1, 2, 3, 7, 1_000] {
        let size = ints.len().div_ceil(parts);
        let by_parts: u64 = ints.chunks(size).map(|c| c.iter().sum::<u64>()).sum();
        assert_eq!(by_parts, ints.iter().sum::<u64>(), "{parts} parts");
    }
}
// ANCHOR_END: float_split

/// rayon always splits a parallel iterator over a slice of two or more
/// items at least once (its splitter starts with one split per worker and
/// `with_min_len` is 1 here: rayon's `iter/plumbing/mod.rs`, `Splitter::new`,
/// `LengthSplitter::try_split`), and each piece starts from the identity. On
/// a pool of one worker nothing can be stolen, so it is cut exactly once:
/// two pieces, and the answers are exact.
#[test]
fn threads_a_wrong_identity_or_a_non_associative_operation_changes_the_answer() {
    watchdog(|| {
        let values: Vec<u64> = (1..=10_000).collect();
        let sum: u64 = values.iter().sum();
        let signed: Vec<i64> = (1..=100).collect();
        let sequential = signed.iter().fold(0, |a, b| a - b);
        for threads in [1, 2, 4] {
            pool(threads).install(|| {
                assert_eq!(sum_with_the_identity(&values), sum);
                let wrong = sum_with_a_wrong_identity(&values);
                assert!(
                    wrong >= sum + 2,
                    "{threads} workers: {wrong}, the sum is {sum}"
                );
                let got = subtract_all(&signed);
                assert!(
                    got > sequential,
                    "{threads} workers: {got}, sequentially {sequential}"
                );
                assert_eq!(subtract_all_right(&signed), sequential);
                if threads == 1 {
                    assert_eq!(wrong, sum + 2, "one worker: two pieces");
                    // (1 - ... - 50 negated) - (-(51 + ... + 100)) = -1275 + 3775
                    assert_eq!(
                        got, 2_500,
                        "one worker: (0 - 1 - … - 50) - (0 - 51 - … - 100)"
                    );
                }
            });
        }
    });
}

#[test]
fn threads_collect_keeps_the_input_order() {
    watchdog(|| {
        let want: Vec<u64> = (0..100_000).map(|i| i * i).collect();
        assert_eq!(squares_in_order(100_000), want);
        let multiples: Vec<u64> = (0..100_000).filter(|i| i % 3 == 0).collect();
        assert_eq!(multiples_of_3_in_order(100_000), multiples);
    });
}

#[test]
fn threads_the_mutex_sum_is_right_only_slower() {
    watchdog(|| {
        let want: u64 = (0..50_000).map(pitfalls::cost).sum();
        assert_eq!(pitfalls::sum_through_a_mutex(50_000), want);
        assert_eq!(pitfalls::sum_without_a_lock(50_000), want);
    });
}

// ANCHOR: reentry
/// The certain form of rayon issue 592: the second job runs on the very
/// thread that holds the lock, while that thread waits inside rayon. With
/// `lock()` instead of `try_lock()` it would wait for ever.
#[test]
fn threads_a_worker_waiting_in_rayon_runs_another_job_under_the_lock_it_holds() {
    let seen = watchdog(pitfalls::lock_then_call_into_rayon);
    assert!(seen.same_thread && seen.inside_the_wait, "{seen:?}");
    assert!(seen.lock_was_taken, "{seen:?}");
}

/// The right order, in the same harness: the second job still runs on that
/// thread inside its wait, and finds the lock free.
#[test]
fn threads_calling_into_rayon_before_locking_finds_the_lock_free() {
    let seen = watchdog(pitfalls::call_into_rayon_then_lock);
    assert!(seen.same_thread && seen.inside_the_wait, "{seen:?}");
    assert!(!seen.lock_was_taken, "{seen:?}");
}

/// Waiting inside rayon for a job queued behind you: on one worker, that job
/// cannot run until you stop waiting. The wait always ends in a time-out;
/// how long the time-out is changes nothing but how long the test takes.
#[test]
fn threads_a_job_waiting_for_one_queued_behind_it_waits_in_vain() {
    let got = watchdog(|| {
        pitfalls::wait_for_a_job_queued_behind_you(std::time::Duration::from_millis(100))
    });
    assert_eq!(got, Err(std::sync::mpsc::RecvTimeoutError::Timeout));
}
// ANCHOR_END: reentry

#[test]
fn threads_nested_loops_share_one_pool() {
    watchdog(|| {
        let want: u64 = (0..40 * 500).map(pitfalls::cost).sum();
        let (sum, highest) = pool(3).install(|| pitfalls::nested(40, 500));
        assert_eq!(sum, want);
        // `nested` records the worker of every outer and every inner item,
        // and panics for one that ran off the pool: all ran on its 3.
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
/// true by this test (`LAB_CAPTURE=write cargo test -p lab-08 --features
/// solutions` writes it again).
#[test]
fn threads_the_chapters_captured_runs() {
    let mut text = String::new();
    for parts in [1, 2, 4] {
        text.push_str(&format!(
            "sum_in_parts({SPLIT_SENSITIVE:?}, {parts}) = {:?}\n",
            sum_in_parts(&SPLIT_SENSITIVE, parts)
        ));
    }
    text.push_str(&format!(
        "rayon_sum({SPLIT_SENSITIVE:?}) on a pool of one worker = {:?}\n",
        pool(1).install(|| rayon_sum(&SPLIT_SENSITIVE))
    ));
    for threads in [1, 2, 4] {
        text.push_str(&format!(
            "sum_in_fixed_chunks({SPLIT_SENSITIVE:?}, 2) on a pool of {threads} = {:?}\n",
            pool(threads).install(|| sum_in_fixed_chunks(&SPLIT_SENSITIVE, 2))
        ));
    }
    lab_support::capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "08-data-parallelism/captured/float-split.txt",
        &text,
    );
    let mut text = String::new();
    for (name, run) in [
        (
            "lock_then_call_into_rayon (tempting)",
            pitfalls::lock_then_call_into_rayon as fn() -> pitfalls::Reentry,
        ),
        (
            "call_into_rayon_then_lock (right)",
            pitfalls::call_into_rayon_then_lock,
        ),
    ] {
        let seen = watchdog(run);
        text.push_str(&format!(
            "{name}:\n  the second job ran on the first job's thread: {}\n  it ran while the first waited in the other pool: {}\n  try_lock found the lock taken: {}\n",
            seen.same_thread, seen.inside_the_wait, seen.lock_was_taken
        ));
    }
    lab_support::capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "08-data-parallelism/captured/reentry.txt",
        &text,
    );
}
