//! A lost wake-up with tokio's `Notify`, and two ways to lose nothing.
//!
//! A [`Ready`] flag: one task sets it and tells the waiters, another waits
//! until it is set. `Notify` carries no data, so the waiter looks at the flag
//! first and waits only if it is unset. The tempting version tells the
//! waiters with `notify_waiters`, which wakes only the `Notified` futures that
//! exist at that moment and stores nothing (tokio's `src/sync/notify.rs`,
//! `Notify::notify_waiters`): if it runs after the waiter looked but before it
//! made its `Notified`, the wake-up is lost, and the waiter sleeps for ever.
//! The first fix sends `notify_one`, which stores a permit when nobody waits,
//! and the next `notified().await` takes it at once. The second keeps
//! `notify_waiters` but makes the `Notified` (and `enable`s it) *before*
//! looking at the flag, so no notification can fall between the two.
//!
//! A `Notified` is on the `Notify`'s list of waiters (*registered*) from the
//! moment `notified()` returns, as far as `notify_waiters` is concerned, even
//! before it is polled; `notify_one` reaches it only once it is polled or
//! `enable`d (tokio's `Notified::enable` docs).
//!
//! The same file runs on real tokio (`super::rt` is `tokio`) and, in the test
//! binary, under shuttle (`super::rt` is `shuttle_tokio`): see the lab's
//! `lib.rs`. Under shuttle, `notified()` is a scheduling point before it
//! registers the waiter (shuttle-tokio-impl-inner `src/sync/notify.rs`), which
//! is where the lost wake-up happens. Each `trace!` comes after what it names.

use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::rt::sync::Notify;
use super::trace;

/// A flag that one task sets and others wait for.
#[derive(Debug, Default)]
pub struct Ready {
    set: AtomicBool,
    notify: Notify,
}

/// Which waiter and which setter a model runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// Tempting: look at the flag, then `notified().await`; the setter calls
    /// `notify_waiters`.
    NotifyWaiters,
    /// Right: the same waiter; the setter calls `notify_one`, whose permit
    /// waits for the waiter.
    NotifyOne,
    /// Right: `notify_waiters` still, but the waiter makes and enables its
    /// `Notified` before it looks at the flag.
    EnableFirst,
}

// ANCHOR: tempting
impl Ready {
    /// Tempting: sets the flag and wakes the tasks that wait now.
    pub fn set_and_notify_waiters(&self) {
        self.set.store(true, Ordering::SeqCst);
        self.notify.notify_waiters();
        trace!("sets the flag and calls notify_waiters");
    }

    /// Waits until the flag is set: looks, and if it is unset, waits for a
    /// notification, then looks again.
    pub async fn wait(&self) {
        while !self.set.load(Ordering::SeqCst) {
            trace!("finds the flag unset");
            let notified = self.notify.notified();
            trace!("makes its Notified: registered from now on");
            notified.await;
            trace!("wakes up");
        }
        trace!("finds the flag set");
    }
}
// ANCHOR_END: tempting

// ANCHOR: notify_one
impl Ready {
    /// Right: sets the flag and wakes one waiter, or, if none waits yet,
    /// leaves a permit that the next `notified().await` takes at once.
    pub fn set_and_notify_one(&self) {
        self.set.store(true, Ordering::SeqCst);
        self.notify.notify_one();
        trace!("sets the flag and calls notify_one");
    }
}
// ANCHOR_END: notify_one

// ANCHOR: enable_first
impl Ready {
    /// Right, with `notify_waiters`: registers first, then looks. A
    /// `notify_waiters` after `notified()` reaches this `Notified` even before
    /// it is polled: for this setter `enable` adds nothing. `enable` puts
    /// it on the list that `notify_one` wakes from as well, which matters when
    /// several tasks wait and each `notify_one` must wake one of them (a
    /// `Notify` stores at most one permit). `enable` takes
    /// `Pin<&mut Notified>`: `pin!` fixes the future in place on this stack.
    pub async fn wait_registered_first(&self) {
        loop {
            let mut notified = pin!(self.notify.notified());
            notified.as_mut().enable();
            if self.set.load(Ordering::SeqCst) {
                trace!("registered, finds the flag set");
                return;
            }
            trace!("registered, finds the flag unset");
            notified.await;
            trace!("wakes up");
        }
    }
}
// ANCHOR_END: enable_first

// ANCHOR: model
/// The model: the test's task spawns a setter (T1) and waits for the flag.
/// A lost wake-up leaves it waiting for ever: a deadlock.
pub async fn one_setter_one_waiter(version: Version) {
    let ready = Arc::new(Ready::default());
    let setter = {
        let ready = Arc::clone(&ready);
        super::rt::spawn(async move {
            match version {
                Version::NotifyOne => ready.set_and_notify_one(),
                Version::NotifyWaiters | Version::EnableFirst => ready.set_and_notify_waiters(),
            }
        })
    };
    match version {
        Version::EnableFirst => ready.wait_registered_first().await,
        Version::NotifyWaiters | Version::NotifyOne => ready.wait().await,
    }
    setter.await.expect("the setter panicked");
}
// ANCHOR_END: model
