//! Graceful shutdown (src/shutdown.rs): the one-request server on a
//! current-thread runtime with paused time, over in-memory connections,
//! under the watchdog.

use super::on_paused_time;
use std::time::Duration;

use lab_10::coordination::settle;
use lab_10::shutdown::{self, Answer, Report, ask};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

const MS: Duration = Duration::from_millis(1);

/// Starts the server with a deadline of `grace`, sends one request per
/// `waits` entry (ids 1, 2, …), lets everything run until each request is
/// being worked on, starts the shutdown, and returns every client's answer
/// and the server's report.
async fn requests_then_shutdown(waits: &[u64], grace: Duration) -> (Vec<Answer>, Report) {
    let (connector, listener) = shutdown::listener(16);
    let stop = CancellationToken::new();
    let server = tokio::spawn(shutdown::serve(listener, stop.clone(), grace));
    let mut clients = Vec::new();
    for (id, &wait) in (1..).zip(waits) {
        let connector = connector.clone();
        clients.push(tokio::spawn(async move {
            ask(&connector, id, Duration::from_millis(wait)).await
        }));
    }
    settle().await; // every request is read, and its work has begun
    stop.cancel();
    let report = server.await.unwrap();
    let mut answers = Vec::new();
    for client in clients {
        answers.push(client.await.unwrap());
    }
    (answers, report)
}

// ANCHOR: finish_test
/// Three requests in flight when shutdown starts, all shorter than the
/// deadline: all three are answered.
#[test]
fn threads_shutdown_lets_the_requests_in_flight_finish() {
    let (answers, report) =
        on_paused_time(|| requests_then_shutdown(&[2_000, 10_000, 30_000], 60_000 * MS));
    assert_eq!(answers, [Answer::Served; 3]);
    assert_eq!(report.answered, [1, 2, 3]);
    assert!(report.cut_off.is_empty());
}
// ANCHOR_END: finish_test

// ANCHOR: deadline_test
/// A request slower than the deadline is cut off, and both its client and
/// the report say so; the faster ones are answered.
#[test]
fn threads_the_deadline_cuts_off_a_slow_request_and_reports_it() {
    let (answers, report) =
        on_paused_time(|| requests_then_shutdown(&[2_000, 90_000, 5_000], 30_000 * MS));
    assert_eq!(answers, [Answer::Served, Answer::CutOff, Answer::Served]);
    assert_eq!(report.answered, [1, 3]);
    assert_eq!(report.cut_off, [2]);
}
// ANCHOR_END: deadline_test

// ANCHOR: deadline_from_shutdown_test
/// The deadline counts from the shutdown, not from the server's start: the
/// server has run 100 s of the paused clock before shutdown starts, and the
/// slow request's client reads `cut-off` exactly `grace` after that. (The
/// paused clock moves only by jumps to the next timer, so the difference is
/// exact, and no real time is measured.)
#[test]
fn threads_the_deadline_counts_from_the_start_of_the_shutdown() {
    let grace = 30_000 * MS;
    let (cut_after, answer) = on_paused_time(move || async move {
        let (connector, listener) = shutdown::listener(16);
        let stop = CancellationToken::new();
        let server = tokio::spawn(shutdown::serve(listener, stop.clone(), grace));
        settle().await; // serve waits to accept
        tokio::time::advance(Duration::from_secs(100)).await;
        let client = tokio::spawn(async move {
            let answer = ask(&connector, 1, Duration::from_secs(3600)).await;
            (answer, Instant::now())
        });
        settle().await; // the request is being worked on
        let shutdown_at = Instant::now();
        stop.cancel();
        server.await.unwrap();
        let (answer, answered_at) = client.await.unwrap();
        (answered_at - shutdown_at, answer)
    });
    assert_eq!(answer, Answer::CutOff);
    assert_eq!(cut_after, grace);
}
// ANCHOR_END: deadline_from_shutdown_test

// ANCHOR: refused_test
/// Two connections wait in the accept queue when shutdown starts (before
/// the server ever accepts): both are closed and counted, none is served,
/// and a later connection is refused.
#[test]
fn threads_nothing_is_accepted_after_shutdown_starts() {
    let (answers, late, report) = on_paused_time(|| async {
        let (connector, listener) = shutdown::listener(16);
        let stop = CancellationToken::new();
        let mut early = Vec::new();
        for id in 1..=2 {
            let connector = connector.clone();
            early.push(tokio::spawn(async move { ask(&connector, id, MS).await }));
        }
        settle().await; // both are queued, and their requests written
        stop.cancel();
        let report = shutdown::serve(listener, stop, 1_000 * MS).await;
        let late = ask(&connector, 3, MS).await;
        let mut answers = Vec::new();
        for client in early {
            answers.push(client.await.unwrap());
        }
        (answers, late, report)
    });
    assert_eq!(answers, [Answer::NoReply; 2]);
    assert_eq!(late, Answer::Refused);
    assert_eq!(
        report,
        Report {
            answered: vec![],
            cut_off: vec![],
            refused: 2
        }
    );
}
// ANCHOR_END: refused_test

// ANCHOR: tempting_test
/// Tempting: the server that drops its handlers loses the request in
/// flight. Its client gets no reply, and the report does not mention it.
#[test]
fn threads_dropping_the_handlers_loses_the_request_in_flight() {
    let (answer, report) = on_paused_time(|| async {
        let (connector, listener) = shutdown::listener(16);
        let stop = CancellationToken::new();
        let server = tokio::spawn(shutdown::serve_and_drop(listener, stop.clone()));
        let client = tokio::spawn(async move { ask(&connector, 1, 5_000 * MS).await });
        settle().await;
        stop.cancel();
        let report = server.await.unwrap();
        (client.await.unwrap(), report)
    });
    assert_eq!(answer, Answer::NoReply);
    assert_eq!(report, Report::default());
}
// ANCHOR_END: tempting_test
