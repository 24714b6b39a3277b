"""Seals: what each one is, where its key lives, its image and its lifecycle.

A seal is bound to one key on one token (a USB key that its holder unlocks
with their PIN, or a network HSM whose PIN the workspace keeps) and to that
key's certificate, with a validity window inside the certificate's.

Lifecycle: active ⇄ suspended; either may be revoked or destroyed; a revoked
seal may still be destroyed (its key is wiped after the certificate is
revoked). Revoked and destroyed seals are never usable again; a database
trigger guards this as well. Only administrators change seals, and every
change is written to the usage log (用印日志).
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.admin.certs import load_certificate
from app.admin.clock import new_id, text_time, utc_now
from app.admin.errors import NotFoundError, SealTransitionError
from app.admin.evidence_events import queue_admin_evidence
from app.admin.journal import recorded
from app.admin.people import find_person
from app.admin.roles import Actor, Role, require_role
from app.admin.store import reading
from app.errors import InputError
from app.evidence.record import EvidenceKind
from app.seals.designer import render
from app.seals.errors import SealDesignError
from app.seals.specs import SealSpec
from storage.database import Connection, Database
from storage.usage_log import append

__all__ = [
    "KeyStore",
    "Seal",
    "SealDraft",
    "SealImageData",
    "SealStatus",
    "SealType",
    "create_seal",
    "destroy_seal",
    "find_seal",
    "get_seal",
    "list_seals",
    "resume_seal",
    "revoke_seal",
    "seal_id_of",
    "seal_image",
    "set_seal_image",
    "suspend_seal",
]

log = logging.getLogger(__name__)


class SealType(enum.Enum):
    OFFICIAL = "official"
    CONTRACT = "contract"
    FINANCE = "finance"
    LEGAL_REPRESENTATIVE = "legal_representative"
    DEPARTMENT = "department"
    INVOICE = "invoice"

    @property
    def zh(self) -> str:
        return _TYPE_ZH[self]


_TYPE_ZH = {
    SealType.OFFICIAL: "公章",
    SealType.CONTRACT: "合同专用章",
    SealType.FINANCE: "财务专用章",
    SealType.LEGAL_REPRESENTATIVE: "法定代表人名章",
    SealType.DEPARTMENT: "部门章",
    SealType.INVOICE: "发票专用章",
}


class SealStatus(enum.Enum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    DESTROYED = "destroyed"


class KeyStore(enum.Enum):
    """Where the seal's key lives."""

    USB_KEY = "usb_key"
    HSM = "hsm"


@dataclass(frozen=True)
class SealDraft:
    """What an administrator gives to create a seal.

    Without ``valid_from``/``valid_until`` the certificate's window is used;
    a narrower window must lie inside it. ``manager`` (default: the acting
    administrator) and ``holder`` (the USB key's holder) are person names or
    ids.
    """

    name: str
    type: SealType
    key_store: KeyStore
    token_serial: str
    token_label: str
    key_id: bytes
    certificate: bytes = field(repr=False)
    key_label: str = ""
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    manager: str | None = None
    holder: str | None = None


@dataclass(frozen=True)
class Seal:
    id: str
    name: str
    type: SealType
    status: SealStatus
    key_store: KeyStore
    token_serial: str
    token_label: str
    key_id: str
    key_label: str
    cert_der: bytes = field(repr=False)
    cert_sha256: str
    valid_from: str
    valid_until: str
    managed_by: str
    holder_id: str | None
    has_image: bool
    image_width_mm: float | None
    image_height_mm: float | None
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class SealImageData:
    """The stored image of a seal, a PNG that prints at true size."""

    png: bytes = field(repr=False)
    width_mm: float
    height_mm: float


_COLUMNS = (
    "id, name, type, status, key_store, token_serial, token_label, key_id, "
    "key_label, cert_der, cert_sha256, valid_from, valid_until, managed_by, "
    "holder_id, image_png IS NOT NULL, image_width_mm, image_height_mm, "
    "created_at, updated_at"
)


def _seal(row: tuple[Any, ...]) -> Seal:
    return Seal(
        id=str(row[0]),
        name=str(row[1]),
        type=SealType(row[2]),
        status=SealStatus(row[3]),
        key_store=KeyStore(row[4]),
        token_serial=str(row[5]),
        token_label=str(row[6]),
        key_id=str(row[7]),
        key_label=str(row[8]),
        cert_der=bytes(row[9]),
        cert_sha256=str(row[10]),
        valid_from=str(row[11]),
        valid_until=str(row[12]),
        managed_by=str(row[13]),
        holder_id=None if row[14] is None else str(row[14]),
        has_image=bool(row[15]),
        image_width_mm=None if row[16] is None else float(row[16]),
        image_height_mm=None if row[17] is None else float(row[17]),
        created_at=str(row[18]),
        updated_at=str(row[19]),
    )


