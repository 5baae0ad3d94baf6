//! The tests of exercise 10.1 (your file: labs/lab-10/exercises/service.rs).
//! Each runs on a current-thread runtime with paused time, under the
//! watchdog, and checks one way of stalling without timing anything.

use super::paused;
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc as std_mpsc};
use std::thread::{self, ThreadId};
use std::time::Duration;

use lab_10::coordination::settle;
use lab_10::service::{Backend, Service};
use lab_support::exercise;
use tokio::sync::{mpsc, watch};

/// The test's backend. `fetch` of a gated key waits until the test opens
/// the gate; `verify`, if `checker` is set, asks an async task of the same
/// runtime for the checked value and waits for the answer, blocking its
/// thread: that can only work off the runtime's own thread. With
/// `held_verify`, `verify` of that one key says that it has started and then
/// blocks until the test lets it go.
struct TestBackend {
    gated: HashSet<u32>,
    gate: watch::Receiver<bool>,
    fetches: Arc<AtomicUsize>,
    runtime_thread: ThreadId,
    checker: Option<mpsc::Sender<(u64, std_mpsc::Sender<u64>)>>,
    held_verify: Option<HeldVerify>,
}

/// A `verify` that the test holds: of which key, how it tells the test that
/// it has started, and what it waits on until the test lets it go.
struct HeldVerify {
    key: u32,
    started: mpsc::UnboundedSender<()>,
    release: Mutex<std_mpsc::Receiver<()>>,
}

impl Backend for TestBackend {
    async fn fetch(&self, key: u32) -> u64 {
        self.fetches.fetch_add(1, Ordering::SeqCst);
        if self.gated.contains(&key) {
            let mut gate = self.gate.clone();
            gate.wait_for(|open| *open)
                .await
                .expect("the test keeps the gate");
        }
        u64::from(key) * 10
    }

    fn verify(&self, key: u32, raw: u64) -> u64 {
        if let Some(held) = self.held_verify.as_ref().filter(|held| held.key == key) {
            assert!(
                thread::current().id() != self.runtime_thread,
                "verify({key}) ran on the runtime's own thread, inside the task that called \
                 it, where it blocks every task. Run the blocking call where it may block \
                 (\"Blocking the runtime\", book/10-async-pitfalls/not-shown.md)."
            );
            held.started.send(()).expect("the test waits for it");
            let release = held.release.lock().unwrap();
            release.recv().expect("the test lets verify go");
            return raw + 1;
        }
        let Some(checker) = &self.checker else {
            return raw + 1;
        };
        assert!(
            thread::current().id() != self.runtime_thread,
            "verify({key}) ran on the runtime's own thread, inside the task that called it. \
             It blocks that thread until the checker (another task of the same runtime) \
             answers, and the checker cannot run while the thread is blocked: the service \
             would hang here for ever. Run the blocking call where it may block (see \
             \"Blocking the runtime\" on the page \"What shuttle cannot show\", \
             book/10-async-pitfalls/not-shown.md)."
        );
        let (answer, answered) = std_mpsc::channel();
        checker
            .blocking_send((raw, answer))
            .expect("the checker task runs");
        answered.recv().expect("the checker answers")
    }
}

/// What a test sets up: the service, the gate's sender, the fetch count.
struct Setup {
    service: Arc<Service<TestBackend>>,
    open_gate: watch::Sender<bool>,
    fetches: Arc<AtomicUsize>,
}

/// A service whose backend gates `gated` keys; with `checker`, its
/// `verify` waits for a checker task that this spawns (call it inside the
/// runtime).
fn setup(gated: &[u32], checker: bool) -> Setup {
    setup_holding(gated, checker, None)
}

/// The same, with `verify` of one key held by the test (see [`hold_verify`]).
fn setup_holding(gated: &[u32], checker: bool, held_verify: Option<HeldVerify>) -> Setup {
    let (open_gate, gate) = watch::channel(false);
    let fetches = Arc::new(AtomicUsize::new(0));
    let checker = checker.then(|| {
        let (tx, mut rx) = mpsc::channel::<(u64, std_mpsc::Sender<u64>)>(4);
        tokio::spawn(async move {
            while let Some((raw, answer)) = rx.recv().await {
                let _ = answer.send(raw + 1);
            }
        });
        tx
    });
    let backend = TestBackend {
        gated: gated.iter().copied().collect(),
        gate,
        fetches: Arc::clone(&fetches),
        runtime_thread: thread::current().id(),
        checker,
        held_verify,
    };
    Setup {
        service: Arc::new(Service::new(backend)),
        open_gate,
        fetches,
    }
}

