"""Granting a seal (用印授权): person, seal, validity, quota, categories, approval.

The officers, usable seals and approvers are read in the background when the
dialog opens. :func:`app.admin.grants.add_grant` checks everything again: the
grantee must be an officer, nobody approves their own uses, and the seal's
manager may not be the only approver.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QCoreApplication, QDateTime, QTimeZone, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.admin.grants import Grant, GrantDraft, add_grant
from app.admin.people import Person, list_people
from app.admin.roles import Actor, Role
from app.admin.seals import Seal, SealStatus, list_seals
from app.workspace import OpenWorkspace
from widgets.dialog_buttons import ok_cancel_buttons
from widgets.tasks import Task, start_task

__all__ = ["AddGrantDialog", "split_categories"]

_SEPARATORS = re.compile(r"[,，、;；\s]+")


def split_categories(text: str) -> tuple[str, ...]:
    """Categories typed in one line, separated by commas, 、 or spaces."""
    return tuple(part for part in _SEPARATORS.split(text) if part)


@dataclass(frozen=True)
class _Choices:
    people: list[Person]
    seals: list[Seal]


class AddGrantDialog(QDialog):
    """Emits :attr:`granted` with the new :class:`Grant`, :attr:`failed` on errors."""

    granted = Signal(object)
    failed = Signal(object)
    choices_loaded = Signal()

    def __init__(
        self,
        opened: OpenWorkspace,
        actor: Actor,
        lang: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.opened = opened
        self.actor = actor
        self.lang = lang
        self._task: Task | None = None
        self.setWindowTitle(
            QCoreApplication.translate("AddGrantDialog", "Grant a seal")
        )
        self.person = QComboBox()
        self.seal = QComboBox()
        now = datetime.now(UTC)
        self.valid_from = self._date_edit(now)
        self.valid_until = self._date_edit(now + timedelta(days=365))
        self.quota = QSpinBox()
        self.quota.setRange(0, 1_000_000)
        self.quota.setSpecialValueText(
            QCoreApplication.translate("AddGrantDialog", "unlimited")
        )
        self.categories = QLineEdit()
        self.categories.setPlaceholderText(
            QCoreApplication.translate("AddGrantDialog", "e.g. 通知, 合同 (empty: any)")
        )
        self.approval = QCheckBox(
            QCoreApplication.translate("AddGrantDialog", "Each use needs approval")
        )
        self.approval.toggled.connect(self._approval_toggled)
        self.approver_boxes: dict[str, QCheckBox] = {}
        self.approvers = QVBoxLayout()
        self.note = QLabel(QCoreApplication.translate("AddGrantDialog", "Loading…"))
        self.note.setWordWrap(True)
        self.buttons, self.grant_button = ok_cancel_buttons(
            self, self.grant, QCoreApplication.translate("AddGrantDialog", "Grant")
        )
        self.grant_button.setEnabled(False)
        window = QHBoxLayout()
        window.addWidget(self.valid_from)
        window.addWidget(QLabel("–"))
        window.addWidget(self.valid_until)
        form = QFormLayout(self)
        form.addRow(
            QCoreApplication.translate("AddGrantDialog", "Officer"), self.person
        )
        form.addRow(QCoreApplication.translate("AddGrantDialog", "Seal"), self.seal)
        form.addRow(QCoreApplication.translate("AddGrantDialog", "Valid"), window)
        form.addRow(QCoreApplication.translate("AddGrantDialog", "Quota"), self.quota)
        form.addRow(
            QCoreApplication.translate("AddGrantDialog", "Categories"), self.categories
        )
        form.addRow("", self.approval)
        form.addRow(
            QCoreApplication.translate("AddGrantDialog", "Approvers"), self.approvers
        )
        form.addRow(self.note)
        form.addRow(self.buttons)
        self._approval_toggled()
        db = opened.db
        self._task = start_task(
            lambda: _Choices(list_people(db), list_seals(db)),
            self._show_choices,
            self._failed,
            owner=self,
        )

    def _date_edit(self, value: datetime) -> QDateTimeEdit:
        edit = QDateTimeEdit(
            QDateTime.fromSecsSinceEpoch(int(value.timestamp()), QTimeZone.utc())
        )
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        edit.setTimeZone(QTimeZone.utc())
        return edit

    def _show_choices(self, choices: _Choices) -> None:
        self._task = None
        for p in choices.people:
            if not p.active:
                continue
            if p.has(Role.OFFICER):
                self.person.addItem(p.name, p.id)
            if p.has(Role.APPROVER):
                box = QCheckBox(p.name)
                box.setEnabled(self.approval.isChecked())
                self.approver_boxes[p.id] = box
                self.approvers.addWidget(box)
        for s in choices.seals:
            if s.status in (SealStatus.ACTIVE, SealStatus.SUSPENDED):
                self.seal.addItem(s.name, s.id)
        self.note.clear()
        self.grant_button.setEnabled(self.person.count() > 0 and self.seal.count() > 0)
        self.choices_loaded.emit()

    def _approval_toggled(self) -> None:
        for box in self.approver_boxes.values():
            box.setEnabled(self.approval.isChecked())

    def choose(self, combo: QComboBox, name: str) -> None:
        index = combo.findText(name)
        if index < 0:
            raise KeyError(name)
        combo.setCurrentIndex(index)

    def draft(self) -> GrantDraft:
        required = self.approval.isChecked()
        approvers = tuple(
            person_id
            for person_id, box in self.approver_boxes.items()
            if required and box.isChecked()
        )
        return GrantDraft(
            person=str(self.person.currentData()),
            seal=str(self.seal.currentData()),
            valid_from=_utc(self.valid_from.dateTime()),
            valid_until=_utc(self.valid_until.dateTime()),
            quota=self.quota.value() or None,
            categories=split_categories(self.categories.text()),
            approval_required=required,
            approvers=approvers,
        )

    def grant(self) -> None:
        if self._task is not None or self.person.currentData() is None:
            return
        draft, db, actor = self.draft(), self.opened.db, self.actor
        self.grant_button.setEnabled(False)
        self.note.setText(QCoreApplication.translate("AddGrantDialog", "Saving…"))
        self._task = start_task(
            lambda: add_grant(db, actor, draft), self._granted, self._failed, self
        )

    def _granted(self, grant: Grant) -> None:
        self._task = None
        self.note.clear()
        self.accept()
        self.granted.emit(grant)

    def _failed(self, exc: Exception) -> None:
        self._task = None
        self.note.clear()
        self.grant_button.setEnabled(self.person.count() > 0 and self.seal.count() > 0)
        self.failed.emit(exc)


def _utc(value: QDateTime) -> datetime:
    return datetime.fromtimestamp(value.toSecsSinceEpoch(), UTC)
