"""PKCS#11 tokens: modules, slots, login batches, keys, signing and faults.

SealDesk reaches officers' USB keys and organisations' network HSMs through
the vendor's PKCS#11 module. Start with :class:`TokenManager`; sign PDFs with
:class:`hsm.signer.TokenSigner`. This package never imports ``app``,
``storage`` or ``widgets``.

The names below are loaded on first use, so that importing ``hsm.errors``
(as every CLI start does) does not load python-pkcs11 and pyHanko.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hsm.errors import PinEntryCancelled, TokenError
    from hsm.keys import KeyAlgorithm, KeyInfo
    from hsm.manager import TokenManager
    from hsm.mechanisms import SignatureAlgorithm, SignatureScheme
    from hsm.pin import PinHandler, PinRequest, PinWarning
    from hsm.session import TokenSession
    from hsm.tokens import PinFlag, TokenEvent, TokenEventKind, TokenInfo

_WHERE = {
    "KeyAlgorithm": "hsm.keys",
    "KeyInfo": "hsm.keys",
    "PinEntryCancelled": "hsm.errors",
    "PinFlag": "hsm.tokens",
    "PinHandler": "hsm.pin",
    "PinRequest": "hsm.pin",
    "PinWarning": "hsm.pin",
    "SignatureAlgorithm": "hsm.mechanisms",
    "SignatureScheme": "hsm.mechanisms",
    "TokenError": "hsm.errors",
    "TokenEvent": "hsm.tokens",
    "TokenEventKind": "hsm.tokens",
    "TokenInfo": "hsm.tokens",
    "TokenManager": "hsm.manager",
    "TokenSession": "hsm.session",
}

__all__ = [
    "KeyAlgorithm",
    "KeyInfo",
    "PinEntryCancelled",
    "PinFlag",
    "PinHandler",
    "PinRequest",
    "PinWarning",
    "SignatureAlgorithm",
    "SignatureScheme",
    "TokenError",
    "TokenEvent",
    "TokenEventKind",
    "TokenInfo",
    "TokenManager",
    "TokenSession",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'hsm' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
