"""Reading and writing the revocation cache table (``revocation_cache``).

Rows hold the DER bytes of an OCSP response or a CRL with when it was
fetched and the validity window it states. What the bytes mean, and when a
row counts as fresh, is decided in the service layer
(:mod:`app.verification.revocation_cache`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from storage.database import Database

__all__ = ["CacheRow", "cache_rows", "put_rows"]


@dataclass(frozen=True)
class CacheRow:
    """One stored OCSP response or CRL; times are ISO 8601 UTC text."""

    key: str
    kind: str
    der: bytes = field(repr=False)
    fetched_at: str
    this_update: str | None
    next_update: str | None


def cache_rows(db: Database) -> list[CacheRow]:
    """Every stored row, oldest fetch first."""
    return [
        CacheRow(
            str(r[0]),
            str(r[1]),
            bytes(r[2]),
            str(r[3]),
            None if r[4] is None else str(r[4]),
            None if r[5] is None else str(r[5]),
        )
        for r in db.rows(
            "SELECT key, kind, der, fetched_at, this_update, next_update "
            "FROM revocation_cache ORDER BY fetched_at, key"
        )
    ]


def put_rows(db: Database, rows: list[CacheRow]) -> None:
    """Store ``rows`` in one transaction, each replacing the row with its key."""
    if not rows:
        return
    with db.transaction() as conn:
        for row in rows:
            conn.execute(
                "INSERT INTO revocation_cache "
                "(key, kind, der, fetched_at, this_update, next_update) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET "
                "kind = excluded.kind, der = excluded.der, "
                "fetched_at = excluded.fetched_at, "
                "this_update = excluded.this_update, "
                "next_update = excluded.next_update",
                (
                    row.key,
                    row.kind,
                    row.der,
                    row.fetched_at,
                    row.this_update,
                    row.next_update,
                ),
            )
