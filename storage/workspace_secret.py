"""Keys bound to one workspace, derived from a secret kept in its database.

The archive files and the secrets the workspace keeps for its users (an HSM's
PIN, the chain account key) are encrypted under keys that must stay the same
when the database key changes: ``sealdesk recover`` under passphrase custody
re-encrypts the database under a new passphrase, and so a new raw key. The
keys therefore derive (HKDF-SHA256, salted with the workspace id, one ``info``
label per purpose) from a random 256-bit secret generated once and stored in
the database, where the database key protects it.
"""

from __future__ import annotations

import secrets

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from storage.database import Database

__all__ = ["derive_workspace_key"]

_SECRET_BYTES = 32


def _secret(db: Database) -> bytes:
    stored = db.scalar("SELECT secret FROM workspace_secret WHERE id = 1")
    if stored is not None:
        return bytes(stored)
    with db.transaction() as conn:
        conn.execute(
            "INSERT OR IGNORE INTO workspace_secret (id, secret) VALUES (1, ?)",
            (secrets.token_bytes(_SECRET_BYTES),),
        )
    return bytes(db.scalar("SELECT secret FROM workspace_secret WHERE id = 1"))


def derive_workspace_key(db: Database, workspace_id: str, purpose: bytes) -> bytes:
    """A 256-bit key for ``purpose``, stable across changes of the database key."""
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=workspace_id.encode("utf-8"),
        info=purpose,
    ).derive(_secret(db))
