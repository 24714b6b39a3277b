"""Reading administration data on the workspace's own connection.

:meth:`Database.reader` opens a second connection, and under passphrase
custody every new connection runs SQLCipher's full key derivation. The
administration reads are small and frequent, so they run in a short
transaction on the open connection instead, which also gives each read one
consistent snapshot.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from storage.database import Connection, Database

__all__ = ["reading"]


@contextmanager
def reading(db: Database) -> Iterator[Connection]:
    """A consistent view for reads; nothing written here is kept apart."""
    with db.transaction() as conn:
        yield conn
