"""Plain descriptions of tokens and of their insertion and removal.

A :class:`TokenInfo` is a snapshot taken on the module's worker thread; it
names a token (module, slot, serial) without holding any PKCS#11 handle, so it
can travel to any thread, be shown in a table or be dumped to JSON.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from pkcs11 import Slot, Token, TokenFlag

__all__ = [
    "PinFlag",
    "TokenEvent",
    "TokenEventKind",
    "TokenInfo",
    "pin_flags",
    "token_info",
]


class PinFlag(enum.Enum):
    """User-PIN state flags reported by the token."""

    COUNT_LOW = "COUNT_LOW"
    FINAL_TRY = "FINAL_TRY"
    LOCKED = "LOCKED"


_PIN_FLAG_BITS = {
    TokenFlag.USER_PIN_COUNT_LOW: PinFlag.COUNT_LOW,
    TokenFlag.USER_PIN_FINAL_TRY: PinFlag.FINAL_TRY,
    TokenFlag.USER_PIN_LOCKED: PinFlag.LOCKED,
}


def pin_flags(flags: TokenFlag) -> frozenset[PinFlag]:
    """Pick the user-PIN flags out of a token's flag word."""
    return frozenset(pf for bit, pf in _PIN_FLAG_BITS.items() if flags & bit)


@dataclass(frozen=True)
class TokenInfo:
    """One token as seen in one slot of one loaded module."""

    module_path: str
    slot_id: int
    slot_description: str
    label: str
    serial: str
    manufacturer: str
    model: str
    pin_flags: frozenset[PinFlag]
    pin_pad: bool

    @property
    def key(self) -> tuple[str, int, str]:
        """Identity of the token: module, slot and serial number."""
        return (self.module_path, self.slot_id, self.serial)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dictionary for machine output."""
        return {
            "module": self.module_path,
            "slot": self.slot_id,
            "slot_description": self.slot_description,
            "label": self.label,
            "serial": self.serial,
            "manufacturer": self.manufacturer,
            "model": self.model,
            "pin_flags": sorted(f.value for f in self.pin_flags),
            "pin_pad": self.pin_pad,
        }


class TokenEventKind(enum.Enum):
    """What happened in a slot."""

    INSERTED = "inserted"
    REMOVED = "removed"


@dataclass(frozen=True)
class TokenEvent:
    """A token appeared in or disappeared from a slot."""

    kind: TokenEventKind
    token: TokenInfo


def token_info(module_path: str, slot: Slot, token: Token) -> TokenInfo:
    """Snapshot a live token; call on the module's worker thread only."""
    flags = token.flags
    return TokenInfo(
        module_path=module_path,
        slot_id=slot.slot_id,
        slot_description=slot.slot_description.strip(),
        label=token.label.strip(),
        serial=token.serial.decode("ascii", "replace").strip(),
        manufacturer=token.manufacturer_id.strip(),
        model=token.model.strip(),
        pin_flags=pin_flags(flags),
        pin_pad=bool(flags & TokenFlag.PROTECTED_AUTHENTICATION_PATH),
    )
