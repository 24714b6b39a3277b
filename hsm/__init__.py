"""PKCS#11 tokens: modules, slots, login batches, keys, signing and faults.

SealDesk reaches officers' USB keys and organisations' network HSMs through
the vendor's PKCS#11 module. Start with :class:`TokenManager`; sign PDFs with
:class:`hsm.signer.TokenSigner`. This package never imports ``app``,
``storage`` or ``widgets``.
"""

from hsm.errors import PinEntryCancelled, TokenError
from hsm.keys import KeyAlgorithm, KeyInfo
from hsm.manager import TokenManager
from hsm.mechanisms import SignatureAlgorithm, SignatureScheme
from hsm.pin import PinHandler, PinRequest, PinWarning
from hsm.session import TokenSession
from hsm.tokens import PinFlag, TokenEvent, TokenEventKind, TokenInfo

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
