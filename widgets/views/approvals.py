"""Approvals (用印审批): the approver's pending requests, approved or rejected.

The approver chooses a request, writes a comment and decides; the service
checks every rule again (no self-approval, named approvers only) and a refusal
comes back as an error through :attr:`View.failed`.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
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
from app.workspace import OpenWorkspace
from widgets.views.base import View, fill_table, make_table, short_hash
from widgets.views.labels import approval_label
from widgets.views.names import Names, read_names

__all__ = ["ApprovalsView"]


@dataclass(frozen=True)
class PendingData:
    approvals: list[Approval]
    names: Names


class ApprovalsView(View):
    decided = Signal(object)

    def __init__(self, opened: OpenWorkspace, actor: Actor, lang: str) -> None:
        super().__init__(opened, actor, lang)
        self.pending: list[Approval] = []
        self.table = make_table(
            [
                self.text("Requested", "申请时间"),
                self.text("Officer", "经办人"),
                self.text("Seal", "印章"),
                self.text("Document", "文件"),
                self.text("Category", "类别"),
                self.text("SHA-256", "SHA-256"),
                self.text("Reason", "事由"),
            ]
        )
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.comment = QLineEdit()
        self.comment.setPlaceholderText(
            self.text("Comment (required to reject)", "审批意见（驳回时必填）")
        )
        self.approve_button = QPushButton(self.text("Approve", "批准"))
        self.reject_button = QPushButton(self.text("Reject", "驳回"))
        self.approve_button.clicked.connect(lambda: self.decide(approved=True))
        self.reject_button.clicked.connect(lambda: self.decide(approved=False))
        self.status = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.comment, 1)
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.reject_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
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
        chosen = self.selected() is not None and not self.busy
        self.approve_button.setEnabled(chosen)
        self.reject_button.setEnabled(chosen)

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

        self.approve_button.setEnabled(False)
        self.reject_button.setEnabled(False)
        self.run(work, self._decided, lambda _exc: self._selection_changed())

    def _decided(self, approval: Approval) -> None:
        self.comment.clear()
        self.status.setText(
            self.text(
                f"{approval.document_title or approval.id}: "
                f"{approval_label(approval.status, 'en')}.",
                f"{approval.document_title or approval.id}："
                f"{approval_label(approval.status, 'zh')}。",
            )
        )
        self.decided.emit(approval)
        self.load()
