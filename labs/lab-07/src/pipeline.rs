//! A pipeline: three stages, each on a thread of its own, joined by bounded
//! crossbeam channels. Each stage does the same amount of work per item, so on
//! three cores the pipeline could at best be three times as fast as one
//! thread doing all three stages in turn.

use std::hint::black_box;
use std::thread;

use crossbeam_channel::{Receiver, Sender, bounded, unbounded};

/// A little CPU work on `x`: `rounds` rounds of a multiply-xorshift mix. The
/// stages of the pipeline each call it once per item.
pub fn work(x: u64, rounds: u32) -> u64 {
    let mut h = x ^ 0x9e37_79b9_7f4a_7c15;
    for _ in 0..rounds {
        h = black_box(h.wrapping_mul(0xbf58_476d_1ce4_e5b9));
        h ^= h >> 31;
    }
    h
}

/// A channel of `capacity`, or an unbounded one for `None`.
pub fn channel<T>(capacity: Option<usize>) -> (Sender<T>, Receiver<T>) {
    match capacity {
        Some(n) => bounded(n),
        None => unbounded(),
    }
}

// ANCHOR: sequential
/// The three stages one after the other, on the calling thread.
pub fn one_thread(items: u64, rounds: u32) -> u64 {
    (0..items)
        .map(|i| work(work(work(i, rounds), rounds), rounds))
        .fold(0, u64::wrapping_add)
}
// ANCHOR_END: sequential

/// What a pipeline run made, and how full its channels got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// The sum of the last stage's results: the same as [`one_thread`]'s.
    pub sum: u64,
    /// The largest `Sender::len` each sender saw right after its sends, added
    /// up over the two channels: a sample (a receive can come between a send
    /// and the look), which shows how full each channel was seen, not the
    /// most the two held at one instant.
    pub most_queued: usize,
}

// ANCHOR: pipeline
/// Source, transform, sink: the source and the transform run on threads of
/// their own, the sink on the calling thread. Each channel holds at most
/// `capacity` items (`None`: no limit).
pub fn pipeline(items: u64, rounds: u32, capacity: Option<usize>) -> Outcome {
    let (to_transform, from_source) = channel(capacity);
    let (to_sink, from_transform) = channel(capacity);
    thread::scope(|s| {
        let source = s.spawn(move || {
            let mut most = 0;
            for i in 0..items {
                // Blocks while the channel is full: back-pressure.
                to_transform
                    .send(work(i, rounds))
                    .expect("the transform stopped");
                most = most.max(to_transform.len());
            }
            most
            // `to_transform` is dropped here: the transform's loop ends.
        });
        let transform = s.spawn(move || {
            let mut most = 0;
            for x in from_source {
                to_sink.send(work(x, rounds)).expect("the sink stopped");
                most = most.max(to_sink.len());
            }
            most
            // `to_sink` is dropped here: the sink's loop ends.
        });
        let sum = from_transform
            .iter()
            .map(|x| work(x, rounds))
            .fold(0, u64::wrapping_add);
        let most_queued = source.join().unwrap() + transform.join().unwrap();
        Outcome { sum, most_queued }
    })
}
// ANCHOR_END: pipeline
