#!/usr/bin/env python3
"""Lab 9's Python companion: many jobs that each wait, as asyncio tasks or as
threads, timed and weighed, for appendix A (asyncio and tokio).

    python3 many_waits.py [--most-alive] WAY COUNT WAIT_MS
    python3 many_waits.py --table

WAY is one of:

  asyncio   COUNT coroutines, each a task in one asyncio.TaskGroup, each
            awaiting asyncio.sleep(WAIT_MS / 1000) once;
  threads   COUNT threading.Thread, each calling time.sleep(WAIT_MS / 1000)
            once, all started, then all joined;
  baseline  nothing at all: the interpreter with this script's imports, so a
            caller can subtract its memory from the other ways'.

It prints one line, `seconds,peak_rss_bytes`: the seconds (time.perf_counter)
from just before the first task or thread starts to just after the last one
has finished, and the process's peak resident set, VmHWM in /proc/self/status,
in bytes. With --most-alive, a third field follows: the most tasks or threads
that existed at once (see most_alive below). The event loop is made before
the clock starts, as in lab 1's companion. The peak is the peak of the process's whole life, so measure each
way and count in a process of its own; `--table` does that, one child process
per row.

The threads sleep because sleeping is what is measured: a thread that waits
for a timer, beside a task that waits for one. Nothing is synchronised by it.
The Rust command of lab 9 (`tasks-vs-threads`) does the same with
std::thread::sleep and tokio::time::sleep. A threading.Barrier (or an Event
set once every thread has started) would keep all COUNT threads alive at
once, but it would time something else: each job's wait would begin only
when the last thread had started, not when its own thread did. So the
threads sleep, and --most-alive says how many of them overlapped: Thread.start()
returns only once the new thread runs, so starting thousands of them can take
longer than the wait, and the first ones finish before the last ones start.

Bad arguments: a one-line error on stderr and exit status 2. A failure while
running (a thread that cannot start, no /proc/self/status): a one-line error
and status 1. Needs Python 3.11 or later (asyncio.TaskGroup came in 3.11).
Standard library only.
"""

import asyncio
import subprocess
import sys
import threading
import time

USAGE = ("usage: many_waits.py [--most-alive] WAY COUNT WAIT_MS "
         "(WAY: asyncio, threads, baseline) | --table")

# What `--table` runs: each (way, count) in a child process of its own, each
# job waiting TABLE_WAIT_MS. Threads stop at 10,000: each is an OS thread,
# and this machine's limits (pid_max, vm.max_map_count) allow some tens of
# thousands in all.
TABLE_WAIT_MS = 100
TABLE_ROWS = [("asyncio", 100), ("asyncio", 1_000), ("asyncio", 10_000), ("asyncio", 100_000),
              ("threads", 100), ("threads", 1_000), ("threads", 10_000)]
# Baseline runs, whose median is subtracted: the baseline varies by some tens
# of kilobytes from one run to the next.
BASELINE_RUNS = 3


class Failed(Exception):
    """A failure while running: status 1."""


