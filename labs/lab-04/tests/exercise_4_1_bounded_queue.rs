//! The tests of exercise 4.1 (your file: labs/lab-04/exercises/bounded_queue.rs).
//! loom checks small producer/consumer mixes; real threads check many items.

use lab_support::exercise;
use lab_support::join::join_all;
use lab_support::model::Model;

use crate::bounded_queue::BoundedQueue;
// The queue is shared through std's Arc, not loom's: when loom finds a deadlock
// while a loom Arc is alive, the whole test process aborts (loom issue 291).
use crate::sync::thread;
use std::sync::Arc;

/// The bound of the three-thread model. `loom_tempting_queue.rs` shows that it
/// still finds an `if` in place of a `while`.
pub(crate) const BOUND: usize = 3;

/// What the models need of a queue: the exercise's, or the tempting one.
pub(crate) trait Queue: Send + Sync + 'static {
    fn with_capacity(capacity: usize) -> Self;
    fn push(&self, item: u32);
    fn pop(&self) -> u32;
    fn len(&self) -> usize;
}

impl Queue for BoundedQueue<u32> {
    fn with_capacity(capacity: usize) -> Self {
        BoundedQueue::new(capacity)
    }
    fn push(&self, item: u32) {
        BoundedQueue::push(self, item);
    }
    fn pop(&self) -> u32 {
        BoundedQueue::pop(self)
    }
    fn len(&self) -> usize {
        BoundedQueue::len(self)
    }
}

// ANCHOR: two_producers
/// A full queue of capacity 1 (it holds item 0), two producers of one item
/// each, and the model's own thread, which pops three. Every item must come
/// out exactly once, and the queue must never hold more than one item.
pub(crate) fn two_producers_one_consumer<Q: Queue>() {
    let queue = Arc::new(Q::with_capacity(1));
    queue.push(0);
    let producers: Vec<_> = (1..=2)
        .map(|item| {
            let queue = Arc::clone(&queue);
            thread::spawn(move || {
                queue.push(item);
                let len = queue.len();
                assert!(len <= 1, "the queue holds {len} items; its capacity is 1");
            })
        })
        .collect();
    // Each check below samples the length in its own critical section, apart
    // from the push or pop next to it, so it can miss an overflow that another
    // thread hides in between: checking on both sides makes that less likely.
    // What guarantees the capacity is the queue's own invariant, kept by the
    // `while` loop in `push`.
    let mut got: Vec<u32> = (0..3)
        .map(|_| {
            let len = queue.len();
            assert!(len <= 1, "the queue holds {len} items; its capacity is 1");
            queue.pop()
        })
        .collect();
    for p in producers {
        p.join().unwrap();
    }
    got.sort_unstable();
    assert_eq!(got, [0, 1, 2], "every item comes out exactly once");
}
// ANCHOR_END: two_producers

/// One producer pushes three items through a queue of capacity 1; the model's
/// own thread pops them, and they must come out in order.
fn one_producer_one_consumer() {
    let queue = Arc::new(BoundedQueue::new(1));
    let producer = {
        let queue = Arc::clone(&queue);
        thread::spawn(move || {
            for item in 1..=3 {
                queue.push(item);
            }
        })
    };
    let got: Vec<u32> = (0..3).map(|_| queue.pop()).collect();
    producer.join().unwrap();
    assert_eq!(got, [1, 2, 3], "items come out in the order they went in");
}

/// Two consumers wait on an empty queue of capacity 1; the model's own thread
/// pushes two items. Each must reach exactly one consumer.
fn one_producer_two_consumers() {
    let queue = Arc::new(BoundedQueue::new(1));
    let consumers: Vec<_> = (0..2)
        .map(|_| {
            let queue = Arc::clone(&queue);
            thread::spawn(move || queue.pop())
        })
        .collect();
    queue.push(1);
    queue.push(2);
    let mut got: Vec<u32> = consumers.into_iter().map(|c| c.join().unwrap()).collect();
    got.sort_unstable();
    assert_eq!(got, [1, 2], "each item reaches exactly one consumer");
}

#[test]
fn exercise_4_1_loom_one_producer_one_consumer_in_order() {
    exercise!("4.1").run(|| {
        Model::new().check(one_producer_one_consumer);
    });
}

#[test]
fn exercise_4_1_loom_two_producers_never_exceed_the_capacity() {
    exercise!("4.1").run(|| {
        Model::new()
            .preemption_bound(BOUND)
            .check(two_producers_one_consumer::<BoundedQueue<u32>>);
    });
}

#[test]
fn exercise_4_1_loom_two_consumers_each_get_one_item() {
    exercise!("4.1").run(|| {
        Model::new()
            .preemption_bound(BOUND)
            .check(one_producer_two_consumers);
    });
}

#[test]
fn exercise_4_1_threads_every_item_exactly_once() {
    exercise!("4.1").run(|| {
        const PRODUCERS: u32 = 4;
        const CONSUMERS: u32 = 4;
        const EACH: u32 = 5_000;
        let queue = Arc::new(lab_04::bounded_queue::BoundedQueue::new(8));
        let producers: Vec<_> = (0..PRODUCERS)
            .map(|p| {
                let queue = Arc::clone(&queue);
                std::thread::spawn(move || {
                    for i in 0..EACH {
                        queue.push(p * EACH + i);
                    }
                })
            })
            .collect();
        let consumers: Vec<_> = (0..CONSUMERS)
            .map(|_| {
                let queue = Arc::clone(&queue);
                std::thread::spawn(move || {
                    (0..PRODUCERS * EACH / CONSUMERS)
                        .map(|_| {
                            let item = queue.pop();
                            assert!(queue.len() <= queue.capacity(), "over capacity");
                            item
                        })
                        .collect::<Vec<u32>>()
                })
            })
            .collect();
        // If a push or pop panics, report that panic, not what it left behind.
        join_all(producers);
        let mut all: Vec<u32> = join_all(consumers).into_iter().flatten().collect();
        all.sort_unstable();
        assert!(
            all.iter().copied().eq(0..PRODUCERS * EACH),
            "an item was lost or handed out twice"
        );
        assert!(queue.is_empty());
    });
}

/// A push onto a full queue completes once a pop makes room, and order is kept.
/// (That the push *waits* while the queue is full is checked by loom, in every
/// execution it explores under preemption bound 3, in
/// `exercise_4_1_loom_two_producers_never_exceed_the_capacity`; a real-thread
/// test could only show it by sleeping, and no test here depends on timing.)
#[test]
fn exercise_4_1_threads_push_onto_a_full_queue_completes_after_a_pop() {
    exercise!("4.1").run(|| {
        let queue = Arc::new(lab_04::bounded_queue::BoundedQueue::new(2));
        queue.push(1);
        queue.push(2);
        let producer = {
            let queue = Arc::clone(&queue);
            std::thread::spawn(move || queue.push(3)) // waits until there is room
        };
        assert_eq!(queue.pop(), 1);
        producer.join().unwrap();
        assert_eq!(queue.len(), 2, "the queue is over capacity");
        assert_eq!((queue.pop(), queue.pop()), (2, 3));
    });
}