def find_seal(conn: Connection, ref: str) -> Seal:
    """The seal whose id or name is ``ref``."""
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM seals WHERE id = ? OR name = ?",  # noqa: S608
        (ref, ref),
    ).fetchone()
    if row is None:
        raise NotFoundError("seal", "印章", ref)
    return _seal(row)


def seal_id_of(db: Database, ref: str) -> str | None:
    """The id of the seal named ``ref``, or ``None``; for refusal entries."""
    with reading(db) as conn:
        row = conn.execute(
            "SELECT id FROM seals WHERE id = ? OR name = ?", (ref, ref)
        ).fetchone()
    return None if row is None else str(row[0])


def get_seal(db: Database, ref: str) -> Seal:
    with reading(db) as conn:
        return find_seal(conn, ref)


def list_seals(db: Database, *, status: SealStatus | None = None) -> list[Seal]:
    sql = f"SELECT {_COLUMNS} FROM seals"  # noqa: S608
    params: tuple[str, ...] = ()
    if status is not None:
        sql, params = sql + " WHERE status = ?", (status.value,)
    with reading(db) as conn:
        return [_seal(r) for r in conn.execute(sql + " ORDER BY name", params)]


def create_seal(db: Database, actor: Actor, draft: SealDraft) -> Seal:
    """Register a seal bound to a token key and its certificate."""
    cert = load_certificate(draft.certificate)
    valid_from = draft.valid_from or cert.not_before
    valid_until = draft.valid_until or cert.not_after
    _check_window(valid_from, valid_until, cert.not_before, cert.not_after)
    name = draft.name.strip()
    if not name:
        raise InputError("A seal needs a name.", "印章名称不能为空。")
    with recorded(db, "seal.create", actor.person_id, details={"name": name}) as conn:
        require_role(conn, actor, Role.ADMINISTRATOR)
        manager = find_person(conn, draft.manager or actor.person_id)
        if not manager.has(Role.ADMINISTRATOR):
            raise InputError(
                f"The manager of a seal must be an administrator; {manager.name} "
                "is not.",
                f"印章管理人必须是管理员，{manager.name} 不是。",
            )
        holder = find_person(conn, draft.holder) if draft.holder else None
        if conn.execute("SELECT 1 FROM seals WHERE name = ?", (name,)).fetchone():
            raise InputError(
                f"A seal named '{name}' already exists.", f"已存在名为“{name}”的印章。"
            )
        seal_id = new_id("seal")
        now = text_time(utc_now())
        conn.execute(
            "INSERT INTO seals (id, name, type, key_store, token_serial, "
            "token_label, key_id, key_label, cert_der, cert_sha256, valid_from, "
            "valid_until, managed_by, holder_id, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                seal_id,
                name,
                draft.type.value,
                draft.key_store.value,
                draft.token_serial,
                draft.token_label,
                draft.key_id.hex(),
                draft.key_label,
                cert.der,
                cert.sha256,
                text_time(valid_from),
                text_time(valid_until),
                manager.id,
                None if holder is None else holder.id,
                now,
                now,
            ),
        )
        append(
            conn,
            "seal.create",
            actor=actor.person_id,
            seal_id=seal_id,
            details={
                "name": name,
                "type": draft.type.value,
                "key_store": draft.key_store.value,
                "token_serial": draft.token_serial,
                "key_id": draft.key_id.hex(),
                "cert_sha256": cert.sha256,
                "valid_from": text_time(valid_from),
                "valid_until": text_time(valid_until),
                "managed_by": manager.id,
            },
        )
        seal = find_seal(conn, seal_id)
    log.info("Seal %s created by %s", seal_id, actor.person_id)
    return seal


def _check_window(
    start: datetime, end: datetime, cert_start: datetime, cert_end: datetime
) -> None:
    if start >= end:
        raise InputError(
            "The seal's validity must end after it starts.",
            "印章有效期的结束时间必须晚于开始时间。",
        )
    if start < cert_start or end > cert_end:
        raise InputError(
            "The seal's validity must lie inside its certificate's "
            f"({text_time(cert_start)} to {text_time(cert_end)}).",
            f"印章有效期必须在证书有效期（{text_time(cert_start)} 至 "
            f"{text_time(cert_end)}）之内。",
        )


