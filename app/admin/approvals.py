"""Approvals (用印审批): an officer asks, an approver decides.

A request names one seal and one document, by the SHA-256 of its bytes, with
the document category and optionally the placement of the seal. An approver
other than the requester approves or rejects it with a comment. An approval
is good for one stamping of that very document before it expires; the policy
check (:mod:`app.admin.policy`) refuses it for anything else.
"""

from __future__ import annotations

import enum
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.admin.clock import new_id, text_time, utc_now
from app.admin.errors import (
    ApprovalDecidedError,
    CategoryNotAllowedError,
    NoGrantError,
    NotAnApproverError,
    NotFoundError,
    SelfApprovalError,
)
from app.admin.grants import (
    check_manager_not_sole_approver,
    find_grant,
    live_grant,
)
from app.admin.journal import recorded
from app.admin.people import find_person
from app.admin.roles import Actor, Role, require_role
from app.admin.seals import find_seal, seal_id_of
from app.admin.store import reading
from app.errors import InputError
from storage.database import Connection, Database
from storage.usage_log import append

__all__ = [
    "DEFAULT_APPROVAL_VALIDITY",
    "Approval",
    "ApprovalStatus",
    "approve",
    "canonical_placement",
    "check_sha256",
    "find_approval",
    "get_approval",
    "list_approvals",
    "reject",
    "request_approval",
]

log = logging.getLogger(__name__)

DEFAULT_APPROVAL_VALIDITY = timedelta(hours=24)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class ApprovalStatus(enum.Enum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    USED = "used"


@dataclass(frozen=True)
class Approval:
    id: str
    grant_id: str
    seal_id: str
    requester_id: str
    document_sha256: str
    document_title: str
    category: str
    placement: Mapping[str, Any] | None
    reason: str
    requested_at: str
    status: ApprovalStatus
    decided_by: str | None
    decided_at: str | None
    comment: str | None
    expires_at: str | None
    used_at: str | None


_COLUMNS = (
    "id, grant_id, seal_id, requester_id, document_sha256, document_title, "
    "category, placement, reason, requested_at, status, decided_by, decided_at, "
    "comment, expires_at, used_at"
)


def _approval(row: tuple[Any, ...]) -> Approval:
    return Approval(
        id=row[0],
        grant_id=row[1],
        seal_id=row[2],
        requester_id=row[3],
        document_sha256=row[4],
        document_title=row[5],
        category=row[6],
        placement=None if row[7] is None else json.loads(row[7]),
        reason=row[8],
        requested_at=row[9],
        status=ApprovalStatus(row[10]),
        decided_by=row[11],
        decided_at=row[12],
        comment=row[13],
        expires_at=row[14],
        used_at=row[15],
    )


def canonical_placement(placement: Mapping[str, Any] | None) -> str | None:
    """The stored, comparable form of a placement."""
    if placement is None:
        return None
    return json.dumps(
        placement, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def find_approval(conn: Connection, approval_id: str) -> Approval:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM approvals WHERE id = ?",  # noqa: S608
        (approval_id,),
    ).fetchone()
    if row is None:
        raise NotFoundError("approval", "用印审批", approval_id)
    return _approval(row)


def get_approval(db: Database, approval_id: str) -> Approval:
    with reading(db) as conn:
        return find_approval(conn, approval_id)


def list_approvals(
    db: Database,
    *,
    status: ApprovalStatus | None = None,
    requester: str | None = None,
    seal: str | None = None,
) -> list[Approval]:
    clauses, params = [], []
    with reading(db) as conn:
        if status is not None:
            clauses.append("status = ?")
            params.append(status.value)
        if requester is not None:
            clauses.append("requester_id = ?")
            params.append(find_person(conn, requester).id)
        if seal is not None:
            clauses.append("seal_id = ?")
            params.append(find_seal(conn, seal).id)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM approvals {where} "  # noqa: S608
            "ORDER BY requested_at DESC",
            tuple(params),
        ).fetchall()
    return [_approval(r) for r in rows]


def check_sha256(value: str) -> str:
    digest = value.strip().lower()
    if not _SHA256.match(digest):
        raise InputError(
            "A document is named by its SHA-256: 64 hexadecimal characters.",
            "文件须以其 SHA-256 摘要标识：64 位十六进制字符。",
        )
    return digest


