"""Writing the output safely: a ``.part`` file, fsync, rename, fsync folder.

A reader of the output path sees either nothing or the complete, verified
document; a failure at any step removes the ``.part`` file.

A stamp is an incremental update: the output starts with the input's bytes
unchanged. :func:`copy_hashing` puts them into the ``.part`` file of a large
document and hashes them on the way, so the check after signing starts from
that hash instead of reading the original bytes once more.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
from pathlib import Path
from typing import BinaryIO

from app.files import fsync_folder

__all__ = ["CHUNK", "commit", "copy_hashing", "create_part", "discard", "sha256_of"]

log = logging.getLogger(__name__)

CHUNK = 1 << 20


def create_part(part: Path) -> BinaryIO:
    """Open ``part`` for reading and writing; it must not exist yet."""
    return part.open("x+b")


def copy_hashing(source: BinaryIO, part: BinaryIO) -> hashlib._Hash:
    """Copy all of ``source`` into the empty ``part``; the SHA-256 of it.

    Both streams are left at the end of the copy.
    """
    digest = hashlib.sha256()
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    while count := source.readinto(view):  # type: ignore[attr-defined]
        digest.update(view[:count])
        part.write(view[:count])
    return digest


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
