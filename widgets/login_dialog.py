"""Logging in (登录): choose a person, then a password or a token and its PIN.

The password check (argon2) and the token log-in (the token signs a fresh
challenge, checked against the person's bound certificate) both run in the
background: one is slow on purpose, the other waits on the token. The tokens
present are listed in the background when the person chooses token log-in.

Password and PIN are handed to the service and not kept: both fields are
cleared after every attempt, and neither is ever logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)

from app.admin.auth import login_password
from app.admin.people import Person, list_people
from app.admin.roles import Actor
from app.admin.tokens import GivenPin, login_with_token, pin_locked, present_tokens
from app.workspace import OpenWorkspace
from widgets.dialog_buttons import ok_cancel_buttons
from widgets.tasks import Task, start_task
from widgets.views.labels import roles_label

if TYPE_CHECKING:
    from app.admin.tokens import TokenInfo

__all__ = ["LoginDialog"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Account:
    name: str
    has_password: bool
    has_certificate: bool


class LoginDialog(QDialog):
    """Emits :attr:`logged_in` with the :class:`Actor`, :attr:`failed` with errors."""

    logged_in = Signal(object)
    failed = Signal(object)
    people_loaded = Signal()
    tokens_loaded = Signal()

    def __init__(
        self, opened: OpenWorkspace, lang: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.opened = opened
        self.lang = lang
        self._task: Task | None = None
        self._token_task: Task | None = None
        self.accounts: dict[str, _Account] = {}
        self.tokens: list[TokenInfo] = []
        self.setWindowTitle(QCoreApplication.translate("LoginDialog", "Log in"))
        self.setMinimumWidth(420)
        self.person = QComboBox()
        self.person.currentIndexChanged.connect(self._person_changed)
        self.by_password = QRadioButton(
            QCoreApplication.translate("LoginDialog", "Password")
        )
        self.by_token = QRadioButton(
            QCoreApplication.translate("LoginDialog", "Token (USB key)")
        )
        self.by_password.setChecked(True)
        self.method = QButtonGroup(self)
        self.method.addButton(self.by_password)
        self.method.addButton(self.by_token)
        self.by_token.toggled.connect(self._method_changed)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.token = QComboBox()
        self.refresh_tokens = QPushButton(
            QCoreApplication.translate("LoginDialog", "Refresh")
        )
        self.refresh_tokens.clicked.connect(self.list_tokens)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText(
            QCoreApplication.translate("LoginDialog", "Token PIN")
        )
        self.note = QLabel(QCoreApplication.translate("LoginDialog", "Loading people…"))
        self.note.setWordWrap(True)
        self.buttons, self.login_button = ok_cancel_buttons(
            self, self.log_in, QCoreApplication.translate("LoginDialog", "Log in")
        )
        self.login_button.setEnabled(False)
        self._layout(form=QFormLayout(self))
        self._method_changed()
        self._task = start_task(
            lambda: list_people(opened.db),
            self._show_people,
            self._failed,
            owner=self,
        )

    def _layout(self, form: QFormLayout) -> None:
        methods = QHBoxLayout()
        methods.addWidget(self.by_password)
        methods.addWidget(self.by_token)
        methods.addStretch(1)
        token_row = QHBoxLayout()
        token_row.addWidget(self.token, 1)
        token_row.addWidget(self.refresh_tokens)
        form.addRow(QCoreApplication.translate("LoginDialog", "Person"), self.person)
        form.addRow(QCoreApplication.translate("LoginDialog", "Log in with"), methods)
        form.addRow(
            QCoreApplication.translate("LoginDialog", "Password"), self.password
        )
        form.addRow(QCoreApplication.translate("LoginDialog", "Token"), token_row)
        self._token_row = token_row
        form.addRow(QCoreApplication.translate("LoginDialog", "PIN"), self.pin)
        form.addRow(self.note)
        form.addRow(self.buttons)
        self.form = form

    # -- people --------------------------------------------------------------

    def _show_people(self, people: list[Person]) -> None:
        self._task = None
        for p in people:
            can_log_in = p.has_password or p.cert_sha256 is not None
            if not (p.active and can_log_in):
                continue
            self.accounts[p.name] = _Account(
                p.name, p.has_password, p.cert_sha256 is not None
            )
            self.person.addItem(f"{p.name}（{roles_label(p.roles)}）", p.name)
        self.note.setText(
            ""
            if self.person.count()
            else QCoreApplication.translate("LoginDialog", "Nobody can log in yet.")
        )
        self._update()
        self.people_loaded.emit()

    def _person_changed(self) -> None:
        """Someone without a password can only use their token."""
        account = self.accounts.get(self.person.currentData() or "")
        if account is not None and not account.has_password:
            self.by_token.setChecked(True)
        self._update()

    def choose(self, name: str) -> None:
        """Select the person called ``name``."""
        index = self.person.findData(name)
        if index < 0:
            raise KeyError(name)
        self.person.setCurrentIndex(index)

    # -- tokens --------------------------------------------------------------

    def _method_changed(self) -> None:
        token = self.by_token.isChecked()
        self.form.setRowVisible(self.password, not token)
        self.form.setRowVisible(self.pin, token)
        self.form.setRowVisible(self._token_row, token)
        if token and not self.tokens and self._token_task is None:
            self.list_tokens()
        self._update()

    def list_tokens(self) -> None:
        """Find the tokens inserted now, in the background."""
        if self._token_task is not None:
            return
        db = self.opened.db
        self.refresh_tokens.setEnabled(False)
        self.note.setText(
            QCoreApplication.translate("LoginDialog", "Looking for tokens…")
        )
        self._token_task = start_task(
            lambda: present_tokens(db), self._show_tokens, self._tokens_failed, self
        )

    def _show_tokens(self, tokens: list[TokenInfo]) -> None:
        self._token_task = None
        self.tokens = tokens
        self.token.clear()
        for t in tokens:
            locked = pin_locked(t)
            mark = (
                QCoreApplication.translate("LoginDialog", " – PIN locked")
                if locked
                else ""
            )
            self.token.addItem(f"{t.label} ({t.serial}){mark}", t.serial)
        self.refresh_tokens.setEnabled(True)
        self.note.setText(
            ""
            if tokens
            else QCoreApplication.translate(
                "LoginDialog",
                "No token is inserted. Insert your USB key and press Refresh.",
            )
        )
        self._update()
        self.tokens_loaded.emit()

    def _tokens_failed(self, exc: Exception) -> None:
        self._token_task = None
        self.refresh_tokens.setEnabled(True)
        self.note.clear()
        self._update()
        self.failed.emit(exc)

    def choose_token(self, label: str) -> None:
        """Select the token labelled ``label``."""
        for index, t in enumerate(self.tokens):
            if t.label == label:
                self.token.setCurrentIndex(index)
                return
        raise KeyError(label)

    # -- logging in ----------------------------------------------------------

    def _update(self) -> None:
        account = self.accounts.get(self.person.currentData() or "")
        if account is None or self._task is not None:
            self.login_button.setEnabled(False)
            return
        if self.by_token.isChecked():
            ready = account.has_certificate and self.token.currentData() is not None
        else:
            ready = account.has_password
        self.login_button.setEnabled(ready)

    def log_in(self) -> None:
        name = self.person.currentData()
        if name is None or self._task is not None:
            return
        if self.by_token.isChecked():
            self._log_in_by_token(name)
        else:
            self._log_in_by_password(name)

    def _log_in_by_password(self, name: str) -> None:
        password = self.password.text()
        self.password.clear()
        db = self.opened.db
        self._start(lambda: login_password(db, name, password))

    def _log_in_by_token(self, name: str) -> None:
        serial = self.token.currentData()
        pin = self.pin.text()
        self.pin.clear()
        if serial is None:
            return
        if not pin:
            self.note.setText(
                QCoreApplication.translate("LoginDialog", "Enter the token PIN.")
            )
            return
        db, handler = self.opened.db, GivenPin(pin)
        self._start(lambda: login_with_token(db, name, serial, handler))

    def _start(self, work: Callable[[], Actor]) -> None:
        self.login_button.setEnabled(False)
        self.note.setText(QCoreApplication.translate("LoginDialog", "Checking…"))
        self._task = start_task(work, self._done, self._failed, owner=self)

    def _done(self, actor: Actor) -> None:
        self._task = None
        self.note.clear()
        self.accept()
        self.logged_in.emit(actor)

    def _failed(self, exc: Exception) -> None:
        self._task = None
        self.note.clear()
        self._update()
        self.failed.emit(exc)
