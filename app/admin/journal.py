"""Writing administration to the usage log (用印日志): changes and refusals.

A change and its log entry commit in one transaction. A refusal rolls the
attempted change back and is then appended in a transaction of its own, so the
log shows every attempt that a rule stopped, as ``<action>.refused`` with the
rule's code.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from app.admin.errors import RefusedError
from storage.database import Connection, Database
from storage.usage_log import JsonValue, append

__all__ = ["record_refusal", "recorded"]

log = logging.getLogger(__name__)


@contextmanager
def recorded(
    db: Database,
    action: str,
    actor_id: str | None,
    *,
    seal_id: str | None = None,
    document_sha256: str | None = None,
    details: Mapping[str, JsonValue] | None = None,
) -> Iterator[Connection]:
    """A write transaction whose refusals are logged after the rollback."""
    try:
        with db.transaction() as conn:
            yield conn
    except RefusedError as exc:
        record_refusal(
            db,
            action,
            actor_id,
            exc,
            seal_id=seal_id,
            document_sha256=document_sha256,
            details=details,
        )
        raise


def record_refusal(
    db: Database,
    action: str,
    actor_id: str | None,
    exc: RefusedError,
    *,
    seal_id: str | None = None,
    document_sha256: str | None = None,
    details: Mapping[str, JsonValue] | None = None,
) -> None:
    """Append ``<action>.refused`` naming the rule, in its own transaction."""
    body: dict[str, JsonValue] = {**(details or {}), "rule": exc.code, "reason": exc.en}
    with db.transaction() as conn:
        append(
            conn,
            f"{action}.refused",
            actor=actor_id,
            seal_id=seal_id,
            document_sha256=document_sha256,
            details=body,
        )
    log.warning("Refused %s by %s: %s", action, actor_id, exc.code)
