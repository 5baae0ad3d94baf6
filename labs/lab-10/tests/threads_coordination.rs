//! Coordination (src/coordination.rs): each example on a current-thread
//! runtime with paused time, under the watchdog.

use super::on_paused_time;
use std::time::Duration;

use lab_10::coordination::{self, Counter};

// ANCHOR: backpressure_test
/// Capacity 3: the producer finishes 3 sends and waits in the 4th; each
/// receive lets exactly one more send finish.
#[test]
fn threads_a_bounded_mpsc_makes_the_producer_wait() {
    let sent = on_paused_time(|| coordination::backpressure(3, 10));
    assert_eq!(sent, [3, 4, 5, 6]);
}
// ANCHOR_END: backpressure_test

// ANCHOR: actor_test
/// Ten tasks add 1 to 10 through their own handles: every reply is a total
/// the actor really had, and the last total is 55.
#[test]
fn threads_the_actor_answers_every_request_on_its_oneshot() {
    let (mut totals, last) = on_paused_time(|| async {
        let counter = Counter::start();
        let mut adders = tokio::task::JoinSet::new();
        for n in 1..=10 {
            let counter = counter.clone();
            adders.spawn(async move { counter.add(n).await });
        }
        let totals = adders.join_all().await;
        (totals, counter.get().await)
    });
    totals.sort_unstable();
    totals.dedup();
    assert_eq!(totals.len(), 10, "each addition saw its own total");
    assert_eq!(totals.last(), Some(&55));
    assert_eq!(last, 55);
}
// ANCHOR_END: actor_test

// ANCHOR: lagging_test
/// Capacity 2, five messages sent before the receiver looks: the first
/// `recv` says 3 were missed, then come the two newest, then the end.
#[test]
fn threads_a_lagging_broadcast_receiver_is_told_what_it_missed() {
    let got = on_paused_time(|| coordination::lagging_receiver(2, 5));
    assert_eq!(got, ["lagged: missed 3", "got 3", "got 4", "closed"]);
}
// ANCHOR_END: lagging_test

// ANCHOR: watch_test
/// Three changes before the watcher looks wake it once, with the newest.
#[test]
fn threads_a_watch_receiver_sees_only_the_latest_value() {
    let seen = on_paused_time(coordination::latest_only);
    assert_eq!(seen, ["saw 3", "saw 4", "sender gone"]);
}
// ANCHOR_END: watch_test

// ANCHOR: notify_test
#[test]
fn threads_notify_one_before_the_wait_stores_a_permit() {
    assert!(on_paused_time(|| coordination::stored_permit(true)));
}

#[test]
fn threads_notify_waiters_before_the_wait_is_lost() {
    assert!(!on_paused_time(|| coordination::stored_permit(false)));
}
// ANCHOR_END: notify_test

// ANCHOR: semaphore_test
/// 20 jobs, 3 permits: never more than 3 running, exactly 3 at the most
/// (on paused time every job waits as long, so 3 do start together), and
/// all 20 finish.
#[test]
fn threads_a_semaphore_limits_how_many_jobs_run_at_once() {
    let (most, finished) =
        on_paused_time(|| coordination::limited(20, 3, Duration::from_millis(100)));
    assert_eq!(most, 3);
    assert_eq!(finished, 20);
}
// ANCHOR_END: semaphore_test
