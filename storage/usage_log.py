"""The usage log (用印日志): an append-only, hash-chained record of every event.

Every administrative change, stamping, refusal and retrieval is appended as one
entry. An entry's hash is SHA-256 over its canonical JSON form, which includes
the previous entry's hash and the entry's own sequence number; so an edited,
deleted or reordered row breaks the chain at that row. The newest hash (the
*head*) is anchored on the evidence chain, which also catches a rolled-back
file.

The canonical form is ``json.dumps`` with sorted keys, no spaces and UTF-8
text. For the values an entry holds (ASCII keys; strings, integers, booleans
and null) this is byte-for-byte the RFC 8785 form; a test checks it against
the ``rfc8785`` package. It is used instead of that package here because
``log verify`` hashes every row and must stay fast at millions of rows.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from storage.database import Connection, Database

__all__ = [
    "GENESIS",
    "ChainCheck",
    "LogEntry",
    "LogFilter",
    "append",
    "entry_hash",
    "head",
    "iter_entries",
    "query",
    "query_sql",
    "verify_chain",
]

GENESIS = "0" * 64
_COLUMNS = (
    "seq, at, action, actor, seal_id, document_sha256, details, prev_hash, entry_hash"
)
JsonValue = str | int | bool | None | list[Any] | dict[str, Any]


@dataclass(frozen=True)
class LogEntry:
    seq: int
    at: str
    action: str
    actor: str | None
    seal_id: str | None
    document_sha256: str | None
    details: Mapping[str, JsonValue]
    prev_hash: str
    entry_hash: str


@dataclass(frozen=True)
class LogFilter:
    """What to list; every field narrows the result, ``None`` means any."""

    actor: str | None = None
    seal_id: str | None = None
    action: str | None = None
    since: str | None = None
    until: str | None = None
    document_sha256: str | None = None
    limit: int | None = 1000


@dataclass(frozen=True)
class ChainCheck:
    """The result of checking the whole chain."""

    entries: int
    head: str
    first_broken: int | None = None
    reason: str | None = None

    @property
    def intact(self) -> bool:
        return self.first_broken is None


def _canonical(fields: Mapping[str, JsonValue]) -> bytes:
    return json.dumps(
        fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def entry_hash(
    *,
    seq: int,
    at: str,
    action: str,
    actor: str | None,
    seal_id: str | None,
    document_sha256: str | None,
    details: Mapping[str, JsonValue],
    prev_hash: str,
) -> str:
    body: dict[str, JsonValue] = {
        "seq": seq,
        "at": at,
        "action": action,
        "actor": actor,
        "seal_id": seal_id,
        "document_sha256": document_sha256,
        "details": dict(details),
        "prev": prev_hash,
    }
    return hashlib.sha256(_canonical(body)).hexdigest()


def now() -> str:
    """UTC time with milliseconds, the form every entry uses."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def append(
    conn: Connection,
    action: str,
    *,
    actor: str | None = None,
    seal_id: str | None = None,
    document_sha256: str | None = None,
    details: Mapping[str, JsonValue] | None = None,
    at: str | None = None,
) -> LogEntry:
    """Append one entry; call inside ``Database.transaction()``.

    The caller's transaction makes the entry commit together with whatever it
    records (a stamping, a grant), or not at all.
    """
    last = conn.execute(
        "SELECT seq, entry_hash FROM usage_log ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    seq, prev = (1, GENESIS) if last is None else (int(last[0]) + 1, str(last[1]))
    entry = LogEntry(
        seq=seq,
        at=at or now(),
        action=action,
        actor=actor,
        seal_id=seal_id,
        document_sha256=document_sha256,
        details=dict(details or {}),
        prev_hash=prev,
        entry_hash="",
    )
    digest = entry_hash(
        seq=seq,
        at=entry.at,
        action=action,
        actor=actor,
        seal_id=seal_id,
        document_sha256=document_sha256,
        details=entry.details,
        prev_hash=prev,
    )
    conn.execute(
        f"INSERT INTO usage_log ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
        (
            seq,
            entry.at,
            action,
            actor,
            seal_id,
            document_sha256,
            _canonical(entry.details).decode("utf-8"),
            prev,
            digest,
        ),
    )
    return dataclasses.replace(entry, entry_hash=digest)


def _entry(row: tuple[Any, ...]) -> LogEntry:
    return LogEntry(
        row[0],
        row[1],
        row[2],
        row[3],
        row[4],
        row[5],
        json.loads(row[6]),
        row[7],
        row[8],
    )


def head(db: Database) -> tuple[int, str]:
    """The newest sequence number and hash; ``(0, GENESIS)`` when empty."""
    row = db.rows("SELECT seq, entry_hash FROM usage_log ORDER BY seq DESC LIMIT 1")
    return (0, GENESIS) if not row else (int(row[0][0]), str(row[0][1]))


def query(db: Database, wanted: LogFilter) -> list[LogEntry]:
    """Entries matching ``wanted``, newest first."""
    sql, params = query_sql(wanted)
    return [_entry(r) for r in db.rows(sql, params)]


def query_sql(wanted: LogFilter) -> tuple[str, tuple[object, ...]]:
    """The SELECT behind :func:`query` and its parameters."""
    clauses: list[str] = []
    params: list[object] = []
    for column, value in (
        ("actor", wanted.actor),
        ("seal_id", wanted.seal_id),
        ("action", wanted.action),
        ("document_sha256", wanted.document_sha256),
    ):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if wanted.since is not None:
        clauses.append("at >= ?")
        params.append(wanted.since)
    if wanted.until is not None:
        clauses.append("at < ?")
        params.append(wanted.until)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    limit = "" if wanted.limit is None else f"LIMIT {int(wanted.limit)}"
    sql = f"SELECT {_COLUMNS} FROM usage_log {where} ORDER BY at DESC, seq DESC {limit}"  # noqa: S608
    return sql, tuple(params)


def iter_entries(db: Database, batch: int = 5000) -> Iterator[LogEntry]:
    """Every entry in sequence order, read in batches on a reader connection."""
    with db.reader() as conn:
        cursor = conn.execute(f"SELECT {_COLUMNS} FROM usage_log ORDER BY seq")  # noqa: S608
        while rows := cursor.fetchmany(batch):
            yield from (_entry(r) for r in rows)


def verify_chain(db: Database) -> ChainCheck:
    """Recompute every hash; name the first entry that does not fit."""
    prev, expected_seq, count = GENESIS, 1, 0
    with db.reader() as conn:
        cursor = conn.execute(f"SELECT {_COLUMNS} FROM usage_log ORDER BY seq")  # noqa: S608
        while rows := cursor.fetchmany(5000):
            for row in rows:
                problem = _check_row(row, prev, expected_seq)
                if problem is not None:
                    return ChainCheck(count, prev, int(row[0]), problem)
                prev, expected_seq, count = row[8], expected_seq + 1, count + 1
    return ChainCheck(count, prev)


def _check_row(row: tuple[Any, ...], prev: str, expected_seq: int) -> str | None:
    seq = int(row[0])
    if seq != expected_seq:
        return f"entry {expected_seq} is missing (next found is {seq})"
    if row[7] != prev:
        return "its link to the previous entry does not match"
    try:
        details = json.loads(row[6])
    except ValueError:
        return "its details are not valid JSON"
    recomputed = entry_hash(
        seq=seq,
        at=row[1],
        action=row[2],
        actor=row[3],
        seal_id=row[4],
        document_sha256=row[5],
        details=details,
        prev_hash=row[7],
    )
    if recomputed != row[8]:
        return "its content does not match its hash"
    return None
