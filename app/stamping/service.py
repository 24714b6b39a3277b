"""The officer's stamping service (盖章): policy, token, engine, usage log, evidence.

:func:`stamp_documents` stamps one or more documents with one seal and one
placement. For each document: its SHA-256 is checked against the use policy
(:func:`app.admin.policy.check_use`, which logs a refusal); the engine writes
and verifies ``OUT.part``; one database transaction then counts the use,
appends the ``stamp`` entry to the usage log (用印日志) and queues the
evidence leaf; only after that commit is ``OUT.part`` renamed to ``OUT``.
The whole batch uses one login on the seal's token: a USB key's PIN comes
from the caller's handler, an HSM's PIN from key custody.

Crash safety: before a ``.part`` file is created, a small *pending note*
naming it is written (and fsynced) to the workspace's ``pending/`` folder;
the usage-log entry names the ``.part`` file and the SHA-256 it must have.
:func:`recover_pending`, run at the start of every stamping, renames a
``.part`` whose committed entry matches it and deletes every other noted
``.part``. So after a power cut each document is either stamped, logged and
queued, or none of these. The notes are hand-written JSON files because the
only other durable place, the database, must not learn of a document before
it is stamped. Only one stamping run per workspace may run at a time; a
second run would take the first one's notes for leftovers.

``SEALDESK_CRASH_AT`` (``after-part`` or ``after-commit``) is a test hook:
the process kills itself at that point of the first document, as a power
cut would.
"""

from __future__ import annotations

import enum
import json
import logging
import os
import signal
import sys
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout
from pyhanko.pdf_utils.reader import PdfFileReader

from app.admin.approvals import get_approval
from app.admin.errors import RefusedError
from app.admin.policy import UseDecision, consume, record_use_refusal
from app.admin.roles import Actor
from app.admin.seals import Seal
from app.archive import ArchiveMetadata, archive_document, store_document
from app.errors import InputError, SealDeskError
from app.evidence.record import EvidenceKind, EvidenceRecord, TimeSource, enqueue
from app.evidence.sync import CRASH_ENV
from app.stamping import output as out
from app.stamping.checks import part_path
from app.stamping.engine import publish
from app.stamping.errors import OutputPathError
from app.stamping.placement import (
    CoordinatePlacement,
    KeywordPlacement,
    Placement,
)
from app.stamping.request import Level, StampResult
from app.workspace import OpenWorkspace
from storage.usage_log import LogEntry, LogFilter, append, now, query

__all__ = [
    "STAMP_ACTION",
    "BatchReport",
    "DocumentReport",
    "Outcome",
    "Recording",
    "RecoveryReport",
    "StampJob",
    "StampingBusyError",
    "crash_point",
    "drop_note",
    "outputs_for",
    "pending_folder",
    "record_stamp",
    "recover_pending",
    "stamping_lock",
    "tsa_time",
    "write_note",
]

log = logging.getLogger(__name__)

STAMP_ACTION = "stamp"
_PENDING = "pending"
_LOCK_NAME = "stamping.lock"


@dataclass(frozen=True)
class StampJob:
    """What the officer asked for: documents, one seal, one placement.

    ``outputs`` pairs with ``inputs``; :func:`outputs_for` makes it from the
    officer's ``-o``. A ``tsa_url`` makes the signatures PAdES B-T;
    ``long_term`` (which needs a ``tsa_url`` too) makes them B-LT, with the
    certificates and revocation data the desk trusts embedded in the DSS.
    """

    inputs: tuple[Path, ...]
    outputs: tuple[Path, ...]
    seal: str
    placement: Placement
    category: str
    approval_id: str | None = None
    reason: str | None = None
    location: str | None = None
    tsa_url: str | None = None
    long_term: bool = False

    @property
    def level(self) -> Level:
        if self.long_term:
            return Level.B_LT
        return Level.B_T if self.tsa_url else Level.B_B


class Outcome(enum.Enum):
    """What became of one document of a batch."""

    STAMPED = "stamped"
    REFUSED = "refused"
    FAILED = "failed"  # the token failed while signing it
    NOT_ATTEMPTED = "not-attempted"


@dataclass(frozen=True)
class DocumentReport:
    """One line of the batch report; ``en``/``zh`` say why when not stamped."""

    input: Path
    output: Path
    outcome: Outcome
    en: str = ""
    zh: str = ""
    sha256_before: str | None = None
    sha256_after: str | None = None
    log_seq: int | None = None


@dataclass(frozen=True)
class BatchReport:
    """Every document in input order; ``stopped_*`` name a token failure."""

    documents: tuple[DocumentReport, ...]
    stopped_en: str | None = None
    stopped_zh: str | None = None

    @property
    def all_stamped(self) -> bool:
        return all(d.outcome is Outcome.STAMPED for d in self.documents)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for d in self.documents if d.outcome is outcome)


