#!/usr/bin/env python3
"""Lab 1's Python companion: the same two jobs as the Rust measure command,
run with the Python standard library's four ways, for the book's appendix A.

    python3 companion.py --port P [--requests N] [--latency-ms MS]
                         [--primes-below N] [--chunks N] [--workers W] [--json]

The I/O job sends requests `GET <id>` to the Rust server on 127.0.0.1:P (the
Rust command `cargo run --release -p lab-01 -- --python` starts it and runs
this script), which waits the latency and replies `<id> <id*id>`. The CPU job
counts the primes below a bound by the same trial division as the Rust lab.
Pure Python computes far more slowly than Rust: its bound is smaller, so
compare the speed-ups, not the times.

Ways: sequential; threading (threads: one per request, or a pool of W for
computing); asyncio (one thread, one task per request or chunk);
multiprocessing (a pool of W processes). After one untimed warm-up round at a
small size, each way runs once, in that order. Every result is checked.
Standard library only. Progress goes to stderr, results to stdout.
"""

import argparse
import asyncio
import json
import math
import os
import platform
import socket
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from functools import partial

HOST = "127.0.0.1"

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


def fetch(port, request_id):
    """One request, blocking: the thread sleeps in the OS until the reply."""
    with socket.create_connection((HOST, port)) as sock:
        sock.sendall(f"GET {request_id}\n".encode())
        with sock.makefile("r") as reply:
            return check_reply(request_id, reply.readline())


async def fetch_async(port, request_id):
    """The same request as a coroutine: at each await the event loop runs others."""
    reader, writer = await asyncio.open_connection(HOST, port)
    writer.write(f"GET {request_id}\n".encode())
    await writer.drain()
    line = (await reader.readline()).decode()
    writer.close()
    await writer.wait_closed()
    return check_reply(request_id, line)


def count_primes(chunk):
    """The primes in range(start, stop), by trial division (as in the Rust lab)."""
    start, stop = chunk
    return sum(1 for n in range(start, stop)
               if n >= 2 and all(n % d for d in range(2, math.isqrt(n) + 1)))


def chunk_ranges(below, chunks):
    return [(below * i // chunks, below * (i + 1) // chunks) for i in range(chunks)]


# The I/O job, four ways.

def io_sequential(port, requests, workers):
    return sum(fetch(port, i) for i in range(requests))


def io_threading(port, requests, workers):
    # One thread per request, as the Rust std threads way.
    with ThreadPoolExecutor(max_workers=max(requests, 1)) as pool:
        return sum(pool.map(partial(fetch, port), range(requests)))


def io_asyncio(port, requests, workers):
    async def main():
        return sum(await asyncio.gather(*(fetch_async(port, i) for i in range(requests))))
    return asyncio.run(main())


def io_multiprocessing(port, requests, workers):
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return sum(pool.map(partial(fetch, port), range(requests)))


# The CPU job, four ways.

def cpu_sequential(below, chunks, workers):
    return sum(map(count_primes, chunk_ranges(below, chunks)))


def cpu_threading(below, chunks, workers):
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return sum(pool.map(count_primes, chunk_ranges(below, chunks)))


def cpu_asyncio(below, chunks, workers):
    async def count(chunk):
        return count_primes(chunk)  # never awaits: runs to the end, alone

    async def main():
        return sum(await asyncio.gather(*(count(c) for c in chunk_ranges(below, chunks))))
    return asyncio.run(main())


def cpu_multiprocessing(below, chunks, workers):
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return sum(pool.map(count_primes, chunk_ranges(below, chunks)))


def gil_status():
    """'yes' on a standard CPython; 'no (free-threaded build)' where it is off."""
    is_enabled = getattr(sys, "_is_gil_enabled", None)
    if is_enabled is None:
        return "yes" if platform.python_implementation() == "CPython" else "none"
    return "yes" if is_enabled() else "no (free-threaded build)"


def warm_up(job, ways, args):
    """One untimed run of every way at a small size, before any is timed."""
    print(f"python {job}: warm-up round… ", end="", file=sys.stderr, flush=True)
    for _name, way in ways:
        way(*args)
    print("done", file=sys.stderr, flush=True)


def run_ways(job, ways, args, expected):
    """One timed run of each way, in the order given."""
    rows = []
    for name, way in ways:
        print(f"python {job}: {name}… ", end="", file=sys.stderr, flush=True)
        start = time.perf_counter()
        result = way(*args)
        seconds = time.perf_counter() - start
        print(f"done ({seconds:.3f} s)", file=sys.stderr, flush=True)
        if result != expected:
            sys.exit(f"python {job}, {name}: got {result}, not {expected}")
        rows.append({"way": name, "seconds": seconds, "result": result})
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True, help="the Rust server's port")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--latency-ms", type=int, default=10,
                        help="the server's wait (set by the Rust command; shown only)")
    parser.add_argument("--primes-below", type=int, default=300_000)
    parser.add_argument("--chunks", type=int, default=64)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", action="store_true", help="print JSON (the Rust command reads it)")
    args = parser.parse_args()

    io_expected = sum(answer(i) for i in range(args.requests))
    io_ways = [
        ("sequential", io_sequential),
        ("threading", io_threading),
        ("asyncio (1 thread)", io_asyncio),
        ("multiprocessing", io_multiprocessing),
    ]
    warm_up("I/O", io_ways, (args.port, min(args.requests, 8), args.workers))
    io_rows = run_ways("I/O", io_ways, (args.port, args.requests, args.workers), io_expected)

    primes_expected = KNOWN_PRIMES.get(args.primes_below)
    if primes_expected is None:
        primes_expected = count_primes((0, args.primes_below))
    cpu_ways = [
        ("sequential", cpu_sequential),
        ("threading", cpu_threading),
        ("asyncio (1 thread)", cpu_asyncio),
        ("multiprocessing", cpu_multiprocessing),
    ]
    warm_up("CPU", cpu_ways, (min(args.primes_below, 10_000), args.chunks, args.workers))
    cpu_rows = run_ways("CPU", cpu_ways, (args.primes_below, args.chunks, args.workers),
                        primes_expected)

    report = {
        "version": platform.python_version(),
        "implementation": platform.python_implementation(),
        "gil": gil_status(),
        "workers": args.workers,
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
        for job, rows in (("I/O", io_rows), ("CPU", cpu_rows)):
            for row in rows:
                speedup = rows[0]["seconds"] / row["seconds"]
                print(f"{job:4} {row['way']:20} {row['seconds']:8.3f} s {speedup:7.2f}x")


if __name__ == "__main__":
    main()
