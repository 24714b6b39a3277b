"""A small test PKI made with ``cryptography``: root CA, issuing CA, seal certs.

The end-entity certificate is issued for a public key handed in by the caller
(normally read back from a key generated on a SoftHSM2 token), so certificate
and token key always match.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.types import (
    CertificateIssuerPrivateKeyTypes,
    CertificatePublicKeyTypes,
)
from cryptography.x509.oid import NameOID

__all__ = ["TestPki", "issue_end_entity", "make_pki"]

_VALIDITY = dt.timedelta(days=365)


@dataclass(frozen=True)
class TestPki:
    """Root and intermediate CA with their keys."""

    __test__ = False  # not a pytest test class

    root_key: ec.EllipticCurvePrivateKey
    root: x509.Certificate
    issuing_key: ec.EllipticCurvePrivateKey
    issuing: x509.Certificate

    @property
    def chain(self) -> tuple[x509.Certificate, x509.Certificate]:
        """Issuing CA then root, as stored next to a seal certificate."""
        return (self.issuing, self.root)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "SealDesk Test Office"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _builder(
    subject: x509.Name, issuer: x509.Name, public_key: CertificatePublicKeyTypes
) -> x509.CertificateBuilder:
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + _VALIDITY)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), False)
    )


def _ca(
    builder: x509.CertificateBuilder,
    signer: CertificateIssuerPrivateKeyTypes,
    path_length: int,
) -> x509.Certificate:
    usage = x509.KeyUsage(
        digital_signature=False,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )
    return (
        builder.add_extension(x509.BasicConstraints(True, path_length), True)
        .add_extension(usage, True)
        .sign(signer, hashes.SHA384())
    )


def make_pki(name: str = "SealDesk Test") -> TestPki:
    """A fresh root CA and issuing CA (both P-384)."""
    root_key = ec.generate_private_key(ec.SECP384R1())
    root_name = _name(f"{name} Root CA")
    root = _ca(_builder(root_name, root_name, root_key.public_key()), root_key, 1)

    issuing_key = ec.generate_private_key(ec.SECP384R1())
    issuing = _ca(
        _builder(_name(f"{name} Issuing CA"), root_name, issuing_key.public_key()),
        root_key,
        0,
    )
    return TestPki(root_key, root, issuing_key, issuing)


def issue_end_entity(
    pki: TestPki, public_key: CertificatePublicKeyTypes, common_name: str
) -> x509.Certificate:
    """A seal/signing certificate for ``public_key``, issued by the issuing CA."""
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    aki = x509.AuthorityKeyIdentifier.from_issuer_public_key(
        pki.issuing_key.public_key()
    )
    return (
        _builder(_name(common_name), pki.issuing.subject, public_key)
        .add_extension(x509.BasicConstraints(False, None), True)
        .add_extension(usage, True)
        .add_extension(aki, False)
        .sign(pki.issuing_key, hashes.SHA256())
    )
