"""Key custody: where the database key lives and how it is given back.

Two kinds of custody exist.

* **Keyring.** A random 256-bit raw key opens the database. It lives in the
  operating system's keyring, and only in keyrings from an allow-list (Secret
  Service, Windows Credential Manager, macOS Keychain). A plaintext, null or
  failing backend is refused: a key there would be no better than a key file.
* **Passphrase.** Where no allowed keyring runs, the person types a passphrase
  at every open and SQLCipher derives the key with its own KDF.

Either way a *recovery key* is shown once at creation. It is the database's raw
256-bit key, written in base32 groups with a checksum. For passphrase custody
it is computed with SQLCipher 4's documented default KDF (PBKDF2-HMAC-SHA512,
256,000 rounds, the salt being the file's first 16 bytes) and then proven by
opening the database with it. The key is never written to any file.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
from dataclasses import dataclass, field

import keyring
import keyring.backend
import keyring.core
import keyring.errors

from storage.errors import (
    KeyMissing,
    KeyringRefused,
    KeyringUnavailable,
    PassphraseRejected,
    RecoveryKeyInvalid,
)

__all__ = [
    "ALLOWED_KEYRINGS",
    "MIN_PASSPHRASE",
    "DatabaseSecret",
    "KeyringCustody",
    "Passphrase",
    "RawKey",
    "check_new_passphrase",
    "decode_recovery_key",
    "derive_passphrase_key",
    "encode_recovery_key",
    "find_keyring",
]

log = logging.getLogger(__name__)

ALLOWED_KEYRINGS = frozenset(
    {
        "keyring.backends.SecretService.Keyring",
        "keyring.backends.Windows.WinVaultKeyring",
        "keyring.backends.macOS.Keyring",
    }
)
SERVICE = "SealDesk"
KEY_BYTES = 32
MIN_PASSPHRASE = 12
_KDF_ROUNDS = 256_000
_SALT_BYTES = 16
_CHECK_BYTES = 2
_RECOVERY_PREFIX = "SDRK"


@dataclass(frozen=True)
class RawKey:
    """A raw 256-bit SQLCipher key; never shown in a repr."""

    key: bytes = field(repr=False)

    @classmethod
    def generate(cls) -> RawKey:
        return cls(secrets.token_bytes(KEY_BYTES))

    def pragma(self) -> str:
        return f"\"x'{self.key.hex()}'\""


@dataclass(frozen=True)
class Passphrase:
    """A passphrase that SQLCipher turns into the key with its own KDF."""

    text: str = field(repr=False)

    def pragma(self) -> str:
        return "'" + self.text.replace("'", "''") + "'"


DatabaseSecret = RawKey | Passphrase


def check_new_passphrase(text: str) -> Passphrase:
    """Accept a new passphrase only if it is long enough to resist guessing."""
    if len(text) < MIN_PASSPHRASE:
        raise PassphraseRejected(
            f"The passphrase must have at least {MIN_PASSPHRASE} characters.",
            f"口令至少需要 {MIN_PASSPHRASE} 个字符。",
        )
    return Passphrase(text)


def derive_passphrase_key(passphrase: Passphrase, file_header: bytes) -> RawKey:
    """The raw key SQLCipher 4 derives from ``passphrase`` for this file."""
    salt = file_header[:_SALT_BYTES]
    key = hashlib.pbkdf2_hmac(
        "sha512", passphrase.text.encode("utf-8"), salt, _KDF_ROUNDS, KEY_BYTES
    )
    return RawKey(key)


def encode_recovery_key(key: RawKey) -> str:
    """Write the raw key as ``SDRK-XXXXX-…`` groups that survive retyping."""
    check = hashlib.sha256(key.key).digest()[:_CHECK_BYTES]
    text = base64.b32encode(key.key + check).decode("ascii").rstrip("=")
    groups = [text[i : i + 5] for i in range(0, len(text), 5)]
    return "-".join([_RECOVERY_PREFIX, *groups])


def decode_recovery_key(text: str) -> RawKey:
    """Read a recovery key typed by a person; spacing and case do not matter."""
    bad = RecoveryKeyInvalid(
        "That is not a valid SealDesk recovery key (check for typing errors).",
        "恢复密钥格式不正确，请检查是否输错。",
    )
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    if not cleaned.startswith(_RECOVERY_PREFIX):
        raise bad
    body = cleaned[len(_RECOVERY_PREFIX) :]
    try:
        raw = base64.b32decode(body + "=" * (-len(body) % 8))
    except ValueError as exc:
        raise bad from exc
    key, check = raw[:KEY_BYTES], raw[KEY_BYTES:]
    if len(key) != KEY_BYTES or hashlib.sha256(key).digest()[:_CHECK_BYTES] != check:
        raise bad
    # base32 ignores the unused low bits of the last character; a typo there
    # must not pass unnoticed, so the text has to be exactly the encoding.
    canonical = encode_recovery_key(RawKey(key)).replace("-", "")
    if canonical != cleaned:
        raise bad
    return RawKey(key)


def _backend_name(backend: keyring.backend.KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def find_keyring() -> keyring.backend.KeyringBackend | None:
    """The allowed keyring to use, or ``None`` when none is running.

    A backend that the person configured explicitly (environment or keyringrc)
    but that is not on the allow-list is refused rather than silently skipped:
    they asked for it, so they must learn why it is not used.
    """
    configured = keyring.core.load_env() or keyring.core.load_config()
    if configured is not None and _backend_name(configured) not in ALLOWED_KEYRINGS:
        name = _backend_name(configured)
        raise KeyringRefused(
            f"The keyring backend {name} is not safe for the database key; "
            "use Secret Service, Windows Credential Manager or macOS Keychain, "
            "or choose passphrase custody.",
            f"密钥环后端 {name} 不安全，不能保存数据库密钥；请使用 Secret Service、"
            "Windows 凭据管理器或 macOS 钥匙串，或改用口令保管。",
        )
    if configured is not None:
        return configured
    viable = sorted(
        keyring.backend.get_all_keyring(), key=lambda b: b.priority, reverse=True
    )
    for backend in viable:
        if _backend_name(backend) in ALLOWED_KEYRINGS:
            return backend
    return None


class KeyringCustody:
    """Keeps one workspace's raw key in an allowed OS keyring."""

    def __init__(self, backend: keyring.backend.KeyringBackend) -> None:
        self._backend = backend

    @classmethod
    def require(cls) -> KeyringCustody:
        backend = find_keyring()
        if backend is None:
            raise KeyringUnavailable(
                "No system keyring is running (Secret Service, Windows Credential "
                "Manager or macOS Keychain); use passphrase custody instead.",
                "没有可用的系统密钥环（Secret Service、Windows 凭据管理器或 macOS "
                "钥匙串），请改用口令保管。",
            )
        return cls(backend)

    @property
    def name(self) -> str:
        return _backend_name(self._backend)

    def store(self, workspace_id: str, key: RawKey) -> None:
        try:
            self._backend.set_password(SERVICE, _entry(workspace_id), key.key.hex())
        except keyring.errors.KeyringError as exc:
            raise _keyring_failed(exc) from exc
        log.info(
            "Stored the database key of workspace %s in %s", workspace_id, self.name
        )

    def load(self, workspace_id: str) -> RawKey:
        try:
            value = self._backend.get_password(SERVICE, _entry(workspace_id))
        except keyring.errors.KeyringError as exc:
            raise _keyring_failed(exc) from exc
        if value is None:
            raise KeyMissing(
                f"This user's keyring holds no key for workspace {workspace_id}: "
                "it was made by another user or the entry was deleted. "
                "Run 'sealdesk recover' with the recovery key.",
                f"当前用户的密钥环中没有工作区 {workspace_id} 的密钥："
                "它由其他用户创建，或密钥条目已被删除。"
                "请用恢复密钥运行 sealdesk recover。",
            )
        try:
            key = bytes.fromhex(value)
        except ValueError:
            key = b""
        if len(key) != KEY_BYTES:
            raise KeyMissing(
                f"The keyring entry for workspace {workspace_id} is damaged. "
                "Run 'sealdesk recover' with the recovery key.",
                f"密钥环中工作区 {workspace_id} 的条目已损坏，请用恢复密钥运行 "
                "sealdesk recover。",
            )
        return RawKey(key)

    def delete(self, workspace_id: str) -> None:
        try:
            self._backend.delete_password(SERVICE, _entry(workspace_id))
        except keyring.errors.PasswordDeleteError:
            return
        except keyring.errors.KeyringError as exc:
            raise _keyring_failed(exc) from exc


def _entry(workspace_id: str) -> str:
    return f"workspace:{workspace_id}"


def _keyring_failed(exc: Exception) -> KeyringUnavailable:
    return KeyringUnavailable(
        f"The system keyring did not answer ({type(exc).__name__}).",
        f"系统密钥环没有响应（{type(exc).__name__}）。",
    )
