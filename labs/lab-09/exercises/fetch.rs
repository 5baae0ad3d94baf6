//! Exercise 9.1: a concurrent fetcher.
//!
//! What to do: write `fetch_all`. It sends every request to the server, each
//! on a connection of its own made by `connect`, with at most `limit`
//! requests in flight at once and a time limit of `per_request` on each
//! (connecting, sending and reading the reply), and returns exactly one
//! result per request, in the order of `requests`: `Ok(id)` when the server
//! answered `ID ok` for that request's id, or the [`FetchError`] that says
//! what went wrong with that item. `limit == 0` is an error of the whole
//! call. Keep the signatures as they are.
//!
//! The book explains it: chapter 9, "Exercise 9.1: a concurrent fetcher"
//! (book/09-async-concurrency/exercises.md).
//! Check your work:  cargo test -p lab-09 exercise_9_1
//! Stuck?            cargo xtask hint 9.1

use std::future::Future;
use std::io;
use std::time::Duration;

#[allow(unused_imports)] // you will need some of them
use futures::stream::{self, StreamExt};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
#[allow(unused_imports)] // you will need it
use tokio::time::timeout;

use crate::protocol::{Reply, Request};

// ANCHOR: errors
/// What went wrong with one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// No reply within the time limit.
    TimedOut,
    /// Connecting failed, or the connection failed or closed before the reply.
    Connection(String),
    /// The reply could not be read as `ID ok` / `ID error MESSAGE`, or it
    /// was for another id.
    BadReply(String),
    /// The server answered `ID error MESSAGE`: the message.
    Server(String),
}

/// `fetch_all` was asked to keep no request at all in flight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZeroLimit;
// ANCHOR_END: errors

// ANCHOR: fetch_one
/// Sends one request on a new connection and reads its reply (no time limit).
pub async fn fetch_one<C, Fut, S>(connect: &C, request: Request) -> Result<u64, FetchError>
where
    C: Fn() -> Fut,
    Fut: Future<Output = io::Result<S>>,
    S: AsyncRead + AsyncWrite + Unpin,
{
    let lost = |e: io::Error| FetchError::Connection(e.to_string());
    let mut stream = BufReader::new(connect().await.map_err(lost)?);
    stream
        .get_mut()
        .write_all(request.line().as_bytes())
        .await
        .map_err(lost)?;
    let mut line = String::new();
    if stream.read_line(&mut line).await.map_err(lost)? == 0 {
        return Err(FetchError::Connection(
            "the server closed the connection before replying".to_owned(),
        ));
    }
    match Reply::parse(&line).map_err(FetchError::BadReply)? {
        Reply::Ok(id) if id == request.id => Ok(id),
        Reply::Error(Some(id), message) if id == request.id => Err(FetchError::Server(message)),
        Reply::Error(None, message) => Err(FetchError::Server(message)),
        other => Err(FetchError::BadReply(format!(
            "a reply for another request: {:?} to request {}",
            other.line().trim_end(),
            request.id
        ))),
    }
}
// ANCHOR_END: fetch_one

// ANCHOR: fetch_all
/// Fetches every request, at most `limit` at once, each within `per_request`;
/// one result per request, in the order of `requests`. Not written yet.
pub async fn fetch_all<C, Fut, S>(
    requests: &[Request],
    limit: usize,
    per_request: Duration,
    connect: C,
) -> Result<Vec<Result<u64, FetchError>>, ZeroLimit>
where
    C: Fn() -> Fut,
    Fut: Future<Output = io::Result<S>>,
    S: AsyncRead + AsyncWrite + Unpin,
{
    let _ = (requests, limit, per_request, connect);
    todo!("exercise 9.1: fetch every request, at most `limit` at once, each within `per_request`")
}
// ANCHOR_END: fetch_all
