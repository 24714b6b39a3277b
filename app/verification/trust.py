"""Trusted CA certificates for verification, read from PEM or DER files.

A file may hold one DER certificate or any number of PEM certificates, so a
bundle of Chinese CAs can be configured as one file. Certificates are only
parsed here; a CA whose signature algorithm pyHanko cannot check (SM2 with
SM3) loads fine but never makes a signature trusted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from asn1crypto import crl, pem, x509

from app.errors import SealDeskError

__all__ = ["TrustRootError", "load_crls", "load_trust_roots", "split_setting"]

log = logging.getLogger(__name__)


class TrustRootError(SealDeskError):
    """A configured trust root file cannot be read as certificates."""


def split_setting(value: str | None, separator: str) -> list[Path]:
    """The paths of a ``trust.roots`` setting value."""
    if not value:
        return []
    return [Path(p.strip()) for p in value.split(separator) if p.strip()]


def load_trust_roots(paths: Iterable[Path]) -> tuple[x509.Certificate, ...]:
    """Every certificate in ``paths``, or :class:`TrustRootError`."""
    roots: list[x509.Certificate] = []
    for path in paths:
        roots.extend(_load(path, _CERTIFICATE, x509.Certificate.load))
    log.debug("%d trust roots loaded", len(roots))
    return tuple(roots)


def load_crls(paths: Iterable[Path]) -> tuple[crl.CertificateList, ...]:
    """Every CRL in ``paths`` (one DER CRL or PEM ``X509 CRL`` blocks a file)."""
    found: list[crl.CertificateList] = []
    for path in paths:
        found.extend(_load(path, _CRL, crl.CertificateList.load))
    return tuple(found)


@dataclass(frozen=True)
class _Kind:
    """What a trust file holds: its PEM label and its names in messages."""

    pem_label: str
    en: str
    zh: str
    thing_en: str
    thing_zh: str


_CERTIFICATE = _Kind(
    "CERTIFICATE", "trust root file", "信任根证书文件", "certificate", "证书"
)
_CRL = _Kind("X509 CRL", "CRL file", "证书吊销列表文件", "CRL", "CRL")
_Loaded = TypeVar("_Loaded", x509.Certificate, crl.CertificateList)


def _load(path: Path, kind: _Kind, load: Callable[[bytes], _Loaded]) -> list[_Loaded]:
    """One DER structure, or any number of PEM blocks of ``kind``."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TrustRootError(
            f"The {kind.en} {path} cannot be read ({exc.strerror}).",
            f"无法读取{kind.zh} {path}（{exc.strerror}）。",
        ) from exc
    try:
        if pem.detect(data):
            found = [
                load(der)
                for label, _, der in pem.unarmor(data, multiple=True)
                if label == kind.pem_label
            ]
        else:
            found = [load(data)]
        for item in found:
            item.native  # noqa: B018 - parses the whole structure now
    except (ValueError, TypeError) as exc:
        raise TrustRootError(
            f"The {kind.en} {path} does not hold a readable {kind.thing_en}.",
            f"{kind.zh} {path} 中没有可读取的{kind.thing_zh}。",
        ) from exc
    if not found:
        raise TrustRootError(
            f"The {kind.en} {path} holds no {kind.thing_en}.",
            f"{kind.zh} {path} 中没有{kind.thing_zh}。",
        )
    return found
