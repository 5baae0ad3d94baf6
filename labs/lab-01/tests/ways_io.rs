//! Every way of the I/O job gets every reply right, against the real server
//! (latency 0 or 1 ms), and the server answers other clients while one
//! client's request waits. Correctness only, never timing.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::sync::{Arc, mpsc};
use std::time::Duration;

use lab_01::io::{
    expected_total, fetch, io_rayon, io_sequential, io_threads, io_tokio, io_tokio_multi,
};
use lab_01::server::{Server, answer};
use lab_support::watchdog::watchdog;
use tokio::sync::Notify;

#[test]
fn io_fetch_gets_the_answer() {
    watchdog(|| {
        let server = Server::start(Duration::ZERO).unwrap();
        for id in [0, 1, 7, 1_000_000] {
            assert_eq!(fetch(server.addr(), id).unwrap(), answer(id));
        }
    });
}

#[test]
fn io_every_way_gets_every_reply() {
    watchdog(|| {
        let server = Server::start(Duration::from_millis(1)).unwrap();
        let addr = server.addr();
        for requests in [0, 1, 6] {
            let expected = expected_total(requests);
            assert_eq!(io_sequential(addr, requests).unwrap(), expected);
            assert_eq!(io_tokio(addr, requests).unwrap(), expected);
            for workers in [1, 2, 7] {
                let at = format!("{requests} requests, {workers} workers");
                assert_eq!(
                    io_threads(addr, requests, workers).unwrap(),
                    expected,
                    "{at}"
                );
                assert_eq!(io_rayon(addr, requests, workers).unwrap(), expected, "{at}");
                assert_eq!(
                    io_tokio_multi(addr, requests, workers).unwrap(),
                    expected,
                    "{at}"
                );
            }
        }
    });
}

#[test]
fn io_a_wrong_reply_is_an_error() {
    watchdog(|| {
        // A "server" that answers every request with the wrong number.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                let _ = reader.read_line(&mut line);
                let _ = (&stream).write_all(b"3 10\n");
            }
        });
        let err = fetch(addr, 3).unwrap_err();
        assert!(err.to_string().contains("expected the reply"), "{err}");
        assert!(io_sequential(addr, 2).is_err());
    });
}

/// The request the server of `server_answers_concurrent_clients` holds.
const HELD: u64 = 1_000;

/// While one client's request waits at the server, the server answers the
/// others: the server holds request `HELD` of client A until sixteen other
/// clients (each on its own connection, with several requests on it, and a
/// malformed one answered with an error line) all have their replies. A
/// server that serves one client at a time, or blocks its thread while a
/// request waits, never answers them, so A's request is never let go: the
/// test hangs and the watchdog fails it. Nothing here is timed.
#[test]
fn server_answers_concurrent_clients() {
    watchdog(|| {
        let (held, is_held) = mpsc::channel();
        let release = Arc::new(Notify::new());
        let wait = {
            let release = Arc::clone(&release);
            move |id| {
                let (held, release) = (held.clone(), Arc::clone(&release));
                async move {
                    if id == HELD {
                        let _ = held.send(());
                        release.notified().await;
                    }
                }
            }
        };
        let server = Server::start_with(wait).unwrap();
        let addr = server.addr();
        let request = |stream: &mut TcpStream, reader: &mut BufReader<TcpStream>, line: &str| {
            stream.write_all(line.as_bytes()).unwrap();
            let mut reply = String::new();
            reader.read_line(&mut reply).unwrap();
            reply
        };
        let connect = || {
            let stream = TcpStream::connect(addr).unwrap();
            let reader = BufReader::new(stream.try_clone().unwrap());
            (stream, reader)
        };
        std::thread::scope(|s| {
            let client_a = s.spawn(move || {
                let (mut stream, mut reader) = connect();
                request(&mut stream, &mut reader, &format!("GET {HELD}\n"))
            });
            is_held
                .recv()
                .expect("the server received client A's request");
            println!(
                "the server holds client A's request until sixteen other clients are answered"
            );
            let others: Vec<_> = (0..16u64)
                .map(|client| {
                    s.spawn(move || {
                        let (mut stream, mut reader) = connect();
                        for id in (client * 10)..(client * 10 + 3) {
                            let reply = request(&mut stream, &mut reader, &format!("GET {id}\n"));
                            assert_eq!(reply, format!("{id} {}\n", answer(id)));
                        }
                        let reply = request(&mut stream, &mut reader, "PUT 1\n");
                        assert!(reply.starts_with("ERR "), "{reply:?}");
                    })
                })
                .collect();
            // Join all sixteen before looking at how they ended, and let A's
            // request go in any case: a client that failed (a wrong reply, a
            // refused connection) then fails the test with its own panic,
            // instead of leaving A held and the scope waiting for it.
            let ended: Vec<_> = others.into_iter().map(|other| other.join()).collect();
            if ended.iter().all(Result::is_ok) {
                println!(
                    "the sixteen other clients have their replies: the server lets client A's request go"
                );
            }
            release.notify_one();
            for result in ended {
                if let Err(payload) = result {
                    std::panic::resume_unwind(payload);
                }
            }
            let reply = client_a.join().unwrap();
            assert_eq!(reply, format!("{HELD} {}\n", answer(HELD)));
        });
    });
}
