//! Exercise 4.1: a bounded blocking queue.
//!
//! What to do: write `push` and `pop`. `push` waits while the queue is full
//! (it holds `capacity` items), `pop` waits while it is empty. No item may be
//! lost or handed out twice, the queue may never hold more than `capacity`
//! items, and no mix of producers and consumers may deadlock. Keep the
//! signatures as they are; you may change the fields.
//!
//! The book explains it: chapter 4, "Exercise 4.1: a bounded blocking queue"
//! (book/04-locks-and-conditions/exercises.md).
//! Check your work:  cargo test -p lab-04 exercise_4_1
//! Stuck?            cargo xtask hint 4.1
//!
//! `super::sync` is `std::sync` on real threads and loom's look-alike under the
//! model checker, so the tests can run this very file both ways. `trace!("...")`
//! records a step for loom's printed interleaving and does nothing on real
//! threads: keep the calls that are here, and add one after each lock, wait or
//! atomic operation you want to see. Without them, a failing loom execution of
//! your code can only say that it recorded no steps.
//!
//! Private helpers that your version does not need may go; keep every `pub`
//! item and its signature, which the tests use.

use std::collections::VecDeque;

#[allow(unused_imports)] // you will need trace!
use super::sync::{Condvar, Mutex, trace};

// ANCHOR: queue
/// A first-in, first-out queue of at most `capacity` items that many
/// producers and consumers share.
#[derive(Debug)]
#[allow(dead_code)] // until push and pop use the condition variables
pub struct BoundedQueue<T> {
    items: Mutex<VecDeque<T>>,
    capacity: usize,
    /// Notify it when an item arrives: "the queue may be non-empty now".
    not_empty: Condvar,
    /// Notify it when an item leaves: "the queue may be non-full now".
    not_full: Condvar,
}

impl<T> BoundedQueue<T> {
    /// An empty queue that holds at most `capacity` items (at least 1).
    pub fn new(capacity: usize) -> Self {
        assert!(
            capacity > 0,
            "a queue of capacity 0 could never take an item"
        );
        BoundedQueue {
            items: Mutex::new(VecDeque::with_capacity(capacity)),
            capacity,
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
        }
    }

    /// How many items the queue holds now.
    pub fn len(&self) -> usize {
        self.items.lock().unwrap().len()
    }

    /// True if the queue holds no item now.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The most items the queue may hold.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Adds `item` at the back; waits while the queue is full.
    pub fn push(&self, item: T) {
        let _ = item;
        todo!("exercise 4.1: wait while the queue is full, then add the item")
    }

    /// Takes the item at the front; waits while the queue is empty.
    pub fn pop(&self) -> T {
        todo!("exercise 4.1: wait while the queue is empty, then take an item")
    }
}
// ANCHOR_END: queue
