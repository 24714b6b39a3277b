"""Background tasks hand every result to the main thread, whoever drops them."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable

import pytest
import shiboken6
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from widgets import tasks
from widgets.tasks import start_task

pytestmark = pytest.mark.gui


def test_results_arrive_on_the_main_thread_after_tasks_are_dropped(
    qtbot: QtBot,
) -> None:
    results: list[tuple[int, str]] = []
    errors: list[Exception] = []

    def keep(value: int) -> None:
        results.append((value, threading.current_thread().name))
        if value % 25 == 0:
            gc.collect()

    def returning(n: int) -> Callable[[], int]:
        return lambda: n

    for n in range(200):
        # The caller keeps no reference: the task must live on by itself.
        start_task(returning(n), keep, errors.append)
    gc.collect()
    qtbot.waitUntil(lambda: len(results) == 200, timeout=20_000)
    assert sorted(v for v, _ in results) == list(range(200))
    assert {name for _, name in results} == {threading.main_thread().name}
    assert errors == []


def test_failures_arrive_as_exceptions(qtbot: QtBot) -> None:
    errors: list[Exception] = []

    def boom() -> None:
        raise ValueError("no")

    start_task(boom, lambda _r: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    assert isinstance(errors[0], ValueError)


def test_result_for_a_deleted_widget_is_dropped(qtbot: QtBot) -> None:
    owner = QLabel()
    gate = threading.Event()
    delivered: list[object] = []
    task = start_task(gate.wait, delivered.append, delivered.append, owner=owner)
    shiboken6.delete(owner)
    gate.set()
    qtbot.waitUntil(lambda: task not in tasks._running, timeout=10_000)
    assert delivered == []
