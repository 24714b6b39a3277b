"""The raw PKCS#11 calls the layer makes, behind one small seam.

Everything the layer asks of a token goes through a :class:`TokenCalls`
object, always on the module's worker thread. :class:`Pkcs11Calls` talks to
python-pkcs11 directly; :mod:`hsm.faults` wraps it to imitate hardware
failures (removal, locking, slowness) around the real calls.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from pkcs11 import Mechanism, Session, SignMixin, Slot, Token, TokenFlag
from pkcs11._pkcs11 import lib as Pkcs11Lib

__all__ = ["CallsWrapper", "Pkcs11Calls", "Pkcs11Lib", "TokenCalls"]


class TokenCalls(Protocol):
    """The token operations the layer performs, one method per PKCS#11 step."""

    def present_slots(self, lib: Pkcs11Lib) -> list[Slot]:
        """Slots that currently hold a token."""
        ...

    def token_flags(self, slot: Slot) -> TokenFlag:
        """Fresh token flags (PIN counters change after each login attempt)."""
        ...

    def login(self, token: Token, pin: str) -> Session:
        """Open a session and log the user in."""
        ...

    def logout(self, session: Session) -> None:
        """Log out and close the session."""
        ...

    def sign(
        self,
        token: Token,
        key: SignMixin,
        data: bytes,
        mechanism: Mechanism | int,
        param: Any,
    ) -> bytes:
        """One C_SignInit/C_Sign round."""
        ...


CallsWrapper = Callable[[TokenCalls], TokenCalls]
"""Decorates a module's raw calls, e.g. to inject faults (see :mod:`hsm.faults`)."""


class Pkcs11Calls:
    """:class:`TokenCalls` straight onto python-pkcs11."""

    def present_slots(self, lib: Pkcs11Lib) -> list[Slot]:
        return lib.get_slots(token_present=True)

    def token_flags(self, slot: Slot) -> TokenFlag:
        return slot.get_token().flags

    def login(self, token: Token, pin: str) -> Session:
        return token.open(user_pin=pin)

    def logout(self, session: Session) -> None:
        session.close()

    def sign(
        self,
        token: Token,
        key: SignMixin,
        data: bytes,
        mechanism: Mechanism | int,
        param: Any,
    ) -> bytes:
        if param is None:
            return key.sign(data, mechanism=mechanism)
        return key.sign(data, mechanism=mechanism, mechanism_param=param)
