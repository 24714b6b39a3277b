"""Errors raised while building and checking evidence (存证).

Every error carries its message in English (``en``) and Chinese (``zh``) so that a
verification report, the CLI and the GUI can show it to the person at the desk.
"""

from app.errors import SealDeskError

__all__ = ["CanonicalJsonError", "EvidenceError", "ProofError"]


class EvidenceError(SealDeskError):
    """Base of the errors raised by the evidence primitives."""


class CanonicalJsonError(EvidenceError):
    """An evidence record cannot be written as canonical JSON (RFC 8785)."""


class ProofError(EvidenceError):
    """A Merkle inclusion or consistency proof does not hold.

    When the failure is a root that does not match, ``expected`` is the root the
    caller supplied and ``calculated`` the one the proof leads to; otherwise both
    are ``None``.
    """

    def __init__(
        self,
        en: str,
        zh: str,
        *,
        expected: bytes | None = None,
        calculated: bytes | None = None,
    ) -> None:
        super().__init__(en, zh)
        self.expected = expected
        self.calculated = calculated
