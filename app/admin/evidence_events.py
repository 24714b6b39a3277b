"""Evidence (存证) for the administrative events that matter.

A seal revoked or destroyed and a grant added or revoked change who may seal
what, so each leaves an evidence record beside its usage-log entry, queued in
the same transaction, to be anchored with the stampings.
"""

from __future__ import annotations

from app.evidence.record import (
    DetailValue,
    EvidenceKind,
    EvidenceRecord,
    TimeSource,
    enqueue,
)
from app.workspace import DEVICE_ID_SETTING
from storage.database import Connection
from storage.usage_log import LogEntry

__all__ = ["queue_admin_evidence"]


def _device_id(conn: Connection) -> str:
    row = conn.execute(
        "SELECT value FROM settings WHERE key = ?", (DEVICE_ID_SETTING,)
    ).fetchone()
    return "unknown-desk" if row is None else str(row[0])


def queue_admin_evidence(
    conn: Connection,
    kind: EvidenceKind,
    entry: LogEntry,
    details: dict[str, DetailValue],
) -> int:
    """Queue the record of ``entry``; call inside the event's transaction."""
    return enqueue(
        conn,
        EvidenceRecord(
            kind=kind,
            time=entry.at,
            time_source=TimeSource.CLOCK,
            device_id=_device_id(conn),
            log_seq=entry.seq,
            log_entry_hash=entry.entry_hash,
            seal_id=entry.seal_id,
            officer=entry.actor,
            details=details,
        ),
    )
