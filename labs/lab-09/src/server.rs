//! A loopback TCP server that speaks the lab's [protocol](crate::protocol),
//! two ways side by side: tokio, one task per connection ([`serve`], behind
//! [`TokioServer`]), and std, one OS thread per connection
//! ([`serve_threads`], behind [`ThreadServer`]). Both answer each request
//! after its wait, one request at a time per connection, replies in order.
//!
//! Both listen with an explicit backlog ([`listen`]): the number of
//! connections whose handshake the kernel has finished and that wait for
//! `accept`. tokio's `TcpListener::bind` and std's `TcpListener::bind` ask for
//! 128 (mio-1.2.5, `src/net/tcp/listener.rs`, `TcpListener::bind`: "Use the
//! same backlog value as the standard library"). Lab 1's server has the same
//! fix in its own file (`labs/lab-01/src/server.rs`, `BACKLOG`): lab 1 comes
//! first and cannot depend on this lab.
//!
//! The server trusts its clients (it is for a lab on 127.0.0.1): a request
//! line may be as long as a client likes.

use std::io::{self, BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket};

use crate::protocol::{Reply, Request};
use crate::tasks_threads::Gauge;

/// The backlog both servers listen with unless told otherwise. Linux
/// silently caps it at `net.core.somaxconn` (`/proc/sys/net/core/somaxconn`;
/// 4096 by default since Linux 5.4), so asking for more gets that.
pub const BACKLOG: u32 = 4096;

// ANCHOR: listen
/// A tokio listener on `addr` whose accept queue holds up to `backlog`
/// connections (capped by the kernel at `net.core.somaxconn`). Must be called
/// inside a tokio runtime: the listener registers with its I/O driver.
pub fn listen(addr: SocketAddr, backlog: u32) -> io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(backlog)
}
// ANCHOR_END: listen

/// What the server does with one request line: the request to serve, or
/// the error reply (with the line's id when at least that can be read).
pub fn read_request(line: &str) -> Result<Request, Reply> {
    Request::parse(line).map_err(|message| {
        let id = line.split_whitespace().next().and_then(|w| w.parse().ok());
        Reply::Error(id, message)
    })
}

// ANCHOR: serve_connection
/// Serves one connection until the client closes it: for each request line,
/// waits the request's time (`tokio::time::sleep`, so other tasks run
/// meanwhile), then replies `ID ok`; a line it cannot read gets an error
/// reply and the connection goes on. Any stream will do: a `TcpStream`, or
/// one end of `tokio::io::duplex` in a test on paused time.
pub async fn serve_connection<S>(stream: S) -> io::Result<()>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut stream = tokio::io::BufReader::new(stream);
    let mut line = String::new();
    loop {
        line.clear();
        if stream.read_line(&mut line).await? == 0 {
            return Ok(()); // the client closed the connection
        }
        let reply = match read_request(&line) {
            Ok(request) => {
                tokio::time::sleep(request.wait).await;
                Reply::Ok(request.id)
            }
            Err(reply) => reply,
        };
        // BufReader passes writes through to the stream.
        stream.write_all(reply.line().as_bytes()).await?;
    }
}
// ANCHOR_END: serve_connection

