"""Signing keys found on a token, with their certificates and chains.

Discovery runs on the module's worker thread inside a logged-in session.
A private key is paired with the X.509 certificate that shares its ``CKA_ID``,
or failing that its ``CKA_LABEL``. Other certificates on the token (issuing CAs
that vendors often store next to the officer's certificate) become the key's
chain, nearest issuer first.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from typing import Any

from asn1crypto import keys as asn1_keys
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from pkcs11 import (
    Attribute,
    CertificateType,
    KeyType,
    ObjectClass,
    PKCS11Error,
    Session,
    SignMixin,
)

from hsm.errors import KeyNotFoundError
from hsm.mechanisms import SignatureAlgorithm, SignatureScheme
from hsm.tokens import TokenInfo

__all__ = ["KeyAlgorithm", "KeyInfo", "discover_keys", "select_key"]

log = logging.getLogger(__name__)

_MAX_CHAIN = 8
_CURVE_BITS = {"secp521r1": 521}


class KeyAlgorithm(enum.Enum):
    """Public-key family of a signing key."""

    RSA = "rsa"
    EC = "ec"
    OTHER = "other"


_FAMILY = {
    SignatureAlgorithm.RSA_PKCS1V15: KeyAlgorithm.RSA,
    SignatureAlgorithm.RSA_PSS: KeyAlgorithm.RSA,
    SignatureAlgorithm.ECDSA: KeyAlgorithm.EC,
}


@dataclass(frozen=True)
class KeyInfo:
    """A signing key on a token; holds no PKCS#11 handle.

    ``size`` is the RSA modulus length or the EC field size in bits.
    ``certificate`` and ``chain`` are DER-encoded X.509 certificates.
    """

    token: TokenInfo
    key_id: bytes
    label: str
    algorithm: KeyAlgorithm
    size: int
    curve: str | None
    certificate: bytes | None
    chain: tuple[bytes, ...]

    @property
    def ref(self) -> tuple[bytes, str]:
        """Identity of the key within its token."""
        return (self.key_id, self.label)

    def x509_certificate(self) -> x509.Certificate | None:
        """The key's certificate parsed with ``cryptography``."""
        if self.certificate is None:
            return None
        return x509.load_der_x509_certificate(self.certificate)

    def subject(self) -> str | None:
        """The certificate subject in RFC 4514 form, for display."""
        cert = self.x509_certificate()
        return cert.subject.rfc4514_string() if cert is not None else None

    def default_scheme(
        self, digest: str = "sha256", *, prefer_pss: bool = False
    ) -> SignatureScheme:
        """A sensible signature scheme for this key."""
        if self.algorithm is KeyAlgorithm.EC:
            return SignatureScheme(SignatureAlgorithm.ECDSA, digest)
        if prefer_pss:
            return SignatureScheme(SignatureAlgorithm.RSA_PSS, digest)
        return SignatureScheme(SignatureAlgorithm.RSA_PKCS1V15, digest)

    def can_sign(self, scheme: SignatureScheme) -> bool:
        """Whether this key's family fits ``scheme`` (vendor schemes: assumed)."""
        family = _FAMILY.get(scheme.algorithm)
        return family is None or family is self.algorithm

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dictionary for machine output."""
        cert = self.x509_certificate()
        return {
            "token": self.token.label,
            "token_serial": self.token.serial,
            "id": self.key_id.hex(),
            "label": self.label,
            "algorithm": self.algorithm.value,
            "size": self.size,
            "curve": self.curve,
            "subject": self.subject(),
            "not_after": cert.not_valid_after_utc.isoformat() if cert else None,
            "chain_length": len(self.chain),
        }


@dataclass(frozen=True)
class _TokenCert:
    cka_id: bytes
    label: str
    der: bytes
    cert: x509.Certificate


def discover_keys(
    session: Session, token: TokenInfo
) -> list[tuple[KeyInfo, SignMixin]]:
    """All signing keys visible in ``session``, with their live handles."""
    certs = _token_certificates(session)
    found: list[tuple[KeyInfo, SignMixin]] = []
    attrs = {Attribute.CLASS: ObjectClass.PRIVATE_KEY, Attribute.SIGN: True}
    for obj in session.get_objects(attrs):
        handle: Any = obj
        found.append((_describe(handle, token, certs), handle))
    return found


def select_key(
    keys: list[KeyInfo],
    token_label: str,
    *,
    key_id: bytes | None = None,
    label: str | None = None,
) -> KeyInfo:
    """The one key matching ``key_id`` and/or ``label`` (either may be omitted).

    :raises KeyNotFoundError: nothing matches, or the choice is ambiguous.
    """
    matches = [
        k
        for k in keys
        if (key_id is None or k.key_id == key_id)
        and (label is None or k.label == label)
    ]
    if len(matches) != 1:
        wanted = label if label is not None else (key_id or b"").hex()
        raise KeyNotFoundError(token_label, wanted)
    return matches[0]


def _describe(handle: Any, token: TokenInfo, certs: list[_TokenCert]) -> KeyInfo:
    key_id = bytes(_attr(handle, Attribute.ID) or b"")
    label = str(_attr(handle, Attribute.LABEL) or "")
    algorithm, size, curve = _key_shape(handle)
    cert = _matching_cert(key_id, label, certs)
    chain = _chain_for(cert, certs) if cert is not None else ()
    return KeyInfo(
        token=token,
        key_id=key_id,
        label=label,
        algorithm=algorithm,
        size=size,
        curve=curve,
        certificate=cert.der if cert is not None else None,
        chain=tuple(c.der for c in chain),
    )


def _attr(obj: Any, attribute: Attribute) -> Any:
    try:
        return obj[attribute]
    except PKCS11Error:
        return None


def _key_shape(handle: Any) -> tuple[KeyAlgorithm, int, str | None]:
    key_type = _attr(handle, Attribute.KEY_TYPE)
    if key_type == KeyType.RSA:
        modulus = _attr(handle, Attribute.MODULUS)
        return KeyAlgorithm.RSA, len(modulus) * 8 if modulus else 0, None
    if key_type == KeyType.EC:
        params = _attr(handle, Attribute.EC_PARAMS)
        if params:
            domain = asn1_keys.ECDomainParameters.load(bytes(params))
            if domain.name == "named":
                curve = str(domain.chosen.native)
                bits = _CURVE_BITS.get(curve, domain.key_size * 8)
                return KeyAlgorithm.EC, bits, curve
        return KeyAlgorithm.EC, 0, None
    return KeyAlgorithm.OTHER, 0, None


def _token_certificates(session: Session) -> list[_TokenCert]:
    attrs = {
        Attribute.CLASS: ObjectClass.CERTIFICATE,
        Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
    }
    certs: list[_TokenCert] = []
    for obj in session.get_objects(attrs):
        der = bytes(_attr(obj, Attribute.VALUE) or b"")
        try:
            parsed = x509.load_der_x509_certificate(der)
        except ValueError:
            log.warning("skipping unreadable certificate object on token")
            continue
        cka_id = bytes(_attr(obj, Attribute.ID) or b"")
        label = str(_attr(obj, Attribute.LABEL) or "")
        certs.append(_TokenCert(cka_id, label, der, parsed))
    return certs


def _matching_cert(
    key_id: bytes, label: str, certs: list[_TokenCert]
) -> _TokenCert | None:
    for cert in certs:
        if key_id and cert.cka_id == key_id:
            return cert
    for cert in certs:
        if label and cert.label == label:
            return cert
    return None


def _chain_for(leaf: _TokenCert, certs: list[_TokenCert]) -> list[_TokenCert]:
    chain: list[_TokenCert] = []
    current = leaf
    while len(chain) < _MAX_CHAIN and not _self_issued(current.cert):
        issuer = _issuer_of(current, certs)
        if issuer is None or issuer in chain:
            break
        chain.append(issuer)
        current = issuer
    return chain


def _issuer_of(child: _TokenCert, certs: list[_TokenCert]) -> _TokenCert | None:
    for candidate in certs:
        if candidate.der == child.der:
            continue
        if candidate.cert.subject != child.cert.issuer:
            continue
        try:
            child.cert.verify_directly_issued_by(candidate.cert)
        except (ValueError, TypeError, InvalidSignature):
            continue
        return candidate
    return None


def _self_issued(cert: x509.Certificate) -> bool:
    return cert.subject == cert.issuer
