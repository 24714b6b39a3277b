"""Errors raised by the storage layer: workspace, database and key custody.

Each error carries its message in English and Chinese, written for the person at
the desk; the CLI and the GUI pick the one matching the UI language.
"""

from __future__ import annotations

__all__ = [
    "DatabaseCorrupt",
    "DatabaseLocked",
    "KeyMissing",
    "KeyringRefused",
    "KeyringUnavailable",
    "PassphraseRejected",
    "RecoveryKeyInvalid",
    "StorageError",
    "WorkspaceExists",
    "WorkspaceInvalid",
    "WorkspaceNotFound",
    "WrongKey",
]


class StorageError(Exception):
    """Base of every storage error; ``en`` and ``zh`` hold the user message."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.en = en
        self.zh = zh


class WorkspaceNotFound(StorageError):
    """No SealDesk workspace at the given place."""


class WorkspaceExists(StorageError):
    """``init`` was asked to create a workspace where one already is."""


class WorkspaceInvalid(StorageError):
    """The workspace folder is there but its description is unreadable."""


class WrongKey(StorageError):
    """The key or passphrase does not open the database."""


class DatabaseCorrupt(StorageError):
    """The database opened but a page failed its authentication check."""


class DatabaseLocked(StorageError):
    """Another process holds the database for writing."""


class KeyringUnavailable(StorageError):
    """Keyring custody was asked for but no allowed keyring is running."""


class KeyringRefused(StorageError):
    """The configured keyring backend is not one SealDesk trusts."""


class KeyMissing(StorageError):
    """The keyring has no key for this workspace."""


class PassphraseRejected(StorageError):
    """A new passphrase is too weak or the two entries differ."""


class RecoveryKeyInvalid(StorageError):
    """The recovery key is malformed or does not open the database."""