# Each change: allowed starting states, new state, words for messages.
_TRANSITIONS: dict[str, tuple[frozenset[SealStatus], SealStatus, str]] = {
    "suspend": (frozenset({SealStatus.ACTIVE}), SealStatus.SUSPENDED, "suspended"),
    "resume": (frozenset({SealStatus.SUSPENDED}), SealStatus.ACTIVE, "resumed"),
    "revoke": (
        frozenset({SealStatus.ACTIVE, SealStatus.SUSPENDED}),
        SealStatus.REVOKED,
        "revoked",
    ),
    "destroy": (
        frozenset({SealStatus.ACTIVE, SealStatus.SUSPENDED, SealStatus.REVOKED}),
        SealStatus.DESTROYED,
        "destroyed",
    ),
}


_EVIDENCE = {
    SealStatus.REVOKED: EvidenceKind.SEAL_REVOKED,
    SealStatus.DESTROYED: EvidenceKind.SEAL_DESTROYED,
}


def _change_status(
    db: Database, actor: Actor, ref: str, change: str, reason: str
) -> Seal:
    allowed, target, words = _TRANSITIONS[change]
    action = f"seal.{change}"
    with recorded(
        db, action, actor.person_id, seal_id=seal_id_of(db, ref), details={"seal": ref}
    ) as conn:
        require_role(conn, actor, Role.ADMINISTRATOR)
        seal = find_seal(conn, ref)
        if seal.status not in allowed:
            raise SealTransitionError(seal.name, seal.status.value, words)
        conn.execute(
            "UPDATE seals SET status = ?, updated_at = ? WHERE id = ?",
            (target.value, text_time(utc_now()), seal.id),
        )
        entry = append(
            conn,
            action,
            actor=actor.person_id,
            seal_id=seal.id,
            details={"from": seal.status.value, "to": target.value, "reason": reason},
        )
        kind = _EVIDENCE.get(target)
        if kind is not None:
            queue_admin_evidence(conn, kind, entry, {"seal": seal.name})
        changed = find_seal(conn, seal.id)
    log.info("Seal %s %s by %s", seal.id, words, actor.person_id)
    return changed


def suspend_seal(db: Database, actor: Actor, ref: str, reason: str = "") -> Seal:
    return _change_status(db, actor, ref, "suspend", reason)


def resume_seal(db: Database, actor: Actor, ref: str, reason: str = "") -> Seal:
    return _change_status(db, actor, ref, "resume", reason)


def revoke_seal(db: Database, actor: Actor, ref: str, reason: str = "") -> Seal:
    return _change_status(db, actor, ref, "revoke", reason)


def destroy_seal(db: Database, actor: Actor, ref: str, reason: str = "") -> Seal:
    return _change_status(db, actor, ref, "destroy", reason)


def set_seal_image(
    db: Database, actor: Actor, ref: str, spec: SealSpec, *, dpi: int = 600
) -> Seal:
    """Render ``spec`` with the seal designer and store the PNG with the seal."""
    try:
        image = render(spec, dpi)
    except SealDesignError as exc:
        raise InputError(exc.en, exc.zh) from exc
    with recorded(
        db,
        "seal.image",
        actor.person_id,
        seal_id=seal_id_of(db, ref),
        details={"seal": ref},
    ) as conn:
        require_role(conn, actor, Role.ADMINISTRATOR)
        seal = find_seal(conn, ref)
        if seal.status in (SealStatus.REVOKED, SealStatus.DESTROYED):
            raise SealTransitionError(seal.name, seal.status.value, "redesigned")
        conn.execute(
            "UPDATE seals SET image_png = ?, image_width_mm = ?, "
            "image_height_mm = ?, updated_at = ? WHERE id = ?",
            (
                image.png,
                image.width_mm,
                image.height_mm,
                text_time(utc_now()),
                seal.id,
            ),
        )
        append(
            conn,
            "seal.image",
            actor=actor.person_id,
            seal_id=seal.id,
            details={
                "spec": type(spec).__name__,
                "width_mm": str(image.width_mm),
                "height_mm": str(image.height_mm),
                "dpi": dpi,
            },
        )
        return find_seal(conn, seal.id)


def seal_image(db: Database, ref: str) -> SealImageData | None:
    """The seal's stored image, or ``None`` before one is designed."""
    with reading(db) as conn:
        seal = find_seal(conn, ref)
        row = conn.execute(
            "SELECT image_png, image_width_mm, image_height_mm FROM seals WHERE id = ?",
            (seal.id,),
        ).fetchone()
    if row[0] is None:
        return None
    return SealImageData(bytes(row[0]), float(row[1]), float(row[2]))
