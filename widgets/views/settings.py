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

from PySide6.QtCore import QCoreApplication, Signal
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
from app.i18n import pick
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
            field.setPlaceholderText(
                QCoreApplication.translate("SettingsView", "not set")
            )
            field.setToolTip(pick(self.lang, setting.en, setting.zh))
            field.setReadOnly(not self.may_change)
            self.fields[setting.key] = field
            label = QLabel(setting.key)
            label.setToolTip(pick(self.lang, setting.en, setting.zh))
            settings_form.addRow(label, field)
        inner = QWidget()
        inner.setLayout(settings_form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        box = QGroupBox(QCoreApplication.translate("SettingsView", "Settings"))
        box_layout = QVBoxLayout(box)
        box_layout.addWidget(scroll)
        self.save_button = QPushButton(
            QCoreApplication.translate("SettingsView", "Save")
        )
        self.save_button.setEnabled(self.may_change)
        self.save_button.clicked.connect(self.save)
        self.status = QLabel(
            QCoreApplication.translate(
                "SettingsView",
                "Hover over a setting to see what it means. "
                "An empty field removes the setting.",
            )
            if self.may_change
            else QCoreApplication.translate(
                "SettingsView", "Only administrators change settings."
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
            (
                QCoreApplication.translate("SettingsView", "Workspace"),
                str(status.workspace),
            ),
            (
                QCoreApplication.translate("SettingsView", "Key custody"),
                status.custody.value,
            ),
            (
                QCoreApplication.translate("SettingsView", "Schema version"),
                str(status.schema_version),
            ),
            (
                QCoreApplication.translate("SettingsView", "Database size"),
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
            self.status.setText(
                QCoreApplication.translate("SettingsView", "Nothing changed.")
            )
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
        self.status.setText(
            QCoreApplication.translate("SettingsView", "Saved: {0}.").format(keys)
        )
        self.saved.emit(stored)
        self.load()
