"""Writing the output safely: a ``.part`` file, fsync, rename, fsync folder.

A reader of the output path sees either nothing or the complete, verified
document; a failure at any step removes the ``.part`` file.

A stamp is an incremental update: the output starts with the input's bytes
unchanged. :func:`copy_into` puts them into the ``.part`` file with
``os.copy_file_range`` (or ``sendfile``), so the kernel copies them without
passing through Python; ``shutil`` does the same only between two paths,
and the ``.part`` file must be created exclusively first.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
from pathlib import Path
from typing import BinaryIO

from app.files import fsync_folder

__all__ = ["CHUNK", "commit", "copy_into", "create_part", "discard", "sha256_of"]

log = logging.getLogger(__name__)

CHUNK = 1 << 20


def create_part(part: Path) -> BinaryIO:
    """Open ``part`` for reading and writing; it must not exist yet."""
    return part.open("x+b")


def copy_into(source: BinaryIO, part: BinaryIO) -> int:
    """Copy all of ``source`` into the empty ``part``; the number of bytes.

    Both streams are left at the end of the copy.
    """
    part.flush()
    copied = 0
    try:
        while step := os.copy_file_range(source.fileno(), part.fileno(), CHUNK * 64):
            copied += step
    except (AttributeError, OSError):  # no such call, or not across these files
        log.debug("kernel copy unavailable; copying through the process")
        os.lseek(source.fileno(), copied, os.SEEK_SET)
        os.lseek(part.fileno(), copied, os.SEEK_SET)
        source.seek(copied)
        part.seek(copied)
        shutil.copyfileobj(source, part, CHUNK)
        part.flush()
        return part.tell()
    source.seek(copied)
    part.seek(copied)
    return copied


def sha256_of(stream: BinaryIO) -> str:
    """SHA-256 (hex) of a whole seekable stream; leaves it at its end."""
    stream.seek(0)
    digest = hashlib.sha256()
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def flush_to_disk(stream: BinaryIO) -> None:
    """Push the written bytes through the OS to the disk."""
    stream.flush()
    os.fsync(stream.fileno())


def commit(part: Path, output: Path) -> None:
    """Rename the flushed ``part`` over ``output`` and make the rename stick."""
    os.replace(part, output)
    fsync_folder(output.parent)


def discard(stream: BinaryIO | None, part: Path) -> None:
    """Close and delete a partial output; never raises."""
    if stream is not None:
        with contextlib.suppress(OSError):
            stream.close()
    with contextlib.suppress(OSError):
        part.unlink(missing_ok=True)
