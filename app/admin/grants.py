"""Grants: who may use which seal, when, how often, on what, with whose approval.

A grant gives one officer one seal for a validity window, with an optional
use quota, the document categories allowed (none listed means any), and
whether each use needs an approval (用印审批) and from whom (none named means
any approver). A person holds at most one live grant per seal. Revoking a
grant takes effect at once: the next policy check reads it from the database.

Separation of duties: the grantee cannot approve their own uses, and the
seal's manager cannot be the only person able to approve them.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.admin.clock import new_id, text_time, utc_now
from app.admin.errors import (
    ManagerSoleApproverError,
    NotFoundError,
    RoleRequiredError,
    SealDestroyedError,
    SealRevokedError,
    SelfApprovalError,
)
from app.admin.evidence_events import queue_admin_evidence
from app.admin.journal import recorded
from app.admin.people import Person, find_person
from app.admin.roles import Actor, Role, require_role
from app.admin.seals import Seal, SealStatus, find_seal, seal_id_of
from app.admin.store import reading
from app.errors import InputError
from app.evidence.record import EvidenceKind
from storage.database import Connection, Database
from storage.usage_log import append

__all__ = [
    "Grant",
    "GrantDraft",
    "add_grant",
    "check_manager_not_sole_approver",
    "eligible_approvers",
    "find_grant",
    "list_grants",
    "live_grant",
    "revoke_grant",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GrantDraft:
    """What an administrator gives to grant a seal; people/seal by name or id."""

    person: str
    seal: str
    valid_from: datetime
    valid_until: datetime
    quota: int | None = None
    categories: tuple[str, ...] = ()
    approval_required: bool = False
    approvers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Grant:
    id: str
    person_id: str
    seal_id: str
    valid_from: str
    valid_until: str
    quota: int | None
    used: int
    categories: tuple[str, ...]
    approval_required: bool
    approvers: tuple[str, ...]
    granted_by: str
    created_at: str
    revoked_at: str | None
    revoked_by: str | None

    @property
    def live(self) -> bool:
        return self.revoked_at is None

    @property
    def quota_left(self) -> int | None:
        return None if self.quota is None else self.quota - self.used

    def allows(self, category: str) -> bool:
        return not self.categories or category in self.categories


_COLUMNS = (
    "id, person_id, seal_id, valid_from, valid_until, quota, used, categories, "
    "approval_required, granted_by, created_at, revoked_at, revoked_by"
)


def _grant(conn: Connection, row: tuple[Any, ...]) -> Grant:
    approvers = conn.execute(
        "SELECT approver_id FROM grant_approvers WHERE grant_id = ? "
        "ORDER BY approver_id",
        (row[0],),
    ).fetchall()
    return Grant(
        id=str(row[0]),
        person_id=str(row[1]),
        seal_id=str(row[2]),
        valid_from=str(row[3]),
        valid_until=str(row[4]),
        quota=None if row[5] is None else int(row[5]),
        used=int(row[6]),
        categories=tuple(json.loads(str(row[7]))),
        approval_required=bool(row[8]),
        approvers=tuple(str(a[0]) for a in approvers),
        granted_by=str(row[9]),
        created_at=str(row[10]),
        revoked_at=None if row[11] is None else str(row[11]),
        revoked_by=None if row[12] is None else str(row[12]),
    )


def find_grant(conn: Connection, grant_id: str) -> Grant:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM grants WHERE id = ?",  # noqa: S608
        (grant_id,),
    ).fetchone()
    if row is None:
        raise NotFoundError("grant", "授权", grant_id)
    return _grant(conn, row)


def live_grant(conn: Connection, person_id: str, seal_id: str) -> Grant | None:
    """The person's unrevoked grant for the seal, if any."""
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM grants WHERE person_id = ? AND seal_id = ? "  # noqa: S608
        "AND revoked_at IS NULL",
        (person_id, seal_id),
    ).fetchone()
    return None if row is None else _grant(conn, row)


def list_grants(
    db: Database,
    *,
    person: str | None = None,
    seal: str | None = None,
    include_revoked: bool = False,
) -> list[Grant]:
    clauses, params = [], []
    with reading(db) as conn:
        if person is not None:
            clauses.append("person_id = ?")
            params.append(find_person(conn, person).id)
        if seal is not None:
            clauses.append("seal_id = ?")
            params.append(find_seal(conn, seal).id)
        if not include_revoked:
            clauses.append("revoked_at IS NULL")
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM grants {where} ORDER BY created_at",  # noqa: S608
            tuple(params),
        ).fetchall()
        return [_grant(conn, r) for r in rows]


def eligible_approvers(
    conn: Connection, named: Iterable[str], requester_id: str
) -> frozenset[str]:
    """Ids of the active approvers who could decide the requester's requests."""
    rows = conn.execute(
        "SELECT p.id FROM people p JOIN person_roles r ON r.person_id = p.id "
        "WHERE r.role = 'approver' AND p.active = 1"
    ).fetchall()
    approvers = {str(r[0]) for r in rows}
    chosen = set(named)
    pool = approvers & chosen if chosen else approvers
    return frozenset(pool - {requester_id})


