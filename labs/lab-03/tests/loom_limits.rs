//! What loom does not explore, shown rather than asserted: each test below
//! pins down one limit that chapter 3 ("What loom explores, and what it does
//! not") states, so that the book's claims stay true for the loom version in
//! Cargo.lock. The limits of loom's `Condvar` are pinned down in lab 4's
//! `tests/loom_limits.rs`, those of its memory model in lab 6's.

use lab_support::model::Model;

use crate::sync::thread;

/// loom models at most 5 threads, the model's own included: a 5th spawn panics.
#[test]
fn loom_models_at_most_four_spawned_threads() {
    let spawn_and_join = |n: usize| {
        move || {
            let threads: Vec<_> = (0..n).map(|_| thread::spawn(|| {})).collect();
            for t in threads {
                t.join().unwrap();
            }
        }
    };
    assert!(
        Model::new()
            .preemption_bound(0)
            .run(spawn_and_join(4))
            .is_ok()
    );
    let five = Model::new()
        .preemption_bound(0)
        .run(spawn_and_join(5))
        .expect_err("loom accepted a fifth spawned thread");
    // loom 0.7's own check, in rt/thread.rs: the thread set is full (MAX_THREADS = 5).
    assert!(
        five.message.contains("self.threads.len() < self.max()"),
        "{}",
        five.message
    );
}
