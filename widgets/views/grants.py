"""Administration › Grants (用印授权): who may use which seal, by seal or person.

Two filters narrow the list: one seal, one person, or both. The administrator
adds a grant (:class:`widgets.admin.grant_dialog.AddGrantDialog`) or revokes
the chosen one after confirming; :mod:`app.admin.grants` checks the rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
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
                self.text("Person", "人员"),
                self.text("Seal", "印章"),
                self.text("Valid", "有效期"),
                self.text("Used / quota", "已用 / 限额"),
                self.text("Categories", "文件类别"),
                self.text("Approval", "需审批"),
                self.text("Approvers", "审批人"),
            ]
        )
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.add_button = QPushButton(self.text("Add grant…", "新增授权…"))
        self.add_button.clicked.connect(self.open_add_dialog)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(
            self.text("Reason (written to the usage log)", "原因（记入用印日志）")
        )
        self.revoke_button = QPushButton(self.text("Revoke grant…", "撤销授权…"))
        self.revoke_button.clicked.connect(self.confirm_revoke)
        filters = QFormLayout()
        filters.addRow(self.text("Seal", "印章"), self.seal_filter)
        filters.addRow(self.text("Person", "人员"), self.person_filter)
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
            self.text("All seals", "全部印章"),
            data.names.seals,
        )
        _refill(
            self.person_filter,
            self.text("All people", "全部人员"),
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
        names, lang = self.data.names, self.lang
        self.shown = [
            g
            for g in self.data.grants
            if seal_id in (None, g.seal_id) and person_id in (None, g.person_id)
        ]
        separator = self.text(", ", "、")
        fill_table(
            self.table,
            [
                [
                    names.person(g.person_id),
                    names.seal(g.seal_id),
                    f"{g.valid_from[:10]} – {g.valid_until[:10]}",
                    f"{g.used} / {self._quota(g)}",
                    separator.join(g.categories) or self.text("any", "不限"),
                    yes_no(g.approval_required, lang),
                    separator.join(names.person(a) for a in g.approvers),
                ]
                for g in self.shown
            ],
        )
        self._update_buttons()

    def _quota(self, grant: Grant) -> str:
        if grant.quota is None:
            return self.text("unlimited", "不限")
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
        question = self.text(
            f"Revoke the grant of seal '{seal}' to {person}?",
            f"确定撤销{person}对印章“{seal}”的授权？",
        )
        self.confirm_box = ask_to_confirm(
            self, self.lang, question, lambda: self.revoke(grant)
        )

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
