"""Putting a finished file in place so that no reader ever sees half of it.

Every output SealDesk writes (stamped documents, verification reports,
evidence packages) is first written to a ``.part`` file and fsynced; these two
steps then give it its name and make the name survive a power cut. The
SHA-256 of an input document, as policies, approvals and the usage log name
it, is read here too.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from app.errors import InputError

__all__ = ["file_sha256", "fsync_folder", "link_into_place"]

_READ = 1 << 20


def link_into_place(part: Path, out: Path) -> None:
    """Give ``part`` the name ``out`` without ever replacing a file there.

    A hard link fails when ``out`` exists; where the file system has no hard
    links, a checked rename is the fallback. ``part`` stays; the caller
    removes it.

    :raises FileExistsError: ``out`` exists.
    """
    try:
        os.link(part, out)
    except FileExistsError:
        raise
    except OSError:
        if out.exists():
            raise FileExistsError(str(out)) from None
        os.rename(part, out)


def fsync_folder(folder: Path) -> None:
    """Make a rename or link in ``folder`` durable (a no-op on Windows)."""
    if os.name == "nt":  # Windows cannot open a folder for fsync
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def file_sha256(path: Path) -> str:
    """SHA-256 (hex) of a document's bytes; an unreadable file is an InputError."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while block := handle.read(_READ):
                digest.update(block)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InputError(
            f"{path}: the file cannot be read ({reason}).",
            f"{path}：无法读取文件（{reason}）。",
        ) from exc
    return digest.hexdigest()
