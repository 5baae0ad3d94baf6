//! A thread nobody joins: when `main` returns, the process ends, and the thread
//! ends with it, wherever it was. `cargo run -p lab-02 -- detached` and
//! `cargo run -p lab-02 -- joined` run the two programs below.
//!
//! A real worker is slow because its work takes time, and whether it finishes
//! before `main` returns depends on timing. Here the worker is slow in a way the
//! program controls: it waits at a barrier, `GO_ON`, between the two halves of
//! its work. That makes each program print the same lines on every run, with
//! no sleeping: the detached program shows, for certain, what a slow worker
//! meets on an unlucky run.

use std::sync::Barrier;
use std::thread;

// ANCHOR: worker
/// The worker has written the first half of its report: the worker and `main`
/// both wait here, so `main` goes on only once that half is written.
static FIRST_HALF_DONE: Barrier = Barrier::new(2);
/// The worker may go on with the second half: it waits here until `main` does.
static GO_ON: Barrier = Barrier::new(2);

/// Closes the report when dropped: the clean-up a worker does on its way out.
struct Report;

impl Drop for Report {
    fn drop(&mut self) {
        println!("worker: closed the report");
    }
}

/// Writes a report in two halves, with a wait at `GO_ON` between them.
fn worker() {
    let _report = Report;
    println!("worker: wrote the first half of the report");
    FIRST_HALF_DONE.wait();
    GO_ON.wait(); // stands in for slow work: the second half takes a while
    println!("worker: wrote the second half of the report");
} // `_report` is dropped here: "closed the report"
// ANCHOR_END: worker

// ANCHOR: detached
/// The program that does not join its worker.
pub fn main_detached() {
    let _handle = thread::spawn(worker); // the handle is never joined
    FIRST_HALF_DONE.wait();
    println!("main: returns, without joining the worker");
} // the process ends here, and the worker with it
// ANCHOR_END: detached

// ANCHOR: joined
/// The same program, joining its worker before it returns.
pub fn main_joined() {
    let handle = thread::spawn(worker);
    FIRST_HALF_DONE.wait();
    println!("main: waits for the worker");
    GO_ON.wait(); // the slow part of the work is over
    handle.join().unwrap();
    println!("main: the worker has finished; main returns");
}
// ANCHOR_END: joined
