"""Jobs run at the same moment, for the concurrency tests: each in a thread or a spawned
process of its own, all released together by a barrier; any failure fails the test, and a
deadlock fails it after TIMEOUT instead of hanging it."""

from __future__ import annotations

import multiprocessing
import queue
import threading
import traceback
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

TIMEOUT = 30.0  # seconds; a deadlock fails the test instead of hanging it


def in_threads(jobs: Sequence[Callable[[], T]]) -> list[T]:
    """Run every job in a thread of its own, all released together; re-raise any failure."""
    barrier = threading.Barrier(len(jobs))
    lock = threading.Lock()
    done: list[T] = []
    errors: list[Exception] = []

    def worker(job: Callable[[], T]) -> None:
        try:
            barrier.wait(timeout=TIMEOUT)
            result = job()
        except Exception as error:  # collected here, raised in the test's thread below
            barrier.abort()
            with lock:
                errors.append(error)
        else:
            with lock:
                done.append(result)

    threads = [
        threading.Thread(target=worker, args=(job,), name=f"worker-{i}", daemon=True)
        for i, job in enumerate(jobs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert [t.name for t in threads if t.is_alive()] == []
    if errors:
        raise ExceptionGroup(f"{len(errors)} of {len(jobs)} threads failed", errors)
    return done


def _process_main(job: Callable[..., Any], args: tuple[Any, ...], barrier: Any, out: Any) -> None:
    """Body of a spawned process: report ``job(barrier, *args)`` or its traceback."""
    try:
        out.put((args, job(barrier, *args), None))
    except BaseException:
        out.put((args, None, traceback.format_exc()))


def in_processes(job: Callable[..., R], calls: Sequence[tuple[Any, ...]]) -> list[R]:
    """Run ``job(barrier, *args)`` for each args in a spawned process; fail on any error.

    ``job`` must be a module-level function (spawned processes import it by name) and
    call ``barrier.wait(TIMEOUT)`` where the processes should start racing.
    """
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(calls))
    out = context.Queue()
    processes = [
        context.Process(target=_process_main, args=(job, args, barrier, out), name=f"worker-{i}")
        for i, args in enumerate(calls)
    ]
    for process in processes:
        process.start()
    reports: list[tuple[tuple[Any, ...], R | None, str | None]] = []
    try:
        for _ in processes:
            reports.append(out.get(timeout=TIMEOUT))
    except queue.Empty:
        pass  # the assertions below say which process did not report
    finally:
        for process in processes:
            process.join(TIMEOUT)
            if process.is_alive():
                process.kill()
                process.join()
        out.close()
        out.join_thread()
    assert [(args, error) for args, _, error in reports if error is not None] == []
    assert sorted(args for args, _, _ in reports) == sorted(calls)
    assert [p.exitcode for p in processes] == [0] * len(calls)
    return [result for _, result, _ in reports if result is not None]
