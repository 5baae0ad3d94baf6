//! The tests of exercise 9.1 (your file: labs/lab-09/exercises/fetch.rs).
//!
//! Your `fetch_all` talks to an in-process server over tokio's in-memory
//! `duplex` streams, on a runtime whose clock is paused: whenever every task
//! waits, tokio's clock jumps to the next timer. That is sound here because
//! nothing comes from outside the process: every byte a stream will ever
//! carry is written by a task of this runtime, so "every task waits" really
//! means "nothing happens until the next timer". With real sockets it is not
//! (tokio issue 4522: the clock can jump while the kernel still has data on
//! the way, and a timeout fires early). So these tests take no real time,
//! and their verdicts never depend on timing.
//!
//! The server counts how many connections your fetcher holds open at once:
//! each request has a connection of its own, open from `connect` until your
//! code drops the stream, so that is how many requests are in flight.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use lab_09::fetch::{FetchError, ZeroLimit, fetch_all};
use lab_09::protocol::{Reply, Request};
use lab_support::exercise;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::Semaphore;
use tokio::time::{Instant, timeout};

/// What the test server does with a request, chosen by its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    /// Waits the request's time, then answers `ID ok`.
    Answer,
    /// Waits, then answers `ID error busy`.
    Refuse,
    /// Waits, then answers a line that is no reply at all.
    Garbage,
    /// Waits, then answers `ok` for another id.
    WrongId,
    /// Waits, then closes the connection without a word.
    HangUp,
}

/// The in-process server: how many connections are open now, the most that
/// were open at once, and how many were open just after each `connect`;
/// `down` refuses every connection, and each `connect` takes
/// `connect_delay` (on the paused clock) before the stream is ready.
#[derive(Debug)]
struct Server {
    act: fn(u64) -> Act,
    down: bool,
    connect_delay: Duration,
    open: AtomicUsize,
    most: AtomicUsize,
    connections: AtomicUsize,
    opened: Mutex<Vec<usize>>,
}

impl Server {
    fn new(act: fn(u64) -> Act) -> Arc<Server> {
        Arc::new(Server {
            act,
            down: false,
            connect_delay: Duration::ZERO,
            open: AtomicUsize::new(0),
            most: AtomicUsize::new(0),
            connections: AtomicUsize::new(0),
            opened: Mutex::new(Vec::new()),
        })
    }

    /// A server like [`Server::new`]'s, changed by `change`.
    fn with(act: fn(u64) -> Act, change: impl FnOnce(&mut Server)) -> Arc<Server> {
        let mut server = Arc::into_inner(Server::new(act)).unwrap();
        change(&mut server);
        Arc::new(server)
    }

    fn most(&self) -> usize {
        self.most.load(Ordering::SeqCst)
    }

