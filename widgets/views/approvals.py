"""Approvals (用印审批): the approver's pending requests, approved or rejected.

The approver chooses a request, sees the first page of its document (kept
encrypted with the request; the viewing is logged), writes a comment and
decides. The service checks every rule again (no self-approval, named
approvers only) and a refusal comes back as an error through
:attr:`View.failed`.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
)

from app.admin.approvals import (
    Approval,
    ApprovalStatus,
    approve,
    list_approvals,
    reject,
)
from app.admin.roles import Actor
from app.approval_documents import ApprovalPreview, preview_document
from app.workspace import OpenWorkspace
from widgets.views.base import View, fill_table, make_table, short_hash
from widgets.views.labels import approval_label
from widgets.views.names import Names, read_names

__all__ = ["ApprovalsView"]


@dataclass(frozen=True)
class PendingData:
    approvals: list[Approval]
    names: Names


# Pixels per point of the preview: an A4 page about 420 pixels tall.
_PREVIEW_SCALE = 0.5


class ApprovalsView(View):
    decided = Signal(object)
    previewed = Signal(object)  # the ApprovalPreview shown, or None

    def __init__(self, opened: OpenWorkspace, actor: Actor, lang: str) -> None:
        super().__init__(opened, actor, lang)
        self.pending: list[Approval] = []
        self.table = make_table(
            [
                QCoreApplication.translate("ApprovalsView", "Requested"),
                QCoreApplication.translate("ApprovalsView", "Officer"),
                QCoreApplication.translate("ApprovalsView", "Seal"),
                QCoreApplication.translate("ApprovalsView", "Document"),
                QCoreApplication.translate("ApprovalsView", "Category"),
                QCoreApplication.translate("ApprovalsView", "SHA-256"),
                QCoreApplication.translate("ApprovalsView", "Reason"),
            ]
        )
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.comment = QLineEdit()
        self.comment.setPlaceholderText(
            QCoreApplication.translate("ApprovalsView", "Comment (required to reject)")
        )
        self.approve_button = QPushButton(
            QCoreApplication.translate("ApprovalsView", "Approve")
        )
        self.reject_button = QPushButton(
            QCoreApplication.translate("ApprovalsView", "Reject")
        )
        self.approve_button.clicked.connect(lambda: self.decide(approved=True))
        self.reject_button.clicked.connect(lambda: self.decide(approved=False))
        self.status = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.comment, 1)
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.reject_button)
        self.preview = QLabel(
            QCoreApplication.translate("ApprovalsView", "Choose a request.")
        )
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumWidth(320)
        self.preview.setSizePolicy(
            QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding
        )
        self.preview_caption = QLabel()
        self.preview_caption.setWordWrap(True)
        self._previewing: str | None = None
        self._deciding = False
        side = QVBoxLayout()
        side.addWidget(self.preview, 1)
        side.addWidget(self.preview_caption)
        top = QHBoxLayout()
        top.addWidget(self.table, 2)
        top.addLayout(side, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self._selection_changed()
        self.load()

    def fetch(self) -> PendingData:
        db = self.opened.db
        pending = list_approvals(db, status=ApprovalStatus.PENDING)
        return PendingData(pending, read_names(self.opened))

    def show_data(self, data: PendingData) -> None:
        self.pending = data.approvals
        names = data.names
        fill_table(
            self.table,
            [
                [
                    a.requested_at[:16].replace("T", " "),
                    names.person(a.requester_id),
                    names.seal(a.seal_id),
                    a.document_title,
                    a.category,
                    short_hash(a.document_sha256),
                    a.reason,
                ]
                for a in data.approvals
            ],
        )
        if data.approvals:
            self.table.selectRow(0)
        self._selection_changed()

    def selected(self) -> Approval | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.pending):
            return None
        return self.pending[rows[0].row()]

    def _selection_changed(self) -> None:
        approval = self.selected()
        chosen = approval is not None and not self._deciding
        self.approve_button.setEnabled(chosen)
        self.reject_button.setEnabled(chosen)
        self._show_preview_of(approval)

    def _show_preview_of(self, approval: Approval | None) -> None:
        """Draw page 1 of the chosen request's document in the background."""
        wanted = None if approval is None else approval.id
        if wanted == self._previewing:
            return
        self._previewing = wanted
        self.preview.setPixmap(QPixmap())
        self.preview_caption.clear()
        if approval is None:
            self.preview.setText(
                QCoreApplication.translate("ApprovalsView", "Choose a request.")
            )
            return
        self.preview.setText(
            QCoreApplication.translate("ApprovalsView", "Drawing the document…")
        )
        opened, actor = self.opened, self.actor

        def work() -> ApprovalPreview | None:
            return preview_document(
                opened, approval.id, actor=actor, scale=_PREVIEW_SCALE
            )

        self.run(work, lambda shown: self._previewed(approval.id, shown))

    def _previewed(self, approval_id: str, shown: ApprovalPreview | None) -> None:
        if approval_id != self._previewing:
            return  # another request was chosen meanwhile
        if shown is None:
            self.preview.setText(
                QCoreApplication.translate(
                    "ApprovalsView",
                    "The request was made by SHA-256 only; no document to show.",
                )
            )
        else:
            page = shown.page
            image = QImage(
                page.rgb,
                page.width_px,
                page.height_px,
                page.width_px * 3,
                QImage.Format.Format_RGB888,
            ).copy()  # own the pixels; the bytes object may go away
            self.preview.setPixmap(QPixmap.fromImage(image))
            self.preview_caption.setText(
                QCoreApplication.translate(
                    "ApprovalsView", "{0}: page 1 of {1}"
                ).format(shown.file_name, shown.page_count)
            )
        self.previewed.emit(shown)

    def decide(self, *, approved: bool) -> None:
        approval = self.selected()
        if approval is None:
            return
        comment = self.comment.text().strip()
        db, actor = self.opened.db, self.actor

        def work() -> Approval:
            if approved:
                return approve(db, actor, approval.id, comment)
            return reject(db, actor, approval.id, comment)

        self._deciding = True
        self.approve_button.setEnabled(False)
        self.reject_button.setEnabled(False)
        self.run(work, self._decided, lambda _exc: self._decision_failed())

    def _decision_failed(self) -> None:
        self._deciding = False
        self._selection_changed()

    def _decided(self, approval: Approval) -> None:
        self._deciding = False
        self.comment.clear()
        self.status.setText(
            QCoreApplication.translate("ApprovalsView", "{0}: {1}.").format(
                approval.document_title or approval.id, approval_label(approval.status)
            )
        )
        self.decided.emit(approval)
        self.load()
