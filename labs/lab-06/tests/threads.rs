//! The right versions of the chapter on real threads, under the watchdog: the
//! `fetch_add` counter, the `Release`/`Acquire` mailbox and the two right spin
//! locks (the swap lock, which loom cannot check, is checked only here).

use lab_06::counter::FetchAddCounter;
use lab_06::publish::Mailbox;
use lab_06::spin::{CasLock, SwapLock};
use lab_support::watchdog::watchdog;
use std::sync::atomic::{AtomicU64, Ordering};

#[test]
fn threads_fetch_add_counts_every_increment() {
    watchdog(|| {
        let counter = FetchAddCounter::default();
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for _ in 0..50_000 {
                        counter.increment();
                    }
                });
            }
        });
        assert_eq!(counter.get(), 200_000);
    });
}

#[test]
fn threads_mailbox_delivers_the_value() {
    watchdog(|| {
        for _ in 0..200 {
            let mailbox = Mailbox::default();
            let value = std::thread::scope(|s| {
                let reader = s.spawn(|| {
                    loop {
                        if let Some(value) = mailbox.read() {
                            return value;
                        }
                        std::hint::spin_loop();
                    }
                });
                // SAFETY: the only call, from this thread only.
                unsafe { mailbox.publish(42) };
                reader.join().unwrap()
            });
            assert_eq!(value, 42);
        }
    });
}

#[test]
fn threads_spin_locks_lose_no_addition() {
    fn check<L: Default + Sync>(acquire: fn(&L), release: fn(&L)) {
        // The lock guards a counter kept in two halves, each a `Relaxed`
        // atomic: only the lock keeps a thread from seeing them half updated.
        let lock = L::default();
        let (low, high) = (AtomicU64::new(0), AtomicU64::new(0));
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for _ in 0..20_000 {
                        acquire(&lock);
                        let (l, h) = (low.load(Ordering::Relaxed), high.load(Ordering::Relaxed));
                        assert_eq!(l, h, "saw a half-done update");
                        low.store(l + 1, Ordering::Relaxed);
                        high.store(h + 1, Ordering::Relaxed);
                        release(&lock);
                    }
                });
            }
        });
        assert_eq!(low.into_inner(), 80_000, "additions were lost");
    }
    watchdog(|| {
        check::<CasLock>(CasLock::lock, CasLock::unlock);
        check::<SwapLock>(SwapLock::lock, SwapLock::unlock);
    });
}
