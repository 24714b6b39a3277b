"""Demo tokens carry keys whose certificates match them and chain to the root."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import padding

from app.demo.pki import make_demo_pki
from app.demo.tokens import DemoKey, DemoToken, build_demo_tokens
from hsm import TokenManager
from tests.support.softhsm import FixedPinHandler

pytestmark = pytest.mark.hsm


def test_demo_token_keys_sign_under_their_certificates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pki = make_demo_pki("示例市人民政府办公室")
    tokens = (
        DemoToken("ORG-HSM", "11112222", (DemoKey("seal-official", b"\x01", "公章"),)),
        DemoToken(
            "UKEY-1", "123456", (DemoKey("person-1", b"\x02", "张三", "办公室"),)
        ),
    )
    store, made, serials = build_demo_tokens(tmp_path / "tokens", tokens, pki)
    assert set(made) == {"seal-official", "person-1"}
    assert set(serials) == {"ORG-HSM", "UKEY-1"}
    assert os.environ.get("SOFTHSM2_CONF") != str(store.conf)

    monkeypatch.setenv("SOFTHSM2_CONF", str(store.conf))
    with TokenManager([store.module_copy("check")], poll_interval=None) as manager:
        token = manager.find_token(label="ORG-HSM")
        assert token.serial == serials["ORG-HSM"]
        with manager.session(token, FixedPinHandler("11112222")) as batch:
            key = batch.find_key(label="seal-official")
            signature = batch.sign(key, b"demo payload")
    cert = x509.load_der_x509_certificate(key.certificate)
    assert cert == made["seal-official"].certificate
    cert.public_key().verify(  # type: ignore[union-attr, call-arg]
        signature, b"demo payload", padding.PKCS1v15(), cert.signature_hash_algorithm
    )
    cert.verify_directly_issued_by(pki.org_ca)
    pki.org_ca.verify_directly_issued_by(pki.root)
