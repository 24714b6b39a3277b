"""How the token layer asks a person for a PIN.

The layer never stores a PIN. It builds a :class:`PinRequest` from the token's
current flags and asks a :class:`PinHandler`: the GUI shows a dialog, the CLI
prompts, tests answer directly. The returned PIN is used for one login and then
dropped; it is never logged, cached or put into an exception.

The handler is called on the thread that opened the session, not on the
module's worker thread, so that a person taking their time to type does not
hold up other tokens served by the same module.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol

from hsm.tokens import PinFlag, TokenInfo

__all__ = ["PinHandler", "PinRequest", "PinWarning", "pin_warning"]


class PinWarning(enum.Enum):
    """What the token says about the remaining PIN attempts."""

    NONE = "none"
    COUNT_LOW = "count_low"
    FINAL_TRY = "final_try"


@dataclass(frozen=True)
class PinRequest:
    """Everything a PIN dialog needs to show; never contains a PIN."""

    token: TokenInfo
    warning: PinWarning

    @property
    def must_warn(self) -> bool:
        """True when a wrong PIN now could lock the token soon or at once."""
        return self.warning is not PinWarning.NONE


class PinHandler(Protocol):
    """Supplies a PIN for one login.

    ``request_pin`` returns the PIN, or raises
    :class:`hsm.errors.PinEntryCancelled` when the person declines.
    """

    def request_pin(self, request: PinRequest) -> str: ...


def pin_warning(flags: frozenset[PinFlag]) -> PinWarning:
    """Strongest warning implied by the token's PIN flags."""
    if PinFlag.FINAL_TRY in flags:
        return PinWarning.FINAL_TRY
    if PinFlag.COUNT_LOW in flags:
        return PinWarning.COUNT_LOW
    return PinWarning.NONE
