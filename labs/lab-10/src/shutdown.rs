//! Graceful shutdown of a small server, over in-memory connections.
//!
//! The server answers one request per connection: the client writes
//! `ID WAIT_MS\n`, the server works for `WAIT_MS` milliseconds of tokio's
//! clock and answers `ID ok\n`. Shutting down gracefully means four things:
//!
//! 1. stop accepting: once shutdown starts, no new connection is taken, and
//!    those still waiting in the accept queue are closed and counted;
//! 2. let the requests in flight finish;
//! 3. but only until a deadline (`grace`): a request still running then is
//!    cut off, and its client is told so (`ID cut-off\n`);
//! 4. nothing lost: every request the server accepted appears in the
//!    [`Report`] as answered or as cut off, and its client got that reply.
//!
//! [`serve`] does it with a `CancellationToken` (the signal to shut down), a
//! second token (the deadline's cut), and a `TaskTracker` (wait for every
//! handler) from tokio-util. [`serve_and_drop`] is the tempting version: it
//! drops its handlers when shutdown starts, and their clients get nothing.
//!
//! There are no sockets: a [`Listener`] is the receiving end of a channel of
//! `tokio::io::duplex` streams, and a [`Connector`] is how a client pushes a
//! new connection into it. That keeps the tests on paused time, where real
//! sockets do not belong (tokio issue 4522: a timeout may fire while real
//! I/O is still in flight).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream, ReadHalf, WriteHalf};
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// How many bytes each direction of an in-memory connection buffers.
const BUFFER: usize = 1024;

// ANCHOR: listener
/// The server's end of the accept queue: connections arrive here.
#[derive(Debug)]
pub struct Listener {
    queue: mpsc::Receiver<DuplexStream>,
}

/// The clients' end of the accept queue.
#[derive(Debug, Clone)]
pub struct Connector {
    queue: mpsc::Sender<DuplexStream>,
}

/// An accept queue that holds up to `backlog` connections not yet accepted.
pub fn listener(backlog: usize) -> (Connector, Listener) {
    let (queue, incoming) = mpsc::channel(backlog);
    (Connector { queue }, Listener { queue: incoming })
}

impl Connector {
    /// Opens a connection: `None` if the server no longer accepts.
    pub async fn connect(&self) -> Option<DuplexStream> {
        let (client, server) = tokio::io::duplex(BUFFER);
        self.queue.send(server).await.ok()?;
        Some(client)
    }
}

impl Listener {
    /// The next connection, or `None` once every connector is gone.
    pub async fn accept(&mut self) -> Option<DuplexStream> {
        self.queue.recv().await
    }

    /// Stops accepting: later `connect`s get `None`, and the connections
    /// still queued are closed (their clients read the end of the stream).
    /// Returns how many were queued.
    pub fn close(&mut self) -> usize {
        self.queue.close();
        let mut refused = 0;
        while self.queue.try_recv().is_ok() {
            refused += 1;
        }
        refused
    }
}
// ANCHOR_END: listener

/// What a server did with the requests it accepted.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// The ids of the requests answered `ok`, in increasing order.
    pub answered: Vec<u64>,
    /// The ids of the requests cut off by the deadline, in increasing order.
    pub cut_off: Vec<u64>,
    /// How many connections were still queued when accepting stopped.
    pub refused: usize,
}

impl Report {
    fn sorted(mut self) -> Report {
        self.answered.sort_unstable();
        self.cut_off.sort_unstable();
        self
    }
}

/// What a client got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// `ID ok`.
    Served,
    /// `ID cut-off`: accepted, then cut off by the shutdown's deadline.
    CutOff,
    /// The server no longer accepted connections.
    Refused,
    /// The connection closed with no reply.
    NoReply,
}

// ANCHOR: client
/// A client: connects, asks for request `id` with a wait of `wait`, and
/// reads the reply.
pub async fn ask(connector: &Connector, id: u64, wait: Duration) -> Answer {
    let Some(stream) = connector.connect().await else {
        return Answer::Refused;
    };
    let (read, mut write) = tokio::io::split(stream);
    let request = format!("{id} {}\n", wait.as_millis());
    if write.write_all(request.as_bytes()).await.is_err() {
        return Answer::NoReply;
    }
    let mut reply = String::new();
    match BufReader::new(read).read_line(&mut reply).await {
        Ok(n) if n > 0 && reply == format!("{id} ok\n") => Answer::Served,
        Ok(n) if n > 0 && reply == format!("{id} cut-off\n") => Answer::CutOff,
        _ => Answer::NoReply,
    }
}
// ANCHOR_END: client

