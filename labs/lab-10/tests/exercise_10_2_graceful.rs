//! The tests of exercise 10.2 (your file: labs/lab-10/exercises/graceful.rs).
//! Each runs on a current-thread runtime with paused time, over in-memory
//! connections, under the watchdog: the waits are on tokio's paused clock,
//! which jumps ahead whenever no task can run, so no test waits in real time.

use super::paused;
use std::time::Duration;

use lab_10::coordination::settle;
use lab_10::graceful::serve;
use lab_10::shutdown::{self, Answer, Report, Session};
use lab_support::exercise;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

const MS: Duration = Duration::from_millis(1);

/// Your `serve`, running as a task of its own, watched by the test: a panic
/// in it (the starter's `todo!()`, or a bug) fails the test with that panic,
/// instead of with what a client saw after the server was gone.
struct Server {
    task: JoinHandle<Report>,
}

impl Server {
    fn start(serve: impl Future<Output = Report> + Send + 'static) -> Server {
        Server {
            task: tokio::spawn(serve),
        }
    }

    /// Awaits `step` (a step of the test before shutdown starts), unless
    /// `serve` ends first: then it panics with `serve`'s panic, or says that
    /// `serve` returned before it was asked to shut down.
    async fn during<T>(&mut self, step: impl Future<Output = T>) -> T {
        tokio::select! {
            // The server first: when its end makes the step end too (a
            // client reads the end of its stream), the cause is reported.
            biased;
            ended = &mut self.task => match ended {
                Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
                ended => panic!("serve returned before shutdown started: {ended:?}"),
            },
            value = step => value,
        }
    }

    /// Waits for `serve` to return its report, passing on its panic.
    async fn report(self) -> Report {
        match self.task.await {
            Ok(report) => report,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(e) => panic!("serve was cancelled: {e}"),
        }
    }
}

/// One keep-alive connection, three requests one after another, then
/// shutdown: all three answered, the connection closed, `serve` returns.
#[test]
fn exercise_10_2_requests_are_served_until_shutdown() {
    exercise!("10.2").run(|| {
        paused().block_on(async {
            let (connector, listener) = shutdown::listener(4);
            let stop = CancellationToken::new();
            let mut server = Server::start(serve(listener, stop.clone(), 1_000 * MS));
            let mut session = server
                .during(Session::open(&connector))
                .await
                .expect("accepted");
            for id in 1..=3 {
                assert_eq!(
                    server.during(session.ask(id, 50 * MS)).await,
                    Answer::Served,
                    "request {id}"
                );
            }
            stop.cancel();
            let report = server.report().await;
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
            let mut server = Server::start(serve(listener, stop.clone(), 60_000 * MS));
            let mut busy = Vec::new();
            for (id, wait) in [(1, 5_000), (2, 20_000)] {
                let mut session = server
                    .during(Session::open(&connector))
                    .await
                    .expect("accepted");
                busy.push(tokio::spawn(async move {
                    let first = session.ask(id, wait * MS).await;
                    let next = session.ask(id + 10, MS).await; // after shutdown
                    (first, next)
                }));
            }
            let mut idle = server
                .during(Session::open(&connector))
                .await
                .expect("accepted");
            assert_eq!(
                server.during(idle.ask(3, MS)).await,
                Answer::Served,
                "request 3, on the idle connection, before shutdown"
            );
            server.during(settle()).await; // both requests are being worked on
            stop.cancel();
            let report = server.report().await;
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
            let mut server = Server::start(serve(listener, stop.clone(), 30_000 * MS));
            let mut clients = Vec::new();
            for (id, wait) in [(1, 2_000), (2, 3_600_000)] {
                let mut session = server
                    .during(Session::open(&connector))
                    .await
                    .expect("accepted");
                clients.push(tokio::spawn(
                    async move { session.ask(id, wait * MS).await },
                ));
            }
            server.during(settle()).await;
            stop.cancel();
            let report = server.report().await;
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

/// Before any shutdown, a request longer than `grace` is served like any
/// other: `grace` limits the shutdown, not each request.
#[test]
fn exercise_10_2_a_request_longer_than_grace_is_served_before_shutdown() {
    exercise!("10.2").run(|| {
        paused().block_on(async {
            let (connector, listener) = shutdown::listener(4);
            let stop = CancellationToken::new();
            let mut server = Server::start(serve(listener, stop.clone(), 1_000 * MS));
            let mut session = server
                .during(Session::open(&connector))
                .await
                .expect("accepted");
            assert_eq!(
                server.during(session.ask(1, 5_000 * MS)).await,
                Answer::Served,
                "request 1 takes 5 s and `grace` is 1 s, but no shutdown has started: the \
                 deadline is `grace` after shutdown starts, not a limit on every request"
            );
            stop.cancel();
            let report = server.report().await;
            assert_eq!(report.answered, [1], "{report:?}");
            assert!(report.cut_off.is_empty(), "{report:?}");
        });
    });
}

// ANCHOR: deadline_from_shutdown_test
/// The deadline counts from the moment shutdown starts. The server has
/// already run for 100 s of the paused clock when it does, and a request of
/// an hour is in progress: its client must read `cut-off` exactly `grace`
/// after the shutdown, on tokio's clock (which moves only by jumps to the
/// next timer, so the difference is exact and no real time is measured).
#[test]
fn exercise_10_2_the_deadline_counts_from_the_shutdown() {
    exercise!("10.2").run(|| {
        paused().block_on(async {
            let grace = 30_000 * MS;
            let (connector, listener) = shutdown::listener(4);
            let stop = CancellationToken::new();
            let mut server = Server::start(serve(listener, stop.clone(), grace));
            server.during(settle()).await; // serve has started and waits to accept
            tokio::time::advance(Duration::from_secs(100)).await;
            let mut session = server
                .during(Session::open(&connector))
                .await
                .expect("accepted");
            let client = tokio::spawn(async move {
                let answer = session.ask(1, 3_600_000 * MS).await;
                (answer, Instant::now())
            });
            server.during(settle()).await; // the request is being worked on
            let shutdown_at = Instant::now();
            stop.cancel();
            let report = server.report().await;
            let (answer, answered_at) = client.await.unwrap();
            assert_eq!(answer, Answer::CutOff, "request 1 needs an hour");
            assert_eq!(
                answered_at - shutdown_at,
                grace,
                "request 1 was cut off {:?} after shutdown started, with a `grace` of \
                 {grace:?}: the deadline must be `grace` after the shutdown starts (not after \
                 `serve` started, nor after the request came)",
                answered_at - shutdown_at
            );
            assert_eq!(report.cut_off, [1], "{report:?}");
        });
    });
}
// ANCHOR_END: deadline_from_shutdown_test

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
