"""Errors of administration, approvals (用印审批) and the use policy.

Every rule has its own :class:`RefusedError` subclass with a stable ``code``;
the code is what a refusal's usage-log entry records, so an auditor can count
refusals by rule without reading text. Messages are for the person at the
desk, in English and Chinese.
"""

from __future__ import annotations

from typing import ClassVar

from app.errors import SealDeskError

__all__ = [
    "AdminError",
    "ApprovalDecidedError",
    "ApprovalDocumentMismatchError",
    "ApprovalExpiredError",
    "ApprovalMismatchError",
    "ApprovalPendingError",
    "ApprovalRejectedError",
    "ApprovalRequiredError",
    "ApprovalReusedError",
    "AuditorReadOnlyError",
    "CategoryNotAllowedError",
    "GrantExpiredError",
    "GrantNotYetValidError",
    "HsmPinMissingError",
    "LoginFailedError",
    "ManagerSoleApproverError",
    "NoGrantError",
    "NotAdministratorError",
    "NotAnApproverError",
    "NotFoundError",
    "QuotaExhaustedError",
    "RefusedError",
    "RoleConflictError",
    "RoleRequiredError",
    "SealDestroyedError",
    "SealOutsideValidityError",
    "SealRevokedError",
    "SealSuspendedError",
    "SealTransitionError",
    "SelfApprovalError",
]


class AdminError(SealDeskError):
    """Base of the administration errors."""


class NotFoundError(AdminError):
    """No person, seal, grant or approval by that name or id."""

    def __init__(self, what_en: str, what_zh: str, ref: str) -> None:
        super().__init__(
            f"No {what_en} '{ref}' in this workspace.",
            f"本工作区中没有{what_zh}“{ref}”。",
        )
        self.ref = ref


class HsmPinMissingError(AdminError):
    """An HSM seal is used but no administrator has stored the HSM's PIN."""

    def __init__(self, token_serial: str) -> None:
        super().__init__(
            f"No PIN is stored for HSM token {token_serial}; an administrator "
            "must enter it first.",
            f"尚未保存 HSM 令牌 {token_serial} 的 PIN，请管理员先录入。",
        )


class RefusedError(AdminError):
    """A rule refused the action; the refusal is written to the usage log."""

    code: ClassVar[str] = "refused"


# -- who may act ---------------------------------------------------------------


class LoginFailedError(RefusedError):
    """Wrong name, password, token signature or certificate."""

    code = "login-failed"

    def __init__(self, detail_en: str = "", detail_zh: str = "") -> None:
        super().__init__(
            "Login failed: wrong name or credentials"
            + (f" ({detail_en})." if detail_en else "."),
            "登录失败：用户名或凭据不正确"
            + (f"（{detail_zh}）。" if detail_zh else "。"),
        )


class RoleRequiredError(RefusedError):
    """The acting person lacks the role this action needs."""

    code = "role-required"

    def __init__(self, name: str, role: str, role_zh: str) -> None:
        super().__init__(
            f"{name} is not an {role}; only an {role} may do this."
            if role[0] in "aeiou"
            else f"{name} is not a {role}; only a {role} may do this.",
            f"{name} 不是{role_zh}，只有{role_zh}才能执行此操作。",
        )
        self.role = role


class NotAdministratorError(RoleRequiredError):
    """Only an administrator may manage people, seals and grants."""

    code = "not-administrator"


class AuditorReadOnlyError(RefusedError):
    """Auditors read everything and change nothing."""

    code = "auditor-read-only"

    def __init__(self, name: str) -> None:
        super().__init__(
            f"{name} is an auditor; auditors can read but change nothing.",
            f"{name} 是审计员；审计员只能查看，不能做任何更改。",
        )


class RoleConflictError(RefusedError):
    """A combination of roles that separation of duties (三权分立) forbids."""

    code = "role-conflict"

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en, zh)


class SelfApprovalError(RefusedError):
    """Nobody approves their own request."""

    code = "self-approval"

    def __init__(self, name: str) -> None:
        super().__init__(
            f"{name} cannot decide their own request; another approver must.",
            f"{name} 不能审批自己提交的申请，须由其他审批人审批。",
        )


class ManagerSoleApproverError(RefusedError):
    """The manager of a seal cannot also be its only approver."""

    code = "manager-sole-approver"

    def __init__(self, manager: str, seal: str) -> None:
        super().__init__(
            f"{manager} manages seal '{seal}' and would be its only approver; "
            "name another approver.",
            f"{manager} 是印章“{seal}”的管理人，不能同时作为其唯一审批人，"
            "请指定其他审批人。",
        )


class NotAnApproverError(RefusedError):
    """The person is not among the approvers the grant names."""

    code = "not-an-approver"

    def __init__(self, name: str) -> None:
        super().__init__(
            f"{name} is not an approver for this grant.",
            f"{name} 不是该授权指定的审批人。",
        )


# -- seals -------------------------------------------------------------------------


class SealTransitionError(RefusedError):
    """A lifecycle change the seal's state does not allow."""

    code = "seal-transition"

    def __init__(self, seal: str, status: str, wanted: str) -> None:
        super().__init__(
            f"Seal '{seal}' is {status}; it cannot be {wanted}.",
            f"印章“{seal}”当前状态为 {status}，不能执行“{wanted}”。",
        )