/// A `verify` of `key` that the test holds: the receiver hears when it has
/// started, and a send on the sender (or its drop) lets it go.
fn hold_verify(
    key: u32,
) -> (
    HeldVerify,
    mpsc::UnboundedReceiver<()>,
    std_mpsc::Sender<()>,
) {
    let (started, has_started) = mpsc::unbounded_channel();
    let (let_go, release) = std_mpsc::channel();
    let held = HeldVerify {
        key,
        started,
        release: Mutex::new(release),
    };
    (held, has_started, let_go)
}

/// Lets every other task that can run take `turns` turns, and returns what
/// `step` gave if it finished meanwhile; `None` if it was still waiting.
///
/// This is for the one test in which a `verify` is in progress on tokio's
/// blocking pool: while a `spawn_blocking` call runs, tokio's paused clock
/// does not jump ahead (tokio 1.54, `src/runtime/blocking/schedule.rs`), so
/// a limit on the paused clock could not say "stuck" there. A `yield_now`
/// on a current-thread runtime lets each task that is ready run once before
/// this one runs again; a `get` of a cached key needs no wait at all, so one
/// turn is enough for it, and the test gives it more. The outcome does not
/// depend on timing: the held `verify` cannot finish until the test lets it.
async fn within_turns<T>(turns: usize, step: impl Future<Output = T>) -> Option<T> {
    let yields = async {
        for _ in 0..turns {
            tokio::task::yield_now().await;
        }
    };
    tokio::select! {
        biased;
        value = step => Some(value),
        () = yields => None,
    }
}

/// How long a paused-time limit is. It fires only when no task of the
/// runtime can run any more (the paused clock jumps only then, to the next
/// timer, and the tests have none shorter), so it means "stuck", never
/// "slow".
const STUCK: Duration = Duration::from_secs(3600);

// ANCHOR: blocking_test
/// `verify` blocks until a task of the same runtime answers: this passes
/// only if `get` runs it off the runtime's thread.
#[test]
fn exercise_10_1_verify_does_not_block_the_runtime() {
    exercise!("10.1").run(|| {
        paused().block_on(async {
            let s = setup(&[], true);
            assert_eq!(s.service.get(4).await, 41);
            assert_eq!(s.service.get(4).await, 41, "the second get is cached");
            assert_eq!(
                s.fetches.load(Ordering::SeqCst),
                1,
                "key 4 was fetched once"
            );
        });
    });
}
// ANCHOR_END: blocking_test

// ANCHOR: lock_test
/// Key 2 is cached; key 1's fetch waits at a gate that the test opens only
/// later. A `get(2)` while `get(1)` waits must be answered from the cache.
#[test]
fn exercise_10_1_a_cached_key_is_answered_while_a_fetch_waits() {
    exercise!("10.1").run(|| {
        paused().block_on(async {
            let s = setup(&[1], false);
            assert_eq!(s.service.get(2).await, 21);
            let slow = tokio::spawn({
                let service = Arc::clone(&s.service);
                async move { service.get(1).await }
            });
            settle().await; // get(1) runs until its fetch waits at the gate
            let cached = tokio::time::timeout(STUCK, {
                let service = Arc::clone(&s.service);
                async move { service.get(2).await }
            })
            .await;
            assert_eq!(
                cached,
                Ok(21),
                "get(2), a cached key, was still waiting when no task could run any more: \
                 get(1) holds the cache's lock while it awaits its fetch"
            );
            s.open_gate.send(true).unwrap();
            assert_eq!(slow.await.unwrap(), 11);
        });
    });
}
// ANCHOR_END: lock_test