// ANCHOR: serve
/// Accepts connections until the runtime stops: one task per connection.
/// `gauge` counts the connections being served.
pub async fn serve(listener: TcpListener, gauge: Arc<Gauge>) {
    let mut told = false;
    loop {
        match listener.accept().await {
            Ok((socket, _peer)) => {
                let gauge = Arc::clone(&gauge);
                gauge.enter();
                tokio::spawn(async move {
                    let _ = serve_connection(socket).await;
                    gauge.leave();
                });
            }
            Err(e) => {
                // Out of open files, say: say so once, and do not spin.
                if !told {
                    eprintln!("tokio server: cannot accept a connection ({e}); retrying");
                    told = true;
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
}
// ANCHOR_END: serve

// ANCHOR: serve_blocking
/// The same as [`serve_connection`] with blocking std I/O: the calling
/// thread sleeps in `std::thread::sleep` for each request's wait.
pub fn serve_connection_blocking(stream: std::net::TcpStream) -> io::Result<()> {
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let reply = match read_request(&line) {
            Ok(request) => {
                std::thread::sleep(request.wait);
                Reply::Ok(request.id)
            }
            Err(reply) => reply,
        };
        writer.write_all(reply.line().as_bytes())?;
    }
}

/// Accepts connections until `stop` is set (and one more connection comes
/// to wake it): one OS thread per connection.
pub fn serve_threads(listener: std::net::TcpListener, stop: &AtomicBool, gauge: Arc<Gauge>) {
    let mut told = false;
    for stream in listener.incoming() {
        if stop.load(Ordering::Acquire) {
            return;
        }
        let started = stream.and_then(|stream| {
            let gauge = Arc::clone(&gauge);
            gauge.enter();
            std::thread::Builder::new().spawn(move || {
                let _ = serve_connection_blocking(stream);
                gauge.leave();
            })
        });
        if let Err(e) = started {
            if !told {
                eprintln!("thread server: cannot serve a connection ({e}); going on");
                told = true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}
// ANCHOR_END: serve_blocking

/// [`serve`] on a multi-thread runtime of its own, on `127.0.0.1` at a port
/// the system picks. Dropping it stops the server.
#[derive(Debug)]
pub struct TokioServer {
    addr: SocketAddr,
    gauge: Arc<Gauge>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl TokioServer {
    /// Starts a server whose listener has `backlog` places.
    pub fn start(backlog: u32) -> io::Result<TokioServer> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .thread_name("tokio server")
            .enable_all()
            .build()?;
        let listener = runtime.block_on(async { listen(([127, 0, 0, 1], 0).into(), backlog) })?;
        let addr = listener.local_addr()?;
        let gauge = Arc::new(Gauge::default());
        runtime.spawn(serve(listener, Arc::clone(&gauge)));
        Ok(TokioServer {
            addr,
            gauge,
            runtime: Some(runtime),
        })
    }

    /// Where clients connect.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The most connections it served at once.
    pub fn most_at_once(&self) -> usize {
        self.gauge.most()
    }
}

impl Drop for TokioServer {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// [`serve_threads`] on a thread of its own, on `127.0.0.1` at a port the
/// system picks. Dropping it stops accepting; connections being served end
/// when their clients close them.
#[derive(Debug)]
pub struct ThreadServer {
    addr: SocketAddr,
    gauge: Arc<Gauge>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl ThreadServer {
    /// Starts a server whose listener has `backlog` places.
    pub fn start(backlog: u32) -> io::Result<ThreadServer> {
        // std's TcpListener::bind takes no backlog (it asks for 128), so the
        // listener is made as tokio's is, then handed over to std. tokio
        // registers it with a runtime: a small one, for this alone.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()?;
        let listener = {
            let _inside = runtime.enter();
            listen(([127, 0, 0, 1], 0).into(), backlog)?.into_std()?
        };
        listener.set_nonblocking(false)?;
        let addr = listener.local_addr()?;
        let gauge = Arc::new(Gauge::default());
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (stop, gauge) = (Arc::clone(&stop), Arc::clone(&gauge));
            std::thread::Builder::new()
                .name("thread server".to_owned())
                .spawn(move || serve_threads(listener, &stop, gauge))?
        };
        Ok(ThreadServer {
            addr,
            gauge,
            stop,
            thread: Some(thread),
        })
    }

    /// Where clients connect.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The most connections it served at once (each on a thread of its own).
    pub fn most_at_once(&self) -> usize {
        self.gauge.most()
    }
}

impl Drop for ThreadServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        // `accept` blocks: one connection wakes it to see the flag.
        let _ = std::net::TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
