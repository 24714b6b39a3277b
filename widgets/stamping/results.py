"""Before and after a stamping run: the confirmation list and the result banner.

Several documents are listed with where each stamped copy will go, and the
officer confirms once. Afterwards the banner shows every document's outcome
and, as each check comes back from the background, the verification verdict
of its stamped copy.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import pick
from app.stamping.service import BatchReport, DocumentReport, Outcome, StampJob
from app.verification import Verdict, VerificationReport
from widgets.dialog_buttons import ok_cancel_buttons
from widgets.i18n import QT_TRANSLATE_NOOP
from widgets.views.base import fill_table, make_table

__all__ = [
    "BatchConfirmDialog",
    "ResultBanner",
    "outcome_label",
    "verdict_label",
]

_CONTEXT = "widgets.stamping.results"
_OUTCOME = {
    Outcome.STAMPED: QT_TRANSLATE_NOOP("widgets.stamping.results", "Stamped"),
    Outcome.REFUSED: QT_TRANSLATE_NOOP("widgets.stamping.results", "Refused"),
    Outcome.FAILED: QT_TRANSLATE_NOOP("widgets.stamping.results", "Failed"),
    Outcome.NOT_ATTEMPTED: QT_TRANSLATE_NOOP(
        "widgets.stamping.results", "Not attempted"
    ),
}
_VERDICT = {
    Verdict.VALID: QT_TRANSLATE_NOOP("widgets.stamping.results", "Valid"),
    Verdict.INVALID: QT_TRANSLATE_NOOP("widgets.stamping.results", "INVALID"),
    Verdict.INDETERMINATE: QT_TRANSLATE_NOOP(
        "widgets.stamping.results", "Cannot be confirmed"
    ),
}


def outcome_label(outcome: Outcome) -> str:
    return QCoreApplication.translate(_CONTEXT, _OUTCOME[outcome])


def verdict_label(report: VerificationReport, lang: str) -> str:
    """The verdict and its reasons; the reasons come in ``lang`` from the app."""
    source = _VERDICT.get(report.verdict)
    verdict = (
        report.verdict.value
        if source is None
        else QCoreApplication.translate(_CONTEXT, source)
    )
    reasons = [m.text(lang) for m in report.reasons]
    for sig in report.signatures:
        reasons.extend(m.text(lang) for m in sig.reasons)
    return f"{verdict}: {' '.join(reasons)}" if reasons else verdict


class BatchConfirmDialog(QDialog):
    """Lists the documents of a batch and where their copies go."""

    def __init__(self, job: StampJob, lang: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.setWindowTitle(
            QCoreApplication.translate("BatchConfirmDialog", "Stamp several documents")
        )
        count = len(job.inputs)
        intro = QLabel(
            QCoreApplication.translate(
                "BatchConfirmDialog", "Stamp {0} documents with the seal {1}?"
            ).format(count, job.seal)
        )
        self.table = make_table(
            [
                QCoreApplication.translate("BatchConfirmDialog", "Document"),
                QCoreApplication.translate("BatchConfirmDialog", "Stamped copy"),
            ]
        )
        fill_table(
            self.table,
            [[str(s), str(o)] for s, o in zip(job.inputs, job.outputs, strict=True)],
        )
        self.buttons, _ok = ok_cancel_buttons(
            self, self.accept, QCoreApplication.translate("BatchConfirmDialog", "Stamp")
        )
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(self.buttons)
        self.resize(640, 360)


class ResultBanner(QWidget):
    """The outcome of the last run, one row per document."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table: QTableWidget = make_table(
            [
                QCoreApplication.translate("ResultBanner", "Document"),
                QCoreApplication.translate("ResultBanner", "Outcome"),
                QCoreApplication.translate("ResultBanner", "Stamped copy"),
                QCoreApplication.translate("ResultBanner", "Verification"),
            ]
        )
        self.rows: list[DocumentReport] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        self.setVisible(False)

    def start(self, job: StampJob) -> None:
        self.rows = []
        self.summary.setText(QCoreApplication.translate("ResultBanner", "Stamping…"))
        fill_table(self.table, [[s.name, "", "", ""] for s in job.inputs])
        self.setVisible(True)

    def progressed(self, index: int, report: DocumentReport) -> None:
        self._fill_row(index, report)

    def finished(self, report: BatchReport) -> None:
        self.rows = list(report.documents)
        for index, doc in enumerate(report.documents):
            self._fill_row(index, doc)
        stamped = report.count(Outcome.STAMPED)
        total = len(report.documents)
        text = QCoreApplication.translate(
            "ResultBanner", "{0} of {1} document(s) stamped."
        ).format(stamped, total)
        if report.stopped_en is not None:
            stopped = pick(
                self.lang, report.stopped_en, report.stopped_zh or report.stopped_en
            )
            text = f"{text} {stopped}"
        self.summary.setText(text)

    def cancelled(self) -> None:
        self.summary.setText(
            QCoreApplication.translate(
                "ResultBanner", "Cancelled; nothing was stamped."
            )
        )
        self.setVisible(True)

    def verified(self, index: int, report: VerificationReport) -> None:
        self._set(index, 3, verdict_label(report, self.lang))

    def _fill_row(self, index: int, doc: DocumentReport) -> None:
        word = outcome_label(doc.outcome)
        why = pick(self.lang, doc.en, doc.zh or doc.en)
        self._set(index, 0, doc.input.name)
        self._set(index, 1, f"{word}: {why}" if why else word)
        stamped = doc.outcome is Outcome.STAMPED
        self._set(index, 2, str(doc.output) if stamped else "")
        if stamped:
            self._set(index, 3, QCoreApplication.translate("ResultBanner", "Checking…"))

    def _set(self, row: int, col: int, value: str) -> None:
        item = self.table.item(row, col)
        if item is not None:
            item.setText(value)

    def output_of(self, index: int) -> Path:
        return self.rows[index].output
