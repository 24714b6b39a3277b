"""Tokens for the desktop: which are present, the keys on one, logging in by one.

The desktop window may not reach the token layer itself, so this module
offers what its screens need: the tokens present in the configured PKCS#11
modules, the signing keys (with certificates) on one token, and token log-in
(:func:`app.admin.auth.login_token`) by the token's serial number.

Modules come from the ``SEALDESK_PKCS11_MODULES`` environment variable, then
the workspace setting ``pkcs11.modules`` (the order the command line uses
after its own ``--module``). A module may be loaded only once per process at
a time, so every use here holds one lock for the time the modules are loaded.

A PIN typed into a dialog reaches the token through :class:`GivenPin`; it is
used for one log-in and is never logged or shown in a ``repr``. For a network
HSM, :func:`read_token_keys` uses the PIN kept in the workspace
(:mod:`app.admin.hsm_pins`) when none is typed, and keeps a typed one on
request once the token has accepted it.

The token layer (and python-pkcs11 under it) is imported only when a token is
used, so the desktop window opens without loading it.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from app.admin.auth import TokenChallengeSigner, login_token
from app.admin.roles import Actor
from app.workspace import OpenWorkspace
from hsm.errors import NoModuleConfiguredError, PinEntryCancelled
from storage.database import Database
from storage.settings import get_setting

if TYPE_CHECKING:
    from hsm.keys import KeyInfo as KeyInfo
    from hsm.manager import TokenManager
    from hsm.pin import PinHandler as PinHandler
    from hsm.pin import PinRequest as PinRequest
    from hsm.pin import PinWarning as PinWarning
    from hsm.tokens import PinFlag as PinFlag
    from hsm.tokens import TokenInfo as TokenInfo

__all__ = [
    "MODULES_ENV",
    "GivenPin",
    "KeyInfo",
    "PinEntryCancelled",
    "PinFlag",
    "PinHandler",
    "PinRequest",
    "PinWarning",
    "TokenInfo",
    "loaded_tokens",
    "login_with_token",
    "pin_locked",
    "present_tokens",
    "read_token_keys",
    "token_keys",
    "token_modules",
]

log = logging.getLogger(__name__)

# The token layer's plain types, re-exported for the window; imported on first
# use so that importing this module does not load python-pkcs11.
_LAZY = {
    "KeyInfo": "hsm.keys",
    "PinHandler": "hsm.pin",
    "PinRequest": "hsm.pin",
    "PinWarning": "hsm.pin",
    "PinFlag": "hsm.tokens",
    "TokenInfo": "hsm.tokens",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


MODULES_ENV = "SEALDESK_PKCS11_MODULES"

_modules_in_use = threading.Lock()


def token_modules(db: Database) -> list[str]:
    """The PKCS#11 module paths to load, in order of precedence.

    :raises NoModuleConfiguredError: none in the environment or the workspace.
    """
    for value in (os.environ.get(MODULES_ENV), get_setting(db, "pkcs11.modules")):
        paths = [p for p in (value or "").split(os.pathsep) if p.strip()]
        if paths:
            return paths
    raise NoModuleConfiguredError()


@contextmanager
def loaded_tokens(db: Database) -> Iterator[TokenManager]:
    """The configured modules, loaded for the ``with`` block and then unloaded.

    Holds the process-wide lock, so one use of the token layer at a time. For
    work that needs several token steps in one go, such as stamping after a
    token log-in.
    """
    from hsm.manager import TokenManager

    modules = token_modules(db)
    with _modules_in_use, TokenManager(modules, poll_interval=None) as manager:
        yield manager


def present_tokens(db: Database) -> list[TokenInfo]:
    """The tokens inserted now; no PIN is needed."""
    with loaded_tokens(db) as manager:
        return manager.tokens()


def token_keys(
    db: Database, token_serial: str, pin_handler: PinHandler
) -> list[KeyInfo]:
    """The signing keys on the token with this serial number (needs its PIN)."""
    with loaded_tokens(db) as manager:
        token = manager.find_token(serial=token_serial)
        with manager.session(token, pin_handler) as batch:
            return batch.keys()


def read_token_keys(
    opened: OpenWorkspace,
    actor: Actor,
    token: TokenInfo,
    pin: str,
    *,
    hsm: bool,
    keep_pin: bool = False,
) -> list[KeyInfo]:
    """The keys on ``token``, for binding a seal to one.

    An empty ``pin`` on an HSM means the PIN kept in the workspace. With
    ``keep_pin``, a typed HSM PIN is kept once the token has accepted it.
    """
    from app.admin.hsm_pins import StoredPinHandler, store_hsm_pin

    handler: PinHandler = (
        StoredPinHandler(opened, actor) if hsm and not pin else GivenPin(pin)
    )
    keys = token_keys(opened.db, token.serial, handler)
    if hsm and pin and keep_pin:
        store_hsm_pin(opened, actor, token.serial, token.label, pin)
    return keys


def pin_locked(token: TokenInfo) -> bool:
    """Whether the token reports its user PIN locked."""
    return any(flag.value == "LOCKED" for flag in token.pin_flags)


def login_with_token(
    db: Database, name: str, token_serial: str, pin_handler: PinHandler
) -> Actor:
    """Log ``name`` in by having the token with this serial sign a challenge."""
    with loaded_tokens(db) as manager:
        token = manager.find_token(serial=token_serial)
        signer = TokenChallengeSigner(manager, token, pin_handler)
        return login_token(db, name, signer)


class GivenPin:
    """A :class:`PinHandler` answering with a PIN the person already typed.

    An empty PIN counts as declining (:class:`PinEntryCancelled`).
    """

    def __init__(self, pin: str) -> None:
        self._pin = pin

    def request_pin(self, request: PinRequest) -> str:
        if not self._pin:
            raise PinEntryCancelled()
        return self._pin

    def __repr__(self) -> str:
        return "GivenPin(<hidden>)"