/// Key 2 is cached; key 1 is fetched at once, and its `verify` is held (on
/// tokio's blocking pool, where it belongs) until the test lets it go. A
/// `get(2)` meanwhile must be answered from the cache: a lock held across
/// `spawn_blocking(verify).await` makes it wait for the verify.
#[test]
fn exercise_10_1_a_cached_key_is_answered_while_a_verify_runs() {
    exercise!("10.1").run(|| {
        paused().block_on(async {
            let (held, mut has_started, let_go) = hold_verify(1);
            let s = setup_holding(&[], false, Some(held));
            assert_eq!(s.service.get(2).await, 21);
            let mut slow = tokio::spawn({
                let service = Arc::clone(&s.service);
                async move { service.get(1).await }
            });
            let started = tokio::time::timeout(STUCK, has_started.recv()).await;
            if started.is_err() && slow.is_finished() {
                match (&mut slow).await {
                    Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
                    other => panic!("get(1) ended before its verify started: {other:?}"),
                }
            }
            assert!(started.is_ok(), "get(1) never called verify(1)");
            let cached = within_turns(16, {
                let service = Arc::clone(&s.service);
                async move { service.get(2).await }
            })
            .await;
            let_go.send(()).expect("verify(1) waits");
            assert_eq!(
                cached,
                Some(21),
                "get(2), a cached key, was still waiting while verify(1) ran: get(1) holds \
                 the cache's lock while it awaits its verify"
            );
            assert_eq!(slow.await.unwrap(), 11);
        });
    });
}

/// Two keys whose fetches both wait at the gate: both fetches must have
/// started before the gate opens.
#[test]
fn exercise_10_1_two_fetches_wait_at_once() {
    exercise!("10.1").run(|| {
        paused().block_on(async {
            let s = setup(&[1, 3], false);
            let mut gets = tokio::task::JoinSet::new();
            for key in [1, 3] {
                let service = Arc::clone(&s.service);
                gets.spawn(async move { service.get(key).await });
            }
            settle().await; // every task runs until it waits
            let started = s.fetches.load(Ordering::SeqCst);
            s.open_gate.send(true).unwrap();
            let mut values = gets.join_all().await;
            values.sort_unstable();
            assert_eq!(
                started, 2,
                "only {started} fetch(es) had started while the others waited: a fetch \
                 holds the cache's lock while it awaits"
            );
            assert_eq!(values, [11, 31]);
        });
    });
}

/// Key 2 is cached; key 1's fetch waits at the gate; key 3's fetch does not,
/// so `get(3)` fetches, verifies and must then take the lock to insert. A
/// `get(2)` after all that must be answered from the cache. A read lock held
/// across the fetch fails here: `get(3)`'s write waits for `get(1)`'s read
/// guard, and tokio's `RwLock` lets no new reader in while a writer waits.
#[test]
fn exercise_10_1_a_cached_key_is_answered_while_an_insert_waits() {
    exercise!("10.1").run(|| {
        paused().block_on(async {
            let s = setup(&[1], false);
            assert_eq!(s.service.get(2).await, 21);
            let mut gets = tokio::task::JoinSet::new();
            for key in [1, 3] {
                let service = Arc::clone(&s.service);
                gets.spawn(async move { service.get(key).await });
            }
            settle().await; // get(1) waits at the gate; get(3) as far as it can go
            let cached = tokio::time::timeout(STUCK, {
                let service = Arc::clone(&s.service);
                async move { service.get(2).await }
            })
            .await;
            s.open_gate.send(true).unwrap();
            assert_eq!(
                cached,
                Ok(21),
                "get(2), a cached key, was still waiting when no task could run any more, \
                 while get(1)'s fetch waited at the gate and get(3), not gated, had had \
                 every chance to finish: a lock is held across get(1)'s fetch (a read lock \
                 too: get(3)'s write waits behind it, and a tokio RwLock then lets no new \
                 reader in)"
            );
            let mut values = gets.join_all().await;
            values.sort_unstable();
            assert_eq!(values, [11, 31]);
        });
    });
}

/// Many keys, asked twice each, with the blocking `verify`: every value is
/// right, and each key is fetched once when the gets come one at a time.
#[test]
fn exercise_10_1_every_value_is_checked_and_cached() {
    exercise!("10.1").run(|| {
        paused().block_on(async {
            let s = setup(&[], true);
            for round in 0..2 {
                for key in 0..20 {
                    assert_eq!(
                        s.service.get(key).await,
                        u64::from(key) * 10 + 1,
                        "round {round}"
                    );
                }
            }
            assert_eq!(s.fetches.load(Ordering::SeqCst), 20);
        });
    });
}
