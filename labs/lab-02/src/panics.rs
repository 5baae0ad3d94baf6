//! What happens to a panic on another thread, and named threads.

use std::any::Any;
use std::thread;

// ANCHOR: payload_text
/// The text of a panic payload: `panic!("...")` with a plain string literal
/// gives a `&'static str`, and with format arguments a `String`.
pub fn payload_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(a payload that is not a string)".to_owned()
    }
}
// ANCHOR_END: payload_text

// ANCHOR: join_err
/// Parses `text` as a number on another thread. If the thread panics, `join`
/// returns `Err` with the panic's payload, and this thread carries on.
pub fn parse_on_a_thread(text: &'static str) -> Result<u64, String> {
    let handle = thread::spawn(move || {
        let n: u64 = text.parse().expect("not a number");
        n
    });
    match handle.join() {
        Ok(n) => Ok(n),
        Err(payload) => Err(payload_text(&*payload)),
    }
}
// ANCHOR_END: join_err

// ANCHOR: scope_panic
/// Starts two scoped threads, one of which panics, and joins neither by hand.
/// The scope still waits for both; then, because a thread panicked and nobody
/// joined it, `thread::scope` itself panics on this thread. The second thread
/// borrows `finished` mutably and sets it, so the caller can see that it ran.
pub fn scope_with_a_panicking_thread(finished: &mut bool) {
    thread::scope(|s| {
        s.spawn(|| panic!("the first thread gives up"));
        s.spawn(|| *finished = true);
    }); // panics here: "a scoped thread panicked"
}
// ANCHOR_END: scope_panic

// ANCHOR: named
/// Runs `parse_line` on a thread named `name`, and reports how it went.
pub fn parse_on_a_named_thread(name: &str, line: &'static str) -> String {
    let handle = thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || parse_line(line))
        .expect("could not start a thread");
    // The handle knows the thread's name, even after the thread has ended.
    let who = handle.thread().name().unwrap_or("(unnamed)").to_owned();
    match handle.join() {
        Ok(n) => format!("main: thread {who} parsed {n}"),
        Err(payload) => format!("main: thread {who} failed: {}", payload_text(&*payload)),
    }
}

fn parse_line(line: &str) -> u64 {
    match line.trim().parse() {
        Ok(n) => n,
        Err(_) => panic!("cannot parse {line:?} as a number"),
    }
}
// ANCHOR_END: named
