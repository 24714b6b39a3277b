"""Before and after a stamping run: the confirmation list and the result banner.

Several documents are listed with where each stamped copy will go, and the
officer confirms once. Afterwards the banner shows every document's outcome
and, as each check comes back from the background, the verification verdict
of its stamped copy.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import pick
from app.stamping.service import BatchReport, DocumentReport, Outcome, StampJob
from app.verification import Verdict, VerificationReport
from widgets.views.base import fill_table, make_table

__all__ = [
    "BatchConfirmDialog",
    "ResultBanner",
    "outcome_label",
    "verdict_label",
]

_OUTCOME = {
    Outcome.STAMPED: ("Stamped", "已盖章"),
    Outcome.REFUSED: ("Refused", "已拒绝"),
    Outcome.FAILED: ("Failed", "失败"),
    Outcome.NOT_ATTEMPTED: ("Not attempted", "未处理"),
}
_VERDICT = {
    Verdict.VALID: ("Valid", "有效"),
    Verdict.INVALID: ("INVALID", "无效"),
    Verdict.INDETERMINATE: ("Cannot be confirmed", "无法确认"),
}


def outcome_label(outcome: Outcome, lang: str) -> str:
    return pick(lang, *_OUTCOME[outcome])


def verdict_label(report: VerificationReport, lang: str) -> str:
    verdict = pick(lang, *_VERDICT.get(report.verdict, (report.verdict.value,) * 2))
    reasons = [m.text(lang) for m in report.reasons]
    for sig in report.signatures:
        reasons.extend(m.text(lang) for m in sig.reasons)
    return f"{verdict}: {' '.join(reasons)}" if reasons else verdict


class BatchConfirmDialog(QDialog):
    """Lists the documents of a batch and where their copies go."""

    def __init__(self, job: StampJob, lang: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.setWindowTitle(self.text("Stamp several documents", "批量盖章"))
        count = len(job.inputs)
        intro = QLabel(
            self.text(
                f"Stamp {count} documents with the seal {job.seal}?",
                f"确认用印章“{job.seal}”对 {count} 个文件盖章？",
            )
        )
        self.table = make_table(
            [self.text("Document", "文件"), self.text("Stamped copy", "盖章后文件")]
        )
        fill_table(
            self.table,
            [[str(s), str(o)] for s, o in zip(job.inputs, job.outputs, strict=True)],
        )
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.text("Stamp", "盖章"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.text("Cancel", "取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(self.buttons)
        self.resize(640, 360)

    def text(self, en: str, zh: str) -> str:
        return pick(self.lang, en, zh)


class ResultBanner(QWidget):
    """The outcome of the last run, one row per document."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table: QTableWidget = make_table(
            [
                self.text("Document", "文件"),
                self.text("Outcome", "结果"),
                self.text("Stamped copy", "盖章后文件"),
                self.text("Verification", "验章"),
            ]
        )
        self.rows: list[DocumentReport] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        self.setVisible(False)

    def text(self, en: str, zh: str) -> str:
        return pick(self.lang, en, zh)

    def start(self, job: StampJob) -> None:
        self.rows = []
        self.summary.setText(self.text("Stamping…", "正在盖章…"))
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
        text = self.text(
            f"{stamped} of {total} document(s) stamped.",
            f"共 {total} 个文件，已盖章 {stamped} 个。",
        )
        if report.stopped_en is not None:
            stopped = self.text(
                report.stopped_en, report.stopped_zh or report.stopped_en
            )
            text = f"{text} {stopped}"
        self.summary.setText(text)

    def cancelled(self) -> None:
        self.summary.setText(
            self.text("Cancelled; nothing was stamped.", "已取消，未盖章。")
        )
        self.setVisible(True)

    def verified(self, index: int, report: VerificationReport) -> None:
        self._set(index, 3, verdict_label(report, self.lang))

    def _fill_row(self, index: int, doc: DocumentReport) -> None:
        word = outcome_label(doc.outcome, self.lang)
        why = self.text(doc.en, doc.zh or doc.en)
        self._set(index, 0, doc.input.name)
        self._set(index, 1, f"{word}: {why}" if why else word)
        stamped = doc.outcome is Outcome.STAMPED
        self._set(index, 2, str(doc.output) if stamped else "")
        if stamped:
            self._set(index, 3, self.text("Checking…", "正在验章…"))

    def _set(self, row: int, col: int, value: str) -> None:
        item = self.table.item(row, col)
        if item is not None:
            item.setText(value)

    def output_of(self, index: int) -> Path:
        return self.rows[index].output
