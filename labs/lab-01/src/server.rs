//! The I/O-bound job's other end: a real TCP server on 127.0.0.1 that waits a
//! fixed latency before it answers each request.
//!
//! The protocol is one line each way: the client sends `GET <id>\n` and the
//! server, after a wait (a fixed latency, in the measurement), replies
//! `<id> <answer(id)>\n`. The latency stands for
//! the database, disk or remote service a real request would wait on: the
//! client spends that time waiting, not computing.

use std::io;
use std::net::SocketAddr;
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::oneshot;

/// How many connections the kernel may hold for the server, handshake done,
/// before it accepts them (the listen backlog). tokio's `TcpListener::bind`
/// asks for 128, as the standard library does (mio-1.2.5,
/// `src/net/tcp/listener.rs`, `TcpListener::bind`); a thousand clients that
/// connect at once overflow that queue, and a client whose SYN the kernel
/// drops sends it again only after a second (one whose final ACK is dropped
/// gets through sooner, when it resends its request). Linux silently caps the number
/// at `net.core.somaxconn` (`/proc/sys/net/core/somaxconn`, 4096 by default
/// since Linux 5.4).
pub const BACKLOG: u32 = 4096;

/// What the server answers to request `id`; clients check every reply with it.
pub fn answer(id: u64) -> u64 {
    id * id
}

// ANCHOR: server
/// Serves clients until the program ends: one tokio task per connection, which
/// reads request lines and, for each, waits (`wait(id).await`, without holding
/// up any other task) and replies. A thousand waiting connections cost a
/// thousand small tasks, not a thousand threads. [`Server::start`] makes the
/// wait a fixed latency, `tokio::time::sleep(latency)`.
pub async fn serve<W, F>(listener: TcpListener, wait: W)
where
    W: Fn(u64) -> F + Clone + Send + 'static,
    F: Future<Output = ()> + Send + 'static,
{
    let mut told = false;
    loop {
        let socket = match listener.accept().await {
            Ok((socket, _peer)) => socket,
            Err(e) => {
                // Out of open files, out of memory, a client that gave up before
                // we accepted it: say so (once), wait a moment rather than
                // retrying at once in a busy loop, and try again.
                if !told {
                    eprintln!("server: cannot accept a connection ({e}); retrying every 50 ms");
                    told = true;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let wait = wait.clone();
        tokio::spawn(async move {
            let (read, mut write) = socket.into_split();
            let mut lines = BufReader::new(read).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                let reply = match line.strip_prefix("GET ").map(str::parse::<u64>) {
                    Some(Ok(id)) => {
                        wait(id).await; // the wait: other tasks run meanwhile
                        format!("{id} {}\n", answer(id))
                    }
                    _ => format!("ERR expected `GET <number>`, got {line:?}\n"),
                };
                if write.write_all(reply.as_bytes()).await.is_err() {
                    break;
                }
            }
        });
    }
}
// ANCHOR_END: server

/// A running [`serve`] on its own thread, with its own tokio runtime, on an
/// address the operating system chose (`127.0.0.1:0`). Dropping it stops it.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Starts a server that waits `latency` before each reply.
    pub fn start(latency: Duration) -> io::Result<Server> {
        Server::start_with(move |_id| tokio::time::sleep(latency))
    }

    /// Starts a server whose wait before the reply to request `id` is
    /// `wait(id)`: a test can hold one request until it says so.
    pub fn start_with<W, F>(wait: W) -> io::Result<Server>
    where
        W: Fn(u64) -> F + Clone + Send + 'static,
        F: Future<Output = ()> + Send + 'static,
    {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        // `listen` registers the listener with the runtime: inside it.
        let listener = runtime.block_on(async {
            let socket = TcpSocket::new_v4()?;
            socket.set_reuseaddr(true)?;
            socket.bind(SocketAddr::from(([127, 0, 0, 1], 0)))?;
            socket.listen(BACKLOG)
        })?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("lab-01 server".to_owned())
            .spawn(move || {
                runtime.block_on(async {
                    tokio::select! {
                        () = serve(listener, wait) => {}
                        _ = stopped => {}
                    }
                });
            })?;
        Ok(Server {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// Where clients connect.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
