"""Names of roles, states and kinds as the person at the desk reads them."""

from __future__ import annotations

from collections.abc import Iterable

from app.admin.approvals import ApprovalStatus
from app.admin.roles import Role
from app.admin.seals import KeyStore, SealStatus, SealType
from app.i18n import pick

__all__ = [
    "approval_label",
    "key_store_label",
    "role_label",
    "roles_label",
    "seal_status_label",
    "seal_type_label",
    "yes_no",
]

_ROLE_EN = {
    Role.ADMINISTRATOR: "Administrator",
    Role.APPROVER: "Approver",
    Role.OFFICER: "Officer",
    Role.ARCHIVIST: "Archivist",
    Role.AUDITOR: "Auditor",
}
_SEAL_STATUS = {
    SealStatus.ACTIVE: ("Active", "启用"),
    SealStatus.SUSPENDED: ("Suspended", "暂停"),
    SealStatus.REVOKED: ("Revoked", "吊销"),
    SealStatus.DESTROYED: ("Destroyed", "销毁"),
}
_APPROVAL = {
    ApprovalStatus.PENDING: ("Pending", "待审批"),
    ApprovalStatus.APPROVED: ("Approved", "已批准"),
    ApprovalStatus.REJECTED: ("Rejected", "已驳回"),
    ApprovalStatus.USED: ("Used", "已使用"),
}
_KEY_STORE = {
    KeyStore.USB_KEY: ("USB key", "USB Key"),
    KeyStore.HSM: ("HSM", "密码机"),
}


def role_label(role: Role, lang: str) -> str:
    return pick(lang, _ROLE_EN[role], role.zh)


def roles_label(roles: Iterable[Role], lang: str) -> str:
    order = list(Role)
    ordered = sorted(roles, key=order.index)
    return pick(lang, ", ", "、").join(role_label(r, lang) for r in ordered)


def seal_status_label(status: SealStatus, lang: str) -> str:
    return pick(lang, *_SEAL_STATUS[status])


def seal_type_label(kind: SealType, lang: str) -> str:
    return pick(lang, kind.value.replace("_", " ").capitalize(), kind.zh)


def approval_label(status: ApprovalStatus | None, lang: str) -> str:
    if status is None:
        return pick(lang, "None requested", "未申请")
    return pick(lang, *_APPROVAL[status])


def key_store_label(store: KeyStore, lang: str) -> str:
    return pick(lang, *_KEY_STORE[store])


def yes_no(value: bool, lang: str) -> str:
    return pick(lang, "Yes", "是") if value else pick(lang, "No", "否")
