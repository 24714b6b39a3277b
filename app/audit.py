"""Reading and checking the usage log (用印日志): verify, list, export.

Exports are written to a ``.part`` file and renamed into place, so a failed
export never leaves a half-written file where the auditor expects one.
"""

from __future__ import annotations

import csv
import json
import logging
import os
from collections.abc import Iterable
from enum import Enum
from pathlib import Path

from app.errors import InputError, SealDeskError
from storage.database import Database
from storage.usage_log import (
    ChainCheck,
    LogEntry,
    LogFilter,
    iter_entries,
    query,
    verify_chain,
)

__all__ = [
    "ChainCheck",
    "ExportFormat",
    "LogBroken",
    "LogEntry",
    "LogFilter",
    "export_log",
    "list_log",
    "verify_log",
]

log = logging.getLogger(__name__)

_CSV_COLUMNS = (
    "seq",
    "at",
    "action",
    "actor",
    "seal_id",
    "document_sha256",
    "details",
    "prev_hash",
    "entry_hash",
)


class LogBroken(SealDeskError):
    """The hash chain of the usage log does not hold."""

    def __init__(self, check: ChainCheck) -> None:
        super().__init__(
            f"The usage log is broken at entry {check.first_broken}: {check.reason}.",
            f"用印日志在第 {check.first_broken} 条处断开：{check.reason}。",
        )
        self.check = check


class ExportFormat(Enum):
    JSON = "json"
    CSV = "csv"


def verify_log(db: Database) -> ChainCheck:
    result = verify_chain(db)
    if result.intact:
        log.info("Usage log verified: %d entries intact", result.entries)
    else:
        log.warning(
            "Usage log broken at entry %s: %s", result.first_broken, result.reason
        )
    return result


def list_log(db: Database, wanted: LogFilter) -> list[LogEntry]:
    return query(db, wanted)


def export_log(
    db: Database, wanted: LogFilter | None, target: Path, fmt: ExportFormat
) -> int:
    """Write the selected entries (all, oldest first, when ``wanted`` is None)."""
    entries: Iterable[LogEntry] = (
        iter_entries(db) if wanted is None else reversed(query(db, wanted))
    )
    part = target.with_name(target.name + ".part")
    try:
        count = _write(entries, part, fmt)
        os.replace(part, target)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise InputError(
            f"{target}: cannot write the export ({exc.strerror}).",
            f"{target}：无法写入导出文件（{exc.strerror}）。",
        ) from exc
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    log.info("Exported %d usage-log entries to %s", count, target)
    return count


def _write(entries: Iterable[LogEntry], part: Path, fmt: ExportFormat) -> int:
    count = 0
    # utf-8-sig so that spreadsheet programs read the Chinese text correctly.
    encoding = "utf-8-sig" if fmt is ExportFormat.CSV else "utf-8"
    with part.open("w", encoding=encoding, newline="") as fh:
        if fmt is ExportFormat.CSV:
            writer = csv.writer(fh)
            writer.writerow(_CSV_COLUMNS)
            for entry in entries:
                writer.writerow(_row(entry))
                count += 1
        else:
            fh.write("[\n")
            for entry in entries:
                fh.write(",\n" if count else "")
                fh.write(json.dumps(_record(entry), ensure_ascii=False))
                count += 1
            fh.write("\n]\n")
        fh.flush()
        os.fsync(fh.fileno())
    return count


def _record(entry: LogEntry) -> dict[str, object]:
    return dict(zip(_CSV_COLUMNS, _row(entry), strict=True)) | {
        "details": dict(entry.details)
    }


def _row(entry: LogEntry) -> tuple[object, ...]:
    return (
        entry.seq,
        entry.at,
        entry.action,
        entry.actor,
        entry.seal_id,
        entry.document_sha256,
        json.dumps(dict(entry.details), ensure_ascii=False, sort_keys=True),
        entry.prev_hash,
        entry.entry_hash,
    )
