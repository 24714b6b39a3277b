"""Custody of network-HSM PINs: AES-256-GCM wrapping and its wrapping key.

An HSM's PIN is entered once by an administrator and kept so that stamping
can log in without asking. The database is already encrypted, but a PIN must
still not sit in a column where anyone who opens the file (with the recovery
key, a SQL shell, a careless export) reads it. So each PIN is sealed with
AES-256-GCM, the associated data naming the workspace and the token, under a
*wrapping key* that is not a column:

* **keyring custody** - a random 256-bit key in the same OS keyring as the
  database key, under a second entry. The database file plus its recovery key
  do not reveal the PIN; after a recovery on another machine the PINs must be
  entered again.
* **passphrase custody** - a key derived from the workspace secret kept in
  the database (:mod:`storage.workspace_secret`), so it survives a passphrase
  change. It needs nothing beyond what already opens the file, and it keeps
  PINs out of every column.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field

import keyring.errors
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from storage.custody import (
    SERVICE,
    KeyringCustody,
    find_keyring,
)
from storage.database import Database
from storage.errors import KeyMissing, KeyringUnavailable, StorageError
from storage.workspace_secret import derive_workspace_key

__all__ = [
    "PinUnwrapFailed",
    "WrappedPin",
    "WrappingKey",
    "derived_wrapping_key",
    "keyring_wrapping_key",
    "unwrap_pin",
    "wrap_pin",
]

log = logging.getLogger(__name__)

_KEY_BYTES = 32
_NONCE_BYTES = 12
_HKDF_INFO = b"SealDesk HSM PIN wrapping key v1"
_AAD_PREFIX = b"SealDesk HSM PIN v1\x00"


class PinUnwrapFailed(StorageError):
    """A stored PIN does not open with this workspace's wrapping key."""


@dataclass(frozen=True)
class WrappingKey:
    """A 256-bit AES key and where it comes from ("keyring" or "derived")."""

    kind: str
    key: bytes = field(repr=False)


@dataclass(frozen=True)
class WrappedPin:
    """What is stored for one PIN: never the PIN itself."""

    nonce: bytes
    ciphertext: bytes


def keyring_wrapping_key(workspace_id: str, *, create: bool) -> WrappingKey:
    """The workspace's wrapping key from the keyring, made on first use."""
    entry = f"hsm-pin-key:{workspace_id}"
    backend = find_keyring()
    if backend is None:
        KeyringCustody.require()  # raises the usual "no keyring" error
        raise AssertionError("unreachable")
    try:
        stored = backend.get_password(SERVICE, entry)
        if stored is None and create:
            stored = secrets.token_bytes(_KEY_BYTES).hex()
            backend.set_password(SERVICE, entry, stored)
            log.info("Created the HSM PIN wrapping key of workspace %s", workspace_id)
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailable(
            f"The system keyring did not answer ({type(exc).__name__}).",
            f"系统密钥环没有响应（{type(exc).__name__}）。",
        ) from exc
    if stored is None:
        raise KeyMissing(
            "The keyring holds no HSM PIN key for this workspace (it was "
            "recovered or moved); an administrator must enter the HSM PIN again.",
            "密钥环中没有本工作区的 HSM PIN 保护密钥（工作区可能经过恢复或迁移），"
            "请管理员重新录入 HSM PIN。",
        )
    return WrappingKey("keyring", bytes.fromhex(stored))


def derived_wrapping_key(db: Database, workspace_id: str) -> WrappingKey:
    """A wrapping key derived from the workspace secret kept in the database."""
    return WrappingKey("derived", derive_workspace_key(db, workspace_id, _HKDF_INFO))


def _aad(workspace_id: str, token_serial: str) -> bytes:
    return _AAD_PREFIX + f"{workspace_id}\x00{token_serial}".encode()


def wrap_pin(
    key: WrappingKey, workspace_id: str, token_serial: str, pin: str
) -> WrappedPin:
    """Seal ``pin`` for one token of one workspace."""
    nonce = secrets.token_bytes(_NONCE_BYTES)
    sealed = AESGCM(key.key).encrypt(
        nonce, pin.encode("utf-8"), _aad(workspace_id, token_serial)
    )
    return WrappedPin(nonce, sealed)


def unwrap_pin(
    key: WrappingKey, workspace_id: str, token_serial: str, wrapped: WrappedPin
) -> str:
    """Open a stored PIN; a changed row, key or token is refused."""
    try:
        plain = AESGCM(key.key).decrypt(
            wrapped.nonce, wrapped.ciphertext, _aad(workspace_id, token_serial)
        )
    except InvalidTag as exc:
        raise PinUnwrapFailed(
            f"The stored PIN of HSM token {token_serial} cannot be opened with "
            "this workspace's key; an administrator must enter it again.",
            f"无法用本工作区的密钥解开 HSM 令牌 {token_serial} 的 PIN，"
            "请管理员重新录入。",
        ) from exc
    return plain.decode("utf-8")
