"""The archive service (归档): file, find, retrieve and recheck documents.

Every stamped output, and every received document an officer files by hand,
is kept encrypted in the workspace's archive folder (see
:mod:`storage.archive_files`) and indexed in the database with its title,
document number, category, seal, officer, time and hashes.

Archiving happens in two steps so that no slow work runs inside the single
database writer: :func:`store_document` encrypts the file into the archive
folder *before* the caller's transaction, and :func:`archive_document` writes
the index row *inside* it. A transaction that rolls back leaves an encrypted
file without a row; :func:`recheck` reports it, and archiving the same content
again reuses it.

Every retrieval is written to the usage log (调阅记录) as ``archive.retrieve``
before the verified copy is put where the person asked for it.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import secrets
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from app.errors import InputError, SealDeskError
from app.workspace import OpenWorkspace
from storage.archive_files import (
    ArchiveDamaged,
    ArchiveError,
    ArchiveKeyMismatch,
    ArchiveMissing,
    ArchiveStore,
    StoredFile,
    archive_key,
)
from storage.database import Connection, Database
from storage.usage_log import append, now

__all__ = [
    "ArchiveEntry",
    "ArchiveFilter",
    "ArchiveMetadata",
    "ArchiveProblem",
    "EntryKind",
    "EntryNotFound",
    "ProblemKind",
    "archive_document",
    "archive_store",
    "file_received",
    "find_entry",
    "get",
    "recheck",
    "search",
    "store_document",
]

log = logging.getLogger(__name__)

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_COLUMNS = (
    "id, sha256, size, title, doc_number, category, seal_id, officer_id, "
    "stamped_at, sha256_before, source_name, kind, archived_at"
)
# The trigram index answers substrings of three characters or more.
_TRIGRAM = 3


class EntryKind(Enum):
    STAMPED = "stamped"
    RECEIVED = "received"


@dataclass(frozen=True)
class ArchiveMetadata:
    """What the index says about a document besides its hashes."""

    title: str
    doc_number: str | None = None
    category: str | None = None
    seal_id: str | None = None
    officer_id: str | None = None
    stamped_at: str | None = None
    sha256_before: str | None = None
    kind: EntryKind = EntryKind.STAMPED


@dataclass(frozen=True)
class ArchiveEntry:
    id: int
    sha256: str
    size: int
    title: str
    doc_number: str | None
    category: str | None
    seal_id: str | None
    officer_id: str | None
    stamped_at: str
    sha256_before: str | None
    source_name: str
    kind: EntryKind
    archived_at: str


@dataclass(frozen=True)
class ArchiveFilter:
    """What to find; every field narrows the result, ``None`` means any.

    ``text`` is matched as substrings of the title or the document number;
    words separated by spaces must all match. ``sha256`` matches either the
    archived (stamped) document or the document before stamping.
    """

    text: str | None = None
    seal_id: str | None = None
    officer_id: str | None = None
    since: str | None = None
    until: str | None = None
    sha256: str | None = None
    limit: int | None = 100


class ProblemKind(Enum):
    MISSING = "missing"
    DAMAGED = "damaged"
    OTHER_KEY = "other-key"
    UNINDEXED = "unindexed"


@dataclass(frozen=True)
class ArchiveProblem:
    """One finding of :func:`recheck`; ``entry_id`` is ``None`` for stray files."""

    kind: ProblemKind
    entry_id: int | None
    sha256: str | None
    path: Path
    en: str
    zh: str


class EntryNotFound(SealDeskError):
    """No archive entry has the id the person gave."""


def archive_store(opened: OpenWorkspace) -> ArchiveStore:
    """The workspace's archive folder under its archive key."""
    key = archive_key(opened.db, opened.info.workspace_id)
    return ArchiveStore(opened.workspace.archive, key)


def store_document(opened: OpenWorkspace, path: Path) -> StoredFile:
    """Encrypt ``path`` into the archive folder; call before the transaction."""
    return archive_store(opened).store(path)


def archive_document(
    conn: Connection, stored: StoredFile, metadata: ArchiveMetadata
) -> ArchiveEntry:
    """Index a stored document; call inside the caller's transaction.

    The same content archived again returns the entry it already has, so a
    retried stamping or filing never fails on it.
    """
    if not metadata.title.strip():
        raise InputError("An archived document needs a title.", "归档文件需要标题。")
    existing = _by_sha(conn, stored.sha256)
    if existing is not None:
        return existing
    archived_at = now()
    cursor = conn.execute(
        "INSERT INTO archive_entries (sha256, size, title, doc_number, category, "
        "seal_id, officer_id, stamped_at, sha256_before, source_name, kind, "
        "archived_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            stored.sha256,
            stored.size,
            metadata.title.strip(),
            metadata.doc_number,
            metadata.category,
            metadata.seal_id,
            metadata.officer_id,
            metadata.stamped_at or archived_at,
            metadata.sha256_before,
            stored.source_name,
            metadata.kind.value,
            archived_at,
        ),
    )
    entry = _by_id(conn, int(cursor.lastrowid))
    assert entry is not None
    return entry


