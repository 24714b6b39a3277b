"""Adding a person and changing a person's roles.

A new person gets a name, a department, roles, and a password (typed twice)
and/or a certificate file for token log-in. The services refuse role sets
that break separation of duties (an auditor with another role) and removing
the last administrator; the refusal comes back through ``failed``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.admin.people import Person, add_person, bind_certificate, set_roles
from app.admin.roles import Actor, Role
from app.errors import InputError
from app.workspace import OpenWorkspace
from widgets.dialog_buttons import ok_cancel_buttons
from widgets.tasks import Task, start_task
from widgets.views.labels import role_label

__all__ = ["AddPersonDialog", "RolesDialog", "read_certificate_file"]


def read_certificate_file(path: Path) -> bytes:
    """The bytes of a certificate file, or one line naming the file and why."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(
            f"{path}: cannot read ({exc.strerror}).",
            f"{path}：无法读取（{exc.strerror}）。",
        ) from exc


class _ServiceDialog(QDialog):
    """A dialog whose OK runs one service call in the background."""

    saved = Signal(object)
    failed = Signal(object)

    def __init__(self, lang: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.lang = lang
        self._task: Task | None = None
        self.note = QLabel()
        self.buttons, self.ok_button = ok_cancel_buttons(self, self.submit)

    def role_boxes(self, chosen: Iterable[Role] = ()) -> dict[Role, QCheckBox]:
        picked = set(chosen)
        boxes = {}
        for role in Role:
            box = QCheckBox(role_label(role))
            box.setChecked(role in picked)
            boxes[role] = box
        return boxes

    def submit(self) -> None:
        raise NotImplementedError

    def start(self, work: Callable[[], Any]) -> None:
        if self._task is not None:
            return
        self.ok_button.setEnabled(False)
        self.note.setText(QCoreApplication.translate("_ServiceDialog", "Saving…"))
        self._task = start_task(work, self._finished, self._failed, owner=self)

    def _finished(self, result: Any) -> None:
        self._task = None
        self.note.clear()
        self.accept()
        self.saved.emit(result)

    def _failed(self, exc: Exception) -> None:
        self._task = None
        self.note.clear()
        self.ok_button.setEnabled(True)
        self.failed.emit(exc)


def _roles_row(boxes: dict[Role, QCheckBox]) -> QVBoxLayout:
    column = QVBoxLayout()
    for box in boxes.values():
        column.addWidget(box)
    return column


class AddPersonDialog(_ServiceDialog):
    """Emits :attr:`saved` with the new :class:`Person`."""

    def __init__(
        self,
        opened: OpenWorkspace,
        actor: Actor,
        lang: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(lang, parent)
        self.opened = opened
        self.actor = actor
        self.setWindowTitle(QCoreApplication.translate("AddPersonDialog", "Add person"))
        self.ok_button.setText(QCoreApplication.translate("AddPersonDialog", "Add"))
        self.name = QLineEdit()
        self.department = QLineEdit()
        self.roles = self.role_boxes()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_again = QLineEdit()
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.certificate = QLineEdit()
        self.certificate.setPlaceholderText(
            QCoreApplication.translate(
                "AddPersonDialog", "PEM or DER file, for token log-in"
            )
        )
        browse = QPushButton(QCoreApplication.translate("AddPersonDialog", "Choose…"))
        browse.clicked.connect(self._choose_certificate)
        cert_row = QHBoxLayout()
        cert_row.addWidget(self.certificate, 1)
        cert_row.addWidget(browse)
        form = QFormLayout(self)
        form.addRow(QCoreApplication.translate("AddPersonDialog", "Name"), self.name)
        form.addRow(
            QCoreApplication.translate("AddPersonDialog", "Department"), self.department
        )
        form.addRow(
            QCoreApplication.translate("AddPersonDialog", "Roles"),
            _roles_row(self.roles),
        )
        form.addRow(
            QCoreApplication.translate("AddPersonDialog", "Password"), self.password
        )
        form.addRow(
            QCoreApplication.translate("AddPersonDialog", "Password again"),
            self.password_again,
        )
        form.addRow(
            QCoreApplication.translate("AddPersonDialog", "Certificate"), cert_row
        )
        form.addRow(self.note)
        form.addRow(self.buttons)

    def _choose_certificate(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            QCoreApplication.translate("AddPersonDialog", "Certificate"),
            "",
            QCoreApplication.translate(
                "AddPersonDialog", "Certificates (*.pem *.crt *.cer *.der)"
            ),
        )
        if path:
            self.certificate.setText(path)

    def submit(self) -> None:
        password = self.password.text()
        again = self.password_again.text()
        self.password.clear()
        self.password_again.clear()
        if password != again:
            self.failed.emit(
                InputError("The two passwords differ.", "两次输入的密码不一致。")
            )
            return
        cert_text = self.certificate.text().strip()
        if not password and not cert_text:
            self.failed.emit(
                InputError(
                    "Give a password or a certificate, or the person cannot log in.",
                    "请设置密码或证书，否则该人员无法登录。",
                )
            )
            return
        db, actor = self.opened.db, self.actor
        name = self.name.text().strip()
        department = self.department.text().strip()
        roles = [r for r, box in self.roles.items() if box.isChecked()]

        def work() -> Person:
            cert = read_certificate_file(Path(cert_text)) if cert_text else None
            person = add_person(
                db,
                actor,
                name,
                department=department,
                roles=roles,
                password=password or None,
            )
            if cert is not None:
                person = bind_certificate(db, actor, person.id, cert)
            return person

        self.start(work)


class RolesDialog(_ServiceDialog):
    """Emits :attr:`saved` with the :class:`Person` and their new roles."""

    def __init__(
        self,
        opened: OpenWorkspace,
        actor: Actor,
        person: Person,
        lang: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(lang, parent)
        self.opened = opened
        self.actor = actor
        self.person = person
        self.setWindowTitle(
            QCoreApplication.translate("RolesDialog", "Roles of {0}").format(
                person.name
            )
        )
        self.ok_button.setText(QCoreApplication.translate("RolesDialog", "Save"))
        self.roles = self.role_boxes(person.roles)
        form = QFormLayout(self)
        form.addRow(
            QCoreApplication.translate("RolesDialog", "Roles"), _roles_row(self.roles)
        )
        form.addRow(self.note)
        form.addRow(self.buttons)

    def submit(self) -> None:
        db, actor, person_id = self.opened.db, self.actor, self.person.id
        roles = [r for r, box in self.roles.items() if box.isChecked()]
        self.start(lambda: set_roles(db, actor, person_id, roles))
