"""Time and identifiers as administration stores them.

Times are aware UTC ``datetime`` values in the API and text in the database,
in the usage log's form (``2026-02-01T09:00:00.000Z``), which sorts and
compares correctly as a string.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from app.errors import InputError

__all__ = ["new_id", "parse_time", "text_time", "utc_now"]


def utc_now() -> datetime:
    return datetime.now(UTC)


def text_time(moment: datetime) -> str:
    """The stored form of ``moment``; naive values are taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    utc = moment.astimezone(UTC)
    return utc.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_time(text: str) -> datetime:
    """Read a date or date-time typed by a person or stored by us (UTC)."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise InputError(
            f"'{text}' is not a date or time (use e.g. 2026-03-01 or "
            "2026-03-01T09:30).",
            f"“{text}”不是有效的日期或时间（例如 2026-03-01 或 2026-03-01T09:30）。",
        ) from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def new_id(prefix: str) -> str:
    """A short random id that still says what it names, e.g. ``seal-1f2e…``."""
    return f"{prefix}-{secrets.token_hex(8)}"
