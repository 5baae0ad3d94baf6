//! loom checks the three mailboxes of src/publish.rs: a writer thread publishes
//! 42, and the model's own thread reads the mailbox once. If it sees the flag,
//! it must read 42. Two threads need no preemption bound: loom explores every
//! execution it can generate.

use std::sync::Arc;

use lab_support::capture;
use lab_support::model::Model;

use crate::publish::{Mailbox, RelaxedCellMailbox, RelaxedMailbox};
use crate::sync::thread;

/// What the model needs of a mailbox.
trait Publish: Default + Send + Sync + 'static {
    /// Called once, by the writer thread only.
    fn publish_once(&self, value: u64);
    fn read(&self) -> Option<u64>;
}

impl Publish for RelaxedMailbox {
    fn publish_once(&self, value: u64) {
        self.publish(value);
    }
    fn read(&self) -> Option<u64> {
        RelaxedMailbox::read(self)
    }
}

impl Publish for RelaxedCellMailbox {
    fn publish_once(&self, value: u64) {
        // SAFETY: the model calls `publish_once` once, from the writer only.
        unsafe { self.publish(value) }
    }
    fn read(&self) -> Option<u64> {
        RelaxedCellMailbox::read(self)
    }
}

impl Publish for Mailbox {
    fn publish_once(&self, value: u64) {
        // SAFETY: the model calls `publish_once` once, from the writer only.
        unsafe { self.publish(value) }
    }
    fn read(&self) -> Option<u64> {
        Mailbox::read(self)
    }
}

// ANCHOR: model
/// A writer publishes 42; the model's own thread reads the mailbox once, at
/// whatever point loom lets it. Seeing no value yet is fine; seeing the flag
/// and any value but 42 is the bug.
fn publish_and_read<M: Publish>() {
    let mailbox = Arc::new(M::default());
    let writer = {
        let mailbox = Arc::clone(&mailbox);
        thread::spawn(move || mailbox.publish_once(42))
    };
    if let Some(value) = mailbox.read() {
        assert_eq!(value, 42, "saw the flag, then read stale data: {value}");
    }
    writer.join().unwrap();
}
// ANCHOR_END: model

// ANCHOR: relaxed_tests
#[test]
fn loom_relaxed_flag_publishes_stale_data() {
    let failure = Model::new().find_violation(publish_and_read::<RelaxedMailbox>);
    assert!(failure.message.contains("stale data: 0"), "{failure}");
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "06-atomics-and-memory-ordering/captured/loom-relaxed-publication.txt",
        &failure.to_string(),
    );
}

#[test]
fn loom_relaxed_flag_over_unsafe_cell_is_a_causality_violation() {
    let failure = Model::new().find_violation(publish_and_read::<RelaxedCellMailbox>);
    assert!(failure.message.contains("Causality violation"), "{failure}");
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "06-atomics-and-memory-ordering/captured/loom-relaxed-cell-publication.txt",
        &failure.to_string(),
    );
}
// ANCHOR_END: relaxed_tests

// ANCHOR: right_test
#[test]
fn loom_release_acquire_publishes() {
    let explored = Model::new().check(publish_and_read::<Mailbox>);
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "06-atomics-and-memory-ordering/captured/loom-release-acquire.txt",
        &format!("2 threads, no bound: {}.\n", explored),
    );
}
// ANCHOR_END: right_test
