"""Stamping PDFs with a seal (盖章): placement, appearance, PAdES signature.

The engine turns a PDF, a seal image, a placement and any pyHanko ``Signer``
into a signed, verified PDF. Policy checks, the usage log, the archive and
the CLI are built on top of it.
"""

from app.stamping.engine import (
    PreparedStamp,
    async_finish,
    async_prepare,
    async_stamp,
    complete,
    discard,
    finish,
    prepare,
    sign_prepared,
    stamp,
)
from app.stamping.errors import (
    CertificateValidityError,
    CertifiedDocumentError,
    DocumentChangedError,
    EncryptedDocumentError,
    InvalidRequestError,
    KeywordNotFoundError,
    OutputPathError,
    PlacementError,
    RefusalReason,
    SealImageError,
    SigningFailedError,
    StampingError,
    UnreadableDocumentError,
    VerificationFailedError,
)
from app.stamping.placement import (
    CoordinatePlacement,
    KeywordPlacement,
    Occurrence,
    Placement,
    RidingPages,
    RidingPlacement,
)
from app.stamping.request import Level, StampRequest, StampResult

__all__ = [
    "CertificateValidityError",
    "CertifiedDocumentError",
    "CoordinatePlacement",
    "DocumentChangedError",
    "EncryptedDocumentError",
    "InvalidRequestError",
    "KeywordNotFoundError",
    "KeywordPlacement",
    "Level",
    "Occurrence",
    "OutputPathError",
    "Placement",
    "PlacementError",
    "PreparedStamp",
    "RefusalReason",
    "RidingPages",
    "RidingPlacement",
    "SealImageError",
    "SigningFailedError",
    "StampRequest",
    "StampResult",
    "StampingError",
    "UnreadableDocumentError",
    "VerificationFailedError",
    "async_finish",
    "async_prepare",
    "async_stamp",
    "complete",
    "discard",
    "finish",
    "prepare",
    "sign_prepared",
    "stamp",
]
