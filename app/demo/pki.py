"""The demo PKI: root CA → organisation CA → seal and person certificates.

Made with ``cryptography`` at demo set-up. The CA keys live only in memory
while the demo is built; the root certificate is kept in the workspace so
validators (and ``pdfsig`` with an NSS database) can be told to trust it.
Seal and person certificates are issued for public keys generated on the
demo tokens, so every certificate matches a token key.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.types import (
    CertificateIssuerPrivateKeyTypes,
    CertificatePublicKeyTypes,
)
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = ["DemoPki", "make_demo_pki"]

_CA_YEARS = 10
_LEAF_DAYS = 2 * 365
# The demo desk has no CRL server: its CAs' CRLs are files, good for a year.
_CRL_DAYS = 365


def _name(common_name: str, organisation: str, unit: str | None = None) -> x509.Name:
    parts = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
    ]
    if unit:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(parts)


def _usage(*, sign: bool, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=sign,
        content_commitment=sign,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


@dataclass(frozen=True)
class DemoPki:
    """The two CAs, with their keys, for issuing demo certificates."""

    organisation: str
    root: x509.Certificate
    root_key: ec.EllipticCurvePrivateKey
    org_ca: x509.Certificate
    org_ca_key: ec.EllipticCurvePrivateKey

    @property
    def chain(self) -> tuple[x509.Certificate, x509.Certificate]:
        """Organisation CA then root, as stored next to an end certificate."""
        return (self.org_ca, self.root)

    def issue(
        self,
        public_key: CertificatePublicKeyTypes,
        common_name: str,
        unit: str | None = None,
        valid_days: int = _LEAF_DAYS,
        not_before: dt.datetime | None = None,
    ) -> x509.Certificate:
        """A signing certificate (seal or person) for ``public_key``."""
        start = not_before or dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
        issuer_key = self.org_ca_key.public_key()
        return (
            _builder(
                _name(common_name, self.organisation, unit),
                self.org_ca.subject,
                public_key,
                start,
                start + dt.timedelta(days=valid_days),
            )
            .add_extension(x509.BasicConstraints(False, None), True)
            .add_extension(_usage(sign=True, ca=False), True)
            .add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key), False
            )
            .sign(self.org_ca_key, hashes.SHA256())
        )

    def crls(self, valid_days: int = _CRL_DAYS) -> tuple[bytes, bytes]:
        """Empty CRLs (DER) of the root CA and of the organisation CA."""
        return (
            _empty_crl(self.root, self.root_key, valid_days),
            _empty_crl(self.org_ca, self.org_ca_key, valid_days),
        )


def _empty_crl(
    ca: x509.Certificate, key: ec.EllipticCurvePrivateKey, valid_days: int
) -> bytes:
    start = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    return (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.subject)
        .last_update(start)
        .next_update(start + dt.timedelta(days=valid_days))
        .add_extension(x509.CRLNumber(1), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()),
            False,
        )
        .sign(key, hashes.SHA256())
        .public_bytes(serialization.Encoding.DER)
    )


def _builder(
    subject: x509.Name,
    issuer: x509.Name,
    public_key: CertificatePublicKeyTypes,
    start: dt.datetime,
    end: dt.datetime,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), False)
    )


def _ca(
    subject: x509.Name,
    issuer: x509.Name,
    public_key: ec.EllipticCurvePublicKey,
    signer: CertificateIssuerPrivateKeyTypes,
    path_length: int,
) -> x509.Certificate:
    start = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    end = start + dt.timedelta(days=365 * _CA_YEARS)
    return (
        _builder(subject, issuer, public_key, start, end)
        .add_extension(x509.BasicConstraints(True, path_length), True)
        .add_extension(_usage(sign=False, ca=True), True)
        .sign(signer, hashes.SHA384())
    )


def make_demo_pki(organisation: str) -> DemoPki:
    """A fresh demo root CA and organisation CA (both P-384)."""
    root_key = ec.generate_private_key(ec.SECP384R1())
    root_name = _name("SealDesk Demo Root CA", "SealDesk Demo")
    root = _ca(root_name, root_name, root_key.public_key(), root_key, 1)
    org_key = ec.generate_private_key(ec.SECP384R1())
    org_ca = _ca(
        _name(f"{organisation} CA", organisation),
        root_name,
        org_key.public_key(),
        root_key,
        0,
    )
    return DemoPki(organisation, root, root_key, org_ca, org_key)
