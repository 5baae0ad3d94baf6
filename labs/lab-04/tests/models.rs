//! The models of lab 4's loom tests, in a file of their own so that they run
//! on two faces of the std/loom switch: loom's (`tests/lab.rs` includes this
//! file with `sync` set to loom) and the replay's (`tests/replayed.rs`
//! includes it again with `sync` set to `lab_support::replay_sync`, to play one
//! schedule that loom's bounded search skipped).

// std's Arc, not loom's: when loom finds a deadlock while a loom Arc is alive,
// the whole test process aborts (loom issue 291).
use std::sync::Arc;

use super::jobs::JobQueue;
use super::sync::{Mutex, thread};

// ANCHOR: philosophers
/// Three philosophers around a table with three forks; each eats once. Every
/// fork must have served two meals (one for each of its neighbours).
pub fn three_philosophers(dine: fn(&[Mutex<u32>], usize)) {
    let forks = Arc::new([Mutex::new(0), Mutex::new(0), Mutex::new(0)]);
    let philosophers: Vec<_> = (0..3)
        .map(|seat| {
            let forks = Arc::clone(&forks);
            thread::spawn(move || dine(&forks[..], seat))
        })
        .collect();
    for p in philosophers {
        p.join().unwrap();
    }
    for fork in forks.iter() {
        assert_eq!(*fork.lock().unwrap(), 2, "every fork serves two meals");
    }
}
// ANCHOR_END: philosophers

// ANCHOR: two_consumers
/// Two consumers each pop one job; the model's own thread pushes two.
/// Each job must reach exactly one consumer.
pub fn two_consumers(pop: fn(&JobQueue<u32>) -> u32) {
    let queue = Arc::new(JobQueue::new());
    let consumers: Vec<_> = (0..2)
        .map(|_| {
            let queue = Arc::clone(&queue);
            thread::spawn(move || pop(&queue))
        })
        .collect();
    queue.push(1);
    queue.push(2);
    let mut got: Vec<u32> = consumers.into_iter().map(|c| c.join().unwrap()).collect();
    got.sort_unstable();
    assert_eq!(got, [1, 2], "each job reaches exactly one consumer");
}
// ANCHOR_END: two_consumers
