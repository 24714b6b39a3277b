"""People: name, department, roles, password and bound certificate.

Only an administrator adds people, changes their roles or binds a
certificate; a person may change their own password. The first administrator
is made by :func:`add_first_administrator`, which works only while the
workspace has nobody in it (at ``sealdesk init``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from app.admin.certs import load_certificate
from app.admin.clock import new_id, text_time, utc_now
from app.admin.errors import NotFoundError, RoleConflictError
from app.admin.journal import recorded
from app.admin.passwords import hash_password
from app.admin.roles import Actor, Role, check_role_set, require_role
from app.admin.store import reading
from app.errors import InputError
from storage.database import Connection, Database
from storage.usage_log import append

__all__ = [
    "Person",
    "add_first_administrator",
    "add_person",
    "bind_certificate",
    "find_person",
    "get_person",
    "list_people",
    "person_certificate",
    "set_password",
    "set_roles",
]

log = logging.getLogger(__name__)

_SELECT = (
    "SELECT p.id, p.name, p.department, p.active, p.created_at, "
    "c.password_hash IS NOT NULL, c.cert_sha256, "
    "(SELECT group_concat(role) FROM person_roles r WHERE r.person_id = p.id) "
    "FROM people p LEFT JOIN credentials c ON c.person_id = p.id"
)


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    department: str
    roles: tuple[Role, ...]
    active: bool
    has_password: bool
    cert_sha256: str | None
    created_at: str

    def has(self, role: Role) -> bool:
        return role in self.roles


def _person(row: tuple[Any, ...]) -> Person:
    order = list(Role)
    roles = sorted(
        (Role(r) for r in str(row[7] or "").split(",") if r), key=order.index
    )
    return Person(
        id=str(row[0]),
        name=str(row[1]),
        department=str(row[2]),
        roles=tuple(roles),
        active=bool(row[3]),
        has_password=bool(row[5]),
        cert_sha256=None if row[6] is None else str(row[6]),
        created_at=str(row[4]),
    )


def find_person(conn: Connection, ref: str) -> Person:
    """The person whose id or name is ``ref``."""
    row = conn.execute(f"{_SELECT} WHERE p.id = ? OR p.name = ?", (ref, ref)).fetchone()
    if row is None:
        raise NotFoundError("person", "人员", ref)
    return _person(row)


def get_person(db: Database, ref: str) -> Person:
    with reading(db) as conn:
        return find_person(conn, ref)


def list_people(db: Database) -> list[Person]:
    with reading(db) as conn:
        return [_person(r) for r in conn.execute(f"{_SELECT} ORDER BY p.name")]


def person_certificate(db: Database, ref: str) -> bytes | None:
    """The DER certificate bound to the person, if any."""
    with reading(db) as conn:
        person = find_person(conn, ref)
        row = conn.execute(
            "SELECT cert_der FROM credentials WHERE person_id = ?", (person.id,)
        ).fetchone()
    return None if row is None or row[0] is None else bytes(row[0])


def _check_name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned or any(not ch.isprintable() for ch in cleaned):
        raise InputError(
            "A person's name must be printable text and not empty.",
            "人员姓名不能为空，且不能包含控制字符。",
        )
    return cleaned


def _insert(
    conn: Connection,
    name: str,
    department: str,
    roles: frozenset[Role],
    password: str | None,
) -> str:
    if conn.execute("SELECT 1 FROM people WHERE name = ?", (name,)).fetchone():
        raise InputError(
            f"A person named '{name}' already exists.", f"已存在名为“{name}”的人员。"
        )
    person_id = new_id("person")
    now = text_time(utc_now())
    conn.execute(
        "INSERT INTO people (id, name, department, created_at) VALUES (?, ?, ?, ?)",
        (person_id, name, department.strip(), now),
    )
    conn.executemany(
        "INSERT INTO person_roles (person_id, role) VALUES (?, ?)",
        [(person_id, r.value) for r in roles],
    )
    conn.execute(
        "INSERT INTO credentials (person_id, password_hash, updated_at) "
        "VALUES (?, ?, ?)",
        (person_id, None if password is None else hash_password(password), now),
    )
    return person_id


def add_person(
    db: Database,
    actor: Actor,
    name: str,
    *,
    department: str = "",
    roles: Iterable[Role] = (),
    password: str | None = None,
) -> Person:
    """Add a person; only an administrator may."""
    name = _check_name(name)
    with recorded(db, "person.add", actor.person_id, details={"name": name}) as conn:
        require_role(conn, actor, Role.ADMINISTRATOR)
        chosen = check_role_set(roles)
        person_id = _insert(conn, name, department, chosen, password)
        _log_person(conn, "person.add", actor.person_id, person_id, name, chosen)
        person = find_person(conn, person_id)
    log.info("Person %s added by %s", person_id, actor.person_id)
    return person


def add_first_administrator(
    db: Database, name: str, password: str, *, department: str = ""
) -> Person:
    """Make the workspace's first person, an administrator.

    :raises RoleConflictError: the workspace already has people.
    """
    name = _check_name(name)
    with recorded(db, "person.add", None, details={"name": name}) as conn:
        if conn.execute("SELECT 1 FROM people LIMIT 1").fetchone():
            raise RoleConflictError(
                "This workspace already has people; an administrator adds others.",
                "本工作区已有人员，请由管理员添加其他人员。",
            )
        roles = frozenset({Role.ADMINISTRATOR})
        person_id = _insert(conn, name, department, roles, password)
        _log_person(conn, "person.add", None, person_id, name, roles, first=True)
        person = find_person(conn, person_id)
    log.info("First administrator %s created", person_id)
    return person


def _log_person(
    conn: Connection,
    action: str,
    actor_id: str | None,
    person_id: str,
    name: str,
    roles: frozenset[Role],
    *,
    first: bool = False,
) -> None:
    details: dict[str, str | bool | list[str]] = {
        "person": person_id,
        "name": name,
        "roles": sorted(r.value for r in roles),
    }
    if first:
        details["first_administrator"] = True
    append(conn, action, actor=actor_id, details=details)


def set_roles(db: Database, actor: Actor, ref: str, roles: Iterable[Role]) -> Person:
    """Replace a person's roles; one administrator must always remain."""
    with recorded(db, "person.roles", actor.person_id, details={"person": ref}) as conn:
        require_role(conn, actor, Role.ADMINISTRATOR)
        person = find_person(conn, ref)
        chosen = check_role_set(roles)
        if Role.ADMINISTRATOR not in chosen and _last_administrator(conn, person.id):
            raise RoleConflictError(
                f"{person.name} is the last administrator; name another first.",
                f"{person.name} 是最后一位管理员，请先指定其他管理员。",
            )
        conn.execute("DELETE FROM person_roles WHERE person_id = ?", (person.id,))
        conn.executemany(
            "INSERT INTO person_roles (person_id, role) VALUES (?, ?)",
            [(person.id, r.value) for r in chosen],
        )
        _log_person(
            conn, "person.roles", actor.person_id, person.id, person.name, chosen
        )
        return find_person(conn, person.id)