/// A client that keeps its connection open for many requests, one after
/// another (exercise 10.2's server serves those).
#[derive(Debug)]
pub struct Session {
    replies: tokio::io::Lines<BufReader<ReadHalf<DuplexStream>>>,
    requests: WriteHalf<DuplexStream>,
}

impl Session {
    /// Connects: `None` if the server no longer accepts.
    pub async fn open(connector: &Connector) -> Option<Session> {
        let (read, requests) = tokio::io::split(connector.connect().await?);
        let replies = BufReader::new(read).lines();
        Some(Session { replies, requests })
    }

    /// Asks for request `id` with a wait of `wait`, and reads the reply.
    pub async fn ask(&mut self, id: u64, wait: Duration) -> Answer {
        let request = format!("{id} {}\n", wait.as_millis());
        if self.requests.write_all(request.as_bytes()).await.is_err() {
            return Answer::NoReply;
        }
        match self.replies.next_line().await {
            Ok(Some(reply)) if reply == format!("{id} ok") => Answer::Served,
            Ok(Some(reply)) if reply == format!("{id} cut-off") => Answer::CutOff,
            _ => Answer::NoReply,
        }
    }
}

/// Reads `ID WAIT_MS`.
pub fn parse(line: &str) -> Option<(u64, Duration)> {
    let (id, wait) = line.trim_end().split_once(' ')?;
    Some((id.parse().ok()?, Duration::from_millis(wait.parse().ok()?)))
}

// ANCHOR: handle
/// One connection: read the request, work (unless `cut` fires first),
/// reply, and write down what happened in `log`.
async fn handle(stream: DuplexStream, cut: CancellationToken, log: Arc<Mutex<Report>>) {
    let (read, mut write) = tokio::io::split(stream);
    let mut lines = BufReader::new(read).lines();
    let line = tokio::select! {
        line = lines.next_line() => line,
        () = cut.cancelled() => return, // no request came before the deadline
    };
    // Result<Option<String>> -> Option<String> -> the parsed request.
    let Some((id, wait)) = line.ok().flatten().as_deref().and_then(parse) else {
        return; // the client closed, or sent something else
    };
    let served = tokio::select! {
        () = tokio::time::sleep(wait) => true, // the work
        () = cut.cancelled() => false,
    };
    {
        let mut log = log.lock().unwrap(); // never held across an .await
        if served {
            log.answered.push(id);
        } else {
            log.cut_off.push(id);
        }
    }
    let reply = if served { "ok" } else { "cut-off" };
    let _ = write.write_all(format!("{id} {reply}\n").as_bytes()).await;
}
// ANCHOR_END: handle

// ANCHOR: serve
/// Serves until `shutdown` is cancelled, then shuts down gracefully: stops
/// accepting, lets the requests in flight finish for up to `grace`, cuts
/// off the rest, and returns what happened to every request it accepted.
pub async fn serve(mut listener: Listener, shutdown: CancellationToken, grace: Duration) -> Report {
    let log = Arc::new(Mutex::new(Report::default()));
    let tracker = TaskTracker::new();
    let cut = CancellationToken::new();
    loop {
        let stream = tokio::select! {
            biased; // a shutdown wins over a connection that is ready too
            () = shutdown.cancelled() => break,
            stream = listener.accept() => match stream {
                Some(stream) => stream,
                None => break, // every connector is gone
            },
        };
        tracker.spawn(handle(stream, cut.clone(), Arc::clone(&log)));
    }
    // 1. Stop accepting.
    let refused = listener.close();
    // 2. Let the handlers in flight finish, until the deadline.
    tracker.close(); // so that `wait` can end once the tracked tasks have
    if tokio::time::timeout(grace, tracker.wait()).await.is_err() {
        // 3. The deadline: each handler still working replies `cut-off`.
        cut.cancel();
        tracker.wait().await;
    }
    // 4. Every handler has written down its request.
    let mut report = log.lock().unwrap().clone();
    report.refused = refused;
    report.sorted()
}
// ANCHOR_END: serve

// ANCHOR: tempting
/// Tempting: when shutdown starts, return at once. The handlers live in a
/// `JoinSet`, and dropping it aborts them: a request in flight gets no
/// reply, and no report says it was lost.
pub async fn serve_and_drop(mut listener: Listener, shutdown: CancellationToken) -> Report {
    let log = Arc::new(Mutex::new(Report::default()));
    let never = CancellationToken::new(); // no deadline: the drop is the cut
    let mut handlers = JoinSet::new();
    loop {
        tokio::select! {
            biased;
            () = shutdown.cancelled() => break,
            Some(stream) = listener.accept() => {
                handlers.spawn(handle(stream, never.clone(), Arc::clone(&log)));
            }
        }
    }
    drop(handlers); // aborts every handler still running
    let report = log.lock().unwrap().clone();
    report.sorted()
}
// ANCHOR_END: tempting
