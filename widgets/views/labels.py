"""Names of roles, states and kinds as the person at the desk reads them.

The English names are the sources of Qt translations in this module's
context; the installed translator gives them in the person's language.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication

from app.admin.approvals import ApprovalStatus
from app.admin.roles import Role
from app.admin.seals import KeyStore, SealStatus, SealType
from widgets.i18n import QT_TRANSLATE_NOOP

__all__ = [
    "approval_label",
    "key_store_label",
    "role_label",
    "roles_label",
    "seal_status_label",
    "seal_type_label",
    "yes_no",
]

_CONTEXT = "widgets.views.labels"
_ROLE = {
    Role.ADMINISTRATOR: QT_TRANSLATE_NOOP("widgets.views.labels", "Administrator"),
    Role.APPROVER: QT_TRANSLATE_NOOP("widgets.views.labels", "Approver"),
    Role.OFFICER: QT_TRANSLATE_NOOP("widgets.views.labels", "Officer"),
    Role.ARCHIVIST: QT_TRANSLATE_NOOP("widgets.views.labels", "Archivist"),
    Role.AUDITOR: QT_TRANSLATE_NOOP("widgets.views.labels", "Auditor"),
}
_SEAL_TYPE = {
    SealType.OFFICIAL: QT_TRANSLATE_NOOP("widgets.views.labels", "Official"),
    SealType.CONTRACT: QT_TRANSLATE_NOOP("widgets.views.labels", "Contract"),
    SealType.FINANCE: QT_TRANSLATE_NOOP("widgets.views.labels", "Finance"),
    SealType.LEGAL_REPRESENTATIVE: QT_TRANSLATE_NOOP(
        "widgets.views.labels", "Legal representative"
    ),
    SealType.DEPARTMENT: QT_TRANSLATE_NOOP("widgets.views.labels", "Department"),
    SealType.INVOICE: QT_TRANSLATE_NOOP("widgets.views.labels", "Invoice"),
}
_SEAL_STATUS = {
    SealStatus.ACTIVE: QT_TRANSLATE_NOOP("widgets.views.labels", "Active"),
    SealStatus.SUSPENDED: QT_TRANSLATE_NOOP("widgets.views.labels", "Suspended"),
    SealStatus.REVOKED: QT_TRANSLATE_NOOP("widgets.views.labels", "Revoked"),
    SealStatus.DESTROYED: QT_TRANSLATE_NOOP("widgets.views.labels", "Destroyed"),
}
_APPROVAL = {
    ApprovalStatus.PENDING: QT_TRANSLATE_NOOP("widgets.views.labels", "Pending"),
    ApprovalStatus.APPROVED: QT_TRANSLATE_NOOP("widgets.views.labels", "Approved"),
    ApprovalStatus.REJECTED: QT_TRANSLATE_NOOP("widgets.views.labels", "Rejected"),
    ApprovalStatus.USED: QT_TRANSLATE_NOOP("widgets.views.labels", "Used"),
}
_KEY_STORE = {
    KeyStore.USB_KEY: QT_TRANSLATE_NOOP("widgets.views.labels", "USB key"),
    KeyStore.HSM: QT_TRANSLATE_NOOP("widgets.views.labels", "HSM"),
}


def _tr(source: str) -> str:
    return QCoreApplication.translate(_CONTEXT, source)


def role_label(role: Role) -> str:
    return _tr(_ROLE[role])


def roles_label(roles: Iterable[Role]) -> str:
    order = list(Role)
    ordered = sorted(roles, key=order.index)
    separator = QCoreApplication.translate("widgets.views.labels", ", ")
    return separator.join(role_label(r) for r in ordered)


def seal_status_label(status: SealStatus) -> str:
    return _tr(_SEAL_STATUS[status])


def seal_type_label(kind: SealType) -> str:
    return _tr(_SEAL_TYPE[kind])


def approval_label(status: ApprovalStatus | None) -> str:
    if status is None:
        return QCoreApplication.translate("widgets.views.labels", "None requested")
    return _tr(_APPROVAL[status])


def key_store_label(store: KeyStore) -> str:
    return _tr(_KEY_STORE[store])


def yes_no(value: bool) -> str:
    if value:
        return QCoreApplication.translate("widgets.views.labels", "Yes")
    return QCoreApplication.translate("widgets.views.labels", "No")
