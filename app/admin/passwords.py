"""Password hashes for people without a token: argon2id via argon2-cffi.

The library's default parameters (argon2id, 64 MiB, 3 passes) are kept; a
hash made with older parameters is replaced at the next successful log-in.
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.errors import InputError

__all__ = ["MIN_PASSWORD", "check_new_password", "hash_password", "verify_password"]

MIN_PASSWORD = 12
_HASHER = PasswordHasher()


def check_new_password(password: str) -> str:
    """Accept a new password only if it is long enough to resist guessing."""
    if len(password) < MIN_PASSWORD:
        raise InputError(
            f"A password must have at least {MIN_PASSWORD} characters.",
            f"密码至少需要 {MIN_PASSWORD} 个字符。",
        )
    return password


def hash_password(password: str) -> str:
    return _HASHER.hash(check_new_password(password))


@cache
def _decoy() -> str:
    return _HASHER.hash("a decoy that no person uses")


def verify_password(stored: str | None, password: str) -> tuple[bool, str | None]:
    """Whether ``password`` matches, and a fresh hash when one is due.

    With no stored hash a decoy is checked, so an unknown name takes as long
    to refuse as a wrong password.
    """
    try:
        _HASHER.verify(stored or _decoy(), password)
    except (VerificationError, InvalidHashError):
        return False, None
    if stored is None:
        return False, None
    if _HASHER.check_needs_rehash(stored):
        return True, _HASHER.hash(password)
    return True, None
