//! What loom's model of atomics does not explore, shown rather than asserted:
//! each test pins down one limit that chapter 6 ("What a pass shows, and when
//! not to use atomics") states, so that the book's claims stay true for the
//! loom version in Cargo.lock.

use std::sync::Arc;

use lab_support::model::Model;

use crate::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use crate::sync::thread;

/// The store-buffering pattern: each thread writes its own flag, then reads
/// the other's. With every access `SeqCst`, the C++/Rust memory model forbids
/// both reads returning `false` (all SeqCst operations form one total order, and
/// whichever store comes first in it is seen by the other thread's load).
/// loom treats SeqCst loads and stores as AcqRel (its README, "Unsupported
/// features"), so it reports this correct code as failing: a false alarm.
#[test]
fn loom_treats_seqcst_accesses_as_acqrel_a_false_alarm() {
    let failure = Model::new().find_violation(|| {
        let x = Arc::new(AtomicBool::new(false));
        let y = Arc::new(AtomicBool::new(false));
        let (x1, y1) = (Arc::clone(&x), Arc::clone(&y));
        let t1 = thread::spawn(move || {
            x1.store(true, Ordering::SeqCst);
            y1.load(Ordering::SeqCst)
        });
        let (x2, y2) = (Arc::clone(&x), Arc::clone(&y));
        let t2 = thread::spawn(move || {
            y2.store(true, Ordering::SeqCst);
            x2.load(Ordering::SeqCst)
        });
        let (saw_y, saw_x) = (t1.join().unwrap(), t2.join().unwrap());
        assert!(
            saw_y || saw_x,
            "both threads missed the other's SeqCst store"
        );
    });
    assert!(failure.message.contains("both threads missed"), "{failure}");
}

/// The load-buffering pattern: each thread reads one variable, then writes the
/// other, all `Relaxed`. The memory model allows both reads to return 1 (each
/// load "sees" a store that comes later in the other thread). loom does not
/// explore load buffering (its README, "Unsupported features"), so it passes
/// an assertion that real hardware and compilers are allowed to break.
#[test]
fn loom_does_not_explore_load_buffering() {
    let explored = Model::new().check(|| {
        let x = Arc::new(AtomicU64::new(0));
        let y = Arc::new(AtomicU64::new(0));
        let (x1, y1) = (Arc::clone(&x), Arc::clone(&y));
        let t1 = thread::spawn(move || {
            let r1 = x1.load(Ordering::Relaxed);
            y1.store(1, Ordering::Relaxed);
            r1
        });
        let (x2, y2) = (Arc::clone(&x), Arc::clone(&y));
        let t2 = thread::spawn(move || {
            let r2 = y2.load(Ordering::Relaxed);
            x2.store(1, Ordering::Relaxed);
            r2
        });
        let (r1, r2) = (t1.join().unwrap(), t2.join().unwrap());
        assert!(
            !(r1 == 1 && r2 == 1),
            "load buffering: both loads saw the later stores"
        );
    });
    assert!(explored.executions > 1);
}

/// `compare_exchange_weak` may fail even when the value matches (a spurious
/// failure); loom's never does, so loom never runs the retry path for that reason.
#[test]
fn loom_compare_exchange_weak_never_fails_spuriously() {
    Model::new().check(|| {
        let value = AtomicU64::new(0);
        assert_eq!(
            value.compare_exchange_weak(0, 1, Ordering::Relaxed, Ordering::Relaxed),
            Ok(0)
        );
    });
}
