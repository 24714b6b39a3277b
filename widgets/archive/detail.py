"""The detail pane of the archive view: one document, its seals and its trail.

It shows what :class:`widgets.archive.view.ArchiveView` hands it: the index
row, the verification report (验章结果), the chain evidence (链上存证) and the
retrieval log (调阅记录), with the buttons that save a copy and export the
evidence package. It reads nothing itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

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
from app.i18n import pick
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
            self.text(
                "Select a document, or drop a PDF here to verify it.",
                "请选择文件，或将 PDF 拖放到此处进行验章。",
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
                self.text("Time", "时间"),
                self.text("Person", "人员"),
                self.text("Written to", "写入文件"),
            ]
        )
        self.retrievals.setMaximumHeight(150)
        self.save_button = QPushButton(self.text("Save a copy…", "另存副本…"))
        self.export_button = QPushButton(
            self.text("Export evidence package…", "导出证据包…")
        )
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        for browser in (self.report_view, self.evidence_view):
            browser.setAcceptDrops(False)
        self._lay_out()
        self.show_nothing()

    def text(self, en: str, zh: str) -> str:
        return pick(self.lang, en, zh)

    def _lay_out(self) -> None:
        check = QGroupBox(self.text("Verification", "验章结果"))
        check_layout = QVBoxLayout(check)
        check_layout.addWidget(self.verdict)
        check_layout.addWidget(self.report_view)
        chain = QGroupBox(self.text("Chain evidence", "链上存证"))
        QVBoxLayout(chain).addWidget(self.evidence_view)
        trail = QGroupBox(self.text("Retrieval log", "调阅记录"))
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
                    self.text(
                        f"Number: {entry.doc_number or '-'}   "
                        f"Category: {entry.category or '-'}",
                        f"文号：{entry.doc_number or '-'}　"
                        f"类别：{entry.category or '-'}",
                    ),
                    self.text(
                        f"Seal: {names.seal(entry.seal_id) or '-'}   "
                        f"Officer: {names.person(entry.officer_id) or '-'}",
                        f"印章：{names.seal(entry.seal_id) or '-'}　"
                        f"经办人：{names.person(entry.officer_id) or '-'}",
                    ),
                    self.text(
                        f"Stamped: {entry.stamped_at}   SHA-256: {entry.sha256}",
                        f"用印时间：{entry.stamped_at}　SHA-256：{entry.sha256}",
                    ),
                ]
            )
        )
        self._entry_buttons(True)
        self.show_checking()

    def show_dropped(self, name: str) -> None:
        """A file from outside the archive: only its verification is shown."""
        self.show_nothing()
        self.heading.setText(self.text(f"Dropped file: {name}", f"拖入的文件：{name}"))
        self.evidence_view.setPlainText(
            self.text(
                "Not an archived document: no chain evidence or retrievals.",
                "该文件不在档案中：无存证和调阅记录。",
            )
        )
        self.show_checking()

    def show_checking(self) -> None:
        self.verdict.setStyleSheet("")
        self.verdict.setText(self.text("Verifying…", "正在验章…"))

    def show_check_failed(self) -> None:
        self.verdict.setStyleSheet(f"color: {VERDICT_COLOURS['cannot verify']};")
        self.verdict.setText(
            self.text("Verification did not finish.", "验章未能完成。")
        )

    def show_report(self, report: VerificationReport, title: str) -> None:
        self.report = report
        value = report.verdict.value
        self.verdict.setStyleSheet(
            f"color: {VERDICT_COLOURS[value]}; font-size: 13pt; font-weight: bold;"
        )
        self.verdict.setText(
            self.text("Verdict: ", "结论：") + verdict_text(value, self.lang)
        )
        self.report_view.setHtml(report_html(report, title, self.lang))

    def show_evidence(self, found: Sequence[EntryEvidence]) -> None:
        self.evidence_view.setHtml(evidence_html(found, self.lang))

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
            return self.text(
                "copy for verification (deleted)", "验章用临时副本（已删除）"
            )
        return output

    def show_outcome(self, text: str) -> None:
        self.outcome.setText(text)
