"""Building the evidence package (证据包) of one archived document.

:func:`export_package` writes one ZIP that a court can check without
SealDesk: the signed PDF, its verification report (JSON, and PDF when the
report renderer is available), the signer certificates and revocation data,
the document's usage-log entries, the evidence bundle (or a "not yet
anchored" record), a bilingual README, the standalone ``verify.py`` and a
canonical ``manifest.json`` of every file's SHA-256.

The PDF is taken out of the archive with :func:`app.archive.get`, so it is
checked against its hash and the retrieval is written to the usage log like
any other. The package is written to a ``.part`` file beside the output,
flushed to disk and then linked into place; an existing output is never
replaced.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
import os
import secrets
import tempfile
import time
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from app.admin.roles import Actor, Role, require_role
from app.archive import ArchiveEntry, find_entry, get
from app.errors import InputError, SealDeskError
from app.evidence.sync import EvidenceNotAnchored, evidence_bundle
from app.evidence_package import standalone_verify as sv
from app.evidence_package.material import SignatureMaterial, signature_material
from app.evidence_package.readme import readme_text
from app.files import fsync_folder, link_into_place
from app.verification import (
    VerificationReport,
)
from app.verification.desk import verify_at_desk
from app.workspace import OpenWorkspace
from storage.usage_log import LogEntry, LogFilter, now, query

__all__ = [
    "PackageIncomplete",
    "PackageSummary",
    "check_may_export",
    "export_package",
]

log = logging.getLogger(__name__)

_EXECUTABLE = 0o100755 << 16
_REGULAR = 0o100644 << 16


class PackageIncomplete(SealDeskError):
    """A file every package must hold cannot be made by this installation."""


@dataclass(frozen=True)
class PackageSummary:
    """What went into one package."""

    path: Path
    entry_id: int
    document_sha256: str
    verdict: str
    anchored: bool
    leaf_id: int | None
    report_pdf: bool
    files: tuple[str, ...]
    size: int


def check_may_export(opened: OpenWorkspace, actor: Actor) -> None:
    """Refuse unless ``actor`` is an archivist or an administrator now."""
    with opened.db.transaction() as conn:
        require_role(conn, actor, Role.ARCHIVIST, Role.ADMINISTRATOR)


def export_package(
    opened: OpenWorkspace,
    entry_id: int,
    out: Path,
    *,
    actor_id: str | None,
    online: bool = True,
) -> PackageSummary:
    """Write the evidence package of archive entry ``entry_id`` to ``out``.

    :param online: let the verification fetch OCSP responses and CRLs.
    :raises InputError: ``out`` exists or its folder cannot take it.
    :raises EntryNotFound: no entry has that id.
    :raises ArchiveError: the archived copy is missing or damaged (logged).
    """
    _check_target(out)
    entry = find_entry(opened.db, entry_id)
    with tempfile.TemporaryDirectory(
        prefix=".sealdesk-package-", dir=out.parent
    ) as staging:
        document = _retrieve(opened, actor_id, entry, out, Path(staging))
        files, omitted, facts = _contents(opened, entry, document, actor_id, online)
    _write_zip(out, files, omitted)
    summary = PackageSummary(
        path=out,
        entry_id=entry.id,
        document_sha256=entry.sha256,
        files=(*sorted(files), sv.MANIFEST),
        size=out.stat().st_size,
        **facts,
    )
    log.info("Evidence package of archive entry %d written", entry.id)
    return summary


def _check_target(out: Path) -> None:
    if out.exists() or out.is_symlink():
        raise InputError(
            f"{out} already exists; the evidence package is not written over it.",
            f"{out} 已存在，证据包不会覆盖它。",
        )
    if not out.parent.is_dir():
        raise InputError(
            f"{out}: the folder {out.parent} does not exist.",
            f"{out}：文件夹 {out.parent} 不存在。",
        )
    if not os.access(out.parent, os.W_OK):
        raise InputError(
            f"{out}: the folder {out.parent} is not writable.",
            f"{out}：文件夹 {out.parent} 不可写入。",
        )


def _retrieve(
    opened: OpenWorkspace,
    actor_id: str | None,
    entry: ArchiveEntry,
    out: Path,
    staging: Path,
) -> Path:
    """Take the checked PDF out of the archive; the log names the package."""
    taken = staging / out.name
    get(opened, actor_id, entry.id, taken)
    document = staging / sv.DOCUMENT
    taken.rename(document)
    return document


def _contents(
    opened: OpenWorkspace,
    entry: ArchiveEntry,
    document: Path,
    actor_id: str | None,
    online: bool,
) -> tuple[dict[str, bytes], dict[str, str], dict[str, Any]]:
    pdf = document.read_bytes()
    report = dataclasses.replace(
        verify_at_desk(document, opened, online=online), file=sv.DOCUMENT
    )
    files: dict[str, bytes] = {
        sv.DOCUMENT: pdf,
        sv.REPORT_JSON: report.to_json().encode("utf-8"),
    }
    omitted: dict[str, str] = {}
    rendered = _report_pdf(report, document)
    if rendered is None:
        omitted[sv.REPORT_PDF] = sv.OMITTED_REASONS[sv.REPORT_PDF]
    else:
        files[sv.REPORT_PDF] = rendered
    material = signature_material(pdf)
    files.update(_material_files(material))
    files[sv.USAGE_LOG] = _json(_log_extract(opened, entry))
    evidence, leaf_id = _evidence(opened, entry)
    anchored = evidence["format"] == sv.BUNDLE_FORMAT
    files[sv.EVIDENCE] = _json(evidence)
    files[sv.INFO] = _json(
        _info(opened, entry, report, material, actor_id, anchored, leaf_id)
    )
    files["README.txt"] = readme_text(entry, anchored).encode("utf-8")
    files[sv.SELF] = _verifier_source()
    facts = {
        "verdict": report.verdict.value,
        "anchored": anchored,
        "leaf_id": leaf_id,
        "report_pdf": rendered is not None,
    }
    return files, omitted, facts


def _verifier_source() -> bytes:
    """The bytes of ``standalone_verify.py``, shipped as ``verify.py``.

    A frozen build must carry the module's source as a data file.
    """
    source = Path(sv.__file__).with_name("standalone_verify.py")
    try:
        return source.read_bytes()
    except OSError as exc:
        raise PackageIncomplete(
            f"This SealDesk build lacks {source.name}, the package's verify.py "
            "(reinstall SealDesk).",
            f"此 SealDesk 安装缺少证据包所需的 {source.name}（verify.py），"
            "请重新安装。",
        ) from exc


def _report_pdf(report: VerificationReport, document: Path) -> bytes | None:
    """The report as PDF; ``None`` when this build has no report renderer."""
    try:
        from app.verification.report_pdf import render_report_pdf
    except ImportError:
        log.warning("No report renderer; the package carries report.json only")
        return None
    return render_report_pdf(report, document)


def _material_files(material: SignatureMaterial) -> dict[str, bytes]:
    files = {f"certificates/{c.sha256[:16]}.pem": c.pem for c in material.certificates}
    for kind, items in (("ocsp", material.ocsp_responses), ("crl", material.crls)):
        for der in items:
            digest = hashlib.sha256(der).hexdigest()[:16]
            files[f"revocation/{kind}-{digest}.der"] = der
    return files


def _log_extract(opened: OpenWorkspace, entry: ArchiveEntry) -> dict[str, Any]:
    """Every usage-log entry about the document, and the entry before each.

    The entry before each one is shipped whole so that its hash can be
    recomputed and the link to it checked; it may concern other work.
    """
    found: dict[int, LogEntry] = {}
    for digest in {entry.sha256, entry.sha256_before} - {None}:
        wanted = LogFilter(document_sha256=digest, limit=None)
        found.update((e.seq, e) for e in query(opened.db, wanted))
    before = sorted({seq - 1 for seq in found if seq > 1} - set(found))
    return {
        "format": sv.USAGE_LOG_FORMAT,
        "hash": "sha256 of json.dumps({seq, at, action, actor, seal_id, "
        "document_sha256, details, prev}, sort_keys, separators (',', ':'), "
        "UTF-8)",
        "entries": [_log_json(found[seq]) for seq in sorted(found)],
        "predecessors": [_log_json(e) for e in _entries_at(opened, before)],
    }


def _entries_at(opened: OpenWorkspace, seqs: list[int]) -> list[LogEntry]:
    """The usage-log entries with these sequence numbers, in order."""
    found = []
    for seq in seqs:
        rows = opened.db.rows(
            "SELECT seq, at, action, actor, seal_id, document_sha256, details, "
            "prev_hash, entry_hash FROM usage_log WHERE seq = ?",
            (seq,),
        )
        found += [
            LogEntry(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]), r[7], r[8])
            for r in rows
        ]
    return found


def _log_json(entry: LogEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "at": entry.at,
        "action": entry.action,
        "actor": entry.actor,
        "seal_id": entry.seal_id,
        "document_sha256": entry.document_sha256,
        "details": dict(entry.details),
        "prev_hash": entry.prev_hash,
        "entry_hash": entry.entry_hash,
    }


def _evidence(
    opened: OpenWorkspace, entry: ArchiveEntry
) -> tuple[dict[str, Any], int | None]:
    found = _evidence_leaf(opened, entry)
    if found is None:
        return _not_anchored(None, None, None), None
    leaf_id, record, leaf = found
    try:
        return evidence_bundle(opened.db, opened.info, leaf_id), leaf_id
    except EvidenceNotAnchored:
        return _not_anchored(leaf_id, record, leaf), leaf_id


def _evidence_leaf(
    opened: OpenWorkspace, entry: ArchiveEntry
) -> tuple[int, dict[str, Any], str] | None:
    """The stamping's evidence leaf whose record names this very PDF."""
    if entry.sha256_before is None:
        return None
    rows = opened.db.rows(
        "SELECT l.id, l.record, l.leaf_hash FROM evidence_leaves l "
        "JOIN usage_log u ON u.seq = l.log_seq "
        "WHERE l.kind = 'stamp' AND u.document_sha256 = ? ORDER BY l.id",
        (entry.sha256_before,),
    )
    for leaf_id, raw, leaf in rows:
        record = json.loads(raw)
        if record.get("document_sha256_after") == entry.sha256:
            return int(leaf_id), record, bytes(leaf).hex()
    return None


