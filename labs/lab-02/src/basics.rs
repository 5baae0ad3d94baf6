//! `thread::spawn`, `JoinHandle::join` and `move` closures.

use std::thread;

// ANCHOR: spawn_join
/// Sums `numbers` on a thread of its own and returns the sum.
pub fn sum_on_a_thread(numbers: Vec<u64>) -> u64 {
    // `move`: the closure takes ownership of `numbers`, so the new thread owns it.
    let handle: thread::JoinHandle<u64> = thread::spawn(move || numbers.iter().sum());
    // `join` waits until the thread has finished and hands back what its
    // closure returned: `Ok(sum)`, or `Err(..)` if the thread panicked.
    handle.join().unwrap()
}
// ANCHOR_END: spawn_join

// ANCHOR: spawn_many
/// Computes `i * i` for every `i` in `0..n`, each on a thread of its own, and
/// returns the squares in order.
pub fn squares_on_threads(n: u64) -> Vec<u64> {
    // Start every thread first, keeping the handles in order...
    let handles: Vec<thread::JoinHandle<u64>> =
        (0..n).map(|i| thread::spawn(move || i * i)).collect();
    // ...then join them in that order: the results come back in order too,
    // whichever thread finished first.
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}
// ANCHOR_END: spawn_many

// ANCHOR: move_greeting
/// Builds a greeting on another thread. The closure must own `name`: the new
/// thread may outlive this function, and with it `name`'s place on its stack.
pub fn greet_on_a_thread(name: String) -> String {
    let handle = thread::spawn(move || format!("hello, {name}, from another thread"));
    // `name` has moved into the closure: using it here would not compile.
    handle.join().unwrap()
}
// ANCHOR_END: move_greeting
