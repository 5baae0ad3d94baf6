#!/usr/bin/env python3
"""asyncio beside chapters 9 and 10, for appendix A (asyncio and tokio): each
piece the appendix compares with tokio, run once, printing what happened.

    python3 asyncio_pieces.py [--write DIR]

With --write, each part's output goes to DIR/asyncio-NAME.txt instead (NAME
as in PARTS), the files that appendix A includes:

    python3 labs/lab-09/python/asyncio_pieces.py --write book/appendix-a-python/captured

Each part prints what its tasks did, in the order they did it; no line
depends on how long anything took, only on the order of events, so the
output is the same from one run to the next. Needs Python 3.11 or later
(asyncio.TaskGroup and asyncio.timeout came in 3.11). Standard library only.
"""

import asyncio
import contextlib
import io
import os
import sys
import time

# The waits are short, and long enough apart that their order never depends
# on the machine's speed: SHORT always ends long before LONG.
SHORT = 0.01
LONG = 10.0


# ANCHOR: taskgroup
async def fails():
    await asyncio.sleep(SHORT)
    raise ValueError("fails: gave up")


async def sibling():
    try:
        await asyncio.sleep(LONG)
        print("  sibling: finished (never printed)")
    except asyncio.CancelledError:
        print("  sibling: CancelledError raised at its await")
        await asyncio.sleep(SHORT)  # cleaning up may await
        print("  sibling: cleaned up, and lets the CancelledError go on")
        raise


async def task_group():
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(fails())
            group.create_task(sibling())
        print("  after the group (never printed)")
    except* ValueError as errors:
        print(f"  the group raised {type(errors).__name__}: {errors.exceptions!r}")
# ANCHOR_END: taskgroup


# ANCHOR: timeout
async def timeout():
    try:
        async with asyncio.timeout(SHORT):
            await asyncio.sleep(LONG)
    except TimeoutError as e:
        print(f"  asyncio.timeout raised {type(e).__name__} (the built-in one)")
# ANCHOR_END: timeout


# ANCHOR: swallowed
async def swallowed():
    async with asyncio.timeout(SHORT):
        try:
            await asyncio.sleep(LONG)
        except asyncio.CancelledError:
            print("  the block caught the CancelledError and did not raise it again")
    print("  so no TimeoutError: the code after the block runs")
# ANCHOR_END: swallowed


# ANCHOR: cancel
async def refuses():
    try:
        await asyncio.sleep(LONG)
    except asyncio.CancelledError:
        print("  refuses: CancelledError raised at its await; it returns instead")
    return "a result after all"


async def cancel():
    task = asyncio.create_task(refuses())
    await asyncio.sleep(SHORT)
    print(f"  task.cancel() returned {task.cancel()}")
    result = await task
    print(f"  task.cancelled() is {task.cancelled()}, and its result is {result!r}")
# ANCHOR_END: cancel


# ANCHOR: first_completed
async def first_completed():
    quick = asyncio.create_task(asyncio.sleep(SHORT))
    slow = asyncio.create_task(asyncio.sleep(LONG))
    done, pending = await asyncio.wait({quick, slow}, return_when=asyncio.FIRST_COMPLETED)
    print(f"  done: quick {quick in done}; pending: slow {slow in pending}")
    print(f"  slow is still running: done() is {slow.done()}; cancel it yourself")
    slow.cancel()
# ANCHOR_END: first_completed


# ANCHOR: semaphore
async def semaphore():
    limit = asyncio.Semaphore(3)
    in_flight = most = 0

    async def job():
        nonlocal in_flight, most
        async with limit:
            in_flight += 1
            most = max(most, in_flight)
            await asyncio.sleep(SHORT)
            in_flight -= 1

    async with asyncio.TaskGroup() as group:
        for _ in range(10):
            group.create_task(job())
    print(f"  10 jobs, Semaphore(3): at most {most} held it at once")

    loose = asyncio.Semaphore(1)
    loose.release()  # one release too many: no error, now 2 can hold it
    async with asyncio.timeout(LONG):  # a wait here would be the surprise
        await loose.acquire()
        await loose.acquire()
    print("  Semaphore(1), one release() too many: then two acquire() went through at once")
    try:
        asyncio.BoundedSemaphore(1).release()
    except ValueError as e:
        print(f"  BoundedSemaphore(1).release() raised ValueError: {e}")
# ANCHOR_END: semaphore


# ANCHOR: event
async def event():
    ready = asyncio.Event()
    ready.set()  # set before anyone waits
    await ready.wait()
    print("  a wait() after set() returned at once")
    await ready.wait()
    print(f"  so did a second one: the event stays set (is_set() is {ready.is_set()})")
    ready.clear()
    print(f"  until clear(): is_set() is {ready.is_set()}")
# ANCHOR_END: event


# ANCHOR: blocking
async def blocking():
    ticks = 0

    async def ticker():
        nonlocal ticks
        while True:
            await asyncio.sleep(0)
            ticks += 1

    task = asyncio.create_task(ticker())
    await asyncio.sleep(0)  # let the ticker start
    before = ticks
    time.sleep(SHORT)  # blocks the event loop's one thread
    print(f"  ticks during time.sleep: {ticks - before}")
    before = ticks
    await asyncio.sleep(SHORT)  # gives the loop back
    print(f"  ticks during asyncio.sleep: more than 0 is {ticks - before > 0}")
    task.cancel()
# ANCHOR_END: blocking


# (name, title, part): `--write DIR` writes each part's output to
# DIR/asyncio-NAME.txt, the files appendix A includes.
PARTS = [("taskgroup", "TaskGroup: one task fails", task_group),
         ("timeout", "asyncio.timeout", timeout),
         ("swallowed", "asyncio.timeout, when the block swallows the cancellation", swallowed),
         ("cancel", "Task.cancel(), caught", cancel),
         ("first-completed", "asyncio.wait(FIRST_COMPLETED)", first_completed),
         ("semaphore", "Semaphore", semaphore),
         ("event", "Event", event),
         ("blocking", "Blocking the event loop", blocking)]


async def run_parts(write_to):
    v = sys.version_info
    version = f"Python {v.major}.{v.minor}.{v.micro}"
    if write_to is None:
        print(version)
    for name, title, part in PARTS:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            print(f"{title}:" if write_to is None else f"{title} ({version}):")
            await part()
        if write_to is None:
            print(f"\n{out.getvalue()}", end="")
        else:
            path = os.path.join(write_to, f"asyncio-{name}.txt")
            with open(path, "w") as file:
                file.write(out.getvalue())
            print(f"wrote {path}", file=sys.stderr)


def main(args):
    if sys.version_info < (3, 11):
        print("asyncio_pieces.py needs Python 3.11 or later (asyncio.TaskGroup, asyncio.timeout)",
              file=sys.stderr)
        return 1
    if args and (len(args) != 2 or args[0] != "--write" or not os.path.isdir(args[1])):
        print("usage: asyncio_pieces.py [--write DIR] (DIR: an existing folder)", file=sys.stderr)
        return 2
    asyncio.run(run_parts(args[1] if args else None))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