def _not_anchored(
    leaf_id: int | None, record: Mapping[str, Any] | None, leaf: str | None
) -> dict[str, Any]:
    if record is None:
        en, zh = "No evidence record exists for this document.", "本文件没有存证记录。"
    else:
        en, zh = "Not yet anchored on the chain.", "尚未上链。"
    return {
        "format": sv.NOT_ANCHORED_FORMAT,
        "anchored": False,
        "en": en,
        "zh": zh,
        "leaf_id": leaf_id,
        "record": None if record is None else dict(record),
        "leaf_hash": leaf,
    }


def _info(
    opened: OpenWorkspace,
    entry: ArchiveEntry,
    report: VerificationReport,
    material: SignatureMaterial,
    actor_id: str | None,
    anchored: bool,
    leaf_id: int | None,
) -> dict[str, Any]:
    return {
        "format": "sealdesk-package-info/1",
        "exported_at": now(),
        "exported_by": actor_id,
        "sealdesk_version": _version(),
        "workspace_id": opened.info.workspace_id,
        "archive_entry": {
            "id": entry.id,
            "sha256": entry.sha256,
            "sha256_before": entry.sha256_before,
            "size": entry.size,
            "title": entry.title,
            "doc_number": entry.doc_number,
            "category": entry.category,
            "seal_id": entry.seal_id,
            "officer_id": entry.officer_id,
            "stamped_at": entry.stamped_at,
            "kind": entry.kind.value,
            "archived_at": entry.archived_at,
        },
        "verdict": report.verdict.value,
        "anchored": anchored,
        "leaf_id": leaf_id,
        "certificates": {
            f"certificates/{c.sha256[:16]}.pem": c.subject
            for c in material.certificates
        },
    }


