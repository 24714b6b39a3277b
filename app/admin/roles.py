"""Roles, the authenticated acting person, and the role check every change runs.

Separation of duties (三权分立) rests on five roles. A person may hold several,
except that an auditor holds no role that changes anything: auditors read
everything and change nothing. Roles are read from the database at every
check, so a role taken away takes effect at once, even for a person who logged
in before.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from app.admin.errors import (
    AuditorReadOnlyError,
    LoginFailedError,
    NotAdministratorError,
    RoleConflictError,
    RoleRequiredError,
)
from storage.database import Connection

__all__ = [
    "Actor",
    "AuthMethod",
    "Role",
    "check_role_set",
    "current_roles",
    "require_role",
]


class Role(enum.Enum):
    ADMINISTRATOR = "administrator"
    APPROVER = "approver"
    OFFICER = "officer"
    ARCHIVIST = "archivist"
    AUDITOR = "auditor"

    @property
    def zh(self) -> str:
        return _ROLE_ZH[self]


_ROLE_ZH = {
    Role.ADMINISTRATOR: "印章管理员",
    Role.APPROVER: "审批人",
    Role.OFFICER: "用印经办人",
    Role.ARCHIVIST: "档案管理员",
    Role.AUDITOR: "审计员",
}


class AuthMethod(enum.Enum):
    PASSWORD = "password"  # noqa: S105 - a login method, not a secret
    TOKEN = "token"  # noqa: S105
    BOOTSTRAP = "bootstrap"


@dataclass(frozen=True)
class Actor:
    """A person who proved who they are; made by :mod:`app.admin.auth`."""

    person_id: str
    name: str
    roles: frozenset[Role]
    method: AuthMethod


def current_roles(conn: Connection, person_id: str) -> frozenset[Role] | None:
    """The person's roles now, or ``None`` if they no longer may log in."""
    row = conn.execute(
        "SELECT active FROM people WHERE id = ?", (person_id,)
    ).fetchone()
    if row is None or not row[0]:
        return None
    found = conn.execute(
        "SELECT role FROM person_roles WHERE person_id = ?", (person_id,)
    ).fetchall()
    return frozenset(Role(r[0]) for r in found)


def require_role(conn: Connection, actor: Actor, *allowed: Role) -> frozenset[Role]:
    """Refuse unless ``actor`` holds one of ``allowed`` and is no auditor."""
    roles = current_roles(conn, actor.person_id)
    if roles is None:
        raise LoginFailedError("the account is disabled", "账户已停用")
    if Role.AUDITOR in roles:
        raise AuditorReadOnlyError(actor.name)
    if not roles & set(allowed):
        wanted = allowed[0]
        error = (
            NotAdministratorError if wanted is Role.ADMINISTRATOR else RoleRequiredError
        )
        raise error(actor.name, wanted.value, wanted.zh)
    return roles


def check_role_set(roles: Iterable[Role]) -> frozenset[Role]:
    """Refuse role sets that break separation of duties."""
    chosen = frozenset(roles)
    if Role.AUDITOR in chosen and len(chosen) > 1:
        others = ", ".join(sorted(r.value for r in chosen - {Role.AUDITOR}))
        others_zh = "、".join(r.zh for r in chosen - {Role.AUDITOR})
        raise RoleConflictError(
            f"An auditor cannot also be {others}: auditors change nothing.",
            f"审计员不能同时担任{others_zh}：审计员不做任何更改。",
        )
    return chosen
