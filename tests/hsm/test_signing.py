"""Signatures made on SoftHSM2 tokens verify against the token's certificate."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, datetime
from typing import Any

import pytest
from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from pkcs11 import Mechanism
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
from pyhanko_certvalidator import ValidationContext

from hsm.errors import KeyNotFoundError, MechanismUnsupportedError
from hsm.keys import KeyAlgorithm
from hsm.manager import TokenManager
from hsm.mechanisms import SignatureAlgorithm, SignatureScheme
from hsm.signer import TokenSigner
from tests.support.pki import TestPki
from tests.support.softhsm import FixedPinHandler

pytestmark = pytest.mark.hsm

DATA = "用印文件 / stamped document".encode() * 50
HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}


def _verify(cert_public: object, signature: bytes, scheme: SignatureScheme) -> None:
    digest = HASHES[scheme.digest]()
    if scheme.algorithm is SignatureAlgorithm.ECDSA:
        assert isinstance(cert_public, ec.EllipticCurvePublicKey)
        cert_public.verify(signature, DATA, ec.ECDSA(digest))
        return
    assert isinstance(cert_public, rsa.RSAPublicKey)
    if scheme.algorithm is SignatureAlgorithm.RSA_PSS:
        pad: padding.AsymmetricPadding = padding.PSS(
            padding.MGF1(digest), digest.digest_size
        )
    else:
        pad = padding.PKCS1v15()
    cert_public.verify(signature, DATA, pad, digest)


def _validated(data: bytes, content: cms.ContentInfo, pki: TestPki) -> Any:
    """pyHanko's status of a detached CMS signature over ``data``."""
    root = asn1_x509.Certificate.load(pki.root.public_bytes(Encoding.DER))
    return asyncio.run(
        async_validate_detached_cms(
            data,
            content["content"],
            signer_validation_context=ValidationContext(trust_roots=[root]),
        )
    )


@pytest.mark.parametrize(
    ("token_label", "key_label", "scheme"),
    [
        ("SEAL-RSA", "rsa2048", SignatureScheme(SignatureAlgorithm.RSA_PKCS1V15)),
        ("SEAL-RSA", "rsa2048", SignatureScheme(SignatureAlgorithm.RSA_PSS)),
        (
            "SEAL-RSA",
            "rsa3072",
            SignatureScheme(SignatureAlgorithm.RSA_PSS, "sha384"),
        ),
        (
            "SEAL-RSA",
            "rsa4096",
            SignatureScheme(SignatureAlgorithm.RSA_PKCS1V15, "sha512"),
        ),
        ("SEAL-EC", "p256", SignatureScheme(SignatureAlgorithm.ECDSA)),
        ("SEAL-EC", "p384", SignatureScheme(SignatureAlgorithm.ECDSA, "sha384")),
    ],
)
def test_signature_verifies_against_token_certificate(
    manager: TokenManager,
    pin_handler: FixedPinHandler,
    token_label: str,
    key_label: str,
    scheme: SignatureScheme,
) -> None:
    token = manager.find_token(label=token_label)
    with manager.session(token, pin_handler) as batch:
        key = batch.find_key(label=key_label)
        signature = batch.sign(key, DATA, scheme)

    cert = key.x509_certificate()
    assert cert is not None
    _verify(cert.public_key(), signature, scheme)


def test_ecdsa_uses_raw_mechanism_when_token_lacks_hashed_one(
    manager: TokenManager, pin_handler: FixedPinHandler
) -> None:
    token = manager.find_token(label="SEAL-EC")
    with manager.session(token, pin_handler) as batch:
        plan = batch.plan(SignatureScheme(SignatureAlgorithm.ECDSA))
        assert Mechanism.ECDSA_SHA256 not in batch.mechanisms

    assert plan.mechanism == Mechanism.ECDSA
    assert plan.prehash is not None


