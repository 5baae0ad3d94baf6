//! The loopback server's two ways answer right: a few real clients against
//! each (never many, never timed), and `serve_connection` over an in-memory
//! stream on paused time, where the wait can be checked without a clock;
//! and the listen backlog each server got, read back with `ss`.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use lab_09::protocol::{Reply, Request};
use lab_09::server::{ThreadServer, TokioServer, read_request, serve_connection};
use lab_support::watchdog::watchdog;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader as AsyncBufReader};

/// Sends `lines` on one connection to `addr`, one at a time, and returns
/// the replies.
fn exchange(addr: SocketAddr, lines: &[&str]) -> Vec<String> {
    let stream = TcpStream::connect(addr).expect("the server listens");
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    lines
        .iter()
        .map(|line| {
            writer.write_all(line.as_bytes()).unwrap();
            let mut reply = String::new();
            reader.read_line(&mut reply).unwrap();
            reply
        })
        .collect()
}

/// Three clients at once, each with two good requests and a bad line
/// between them: every good request gets `ID ok`, the bad line an error,
/// and the connection goes on after it.
fn three_clients(addr: SocketAddr) {
    std::thread::scope(|s| {
        let clients: Vec<_> = (0..3u64)
            .map(|c| {
                s.spawn(move || {
                    let first = Request {
                        id: 10 * c,
                        wait: Duration::ZERO,
                    }
                    .line();
                    let second = Request {
                        id: 10 * c + 1,
                        wait: Duration::from_millis(1),
                    }
                    .line();
                    exchange(addr, &[&first, "hello\n", &second])
                })
            })
            .collect();
        for (c, client) in clients.into_iter().enumerate() {
            let replies = client.join().unwrap();
            let c = c as u64;
            assert_eq!(
                Reply::parse(&replies[0]),
                Ok(Reply::Ok(10 * c)),
                "{replies:?}"
            );
            assert!(
                matches!(Reply::parse(&replies[1]), Ok(Reply::Error(None, _))),
                "a bad line gets `? error …`: {replies:?}"
            );
            assert_eq!(
                Reply::parse(&replies[2]),
                Ok(Reply::Ok(10 * c + 1)),
                "{replies:?}"
            );
        }
    });
}

#[test]
fn threads_tokio_server_answers_three_clients() {
    watchdog(|| {
        let server = TokioServer::start(16).expect("the server starts");
        three_clients(server.addr());
    });
}

#[test]
fn threads_thread_server_answers_three_clients() {
    watchdog(|| {
        let server = ThreadServer::start(16).expect("the server starts");
        three_clients(server.addr());
        assert!(server.most_at_once() >= 1);
    });
}

#[test]
fn threads_server_error_replies_carry_the_id_they_can_read() {
    assert_eq!(
        read_request("7 250\n"),
        Ok(Request {
            id: 7,
            wait: Duration::from_millis(250)
        })
    );
    assert!(matches!(
        read_request("7 soon\n"),
        Err(Reply::Error(Some(7), _))
    ));
    assert!(matches!(
        read_request("seven 1\n"),
        Err(Reply::Error(None, _))
    ));
    assert!(matches!(read_request("\n"), Err(Reply::Error(None, _))));
}

/// On paused time, tokio's clock moves only when every task waits, and then
/// straight to the next timer: the reply comes exactly when the request's
/// wait is over, not a moment before, and reading the clock says so
/// without measuring anything real.
#[test]
fn threads_server_replies_after_the_wait_on_paused_time() {
    watchdog(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build()
            .unwrap();
        runtime.block_on(async {
            let (client, server) = tokio::io::duplex(1024);
            let serving = tokio::spawn(serve_connection(server));
            let mut client = AsyncBufReader::new(client);
            let mut reply = String::new();

            let start = tokio::time::Instant::now();
            client.write_all(b"7 250\n").await.unwrap();
            let early =
                tokio::time::timeout(Duration::from_millis(249), client.read_line(&mut reply))
                    .await;
            assert!(
                early.is_err(),
                "no reply before the wait is over: {reply:?}"
            );
            client.read_line(&mut reply).await.unwrap();
            assert_eq!(reply, "7 ok\n");
            assert_eq!(start.elapsed(), Duration::from_millis(250));

            // A bad line is answered at once, and the connection goes on.
            reply.clear();
            client.write_all(b"8 x\n9 0\n").await.unwrap();
            client.read_line(&mut reply).await.unwrap();
            assert!(reply.starts_with("8 error "), "{reply:?}");
            reply.clear();
            client.read_line(&mut reply).await.unwrap();
            assert_eq!(reply, "9 ok\n");

            // The client hangs up: the server's side ends without an error.
            drop(client);
            serving.await.unwrap().unwrap();
        });
    });
}

/// The backlog a listening socket got, as `ss -ltn` shows it (its `Send-Q`
/// column, for a socket in the LISTEN state); `None` where `ss` is missing.
fn listen_backlog(addr: SocketAddr) -> Option<u32> {
    let out = std::process::Command::new("ss")
        .args(["-ltn", &format!("sport = :{}", addr.port())])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().find(|l| l.starts_with("LISTEN"))?;
    line.split_whitespace().nth(2)?.parse().ok()
}

/// Both servers listen with the backlog they ask for (capped by the kernel
/// at `net.core.somaxconn`), not the 128 that `bind` would give them. Linux
/// only, and only where the `ss` tool (iproute2) is installed.
#[test]
fn threads_servers_listen_with_the_backlog_they_ask_for() {
    watchdog(|| {
        let Ok(cap) = std::fs::read_to_string("/proc/sys/net/core/somaxconn") else {
            return; // not Linux
        };
        let want = lab_09::server::BACKLOG.min(cap.trim().parse().unwrap());
        let tokio = TokioServer::start(lab_09::server::BACKLOG).unwrap();
        let Some(got) = listen_backlog(tokio.addr()) else {
            return; // no `ss` here
        };
        assert_eq!(got, want, "the tokio server's listen backlog");
        let threads = ThreadServer::start(lab_09::server::BACKLOG).unwrap();
        assert_eq!(
            listen_backlog(threads.addr()),
            Some(want),
            "the thread server's listen backlog"
        );
    });
}
