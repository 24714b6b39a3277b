"""Settings (设置): the workspace and the settings it knows, read-only for now.

Settings are changed with ``sealdesk config set``; this page lists what can
be set and describes the open workspace.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout

from app.admin.roles import Actor
from app.settings import SETTINGS
from app.workspace import OpenWorkspace, WorkspaceStatus, workspace_status
from widgets.views.base import View, fill_table, make_table

__all__ = ["SettingsView"]


class SettingsView(View):
    def __init__(self, opened: OpenWorkspace, actor: Actor, lang: str) -> None:
        super().__init__(opened, actor, lang)
        self.form = QFormLayout()
        self.table = make_table(
            [self.text("Setting", "设置项"), self.text("Meaning", "含义")]
        )
        fill_table(
            self.table,
            [[s.key, self.text(s.en, s.zh)] for s in SETTINGS.values()],
        )
        hint = QLabel(
            self.text(
                "Change settings with: sealdesk config set KEY VALUE",
                "修改设置请使用：sealdesk config set 设置项 值",
            )
        )
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(hint)
        layout.addWidget(self.table)
        self.load()

    def fetch(self) -> WorkspaceStatus:
        return workspace_status(self.opened)

    def show_data(self, data: WorkspaceStatus) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        rows = [
            (self.text("Workspace", "工作区"), str(data.workspace)),
            (self.text("Key custody", "密钥保管"), data.custody.value),
            (self.text("Schema version", "结构版本"), str(data.schema_version)),
            (self.text("Database size", "数据库大小"), f"{data.database_bytes:,} B"),
        ]
        for label, value in rows:
            self.form.addRow(label, QLabel(value))
