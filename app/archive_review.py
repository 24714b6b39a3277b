"""What the archivist reads about one archived document besides its index row.

* :func:`entry_evidence`: the evidence leaves anchored for its stamping, with
  the batch that carries each (block, time, confirmations), read from the
  evidence tables only; no chain node is asked.
* :func:`retrievals`: its retrieval log (调阅记录), the ``archive.retrieve``
  entries of the usage log.
* :func:`verify_entry`: retrieve the entry through :func:`app.archive.get`
  (checked and logged), verify the copy as ``sealdesk verify`` would
  (:func:`app.verification.desk.verify_at_desk`), and remove it again.

pyHanko is imported inside the functions that verify, so that importing this
module stays cheap for the window.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.archive import ArchiveEntry, get
from app.audit import LogEntry, LogFilter, list_log
from app.workspace import OpenWorkspace
from storage.database import Database
from storage.outbox import batch, leaf

if TYPE_CHECKING:
    from app.verification import VerificationReport

__all__ = [
    "RETRIEVE_ACTION",
    "VERIFICATION_COPY_PREFIX",
    "EntryEvidence",
    "entry_evidence",
    "retrievals",
    "verification_copy_name",
    "verify_entry",
    "verify_file",
]

RETRIEVE_ACTION = "archive.retrieve"
# A retrieval made to verify the document, not to hand out a copy.
VERIFICATION_COPY_PREFIX = "verification-copy-"


@dataclass(frozen=True)
class EntryEvidence:
    """One evidence leaf of the document and where its batch stands.

    ``state`` is ``waiting`` while the leaf is in no batch, else the batch
    state (built, signed, sent, mined, confirmed).
    """

    leaf_id: int
    kind: str
    state: str
    anchored: bool
    chain_id: int | None = None
    block_number: int | None = None
    tx_hash: str | None = None
    anchored_at: str | None = None
    confirmations: int = 0
    confirmed_at: str | None = None


def entry_evidence(db: Database, entry: ArchiveEntry) -> list[EntryEvidence]:
    """The leaves whose record names this document after stamping, oldest first."""
    digests = tuple(d for d in (entry.sha256, entry.sha256_before) if d)
    marks = ", ".join("?" for _ in digests)
    ids = db.rows(
        "SELECT l.id FROM evidence_leaves l JOIN usage_log u ON u.seq = l.log_seq "  # noqa: S608
        f"WHERE u.document_sha256 IN ({marks}) ORDER BY l.id",
        digests,
    )
    found = []
    with db.reader() as conn:
        for (leaf_id,) in ids:
            item = leaf(conn, int(leaf_id))
            if item is None or not _names_document(item.record, entry.sha256):
                continue
            owner = None if item.batch_id is None else batch(conn, item.batch_id)
            if owner is None:
                found.append(EntryEvidence(item.id, item.kind, "waiting", False))
                continue
            found.append(
                EntryEvidence(
                    leaf_id=item.id,
                    kind=item.kind,
                    state=owner.state.value,
                    anchored=owner.block_hash is not None,
                    chain_id=owner.chain_id,
                    block_number=owner.block_number,
                    tx_hash=owner.tx_hash,
                    anchored_at=owner.mined_at,
                    confirmations=owner.confirmations,
                    confirmed_at=owner.confirmed_at,
                )
            )
    return found


def _names_document(record: bytes, sha256: str) -> bool:
    try:
        data = json.loads(record)
    except ValueError:
        return False
    return isinstance(data, dict) and data.get("document_sha256_after") == sha256


def retrievals(db: Database, entry: ArchiveEntry) -> list[LogEntry]:
    """Every retrieval of the entry's document, newest first."""
    wanted = LogFilter(action=RETRIEVE_ACTION, document_sha256=entry.sha256, limit=None)
    return list_log(db, wanted)


def verify_file(opened: OpenWorkspace, path: Path) -> VerificationReport:
    """Verify any PDF with everything the desk knows (trust, CRLs, cache)."""
    from app.verification.desk import verify_at_desk

    return verify_at_desk(path, opened)


def verification_copy_name(entry: ArchiveEntry) -> str:
    """The file name a verification's retrieval is logged with."""
    return f"{VERIFICATION_COPY_PREFIX}{entry.id}.pdf"


def verify_entry(
    opened: OpenWorkspace, actor_id: str | None, entry: ArchiveEntry
) -> VerificationReport:
    """Retrieve the entry (checked and logged), verify the copy, delete it.

    The copy lives in a private temporary folder only while it is verified.
    """
    from app.verification.desk import desk_trust, verify_at_desk

    # Loaded before the retrieval, so a bad trust file logs no retrieval.
    trust = desk_trust(opened.workspace.root, opened)
    with tempfile.TemporaryDirectory(prefix="sealdesk-verify-") as folder:
        copy = Path(folder) / verification_copy_name(entry)
        get(opened, actor_id, entry.id, copy)
        report = verify_at_desk(copy, opened, trust=trust)
    return report
