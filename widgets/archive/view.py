"""The archivist's screen (档案): find archived documents, verify, export.

The search box matches the title and the document number (Chinese included,
see :func:`app.archive.search`); seal, officer, date range and hash narrow
the list. Selecting a document retrieves it through :func:`app.archive.get`
(checked and written to the retrieval log), verifies the copy in the
background and shows the report next to its chain evidence and its retrieval
log. A PDF dropped anywhere on the screen is verified the same way.

Every read, retrieval and verification runs in the background; a result that
arrives after the archivist has moved on to another document is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.admin.log_filter import resolve_log_filter
from app.admin.roles import Actor
from app.archive import ArchiveEntry, ArchiveFilter, get, search
from app.archive_review import (
    EntryEvidence,
    entry_evidence,
    retrievals,
    verify_entry,
    verify_file,
)
from app.audit import LogEntry, LogFilter
from app.errors import SealDeskError
from app.workspace import OpenWorkspace
from widgets.archive.detail import DetailPane
from widgets.views.base import View, fill_table, make_table, short_hash
from widgets.views.names import Names, read_names

if TYPE_CHECKING:
    from app.verification import VerificationReport

__all__ = ["ArchiveView", "PackageUnavailable", "dropped_pdf"]

RESULT_LIMIT = 500


class PackageUnavailable(SealDeskError):
    """This build cannot write evidence packages."""


@dataclass(frozen=True)
class ArchivePage:
    entries: list[ArchiveEntry]
    names: Names


@dataclass(frozen=True)
class EntryTrail:
    """What the detail pane shows under the report; read after each retrieval."""

    evidence: list[EntryEvidence]
    retrievals: list[LogEntry]


def dropped_pdf(event: QDropEvent) -> Path | None:
    """The first local PDF file the drag carries, if any."""
    mime = event.mimeData()
    if not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile() and url.toLocalFile().lower().endswith(".pdf"):
            return Path(url.toLocalFile())
    return None


class ArchiveView(View):
    checked = Signal(object)
    trail_loaded = Signal()
    saved = Signal(object)
    exported = Signal(object)

    def __init__(self, opened: OpenWorkspace, actor: Actor, lang: str) -> None:
        super().__init__(opened, actor, lang)
        self.entries: list[ArchiveEntry] = []
        self.names = Names({}, {})
        self.current: ArchiveEntry | None = None
        self._subject = 0
        self.query = QLineEdit()
        self.query.setPlaceholderText(
            QCoreApplication.translate("ArchiveView", "Title or document number")
        )
        self.query.returnPressed.connect(self.load)
        self.seal = QLineEdit()
        self.officer = QLineEdit()
        self.since = QLineEdit()
        self.until = QLineEdit()
        for field in (self.since, self.until):
            field.setPlaceholderText("2026-01-31")
        self.since.setToolTip(
            QCoreApplication.translate("ArchiveView", "From this UTC date on")
        )
        self.until.setToolTip(
            QCoreApplication.translate("ArchiveView", "Before this UTC date")
        )
        self.seal.setToolTip(
            QCoreApplication.translate("ArchiveView", "Seal name or id")
        )
        self.officer.setToolTip(
            QCoreApplication.translate("ArchiveView", "Officer name or id")
        )
        self.sha256 = QLineEdit()
        self.sha256.setPlaceholderText(
            QCoreApplication.translate(
                "ArchiveView", "SHA-256 before or after stamping"
            )
        )
        self.search_button = QPushButton(
            QCoreApplication.translate("ArchiveView", "Search", "button")
        )
        self.search_button.clicked.connect(self.load)
        self.count = QLabel()
        self.table = make_table(
            [
                QCoreApplication.translate("ArchiveView", "No."),
                QCoreApplication.translate("ArchiveView", "Stamped"),
                QCoreApplication.translate("ArchiveView", "Number"),
                QCoreApplication.translate("ArchiveView", "Title"),
                QCoreApplication.translate("ArchiveView", "Seal"),
                QCoreApplication.translate("ArchiveView", "Officer"),
                "SHA-256",
            ]
        )
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.detail = DetailPane(lang)
        self.detail.save_button.clicked.connect(self.save_copy)
        self.detail.export_button.clicked.connect(self.export_package)
        self._lay_out()
        self.setAcceptDrops(True)
        for field in self.findChildren(QLineEdit):
            field.setAcceptDrops(False)
        self.load()

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow(
            QCoreApplication.translate("ArchiveView", "Search", "field label"),
            self.query,
        )
        filters = QHBoxLayout()
        for label, field in (
            (QCoreApplication.translate("ArchiveView", "Seal"), self.seal),
            (QCoreApplication.translate("ArchiveView", "Officer"), self.officer),
        ):
            filters.addWidget(QLabel(label))
            filters.addWidget(field)
        form.addRow(filters)
        dates = QHBoxLayout()
        dates.addWidget(self.since)
        dates.addWidget(QLabel("–"))
        dates.addWidget(self.until)
        form.addRow(QCoreApplication.translate("ArchiveView", "From – to"), dates)
        form.addRow("SHA-256", self.sha256)
        buttons = QHBoxLayout()
        buttons.addWidget(self.search_button)
        buttons.addWidget(self.count, 1)
        hint = QLabel(
            QCoreApplication.translate(
                "ArchiveView", "Drop a PDF anywhere here to verify it."
            )
        )
        buttons.addWidget(hint)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(form)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.table)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        QVBoxLayout(self).addWidget(splitter)

    # -- the list -------------------------------------------------------------

    def _given(self, field: QLineEdit) -> str | None:
        return field.text().strip() or None

    def fetch(self) -> ArchivePage:
        db = self.opened.db
        ids = resolve_log_filter(
            db,
            LogFilter(actor=self._given(self.officer), seal_id=self._given(self.seal)),
        )
        wanted = ArchiveFilter(
            text=self._given(self.query),
            seal_id=ids.seal_id,
            officer_id=ids.actor,
            since=self._given(self.since),
            until=self._given(self.until),
            sha256=self._given(self.sha256),
            limit=RESULT_LIMIT,
        )
        return ArchivePage(search(db, wanted), read_names(self.opened))

    def show_data(self, data: ArchivePage) -> None:
        self.entries = data.entries
        self.names = data.names
        self.table.blockSignals(True)
        fill_table(
            self.table,
            [
                [
                    str(e.id),
                    e.stamped_at[:19].replace("T", " "),
                    e.doc_number or "",
                    e.title,
                    self.names.seal(e.seal_id),
                    self.names.person(e.officer_id),
                    short_hash(e.sha256),
                ]
                for e in data.entries
            ],
        )
        self.table.clearSelection()
        self.table.blockSignals(False)
        self.count.setText(
            QCoreApplication.translate("ArchiveView", "{0} documents").format(
                len(data.entries)
            )
        )

    # -- one document ---------------------------------------------------------

    def select_entry(self, entry_id: int) -> None:
        """Select the row of this entry, as a click would."""
        for row, entry in enumerate(self.entries):
            if entry.id == entry_id:
                self.table.selectRow(row)
                return
        raise KeyError(entry_id)

    def _selection_changed(self) -> None:
        rows = {index.row() for index in self.table.selectedIndexes()}
        if len(rows) != 1:
            return
        self.show_entry(self.entries[rows.pop()])

    def show_entry(self, entry: ArchiveEntry) -> None:
        """Retrieve, verify and show one entry; the retrieval is logged."""
        subject = self._next_subject()
        self.current = entry
        self.detail.show_entry(entry, self.names)
        opened, actor_id = self.opened, self.actor.person_id
        self.run(
            lambda: verify_entry(opened, actor_id, entry),
            self._when(subject, lambda report: self._verified(report, entry.title)),
            self._when(subject, self._check_failed),
        )

    def _verified(self, report: VerificationReport, title: str) -> None:
        self.detail.show_report(report, title)
        self.checked.emit(report)
        self.load_trail()

    def _check_failed(self, _exc: Exception) -> None:
        self.detail.show_check_failed()
        self.load_trail()

    def load_trail(self) -> None:
        """Read the current entry's evidence and retrievals again."""
        entry = self.current
        if entry is None:
            return
        db = self.opened.db

        def work() -> EntryTrail:
            return EntryTrail(entry_evidence(db, entry), retrievals(db, entry))

        self.run(work, self._when(self._subject, self._show_trail))

    def _show_trail(self, trail: EntryTrail) -> None:
        self.detail.show_evidence(trail.evidence)
        self.detail.show_retrievals(trail.retrievals, self.names)
        self.trail_loaded.emit()

    def _next_subject(self) -> int:
        self._subject += 1
        return self._subject

    def _when(self, subject: int, call: Callable[[Any], None]) -> Callable[[Any], None]:
        """``call``, unless the person has moved on to another document."""

        def guarded(value: Any) -> None:
            if subject == self._subject:
                call(value)

        return guarded

    # -- a dropped file -------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_pdf(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if dropped_pdf(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = dropped_pdf(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.verify_dropped(path)

    def verify_dropped(self, path: Path) -> None:
        """Verify a PDF from outside the archive against the trust roots."""
        subject = self._next_subject()
        self.current = None
        self.table.blockSignals(True)
        self.table.clearSelection()
        self.table.blockSignals(False)
        self.detail.show_dropped(path.name)
        opened = self.opened
        self.run(
            lambda: verify_file(opened, path),
            self._when(subject, lambda report: self._dropped_verified(report, path)),
            self._when(subject, lambda _exc: self.detail.show_check_failed()),
        )

    def _dropped_verified(self, report: VerificationReport, path: Path) -> None:
        self.detail.show_report(report, str(path))
        self.checked.emit(report)

    # -- copies and packages --------------------------------------------------

    def ask_save_path(self, entry: ArchiveEntry) -> Path | None:
        """Ask where to save the copy; tests replace this method."""
        name, _ = QFileDialog.getSaveFileName(
            self,
            QCoreApplication.translate("ArchiveView", "Save a copy"),
            str(Path.home() / f"{entry.title}.pdf"),
            "PDF (*.pdf)",
        )
        return Path(name) if name else None

    def ask_package_path(self, entry: ArchiveEntry) -> Path | None:
        """Ask where to write the evidence package; tests replace this method."""
        name, _ = QFileDialog.getSaveFileName(
            self,
            QCoreApplication.translate("ArchiveView", "Export evidence package"),
            str(self.opened.workspace.exports / f"evidence-{entry.id}.zip"),
            QCoreApplication.translate("ArchiveView", "Evidence package (*.zip)"),
        )
        return Path(name) if name else None

    def save_copy(self) -> None:
        """Check the entry and write it where the person says; logged."""
        entry = self.current
        if entry is None:
            return
        target = self.ask_save_path(entry)
        if target is None:
            return
        opened, actor_id = self.opened, self.actor.person_id
        button = self.detail.save_button
        button.setEnabled(False)
        self.run(
            lambda: get(opened, actor_id, entry.id, target),
            lambda _entry: self._saved(target),
            lambda _exc: button.setEnabled(True),
        )

    def _saved(self, target: Path) -> None:
        self.detail.save_button.setEnabled(True)
        self.detail.show_outcome(
            QCoreApplication.translate("ArchiveView", "Copy saved to {0}").format(
                target
            )
        )
        self.saved.emit(target)
        self.load_trail()

    def export_package(self) -> None:
        """Write the entry's evidence package in the background."""
        entry = self.current
        if entry is None:
            return
        target = self.ask_package_path(entry)
        if target is None:
            return
        opened, actor_id = self.opened, self.actor.person_id

        def work() -> object:
            try:
                from app.evidence_package.export import export_package
            except ImportError as exc:
                raise PackageUnavailable(
                    "Evidence packages cannot be exported in this version.",
                    "此版本无法导出证据包。",
                ) from exc
            return export_package(opened, entry.id, target, actor_id=actor_id)

        button = self.detail.export_button
        button.setEnabled(False)
        self.run(
            work,
            lambda _result: self._exported(target),
            lambda _exc: button.setEnabled(True),
        )

    def _exported(self, target: Path) -> None:
        self.detail.export_button.setEnabled(True)
        self.detail.show_outcome(
            QCoreApplication.translate(
                "ArchiveView", "Evidence package written to {0}"
            ).format(target)
        )
        self.exported.emit(target)
        self.load_trail()
