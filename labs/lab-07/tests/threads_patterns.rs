//! The patterns of src/: pipeline, fan-out/fan-in, back-pressure, the
//! kept sender, and `select!`. Real threads, under the watchdog.

use std::time::Duration;

use crossbeam_channel::{bounded, unbounded};
use lab_07::backpressure::fast_producer;
use lab_07::fan::{Panicked, map_in_order};
use lab_07::pipeline::{one_thread, pipeline};
use lab_07::select::{Stopped, merge, poll, recv_within, sum_with_heartbeat, worker};
use lab_07::{hang, pipeline::work};
use lab_support::capture;
use lab_support::watchdog::{watchdog, watchdog_with_limit};

#[test]
fn threads_the_pipeline_computes_what_one_thread_does() {
    watchdog(|| {
        let expected = one_thread(500, 10);
        for capacity in [Some(0), Some(1), Some(16), None] {
            let outcome = pipeline(500, 10, capacity);
            assert_eq!(outcome.sum, expected, "capacity {capacity:?}");
            if let Some(c) = capacity {
                assert!(outcome.most_queued <= 2 * c, "{outcome:?} for capacity {c}");
            }
        }
    });
}

#[test]
fn threads_results_come_back_in_input_order() {
    watchdog(|| {
        let squares = map_in_order((0..500u64).collect(), 4, |x| x * x);
        let squares: Vec<u64> = squares.into_iter().map(Result::unwrap).collect();
        assert_eq!(squares, (0..500u64).map(|x| x * x).collect::<Vec<_>>());
    });
}

#[test]
fn threads_a_panicking_job_loses_no_other_result() {
    watchdog(|| {
        let results = map_in_order((0..50u64).collect(), 3, |x| {
            assert!(x != 7, "job 7 fails");
            x + 1
        });
        for (i, r) in results.iter().enumerate() {
            match r {
                Err(Panicked { index, message }) => {
                    assert_eq!((i, *index, message.as_str()), (7, 7, "job 7 fails"));
                }
                Ok(v) => assert_eq!(*v, i as u64 + 1),
            }
        }
        assert_eq!(results.iter().filter(|r| r.is_err()).count(), 1);
    });
}

// ANCHOR: bounded_queue_test
#[test]
fn threads_a_bounded_queue_never_holds_more_than_its_capacity() {
    watchdog(|| {
        let queue = fast_producer(5_000, Some(16), 200);
        assert_eq!(queue.queued.len(), 5_000);
        assert!(queue.most() <= 16, "the queue held {}", queue.most());
    });
}
// ANCHOR_END: bounded_queue_test

#[test]
fn threads_the_fixed_sum_of_squares_finishes() {
    watchdog(|| assert_eq!(hang::sum_of_squares(10), 385));
}

// ANCHOR: kept_sender_test
/// The kept sender hangs for ever: no square is missing, yet the loop waits.
/// The watchdog stops the test after a short limit (the thread stays stuck
/// until the test process ends) and says what it saw.
#[test]
fn threads_a_kept_sender_hangs_the_receive_loop() {
    let outcome = std::panic::catch_unwind(|| {
        watchdog_with_limit(Duration::from_millis(500), || {
            hang::sum_of_squares_kept_sender(10)
        })
    });
    let message = lab_support::panic_message(&*outcome.expect_err("it never returns"));
    assert!(message.contains("did not finish within"), "{message}");
    let shown = message.replace(
        "threads_patterns::threads_a_kept_sender_hangs_the_receive_loop",
        "the kept-sender test",
    );
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "07-message-passing/captured/kept-sender.txt",
        &format!(
            "{shown}\n\nWhat happened: the 10 threads send their squares and end, but the \
             loop `rx.iter().sum()` ends only when every sender is gone, and `tx`, the \
             original that the threads' senders were cloned from, is still alive in \
             the function that runs the loop.\n"
        ),
    );
}
// ANCHOR_END: kept_sender_test

#[test]
fn threads_a_worker_drains_the_queue_when_the_senders_are_gone() {
    watchdog(|| {
        let (jobs_tx, jobs) = unbounded();
        let (_shutdown_tx, shutdown) = bounded::<()>(1);
        let (done, results) = unbounded();
        for j in 0..20 {
            jobs_tx.send(j).unwrap();
        }
        drop(jobs_tx);
        assert_eq!(worker(&jobs, &shutdown, &done), Stopped::Drained);
        assert_eq!(results.len(), 20, "every queued job was done");
    });
}

#[test]
fn threads_a_worker_stops_early_on_shutdown() {
    watchdog(|| {
        let (_jobs_tx, jobs) = unbounded::<u64>();
        let (shutdown_tx, shutdown) = bounded(1);
        let (done, results) = unbounded();
        shutdown_tx.send(()).unwrap();
        // The job channel is still open: only the shutdown can end it.
        assert_eq!(worker(&jobs, &shutdown, &done), Stopped::ShutDown);
        assert!(results.is_empty());
        // Dropping the shutdown sender works as well as a message.
        let (shutdown_tx, shutdown) = bounded::<()>(1);
        drop(shutdown_tx);
        assert_eq!(worker(&jobs, &shutdown, &done), Stopped::ShutDown);
    });
}

#[test]
fn threads_select_default_after_tick_and_never() {
    watchdog(|| {
        let (tx, rx) = unbounded();
        assert_eq!(poll(&rx), None, "default: nothing is waiting");
        tx.send(5).unwrap();
        assert_eq!(poll(&rx), Some(5));
        // Nobody sends: only the timer can fire.
        assert_eq!(recv_within(&rx, Duration::from_millis(10)), None);
        tx.send(6).unwrap();
        assert_eq!(recv_within(&rx, Duration::from_secs(60)), Some(6));

        // tick: the sum is right however many beats arrived on the way.
        let (tx, rx) = bounded(0);
        std::thread::scope(|s| {
            s.spawn(move || {
                for i in 1..=100 {
                    tx.send(work(i, 1_000) % 10).unwrap();
                }
            });
            let (sum, _beats) = sum_with_heartbeat(&rx, Duration::from_millis(1));
            let expected: u64 = (1..=100).map(|i| work(i, 1_000) % 10).sum();
            assert_eq!(sum, expected);
        });

        // never: both channels drained, nothing spins or is lost.
        let (a_tx, a) = unbounded();
        let (b_tx, b) = unbounded();
        for i in 0..10 {
            a_tx.send(i).unwrap();
            b_tx.send(100 + i).unwrap();
        }
        drop(a_tx);
        drop(b_tx);
        let (mut merged, rounds) = merge(a, b);
        merged.sort_unstable();
        assert_eq!(merged, (0..10).chain(100..110).collect::<Vec<_>>());
        assert_eq!(
            rounds,
            20 + 2,
            "one round per message and per drained channel"
        );
    });
}
