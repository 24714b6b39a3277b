"""Trusted CA certificates for verification, read from PEM or DER files.

A file may hold one DER certificate or any number of PEM certificates, so a
bundle of Chinese CAs can be configured as one file. Certificates are only
parsed here; a CA whose signature algorithm pyHanko cannot check (SM2 with
SM3) loads fine but never makes a signature trusted.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

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
        roots.extend(_load_file(path))
    log.debug("%d trust roots loaded", len(roots))
    return tuple(roots)


def _load_file(path: Path) -> list[x509.Certificate]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TrustRootError(
            f"The trust root file {path} cannot be read ({exc.strerror}).",
            f"无法读取信任根证书文件 {path}（{exc.strerror}）。",
        ) from exc
    try:
        if pem.detect(data):
            found = [
                x509.Certificate.load(der)
                for kind, _, der in pem.unarmor(data, multiple=True)
                if kind == "CERTIFICATE"
            ]
        else:
            found = [x509.Certificate.load(data)]
        for cert in found:
            cert.native  # noqa: B018 - parses the whole structure now
    except (ValueError, TypeError) as exc:
        raise TrustRootError(
            f"The trust root file {path} does not hold a readable certificate.",
            f"信任根证书文件 {path} 中没有可读取的证书。",
        ) from exc
    if not found:
        raise TrustRootError(
            f"The trust root file {path} holds no certificate.",
            f"信任根证书文件 {path} 中没有证书。",
        )
    return found


def load_crls(paths: Iterable[Path]) -> tuple[crl.CertificateList, ...]:
    """Every CRL in ``paths`` (one DER CRL or PEM ``X509 CRL`` blocks a file)."""
    found: list[crl.CertificateList] = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise TrustRootError(
                f"The CRL file {path} cannot be read ({exc.strerror}).",
                f"无法读取证书吊销列表文件 {path}（{exc.strerror}）。",
            ) from exc
        try:
            ders = (
                [
                    der
                    for kind, _, der in pem.unarmor(data, multiple=True)
                    if "CRL" in kind
                ]
                if pem.detect(data)
                else [data]
            )
            lists = [crl.CertificateList.load(der) for der in ders]
            for item in lists:
                item.native  # noqa: B018 - parses the whole structure now
        except (ValueError, TypeError) as exc:
            raise TrustRootError(
                f"The CRL file {path} does not hold a readable CRL.",
                f"证书吊销列表文件 {path} 中没有可读取的 CRL。",
            ) from exc
        if not lists:
            raise TrustRootError(
                f"The CRL file {path} holds no CRL.",
                f"证书吊销列表文件 {path} 中没有 CRL。",
            )
        found.extend(lists)
    return tuple(found)
