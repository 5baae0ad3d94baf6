//! loom checks the two counters of src/counter.rs: two threads (one spawned
//! and the model's own) each add one. With `load` then `store`, an update can
//! be lost; with `fetch_add`, never. Two threads need no preemption bound:
//! loom explores every execution it can generate (not load buffering, for
//! one: see the book's chapter 6, "What a pass shows").

use std::sync::Arc;

use lab_support::capture;
use lab_support::model::Model;

use crate::counter::{FetchAddCounter, LoadStoreCounter};
use crate::sync::thread;

/// What the model needs of a counter.
trait Counter: Default + Send + Sync + 'static {
    fn increment(&self);
    fn get(&self) -> u64;
}

impl Counter for LoadStoreCounter {
    fn increment(&self) {
        LoadStoreCounter::increment(self);
    }
    fn get(&self) -> u64 {
        LoadStoreCounter::get(self)
    }
}

impl Counter for FetchAddCounter {
    fn increment(&self) {
        FetchAddCounter::increment(self);
    }
    fn get(&self) -> u64 {
        FetchAddCounter::get(self)
    }
}

// ANCHOR: model
/// Two threads each add one; after both are joined, the counter must be 2.
fn two_increments<C: Counter>() {
    let counter = Arc::new(C::default());
    let other = {
        let counter = Arc::clone(&counter);
        thread::spawn(move || counter.increment())
    };
    counter.increment();
    other.join().unwrap();
    let total = counter.get();
    assert_eq!(total, 2, "two increments, but the counter says {total}");
}
// ANCHOR_END: model

// ANCHOR: tests
#[test]
fn loom_load_then_store_loses_an_update() {
    let failure = Model::new().find_violation(two_increments::<LoadStoreCounter>);
    assert!(failure.message.contains("the counter says 1"), "{failure}");
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "06-atomics-and-memory-ordering/captured/loom-load-store-counter.txt",
        &failure.to_string(),
    );
}

#[test]
fn loom_fetch_add_never_loses_an_update() {
    let explored = Model::new().check(two_increments::<FetchAddCounter>);
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "06-atomics-and-memory-ordering/captured/loom-fetch-add-counter.txt",
        &format!("2 threads, no bound: {}.\n", explored),
    );
}
// ANCHOR_END: tests
