#!/usr/bin/env python3
"""Lab 1's Python companion: the same two jobs as the Rust measure command,
run with the Python standard library's four ways, for the book's appendix A.

    python3 companion.py --port P [--requests N] [--latency-ms MS]
                         [--primes-below N] [--chunks N] [--workers W]
                         [--repeat N] [--timeout S] [--json]
    python3 companion.py --orders WAYS

The I/O job sends requests `GET <id>` to the Rust server on 127.0.0.1:P (the
Rust command `cargo run --release -p lab-01 -- --python` starts it and runs
this script), which waits the latency and replies `<id> <id*id>`. The CPU job
counts the primes below a bound by the same trial division as the Rust lab.
Pure Python computes far more slowly than Rust: its bound is smaller, so
compare the speed-ups, not the times.

Ways: sequential; threading (threads: one per request, or a pool of W for
computing); asyncio (one thread, one task per request or chunk);
multiprocessing (a pool of W processes). They are timed as the Rust half
times its ways: the pools, with every one of their workers started, and the
event loop exist before any clock starts; one untimed warm-up round at a
small size runs every way; then each of --repeat rounds runs every way
once, in the order round_order gives, and each way's time is its median.
Every result is checked, and every request has a time limit (TIMEOUT), as
in the Rust half, so that a stalled server ends the run with an error
instead of hanging it. Standard library only. Progress goes to stderr,
results to stdout. `--orders WAYS` prints the orders of the first 2 * WAYS
rounds as JSON, and nothing else: a test of the Rust lab compares them with
measure.rs's.
"""

import argparse
import asyncio
import json
import math
import multiprocessing as mp
import os
import platform
import socket
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from functools import partial
from threading import Barrier

HOST = "127.0.0.1"

# How long a client waits for the server (to connect, to send, to reply)
# before it gives up with an error, in seconds: by default 10, as TIMEOUT in
# src/io.rs, far more than any request should take. --timeout changes it (a
# test of the lab makes it short); so does init_worker, in each worker
# process. Also the limit on starting a pool's workers.
TIMEOUT = 10.0

# π(n) for a few n, to check the count against something other than itself.
KNOWN_PRIMES = {10: 4, 100: 25, 1_000: 168, 10_000: 1_229, 100_000: 9_592,
                200_000: 17_984, 300_000: 25_997, 500_000: 41_538,
                1_000_000: 78_498, 2_000_000: 148_933, 7_000_000: 476_648}


def answer(request_id):
    """What the server answers to request `request_id`."""
    return request_id * request_id


def check_reply(request_id, line):
    expected = f"{request_id} {answer(request_id)}"
    if line.rstrip("\n") != expected:
        raise ValueError(f"request {request_id}: expected {expected!r}, got {line!r}")
    return answer(request_id)


def timed_out(request_id):
    return TimeoutError(f"request {request_id}: no reply from the server within {TIMEOUT:g} s")


def fetch(port, request_id):
    """One request, blocking: the thread sleeps in the OS until the reply.
    The socket's timeout limits each step (the connect, each send and read),
    as the Rust fetch does."""
    try:
        with socket.create_connection((HOST, port), timeout=TIMEOUT) as sock:
            sock.sendall(f"GET {request_id}\n".encode())
            with sock.makefile("r") as reply:
                return check_reply(request_id, reply.readline())
    except TimeoutError:  # socket.timeout, an alias of it since 3.10
        raise timed_out(request_id) from None


async def fetch_async(port, request_id):
    """The same request as a coroutine: at each await the event loop runs
    others. wait_for limits the whole request, as tokio::time::timeout does
    in the Rust fetch_async (asyncio.timeout would too, but only from 3.11)."""
    async def request():
        reader, writer = await asyncio.open_connection(HOST, port)
        writer.write(f"GET {request_id}\n".encode())
        await writer.drain()
        line = (await reader.readline()).decode()
        writer.close()
        await writer.wait_closed()
        return check_reply(request_id, line)
    try:
        return await asyncio.wait_for(request(), TIMEOUT)
    except asyncio.TimeoutError:  # the same as TimeoutError since 3.11
        raise timed_out(request_id) from None


def count_primes(chunk):
    """The primes in range(start, stop), by trial division (as in the Rust lab)."""
    start, stop = chunk
    return sum(1 for n in range(start, stop)
               if n >= 2 and all(n % d for d in range(2, math.isqrt(n) + 1)))


