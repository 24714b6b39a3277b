"""Administration › People: who may log in, with which roles and credentials.

The administrator adds people and changes their roles through
:mod:`widgets.admin.person_dialogs`; the list is read again after a change.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QVBoxLayout

from app.admin.people import Person, list_people
from app.admin.roles import Actor
from app.workspace import OpenWorkspace
from widgets.admin.person_dialogs import AddPersonDialog, RolesDialog
from widgets.views.base import View, fill_table, make_table, short_hash
from widgets.views.labels import roles_label, yes_no

__all__ = ["PeopleView"]


class PeopleView(View):
    """Emits :attr:`changed` with the person after every change made here."""

    changed = Signal(object)

    def __init__(self, opened: OpenWorkspace, actor: Actor, lang: str) -> None:
        super().__init__(opened, actor, lang)
        self.people: list[Person] = []
        self.dialog: QDialog | None = None
        self.table = make_table(
            [
                QCoreApplication.translate("PeopleView", "Name"),
                QCoreApplication.translate("PeopleView", "Department"),
                QCoreApplication.translate("PeopleView", "Roles"),
                QCoreApplication.translate("PeopleView", "Active"),
                QCoreApplication.translate("PeopleView", "Password"),
                QCoreApplication.translate("PeopleView", "Certificate"),
            ]
        )
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.add_button = QPushButton(
            QCoreApplication.translate("PeopleView", "Add person…")
        )
        self.add_button.clicked.connect(self.open_add_dialog)
        self.roles_button = QPushButton(
            QCoreApplication.translate("PeopleView", "Change roles…")
        )
        self.roles_button.clicked.connect(self.open_roles_dialog)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.roles_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(row)
        self._update_buttons()
        self.load()

    def fetch(self) -> list[Person]:
        return list_people(self.opened.db)

    def show_data(self, data: list[Person]) -> None:
        self.people = data
        fill_table(
            self.table,
            [
                [
                    p.name,
                    p.department,
                    roles_label(p.roles),
                    yes_no(p.active),
                    yes_no(p.has_password),
                    short_hash(p.cert_sha256)
                    or QCoreApplication.translate("PeopleView", "none"),
                ]
                for p in data
            ],
        )
        self._update_buttons()

    def select(self, name: str) -> None:
        for r, person in enumerate(self.people):
            if person.name == name:
                self.table.selectRow(r)
                return
        raise KeyError(name)

    def selected(self) -> Person | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.people):
            return None
        return self.people[rows[0].row()]

    def _update_buttons(self) -> None:
        self.roles_button.setEnabled(self.selected() is not None)

    def open_add_dialog(self) -> None:
        self._open(AddPersonDialog(self.opened, self.actor, self.lang, self))

    def open_roles_dialog(self) -> None:
        person = self.selected()
        if person is not None:
            self._open(RolesDialog(self.opened, self.actor, person, self.lang, self))

    def _open(self, dialog: AddPersonDialog | RolesDialog) -> None:
        dialog.failed.connect(self.failed)
        dialog.saved.connect(self._changed)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    def _changed(self, person: Person) -> None:
        self.changed.emit(person)
        self.load()
