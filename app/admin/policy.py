"""The use policy: may this person stamp this document with this seal, now?

The stamping service calls :func:`check_use` before it touches the token and
:func:`consume` inside the transaction that records the stamping. The check
reads the seal (state, validity window), the person's grant (validity window,
quota, document category) and, where given or required, the approval (用印审批)
bound to this person, seal, document SHA-256, category and placement, unused
and unexpired. Each refused rule raises its own error after appending a
``stamp.refused`` entry to the usage log in a transaction of its own.

:func:`consume` repeats the parts that can change between check and stamping
(a suspended seal, a revoked grant, a spent quota, an approval used by a
parallel stamping) as guarded updates, so two stampings can never share one
approval or the last use of a quota.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.admin.approvals import (
    Approval,
    ApprovalStatus,
    canonical_placement,
    check_sha256,
    find_approval,
)
from app.admin.clock import text_time, utc_now
from app.admin.errors import (
    ApprovalDocumentMismatchError,
    ApprovalExpiredError,
    ApprovalMismatchError,
    ApprovalPendingError,
    ApprovalRejectedError,
    ApprovalRequiredError,
    ApprovalReusedError,
    CategoryNotAllowedError,
    GrantExpiredError,
    GrantNotYetValidError,
    NoGrantError,
    QuotaExhaustedError,
    RefusedError,
    SealDestroyedError,
    SealOutsideValidityError,
    SealRevokedError,
    SealSuspendedError,
)
from app.admin.grants import Grant, find_grant, live_grant
from app.admin.journal import record_refusal
from app.admin.roles import Actor, Role, require_role
from app.admin.seals import Seal, SealStatus, find_seal
from app.admin.store import reading
from storage.database import Connection, Database

__all__ = ["USE_ACTION", "UseDecision", "check_use", "consume", "record_use_refusal"]

log = logging.getLogger(__name__)

USE_ACTION = "stamp"


@dataclass(frozen=True)
class UseDecision:
    """A use the policy allowed; hand it to :func:`consume` when stamping."""

    person_id: str
    seal_id: str
    grant_id: str
    approval_id: str | None
    document_sha256: str
    category: str
    checked_at: str
    quota_left: int | None


def check_use(
    db: Database,
    person: Actor,
    seal: str,
    document_sha256: str,
    category: str,
    approval_id: str | None,
    now: datetime | None = None,
    *,
    placement: Mapping[str, Any] | None = None,
) -> UseDecision:
    """Allow the use or raise the rule's :class:`RefusedError` (logged).

    ``seal`` is a seal id or name. ``placement``, when the approval bound
    one, must be the same placement.
    """
    digest = check_sha256(document_sha256)
    moment = now or utc_now()
    where: dict[str, str | None] = {"category": category, "approval": approval_id}
    seal_id = None
    try:
        with reading(db) as conn:
            found = find_seal(conn, seal)
            seal_id = found.id
            require_role(conn, person, Role.OFFICER)
            decision = _decide(
                conn, person, found, digest, category, approval_id, moment, placement
            )
    except RefusedError as exc:
        record_refusal(
            db,
            USE_ACTION,
            person.person_id,
            exc,
            seal_id=seal_id,
            document_sha256=digest,
            details=where,
        )
        raise
    return decision


def _decide(
    conn: Connection,
    person: Actor,
    seal: Seal,
    digest: str,
    category: str,
    approval_id: str | None,
    moment: datetime,
    placement: Mapping[str, Any] | None,
) -> UseDecision:
    now = text_time(moment)
    _check_seal(seal, now)
    grant = live_grant(conn, person.person_id, seal.id)
    if grant is None:
        raise NoGrantError(person.name, seal.name)
    _check_grant(grant, seal, category, now)
    if approval_id is not None:
        approval = find_approval(conn, approval_id)
        _check_approval(approval, person, seal, grant, digest, category, now)
        _check_placement(approval, placement)
    elif grant.approval_required:
        raise ApprovalRequiredError(seal.name)
    left = grant.quota_left
    return UseDecision(
        person_id=person.person_id,
        seal_id=seal.id,
        grant_id=grant.id,
        approval_id=approval_id,
        document_sha256=digest,
        category=category,
        checked_at=now,
        quota_left=None if left is None else left - 1,
    )


def _check_seal(seal: Seal, now: str) -> None:
    if seal.status is SealStatus.SUSPENDED:
        raise SealSuspendedError(seal.name)
    if seal.status is SealStatus.REVOKED:
        raise SealRevokedError(seal.name)
    if seal.status is SealStatus.DESTROYED:
        raise SealDestroyedError(seal.name)
    if not seal.valid_from <= now < seal.valid_until:
        raise SealOutsideValidityError(seal.name, seal.valid_from, seal.valid_until)


def _check_grant(grant: Grant, seal: Seal, category: str, now: str) -> None:
    if now < grant.valid_from:
        raise GrantNotYetValidError(seal.name, grant.valid_from)
    if now >= grant.valid_until:
        raise GrantExpiredError(seal.name, grant.valid_until)
    if grant.quota is not None and grant.used >= grant.quota:
        raise QuotaExhaustedError(seal.name, grant.quota)
    if not grant.allows(category):
        raise CategoryNotAllowedError(seal.name, category, grant.categories)


def _check_approval(
    approval: Approval,
    person: Actor,
    seal: Seal,
    grant: Grant,
    digest: str,
    category: str,
    now: str,
) -> None:
    if approval.requester_id != person.person_id:
        raise ApprovalMismatchError(approval.id, "person", "位申请人")
    if approval.seal_id != seal.id or approval.grant_id != grant.id:
        raise ApprovalMismatchError(approval.id, "seal or grant", "枚印章或授权")
    if approval.document_sha256 != digest:
        raise ApprovalDocumentMismatchError(approval.id)
    if approval.status is ApprovalStatus.USED:
        raise ApprovalReusedError(approval.id, approval.used_at)
    if approval.status is ApprovalStatus.PENDING:
        raise ApprovalPendingError(approval.id)
    if approval.status is ApprovalStatus.REJECTED:
        raise ApprovalRejectedError(approval.id)
    if approval.expires_at is not None and now >= approval.expires_at:
        raise ApprovalExpiredError(approval.id, approval.expires_at)
    if approval.category != category:
        raise ApprovalMismatchError(approval.id, "document category", "类文件")


def _check_placement(approval: Approval, placement: Mapping[str, Any] | None) -> None:
    if approval.placement is None:
        return
    if canonical_placement(placement) != canonical_placement(approval.placement):
        raise ApprovalMismatchError(approval.id, "placement", "盖章位置")


def consume(conn: Connection, decision: UseDecision) -> None:
    """Count the use and spend the approval, inside the stamping transaction.

    :raises RefusedError: something changed since :func:`check_use`; the
        caller's transaction rolls back, and the caller then logs the refusal
        with :func:`record_use_refusal`.
    """
    seal = find_seal(conn, decision.seal_id)
    _check_seal(seal, text_time(utc_now()))
    counted = conn.execute(
        "UPDATE grants SET used = used + 1 WHERE id = ? AND revoked_at IS NULL "
        "AND (quota IS NULL OR used < quota)",
        (decision.grant_id,),
    )
    if counted.rowcount != 1:
        grant = find_grant(conn, decision.grant_id)
        if not grant.live:
            raise NoGrantError(decision.person_id, seal.name)
        raise QuotaExhaustedError(seal.name, grant.quota or 0)
    if decision.approval_id is None:
        return
    now = text_time(utc_now())
    spent = conn.execute(
        "UPDATE approvals SET status = 'used', used_at = ? WHERE id = ? "
        "AND status = 'approved' AND document_sha256 = ? AND expires_at > ?",
        (now, decision.approval_id, decision.document_sha256, now),
    )
    if spent.rowcount != 1:
        approval = find_approval(conn, decision.approval_id)
        if approval.status is ApprovalStatus.APPROVED and approval.expires_at:
            raise ApprovalExpiredError(approval.id, approval.expires_at)
        raise ApprovalReusedError(approval.id, approval.used_at)


def record_use_refusal(db: Database, decision: UseDecision, exc: RefusedError) -> None:
    """Log a refusal raised by :func:`consume`, after its transaction rolled back."""
    record_refusal(
        db,
        USE_ACTION,
        decision.person_id,
        exc,
        seal_id=decision.seal_id,
        document_sha256=decision.document_sha256,
        details={"category": decision.category, "approval": decision.approval_id},
    )
