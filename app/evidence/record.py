"""Evidence records (存证记录) and putting them in the outbox.

One record is written per stamping and per administrative event that matters
(a seal revoked or destroyed, a grant changed). It names the document hash
before and after stamping, the seal and its certificate fingerprint, the
signer and the officer, the approval, the time (the TSA's time when the
stamping carries a timestamp), the device and the usage-log entry it belongs
to. The record is serialised as RFC 8785 canonical JSON, and that exact byte
string is the leaf of the RFC 9162 Merkle tree anchored on the chain.

:func:`enqueue` is called by the stamping and administration services inside
the same ``Database.transaction()`` that appends the usage-log entry, so the
entry and its evidence commit together or not at all.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from app.errors import SealDeskError
from app.evidence.canonical import JsonValue, canonical_json
from app.evidence.errors import EvidenceError
from app.evidence.merkle import leaf_hash
from storage.database import Connection
from storage.outbox import put_leaf
from storage.usage_log import now

__all__ = [
    "RECORD_VERSION",
    "EvidenceKind",
    "EvidenceRecord",
    "RecordInvalid",
    "TimeSource",
    "enqueue",
]

log = logging.getLogger(__name__)

RECORD_VERSION = 1
_HEX64 = re.compile(r"[0-9a-f]{64}")


class RecordInvalid(SealDeskError):
    """An evidence record is incomplete or does not match its usage-log entry."""


class EvidenceKind(Enum):
    STAMP = "stamp"
    SEAL_REVOKED = "seal_revoked"
    SEAL_DESTROYED = "seal_destroyed"
    GRANT_CHANGED = "grant_changed"


class TimeSource(Enum):
    """Where the record's time comes from."""

    TSA = "tsa"  # the RFC 3161 timestamp in the signature
    CLOCK = "clock"  # the desk's clock, when no timestamp was obtained


DetailValue = str | int | bool | None


@dataclass(frozen=True)
class EvidenceRecord:
    """What is anchored about one event; hashes are lowercase hex SHA-256."""

    kind: EvidenceKind
    time: str
    time_source: TimeSource
    device_id: str
    log_seq: int
    log_entry_hash: str
    document_sha256_before: str | None = None
    document_sha256_after: str | None = None
    seal_id: str | None = None
    cert_sha256: str | None = None
    signer: str | None = None
    officer: str | None = None
    approval_id: str | None = None
    details: Mapping[str, DetailValue] = field(default_factory=dict)

    def to_json(self) -> dict[str, JsonValue]:
        """The record as a JSON object; every field is present, unset ones null."""
        return {
            "version": RECORD_VERSION,
            "kind": self.kind.value,
            "document_sha256_before": self.document_sha256_before,
            "document_sha256_after": self.document_sha256_after,
            "seal_id": self.seal_id,
            "cert_sha256": self.cert_sha256,
            "signer": self.signer,
            "officer": self.officer,
            "approval_id": self.approval_id,
            "time": self.time,
            "time_source": self.time_source.value,
            "device_id": self.device_id,
            "log_seq": self.log_seq,
            "log_entry_hash": self.log_entry_hash,
            "details": dict(self.details),
        }

    def canonical(self) -> bytes:
        """The RFC 8785 bytes: the Merkle leaf."""
        self.check()
        try:
            return canonical_json(self.to_json())
        except EvidenceError as exc:
            raise RecordInvalid(exc.en, exc.zh) from exc

    def leaf_hash(self) -> bytes:
        return leaf_hash(self.canonical())

    def check(self) -> None:
        """Refuse a record that could not stand as evidence on its own."""
        problems = _problems(self)
        if problems:
            text = "; ".join(problems)
            raise RecordInvalid(
                f"The evidence record is not usable: {text}.",
                f"存证记录不可用：{text}。",
            )


def _problems(record: EvidenceRecord) -> list[str]:
    problems = []
    for name in (
        "log_entry_hash",
        "document_sha256_before",
        "document_sha256_after",
        "cert_sha256",
    ):
        value = getattr(record, name)
        if value is not None and not _HEX64.fullmatch(value):
            problems.append(f"{name} is not a lowercase hex SHA-256")
    if record.log_seq < 1:
        problems.append("log_seq must be 1 or more")
    if not record.time or not record.device_id:
        problems.append("time and device_id are required")
    if record.kind is EvidenceKind.STAMP:
        for name in (
            "document_sha256_before",
            "document_sha256_after",
            "seal_id",
            "cert_sha256",
            "officer",
        ):
            if getattr(record, name) is None:
                problems.append(f"a stamping needs {name}")
    elif record.seal_id is None and not record.details:
        problems.append("an administrative event must name a seal or give details")
    return problems


def enqueue(conn: Connection, record: EvidenceRecord) -> int:
    """Put ``record`` in the outbox and return its leaf id.

    Call inside the ``Database.transaction()`` that appended the usage-log
    entry the record names; the leaf then commits with it or not at all.

    :raises RecordInvalid: if the record is incomplete, or its usage-log
        entry is not in the log with that hash.
    """
    data = record.canonical()
    row = conn.execute(
        "SELECT entry_hash FROM usage_log WHERE seq = ?", (record.log_seq,)
    ).fetchone()
    if row is None or row[0] != record.log_entry_hash:
        raise RecordInvalid(
            f"The evidence record names usage-log entry {record.log_seq}, "
            "which is not in the log with that hash.",
            f"存证记录引用的用印日志第 {record.log_seq} 条不存在或哈希不符。",
        )
    leaf_id = put_leaf(
        conn,
        kind=record.kind.value,
        record=data,
        leaf_hash=leaf_hash(data),
        log_seq=record.log_seq,
        created_at=now(),
    )
    log.debug("Evidence leaf %d queued for log entry %d", leaf_id, record.log_seq)
    return leaf_id
