"""One logged-in batch on one token: keys and signatures under a single login.

A :class:`TokenSession` is opened by :meth:`hsm.manager.TokenManager.session`.
Opening asks the PIN handler once, logs in once on the module's worker, and
closing logs out. Any number of threads may request signatures while it is
open; they all queue to the worker and share the one login.

Host-side work (hashing for raw mechanisms) runs on the calling thread so the
worker spends its time in C_Sign only.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future
from functools import partial

from pkcs11 import PKCS11Error, Session, SignMixin, Slot, Token

from hsm.errors import (
    BatchClosedError,
    KeyNotFoundError,
    MechanismUnsupportedError,
    PinIncorrectError,
    PinLockedError,
    TokenError,
    TokenTimeoutError,
    from_pkcs11,
)
from hsm.keys import KeyInfo, discover_keys, select_key
from hsm.mechanisms import MechanismPlan, SignatureScheme, plan_signature
from hsm.modules import LoadedModule
from hsm.pin import PinHandler, PinRequest, pin_warning
from hsm.tokens import PinFlag, TokenInfo, pin_flags

__all__ = ["LoginCounter", "TokenSession", "TokenTimeoutError"]

log = logging.getLogger(__name__)


class LoginCounter:
    """Counts C_Login attempts per token, as made by the layer's login path."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[tuple[str, int, str]] = Counter()

    def record(self, token: TokenInfo) -> None:
        with self._lock:
            self._counts[token.key] += 1

    def count(self, token: TokenInfo) -> int:
        with self._lock:
            return self._counts[token.key]

    def total(self) -> int:
        with self._lock:
            return sum(self._counts.values())


