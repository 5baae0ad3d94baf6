//! The tests of exercise 9.2 (your file: labs/lab-09/exercises/join_all.rs).
//!
//! Your `join_all` runs as one task on the lab's own executor
//! (src/executor.rs), which polls a task only when it is woken and counts
//! every poll. Each child waits for a trigger that the test fires, one at a
//! time, between calls to `run_until_idle`; so the test knows exactly how
//! many polls a right `join_all` gets (one at the start, one per child that
//! fires), and needs no timing.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

use lab_09::executor::{Executor, TaskHandle, Trigger, Triggered, block_on, trigger};
use lab_09::join_all::join_all;
use lab_support::exercise;

/// A child of the join: waits for its trigger, then returns its number. It
/// counts its polls, and fails the test if it is polled after `Ready`.
struct Child {
    number: usize,
    fired: Triggered,
    polls: Arc<AtomicUsize>,
    done: bool,
}

impl Future for Child {
    type Output = usize;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
        assert!(
            !self.done,
            "child {} was polled again after it returned Ready: a finished child must not be \
             polled again (set its slot to None once it is ready)",
            self.number
        );
        self.polls.fetch_add(1, Ordering::SeqCst);
        match Pin::new(&mut self.fired).poll(cx) {
            Poll::Ready(()) => {
                self.done = true;
                Poll::Ready(self.number)
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

/// `n` children, their triggers, and their poll counters.
fn children(n: usize) -> (Vec<Child>, Vec<Option<Trigger>>, Vec<Arc<AtomicUsize>>) {
    let mut kids = Vec::new();
    let mut fires = Vec::new();
    let mut polls = Vec::new();
    for number in 0..n {
        let (fire, fired) = trigger();
        let count = Arc::new(AtomicUsize::new(0));
        kids.push(Child {
            number,
            fired,
            polls: Arc::clone(&count),
            done: false,
        });
        fires.push(Some(fire));
        polls.push(count);
    }
    (kids, fires, polls)
}

/// Spawns `join_all(kids)` as a task; its output lands in the returned slot.
fn spawn_join(
    executor: &mut Executor,
    kids: Vec<Child>,
) -> (TaskHandle, Arc<Mutex<Option<Vec<usize>>>>) {
    let slot = Arc::new(Mutex::new(None));
    let out = Arc::clone(&slot);
    let task = executor.spawn("join_all", async move {
        let outputs = join_all(kids).await;
        *out.lock().unwrap() = Some(outputs);
    });
    (task, slot)
}

// ANCHOR: polls_test
/// One poll at the start, then one per child that fires: the task is
/// polled only when a child wakes it.
#[test]
fn exercise_9_2_the_join_is_polled_once_per_wake_up() {
    exercise!("9.2").run(|| {
        let mut executor = Executor::new();
        let (kids, mut fires, _) = children(5);
        let (task, _) = spawn_join(&mut executor, kids);
        executor.run_until_idle();
        for (n, number) in [3, 0, 4, 1, 2].into_iter().enumerate() {
            fires[number].take().unwrap().fire();
            executor.run_until_idle();
            let (polls, want) = (task.polls(), n + 2);
            let advice = if polls < want {
                "too few: a child could not wake the task; poll the children with the `cx` \
                 your poll was given"
            } else {
                "too many: something woke the task without a child being ready; return \
                 `Pending` without waking it yourself"
            };
            assert!(
                polls == want,
                "after child {number} fired (fire number {}), the join_all task had been polled \
                 {polls} times; it should have been {want}: polled once at the start and once \
                 after each wake-up. {advice}.",
                n + 1,
            );
        }
        assert!(
            task.is_finished(),
            "every child is ready: join_all must be Ready too"
        );
    });
}
// ANCHOR_END: polls_test

#[test]
fn exercise_9_2_outputs_come_in_the_children_order() {
    exercise!("9.2").run(|| {
        let mut executor = Executor::new();
        let (kids, fires, _) = children(6);
        let (task, slot) = spawn_join(&mut executor, kids);
        executor.run_until_idle();
        for fire in fires.into_iter().rev() {
            fire.unwrap().fire();
            executor.run_until_idle();
        }
        assert!(
            task.is_finished(),
            "every child is ready: join_all must be Ready too"
        );
        let outputs = slot.lock().unwrap().take();
        assert_eq!(
            outputs,
            Some(vec![0, 1, 2, 3, 4, 5]),
            "the outputs in the children's order, although they finished last to first"
        );
    });
}

#[test]
fn exercise_9_2_every_child_starts_at_the_first_poll() {
    exercise!("9.2").run(|| {
        let mut executor = Executor::new();
        let (kids, _fires, polls) = children(4);
        let (_task, _) = spawn_join(&mut executor, kids);
        executor.run_until_idle();
        for (number, count) in polls.iter().enumerate() {
            let count = count.load(Ordering::SeqCst);
            assert!(
                count == 1,
                "at the join's first poll, child {number} was polled {count} times; every \
                 child should have been polled once: poll all unfinished children each time, \
                 not only the first one"
            );
        }
    });
}

#[test]
fn exercise_9_2_a_finished_child_is_not_polled_again() {
    exercise!("9.2").run(|| {
        let mut executor = Executor::new();
        let (kids, mut fires, polls) = children(3);
        let (task, _) = spawn_join(&mut executor, kids);
        executor.run_until_idle();
        fires[0].take().unwrap().fire();
        executor.run_until_idle();
        fires[2].take().unwrap().fire();
        executor.run_until_idle();
        fires[1].take().unwrap().fire();
        executor.run_until_idle();
        assert!(task.is_finished());
        let counts: Vec<usize> = polls.iter().map(|c| c.load(Ordering::SeqCst)).collect();
        assert_eq!(
            counts,
            [2, 4, 3],
            "each child polled at every poll of the join until it was ready, and never after"
        );
    });
}

#[test]
fn exercise_9_2_no_children_is_ready_at_once() {
    exercise!("9.2").run(|| {
        let mut executor = Executor::new();
        let (task, slot) = spawn_join(&mut executor, Vec::new());
        executor.run_until_idle();
        assert!(
            task.is_finished(),
            "with no children, join_all is ready at its first poll"
        );
        assert_eq!(task.polls(), 1);
        assert_eq!(slot.lock().unwrap().take(), Some(Vec::new()));
    });
}

/// Any future will do as a child, also an `async` block (which cannot be
/// moved once polled: hence the boxes), and `block_on` runs the join while
/// another thread fires the triggers.
#[test]
fn exercise_9_2_joins_async_blocks_on_block_on() {
    exercise!("9.2").run(|| {
        let (fires, waits): (Vec<_>, Vec<_>) = (0..10).map(|_| trigger()).unzip();
        let firer = std::thread::spawn(move || fires.into_iter().rev().for_each(Trigger::fire));
        let futures = waits
            .into_iter()
            .zip(0..)
            .map(|(fired, number)| async move {
                fired.await;
                number * 10
            });
        let outputs = block_on(join_all(futures));
        firer.join().unwrap();
        assert_eq!(outputs, (0..10).map(|n| n * 10).collect::<Vec<u32>>());
    });
}

/// A waker that counts its wakes.
#[derive(Default)]
struct CountingWaker(AtomicUsize);

impl Wake for CountingWaker {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// Each poll passes on the `cx` it was given, not one kept from an earlier
/// poll: the test polls the join by hand, first with one waker, then with
/// another (as an executor may, when a task moves), and only the second may
/// be woken when the child fires.
#[test]
fn exercise_9_2_each_poll_passes_on_its_own_waker() {
    exercise!("9.2").run(|| {
        let (fire, fired) = trigger();
        let mut join = join_all(vec![fired]);
        let (first, second) = (
            Arc::new(CountingWaker::default()),
            Arc::new(CountingWaker::default()),
        );
        for waker in [&first, &second] {
            let waker = Waker::from(Arc::clone(waker));
            let poll = Pin::new(&mut join).poll(&mut Context::from_waker(&waker));
            assert!(poll.is_pending(), "the child has not fired yet");
        }
        fire.fire();
        let woken = (
            first.0.load(Ordering::SeqCst),
            second.0.load(Ordering::SeqCst),
        );
        assert!(
            woken == (0, 1),
            "the child woke the first poll's waker {} times and the second's {} times: pass \
             each poll's own `cx` to the children, never one kept from before",
            woken.0,
            woken.1
        );
    });
}
