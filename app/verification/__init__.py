"""Verifying sealed PDFs (验章): verdicts, reasons and the report tree."""

from app.verification.result import (
    Change,
    ChangeKind,
    Coverage,
    Message,
    Revocation,
    SignatureReport,
    Signer,
    SigningTime,
    TimeSource,
    Trust,
    Verdict,
    VerificationReport,
)
from app.verification.trust import TrustRootError, load_trust_roots
from app.verification.verify import async_verify_pdf, verify_pdf

__all__ = [
    "Change",
    "ChangeKind",
    "Coverage",
    "Message",
    "Revocation",
    "SignatureReport",
    "Signer",
    "SigningTime",
    "TimeSource",
    "Trust",
    "TrustRootError",
    "Verdict",
    "VerificationReport",
    "async_verify_pdf",
    "load_trust_roots",
    "verify_pdf",
]
