"""Putting a finished file in place so that no reader ever sees half of it.

Every output SealDesk writes (stamped documents, verification reports,
evidence packages) is first written to a ``.part`` file and fsynced; these two
steps then give it its name and make the name survive a power cut.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["fsync_folder", "link_into_place"]


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
