"""Settings (设置): the workspace, and every setting it knows, editable.

Administrators change the settings here (PKCS#11 modules, TSA, chain
endpoint, trust list and CRL files, language, …); others see them read-only.
All changes are saved together through :func:`app.settings.change_settings`,
which checks every value and the role again and logs the change. An empty
field removes its setting. The language takes effect the next time the
window opens.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.admin.roles import Actor, Role
from app.settings import SETTINGS, change_settings, current_settings
from app.workspace import OpenWorkspace, WorkspaceStatus, workspace_status
from widgets.views.base import View

__all__ = ["SettingsView"]


@dataclass(frozen=True)
class SettingsData:
    status: WorkspaceStatus
    values: dict[str, str]


class SettingsView(View):
    saved = Signal(object)  # the values as stored

    def __init__(self, opened: OpenWorkspace, actor: Actor, lang: str) -> None:
        super().__init__(opened, actor, lang)
        self.may_change = Role.ADMINISTRATOR in actor.roles
        self.form = QFormLayout()
        self.values: dict[str, str] = {}
        self.fields: dict[str, QLineEdit] = {}
        settings_form = QFormLayout()
        for setting in SETTINGS.values():
            field = QLineEdit()
            field.setPlaceholderText(self.text("not set", "未设置"))
            field.setToolTip(self.text(setting.en, setting.zh))
            field.setReadOnly(not self.may_change)
            self.fields[setting.key] = field
            label = QLabel(setting.key)
            label.setToolTip(self.text(setting.en, setting.zh))
            settings_form.addRow(label, field)
        inner = QWidget()
        inner.setLayout(settings_form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        box = QGroupBox(self.text("Settings", "设置"))
        box_layout = QVBoxLayout(box)
        box_layout.addWidget(scroll)
        self.save_button = QPushButton(self.text("Save", "保存"))
        self.save_button.setEnabled(self.may_change)
        self.save_button.clicked.connect(self.save)
        self.status = QLabel(
            self.text(
                "Hover over a setting to see what it means. An empty field "
                "removes the setting.",
                "鼠标停在设置项上可查看说明。留空即删除该设置。",
            )
            if self.may_change
            else self.text(
                "Only administrators change settings.", "只有管理员可以修改设置。"
            )
        )
        self.status.setWordWrap(True)
        box_layout.addWidget(self.status)
        box_layout.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(box, 1)
        self.load()

    def fetch(self) -> SettingsData:
        return SettingsData(
            workspace_status(self.opened), current_settings(self.opened.db)
        )

    def show_data(self, data: SettingsData) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        status = data.status
        rows = [
            (self.text("Workspace", "工作区"), str(status.workspace)),
            (self.text("Key custody", "密钥保管"), status.custody.value),
            (self.text("Schema version", "结构版本"), str(status.schema_version)),
            (
                self.text("Database size", "数据库大小"),
                f"{status.database_bytes:,} B",
            ),
        ]
        for label, value in rows:
            self.form.addRow(label, QLabel(value))
        self.values = dict(data.values)
        for key, field in self.fields.items():
            field.setText(self.values.get(key, ""))

    def changes(self) -> dict[str, str | None]:
        """The fields whose text differs from the stored value."""
        changed: dict[str, str | None] = {}
        for key, field in self.fields.items():
            text = field.text().strip()
            if text != self.values.get(key, ""):
                changed[key] = text or None
        return changed

    def save(self) -> None:
        changed = self.changes()
        if not changed:
            self.status.setText(self.text("Nothing changed.", "没有修改。"))
            return
        db, actor = self.opened.db, self.actor
        self.save_button.setEnabled(False)
        self.run(
            lambda: change_settings(db, actor, changed),
            self._saved,
            lambda _exc: self.save_button.setEnabled(True),
        )

    def _saved(self, stored: dict[str, str | None]) -> None:
        self.save_button.setEnabled(True)
        keys = ", ".join(sorted(stored))
        self.status.setText(self.text(f"Saved: {keys}.", f"已保存：{keys}。"))
        self.saved.emit(stored)
        self.load()
