//! Exercise 10.2: add graceful shutdown to a small server. (The reference
//! solution.)
//!
//! This server keeps each connection open for many requests, one after
//! another: the client writes `ID WAIT_MS\n`, the server works for
//! `WAIT_MS` milliseconds of tokio's clock and answers `ID ok\n`, then reads
//! the connection's next request. `serve_forever` below serves like that,
//! for ever.
//!
//! What to do: write `serve`. It serves the same way until `shutdown` is
//! cancelled, and then shuts down gracefully:
//!
//! 1. it accepts no connection any more (`Listener::close`: the ones still
//!    queued are closed, and counted in `Report::refused`);
//! 2. a request in progress on a connection finishes and is answered, and
//!    then that connection is closed; no connection reads a new request
//!    after shutdown has started (an idle connection is closed at once);
//! 3. `grace` after shutdown started, every request still in progress is
//!    cut off: its client gets `ID cut-off\n`;
//! 4. nothing is lost: `serve` returns once every connection is closed, and
//!    its `Report` lists every request it read, as answered or cut off.
//!
//! `crate::shutdown` has the listener, the report, the clients and the
//! one-request server of the book's "Graceful shutdown" page, whose shape
//! you may follow.
//!
//! The book explains it: chapter 10, "Exercise 10.2: add graceful shutdown to a server"
//! (book/10-async-pitfalls/exercises.md).
//! Check your work:  cargo test -p lab-10 exercise_10_2
//! Stuck?            cargo xtask hint 10.2

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::shutdown::{Listener, Report, parse};

// ANCHOR: forever
/// One connection, served until the client closes it.
async fn connection_forever(stream: DuplexStream) {
    let (read, mut write) = tokio::io::split(stream);
    let mut lines = BufReader::new(read).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        let Some((id, wait)) = parse(&line) else {
            return;
        };
        tokio::time::sleep(wait).await; // the work
        if write
            .write_all(format!("{id} ok\n").as_bytes())
            .await
            .is_err()
        {
            return;
        }
    }
}

/// Serves every connection, for ever (until every connector is gone).
pub async fn serve_forever(mut listener: Listener) {
    while let Some(stream) = listener.accept().await {
        tokio::spawn(connection_forever(stream));
    }
}
// ANCHOR_END: forever

// ANCHOR: connection
/// One connection, served until the client closes it, or until shutdown
/// starts between two requests, or until the deadline cuts a request off.
async fn connection(
    stream: DuplexStream,
    shutdown: CancellationToken,
    cut: CancellationToken,
    log: Arc<Mutex<Report>>,
) {
    let (read, mut write) = tokio::io::split(stream);
    let mut lines = BufReader::new(read).lines();
    loop {
        let line = tokio::select! {
            biased; // once shutdown has started, read no new request
            () = shutdown.cancelled() => return,
            line = lines.next_line() => line, // cancel-safe: nothing is lost if not chosen
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
            let mut log = log.lock().unwrap();
            if served {
                log.answered.push(id);
            } else {
                log.cut_off.push(id);
            }
        }
        let reply = if served { "ok" } else { "cut-off" };
        if write
            .write_all(format!("{id} {reply}\n").as_bytes())
            .await
            .is_err()
            || !served
        {
            return;
        }
    }
}
// ANCHOR_END: connection

// ANCHOR: serve
/// Serves like `serve_forever` until `shutdown` is cancelled, then shuts
/// down gracefully with a deadline of `grace` (see the top of this file).
pub async fn serve(mut listener: Listener, shutdown: CancellationToken, grace: Duration) -> Report {
    let log = Arc::new(Mutex::new(Report::default()));
    let tracker = TaskTracker::new();
    let cut = CancellationToken::new();
    loop {
        let stream = tokio::select! {
            biased;
            () = shutdown.cancelled() => break,
            stream = listener.accept() => match stream {
                Some(stream) => stream,
                None => break,
            },
        };
        let task = connection(stream, shutdown.clone(), cut.clone(), Arc::clone(&log));
        tracker.spawn(task);
    }
    let refused = listener.close();
    tracker.close();
    if tokio::time::timeout(grace, tracker.wait()).await.is_err() {
        cut.cancel();
        tracker.wait().await;
    }
    let mut report = log.lock().unwrap().clone();
    report.answered.sort_unstable();
    report.cut_off.sort_unstable();
    report.refused = refused;
    report
}
// ANCHOR_END: serve