def _last_administrator(conn: Connection, person_id: str) -> bool:
    others = conn.execute(
        "SELECT count(*) FROM person_roles r JOIN people p ON p.id = r.person_id "
        "WHERE r.role = 'administrator' AND p.active = 1 AND p.id <> ?",
        (person_id,),
    ).fetchone()[0]
    return int(others) == 0


def set_password(db: Database, actor: Actor, ref: str, password: str) -> Person:
    """Set a password: an administrator for anyone, a person for themselves."""
    with recorded(
        db, "person.set_password", actor.person_id, details={"person": ref}
    ) as conn:
        person = find_person(conn, ref)
        if person.id != actor.person_id:
            require_role(conn, actor, Role.ADMINISTRATOR)
        conn.execute(
            "UPDATE credentials SET password_hash = ?, updated_at = ? "
            "WHERE person_id = ?",
            (hash_password(password), text_time(utc_now()), person.id),
        )
        append(
            conn,
            "person.set_password",
            actor=actor.person_id,
            details={"person": person.id},
        )
        return find_person(conn, person.id)


def bind_certificate(db: Database, actor: Actor, ref: str, cert: bytes) -> Person:
    """Bind the certificate (PEM or DER) a person's token login is checked with."""
    bound = load_certificate(cert)
    with recorded(
        db, "person.bind_cert", actor.person_id, details={"person": ref}
    ) as conn:
        require_role(conn, actor, Role.ADMINISTRATOR)
        person = find_person(conn, ref)
        taken = conn.execute(
            "SELECT person_id FROM credentials WHERE cert_sha256 = ? "
            "AND person_id <> ?",
            (bound.sha256, person.id),
        ).fetchone()
        if taken:
            raise InputError(
                "That certificate is already bound to another person.",
                "该证书已绑定到其他人员。",
            )
        conn.execute(
            "UPDATE credentials SET cert_der = ?, cert_sha256 = ?, updated_at = ? "
            "WHERE person_id = ?",
            (bound.der, bound.sha256, text_time(utc_now()), person.id),
        )
        append(
            conn,
            "person.bind_cert",
            actor=actor.person_id,
            details={
                "person": person.id,
                "cert_sha256": bound.sha256,
                "subject": bound.subject,
            },
        )
        return find_person(conn, person.id)
