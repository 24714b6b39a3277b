"""Administration › Grants (用印授权): who may use which seal, by seal or person."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QComboBox, QFormLayout, QVBoxLayout

from app.admin.grants import Grant, list_grants
from app.admin.roles import Actor
from app.workspace import OpenWorkspace
from widgets.views.base import View, fill_table, make_table
from widgets.views.labels import yes_no
from widgets.views.names import Names, read_names

__all__ = ["GrantsView"]


@dataclass(frozen=True)
class GrantData:
    grants: list[Grant]
    names: Names


class GrantsView(View):
    def __init__(self, opened: OpenWorkspace, actor: Actor, lang: str) -> None:
        super().__init__(opened, actor, lang)
        self.data = GrantData([], Names({}, {}))
        self.choice = QComboBox()
        self.choice.currentIndexChanged.connect(self._show_grants)
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
        form = QFormLayout()
        form.addRow(self.text("Show", "显示"), self.choice)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table)
        self.load()

    def fetch(self) -> GrantData:
        return GrantData(list_grants(self.opened.db), read_names(self.opened))

    def show_data(self, data: GrantData) -> None:
        self.data = data
        self.choice.blockSignals(True)
        self.choice.clear()
        self.choice.addItem(self.text("All grants", "全部授权"), None)
        for seal_id, name in sorted(data.names.seals.items(), key=lambda i: i[1]):
            self.choice.addItem(self.text(f"Seal: {name}", f"印章：{name}"), seal_id)
        for person_id, name in sorted(data.names.people.items(), key=lambda i: i[1]):
            label = self.text(f"Person: {name}", f"人员：{name}")
            self.choice.addItem(label, person_id)
        self.choice.blockSignals(False)
        self._show_grants()

    def _show_grants(self) -> None:
        wanted = self.choice.currentData()
        names, lang = self.data.names, self.lang
        shown = [
            g for g in self.data.grants if wanted in (None, g.seal_id, g.person_id)
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
                for g in shown
            ],
        )

    def _quota(self, grant: Grant) -> str:
        if grant.quota is None:
            return self.text("unlimited", "不限")
        return str(grant.quota)
