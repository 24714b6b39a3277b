"""Letting usage-log filters name people and seals the way people know them.

The usage log (用印日志) records ids. ``sealdesk log list --person 张经办``
should still work, so a filter's person and seal are looked up by name or id;
anything that names no current person or seal is kept as given, because the
log also holds ids of entries about people or seals since removed.
"""

from __future__ import annotations

import dataclasses

from app.admin.store import reading
from storage.database import Database
from storage.usage_log import LogFilter

__all__ = ["resolve_log_filter"]


def resolve_log_filter(db: Database, wanted: LogFilter) -> LogFilter:
    """``wanted`` with person and seal names replaced by their ids."""
    with reading(db) as conn:
        actor, seal = wanted.actor, wanted.seal_id
        if actor is not None:
            row = conn.execute(
                "SELECT id FROM people WHERE id = ? OR name = ?", (actor, actor)
            ).fetchone()
            actor = actor if row is None else str(row[0])
        if seal is not None:
            row = conn.execute(
                "SELECT id FROM seals WHERE id = ? OR name = ?", (seal, seal)
            ).fetchone()
            seal = seal if row is None else str(row[0])
    return dataclasses.replace(wanted, actor=actor, seal_id=seal)
