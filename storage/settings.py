"""Reading and writing the workspace's settings table.

The table is a plain key/value store; which keys exist and what values they
accept is decided in the service layer (``app.settings``).
"""

from __future__ import annotations

from storage.database import Connection, Database

__all__ = [
    "all_settings",
    "get_setting",
    "set_setting",
    "unset_setting",
    "write_setting",
]


def get_setting(db: Database, key: str) -> str | None:
    value = db.scalar("SELECT value FROM settings WHERE key = ?", (key,))
    return None if value is None else str(value)


def set_setting(db: Database, key: str, value: str) -> None:
    with db.transaction() as conn:
        write_setting(conn, key, value)


def unset_setting(db: Database, key: str) -> None:
    with db.transaction() as conn:
        write_setting(conn, key, None)


def write_setting(conn: Connection, key: str, value: str | None) -> None:
    """Set ``key`` (``None`` removes it) inside the caller's transaction."""
    if value is None:
        conn.execute("DELETE FROM settings WHERE key = ?", (key,))
        return
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value, "
        "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
        (key, value),
    )


def all_settings(db: Database) -> dict[str, str]:
    return {str(k): str(v) for k, v in db.rows("SELECT key, value FROM settings")}
