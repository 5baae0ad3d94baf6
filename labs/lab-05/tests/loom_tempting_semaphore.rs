//! The tempting semaphore, and why it is wrong: it waits with `if`, so it
//! waits at most once. (A spoiler for exercise 5.1: the book shows it inside
//! the hidden solution.) Its other use: it shows that the preemption bound of
//! the exercise's three-thread model still finds this bug.

use lab_support::capture;
use lab_support::model::{self, Model};

use crate::exercise_5_1_semaphore::{BOUND, Sem, three_threads_one_permit};
use crate::sync::{Condvar, Mutex, trace};

// ANCHOR: if_semaphore
/// A semaphore whose `acquire` waits with `if`.
#[derive(Debug)]
struct IfSemaphore {
    permits: Mutex<usize>,
    released: Condvar,
}

/// Gives its permit back when dropped.
struct IfPermit<'a>(&'a IfSemaphore);

impl IfSemaphore {
    fn acquire(&self) -> IfPermit<'_> {
        let mut permits = self.permits.lock().unwrap();
        if *permits == 0 {
            trace!("finds no permit; waits");
            permits = self.released.wait(permits).unwrap();
            trace!("wakes up; {} free", *permits);
        }
        let Some(left) = permits.checked_sub(1) else {
            panic!("woke up to no free permit: another thread took it");
        };
        *permits = left;
        trace!("takes a permit; {} free", *permits);
        IfPermit(self)
    }
}

impl Drop for IfPermit<'_> {
    fn drop(&mut self) {
        let mut permits = self.0.permits.lock().unwrap();
        *permits += 1;
        trace!("gives a permit back; {} free; notify_one", *permits);
        self.0.released.notify_one();
    }
}
// ANCHOR_END: if_semaphore

impl Sem for IfSemaphore {
    fn with_permits(permits: usize) -> Self {
        IfSemaphore {
            permits: Mutex::new(permits),
            released: Condvar::new(),
        }
    }
    fn hold(&self) -> impl Drop + '_ {
        self.acquire()
    }
    fn available(&self) -> usize {
        *self.permits.lock().unwrap()
    }
}

// ANCHOR: if_test
#[test]
fn loom_tempting_semaphore_with_if_is_caught() {
    let failure = Model::new()
        .preemption_bound(BOUND)
        .find_violation(three_threads_one_permit::<IfSemaphore>);
    assert!(failure.message.contains("no free permit"), "{failure}");
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "05-semaphores/captured/loom-tempting-semaphore.txt",
        &failure.to_string(),
    );
}
// ANCHOR_END: if_test

/// Which bounds find the `if`, for the book's table. By hand it needs two
/// preemptions (the book's exercise 5.1 solution counts them), so no search
/// under bound 1 can find it.
#[test]
fn loom_the_bound_used_still_finds_the_if() {
    let search = model::search_bounds(&[Some(1), Some(BOUND)], "it", || {
        three_threads_one_permit::<IfSemaphore>()
    });
    search.passed(Some(1));
    search.found(Some(BOUND));
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "05-semaphores/captured/loom-tempting-semaphore-bounds.txt",
        &search.to_string(),
    );
}
