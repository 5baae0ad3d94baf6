//! A std `Mutex` guard held across an `.await`, and the two right ways.
//!
//! Two adders share a counter. The first takes the lock, tells the second
//! that it has, then waits for a gate that the test opens only once the
//! second adder is about to take the lock too, and adds one; the second adds
//! one. The signals fix the order whichever task the runtime polls first. Each version runs on a
//! current-thread runtime, as tasks of a `LocalSet` (its tasks need not be
//! `Send`, so even the tempting version compiles).
//!
//! - [`std_guard_across_await`], tempting: the first adder keeps its std
//!   `MutexGuard` across the gate's `.await`. The second adder's `lock()`
//!   then blocks the runtime's only thread, so the test never gets to open
//!   the gate, and the first adder never runs again: a deadlock of one
//!   thread with itself, which the tests' watchdog reports. Given to
//!   `tokio::spawn`, the same future does not even compile (see the fixture
//!   crate `fixtures/held-guard` and the `compile_fail` example below), and
//!   clippy's `await_holding_lock` warns about it where it compiles.
//! - [`std_guard_dropped_before_await`], right: the guard lives in a block
//!   that ends before the `.await`.
//! - [`tokio_guard_across_await`], right when the guard must cross the
//!   `.await`: tokio's `Mutex`, whose `lock().await` yields instead of
//!   blocking the thread.
//!
//! Given to `tokio::spawn`, a future that keeps a std guard across an
//! `.await` does not compile, because `MutexGuard` is not `Send`. The code
//! is the fixture's, included here so that `cargo test -p lab-10` keeps
//! "does not compile" true:
//!
#![doc = "```compile_fail"]
#![doc = include_str!("../fixtures/held-guard/src/spawned.rs")]
#![doc = "```"]

use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

/// One side of a one-time signal between two tasks.
type Signal = oneshot::Sender<()>;
/// The other side: an `.await` until the signal comes.
type Wait = oneshot::Receiver<()>;

/// Runs `first` and `second` as two local tasks beside the test's part: wait
/// until the second adder is trying to lock, then open the gate. Returns
/// what the counter holds at the end.
fn run_two_adders<F, S>(first: F, second: S, tried: Wait, open: Signal)
where
    F: Future<Output = ()> + 'static,
    S: Future<Output = ()> + 'static,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime");
    let local = tokio::task::LocalSet::new();
    local.spawn_local(first);
    local.spawn_local(second);
    local.spawn_local(async move {
        tried.await.expect("the second adder says when it tries");
        let _ = open.send(());
    });
    runtime.block_on(local);
}

// ANCHOR: tempting
/// Tempting: the guard of a std `Mutex` lives across the `.await`.
#[expect(
    clippy::await_holding_lock,
    reason = "the tempting version, on purpose"
)]
async fn first_adder_holding(counter: Arc<Mutex<u64>>, locked: Signal, gate: Wait) {
    let mut count = counter.lock().unwrap();
    let _ = locked.send(());
    gate.await.expect("the gate opens"); // still holding `count`
    *count += 1;
}
// ANCHOR_END: tempting

// ANCHOR: second_adder
/// The second adder: once the first has locked, says that it is about to
/// lock, then adds one.
async fn second_adder(counter: Arc<Mutex<u64>>, locked: Wait, trying: Signal) {
    locked
        .await
        .expect("the first adder says when it has locked");
    let _ = trying.send(());
    *counter.lock().unwrap() += 1; // blocks the thread if the lock is held
}
// ANCHOR_END: second_adder

/// The tempting version: never returns (see the module's docs).
pub fn std_guard_across_await() -> u64 {
    let counter = Arc::new(Mutex::new(0));
    let (locked, has_locked) = oneshot::channel();
    let (trying, tried) = oneshot::channel();
    let (open, gate) = oneshot::channel();
    run_two_adders(
        first_adder_holding(Arc::clone(&counter), locked, gate),
        second_adder(Arc::clone(&counter), has_locked, trying),
        tried,
        open,
    );
    *counter.lock().unwrap()
}

// ANCHOR: scoped
/// Right: read and write under the lock in a block that ends before the
/// `.await`, and lock again after it if needed.
async fn first_adder_scoped(counter: Arc<Mutex<u64>>, locked: Signal, gate: Wait) {
    let seen = *counter.lock().unwrap(); // the guard is a temporary: dropped at the `;`
    let _ = locked.send(());
    gate.await.expect("the gate opens");
    // Lock again after the `.await`; `seen` may be stale by now.
    let mut count = counter.lock().unwrap();
    *count += 1;
    debug_assert!(*count > seen);
}
// ANCHOR_END: scoped

/// The first right version: returns 2.
pub fn std_guard_dropped_before_await() -> u64 {
    let counter = Arc::new(Mutex::new(0));
    let (locked, has_locked) = oneshot::channel();
    let (trying, tried) = oneshot::channel();
    let (open, gate) = oneshot::channel();
    run_two_adders(
        first_adder_scoped(Arc::clone(&counter), locked, gate),
        second_adder(Arc::clone(&counter), has_locked, trying),
        tried,
        open,
    );
    *counter.lock().unwrap()
}

// ANCHOR: tokio_mutex
/// Right when the guard must cross the `.await`: tokio's `Mutex`. Its
/// `lock()` is a future: a task that finds the lock taken yields to the
/// runtime instead of blocking the thread.
async fn first_adder_tokio(counter: Arc<tokio::sync::Mutex<u64>>, locked: Signal, gate: Wait) {
    let mut count = counter.lock().await;
    let _ = locked.send(());
    gate.await.expect("the gate opens"); // holding the lock is allowed here
    *count += 1;
}

async fn second_adder_tokio(counter: Arc<tokio::sync::Mutex<u64>>, locked: Wait, trying: Signal) {
    locked
        .await
        .expect("the first adder says when it has locked");
    let _ = trying.send(());
    *counter.lock().await += 1; // waits as a task, not as a thread
}
// ANCHOR_END: tokio_mutex

/// The second right version: returns 2.
pub fn tokio_guard_across_await() -> u64 {
    let counter = Arc::new(tokio::sync::Mutex::new(0));
    let (locked, has_locked) = oneshot::channel();
    let (trying, tried) = oneshot::channel();
    let (open, gate) = oneshot::channel();
    run_two_adders(
        first_adder_tokio(Arc::clone(&counter), locked, gate),
        second_adder_tokio(Arc::clone(&counter), has_locked, trying),
        tried,
        open,
    );
    *counter.try_lock().expect("both adders are done")
}
