"""Errors of the stamping engine, each naming the file and the reason.

Every refusal carries a :class:`RefusalReason`, so callers (the usage log, the
batch report, the corpus harness) can count refusals without parsing text.
"""

from __future__ import annotations

import enum
from pathlib import Path

from app.errors import SealDeskError

__all__ = [
    "CertificateValidityError",
    "CertifiedDocumentError",
    "DocumentChangedError",
    "EncryptedDocumentError",
    "InvalidRequestError",
    "KeywordNotFoundError",
    "OutputPathError",
    "PlacementError",
    "RefusalReason",
    "SealImageError",
    "SigningFailedError",
    "StampingError",
    "UnreadableDocumentError",
    "VerificationFailedError",
]


class RefusalReason(enum.Enum):
    """Why a document was not stamped."""

    UNREADABLE = "unreadable"
    ENCRYPTED = "encrypted"
    CERTIFIED = "certified"
    CERTIFICATE = "certificate"
    KEYWORD = "keyword"
    PLACEMENT = "placement"
    SEAL_IMAGE = "seal-image"
    OUTPUT = "output"
    SIGNING = "signing"
    VERIFICATION = "verification"
    CHANGED = "changed"
    REQUEST = "request"


class StampingError(SealDeskError):
    """Base of every error the stamping engine raises."""

    reason: RefusalReason = RefusalReason.SIGNING

    def __init__(self, en: str, zh: str, path: Path | None = None) -> None:
        super().__init__(en, zh)
        self.path = path


class InvalidRequestError(StampingError):
    """The request itself is incomplete (e.g. B-T without a TSA)."""

    reason = RefusalReason.REQUEST


class UnreadableDocumentError(StampingError):
    """The file is not a PDF, or its structure cannot be read."""

    reason = RefusalReason.UNREADABLE


class EncryptedDocumentError(StampingError):
    """The document is encrypted or its permissions forbid changes."""

    reason = RefusalReason.ENCRYPTED


class CertifiedDocumentError(StampingError):
    """A certification signature (DocMDP) forbids adding a seal."""

    reason = RefusalReason.CERTIFIED


class CertificateValidityError(StampingError):
    """The seal's certificate is expired or not yet valid."""

    reason = RefusalReason.CERTIFICATE


class KeywordNotFoundError(StampingError):
    """The text a keyword placement looks for is not in the document."""

    reason = RefusalReason.KEYWORD


class PlacementError(StampingError):
    """A placement asks for a page or position the document does not have."""

    reason = RefusalReason.PLACEMENT


class SealImageError(StampingError):
    """The seal image is not a usable PNG or has no usable size."""

    reason = RefusalReason.SEAL_IMAGE


class OutputPathError(StampingError):
    """The output path would overwrite the input or an existing file."""

    reason = RefusalReason.OUTPUT


class SigningFailedError(StampingError):
    """Building the signature or writing the output failed."""

    reason = RefusalReason.SIGNING


class VerificationFailedError(StampingError):
    """The freshly written output did not verify; it was deleted."""

    reason = RefusalReason.VERIFICATION


class DocumentChangedError(StampingError):
    """The document is not the one that was checked and approved for stamping."""

    reason = RefusalReason.CHANGED