def request_approval(
    db: Database,
    actor: Actor,
    seal: str,
    document_sha256: str,
    category: str,
    *,
    title: str = "",
    placement: Mapping[str, Any] | None = None,
    reason: str = "",
) -> Approval:
    """An officer asks to use ``seal`` on the document with this SHA-256."""
    digest = check_sha256(document_sha256)
    with recorded(
        db,
        "approval.request",
        actor.person_id,
        seal_id=seal_id_of(db, seal),
        document_sha256=digest,
        details={"seal": seal, "category": category},
    ) as conn:
        require_role(conn, actor, Role.OFFICER)
        found = find_seal(conn, seal)
        grant = live_grant(conn, actor.person_id, found.id)
        if grant is None:
            raise NoGrantError(actor.name, found.name)
        if not grant.allows(category):
            raise CategoryNotAllowedError(found.name, category, grant.categories)
        approval_id = new_id("approval")
        conn.execute(
            f"INSERT INTO approvals ({_COLUMNS}) VALUES "  # noqa: S608
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', NULL, NULL, NULL, NULL, NULL)",
            (
                approval_id,
                grant.id,
                found.id,
                actor.person_id,
                digest,
                title,
                category,
                canonical_placement(placement),
                reason,
                text_time(utc_now()),
            ),
        )
        append(
            conn,
            "approval.request",
            actor=actor.person_id,
            seal_id=found.id,
            document_sha256=digest,
            details={
                "approval": approval_id,
                "grant": grant.id,
                "category": category,
                "title": title,
            },
        )
        approval = find_approval(conn, approval_id)
    log.info("Approval %s requested by %s", approval_id, actor.person_id)
    return approval


def _decide(
    db: Database,
    actor: Actor,
    approval_id: str,
    approved: bool,
    comment: str,
    expires: datetime | None,
) -> Approval:
    action = "approval.approve" if approved else "approval.reject"
    with reading(db) as conn:
        row = conn.execute(
            "SELECT seal_id, document_sha256 FROM approvals WHERE id = ?",
            (approval_id,),
        ).fetchone()
    seal_id, digest = (None, None) if row is None else (row[0], row[1])
    with recorded(
        db,
        action,
        actor.person_id,
        seal_id=seal_id,
        document_sha256=digest,
        details={"approval": approval_id},
    ) as conn:
        require_role(conn, actor, Role.APPROVER)
        approval = find_approval(conn, approval_id)
        if approval.requester_id == actor.person_id:
            raise SelfApprovalError(actor.name)
        if approval.status is not ApprovalStatus.PENDING:
            raise ApprovalDecidedError(approval.id, approval.status.value)
        grant = find_grant(conn, approval.grant_id)
        if grant.approvers and actor.person_id not in grant.approvers:
            raise NotAnApproverError(actor.name)
        seal = find_seal(conn, approval.seal_id)
        if actor.person_id == seal.managed_by:
            check_manager_not_sole_approver(
                conn, seal, grant.approvers, approval.requester_id
            )
        conn.execute(
            "UPDATE approvals SET status = ?, decided_by = ?, decided_at = ?, "
            "comment = ?, expires_at = ? WHERE id = ?",
            (
                (
                    ApprovalStatus.APPROVED if approved else ApprovalStatus.REJECTED
                ).value,
                actor.person_id,
                text_time(utc_now()),
                comment,
                None if expires is None else text_time(expires),
                approval.id,
            ),
        )
        append(
            conn,
            action,
            actor=actor.person_id,
            seal_id=approval.seal_id,
            document_sha256=approval.document_sha256,
            details={
                "approval": approval.id,
                "requester": approval.requester_id,
                "comment": comment,
                "expires_at": None if expires is None else text_time(expires),
            },
        )
        decided = find_approval(conn, approval.id)
    log.info("Approval %s %s by %s", approval_id, decided.status.value, actor.person_id)
    return decided


def approve(
    db: Database,
    actor: Actor,
    approval_id: str,
    comment: str = "",
    *,
    valid_for: timedelta = DEFAULT_APPROVAL_VALIDITY,
) -> Approval:
    """Approve a pending request; it expires ``valid_for`` from now."""
    if valid_for <= timedelta(0):
        raise InputError(
            "An approval must stay valid for some time.", "审批有效期必须大于零。"
        )
    return _decide(db, actor, approval_id, True, comment, utc_now() + valid_for)


def reject(db: Database, actor: Actor, approval_id: str, comment: str) -> Approval:
    """Reject a pending request; a rejection must say why."""
    if not comment.strip():
        raise InputError("Say why the request is rejected.", "驳回申请时须填写理由。")
    return _decide(db, actor, approval_id, False, comment, None)
