//! The tempting bounded queue, and why it is wrong: it checks "full" and
//! "empty" with `if`, so it waits at most once. (A spoiler for exercise 4.1:
//! the book shows it inside the hidden solution.) Its other use: it shows
//! that the preemption bound of the exercise's three-thread model still
//! finds this bug.

use std::collections::VecDeque;

use lab_support::capture;
use lab_support::model::Model;

use crate::exercise_4_1_bounded_queue::{BOUND, Queue, two_producers_one_consumer};
use crate::sync::{Condvar, Mutex, trace};

/// A bounded queue that waits with `if`.
#[derive(Debug)]
struct IfQueue {
    items: Mutex<VecDeque<u32>>,
    capacity: usize,
    not_empty: Condvar,
    not_full: Condvar,
}

impl Queue for IfQueue {
    fn with_capacity(capacity: usize) -> Self {
        IfQueue {
            items: Mutex::new(VecDeque::new()),
            capacity,
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
        }
    }

    // ANCHOR: push_if
    /// WRONG: after one wake-up, pushes whether or not there is room.
    fn push(&self, item: u32) {
        let mut items = self.items.lock().unwrap();
        if items.len() == self.capacity {
            trace!("push {item}: full; waits");
            items = self.not_full.wait(items).unwrap();
            trace!("push {item}: wakes up; {} in the queue", items.len());
        }
        items.push_back(item);
        trace!("push {item}: {} in the queue", items.len());
        self.not_empty.notify_one();
    }
    // ANCHOR_END: push_if

    fn pop(&self) -> u32 {
        let mut items = self.items.lock().unwrap();
        if items.is_empty() {
            items = self.not_empty.wait(items).unwrap();
        }
        let item = items.pop_front().expect("woke up to an empty queue");
        trace!("pop {item}: {} left; notify not_full", items.len());
        self.not_full.notify_one();
        item
    }

    fn len(&self) -> usize {
        self.items.lock().unwrap().len()
    }
}

#[test]
fn loom_tempting_queue_exceeds_its_capacity_within_the_bound() {
    let failure = Model::new()
        .preemption_bound(BOUND)
        .find_violation(two_producers_one_consumer::<IfQueue>);
    assert!(failure.message.contains("capacity is 1"), "{failure}");
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "04-locks-and-conditions/captured/loom-tempting-queue.txt",
        &failure.to_string(),
    );
}
