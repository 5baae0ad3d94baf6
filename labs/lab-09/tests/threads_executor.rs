//! The executor and the timer of our own (src/executor.rs, src/timer.rs).
//!
//! Every wake-up here happens at a step the test chooses: a trigger fired,
//! or a manual clock moved on, between calls to `run_until_idle`. So the
//! number of polls of every task is known exactly, and the tests check it:
//! a task is polled once when spawned, then once per wake-up, never more.
//! The one test with a real timer thread checks only what holds however its
//! threads are scheduled: every sleeper finishes, polled at most twice.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Poll, Waker};
use std::time::Duration;

use lab_09::executor::{
    Countdown, Executor, Forgetful, TwoWaits, block_on, block_on_counting, trigger, two_waits,
};
use lab_09::timer::Clock;
use lab_support::capture;
use lab_support::watchdog::watchdog;

#[test]
fn threads_block_on_polls_a_countdown_once_per_wake() {
    watchdog(|| {
        let ((), polls) = block_on_counting(Countdown(3));
        assert_eq!(polls, 4, "three Pending, each after a wake, then Ready");
    });
}

/// Another thread fires the trigger: `block_on` sleeps until then, and polls
/// at most twice (once before the fire, perhaps, and once after), however
/// `park` behaves.
#[test]
fn threads_block_on_sleeps_until_another_thread_wakes_it() {
    watchdog(|| {
        let (fire, fired) = trigger();
        let firer = std::thread::spawn(move || fire.fire());
        let ((), polls) = block_on_counting(fired);
        firer.join().unwrap();
        assert!((1..=2).contains(&polls), "polled {polls} times");
        assert_eq!(block_on(async { 6 * 7 }), 42);
    });
}

// ANCHOR: n_tasks
/// 1,000 tasks each wait for a trigger that another thread fires, in reverse
/// order, while `run` sleeps between wake-ups: all finish, each polled
/// exactly twice (the first poll, and the one after its wake-up).
#[test]
fn threads_executor_runs_many_waiting_tasks_each_polled_only_when_woken() {
    watchdog(|| {
        let mut executor = Executor::new();
        let mut fires = Vec::new();
        let mut tasks = Vec::new();
        for i in 0..1_000 {
            let (fire, fired) = trigger();
            fires.push(fire);
            tasks.push(executor.spawn(&format!("t{i}"), fired));
        }
        executor.run_until_idle();
        assert!(tasks.iter().all(|t| t.polls() == 1 && !t.is_finished()));
        let firer = std::thread::spawn(move || fires.into_iter().rev().for_each(|f| f.fire()));
        executor.run();
        firer.join().unwrap();
        for task in &tasks {
            assert!(task.is_finished());
            assert_eq!(task.polls(), 2, "{task:?}");
        }
    });
}
// ANCHOR_END: n_tasks

// ANCHOR: two_wakes_test
/// Two wake-ups before the task's next poll put it in the queue once: the
/// task waits on three triggers, two fire before it runs again, and it is
/// polled once for both. (Were it queued twice, the second entry would poll
/// it again while it still waits on the third: three polls, not two.)
#[test]
fn threads_two_wakes_before_a_poll_make_one_poll() {
    watchdog(|| {
        let mut executor = Executor::new();
        let (fire_a, a) = trigger();
        let (fire_b, b) = trigger();
        let (fire_c, c) = trigger();
        let task = executor.spawn("three", async {
            futures::join!(a, b, c);
        });
        executor.run_until_idle();
        assert_eq!(task.polls(), 1);
        fire_a.fire();
        fire_b.fire();
        executor.run_until_idle();
        assert!(!task.is_finished(), "it still waits on the third trigger");
        assert_eq!(
            task.polls(),
            2,
            "two wakes before a poll must queue the task once, and poll it once"
        );
        fire_c.fire();
        executor.run_until_idle();
        assert!(task.is_finished());
        assert_eq!(task.polls(), 3);
    });
}
// ANCHOR_END: two_wakes_test

// ANCHOR: state_machine_test
/// The `async fn` and the state machine written by hand behave the same:
/// fired in order, three polls; the second trigger fired first (nobody waits
/// on it yet, so that wakes no one), two.
#[test]
fn threads_the_hand_written_state_machine_polls_like_the_async_fn() {
    watchdog(|| {
        for by_hand in [false, true] {
            for second_first in [false, true] {
                let mut executor = Executor::new();
                let ((fire_1, first), (fire_2, second)) = (trigger(), trigger());
                let task = if by_hand {
                    executor.spawn("machine", async {
                        assert_eq!(TwoWaits::new(first, second).await, "both fired");
                    })
                } else {
                    executor.spawn("async fn", async {
                        assert_eq!(two_waits(first, second).await, "both fired");
                    })
                };
                executor.run_until_idle();
                if second_first {
                    fire_2.fire();
                    executor.run_until_idle();
                    assert_eq!(task.polls(), 1, "nobody waits on the second yet");
                    fire_1.fire();
                } else {
                    fire_1.fire();
                    executor.run_until_idle();
                    assert_eq!(task.polls(), 2);
                    fire_2.fire();
                }
                executor.run_until_idle();
                assert!(task.is_finished());
                let want = if second_first { 2 } else { 3 };
                assert_eq!(task.polls(), want, "by hand: {by_hand}");
            }
        }
    });
}
// ANCHOR_END: state_machine_test

