"""The document behind an approval request (用印审批), kept for the approver.

An approval binds the SHA-256 of one document. When the officer asks with the
document itself, its bytes are kept encrypted in the workspace's archive
folder (see :mod:`storage.archive_files`), and the ``approval_documents`` table
records which approval they belong to. The approver (or an administrator, or
the officer who asked) then opens a checked, decrypted copy that lives only in
a private temporary folder, and every such viewing is written to the usage log
as ``approval.view``.

As with stamping, the slow encryption runs before the database transaction: a
request that is refused afterwards takes its newly stored file away again, so a
refusal leaves nothing behind.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.admin.approvals import Approval, find_approval, request_approval
from app.admin.journal import recorded
from app.admin.roles import Actor, Role, require_role
from app.admin.store import reading
from app.archive import archive_store
from app.errors import InputError
from app.files import file_sha256
from app.workspace import OpenWorkspace
from storage.archive_files import ArchiveError, ArchiveStore, StoredFile
from storage.database import Connection
from storage.usage_log import append, now

if TYPE_CHECKING:  # pypdfium2 loads only when a preview is drawn
    from app.page_preview import PageImage

__all__ = [
    "ApprovalPreview",
    "KeptDocument",
    "approval_document",
    "kept_document",
    "kept_documents",
    "preview_document",
    "request_with_document",
]

log = logging.getLogger(__name__)

_COPY_NAME = "document.pdf"


@dataclass(frozen=True)
class KeptDocument:
    """The record of a document kept for an approval."""

    approval_id: str
    sha256: str
    size: int
    source_name: str
    kept_at: str


def request_with_document(
    opened: OpenWorkspace,
    actor: Actor,
    seal: str,
    document: Path,
    category: str,
    *,
    title: str = "",
    placement: Mapping[str, Any] | None = None,
    reason: str = "",
) -> Approval:
    """Ask to use ``seal`` on ``document`` and keep the document for the approver.

    The document is hashed, stored encrypted, and the approval binds exactly
    the stored bytes. If the request is refused, a file stored only for it is
    removed again.
    """
    digest = file_sha256(document)
    store = archive_store(opened)
    was_there = store.has(digest)
    stored = _keep(opened, store, document, digest)
    try:
        approval = request_approval(
            opened.db,
            actor,
            seal,
            digest,
            category,
            title=title,
            placement=placement,
            reason=reason,
        )
        with opened.db.transaction() as conn:
            conn.execute(
                "INSERT INTO approval_documents "
                "(approval_id, sha256, size, source_name, kept_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (approval.id, stored.sha256, stored.size, stored.source_name, now()),
            )
    except BaseException:
        if not was_there:
            _discard(opened, store, digest)
        raise
    log.info("Kept a document of %d bytes for approval %s", stored.size, approval.id)
    return approval


def _keep(
    opened: OpenWorkspace, store: ArchiveStore, document: Path, digest: str
) -> StoredFile:
    """Store ``document``; refuse if its bytes are no longer those hashed."""
    stored = store.store(document)
    if stored.sha256 != digest:
        _discard(opened, store, stored.sha256)
        raise InputError(
            f"{document} changed after it was read; nothing was requested. "
            "Request the approval again once the file is final.",
            f"{document} 在读取后被修改，未提交申请。请在文件定稿后重新申请用印审批。",
        )
    return stored


def _discard(opened: OpenWorkspace, store: ArchiveStore, digest: str) -> None:
    """Remove a file stored for a refused request, unless something names it."""
    with reading(opened.db) as conn:
        named = conn.execute(
            "SELECT EXISTS (SELECT 1 FROM archive_entries WHERE sha256 = ?) "
            "OR EXISTS (SELECT 1 FROM approval_documents WHERE sha256 = ?)",
            (digest, digest),
        ).fetchone()[0]
    if not named:
        store.path_for(digest).unlink(missing_ok=True)


def kept_document(conn: Connection, approval_id: str) -> KeptDocument | None:
    """The document kept for an approval, or ``None`` if it was asked by hash."""
    row = conn.execute(
        "SELECT approval_id, sha256, size, source_name, kept_at "
        "FROM approval_documents WHERE approval_id = ?",
        (approval_id,),
    ).fetchone()
    if row is None:
        return None
    return KeptDocument(row[0], row[1], int(row[2]), row[3], row[4])


def kept_documents(conn: Connection) -> dict[str, str]:
    """Every kept document: its SHA-256 and one approval that names it."""
    rows = conn.execute(
        "SELECT sha256, min(approval_id) FROM approval_documents GROUP BY sha256"
    ).fetchall()
    return {str(sha): str(approval_id) for sha, approval_id in rows}


@contextmanager
def approval_document(
    opened: OpenWorkspace, approval_id: str, *, actor: Actor
) -> Iterator[Path | None]:
    """A checked, decrypted copy of the approval's document, deleted afterwards.

    Approvers, administrators and the requester may look; the viewing is
    logged as ``approval.view`` once the copy has passed its check. Yields
    ``None`` when the approval was requested by SHA-256 alone.
    """
    approval, kept = _allowed(opened, approval_id, actor)
    if kept is None:
        yield None
        return
    store = archive_store(opened)
    with tempfile.TemporaryDirectory(prefix="sealdesk-approval-") as folder:
        copy = Path(folder) / (Path(kept.source_name).name or _COPY_NAME)
        try:
            store.decrypt_to(kept.sha256, copy)
        except ArchiveError as exc:
            _log_damage(opened, actor, approval, exc)
            raise
        with opened.db.transaction() as conn:
            append(
                conn,
                "approval.view",
                actor=actor.person_id,
                seal_id=approval.seal_id,
                document_sha256=kept.sha256,
                details={"approval": approval.id},
            )
        log.info("Approval %s document viewed by %s", approval.id, actor.person_id)
        yield copy


def _allowed(
    opened: OpenWorkspace, approval_id: str, actor: Actor
) -> tuple[Approval, KeptDocument | None]:
    with recorded(
        opened.db,
        "approval.view",
        actor.person_id,
        details={"approval": approval_id},
    ) as conn:
        approval = find_approval(conn, approval_id)
        if approval.requester_id == actor.person_id:
            require_role(conn, actor, Role.OFFICER, Role.APPROVER, Role.ADMINISTRATOR)
        else:
            require_role(conn, actor, Role.APPROVER, Role.ADMINISTRATOR)
        return approval, kept_document(conn, approval.id)


def _log_damage(
    opened: OpenWorkspace, actor: Actor, approval: Approval, exc: ArchiveError
) -> None:
    with opened.db.transaction() as conn:
        append(
            conn,
            "archive.damaged",
            actor=actor.person_id,
            seal_id=approval.seal_id,
            document_sha256=approval.document_sha256,
            details={"approval": approval.id, "problem": type(exc).__name__},
        )
    log.warning("The document of approval %s failed its check", approval.id)


@dataclass(frozen=True)
class ApprovalPreview:
    """The first page of a kept document, drawn for the approver's screen."""

    page: PageImage
    page_count: int
    file_name: str


def preview_document(
    opened: OpenWorkspace, approval_id: str, *, actor: Actor, scale: float
) -> ApprovalPreview | None:
    """Page 1 of the request's document at ``scale`` pixels per point.

    ``None`` when the request was made by SHA-256 only. The viewing is logged
    as :func:`approval_document` logs it; the decrypted copy is gone when this
    returns.
    """
    from app.page_preview import page_sizes, render_page

    with approval_document(opened, approval_id, actor=actor) as copy:
        if copy is None:
            return None
        return ApprovalPreview(
            render_page(copy, 0, scale), len(page_sizes(copy)), copy.name
        )