def file_received(
    opened: OpenWorkspace,
    actor_id: str | None,
    path: Path,
    metadata: ArchiveMetadata,
) -> ArchiveEntry:
    """File a received document by hand (收文归档) and log it."""
    stored = store_document(opened, path)
    with opened.db.transaction() as conn:
        entry = archive_document(conn, stored, metadata)
        append(
            conn,
            "archive.add",
            actor=actor_id,
            document_sha256=stored.sha256,
            details={"entry": entry.id, "title": entry.title},
        )
    log.info("Filed archive entry %d", entry.id)
    return entry


def search(db: Database, wanted: ArchiveFilter) -> list[ArchiveEntry]:
    """Entries matching ``wanted``, newest first."""
    clauses, params = _text_clauses(wanted.text)
    for column, value in (
        ("seal_id", wanted.seal_id),
        ("officer_id", wanted.officer_id),
    ):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if wanted.since is not None:
        clauses.append("stamped_at >= ?")
        params.append(wanted.since)
    if wanted.until is not None:
        clauses.append("stamped_at < ?")
        params.append(wanted.until)
    if wanted.sha256 is not None:
        digest = _sha_argument(wanted.sha256)
        clauses.append("(sha256 = ? OR sha256_before = ?)")
        params += [digest, digest]
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    limit = "" if wanted.limit is None else f"LIMIT {int(wanted.limit)}"
    sql = (
        f"SELECT {_COLUMNS} FROM archive_entries {where} "  # noqa: S608
        f"ORDER BY stamped_at DESC, id DESC {limit}"
    )
    return [_entry(r) for r in db.rows(sql, tuple(params))]


def _text_clauses(text: str | None) -> tuple[list[str], list[Any]]:
    words = (text or "").split()
    long_words = [w for w in words if len(w) >= _TRIGRAM]
    short_words = [w for w in words if len(w) < _TRIGRAM]
    clauses: list[str] = []
    params: list[Any] = []
    if long_words:
        clauses.append(
            "id IN (SELECT rowid FROM archive_text WHERE archive_text MATCH ?)"
        )
        params.append(" AND ".join(_phrase(w) for w in long_words))
    for word in short_words:
        clauses.append("(title LIKE ? ESCAPE '\\' OR doc_number LIKE ? ESCAPE '\\')")
        pattern = "%" + re.sub(r"([\\%_])", r"\\\1", word) + "%"
        params += [pattern, pattern]
    return clauses, params


def _phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _sha_argument(value: str) -> str:
    digest = value.strip().lower()
    if not _SHA256.match(digest):
        raise InputError(
            f"{value!r} is not a SHA-256 (64 hexadecimal digits).",
            f"{value!r} 不是 SHA-256 摘要（应为 64 位十六进制数字）。",
        )
    return digest


def find_entry(db: Database, entry_id: int) -> ArchiveEntry:
    """One entry by id; a missing one is the person's error."""
    rows = db.rows(
        f"SELECT {_COLUMNS} FROM archive_entries WHERE id = ?",  # noqa: S608
        (entry_id,),
    )
    if not rows:
        raise EntryNotFound(
            f"No archive entry has the id {entry_id}.",
            f"没有编号为 {entry_id} 的归档条目。",
        )
    return _entry(rows[0])


def get(
    opened: OpenWorkspace, actor_id: str | None, entry_id: int, dst: Path
) -> ArchiveEntry:
    """Decrypt an entry into ``dst`` after checking it; log the retrieval.

    The copy is verified into a ``.part`` file first; only once the usage-log
    entry has committed is it renamed to ``dst``. A damaged file leaves no
    output and is logged as ``archive.damaged``.
    """
    found = find_entry(opened.db, entry_id)
    if dst.exists():
        raise InputError(
            f"{dst} already exists; choose another output file.",
            f"{dst} 已存在，请另选输出文件。",
        )
    part = dst.with_name(f"{dst.name}.{secrets.token_hex(4)}.part")
    try:
        archive_store(opened).decrypt_to(found.sha256, part)
    except ArchiveError as exc:
        _log_refusal(opened, actor_id, found, exc)
        raise
    except OSError as exc:
        raise _unwritable(dst, exc) from exc
    try:
        with opened.db.transaction() as conn:
            append(
                conn,
                "archive.retrieve",
                actor=actor_id,
                seal_id=found.seal_id,
                document_sha256=found.sha256,
                details={"entry": found.id, "output": dst.name},
            )
        os.replace(part, dst)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    log.info("Archive entry %d retrieved", found.id)
    return found


