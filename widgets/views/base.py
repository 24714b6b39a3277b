"""What every role view shares: the workspace, the person, background loads.

A view loads its data with :func:`widgets.tasks.start_task`; the result comes
back on the main thread. Failures leave through :attr:`View.failed` so that the
main window shows them in its one place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)
from shiboken6 import isValid

from app.admin.roles import Actor
from app.workspace import OpenWorkspace
from widgets.tasks import Task, start_task

__all__ = ["View", "fill_table", "make_table", "short_hash"]


class View(QWidget):
    """A role's screen; subclasses implement :meth:`fetch` and :meth:`show_data`."""

    failed = Signal(object)
    loaded = Signal()

    def __init__(self, opened: OpenWorkspace, actor: Actor, lang: str) -> None:
        super().__init__()
        self.opened = opened
        self.actor = actor
        self.lang = lang
        self.is_loaded = False
        self._tasks: list[Task] = []

    def run(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_failed: Callable[[Exception], None] | None = None,
    ) -> None:
        """Run ``work`` in the background; ``on_done`` gets its result.

        A failure is handed to ``on_failed`` (to tidy up the view) and then
        leaves through :attr:`failed` to be shown.
        """
        holder: list[Task] = []

        # A view closed while its work ran (the person switched) ignores it.
        def done(result: Any) -> None:
            if not isValid(self):
                return
            self._forget(holder)
            on_done(result)

        def failed(exc: Exception) -> None:
            if not isValid(self):
                return
            self._forget(holder)
            if on_failed is not None:
                on_failed(exc)
            self.failed.emit(exc)

        holder.append(start_task(work, done, failed, owner=self))
        self._tasks.extend(holder)

    def _forget(self, holder: list[Task]) -> None:
        for task in holder:
            if task in self._tasks:
                self._tasks.remove(task)

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def load(self) -> None:
        self.is_loaded = False
        self.run(self.fetch, self._show)

    def _show(self, data: Any) -> None:
        self.show_data(data)
        self.is_loaded = True
        self.loaded.emit()

    def fetch(self) -> Any:
        """Read the view's data; runs on a background thread."""
        raise NotImplementedError

    def show_data(self, data: Any) -> None:
        """Put the data on screen; runs on the main thread."""
        raise NotImplementedError


def make_table(headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(
        QHeaderView.ResizeMode.ResizeToContents
    )
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fill_table(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))


def short_hash(value: str | None) -> str:
    return "" if not value else f"{value[:12]}…"
