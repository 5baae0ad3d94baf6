//! Publication: one thread writes a value, then raises a flag; another thread
//! that sees the flag reads the value. Three mailboxes do it: two with
//! `Relaxed` (wrong) and one with `Release` and `Acquire` (right). loom checks
//! all three in `tests/loom_publish.rs`.

use super::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use super::sync::cell::UnsafeCell;
use super::sync::trace;

// ANCHOR: relaxed_atomic
/// WRONG: the data and the flag are both atomics, both `Relaxed`. Each access
/// is atomic, but `Relaxed` orders nothing else: a reader can see the flag
/// raised and still read the data's old value.
#[derive(Debug, Default)]
pub struct RelaxedMailbox {
    data: AtomicU64,
    ready: AtomicBool,
}

impl RelaxedMailbox {
    /// Writes `value`, then raises the flag.
    pub fn publish(&self, value: u64) {
        self.data.store(value, Ordering::Relaxed);
        trace!("stores data = {value}");
        self.ready.store(true, Ordering::Relaxed);
        trace!("stores ready = true (Relaxed)");
    }

    /// The value, if the flag is raised.
    pub fn read(&self) -> Option<u64> {
        let ready = self.ready.load(Ordering::Relaxed);
        trace!("loads ready = {ready} (Relaxed)");
        if !ready {
            return None;
        }
        let value = self.data.load(Ordering::Relaxed);
        trace!("loads data = {value}");
        Some(value)
    }
}
// ANCHOR_END: relaxed_atomic

// ANCHOR: relaxed_cell
/// WRONG: the data is a plain `u64` in an `UnsafeCell`, the flag `Relaxed`.
/// The reader's read of the data is not ordered after the writer's write: a
/// data race, which is undefined behaviour.
#[derive(Debug, Default)]
pub struct RelaxedCellMailbox {
    data: UnsafeCell<u64>,
    ready: AtomicBool,
}

// SAFETY: none. This type claims to be safe to share, and is not: its
// `read` can race with `publish`. It is here to show loom catching that.
unsafe impl Sync for RelaxedCellMailbox {}

impl RelaxedCellMailbox {
    /// Writes `value`, then raises the flag.
    ///
    /// # Safety
    ///
    /// At most one call, from one thread, in the mailbox's life.
    pub unsafe fn publish(&self, value: u64) {
        // SAFETY: the caller promises no other `publish`; `read` touches the
        // data only after seeing the flag, which is raised below. (Not enough:
        // with `Relaxed`, seeing the flag does not order the reader after this.)
        self.data.with_mut(|data| unsafe { *data = value });
        trace!("writes data = {value}");
        self.ready.store(true, Ordering::Relaxed);
        trace!("stores ready = true (Relaxed)");
    }

    /// The value, if the flag is raised.
    pub fn read(&self) -> Option<u64> {
        let ready = self.ready.load(Ordering::Relaxed);
        trace!("loads ready = {ready} (Relaxed)");
        if !ready {
            return None;
        }
        trace!("reads data");
        // SAFETY: meant to be "the flag is up, so the write is done"; with
        // `Relaxed` that does not hold, and loom says so.
        Some(self.data.with(|data| unsafe { *data }))
    }
}
// ANCHOR_END: relaxed_cell

// ANCHOR: mailbox
/// RIGHT: the writer raises the flag with a `Release` store, the reader reads
/// it with an `Acquire` load. When the load reads the value that the store
/// wrote, everything the writer did before the store happens before
/// everything the reader does after the load: the data is there.
#[derive(Debug, Default)]
pub struct Mailbox {
    data: UnsafeCell<u64>,
    ready: AtomicBool,
}

// SAFETY: the data is written once, by `publish`, before the `Release` store
// of `ready`; `read` touches it only after an `Acquire` load has seen `ready`
// set, so the write happens before every read, and no two accesses race.
unsafe impl Sync for Mailbox {}

impl Mailbox {
    /// Writes `value`, then raises the flag.
    ///
    /// # Safety
    ///
    /// At most one call, from one thread, in the mailbox's life.
    pub unsafe fn publish(&self, value: u64) {
        // SAFETY: the caller promises no other `publish`, and no `read`
        // touches the data before the flag is raised below.
        self.data.with_mut(|data| unsafe { *data = value });
        trace!("writes data = {value}");
        self.ready.store(true, Ordering::Release);
        trace!("stores ready = true (Release)");
    }

    /// The value, if the flag is raised.
    pub fn read(&self) -> Option<u64> {
        let ready = self.ready.load(Ordering::Acquire);
        trace!("loads ready = {ready} (Acquire)");
        if !ready {
            return None;
        }
        // SAFETY: the Acquire load saw the Release store, so the write of the
        // data happens before this read, and nothing writes it again.
        let value = self.data.with(|data| unsafe { *data });
        trace!("reads data = {value}");
        Some(value)
    }
}
// ANCHOR_END: mailbox
