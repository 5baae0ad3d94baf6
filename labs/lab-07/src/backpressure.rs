//! Back-pressure: a producer that does no work per item and a consumer that
//! does a lot. On a bounded channel the producer blocks whenever the channel is
//! full, so the queue never holds more than its capacity. On an unbounded one
//! nothing holds the producer back, and the queue (and its memory) grows until
//! the producer is done.

use std::hint::black_box;
use std::thread;

use crate::pipeline::{channel, work};

/// One sample per message sent: how many messages were queued right after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queue {
    /// The channel's capacity; `None` for an unbounded channel.
    pub capacity: Option<usize>,
    /// `queued[i]`: the length of the queue right after message `i` was sent.
    pub queued: Vec<usize>,
}

impl Queue {
    /// The longest the queue got.
    pub fn most(&self) -> usize {
        self.queued.iter().copied().max().unwrap_or(0)
    }
}

// ANCHOR: fast_producer
/// Sends `items` messages as fast as it can to a consumer that spends
/// `consumer_rounds` rounds of [`work`] on each, and records the queue's
/// length after every send.
pub fn fast_producer(items: u64, capacity: Option<usize>, consumer_rounds: u32) -> Queue {
    let (tx, rx) = channel(capacity);
    thread::scope(|s| {
        let consumer = s.spawn(move || {
            rx.iter().fold(0, |n, x| {
                n + u64::from(black_box(work(x, consumer_rounds)) != 1)
            })
        });
        let mut queued = Vec::with_capacity(items as usize);
        for i in 0..items {
            tx.send(i).expect("the consumer stopped");
            queued.push(tx.len());
        }
        drop(tx);
        consumer.join().unwrap();
        Queue { capacity, queued }
    })
}
// ANCHOR_END: fast_producer
