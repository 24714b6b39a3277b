"""A loaded PKCS#11 module: its worker thread, its tokens and slot events.

Each :class:`LoadedModule` loads the vendor library (USB-key middleware, an
HSM client library, SoftHSM2) on its own :class:`~hsm.worker.TokenWorker` and
never touches it from another thread. The worker polls the slot list between
requests and tells listeners when tokens are inserted or removed; listeners are
called on the worker thread and must hand work elsewhere quickly.

A module path may be loaded only once per process at a time: PKCS#11
initialisation state is global to the library, so two owners would finalise it
under each other.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable

import pkcs11
from pkcs11 import PKCS11Error, Slot, Token, TokenFlag

from hsm.calls import Pkcs11Calls, Pkcs11Lib, TokenCalls
from hsm.errors import ModuleInUseError, ModuleLoadError, TokenAbsentError
from hsm.tokens import TokenEvent, TokenEventKind, TokenInfo, token_info
from hsm.worker import TokenWorker

__all__ = ["LoadedModule", "TokenListener"]

log = logging.getLogger(__name__)

TokenListener = Callable[[TokenEvent], None]

_active_paths: set[str] = set()
_active_lock = threading.Lock()


class LoadedModule:
    """One PKCS#11 library, driven only from its own worker thread."""

    def __init__(
        self,
        path: str,
        *,
        calls: TokenCalls | None = None,
        poll_interval: float | None = 1.0,
    ) -> None:
        self.path = path
        self.calls: TokenCalls = calls if calls is not None else Pkcs11Calls()
        self._real_path = _claim(path)
        self._listeners: list[TokenListener] = []
        self._known: dict[tuple[str, int, str], TokenInfo] = {}
        self._lib: Pkcs11Lib | None = None
        self.worker = TokenWorker(path, periodic=self._poll, interval=poll_interval)
        try:
            self.worker.call(self._load)
        except BaseException:
            self.worker.stop()
            _release(self._real_path)
            raise

    def add_listener(self, listener: TokenListener) -> None:
        """Call ``listener`` (on the worker thread) for each insertion/removal."""
        self._listeners.append(listener)

    def tokens(self) -> list[TokenInfo]:
        """Initialised tokens present now; also reports any change to listeners."""
        return self.worker.call(self._refresh)

    def live_token(self, info: TokenInfo) -> tuple[Slot, Token]:
        """The live slot and token for ``info``; worker thread only."""
        assert self.worker.on_worker()
        try:
            for slot in self.calls.present_slots(self._require_lib()):
                if slot.slot_id != info.slot_id:
                    continue
                token = slot.get_token()
                if token.serial.decode("ascii", "replace").strip() == info.serial:
                    return slot, token
        except PKCS11Error as exc:
            raise TokenAbsentError(info.label) from exc
        raise TokenAbsentError(info.label)

    def close(self) -> None:
        """Finalise the library and stop the worker."""
        self.worker.stop(final=self._finalize)
        _release(self._real_path)

    def _load(self) -> None:
        try:
            self._lib = pkcs11.lib(self.path)
        except (PKCS11Error, OSError) as exc:
            raise ModuleLoadError(self.path, str(exc) or type(exc).__name__) from exc
        self._known = {t.key: t for t in self._snapshot()}
        log.info("loaded token module %s (%d token(s))", self.path, len(self._known))

    def _finalize(self) -> None:
        if self._lib is None:
            return
        try:
            self._lib.finalize()
        except PKCS11Error:
            log.warning("token module %s did not finalise cleanly", self.path)
        self._lib = None

    def _require_lib(self) -> Pkcs11Lib:
        if self._lib is None:
            raise ModuleLoadError(self.path, "not loaded")
        return self._lib

    def _snapshot(self) -> list[TokenInfo]:
        found: list[TokenInfo] = []
        for slot in self.calls.present_slots(self._require_lib()):
            try:
                token = slot.get_token()
                if token.flags & TokenFlag.TOKEN_INITIALIZED:
                    found.append(token_info(self.path, slot, token))
            except PKCS11Error:
                continue  # pulled out between listing and reading
        return found

    def _refresh(self) -> list[TokenInfo]:
        current = self._snapshot()
        now = {t.key: t for t in current}
        events = [
            TokenEvent(TokenEventKind.REMOVED, t)
            for key, t in self._known.items()
            if key not in now
        ]
        events += [
            TokenEvent(TokenEventKind.INSERTED, t)
            for key, t in now.items()
            if key not in self._known
        ]
        self._known = now
        for event in events:
            self._notify(event)
        return current

    def _poll(self) -> None:
        if self._lib is not None:
            self._refresh()

    def _notify(self, event: TokenEvent) -> None:
        log.info("token %s %s in %s", event.token.label, event.kind.value, self.path)
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("token event listener failed")


def _claim(path: str) -> str:
    real = os.path.realpath(path)
    with _active_lock:
        if real in _active_paths:
            raise ModuleInUseError(path)
        _active_paths.add(real)
    return real


def _release(real: str) -> None:
    with _active_lock:
        _active_paths.discard(real)