def test_keys_come_with_certificate_and_chain(
    manager: TokenManager, pin_handler: FixedPinHandler, hsm_pki: TestPki
) -> None:
    token = manager.find_token(label="SEAL-EC")
    with manager.session(token, pin_handler) as batch:
        found = batch.keys()
    keys = {k.label: k for k in found}

    assert set(keys) == {"p256", "p384"}
    p384 = keys["p384"]
    assert (p384.algorithm, p384.size, p384.curve) == (
        KeyAlgorithm.EC,
        384,
        "secp384r1",
    )
    cert = p384.x509_certificate()
    assert cert is not None
    assert cert.issuer == hsm_pki.issuing.subject
    assert list(p384.chain) == [
        hsm_pki.issuing.public_bytes(_der()),
        hsm_pki.root.public_bytes(_der()),
    ]


def _der():  # type: ignore[no-untyped-def]
    from cryptography.hazmat.primitives.serialization import Encoding

    return Encoding.DER


def test_unknown_key_is_a_key_not_found_error(
    manager: TokenManager, pin_handler: FixedPinHandler
) -> None:
    token = manager.find_token(label="SEAL-EC")
    with (
        manager.session(token, pin_handler) as batch,
        pytest.raises(KeyNotFoundError) as info,
    ):
        batch.find_key(label="no-such-seal")
    assert "no-such-seal" in info.value.en
    assert "no-such-seal" in info.value.zh


def test_rsa_scheme_on_ec_key_is_mechanism_unsupported(
    manager: TokenManager, pin_handler: FixedPinHandler
) -> None:
    token = manager.find_token(label="SEAL-EC")
    with manager.session(token, pin_handler) as batch:
        key = batch.find_key(label="p256")
        with pytest.raises(MechanismUnsupportedError) as info:
            batch.sign(key, DATA, SignatureScheme(SignatureAlgorithm.RSA_PKCS1V15))
        with pytest.raises(MechanismUnsupportedError):
            batch.sign(key, DATA, SignatureScheme(SignatureAlgorithm.SM2, "sm3"))
    assert "rsa_pkcs1v15" in info.value.en


@pytest.mark.parametrize(
    ("token_label", "key_label", "prefer_pss"),
    [
        ("SEAL-RSA", "rsa2048", False),
        ("SEAL-RSA", "rsa3072", True),
        ("SEAL-EC", "p256", False),
    ],
)
def test_pyhanko_cms_signature_validates(
    manager: TokenManager,
    pin_handler: FixedPinHandler,
    hsm_pki: TestPki,
    token_label: str,
    key_label: str,
    prefer_pss: bool,
) -> None:
    token = manager.find_token(label=token_label)
    with manager.session(token, pin_handler) as batch:
        signer = TokenSigner(
            batch, batch.find_key(label=key_label), prefer_pss=prefer_pss
        )
        content = asyncio.run(signer.async_sign_general_data(DATA, "sha256"))

    status = _validated(DATA, content, hsm_pki)
    assert status.intact
    assert status.valid
    assert status.trusted


def test_consecutive_pades_signatures_each_sign_their_own_digest(
    manager: TokenManager, pin_handler: FixedPinHandler, hsm_pki: TestPki
) -> None:
    """One signer reuses its PAdES attributes; each signature stays its own."""
    documents = [DATA, DATA + b"2", "第三份".encode()]
    token = manager.find_token(label="SEAL-RSA")
    with manager.session(token, pin_handler) as batch:
        signer = TokenSigner(batch, batch.find_key(label="rsa2048"))
        signed = [
            asyncio.run(
                signer.async_sign(
                    hashlib.sha256(document).digest(), "sha256", use_pades=True
                )
            )
            for document in documents
        ]
        general = asyncio.run(
            signer.async_sign(
                hashlib.sha256(DATA).digest(),
                "sha256",
                signed_attr_settings=PdfCMSSignedAttributes(
                    signing_time=datetime.now(UTC)
                ),
            )
        )

    for document, content in zip(documents, signed, strict=True):
        info = content["content"]["signer_infos"][0]
        kinds = [a["type"].native for a in info["signed_attrs"]]
        assert "signing_time" not in kinds  # PAdES: the time is in the PDF
        status = _validated(document, content, hsm_pki)
        assert status.intact
        assert status.valid
        assert status.trusted
    # A signature of another kind is built afresh, with its signing time.
    info = general["content"]["signer_infos"][0]
    assert "signing_time" in [a["type"].native for a in info["signed_attrs"]]
    assert not _validated(documents[1], signed[0], hsm_pki).intact