class TokenSession:
    """A logged-in batch on one token. Safe to use from several threads."""

    def __init__(
        self, module: LoadedModule, token: TokenInfo, logins: LoginCounter
    ) -> None:
        self.token = token
        self._module = module
        self._logins = logins
        self._session: Session | None = None
        self._live: Token | None = None
        self._mechanisms: frozenset[int] = frozenset()
        self._keys: dict[tuple[bytes, str], tuple[KeyInfo, SignMixin]] = {}
        self._plans: dict[SignatureScheme, MechanismPlan] = {}

    # -- opening and closing (called by the manager) -------------------------

    def open(self, pin_handler: PinHandler) -> None:
        """Ask for the PIN (on this thread) and log in (on the worker)."""
        request = self._module.worker.call(self._pin_request)
        # The PIN lives only in this frame and the queued call; both end here.
        self._module.worker.call(partial(self._login, pin_handler.request_pin(request)))

    def close(self) -> None:
        """Log out and close; a token already removed is not an error here."""
        self._module.worker.call(self._logout)

    @property
    def mechanisms(self) -> frozenset[int]:
        """Mechanism numbers the token listed at login."""
        return self._mechanisms

    def plan(self, scheme: SignatureScheme) -> MechanismPlan:
        """How ``scheme`` will run on this token (hashed or raw mechanism)."""
        return self._plan(scheme)

    # -- keys -----------------------------------------------------------------

    def keys(self) -> list[KeyInfo]:
        """Signing keys on the token, with certificates and chains."""
        return self._module.worker.call(self._discover)

    def find_key(
        self, *, key_id: bytes | None = None, label: str | None = None
    ) -> KeyInfo:
        """The key with this ``CKA_ID`` and/or ``CKA_LABEL``."""
        return select_key(self.keys(), self.token.label, key_id=key_id, label=label)

    # -- signing --------------------------------------------------------------

    def sign(
        self,
        key: KeyInfo,
        data: bytes,
        scheme: SignatureScheme | None = None,
        *,
        timeout: float | None = None,
    ) -> bytes:
        """Sign ``data`` (the message, not a digest) and wait for the result.

        ECDSA results are DER-encoded. :raises TokenTimeoutError: no answer
        within ``timeout`` seconds (the request stays queued on the token).
        """
        job = self._sign_job(key, data, scheme)
        try:
            return self._module.worker.call(job, timeout=timeout)
        except TimeoutError as exc:
            raise TokenTimeoutError(self.token.label, timeout or 0.0) from exc

    def sign_async(
        self, key: KeyInfo, data: bytes, scheme: SignatureScheme | None = None
    ) -> Future[bytes]:
        """Queue a signature; await it in asyncio with :func:`asyncio.wrap_future`."""
        return self._module.worker.submit(self._sign_job(key, data, scheme))

    def _sign_job(
        self, key: KeyInfo, data: bytes, scheme: SignatureScheme | None
    ) -> Callable[[], bytes]:
        scheme = scheme if scheme is not None else key.default_scheme()
        if not key.can_sign(scheme):
            # Tokens answer this with anything from KEY_TYPE_INCONSISTENT to
            # GENERAL_ERROR, so it is caught before the request is sent.
            raise MechanismUnsupportedError(
                self.token.label, f"{scheme} ({key.algorithm.value} key)"
            )
        plan = self._plan(scheme)
        return partial(self._sign_on_worker, key, plan.prepare(data), plan, scheme)

    # -- worker-side steps ----------------------------------------------------

    def _pin_request(self) -> PinRequest:
        slot, _ = self._module.live_token(self.token)
        flags = self._fresh_pin_flags(slot)
        if PinFlag.LOCKED in flags:
            raise PinLockedError(self.token.label)
        return PinRequest(self.token, pin_warning(flags))

    def _login(self, pin: str) -> None:
        slot, token = self._module.live_token(self.token)
        self._logins.record(self.token)
        try:
            self._session = self._module.calls.login(token, pin)
        except PKCS11Error as exc:
            raise self._login_error(exc, slot) from exc
        self._live = token
        try:
            self._mechanisms = frozenset(int(m) for m in slot.get_mechanisms())
        except PKCS11Error as exc:
            self._logout()
            raise from_pkcs11(exc, self.token.label) from exc
        log.info("logged in to token %s", self.token.label)

    def _login_error(self, exc: PKCS11Error, slot: Slot) -> TokenError:
        try:
            flags = self._fresh_pin_flags(slot)
        except TokenError:
            flags = frozenset()
        if PinFlag.LOCKED in flags:
            return PinLockedError(self.token.label)
        error = from_pkcs11(
            exc,
            self.token.label,
            tries_left=1 if PinFlag.FINAL_TRY in flags else None,
            count_low=PinFlag.COUNT_LOW in flags,
        )
        if isinstance(error, PinIncorrectError):
            log.warning("wrong PIN entered for token %s", self.token.label)
        return error

    def _fresh_pin_flags(self, slot: Slot) -> frozenset[PinFlag]:
        try:
            return pin_flags(self._module.calls.token_flags(slot))
        except PKCS11Error as exc:
            raise from_pkcs11(exc, self.token.label) from exc

    def _logout(self) -> None:
        session, self._session = self._session, None
        self._keys.clear()
        if session is None:
            return
        try:
            self._module.calls.logout(session)
        except PKCS11Error as exc:
            log.info("logout from token %s failed: %s", self.token.label, exc)

    def _discover(self) -> list[KeyInfo]:
        session = self._require_session()
        try:
            found = discover_keys(session, self.token)
        except PKCS11Error as exc:
            raise from_pkcs11(exc, self.token.label) from exc
        self._keys = {info.ref: (info, handle) for info, handle in found}
        return [info for info, _ in found]

    def _sign_on_worker(
        self,
        key: KeyInfo,
        prepared: bytes,
        plan: MechanismPlan,
        scheme: SignatureScheme,
    ) -> bytes:
        self._require_session()
        assert self._live is not None
        handle = self._handle(key)
        try:
            raw = self._module.calls.sign(
                self._live, handle, prepared, plan.mechanism, plan.param
            )
        except PKCS11Error as exc:
            raise from_pkcs11(exc, self.token.label, mechanism=str(scheme)) from exc
        return plan.finish(raw)

    def _handle(self, key: KeyInfo) -> SignMixin:
        if key.ref not in self._keys:
            self._discover()
        if key.ref not in self._keys:
            raise KeyNotFoundError(self.token.label, key.label or key.key_id.hex())
        return self._keys[key.ref][1]

    def _require_session(self) -> Session:
        if self._session is None:
            raise BatchClosedError(self.token.label)
        return self._session

    def _plan(self, scheme: SignatureScheme) -> MechanismPlan:
        plan = self._plans.get(scheme)
        if plan is None:
            plan = plan_signature(scheme, self._mechanisms, self.token.label)
            self._plans[scheme] = plan
        return plan
