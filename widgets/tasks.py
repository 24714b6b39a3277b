"""Background work for the GUI: run a function off the main thread.

The result or the error comes back to the main thread through a Qt signal, so
the window never waits on the token, the database, a PDF or the network.

Qt objects must be created and deleted on their own thread, and Python frees
an object on whichever thread drops the last reference. So the pool thread
touches no Qt object but one long-lived bridge, and the main thread, not the
pool thread, lets go of the work and the callbacks (which often hold windows
and views).

A task may name the widget it reports to (``owner``). When that widget has
been closed and deleted by the time the work finishes - a dialog cancelled
while it was still loading - the result is dropped instead of being handed
to a dead object.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QThreadPool, Signal

__all__ = ["Task", "start_task"]


class _Bridge(QObject):
    """Carries (task, succeeded, result or error) to the main thread."""

    finished = Signal(object, bool, object)


_bridge: _Bridge | None = None
_running: set[Task] = set()


class Task:
    """One call to ``work``; then ``on_done`` or ``on_failed``, on the main thread."""

    def __init__(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_failed: Callable[[Exception], None],
        owner: QObject | None = None,
    ) -> None:
        self._owner = owner
        self._work: Callable[[], Any] | None = work
        self._on_done: Callable[[Any], None] | None = on_done
        self._on_failed: Callable[[Exception], None] | None = on_failed

    def run(self) -> None:
        """Runs on a pool thread."""
        assert self._work is not None
        assert _bridge is not None
        try:
            result = self._work()
        except Exception as exc:  # handed to the main thread, shown there
            _bridge.finished.emit(self, False, exc)
            return
        _bridge.finished.emit(self, True, result)

    def _deliver(self, succeeded: bool, payload: Any) -> None:
        on_done, on_failed = self._on_done, self._on_failed
        self._work = self._on_done = self._on_failed = None
        _running.discard(self)
        owner, self._owner = self._owner, None
        if owner is not None and not shiboken6.isValid(owner):
            return
        if succeeded and on_done is not None:
            on_done(payload)
        elif not succeeded and on_failed is not None:
            on_failed(payload)


def _deliver(task: Task, succeeded: bool, payload: Any) -> None:
    task._deliver(succeeded, payload)


def start_task(
    work: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_failed: Callable[[Exception], None],
    owner: QObject | None = None,
    pool: QThreadPool | None = None,
) -> Task:
    """Start ``work`` in the pool; call this on the main thread.

    With ``owner``, the callbacks are skipped if that object is deleted first.
    ``pool`` runs work that may wait long (on a token in use, on the network)
    apart from the global pool, so that it never holds up the screens' reads.
    """
    global _bridge
    if _bridge is None:
        _bridge = _Bridge()
        _bridge.finished.connect(_deliver)
    task = Task(work, on_done, on_failed, owner)
    _running.add(task)
    (pool or QThreadPool.globalInstance()).start(task.run)
    return task
