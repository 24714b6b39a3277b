"""Logging for the desk: a rotating file in the workspace, stderr on demand.

Nothing secret is logged anywhere in SealDesk; this module only decides where
the records go. The file keeps INFO and above; ``--verbose`` also prints DEBUG
records to standard error.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

__all__ = ["LOG_NAME", "attach_log_file", "configure_logging"]

LOG_NAME = "sealdesk.log"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_MAX_BYTES = 2 * 1024 * 1024
_BACKUPS = 5


def configure_logging(verbose: bool) -> None:
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for handler in list(root.handlers):
        if getattr(handler, "_sealdesk", False):
            root.removeHandler(handler)
            handler.close()
    # Without a handler of its own, Python prints warnings to stderr; the CLI
    # already says what went wrong in one line.
    null = logging.NullHandler()
    null._sealdesk = True  # type: ignore[attr-defined]
    root.addHandler(null)
    if verbose:
        stream = logging.StreamHandler()
        stream.setFormatter(logging.Formatter(_FORMAT))
        stream._sealdesk = True  # type: ignore[attr-defined]
        root.addHandler(stream)


def attach_log_file(logs_dir: Path) -> Path | None:
    """Send records to ``logs_dir/sealdesk.log``; returns its path if it worked."""
    path = logs_dir / LOG_NAME
    root = logging.getLogger()
    for handler in root.handlers:
        if getattr(handler, "baseFilename", None) == str(path):
            return path
    try:
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=_MAX_BYTES, backupCount=_BACKUPS, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.setLevel(logging.INFO)
    handler._sealdesk = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    return path
