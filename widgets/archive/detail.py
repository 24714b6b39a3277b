"""The detail pane of the archive view: one document, its seals and its trail.

It shows what :class:`widgets.archive.view.ArchiveView` hands it: the index
row, the verification report (验章结果), the chain evidence (链上存证) and the
retrieval log (调阅记录), with the buttons that save a copy and export the
evidence package. It reads nothing itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.archive import ArchiveEntry
from app.archive_review import VERIFICATION_COPY_PREFIX, EntryEvidence
from app.audit import LogEntry
from widgets.archive.report import (
    VERDICT_COLOURS,
    evidence_html,
    report_html,
    verdict_text,
)
from widgets.views.base import fill_table, make_table
from widgets.views.names import Names

if TYPE_CHECKING:
    from app.verification import VerificationReport

__all__ = ["DetailPane"]


class DetailPane(QWidget):
    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang
        self.report: VerificationReport | None = None
        self.heading = QLabel(
            QCoreApplication.translate(
                "DetailPane", "Select a document, or drop a PDF here to verify it."
            )
        )
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: bold;")
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.report_view = QTextBrowser()
        self.evidence_view = QTextBrowser()
        self.evidence_view.setMaximumHeight(150)
        self.retrievals = make_table(
            [
                QCoreApplication.translate("DetailPane", "Time"),
                QCoreApplication.translate("DetailPane", "Person"),
                QCoreApplication.translate("DetailPane", "Written to"),
            ]
        )
        self.retrievals.setMaximumHeight(150)
        self.save_button = QPushButton(
            QCoreApplication.translate("DetailPane", "Save a copy…")
        )
        self.export_button = QPushButton(
            QCoreApplication.translate("DetailPane", "Export evidence package…")
        )
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        for browser in (self.report_view, self.evidence_view):
            browser.setAcceptDrops(False)
        self._lay_out()
        self.show_nothing()

    def _lay_out(self) -> None:
        check = QGroupBox(QCoreApplication.translate("DetailPane", "Verification"))
        check_layout = QVBoxLayout(check)
        check_layout.addWidget(self.verdict)
        check_layout.addWidget(self.report_view)
        chain = QGroupBox(QCoreApplication.translate("DetailPane", "Chain evidence"))
        QVBoxLayout(chain).addWidget(self.evidence_view)
        trail = QGroupBox(QCoreApplication.translate("DetailPane", "Retrieval log"))
        QVBoxLayout(trail).addWidget(self.retrievals)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.facts)
        layout.addWidget(check, 3)
        layout.addWidget(chain, 1)
        layout.addWidget(trail, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.outcome)

    def show_nothing(self) -> None:
        self.report = None
        self.facts.clear()
        self.verdict.clear()
        self.report_view.clear()
        self.evidence_view.clear()
        self.retrievals.setRowCount(0)
        self.outcome.clear()
        self._entry_buttons(False)

    def _entry_buttons(self, enabled: bool) -> None:
        self.save_button.setEnabled(enabled)
        self.export_button.setEnabled(enabled)

    def show_entry(self, entry: ArchiveEntry, names: Names) -> None:
        """The index row; the checks follow when they finish."""
        self.show_nothing()
        self.heading.setText(entry.title)
        self.facts.setText(
            "\n".join(
                [
                    QCoreApplication.translate(
                        "DetailPane", "Number: {0}   Category: {1}"
                    ).format(entry.doc_number or "-", entry.category or "-"),
                    QCoreApplication.translate(
                        "DetailPane", "Seal: {0}   Officer: {1}"
                    ).format(
                        names.seal(entry.seal_id) or "-",
                        names.person(entry.officer_id) or "-",
                    ),
                    QCoreApplication.translate(
                        "DetailPane", "Stamped: {0}   SHA-256: {1}"
                    ).format(entry.stamped_at, entry.sha256),
                ]
            )
        )
        self._entry_buttons(True)
        self.show_checking()

    def show_dropped(self, name: str) -> None:
        """A file from outside the archive: only its verification is shown."""
        self.show_nothing()
        self.heading.setText(
            QCoreApplication.translate("DetailPane", "Dropped file: {0}").format(name)
        )
        self.evidence_view.setPlainText(
            QCoreApplication.translate(
                "DetailPane",
                "Not an archived document: no chain evidence or retrievals.",
            )
        )
        self.show_checking()

    def show_checking(self) -> None:
        self.verdict.setStyleSheet("")
        self.verdict.setText(QCoreApplication.translate("DetailPane", "Verifying…"))

    def show_check_failed(self) -> None:
        self.verdict.setStyleSheet(f"color: {VERDICT_COLOURS['cannot verify']};")
        self.verdict.setText(
            QCoreApplication.translate("DetailPane", "Verification did not finish.")
        )

    def show_report(self, report: VerificationReport, title: str) -> None:
        self.report = report
        value = report.verdict.value
        self.verdict.setStyleSheet(
            f"color: {VERDICT_COLOURS[value]}; font-size: 13pt; font-weight: bold;"
        )
        self.verdict.setText(
            QCoreApplication.translate("DetailPane", "Verdict: ") + verdict_text(value)
        )
        self.report_view.setHtml(report_html(report, title, self.lang))

    def show_evidence(self, found: Sequence[EntryEvidence]) -> None:
        self.evidence_view.setHtml(evidence_html(found))

    def show_retrievals(self, entries: Sequence[LogEntry], names: Names) -> None:
        fill_table(
            self.retrievals,
            [
                [
                    e.at[:19].replace("T", " "),
                    names.person(e.actor),
                    self._written_to(str(e.details.get("output", ""))),
                ]
                for e in entries
            ],
        )

    def _written_to(self, output: str) -> str:
        if output.startswith(VERIFICATION_COPY_PREFIX):
            return QCoreApplication.translate(
                "DetailPane", "copy for verification (deleted)"
            )
        return output

    def show_outcome(self, text: str) -> None:
        self.outcome.setText(text)
