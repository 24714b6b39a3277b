"""The one thread that owns a PKCS#11 module's sessions and calls.

Every call into a module runs on its :class:`TokenWorker`. Vendor modules and
SoftHSM are not safe to drive from several threads at once (SoftHSM through
python-pkcs11 crashes when two threads sign together, USB keys refuse a second
login), so requests from any thread are queued here and answered through
:class:`concurrent.futures.Future` objects, which asyncio code can await with
:func:`asyncio.wrap_future`.

Between requests the worker runs an optional periodic task, used to poll the
slot list for inserted and removed tokens.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

from hsm.errors import WorkerStoppedError

__all__ = ["TokenWorker", "WorkerStoppedError"]

log = logging.getLogger(__name__)

T = TypeVar("T")


class _Job:
    """A queued callable whose outcome is handed back to a waiting thread."""

    __slots__ = ("fn",)

    def __init__(self, fn: Callable[[], object]) -> None:
        self.fn = fn

    def run(self) -> None:
        raise NotImplementedError

    def fail(self, exc: BaseException) -> None:
        raise NotImplementedError


class _FutureJob(_Job):
    __slots__ = ("future",)

    def __init__(self, fn: Callable[[], object], future: Future[object]) -> None:
        super().__init__(fn)
        self.future = future

    def run(self) -> None:
        if not self.future.set_running_or_notify_cancel():
            return
        try:
            result = self.fn()
        except BaseException as exc:  # handed to the caller, never swallowed
            self.future.set_exception(exc)
        else:
            self.future.set_result(result)

    def fail(self, exc: BaseException) -> None:
        if self.future.set_running_or_notify_cancel():
            self.future.set_exception(exc)


class _WaitJob(_Job):
    """Lighter than a Future for a caller that blocks: one lock, no Condition.

    The queue hop is the layer's whole overhead per signature, so it is kept
    to a single lock release and acquire.
    """

    __slots__ = ("done", "error", "result")

    def __init__(self, fn: Callable[[], object]) -> None:
        super().__init__(fn)
        self.done = threading.Lock()
        self.done.acquire()
        self.result: object = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self.fn()
        except BaseException as exc:  # handed to the caller, never swallowed
            self.error = exc
        self.done.release()

    def fail(self, exc: BaseException) -> None:
        self.error = exc
        self.done.release()


class TokenWorker:
    """A dedicated thread running submitted callables one at a time, in order."""

    def __init__(
        self,
        name: str,
        *,
        periodic: Callable[[], None] | None = None,
        interval: float | None = None,
    ) -> None:
        self._name = name
        self._periodic = periodic
        self._interval = interval if periodic is not None else None
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._stopping = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"token-worker:{name}", daemon=True
        )
        self._thread.start()

    @property
    def name(self) -> str:
        """Name of the module this worker serves."""
        return self._name

    def on_worker(self) -> bool:
        """True when called from this worker's own thread."""
        return threading.current_thread() is self._thread

    def submit(self, fn: Callable[[], T]) -> Future[T]:
        """Queue ``fn`` for the worker; its result or exception lands in the future."""
        fut: Future[T] = Future()
        if self._stopping.is_set():
            fut.set_exception(WorkerStoppedError(self._name))
            return fut
        self._queue.put(_FutureJob(fn, fut))  # type: ignore[arg-type]
        return fut

    def call(self, fn: Callable[[], T], timeout: float | None = None) -> T:
        """Run ``fn`` on the worker and wait for it; runs inline on the worker.

        :raises TimeoutError: no result within ``timeout`` seconds; the call
            still runs later and its result is dropped.
        """
        if self.on_worker():
            return fn()
        if self._stopping.is_set():
            raise WorkerStoppedError(self._name)
        job = _WaitJob(fn)
        self._queue.put(job)
        if not job.done.acquire(timeout=-1 if timeout is None else timeout):
            raise TimeoutError(f"no answer from {self._name} within {timeout}s")
        if job.error is not None:
            raise job.error
        return job.result  # type: ignore[return-value]

    def stop(self, final: Callable[[], None] | None = None) -> None:
        """Run ``final`` on the worker, then end the thread after queued work."""
        if self._stopping.is_set():
            return
        if final is not None:
            self.submit(final)
        self._stopping.set()
        self._queue.put(None)
        if not self.on_worker():
            self._thread.join()

    def _run(self) -> None:
        next_tick = self._next_tick()
        while True:
            try:
                job = self._queue.get(timeout=self._wait(next_tick))
            except queue.Empty:
                pass
            else:
                if job is None:
                    break
                job.run()
            if next_tick is not None and time.monotonic() >= next_tick:
                self._tick()
                next_tick = self._next_tick()
        self._drain()

    @staticmethod
    def _wait(next_tick: float | None) -> float | None:
        if next_tick is None:
            return None
        return max(0.0, next_tick - time.monotonic())

    def _next_tick(self) -> float | None:
        if self._interval is None:
            return None
        return time.monotonic() + self._interval

    def _tick(self) -> None:
        assert self._periodic is not None
        try:
            self._periodic()
        except Exception:
            log.exception("periodic token task failed on %s", self._name)

    def _drain(self) -> None:
        while True:
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                return
            if job is not None:
                job.fail(WorkerStoppedError(self._name))
