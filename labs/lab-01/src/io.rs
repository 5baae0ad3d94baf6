//! The I/O-bound job: `requests` requests to the [server](crate::server), each
//! of which waits there for a fixed latency.
//!
//! Request `id` asks for `answer(id)`; every way below sends requests
//! `0..requests`, checks each reply, and returns the sum of the answers, which
//! [`expected_total`] knows in advance. The ways differ only in how many
//! requests they keep waiting at once. The `…_in` functions take a runtime or
//! pool built beforehand, so that the measurement times the requests, not the
//! building of the pool.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt};

use crate::server::answer;

/// The sum every way must return for `requests` requests.
pub fn expected_total(requests: u64) -> u64 {
    (0..requests).map(answer).sum()
}

/// Checks one reply line: `<id> <answer(id)>`.
fn check_reply(id: u64, line: &str) -> io::Result<u64> {
    let expected = format!("{id} {}", answer(id));
    if line.trim_end() == expected {
        Ok(answer(id))
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("request {id}: expected the reply {expected:?}, got {line:?}"),
        ))
    }
}

/// How long a client waits for the server (to connect, to send, to reply)
/// before it gives up with an error: far more than any request should take, so
/// that a stalled server fails the run instead of hanging it.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// The error for a request the server did not answer within [`TIMEOUT`].
fn timed_out(id: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::TimedOut,
        format!(
            "request {id}: no reply from the server within {} s",
            TIMEOUT.as_secs()
        ),
    )
}

/// `e`, or [`timed_out`] if `e` is a socket's timeout (which reads as
/// WouldBlock on Unix, TimedOut on Windows).
fn or_timed_out(e: io::Error, id: u64) -> io::Error {
    match e.kind() {
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => timed_out(id),
        _ => e,
    }
}

// ANCHOR: fetch
/// One request, blocking: connect, send `GET <id>`, and wait for the reply.
/// The calling thread sleeps in the operating system until the reply comes,
/// or gives up with an error after [`TIMEOUT`].
pub fn fetch(addr: SocketAddr, id: u64) -> io::Result<u64> {
    let mut stream = TcpStream::connect_timeout(&addr, TIMEOUT)?;
    stream.set_read_timeout(Some(TIMEOUT))?;
    stream.set_write_timeout(Some(TIMEOUT))?;
    stream
        .write_all(format!("GET {id}\n").as_bytes())
        .map_err(|e| or_timed_out(e, id))?;
    let mut reply = String::new();
    BufReader::new(stream)
        .read_line(&mut reply)
        .map_err(|e| or_timed_out(e, id))?;
    check_reply(id, &reply)
}
// ANCHOR_END: fetch

// ANCHOR: fetch_async
/// The same request as [`fetch`], as a future: at each `.await` that has to
/// wait, the task steps aside and its thread runs other tasks. Needs a runtime
/// with its timer enabled, for the [`TIMEOUT`].
pub async fn fetch_async(addr: SocketAddr, id: u64) -> io::Result<u64> {
    let request = async {
        let mut stream = tokio::net::TcpStream::connect(addr).await?;
        stream.write_all(format!("GET {id}\n").as_bytes()).await?;
        let mut reply = String::new();
        tokio::io::BufReader::new(stream)
            .read_line(&mut reply)
            .await?;
        check_reply(id, &reply)
    };
    match tokio::time::timeout(TIMEOUT, request).await {
        Ok(result) => result,
        Err(_elapsed) => Err(timed_out(id)),
    }
}
// ANCHOR_END: fetch_async

// ANCHOR: io_sequential
/// One request at a time: the total time is about `requests * latency`, plus
/// each request's own overhead.
pub fn io_sequential(addr: SocketAddr, requests: u64) -> io::Result<u64> {
    (0..requests).map(|id| fetch(addr, id)).sum()
}
// ANCHOR_END: io_sequential

// ANCHOR: io_threads
/// `threads` std threads share the requests (thread `t` sends requests `t`,
/// `t + threads`, …), so up to `threads` requests wait at once. With one
/// thread per request, all of them wait at the same time.
pub fn io_threads(addr: SocketAddr, requests: u64, threads: usize) -> io::Result<u64> {
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads as u64)
            .map(|t| {
                let mine = (t..requests).step_by(threads);
                s.spawn(move || mine.map(|id| fetch(addr, id)).sum::<io::Result<u64>>())
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    })
}
// ANCHOR_END: io_threads

// ANCHOR: io_tokio
/// One tokio task per request on a current-thread runtime: a single OS thread,
/// and every request waiting at the same time.
pub fn io_tokio(addr: SocketAddr, requests: u64) -> io::Result<u64> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    io_tokio_in(&runtime, addr, requests)
}

/// The tasks themselves, on a runtime built beforehand (with `enable_all`):
/// whichever runtime it is decides how many threads run them.
pub fn io_tokio_in(
    runtime: &tokio::runtime::Runtime,
    addr: SocketAddr,
    requests: u64,
) -> io::Result<u64> {
    runtime.block_on(async {
        let mut tasks = tokio::task::JoinSet::new();
        for id in 0..requests {
            tasks.spawn(fetch_async(addr, id));
        }
        tasks.join_all().await.into_iter().sum()
    })
}
// ANCHOR_END: io_tokio

// ANCHOR: io_rayon
/// rayon's pool of `workers` threads, each blocked in [`fetch`] while it waits:
/// never more than `workers` requests in flight. rayon is built for computing;
/// for waiting, its fixed pool is the limit.
pub fn io_rayon(addr: SocketAddr, requests: u64, workers: usize) -> io::Result<u64> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .build()
        .map_err(io::Error::other)?;
    io_rayon_in(&pool, addr, requests)
}

/// The requests themselves, on a pool built beforehand.
pub fn io_rayon_in(pool: &rayon::ThreadPool, addr: SocketAddr, requests: u64) -> io::Result<u64> {
    use rayon::prelude::*;
    pool.install(|| {
        (0..requests)
            .into_par_iter()
            .map(|id| fetch(addr, id))
            .sum()
    })
}
// ANCHOR_END: io_rayon

// ANCHOR: io_tokio_multi
/// The same tasks as [`io_tokio`], on a multi-thread runtime of `workers`
/// threads.
pub fn io_tokio_multi(addr: SocketAddr, requests: u64, workers: usize) -> io::Result<u64> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()?;
    io_tokio_in(&runtime, addr, requests)
}
// ANCHOR_END: io_tokio_multi