    /// How many connections were open just after each `connect`, in order.
    fn opened(&self) -> Vec<usize> {
        self.opened.lock().unwrap().clone()
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// What `connect` returns: a connection, ready at once or after a delay
/// (boxed, so that its type can be named).
type ConnectFuture = Pin<Box<dyn Future<Output = io::Result<Counted>> + Send>>;

/// The client's end of one connection: counted open until it is dropped.
struct Counted {
    stream: DuplexStream,
    server: Arc<Server>,
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.server.open.fetch_sub(1, Ordering::SeqCst);
    }
}

impl AsyncRead for Counted {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Counted {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

// ANCHOR: connect
/// The `connect` the tests give your `fetch_all`: each call opens an
/// in-memory connection, starts a server task on its other end, and counts
/// the connection open (until the client drops its end). The future it
/// returns is ready at once, or after the server's `connect_delay`.
fn connector(server: &Arc<Server>) -> impl Fn() -> ConnectFuture {
    let server = Arc::clone(server);
    move || {
        let connection = (!server.down).then(|| {
            server.connections.fetch_add(1, Ordering::SeqCst);
            let open = server.open.fetch_add(1, Ordering::SeqCst) + 1;
            server.most.fetch_max(open, Ordering::SeqCst);
            server.opened.lock().unwrap().push(open);
            let (client, end) = tokio::io::duplex(1024);
            tokio::spawn(serve(server.act, end));
            Counted {
                stream: client,
                server: Arc::clone(&server),
            }
        });
        let delay = server.connect_delay;
        Box::pin(async move {
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            connection.ok_or_else(|| io::ErrorKind::ConnectionRefused.into())
        })
    }
}
// ANCHOR_END: connect

/// One connection's server task: reads a request, waits its time (on the
/// paused clock), and answers as `act` says.
async fn serve(act: fn(u64) -> Act, end: DuplexStream) {
    let mut end = BufReader::new(end);
    let mut line = String::new();
    if end.read_line(&mut line).await.unwrap_or(0) == 0 {
        return; // the client left without a request
    }
    let request = match Request::parse(&line) {
        Ok(request) => request,
        Err(message) => {
            let _ = end
                .write_all(Reply::Error(None, message).line().as_bytes())
                .await;
            return;
        }
    };
    tokio::time::sleep(request.wait).await;
    let answer = match act(request.id) {
        Act::Answer => Reply::Ok(request.id).line(),
        Act::Refuse => Reply::Error(Some(request.id), "busy".to_owned()).line(),
        Act::Garbage => "what?\n".to_owned(),
        Act::WrongId => Reply::Ok(request.id + 1_000).line(),
        Act::HangUp => return,
    };
    // The client may have given up (a timeout): then nobody reads this.
    let _ = end.write_all(answer.as_bytes()).await;
}

/// Runs `test` on a current-thread runtime with a paused clock.
fn paused<Fut: Future<Output = ()>>(test: Fut) {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .unwrap()
        .block_on(test);
}

fn requests(waits_ms: &[u64]) -> Vec<Request> {
    waits_ms
        .iter()
        .zip(0..)
        .map(|(&ms, id)| Request {
            id,
            wait: Duration::from_millis(ms),
        })
        .collect()
}

fn answer_all(_: u64) -> Act {
    Act::Answer
}

const SECOND: Duration = Duration::from_secs(1);

#[test]
fn exercise_9_1_results_come_in_input_order() {
    exercise!("9.1").run(|| {
        paused(async {
            // The later requests finish first.
            let requests = requests(&[500, 400, 300, 200, 100]);
            let server = Server::new(answer_all);
            let results = fetch_all(&requests, 5, SECOND, connector(&server))
                .await
                .unwrap();
            let want: Vec<_> = (0..5).map(Ok).collect();
            assert_eq!(
                results, want,
                "one result per request, in the requests' order"
            );
        });
    });
}

// ANCHOR: in_flight_test
/// At most `limit` at once, and exactly `limit` while enough requests wait:
/// all of them start at the same instant on the paused clock, so a fetcher
/// that keeps `limit` in flight has `limit` connections open before any
/// reply can come.
#[test]
fn exercise_9_1_keeps_limit_requests_in_flight_never_more() {
    exercise!("9.1").run(|| {
        paused(async {
            let requests = requests(&[100; 8]);
            for limit in [1, 2, 3, 5, 8, 20] {
                let server = Server::new(answer_all);
                let results = fetch_all(&requests, limit, SECOND, connector(&server))
                    .await
                    .unwrap();
                assert_eq!(results, (0..8).map(Ok).collect::<Vec<_>>());
                let (most, want) = (server.most(), limit.min(requests.len()));
                assert!(
                    most <= limit,
                    "limit {limit}: {most} requests were in flight at once; never more than the limit"
                );
                assert!(
                    most == want,
                    "limit {limit}, 8 requests: at most {most} were in flight at once, but {want} \
                     should have been: start the next request while the others still wait for \
                     their replies"
                );
                assert_eq!(server.connections(), 8, "one connection per request");
            }
        });
    });
}
// ANCHOR_END: in_flight_test

// ANCHOR: next_at_once_test
/// The next request starts as soon as one finishes, not when a whole group
/// has: the first request waits 1 s, the other four 100 ms each, two at a
/// time. A right fetcher keeps two open all along (the short ones take turns
/// beside the long one) and is done when the long one is, at 1 s. One that
/// sends the requests in groups of `limit`, or one whose results must leave
/// in order (`buffered`), waits for the long one before it starts the third.
#[test]
fn exercise_9_1_starts_the_next_request_as_soon_as_one_finishes() {
    exercise!("9.1").run(|| {
        paused(async {
            let requests = requests(&[1_000, 100, 100, 100, 100]);
            let server = Server::new(answer_all);
            let start = Instant::now();
            let results = fetch_all(&requests, 2, SECOND * 2, connector(&server))
                .await
                .unwrap();
            let took = start.elapsed();
            assert_eq!(results, (0..5).map(Ok).collect::<Vec<_>>());
            assert_eq!(
                server.opened(),
                [1, 2, 2, 2, 2],
                "connections open just after each connect, limit 2: while the 1 s request \
                 waits, each 100 ms request that finishes must make room for the next at once"
            );
            assert_eq!(
                took, SECOND,
                "on the paused clock the whole call should take as long as the longest request"
            );
        });
    });
}
// ANCHOR_END: next_at_once_test

#[test]
fn exercise_9_1_a_slow_request_times_out_and_the_others_succeed() {
    exercise!("9.1").run(|| {
        paused(async {
            for limit in [1, 2, 4] {
                let requests = requests(&[10_000, 100, 60_000, 100]);
                let server = Server::new(answer_all);
                let results = fetch_all(&requests, limit, SECOND, connector(&server))
                    .await
                    .unwrap();
                let want = vec![
                    Err(FetchError::TimedOut),
                    Ok(1),
                    Err(FetchError::TimedOut),
                    Ok(3),
                ];
                assert_eq!(
                    results, want,
                    "limit {limit}: the slow ones time out, only they"
                );
            }
        });
    });
}

/// Six requests of 600 ms, two at a time, take 1.8 s in all: each keeps
/// within its 1 s, so none may time out. A time limit on the whole call, or
/// one that starts while a request still waits for its turn, fails here.
#[test]
fn exercise_9_1_the_time_limit_is_per_request_from_its_start() {
    exercise!("9.1").run(|| {
        paused(async {
            let requests = requests(&[600; 6]);
            let server = Server::new(answer_all);
            let results = fetch_all(&requests, 2, SECOND, connector(&server))
                .await
                .unwrap();
            assert_eq!(
                results,
                (0..6).map(Ok).collect::<Vec<_>>(),
                "each request took 600 ms, under its limit of 1 s; start each one's clock when \
                 the request starts, not when the call starts or while it waits for a free slot"
            );
        });
    });
}

/// Connecting is part of the request: each `connect` here takes 300 ms, so a
/// request that waits 800 ms takes 1.1 s in all, over its limit of 1 s, while
/// the two of 600 ms (900 ms in all) keep within it. A time limit that starts
/// after `connect` lets the slow one through.
#[test]
fn exercise_9_1_the_time_limit_includes_connecting() {
    exercise!("9.1").run(|| {
        paused(async {
            let requests = requests(&[600, 800, 600]);
            let server = Server::with(answer_all, |s| s.connect_delay = Duration::from_millis(300));
            let results = fetch_all(&requests, 2, SECOND, connector(&server))
                .await
                .unwrap();
            assert_eq!(
                results,
                vec![Ok(0), Err(FetchError::TimedOut), Ok(2)],
                "300 ms to connect and 800 ms to answer is over the limit of 1 s: start each \
                 request's time limit before it connects"
            );
        });
    });
}

// ANCHOR: tempting_permit
/// Tempting: a `Semaphore` of `limit` permits, every request's future made
/// at once and joined, and the permit taken *inside* the time limit.
async fn permit_inside_the_limit<C, Fut, S>(
    requests: &[Request],
    limit: usize,
    per_request: Duration,
    connect: C,
) -> Vec<Result<u64, FetchError>>
where
    C: Fn() -> Fut,
    Fut: Future<Output = io::Result<S>>,
    S: AsyncRead + AsyncWrite + Unpin,
{
    let (semaphore, connect) = (Semaphore::new(limit), &connect);
    futures::future::join_all(requests.iter().map(|&request| {
        let semaphore = &semaphore;
        async move {
            let attempt = async {
                let _permit = semaphore.acquire().await.expect("never closed");
                lab_09::fetch::fetch_one(connect, request).await
            };
            timeout(per_request, attempt)
                .await
                .unwrap_or(Err(FetchError::TimedOut))
        }
    }))
    .await
}
// ANCHOR_END: tempting_permit

// ANCHOR: right_permit
/// Right: the same, with the permit taken first, and the time limit started
/// once the request has its turn.
async fn permit_then_the_limit<C, Fut, S>(
    requests: &[Request],
    limit: usize,
    per_request: Duration,
    connect: C,
) -> Vec<Result<u64, FetchError>>
where
    C: Fn() -> Fut,
    Fut: Future<Output = io::Result<S>>,
    S: AsyncRead + AsyncWrite + Unpin,
{
    let (semaphore, connect) = (Semaphore::new(limit), &connect);
    futures::future::join_all(requests.iter().map(|&request| {
        let semaphore = &semaphore;
        async move {
            let _permit = semaphore.acquire().await.expect("never closed");
            timeout(per_request, lab_09::fetch::fetch_one(connect, request))
                .await
                .unwrap_or(Err(FetchError::TimedOut))
        }
    }))
    .await
}
// ANCHOR_END: right_permit

/// The two ways with a `Semaphore`, on the test of six 600 ms requests, two
/// at a time, each within 1 s: the tempting one times out the four that
/// waited for a permit (their clocks started at 0, with everyone's), and
/// the right one fetches all six (and passes the test of a long request
/// beside short ones, too).
#[test]
fn exercise_9_1_a_permit_taken_inside_the_time_limit_times_out_the_queued_requests() {
    paused(async {
        let requests = requests(&[600; 6]);
        let server = Server::new(answer_all);
        let tempting = permit_inside_the_limit(&requests, 2, SECOND, connector(&server)).await;
        let mut want = vec![Ok(0), Ok(1)];
        want.resize(6, Err(FetchError::TimedOut));
        assert_eq!(
            tempting, want,
            "the time limit counted the wait for a permit"
        );

        let server = Server::new(answer_all);
        let right = permit_then_the_limit(&requests, 2, SECOND, connector(&server)).await;
        assert_eq!(right, (0..6).map(Ok).collect::<Vec<_>>());

        // And it starts the next request as soon as one finishes.
        let server = Server::new(answer_all);
        let requests = self::requests(&[1_000, 100, 100, 100, 100]);
        let right = permit_then_the_limit(&requests, 2, SECOND * 2, connector(&server)).await;
        assert_eq!(right, (0..5).map(Ok).collect::<Vec<_>>());
        assert_eq!(server.opened(), [1, 2, 2, 2, 2]);
    });
}

fn mixed(id: u64) -> Act {
    match id {
        1 => Act::Refuse,
        2 => Act::Garbage,
        3 => Act::WrongId,
        4 => Act::HangUp,
        _ => Act::Answer,
    }
}

#[test]
fn exercise_9_1_each_failure_stays_with_its_own_item() {
    exercise!("9.1").run(|| {
        paused(async {
            let requests = requests(&[100, 200, 300, 400, 500, 600]);
            let server = Server::new(mixed);
            let results = fetch_all(&requests, 3, SECOND, connector(&server))
                .await
                .unwrap();
            assert_eq!(
                results.len(),
                6,
                "exactly one result per request: {results:?}"
            );
            assert_eq!(results[0], Ok(0));
            assert_eq!(results[1], Err(FetchError::Server("busy".to_owned())));
            assert!(
                matches!(results[2], Err(FetchError::BadReply(_))),
                "{:?}",
                results[2]
            );
            assert!(
                matches!(results[3], Err(FetchError::BadReply(_))),
                "{:?}",
                results[3]
            );
            assert!(
                matches!(results[4], Err(FetchError::Connection(_))),
                "{:?}",
                results[4]
            );
            assert_eq!(results[5], Ok(5));
        });
    });
}

#[test]
fn exercise_9_1_a_server_that_is_down_fails_every_item() {
    exercise!("9.1").run(|| {
        paused(async {
            let requests = requests(&[100; 5]);
            let server = Server::with(answer_all, |s| s.down = true);
            let results = fetch_all(&requests, 2, SECOND, connector(&server))
                .await
                .unwrap();
            assert_eq!(
                results.len(),
                5,
                "exactly one result per request: {results:?}"
            );
            for result in results {
                assert!(
                    matches!(result, Err(FetchError::Connection(_))),
                    "{result:?}"
                );
            }
        });
    });
}

#[test]
fn exercise_9_1_a_limit_of_zero_is_an_error_and_no_requests_no_results() {
    exercise!("9.1").run(|| {
        paused(async {
            let server = Server::new(answer_all);
            let results = fetch_all(&requests(&[100; 3]), 0, SECOND, connector(&server)).await;
            assert_eq!(
                results,
                Err(ZeroLimit),
                "a limit of 0 could never fetch anything"
            );
            assert_eq!(server.connections(), 0, "with limit 0, connect nothing");
            let results = fetch_all(&[], 3, SECOND, connector(&server)).await;
            assert_eq!(results, Ok(Vec::new()));
        });
    });
}