// ANCHOR: forgetful_test
/// Tempting: `Forgetful` keeps no waker. Its flag is set, but nothing wakes
/// its task, so the executor never polls it again: it waits for ever.
#[test]
fn threads_a_future_that_keeps_no_waker_is_never_polled_again() {
    watchdog(|| {
        let mut executor = Executor::new();
        let flag = Arc::new(AtomicBool::new(false));
        let task = executor.spawn("forgetful", Forgetful(Arc::clone(&flag)));
        executor.run_until_idle();
        flag.store(true, Ordering::Release);
        executor.run_until_idle();
        assert_eq!(task.polls(), 1);
        assert!(!task.is_finished());
        assert_eq!(executor.unfinished(), 1, "it would wait for ever in `run`");
    });
}
// ANCHOR_END: forgetful_test

/// A task that has finished is not polled again by a late wake-up: the
/// future keeps its waker and returns `Ready` at once; the test wakes the
/// finished task afterwards, and the executor only drops it from the queue.
#[test]
fn threads_a_late_wake_does_not_poll_a_finished_task() {
    watchdog(|| {
        let mut executor = Executor::new();
        let kept: Arc<Mutex<Option<Waker>>> = Arc::default();
        let slot = Arc::clone(&kept);
        let task = executor.spawn(
            "keeps its waker",
            std::future::poll_fn(move |cx| {
                *slot.lock().unwrap() = Some(cx.waker().clone());
                Poll::Ready(())
            }),
        );
        executor.run_until_idle();
        assert!(task.is_finished());
        assert_eq!(executor.unfinished(), 0);
        let waker = kept
            .lock()
            .unwrap()
            .take()
            .expect("the poll kept its waker");
        waker.wake(); // late: the task has finished
        executor.run_until_idle();
        assert_eq!(task.polls(), 1, "a finished task is never polled again");
        assert_eq!(executor.unfinished(), 0);
    });
}

// ANCHOR: clock_test
/// The manual clock: sleepers wake exactly when the clock passes their
/// deadlines, and no task is polled while time stands still.
#[test]
fn threads_a_manual_clock_wakes_each_sleeper_at_its_deadline() {
    watchdog(|| {
        let clock = Clock::manual();
        let mut executor = Executor::new();
        let ms = Duration::from_millis;
        let short = executor.spawn("short", clock.sleep(ms(10)));
        let long = executor.spawn("long", clock.sleep(ms(30)));
        executor.run_until_idle();
        assert_eq!((short.polls(), long.polls(), clock.sleepers()), (1, 1, 2));
        assert_eq!(clock.advance(ms(9)), 0, "nobody is due at 9 ms");
        executor.run_until_idle();
        assert_eq!((short.polls(), long.polls()), (1, 1));
        assert_eq!(clock.advance(ms(1)), 1, "short is due at 10 ms");
        executor.run_until_idle();
        assert!(short.is_finished() && !long.is_finished());
        assert_eq!((short.polls(), long.polls()), (2, 1));
        assert_eq!(clock.advance(ms(100)), 1);
        executor.run_until_idle();
        assert!(long.is_finished());
        assert_eq!((long.polls(), clock.sleepers()), (2, 0));
    });
}
// ANCHOR_END: clock_test

/// A sleep dropped before its deadline takes its entry with it.
#[test]
fn threads_a_dropped_sleep_leaves_no_sleeper() {
    watchdog(|| {
        let clock = Clock::manual();
        let mut executor = Executor::new();
        let (fire, fired) = trigger();
        let sleep = clock.sleep(Duration::from_secs(60));
        let task = executor.spawn("race", async move {
            futures::pin_mut!(sleep);
            futures::future::select(sleep, fired).await;
        });
        executor.run_until_idle();
        assert_eq!(clock.sleepers(), 1);
        fire.fire();
        executor.run_until_idle();
        assert!(task.is_finished());
        assert_eq!(clock.sleepers(), 0);
    });
}

/// A real timer thread: three tasks sleep a few milliseconds of real time;
/// `run` sleeps until the timer thread wakes them. Real time passes here, so
/// the test checks only what holds however the threads are scheduled: every
/// sleeper finishes, and none is polled more than twice (once at the start,
/// and once after its wake; once only, if its deadline had passed already
/// when it was first polled).
#[test]
fn threads_a_timer_thread_wakes_sleepers_in_real_time() {
    watchdog(|| {
        let clock = Clock::manual();
        let _timer = clock.start_thread();
        let mut executor = Executor::new();
        let tasks: Vec<_> = (1..=3)
            .map(|i| executor.spawn(&format!("s{i}"), clock.sleep(Duration::from_millis(i))))
            .collect();
        executor.run();
        for task in &tasks {
            assert!(task.is_finished());
            assert!((1..=2).contains(&task.polls()), "{task:?}");
        }
        assert_eq!(clock.sleepers(), 0);
    });
}

// ANCHOR: traced
/// The run the book shows: two sleeps on a manual clock, and who is polled
/// at each step.
fn traced_run() -> String {
    let clock = Clock::manual();
    let mut executor = Executor::new();
    let ms = Duration::from_millis;
    let (c1, c2) = (clock.clone(), clock.clone());
    executor.spawn("tea", async move {
        c1.sleep(ms(30)).await;
    });
    executor.spawn("eggs", async move {
        c2.sleep(ms(10)).await;
        c2.sleep(ms(10)).await;
    });
    executor.note("spawned tea (30 ms) and eggs (10 ms, then 10 ms more)");
    executor.run_until_idle();
    while executor.unfinished() > 0 {
        let woken = clock.advance(ms(10));
        executor.note(format!(
            "clock at {:>2} ms: woke {woken} task(s)",
            clock.now().as_millis()
        ));
        executor.run_until_idle();
    }
    executor.note("every task finished");
    executor.take_log().join("\n") + "\n"
}
// ANCHOR_END: traced

#[test]
fn threads_traced_run_on_a_manual_clock() {
    let text = watchdog(traced_run);
    capture::check(
        env!("CARGO_MANIFEST_DIR"),
        "09-async-concurrency/captured/futures-traced-run.txt",
        &text,
    );
}
