"""Administration › Grants (用印授权): who may use which seal, by seal or person.

Two filters narrow the list: one seal, one person, or both. The administrator
adds a grant (:class:`widgets.admin.grant_dialog.AddGrantDialog`) or revokes
the chosen one after confirming; :mod:`app.admin.grants` checks the rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from app.admin.grants import Grant, list_grants, revoke_grant
from app.admin.roles import Actor
from app.workspace import OpenWorkspace
from widgets.admin.confirm import ask_to_confirm
from widgets.admin.grant_dialog import AddGrantDialog
from widgets.views.base import View, fill_table, make_table
from widgets.views.labels import yes_no
from widgets.views.names import Names, read_names

__all__ = ["GrantsView"]


@dataclass(frozen=True)
class GrantData:
    grants: list[Grant]
    names: Names


class GrantsView(View):
    """Emits :attr:`changed` with the grant after every change made here."""

    changed = Signal(object)

    def __init__(self, opened: OpenWorkspace, actor: Actor, lang: str) -> None:
        super().__init__(opened, actor, lang)
        self.data = GrantData([], Names({}, {}))
        self.shown: list[Grant] = []
        self.add_dialog: AddGrantDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self.seal_filter = QComboBox()
        self.person_filter = QComboBox()
        self.seal_filter.currentIndexChanged.connect(self._show_grants)
        self.person_filter.currentIndexChanged.connect(self._show_grants)
        self.table = make_table(
            [
                QCoreApplication.translate("GrantsView", "Person"),
                QCoreApplication.translate("GrantsView", "Seal"),
                QCoreApplication.translate("GrantsView", "Valid"),
                QCoreApplication.translate("GrantsView", "Used / quota"),
                QCoreApplication.translate("GrantsView", "Categories"),
                QCoreApplication.translate("GrantsView", "Approval"),
                QCoreApplication.translate("GrantsView", "Approvers"),
            ]
        )
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.add_button = QPushButton(
            QCoreApplication.translate("GrantsView", "Add grant…")
        )
        self.add_button.clicked.connect(self.open_add_dialog)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(
            QCoreApplication.translate(
                "GrantsView", "Reason (written to the usage log)"
            )
        )
        self.revoke_button = QPushButton(
            QCoreApplication.translate("GrantsView", "Revoke grant…")
        )
        self.revoke_button.clicked.connect(self.confirm_revoke)
        filters = QFormLayout()
        filters.addRow(
            QCoreApplication.translate("GrantsView", "Seal"), self.seal_filter
        )
        filters.addRow(
            QCoreApplication.translate("GrantsView", "Person"), self.person_filter
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.reason, 1)
        buttons.addWidget(self.revoke_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self._update_buttons()
        self.load()

    def fetch(self) -> GrantData:
        return GrantData(list_grants(self.opened.db), read_names(self.opened))

    def show_data(self, data: GrantData) -> None:
        self.data = data
        _refill(
            self.seal_filter,
            QCoreApplication.translate("GrantsView", "All seals"),
            data.names.seals,
        )
        _refill(
            self.person_filter,
            QCoreApplication.translate("GrantsView", "All people"),
            data.names.people,
        )
        self._show_grants()

    def filter_by(self, *, seal: str | None = None, person: str | None = None) -> None:
        """Show only the grants of the seal and/or person with these names."""
        for combo, name in ((self.seal_filter, seal), (self.person_filter, person)):
            index = 0 if name is None else combo.findText(name)
            if index < 0:
                raise KeyError(name)
            combo.setCurrentIndex(index)

    def _show_grants(self) -> None:
        seal_id = self.seal_filter.currentData()
        person_id = self.person_filter.currentData()
        names = self.data.names
        self.shown = [
            g
            for g in self.data.grants
            if seal_id in (None, g.seal_id) and person_id in (None, g.person_id)
        ]
        separator = QCoreApplication.translate("GrantsView", ", ")
        fill_table(
            self.table,
            [
                [
                    names.person(g.person_id),
                    names.seal(g.seal_id),
                    f"{g.valid_from[:10]} – {g.valid_until[:10]}",
                    f"{g.used} / {self._quota(g)}",
                    separator.join(g.categories)
                    or QCoreApplication.translate("GrantsView", "any"),
                    yes_no(g.approval_required),
                    separator.join(names.person(a) for a in g.approvers),
                ]
                for g in self.shown
            ],
        )
        self._update_buttons()

    def _quota(self, grant: Grant) -> str:
        if grant.quota is None:
            return QCoreApplication.translate("GrantsView", "unlimited")
        return str(grant.quota)

    def selected(self) -> Grant | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.shown):
            return None
        return self.shown[rows[0].row()]

    def _update_buttons(self) -> None:
        self.revoke_button.setEnabled(self.selected() is not None and not self.busy)

    def open_add_dialog(self) -> None:
        dialog = AddGrantDialog(self.opened, self.actor, self.lang, self)
        dialog.failed.connect(self.failed)
        dialog.granted.connect(self._changed)
        dialog.finished.connect(dialog.deleteLater)
        self.add_dialog = dialog
        dialog.open()

    def confirm_revoke(self) -> None:
        grant = self.selected()
        if grant is None:
            return
        person = self.data.names.person(grant.person_id)
        seal = self.data.names.seal(grant.seal_id)
        question = QCoreApplication.translate(
            "GrantsView", "Revoke the grant of seal '{0}' to {1}?"
        ).format(seal, person)
        self.confirm_box = ask_to_confirm(self, question, lambda: self.revoke(grant))

    def revoke(self, grant: Grant) -> None:
        self.confirm_box = None
        db, actor, reason = self.opened.db, self.actor, self.reason.text().strip()
        self.revoke_button.setEnabled(False)
        self.run(
            lambda: revoke_grant(db, actor, grant.id, reason),
            self._changed,
            lambda _exc: self._update_buttons(),
        )

    def _changed(self, grant: Grant) -> None:
        self.reason.clear()
        self.changed.emit(grant)
        self.load()


def _refill(combo: QComboBox, everything: str, names: dict[str, str]) -> None:
    """Refill a filter, keeping the choice when it still exists."""
    kept = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(everything, None)
    for key, name in sorted(names.items(), key=lambda item: item[1]):
        combo.addItem(name, key)
    index = 0 if kept is None else combo.findData(kept)
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)
