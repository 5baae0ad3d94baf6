//! The kernel's ways and the processes way agree with the sequential one.

use lab_08::kernel::{blocks, hand_split, sequential, steps, with_rayon};
use lab_08::processes::{self, CHILD, child_main, collatz_in_processes};
use lab_support::watchdog::watchdog;

/// The lab's own binary, which the processes way starts as children.
fn exe() -> std::path::PathBuf {
    env!("CARGO_BIN_EXE_lab-08").into()
}

#[test]
fn threads_steps_counts_a_known_sequence() {
    // 6, 3, 10, 5, 16, 8, 4, 2, 1: eight steps.
    assert_eq!(steps(6), 8);
    assert_eq!(steps(1), 0);
    assert_eq!(steps(27), 111);
}

#[test]
fn threads_blocks_cover_the_numbers_once_in_order() {
    for (n, parts) in [(10, 3), (1, 4), (100, 1), (7, 7)] {
        let all: Vec<u64> = blocks(n, parts).into_iter().flatten().collect();
        assert_eq!(all, (1..=n).collect::<Vec<_>>(), "n {n}, parts {parts}");
    }
}

#[test]
fn threads_every_way_of_the_kernel_agrees() {
    watchdog(|| {
        let want = sequential(1..=20_000);
        assert_eq!(with_rayon(1..=20_000), want);
        for threads in [1, 2, 3, 8] {
            assert_eq!(hand_split(20_000, threads), want, "{threads} threads");
        }
        for children in [1, 3] {
            let got = collatz_in_processes(&exe(), 20_000, children).expect("children run");
            assert_eq!(got, want, "{children} processes");
        }
    });
}

#[test]
fn threads_a_child_refuses_arguments_it_does_not_know() {
    let e = child_main(&["collatz".to_owned()]).unwrap_err();
    assert!(e.contains("collatz FIRST LAST"), "{e}");
    let out = std::process::Command::new(exe())
        .args([CHILD, "bogus"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("error: "));
}

#[test]
fn threads_an_empty_child_starts_and_ends() {
    watchdog(|| {
        let peak = processes::empty_child(&exe()).expect("the child runs");
        if cfg!(target_os = "linux") {
            assert!(peak.is_some_and(|k| k > 0), "{peak:?}");
        }
    });
}

#[test]
fn threads_the_memory_of_waiting_threads_can_be_read() {
    let per_thread = watchdog(|| processes::memory_per_waiting_thread_kib(8));
    if cfg!(target_os = "linux") {
        assert!(per_thread.is_some_and(|k| k >= 0.0), "{per_thread:?}");
    }
}

/// A child that crashes takes only itself down: the parent sees how it
/// ended and goes on.
#[test]
fn threads_a_crashing_child_is_reported_and_the_parent_goes_on() {
    let status = watchdog(|| processes::crashing_child(&exe()).expect("the child starts"));
    assert!(!status.success(), "{status}");
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(6), "SIGABRT: {status}");
    }
    // And the parent can still start children and add up what they say.
    let got = watchdog(|| collatz_in_processes(&exe(), 1_000, 2).expect("children run"));
    assert_eq!(got, sequential(1..=1_000));
}
