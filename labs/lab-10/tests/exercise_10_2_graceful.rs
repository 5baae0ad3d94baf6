//! The tests of exercise 10.2 (your file: labs/lab-10/exercises/graceful.rs).
//! Each runs on a current-thread runtime with paused time, over in-memory
//! connections, under the watchdog: the waits are on tokio's paused clock,
//! which jumps ahead whenever no task can run, so no test waits in real time.

use std::time::Duration;

use lab_10::coordination::settle;
use lab_10::graceful::serve;
use lab_10::shutdown::{self, Answer, Report, Session};
use lab_support::exercise;
use tokio_util::sync::CancellationToken;

const MS: Duration = Duration::from_millis(1);

fn paused() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .unwrap()
}

/// One keep-alive connection, three requests one after another, then
/// shutdown: all three answered, the connection closed, `serve` returns.
#[test]
fn exercise_10_2_requests_are_served_until_shutdown() {
    exercise!("10.2").run(|| {
        paused().block_on(async {
            let (connector, listener) = shutdown::listener(4);
            let stop = CancellationToken::new();
            let server = tokio::spawn(serve(listener, stop.clone(), 1_000 * MS));
            let mut session = Session::open(&connector).await.expect("accepted");
            for id in 1..=3 {
                assert_eq!(
                    session.ask(id, 50 * MS).await,
                    Answer::Served,
                    "request {id}"
                );
            }
            stop.cancel();
            let report = server.await.expect("serve returned");
            assert_eq!(report.answered, [1, 2, 3]);
            assert!(report.cut_off.is_empty(), "{report:?}");
            assert_eq!(
                session.ask(4, MS).await,
                Answer::NoReply,
                "an idle connection is closed at shutdown: request 4 is never read"
            );
        });
    });
}

// ANCHOR: in_flight_test
/// Shutdown starts while two connections each have a request in progress,
/// and a third connection is idle: the two are answered within the
/// deadline, then every connection is closed, and nothing else is read.
#[test]
fn exercise_10_2_requests_in_flight_finish_and_nothing_new_is_read() {
    exercise!("10.2").run(|| {
        paused().block_on(async {
            let (connector, listener) = shutdown::listener(4);
            let stop = CancellationToken::new();
            let server = tokio::spawn(serve(listener, stop.clone(), 60_000 * MS));
            let mut busy = Vec::new();
            for (id, wait) in [(1, 5_000), (2, 20_000)] {
                let mut session = Session::open(&connector).await.expect("accepted");
                busy.push(tokio::spawn(async move {
                    let first = session.ask(id, wait * MS).await;
                    let next = session.ask(id + 10, MS).await; // after shutdown
                    (first, next)
                }));
            }
            let mut idle = Session::open(&connector).await.expect("accepted");
            assert_eq!(idle.ask(3, MS).await, Answer::Served);
            settle().await; // both requests are being worked on
            stop.cancel();
            let report = server.await.expect("serve returned");
            for (client, id) in busy.into_iter().zip([1, 2]) {
                let (first, next) = client.await.unwrap();
                assert_eq!(
                    first,
                    Answer::Served,
                    "request {id} was in flight at shutdown"
                );
                assert_eq!(
                    next,
                    Answer::NoReply,
                    "request {} came after shutdown",
                    id + 10
                );
            }
            assert_eq!(
                idle.ask(4, MS).await,
                Answer::NoReply,
                "the idle connection is closed"
            );
            assert_eq!(report.answered, [1, 2, 3], "{report:?}");
            assert!(report.cut_off.is_empty(), "{report:?}");
        });
    });
}
// ANCHOR_END: in_flight_test

// ANCHOR: deadline_test
/// A request slower than the deadline is cut off: its client reads
/// `cut-off` and the report lists it. A faster one on another connection
/// is answered. `serve` returns without waiting for the slow one's work.
#[test]
fn exercise_10_2_the_deadline_cuts_off_a_slow_request() {
    exercise!("10.2").run(|| {
        paused().block_on(async {
            let (connector, listener) = shutdown::listener(4);
            let stop = CancellationToken::new();
            let server = tokio::spawn(serve(listener, stop.clone(), 30_000 * MS));
            let mut clients = Vec::new();
            for (id, wait) in [(1, 2_000), (2, 3_600_000)] {
                let mut session = Session::open(&connector).await.expect("accepted");
                clients.push(tokio::spawn(
                    async move { session.ask(id, wait * MS).await },
                ));
            }
            settle().await;
            stop.cancel();
            let report = server.await.expect("serve returned");
            let mut answers = Vec::new();
            for client in clients {
                answers.push(client.await.unwrap());
            }
            assert_eq!(
                answers,
                [Answer::Served, Answer::CutOff],
                "request 2 needs an hour, the deadline is 30 s"
            );
            assert_eq!(
                report,
                Report {
                    answered: vec![1],
                    cut_off: vec![2],
                    refused: 0
                }
            );
        });
    });
}
// ANCHOR_END: deadline_test

/// Connections still queued when shutdown starts are closed and counted;
/// one that comes later is refused; none is served.
#[test]
fn exercise_10_2_no_connection_is_accepted_after_shutdown_starts() {
    exercise!("10.2").run(|| {
        paused().block_on(async {
            let (connector, listener) = shutdown::listener(4);
            let stop = CancellationToken::new();
            let mut queued = Vec::new();
            for id in 1..=3 {
                let connector = connector.clone();
                queued.push(tokio::spawn(async move {
                    shutdown::ask(&connector, id, MS).await
                }));
            }
            settle().await; // three connections wait in the queue
            stop.cancel();
            let report = serve(listener, stop, 1_000 * MS).await;
            for client in queued {
                assert_eq!(client.await.unwrap(), Answer::NoReply);
            }
            assert_eq!(shutdown::ask(&connector, 4, MS).await, Answer::Refused);
            assert_eq!(
                report,
                Report {
                    answered: vec![],
                    cut_off: vec![],
                    refused: 3
                }
            );
        });
    });
}