def _version() -> str:
    try:
        return version("sealdesk")
    except PackageNotFoundError:
        return "0+unknown"


def _json(value: Any) -> bytes:
    return (
        json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    ).encode("utf-8")


def _write_zip(
    out: Path, files: Mapping[str, bytes], omitted: Mapping[str, str]
) -> None:
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
    manifest = sv.manifest_bytes(digests, omitted)
    part = out.with_name(f"{out.name}.{secrets.token_hex(4)}.part")
    try:
        with part.open("xb") as stream:
            with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
                for name in sorted(files):
                    _add(archive, name, files[name])
                _add(archive, sv.MANIFEST, manifest)
            stream.flush()
            os.fsync(stream.fileno())
        link_into_place(part, out)
    except FileExistsError as exc:
        raise InputError(
            f"{out} already exists; the evidence package is not written over it.",
            f"{out} 已存在，证据包不会覆盖它。",
        ) from exc
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InputError(
            f"Cannot write {out} ({reason}).", f"无法写入 {out}（{reason}）。"
        ) from exc
    finally:
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        fsync_folder(out.parent)


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_zip_time())
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = _EXECUTABLE if name == sv.SELF else _REGULAR
    archive.writestr(info, data)


def _zip_time() -> tuple[int, int, int, int, int, int]:
    year, month, day, hour, minute, second = time.gmtime()[:6]
    return (year, month, day, hour, minute, second)
