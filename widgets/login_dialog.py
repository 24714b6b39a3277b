"""Logging in (登录): choose a person, give the password.

Token log-in comes later; the password check (argon2) runs in the background
because it is slow on purpose. The password is passed to the service and not
kept: the field is cleared after every attempt.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from app.admin.auth import login_password
from app.admin.people import Person, list_people
from app.admin.roles import Actor
from app.i18n import pick
from app.workspace import OpenWorkspace
from widgets.tasks import Task, start_task
from widgets.views.labels import roles_label

__all__ = ["LoginDialog"]

log = logging.getLogger(__name__)


class LoginDialog(QDialog):
    """Emits :attr:`logged_in` with the :class:`Actor`, :attr:`failed` with errors."""

    logged_in = Signal(object)
    failed = Signal(object)
    people_loaded = Signal()

    def __init__(
        self, opened: OpenWorkspace, lang: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.opened = opened
        self.lang = lang
        self._task: Task | None = None
        self.setWindowTitle(self.text("Log in", "登录"))
        self.person = QComboBox()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.note = QLabel(self.text("Loading people…", "正在读取人员…"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.login_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.login_button.setText(self.text("Log in", "登录"))
        self.login_button.setEnabled(False)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.text("Cancel", "取消"))
        self.setMinimumWidth(380)
        self.buttons.accepted.connect(self.log_in)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.text("Person", "人员"), self.person)
        form.addRow(self.text("Password", "密码"), self.password)
        form.addRow(self.note)
        form.addRow(self.buttons)
        self._task = start_task(
            lambda: list_people(opened.db),
            self._show_people,
            self._failed,
            owner=self,
        )

    def text(self, en: str, zh: str) -> str:
        return pick(self.lang, en, zh)

    def _show_people(self, people: list[Person]) -> None:
        self._task = None
        for p in people:
            if p.active and p.has_password:
                label = f"{p.name}（{roles_label(p.roles, self.lang)}）"
                self.person.addItem(label, p.name)
        ready = self.person.count() > 0
        self.login_button.setEnabled(ready)
        self.note.setText(
            ""
            if ready
            else self.text(
                "Nobody can log in with a password yet.", "尚无可用密码登录的人员。"
            )
        )
        self.people_loaded.emit()

    def choose(self, name: str) -> None:
        """Select the person called ``name``."""
        index = self.person.findData(name)
        if index < 0:
            raise KeyError(name)
        self.person.setCurrentIndex(index)

    def log_in(self) -> None:
        name = self.person.currentData()
        if name is None or self._task is not None:
            return
        password = self.password.text()
        self.password.clear()
        db = self.opened.db
        self.login_button.setEnabled(False)
        self.note.setText(self.text("Checking…", "正在验证…"))
        self._task = start_task(
            lambda: login_password(db, name, password),
            self._done,
            self._failed,
            owner=self,
        )

    def _done(self, actor: Actor) -> None:
        self._task = None
        self.note.clear()
        self.accept()
        self.logged_in.emit(actor)

    def _failed(self, exc: Exception) -> None:
        self._task = None
        self.login_button.setEnabled(self.person.count() > 0)
        self.note.clear()
        self.failed.emit(exc)
