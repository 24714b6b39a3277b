"""Audit: the usage log (用印日志) with filters, the chain-integrity check and
the export of the filtered entries to CSV or JSON.

The listing, the check and the export run in the background; the check reads
the whole log, which grows with every use of a seal.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from app.admin.log_filter import resolve_log_filter
from app.admin.roles import Actor
from app.audit import (
    ChainCheck,
    ExportFormat,
    LogEntry,
    LogFilter,
    export_log,
    list_log,
    verify_log,
)
from app.workspace import OpenWorkspace
from widgets.views.base import View, fill_table, make_table, short_hash
from widgets.views.names import Names, read_names

__all__ = ["AuditView"]


@dataclass(frozen=True)
class LogPage:
    entries: list[LogEntry]
    names: Names


class AuditView(View):
    checked = Signal(object)
    exported = Signal(object)

    def __init__(self, opened: OpenWorkspace, actor: Actor, lang: str) -> None:
        super().__init__(opened, actor, lang)
        self.entries: list[LogEntry] = []
        self.person = QLineEdit()
        self.seal = QLineEdit()
        self.action = QLineEdit()
        self.action.setPlaceholderText("approval.approve, auth.login, …")
        self.since = QLineEdit()
        self.until = QLineEdit()
        for field in (self.since, self.until):
            field.setPlaceholderText("2026-01-31")
        self.limit = QSpinBox()
        self.limit.setRange(1, 100_000)
        self.limit.setValue(1000)
        self.search_button = QPushButton(
            QCoreApplication.translate("AuditView", "Search")
        )
        self.search_button.clicked.connect(self.load)
        self.check_button = QPushButton(
            QCoreApplication.translate("AuditView", "Check chain integrity")
        )
        self.check_button.clicked.connect(self.check_chain)
        self.export_button = QPushButton(
            QCoreApplication.translate("AuditView", "Export…")
        )
        self.export_button.clicked.connect(self.export)
        self.check_result = QLabel()
        self.count = QLabel()
        self.table = make_table(
            [
                QCoreApplication.translate("AuditView", "No."),
                QCoreApplication.translate("AuditView", "Time"),
                QCoreApplication.translate("AuditView", "Action"),
                QCoreApplication.translate("AuditView", "Person"),
                QCoreApplication.translate("AuditView", "Seal"),
                QCoreApplication.translate("AuditView", "Document SHA-256"),
                QCoreApplication.translate("AuditView", "Details"),
            ]
        )
        self._lay_out()
        self.load()

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow(QCoreApplication.translate("AuditView", "Person"), self.person)
        form.addRow(QCoreApplication.translate("AuditView", "Seal"), self.seal)
        form.addRow(QCoreApplication.translate("AuditView", "Action"), self.action)
        dates = QHBoxLayout()
        dates.addWidget(self.since)
        dates.addWidget(QLabel("–"))
        dates.addWidget(self.until)
        form.addRow(QCoreApplication.translate("AuditView", "From – to"), dates)
        form.addRow(QCoreApplication.translate("AuditView", "At most"), self.limit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.search_button)
        buttons.addWidget(self.count, 1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.check_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.check_result)
        layout.addWidget(self.table)

    def wanted(self) -> LogFilter:
        def given(field: QLineEdit) -> str | None:
            return field.text().strip() or None

        return LogFilter(
            actor=given(self.person),
            seal_id=given(self.seal),
            action=given(self.action),
            since=given(self.since),
            until=given(self.until),
            limit=self.limit.value(),
        )

    def fetch(self) -> LogPage:
        wanted = resolve_log_filter(self.opened.db, self.wanted())
        return LogPage(list_log(self.opened.db, wanted), read_names(self.opened))

    def show_data(self, data: LogPage) -> None:
        self.entries = data.entries
        names = data.names
        fill_table(
            self.table,
            [
                [
                    str(e.seq),
                    e.at[:19].replace("T", " "),
                    e.action,
                    names.person(e.actor),
                    names.seal(e.seal_id),
                    short_hash(e.document_sha256),
                    ", ".join(f"{k}={v}" for k, v in e.details.items()),
                ]
                for e in data.entries
            ],
        )
        self.count.setText(
            QCoreApplication.translate("AuditView", "{0} entries").format(
                len(data.entries)
            )
        )

    def check_chain(self) -> None:
        self.check_button.setEnabled(False)
        self.check_result.setText(QCoreApplication.translate("AuditView", "Checking…"))
        self.run(
            lambda: verify_log(self.opened.db),
            self._checked,
            lambda _exc: self._check_ended(),
        )

    def _check_ended(self) -> None:
        self.check_button.setEnabled(True)
        self.check_result.clear()

    def _checked(self, result: ChainCheck) -> None:
        self.check_button.setEnabled(True)
        if result.intact:
            text = QCoreApplication.translate(
                "AuditView", "Chain intact: {0} entries, head {1}"
            ).format(result.entries, short_hash(result.head))
            self.check_result.setStyleSheet("color: #1b5e20;")
        else:
            text = QCoreApplication.translate(
                "AuditView", "Chain BROKEN at entry {0}: {1}"
            ).format(result.first_broken, result.reason)
            self.check_result.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.check_result.setText(text)
        self.checked.emit(result)

    def ask_export_path(self) -> Path | None:
        """Ask where to write the export; tests replace this method."""
        name, _ = QFileDialog.getSaveFileName(
            self,
            QCoreApplication.translate("AuditView", "Export the usage log"),
            str(self.opened.workspace.exports / "usage-log.csv"),
            "CSV (*.csv);;JSON (*.json)",
        )
        return Path(name) if name else None

    def export(self) -> None:
        """Write the entries the filters select, oldest first."""
        target = self.ask_export_path()
        if target is None:
            return
        fmt = ExportFormat.JSON if target.suffix == ".json" else ExportFormat.CSV
        db, wanted = self.opened.db, self.wanted()
        self.export_button.setEnabled(False)

        def work() -> int:
            return export_log(db, resolve_log_filter(db, wanted), target, fmt)

        self.run(
            work,
            lambda count: self._exported(target, count),
            lambda _exc: self.export_button.setEnabled(True),
        )

    def _exported(self, target: Path, count: int) -> None:
        self.export_button.setEnabled(True)
        self.check_result.setStyleSheet("")
        self.check_result.setText(
            QCoreApplication.translate(
                "AuditView", "Exported {0} entries to {1}"
            ).format(count, target)
        )
        self.exported.emit(target)
