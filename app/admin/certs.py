"""Reading the certificates that people and seals are bound to."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from app.errors import InputError

__all__ = ["BoundCertificate", "load_certificate"]


@dataclass(frozen=True)
class BoundCertificate:
    """A parsed certificate with what administration shows and compares."""

    der: bytes
    sha256: str
    subject: str
    not_before: datetime
    not_after: datetime

    def x509(self) -> x509.Certificate:
        return x509.load_der_x509_certificate(self.der)


def load_certificate(data: bytes) -> BoundCertificate:
    """A certificate from PEM or DER bytes."""
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            cert = x509.load_pem_x509_certificate(data)
        else:
            cert = x509.load_der_x509_certificate(data)
    except ValueError as exc:
        raise InputError(
            "That is not an X.509 certificate (PEM or DER).",
            "这不是 X.509 证书（PEM 或 DER 格式）。",
        ) from exc
    der = cert.public_bytes(serialization.Encoding.DER)
    return BoundCertificate(
        der=der,
        sha256=hashlib.sha256(der).hexdigest(),
        subject=cert.subject.rfc4514_string(),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
    )
