"""The entry point of the token layer: several modules, their tokens, batches.

Typical use::

    with TokenManager(["/usr/lib/vendor/libusbkey.so"]) as manager:
        token = manager.find_token(label="OFFICE-SEAL")
        with manager.session(token, pin_handler) as batch:
            key = batch.find_key(label="seal")
            signature = batch.sign(key, data)

Only one batch per token is open at a time: a second request for the same
token waits until the first batch closes, because tokens keep one login state
per application and USB keys refuse a second login.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import TracebackType

from hsm.calls import CallsWrapper, Pkcs11Calls, TokenCalls
from hsm.errors import NoModuleConfiguredError, TokenAbsentError
from hsm.modules import LoadedModule, TokenListener
from hsm.pin import PinHandler
from hsm.session import LoginCounter, TokenSession
from hsm.tokens import TokenInfo

__all__ = ["TokenManager"]

log = logging.getLogger(__name__)


class TokenManager:
    """Loads PKCS#11 modules and opens login batches on their tokens.

    ``wrap_calls`` decorates each module's raw calls (see :mod:`hsm.faults`).
    ``poll_interval`` is how often (seconds) idle workers re-read the slot list
    to report insertion and removal; ``None`` disables polling.
    """

    def __init__(
        self,
        module_paths: Sequence[str],
        *,
        wrap_calls: CallsWrapper | None = None,
        poll_interval: float | None = 1.0,
    ) -> None:
        if not module_paths:
            raise NoModuleConfiguredError()
        self.logins = LoginCounter()
        self._locks: dict[tuple[str, int, str], threading.Lock] = {}
        self._locks_guard = threading.Lock()
        self.modules: list[LoadedModule] = []
        try:
            for path in _unique(module_paths):
                calls: TokenCalls = Pkcs11Calls()
                if wrap_calls is not None:
                    calls = wrap_calls(calls)
                module = LoadedModule(path, calls=calls, poll_interval=poll_interval)
                self.modules.append(module)
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> TokenManager:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Unload every module. Open batches must be closed first."""
        for module in self.modules:
            module.close()
        self.modules = []

    def add_listener(self, listener: TokenListener) -> None:
        """Be told of token insertion and removal in any module."""
        for module in self.modules:
            module.add_listener(listener)

    def tokens(self) -> list[TokenInfo]:
        """Tokens present now in all modules (also refreshes slot events)."""
        return [t for module in self.modules for t in module.tokens()]

    def find_token(
        self, *, label: str | None = None, serial: str | None = None
    ) -> TokenInfo:
        """The first present token with this label and/or serial number."""
        for token in self.tokens():
            if (label is None or token.label == label) and (
                serial is None or token.serial == serial
            ):
                return token
        raise TokenAbsentError(label or serial or "?")

    @contextmanager
    def session(
        self, token: TokenInfo, pin_handler: PinHandler
    ) -> Iterator[TokenSession]:
        """One login on ``token`` for the duration of the ``with`` block."""
        module = self._module_for(token)
        lock = self._lock_for(token)
        with lock:
            batch = TokenSession(module, token, self.logins)
            batch.open(pin_handler)
            try:
                yield batch
            finally:
                batch.close()

    def login_count(self, token: TokenInfo) -> int:
        """C_Login attempts the layer has made on ``token``."""
        return self.logins.count(token)

    def _module_for(self, token: TokenInfo) -> LoadedModule:
        for module in self.modules:
            if module.path == token.module_path:
                return module
        raise TokenAbsentError(token.label)

    def _lock_for(self, token: TokenInfo) -> threading.Lock:
        with self._locks_guard:
            return self._locks.setdefault(token.key, threading.Lock())


def _unique(paths: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    result: list[str] = []
    for path in paths:
        real = os.path.realpath(path)
        if real not in seen:
            seen.add(real)
            result.append(path)
    return result
