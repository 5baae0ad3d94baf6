//! Every way of the I/O job gets every reply right, against the real server
//! (latency 0 or 1 ms). Correctness only, never timing.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::Duration;

use lab_01::io::{
    expected_total, fetch, io_rayon, io_sequential, io_threads, io_tokio, io_tokio_multi,
};
use lab_01::server::{Server, answer};
use lab_support::watchdog::watchdog;

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

/// Many clients at once, each on its own connection, several requests on one
/// connection, and a malformed request answered with an error line.
#[test]
fn server_answers_concurrent_clients() {
    watchdog(|| {
        let server = Server::start(Duration::from_millis(1)).unwrap();
        let addr = server.addr();
        std::thread::scope(|s| {
            for client in 0..16u64 {
                s.spawn(move || {
                    let mut stream = TcpStream::connect(addr).unwrap();
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    for id in (client * 10)..(client * 10 + 3) {
                        stream.write_all(format!("GET {id}\n").as_bytes()).unwrap();
                        let mut line = String::new();
                        reader.read_line(&mut line).unwrap();
                        assert_eq!(line, format!("{id} {}\n", answer(id)));
                    }
                    stream.write_all(b"PUT 1\n").unwrap();
                    let mut line = String::new();
                    reader.read_line(&mut line).unwrap();
                    assert!(line.starts_with("ERR "), "{line:?}");
                });
            }
        });
    });
}
