"""Verifying one corpus file in a worker process, for the corpus harness.

pyHanko logs the path-building failures of untrusted signatures with their
tracebacks; the CLI sends those to its log file, and the worker drops them,
as it has no log file.
"""

from __future__ import annotations

import logging
import traceback
from multiprocessing.connection import Connection
from pathlib import Path

from app.verification import verify_pdf


def verify_file(source: str) -> tuple[str, str, str]:
    """``("verdict", value, "")`` or ``("failure", type, traceback)``."""
    try:
        report = verify_pdf(Path(source), (), online=False)
        report.to_json()
    except Exception as exc:  # the harness exists to catch these
        return ("failure", type(exc).__name__, traceback.format_exc())
    return ("verdict", report.verdict.value, "")


def serve(connection: Connection) -> None:
    """Worker loop: receive a path, answer with the outcome."""
    logging.getLogger().addHandler(logging.NullHandler())
    while True:
        job = connection.recv()
        if job is None:
            return
        connection.send(verify_file(job))
