"""Hardware faults imitated around real token calls, for tests and demos.

SoftHSM2 never disappears from its slot, never locks a PIN and answers
instantly. These wrappers sit between the layer and the real
:class:`~hsm.calls.TokenCalls` on the worker thread and raise
python-pkcs11's own exception classes, so the layer's real error handling runs:

* :class:`RemovableToken` - the token is pulled out (after N signatures, or on
  demand): it leaves the slot list and calls fail with ``DeviceRemoved`` /
  ``TokenNotPresent``.
* :class:`LockingPin` - wrong PINs (as judged by the real token) count down;
  the token reports ``COUNT_LOW``/``FINAL_TRY`` and finally locks.
* :class:`SlowToken` - each signature takes extra time, like a slow USB key.

Each fault names the token (by label) it affects. Combine them with
:func:`with_faults` and pass the result as ``TokenManager(wrap_calls=...)``.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from pkcs11 import Mechanism, Session, SignMixin, Slot, Token, TokenFlag
from pkcs11 import exceptions as p11

from hsm.calls import CallsWrapper, Pkcs11Lib, TokenCalls

__all__ = ["LockingPin", "RemovableToken", "SlowToken", "with_faults"]

_PIN_BITS = (
    TokenFlag.USER_PIN_COUNT_LOW
    | TokenFlag.USER_PIN_FINAL_TRY
    | TokenFlag.USER_PIN_LOCKED
)


class _Passthrough:
    """Forwards every call unchanged; faults override what they disturb."""

    def __init__(self, inner: TokenCalls, label: str) -> None:
        self.inner = inner
        self.label = label

    def targets(self, token: Token) -> bool:
        return token.label.strip() == self.label

    def present_slots(self, lib: Pkcs11Lib) -> list[Slot]:
        return self.inner.present_slots(lib)

    def token_flags(self, slot: Slot) -> TokenFlag:
        return self.inner.token_flags(slot)

    def login(self, token: Token, pin: str) -> Session:
        return self.inner.login(token, pin)

    def logout(self, session: Session) -> None:
        self.inner.logout(session)

    def sign(
        self,
        token: Token,
        key: SignMixin,
        data: bytes,
        mechanism: Mechanism | int,
        param: Any,
    ) -> bytes:
        return self.inner.sign(token, key, data, mechanism, param)


class RemovableToken:
    """A token that can be pulled out, on demand or after N signatures."""

    def __init__(self, label: str, *, after_signatures: int | None = None) -> None:
        self.label = label
        self.after_signatures = after_signatures
        self.signatures = 0
        self._removed = threading.Event()

    def unplug(self) -> None:
        """Pull the token out."""
        self._removed.set()

    def plug(self) -> None:
        """Put the token back."""
        self._removed.clear()

    @property
    def removed(self) -> bool:
        """Whether the token is currently out."""
        return self._removed.is_set()

    def wrap(self, inner: TokenCalls) -> TokenCalls:
        """Wrap ``inner`` with this fault."""
        return _RemovalCalls(inner, self)


class _RemovalCalls(_Passthrough):
    def __init__(self, inner: TokenCalls, fault: RemovableToken) -> None:
        super().__init__(inner, fault.label)
        self.fault = fault

    def present_slots(self, lib: Pkcs11Lib) -> list[Slot]:
        slots = self.inner.present_slots(lib)
        if not self.fault.removed:
            return slots
        return [s for s in slots if not self.targets(s.get_token())]

    def token_flags(self, slot: Slot) -> TokenFlag:
        if self.fault.removed and self.targets(slot.get_token()):
            raise p11.TokenNotPresent()
        return self.inner.token_flags(slot)

    def login(self, token: Token, pin: str) -> Session:
        if self.fault.removed and self.targets(token):
            raise p11.TokenNotPresent()
        return self.inner.login(token, pin)

    def logout(self, session: Session) -> None:
        self.inner.logout(session)  # release the real session either way
        if self.fault.removed and self.targets(session.token):
            raise p11.DeviceRemoved()

    def sign(
        self,
        token: Token,
        key: SignMixin,
        data: bytes,
        mechanism: Mechanism | int,
        param: Any,
    ) -> bytes:
        if self.targets(token):
            limit = self.fault.after_signatures
            if limit is not None and self.fault.signatures >= limit:
                self.fault.unplug()
            if self.fault.removed:
                raise p11.DeviceRemoved()
            self.fault.signatures += 1
        return self.inner.sign(token, key, data, mechanism, param)


class LockingPin:
    """A user PIN that locks after ``max_wrong`` wrong tries in a row."""

    def __init__(self, label: str, *, max_wrong: int = 3) -> None:
        self.label = label
        self.max_wrong = max_wrong
        self.wrong = 0

    @property
    def locked(self) -> bool:
        """Whether the PIN has run out of tries."""
        return self.wrong >= self.max_wrong

    def flags(self) -> TokenFlag:
        """PIN flags the token would report now."""
        left = self.max_wrong - self.wrong
        if left <= 0:
            return TokenFlag.USER_PIN_LOCKED
        if left == 1:
            return TokenFlag.USER_PIN_FINAL_TRY | TokenFlag.USER_PIN_COUNT_LOW
        if self.wrong:
            return TokenFlag.USER_PIN_COUNT_LOW
        return TokenFlag(0)

    def wrap(self, inner: TokenCalls) -> TokenCalls:
        """Wrap ``inner`` with this fault."""
        return _LockingCalls(inner, self)


class _LockingCalls(_Passthrough):
    def __init__(self, inner: TokenCalls, fault: LockingPin) -> None:
        super().__init__(inner, fault.label)
        self.fault = fault

    def token_flags(self, slot: Slot) -> TokenFlag:
        flags = self.inner.token_flags(slot)
        if not self.targets(slot.get_token()):
            return flags
        return (flags & ~_PIN_BITS) | self.fault.flags()

    def login(self, token: Token, pin: str) -> Session:
        if not self.targets(token):
            return self.inner.login(token, pin)
        if self.fault.locked:
            raise p11.PinLocked()
        try:
            session = self.inner.login(token, pin)
        except p11.PinIncorrect:
            self.fault.wrong += 1
            if self.fault.locked:
                raise p11.PinLocked() from None
            raise
        self.fault.wrong = 0
        return session


class SlowToken:
    """A token that needs ``delay`` seconds more for every signature."""

    def __init__(self, label: str, *, delay: float = 0.3) -> None:
        self.label = label
        self.delay = delay

    def wrap(self, inner: TokenCalls) -> TokenCalls:
        """Wrap ``inner`` with this fault."""
        return _SlowCalls(inner, self)


class _SlowCalls(_Passthrough):
    def __init__(self, inner: TokenCalls, fault: SlowToken) -> None:
        super().__init__(inner, fault.label)
        self.fault = fault

    def sign(
        self,
        token: Token,
        key: SignMixin,
        data: bytes,
        mechanism: Mechanism | int,
        param: Any,
    ) -> bytes:
        if self.targets(token):
            time.sleep(self.fault.delay)  # imitates hardware, not synchronisation
        return self.inner.sign(token, key, data, mechanism, param)


def with_faults(*faults: RemovableToken | LockingPin | SlowToken) -> CallsWrapper:
    """A ``wrap_calls`` function applying ``faults`` (first one outermost)."""

    def wrap(calls: TokenCalls) -> TokenCalls:
        for fault in reversed(faults):
            calls = fault.wrap(calls)
        return calls

    return wrap