def check_manager_not_sole_approver(
    conn: Connection, seal: Seal, named: Iterable[str], requester_id: str
) -> None:
    """Refuse when only the seal's manager could approve the requester's uses."""
    pool = eligible_approvers(conn, named, requester_id)
    if pool == {seal.managed_by}:
        manager = find_person(conn, seal.managed_by)
        raise ManagerSoleApproverError(manager.name, seal.name)
    if not pool:
        raise InputError(
            "Nobody could approve these uses: name at least one approver "
            "other than the grantee.",
            "没有人能审批这些用印：请至少指定一位被授权人以外的审批人。",
        )


def add_grant(db: Database, actor: Actor, draft: GrantDraft) -> Grant:
    """Grant a seal to an officer; only an administrator may."""
    if draft.valid_from >= draft.valid_until:
        raise InputError(
            "A grant must end after it starts.", "授权的结束时间必须晚于开始时间。"
        )
    if draft.quota is not None and draft.quota < 1:
        raise InputError("A quota must be at least 1.", "用印次数上限至少为 1。")
    where = {"person": draft.person, "seal": draft.seal}
    seal_id = seal_id_of(db, draft.seal)
    with recorded(
        db, "grant.add", actor.person_id, seal_id=seal_id, details=where
    ) as conn:
        require_role(conn, actor, Role.ADMINISTRATOR)
        person = find_person(conn, draft.person)
        seal = find_seal(conn, draft.seal)
        _check_grantable(seal, person)
        approvers = _approvers(conn, draft.approvers, person)
        if draft.approval_required:
            check_manager_not_sole_approver(conn, seal, approvers, person.id)
        if live_grant(conn, person.id, seal.id) is not None:
            raise InputError(
                f"{person.name} already holds a grant for seal '{seal.name}'; "
                "revoke it first.",
                f"{person.name} 已持有印章“{seal.name}”的授权，请先撤销原授权。",
            )
        grant_id = _insert(conn, actor, draft, person, seal, approvers)
        grant = find_grant(conn, grant_id)
        entry = append(
            conn,
            "grant.add",
            actor=actor.person_id,
            seal_id=seal.id,
            details={
                "grant": grant.id,
                "person": person.id,
                "valid_from": grant.valid_from,
                "valid_until": grant.valid_until,
                "quota": grant.quota,
                "categories": list(grant.categories),
                "approval_required": grant.approval_required,
                "approvers": list(grant.approvers),
            },
        )
        queue_admin_evidence(
            conn,
            EvidenceKind.GRANT_CHANGED,
            entry,
            {"grant": grant.id, "person": person.id, "change": "added"},
        )
    log.info("Grant %s added by %s", grant.id, actor.person_id)
    return grant


def _check_grantable(seal: Seal, person: Person) -> None:
    if seal.status is SealStatus.REVOKED:
        raise SealRevokedError(seal.name)
    if seal.status is SealStatus.DESTROYED:
        raise SealDestroyedError(seal.name)
    if not person.has(Role.OFFICER):
        raise RoleRequiredError(person.name, Role.OFFICER.value, Role.OFFICER.zh)


def _approvers(conn: Connection, refs: tuple[str, ...], grantee: Person) -> list[str]:
    ids = []
    for ref in refs:
        approver = find_person(conn, ref)
        if approver.id == grantee.id:
            raise SelfApprovalError(grantee.name)
        if not approver.has(Role.APPROVER):
            raise RoleRequiredError(
                approver.name, Role.APPROVER.value, Role.APPROVER.zh
            )
        ids.append(approver.id)
    return ids


def _insert(
    conn: Connection,
    actor: Actor,
    draft: GrantDraft,
    person: Person,
    seal: Seal,
    approvers: list[str],
) -> str:
    grant_id = new_id("grant")
    categories = sorted({c.strip() for c in draft.categories if c.strip()})
    conn.execute(
        f"INSERT INTO grants ({_COLUMNS}) VALUES "  # noqa: S608
        "(?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, NULL, NULL)",
        (
            grant_id,
            person.id,
            seal.id,
            text_time(draft.valid_from),
            text_time(draft.valid_until),
            draft.quota,
            json.dumps(categories, ensure_ascii=False),
            int(draft.approval_required),
            actor.person_id,
            text_time(utc_now()),
        ),
    )
    conn.executemany(
        "INSERT INTO grant_approvers (grant_id, approver_id) VALUES (?, ?)",
        [(grant_id, a) for a in sorted(set(approvers))],
    )
    return grant_id


def revoke_grant(db: Database, actor: Actor, grant_id: str, reason: str = "") -> Grant:
    """Revoke a grant; the next policy check refuses it."""
    with recorded(
        db, "grant.revoke", actor.person_id, details={"grant": grant_id}
    ) as conn:
        require_role(conn, actor, Role.ADMINISTRATOR)
        grant = find_grant(conn, grant_id)
        if not grant.live:
            raise InputError(
                f"Grant {grant_id} is already revoked.", f"授权 {grant_id} 已撤销。"
            )
        conn.execute(
            "UPDATE grants SET revoked_at = ?, revoked_by = ? WHERE id = ?",
            (text_time(utc_now()), actor.person_id, grant.id),
        )
        entry = append(
            conn,
            "grant.revoke",
            actor=actor.person_id,
            seal_id=grant.seal_id,
            details={"grant": grant.id, "person": grant.person_id, "reason": reason},
        )
        queue_admin_evidence(
            conn,
            EvidenceKind.GRANT_CHANGED,
            entry,
            {"grant": grant.id, "person": grant.person_id, "change": "revoked"},
        )
        revoked = find_grant(conn, grant.id)
    log.info("Grant %s revoked by %s", grant_id, actor.person_id)
    return revoked