def peak_rss_bytes():
    """The process's peak resident set so far: VmHWM, which Linux gives in kB."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError as e:
        raise Failed(f"cannot read /proc/self/status (Linux only): {e}") from e
    raise Failed("no VmHWM line in /proc/self/status")


# ANCHOR: asyncio_way
async def wait_once(seconds):
    await asyncio.sleep(seconds)


async def asyncio_way(count, seconds):
    start = time.perf_counter()
    async with asyncio.TaskGroup() as group:
        for _ in range(count):
            group.create_task(wait_once(seconds))
        # No task has run yet: they start when this coroutine next awaits,
        # so here all of them exist at once.
        most_alive = len(asyncio.all_tasks()) - 1
    # Leaving the `async with` waits for every task in the group.
    return time.perf_counter() - start, most_alive
# ANCHOR_END: asyncio_way


# ANCHOR: threads_way
def threads_way(count, seconds):
    threads = [threading.Thread(target=time.sleep, args=(seconds,)) for _ in range(count)]
    most_alive = 0
    start = time.perf_counter()
    for n, thread in enumerate(threads):
        try:
            thread.start()  # returns once the new thread is running
        except RuntimeError as e:  # "can't start new thread": an OS limit
            for started in threads[:n]:
                started.join()
            raise Failed(f"threads: thread {n + 1} of {count} did not start: {e}") from e
        # The threads started so far and not yet finished (less this one).
        most_alive = max(most_alive, threading.active_count() - 1)
    for thread in threads:
        thread.join()
    return time.perf_counter() - start, most_alive
# ANCHOR_END: threads_way


def run_way(way, count, wait_ms):
    """Runs one way; returns (seconds, peak_rss_bytes, most_alive)."""
    seconds = wait_ms / 1000
    if way == "asyncio":
        # asyncio.run makes the event loop before the coroutine, so before the clock.
        elapsed, most_alive = asyncio.run(asyncio_way(count, seconds))
    elif way == "threads":
        elapsed, most_alive = threads_way(count, seconds)
    else:
        elapsed, most_alive = 0.0, 0
    return elapsed, peak_rss_bytes(), most_alive


def parse_args(args):
    """(way, count, wait_ms) from the command line, or ValueError with the reason."""
    if len(args) != 3:
        raise ValueError(f"expected 3 arguments, got {len(args)}")
    way, count, wait_ms = args
    if way not in ("asyncio", "threads", "baseline"):
        raise ValueError(f"unknown WAY {way!r}")
    if not (count.isascii() and count.isdecimal()) or int(count) < 1:
        raise ValueError(f"COUNT must be a positive integer, got {count!r}")
    if not (wait_ms.isascii() and wait_ms.isdecimal()):
        raise ValueError(f"WAIT_MS must be a whole number of milliseconds (0 or more), got {wait_ms!r}")
    return way, int(count), int(wait_ms)


def child(way, count, wait_ms):
    """Runs one way in a fresh interpreter; returns (seconds, peak_rss_bytes, most_alive)."""
    done = subprocess.run([sys.executable, __file__, "--most-alive", way, str(count), str(wait_ms)],
                          capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise Failed(f"{way} {count}: {done.stderr.strip() or f'exit status {done.returncode}'}")
    seconds, peak, most_alive = done.stdout.strip().split(",")
    return float(seconds), int(peak), int(most_alive)


def table():
    """Every row of TABLE_ROWS, each in a child process, less the baseline."""
    baselines = sorted(child("baseline", 1, 0)[1] for _ in range(BASELINE_RUNS))
    baseline = baselines[len(baselines) // 2]
    wait = TABLE_WAIT_MS / 1000
    v = sys.version_info
    print(f"Python {v.major}.{v.minor}.{v.micro} ({sys.implementation.name}); "
          f"every job waits {TABLE_WAIT_MS} ms once; each row is one run in a process of its own")
    print(f"bytes: the process's peak resident set (VmHWM) less the baseline's, "
          f"{baseline} bytes (the median of {BASELINE_RUNS} runs that start nothing)")
    print("bytes_per_item: bytes / count")
    print("x_wait: seconds / the wait; 1.00 would be every job started and finished at no cost")
    print("most_alive: the most tasks, or threads, that existed at once (threads: as "
          "threading.active_count() saw it after each start)")
    print()
    header = ("way", "count", "seconds", "bytes", "bytes_per_item", "x_wait", "most_alive")
    rows = []
    for way, count in TABLE_ROWS:
        seconds, peak, most_alive = child(way, count, TABLE_WAIT_MS)
        extra = peak - baseline
        rows.append((way, str(count), f"{seconds:.3f}", str(extra),
                     str(round(extra / count)), f"{seconds / wait:.2f}", str(most_alive)))
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, *rows]:
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]
        print("  ".join(cells))


def main(args):
    if sys.version_info < (3, 11):
        print("many_waits.py needs Python 3.11 or later (asyncio.TaskGroup), "
              f"this is {sys.version.split()[0]}", file=sys.stderr)
        return 1
    try:
        if args == ["--table"]:
            table()
            return 0
        most_alive_wanted = args[:1] == ["--most-alive"]
        try:
            way, count, wait_ms = parse_args(args[1:] if most_alive_wanted else args)
        except ValueError as e:
            print(f"many_waits.py: {e}; {USAGE}", file=sys.stderr)
            return 2
        seconds, peak, most_alive = run_way(way, count, wait_ms)
        print(f"{seconds:.6f},{peak}" + (f",{most_alive}" if most_alive_wanted else ""))
        return 0
    except (Failed, subprocess.TimeoutExpired) as e:
        print(f"many_waits.py: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