@dataclass(frozen=True)
class RecoveryReport:
    """What :func:`recover_pending` did with interrupted stampings."""

    published: tuple[Path, ...]
    removed: tuple[Path, ...]


def outputs_for(inputs: Sequence[Path], target: Path) -> tuple[Path, ...]:
    """Where each input's stamped copy goes, from the officer's ``-o``.

    One input may go to a file or into an existing folder; several inputs
    need an existing folder and keep their file names there.
    """
    if not inputs:
        raise InputError("Name at least one document.", "请至少指定一个文件。")
    if len(inputs) > 1 and not target.is_dir():
        raise InputError(
            f"{target}: with several documents, -o must be an existing folder.",
            f"{target}：盖章多个文件时，-o 必须是已存在的文件夹。",
        )
    outputs = tuple(target / p.name if target.is_dir() else target for p in inputs)
    resolved = [o.resolve() for o in outputs]
    if len(set(resolved)) != len(resolved):
        raise InputError(
            "Two documents would be written to the same output file; "
            "rename one of them.",
            "有两个文件会写入同一个输出文件，请先重命名其中之一。",
        )
    taken = {p.resolve() for p in inputs}
    for output in outputs:
        if output.resolve() in taken:
            raise InputError(
                f"{output}: the output would overwrite an input document.",
                f"{output}：输出会覆盖输入文件。",
            )
    return outputs


# -- pending notes and recovery ------------------------------------------------


def pending_folder(opened: OpenWorkspace) -> Path:
    """Where the pending notes of a workspace are kept."""
    return opened.workspace.root / _PENDING


def write_note(opened: OpenWorkspace, output: Path, sha256_before: str) -> Path:
    """Note the ``.part`` of ``output`` durably before it is created."""
    folder = pending_folder(opened)
    folder.mkdir(exist_ok=True)
    note = folder / f"{uuid.uuid4().hex}.json"
    body = {
        "part": str(part_path(output.absolute())),
        "output": str(output.absolute()),
        "sha256_before": sha256_before,
    }
    scratch = note.with_suffix(".tmp")
    with scratch.open("x", encoding="utf-8") as handle:
        json.dump(body, handle)
        handle.flush()
        os.fsync(handle.fileno())
    out.commit(scratch, note)
    return note


def drop_note(note: Path) -> None:
    """Forget a pending note once its document is settled."""
    note.unlink(missing_ok=True)


class StampingBusyError(SealDeskError):
    """Another stamping run holds the workspace."""


@contextmanager
def stamping_lock(opened: OpenWorkspace) -> Iterator[None]:
    """Hold the workspace's stamping lock: one stamping run at a time.

    Recovery deletes the ``.part`` files it finds unrecorded, so a second
    run, in this process or another (the window and the CLI on one desk),
    must not start while one is under way. The operating system releases the
    lock when its holder dies, so a killed run never blocks the next.

    :raises StampingBusyError: another run holds it; nothing is waited for.
    """
    lock = FileLock(opened.workspace.root / _LOCK_NAME)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise StampingBusyError(
            f"{opened.workspace.root}: another stamping run is under way in this "
            "workspace; try again when it has finished.",
            f"{opened.workspace.root}：此工作区正在进行另一次盖章，请待其完成后再试。",
        ) from None
    try:
        yield
    finally:
        lock.release()


def recover_pending(opened: OpenWorkspace) -> RecoveryReport:
    """Finish or undo stampings that a crash interrupted (see module docs)."""
    folder = pending_folder(opened)
    published: list[Path] = []
    removed: list[Path] = []
    if not folder.is_dir():
        return RecoveryReport((), ())
    for scratch in folder.glob("*.tmp"):
        scratch.unlink(missing_ok=True)
    for note in sorted(folder.glob("*.json")):
        body = json.loads(note.read_text(encoding="utf-8"))
        part, output = Path(body["part"]), Path(body["output"])
        if part.exists():
            settled = _settle(opened, part, output, str(body["sha256_before"]))
            if settled is None:
                continue  # keep the note; the officer must clear the way
            (published if settled else removed).append(output if settled else part)
        drop_note(note)
    return RecoveryReport(tuple(published), tuple(removed))


def _settle(
    opened: OpenWorkspace, part: Path, output: Path, before: str
) -> bool | None:
    """Publish (``True``) or delete (``False``) one noted ``.part``.

    ``None`` leaves it in place: it was recorded, but its output path is taken.
    """
    with part.open("rb") as handle:
        digest = out.sha256_of(handle)
    entries = query(
        opened.db,
        LogFilter(action=STAMP_ACTION, document_sha256=before, limit=None),
    )
    logged = any(
        e.details.get("part") == str(part) and e.details.get("sha256_after") == digest
        for e in entries
    )
    if not logged:
        part.unlink(missing_ok=True)
        log.warning("Removed the unrecorded partial output %s", part)
        return False
    try:
        publish(part, output)
    except OutputPathError:
        log.warning("Recorded output %s is in the way of %s", output, part)
        return None
    log.info("Recovered the stamped output %s", output)
    return True