def chunk_ranges(below, chunks):
    return [(below * i // chunks, below * (i + 1) // chunks) for i in range(chunks)]


def prime_count(below):
    """The number of primes below `below`: the known value, or counted once."""
    known = KNOWN_PRIMES.get(below)
    return known if known is not None else count_primes((0, below))


def io_ways(port, loop, processes):
    """The I/O job, four ways; each takes the number of requests. The event
    loop and the process pool are built beforehand, as in the Rust half."""
    def sequential(requests):
        return sum(fetch(port, i) for i in range(requests))

    def threading(requests):
        # One thread per request, started inside the timed part, as the Rust
        # std threads way starts its threads (it has no pool).
        with ThreadPoolExecutor(max_workers=max(requests, 1)) as pool:
            return sum(pool.map(partial(fetch, port), range(requests)))

    def asyncio_1_thread(requests):
        async def all_requests():
            return sum(await asyncio.gather(*(fetch_async(port, i) for i in range(requests))))
        return loop.run_until_complete(all_requests())

    def multiprocessing(requests):
        return sum(processes.map(partial(fetch, port), range(requests)))

    return [("sequential", sequential), ("threading", threading),
            ("asyncio (1 thread)", asyncio_1_thread), ("multiprocessing", multiprocessing)]


def cpu_ways(chunks, loop, threads, processes):
    """The CPU job, four ways; each takes the bound. The event loop and both
    pools are built beforehand, as in the Rust half."""
    def sequential(below):
        return sum(map(count_primes, chunk_ranges(below, chunks)))

    def threading(below):
        return sum(threads.map(count_primes, chunk_ranges(below, chunks)))

    def asyncio_1_thread(below):
        async def count(chunk):
            return count_primes(chunk)  # never awaits: runs to the end, alone

        async def all_chunks():
            return sum(await asyncio.gather(*(count(c) for c in chunk_ranges(below, chunks))))
        return loop.run_until_complete(all_chunks())

    def multiprocessing(below):
        return sum(processes.map(count_primes, chunk_ranges(below, chunks)))

    return [("sequential", sequential), ("threading", threading),
            ("asyncio (1 thread)", asyncio_1_thread), ("multiprocessing", multiprocessing)]


# The barrier at which a process pool's workers wait when they start (see
# start_every_worker); each worker process gets it from init_worker.
_start_barrier = None


def init_worker(barrier, timeout):
    """The process pool's initializer: runs in each worker process as it
    starts, which has not run main() and so has neither the start barrier
    nor --timeout."""
    global _start_barrier, TIMEOUT
    _start_barrier, TIMEOUT = barrier, timeout


def wait_at_start_barrier():
    _start_barrier.wait()


def start_every_worker(pool, wait_at_barrier, barrier, workers):
    """Makes `pool` start all its `workers` workers now. A concurrent.futures
    pool starts a worker only when a task finds none idle (a process pool on
    the fork start method starts them all at its first task), so a warm-up of
    tiny tasks could leave it with fewer workers than it should have in the
    timed rounds. Here each of `workers` tasks waits at `barrier` (of
    `workers + 1` parties, with a timeout) until all of them and this thread
    have arrived, so each needs a worker of its own."""
    tasks = [pool.submit(wait_at_barrier) for _ in range(workers)]
    barrier.wait()
    for task in tasks:
        task.result()


def gil_status():
    """'yes' or 'no (free-threaded build)' where Python can tell
    (sys._is_gil_enabled, since 3.13); else 'yes' on CPython, whose every
    build had a GIL before 3.13, and on PyPy, which has one (its FAQ says
    so); else 'unknown'."""
    is_enabled = getattr(sys, "_is_gil_enabled", None)
    if is_enabled is not None:
        return "yes" if is_enabled() else "no (free-threaded build)"
    if platform.python_implementation() in ("CPython", "PyPy"):
        return "yes"
    return "unknown"


def round_order(ways, rnd):
    """The order in which round `rnd` (from 0) runs `ways` ways: one row of a
    Williams design. This mirrors round_order in labs/lab-01/src/measure.rs,
    whose comment explains it; a test of the lab checks that the two agree."""
    n = max(ways, 1)
    if n % 2 == 0:
        shift, backwards = rnd % n, False
    else:
        shift, backwards = rnd // 2 % n, rnd % 2 == 1
    order = [(((k + 1) // 2 if k % 2 else (n - k // 2) % n) + shift) % n for k in range(ways)]
    return order[::-1] if backwards else order


def run_ways(job, ways, size, warm_up_size, repeat, expected_at):
    """Times every way as measure.rs's run_ways does: one untimed warm-up
    round at `warm_up_size`, then `repeat` rounds at `size`, each running
    every way once, in the order round_order gives. Checks every result
    against `expected_at(size)`; returns one row per way, with its median."""
    def check(name, at, result):
        if result != expected_at(at):
            sys.exit(f"python {job}, {name}: got {result}, not {expected_at(at)}")

    print(f"python {job}: warm-up round… ", end="", file=sys.stderr, flush=True)
    for name, way in ways:
        try:
            result = way(warm_up_size)
        except (OSError, ValueError) as e:
            sys.exit(f"python {job}, {name} (warm-up): {e}")
        check(name, warm_up_size, result)
    print("done", file=sys.stderr, flush=True)
    runs = [[] for _ in ways]
    results = [None for _ in ways]
    for rnd in range(repeat):
        for i in round_order(len(ways), rnd):
            name, way = ways[i]
            print(f"python {job}, round {rnd + 1}/{repeat}: {name}… ",
                  end="", file=sys.stderr, flush=True)
            start = time.perf_counter()
            try:
                result = way(size)
            except (OSError, ValueError) as e:  # a timeout, a refused connection, a wrong reply
                sys.exit(f"python {job}, {name}: {e}")
            seconds = time.perf_counter() - start
            print(f"done ({seconds:.3f} s)", file=sys.stderr, flush=True)
            check(name, size, result)
            runs[i].append(seconds)
            results[i] = result
    return [{"way": name, "seconds": statistics.median(times), "runs": times, "result": result}
            for (name, _), times, result in zip(ways, runs, results)]


def main():
    global TIMEOUT
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, help="the Rust server's port")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--latency-ms", type=int, default=10,
                        help="the server's wait (set by the Rust command; shown only)")
    parser.add_argument("--primes-below", type=int, default=300_000)
    parser.add_argument("--chunks", type=int, default=64)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3,
                        help="timed rounds; each way's median is shown (default 3)")
    parser.add_argument("--timeout", type=float, default=TIMEOUT,
                        help="seconds a request may wait for the server before it fails (default 10)")
    parser.add_argument("--json", action="store_true", help="print JSON (the Rust command reads it)")
    parser.add_argument("--orders", type=int, metavar="WAYS",
                        help="print the orders of the first 2 * WAYS rounds, and exit")
    args = parser.parse_args()
    if args.orders is not None:
        print(json.dumps([round_order(args.orders, r) for r in range(2 * args.orders)]))
        return
    if args.port is None:
        parser.error("--port is required")
    if args.repeat < 1:
        parser.error("--repeat takes a whole number from 1")
    if not args.timeout > 0:
        parser.error("--timeout takes a number of seconds above 0")
    TIMEOUT = args.timeout

    io_expected = sum(answer(i) for i in range(args.requests))
    primes_expected = prime_count(args.primes_below)
    warm_up_below = min(args.primes_below, 10_000)
    # Every pool, with all its workers started, and the event loop exist
    # before any clock starts, as in the Rust half.
    process_barrier = mp.get_context().Barrier(args.workers + 1, timeout=TIMEOUT)
    thread_barrier = Barrier(args.workers + 1, timeout=TIMEOUT)
    with ProcessPoolExecutor(max_workers=args.workers, initializer=init_worker,
                             initargs=(process_barrier, TIMEOUT)) as processes, \
            ThreadPoolExecutor(max_workers=args.workers) as threads:
        start_every_worker(processes, wait_at_start_barrier, process_barrier, args.workers)
        start_every_worker(threads, thread_barrier.wait, thread_barrier, args.workers)
        loop = asyncio.new_event_loop()
        try:
            io_rows = run_ways("I/O", io_ways(args.port, loop, processes),
                               args.requests, min(args.requests, 8), args.repeat,
                               lambda n: sum(answer(i) for i in range(n)))
            cpu_rows = run_ways("CPU", cpu_ways(args.chunks, loop, threads, processes),
                                args.primes_below, warm_up_below, args.repeat, prime_count)
        finally:
            loop.close()

    report = {
        "version": platform.python_version(),
        "implementation": platform.python_implementation(),
        "gil": gil_status(),
        "workers": args.workers,
        "repeat": args.repeat,
        "requests": args.requests,
        "latency_ms": args.latency_ms,
        "io_expected": io_expected,
        "io": io_rows,
        "primes_below": args.primes_below,
        "primes_expected": primes_expected,
        "cpu": cpu_rows,
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"Python {report['version']} ({report['implementation']}, GIL: {report['gil']})")
        print(f"times: median of {args.repeat} runs")
        for job, rows in (("I/O", io_rows), ("CPU", cpu_rows)):
            for row in rows:
                speedup = rows[0]["seconds"] / row["seconds"]
                print(f"{job:4} {row['way']:20} {row['seconds']:8.3f} s {speedup:7.2f}x")


if __name__ == "__main__":
    main()