def _log_refusal(
    opened: OpenWorkspace, actor_id: str | None, found: ArchiveEntry, exc: Exception
) -> None:
    with opened.db.transaction() as conn:
        append(
            conn,
            "archive.damaged",
            actor=actor_id,
            seal_id=found.seal_id,
            document_sha256=found.sha256,
            details={"entry": found.id, "problem": type(exc).__name__},
        )
    log.warning("Archive entry %d failed its check on retrieval", found.id)


def recheck(opened: OpenWorkspace) -> list[ArchiveProblem]:
    """Decrypt every archived file and compare its hash; list what is wrong.

    Documents kept for approvals are checked the same way. Files in the
    archive folder that neither an entry nor an approval names are reported
    too: the leftovers of a rolled-back archiving, or files put there by
    someone else.
    """
    # Imported here: the approval documents build on this module's store.
    from app.approval_documents import kept_documents

    store = archive_store(opened)
    problems: list[ArchiveProblem] = []
    expected: set[Path] = set()
    with opened.db.reader() as conn:
        cursor = conn.execute("SELECT id, sha256 FROM archive_entries ORDER BY id")
        while rows := cursor.fetchmany(1000):
            for entry_id, sha256 in rows:
                expected.add(store.path_for(sha256))
                problem = _check_one(store, int(entry_id), str(sha256))
                if problem is not None:
                    problems.append(problem)
        problems += _check_kept(store, kept_documents(conn), expected)
    for path in store.files():
        if path not in expected:
            problems.append(
                ArchiveProblem(
                    ProblemKind.UNINDEXED,
                    None,
                    None,
                    path,
                    f"{path} belongs to no archive entry.",
                    f"{path} 不属于任何归档条目。",
                )
            )
    if problems:
        log.warning("Archive recheck found %d problems", len(problems))
    return problems


def _check_kept(
    store: ArchiveStore, kept: dict[str, str], expected: set[Path]
) -> list[ArchiveProblem]:
    """Check the documents kept for approvals that no entry already covers."""
    problems = []
    for sha256, approval_id in sorted(kept.items()):
        path = store.path_for(sha256)
        if path in expected:
            continue
        expected.add(path)
        problem = _check_one(store, None, sha256)
        if problem is not None:
            problems.append(
                dataclasses.replace(
                    problem,
                    en=f"Approval {approval_id}: {problem.en}",
                    zh=f"用印审批 {approval_id}：{problem.zh}",
                )
            )
    return problems


def _check_one(
    store: ArchiveStore, entry_id: int | None, sha256: str
) -> ArchiveProblem | None:
    kinds: tuple[tuple[type[ArchiveError], ProblemKind], ...] = (
        (ArchiveMissing, ProblemKind.MISSING),
        (ArchiveDamaged, ProblemKind.DAMAGED),
        (ArchiveKeyMismatch, ProblemKind.OTHER_KEY),
    )
    try:
        store.check(sha256)
    except ArchiveError as exc:
        kind = next(k for cls, k in kinds if isinstance(exc, cls))
        return ArchiveProblem(
            kind, entry_id, sha256, store.path_for(sha256), exc.en, exc.zh
        )
    return None


def _by_sha(conn: Connection, sha256: str) -> ArchiveEntry | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM archive_entries WHERE sha256 = ?",  # noqa: S608
        (sha256,),
    ).fetchone()
    return None if row is None else _entry(row)


def _by_id(conn: Connection, entry_id: int) -> ArchiveEntry | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM archive_entries WHERE id = ?",  # noqa: S608
        (entry_id,),
    ).fetchone()
    return None if row is None else _entry(row)


def _entry(row: tuple[Any, ...]) -> ArchiveEntry:
    return ArchiveEntry(
        id=int(row[0]),
        sha256=row[1],
        size=int(row[2]),
        title=row[3],
        doc_number=row[4],
        category=row[5],
        seal_id=row[6],
        officer_id=row[7],
        stamped_at=row[8],
        sha256_before=row[9],
        source_name=row[10],
        kind=EntryKind(row[11]),
        archived_at=row[12],
    )


def _unwritable(dst: Path, exc: OSError) -> InputError:
    reason = exc.strerror or type(exc).__name__
    return InputError(
        f"Cannot write {dst} ({reason}).", f"无法写入 {dst}（{reason}）。"
    )