class SealSuspendedError(RefusedError):
    code = "seal-suspended"

    def __init__(self, seal: str) -> None:
        super().__init__(
            f"Seal '{seal}' is suspended and cannot be used.",
            f"印章“{seal}”已暂停使用。",
        )


class SealRevokedError(RefusedError):
    code = "seal-revoked"

    def __init__(self, seal: str) -> None:
        super().__init__(
            f"Seal '{seal}' has been revoked and can never be used again.",
            f"印章“{seal}”已吊销，不能再使用。",
        )


class SealDestroyedError(RefusedError):
    code = "seal-destroyed"

    def __init__(self, seal: str) -> None:
        super().__init__(
            f"Seal '{seal}' has been destroyed.",
            f"印章“{seal}”已销毁。",
        )


class SealOutsideValidityError(RefusedError):
    code = "seal-outside-validity"

    def __init__(self, seal: str, valid_from: str, valid_until: str) -> None:
        super().__init__(
            f"Seal '{seal}' is valid only from {valid_from} until {valid_until}.",
            f"印章“{seal}”的有效期为 {valid_from} 至 {valid_until}。",
        )


# -- grants ------------------------------------------------------------------------


class NoGrantError(RefusedError):
    code = "no-grant"

    def __init__(self, name: str, seal: str) -> None:
        super().__init__(
            f"{name} holds no grant for seal '{seal}'.",
            f"{name} 没有印章“{seal}”的使用授权。",
        )


class GrantNotYetValidError(RefusedError):
    code = "grant-not-yet-valid"

    def __init__(self, seal: str, valid_from: str) -> None:
        super().__init__(
            f"The grant for seal '{seal}' starts only at {valid_from}.",
            f"印章“{seal}”的授权自 {valid_from} 起才生效。",
        )


class GrantExpiredError(RefusedError):
    code = "grant-expired"

    def __init__(self, seal: str, valid_until: str) -> None:
        super().__init__(
            f"The grant for seal '{seal}' expired at {valid_until}.",
            f"印章“{seal}”的授权已于 {valid_until} 过期。",
        )


class QuotaExhaustedError(RefusedError):
    code = "quota-exhausted"

    def __init__(self, seal: str, quota: int) -> None:
        super().__init__(
            f"The grant for seal '{seal}' allows {quota} uses and all are spent.",
            f"印章“{seal}”的授权次数（{quota} 次）已用完。",
        )


class CategoryNotAllowedError(RefusedError):
    code = "category-not-allowed"

    def __init__(self, seal: str, category: str, allowed: tuple[str, ...]) -> None:
        listed = ", ".join(allowed)
        super().__init__(
            f"Seal '{seal}' may not be used on '{category}' documents "
            f"(allowed: {listed}).",
            f"印章“{seal}”不能用于“{category}”类文件（允许：{listed}）。",
        )


# -- approvals (用印审批) ------------------------------------------------------------


class ApprovalRequiredError(RefusedError):
    code = "approval-required"

    def __init__(self, seal: str) -> None:
        super().__init__(
            f"Using seal '{seal}' needs an approval for this document.",
            f"使用印章“{seal}”须先获得针对本文件的用印审批。",
        )


class ApprovalPendingError(RefusedError):
    code = "approval-pending"

    def __init__(self, approval: str) -> None:
        super().__init__(
            f"Approval {approval} has not been decided yet.",
            f"用印审批 {approval} 尚未审批。",
        )


class ApprovalRejectedError(RefusedError):
    code = "approval-rejected"

    def __init__(self, approval: str) -> None:
        super().__init__(
            f"Approval {approval} was rejected.",
            f"用印审批 {approval} 已被驳回。",
        )


class ApprovalExpiredError(RefusedError):
    code = "approval-expired"

    def __init__(self, approval: str, expires_at: str) -> None:
        super().__init__(
            f"Approval {approval} expired at {expires_at}.",
            f"用印审批 {approval} 已于 {expires_at} 过期。",
        )


class ApprovalReusedError(RefusedError):
    code = "approval-reused"

    def __init__(self, approval: str, used_at: str | None) -> None:
        super().__init__(
            f"Approval {approval} was already used ({used_at}); each approval "
            "is good for one stamping.",
            f"用印审批 {approval} 已于 {used_at} 使用过；每次审批只能用印一次。",
        )


class ApprovalMismatchError(RefusedError):
    """The approval was given for something else than what is being stamped."""

    code = "approval-mismatch"

    def __init__(self, approval: str, what_en: str, what_zh: str) -> None:
        super().__init__(
            f"Approval {approval} was given for another {what_en}.",
            f"用印审批 {approval} 针对的是另一{what_zh}。",
        )


class ApprovalDocumentMismatchError(ApprovalMismatchError):
    """The document's SHA-256 differs from the one approved."""

    code = "approval-other-document"

    def __init__(self, approval: str) -> None:
        super().__init__(
            approval, "document (its SHA-256 differs)", "份文件（摘要不同）"
        )


class ApprovalDecidedError(RefusedError):
    code = "approval-decided"

    def __init__(self, approval: str, status: str) -> None:
        super().__init__(
            f"Approval {approval} is already {status}.",
            f"用印审批 {approval} 已处于“{status}”状态。",
        )