# -- recording one stamping ----------------------------------------------------


def crash_point(name: str) -> None:
    """Die here, as a power cut would, when the test hook names this point."""
    if os.environ.get(CRASH_ENV) != name:
        return
    sys.stderr.write(f"sealdesk: crash point {name} reached\n")
    sys.stderr.flush()
    os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


@dataclass(frozen=True)
class Recording:
    """What the stamping transaction needs besides the engine's result."""

    opened: OpenWorkspace
    actor: Actor
    seal: Seal
    job: StampJob


def record_stamp(
    rec: Recording, decision: UseDecision, result: StampResult
) -> LogEntry:
    """Count the use, log it and queue its evidence, in one transaction.

    :raises RefusedError: the policy refused at the last moment; nothing was
        recorded but the refusal.
    """
    part = part_path(result.output.absolute())
    details: dict[str, str | int | bool | None] = {
        "output": result.output.name,
        "part": str(part),
        "sha256_after": result.sha256_after,
        "pages": ",".join(str(p) for p in result.pages),
        "placement": _placement_kind(rec.job.placement),
        "level": result.level.value,
        "category": decision.category,
        "title": _title(rec, decision),
        "signature_field": result.signature_field,
    }
    # The encrypted archive copy is written before the transaction; its index
    # row commits with the log entry, so an aborted stamping leaves at most an
    # unindexed file, which 'archive recheck' reports.
    stored = store_document(rec.opened, part)
    try:
        with rec.opened.db.transaction() as conn:
            consume(conn, decision)
            entry = append(
                conn,
                STAMP_ACTION,
                actor=rec.actor.person_id,
                seal_id=rec.seal.id,
                document_sha256=decision.document_sha256,
                details=details,
            )
            enqueue(conn, _evidence(rec, decision, result, entry, details))
            archive_document(
                conn,
                stored,
                ArchiveMetadata(
                    title=str(details["title"] or result.output.stem),
                    category=decision.category,
                    seal_id=rec.seal.id,
                    officer_id=rec.actor.person_id,
                    stamped_at=entry.at,
                    sha256_before=decision.document_sha256,
                ),
            )
    except RefusedError as exc:
        record_use_refusal(rec.opened.db, decision, exc)
        raise
    log.info(
        "Seal %s used by %s on %s (log entry %d)",
        rec.seal.id,
        rec.actor.person_id,
        decision.document_sha256,
        entry.seq,
    )
    return entry


def _evidence(
    rec: Recording,
    decision: UseDecision,
    result: StampResult,
    entry: LogEntry,
    details: dict[str, str | int | bool | None],
) -> EvidenceRecord:
    part = part_path(result.output)
    stamped = (
        tsa_time(part, result.signature_field)
        if result.level is not Level.B_B
        else None
    )
    return EvidenceRecord(
        kind=EvidenceKind.STAMP,
        time=stamped or now(),
        time_source=TimeSource.CLOCK if stamped is None else TimeSource.TSA,
        device_id=rec.opened.info.workspace_id,
        log_seq=entry.seq,
        log_entry_hash=entry.entry_hash,
        document_sha256_before=decision.document_sha256,
        document_sha256_after=result.sha256_after,
        seal_id=rec.seal.id,
        cert_sha256=rec.seal.cert_sha256,
        signer=rec.seal.key_label or rec.seal.name,
        officer=rec.actor.person_id,
        approval_id=decision.approval_id,
        details={k: v for k, v in details.items() if k != "part"},
    )


def tsa_time(path: Path, field_name: str) -> str | None:
    """The time-stamp authority's time in the signature of ``field_name``."""
    with path.open("rb") as handle:
        reader = PdfFileReader(handle, strict=False)
        for sig in reader.embedded_regular_signatures:
            if sig.field_name != field_name:
                continue
            attrs = sig.signer_info["unsigned_attrs"]
            for attr in attrs if attrs.native is not None else ():
                if attr["type"].native == "signature_time_stamp_token":
                    signed = attr["values"][0]["content"]
                    info = signed["encap_content_info"]["content"].parsed
                    moment: datetime = info["gen_time"].native
                    return _time_text(moment)
    return None


def _time_text(moment: datetime) -> str:
    utc = moment.astimezone(UTC)
    return utc.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _title(rec: Recording, decision: UseDecision) -> str:
    if decision.approval_id is None:
        return ""
    return get_approval(rec.opened.db, decision.approval_id).document_title


def _placement_kind(placement: Placement) -> str:
    if isinstance(placement, CoordinatePlacement):
        return "coordinates"
    if isinstance(placement, KeywordPlacement):
        return "keyword"
    return "riding"
