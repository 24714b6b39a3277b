"""Token log-in against real SoftHSM2 tokens, and HSM PINs kept by the workspace."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives import serialization

from app.admin.auth import (
    ChallengeSignature,
    TokenChallengeSigner,
    login_password,
    login_token,
)
from app.admin.errors import LoginFailedError
from app.admin.hsm_pins import StoredPinHandler, store_hsm_pin
from app.admin.people import bind_certificate
from app.admin.roles import AuthMethod
from hsm.errors import PinIncorrectError
from hsm.manager import TokenManager
from hsm.mechanisms import SignatureAlgorithm, SignatureScheme
from tests.admin.conftest import (
    Office,
    assert_refusal_logged,
    newest,
    seal_certificate,
)
from tests.support.pki import TestPki
from tests.support.softhsm import (
    FixedPinHandler,
    KeySpec,
    SoftHsmEnv,
    TokenSpec,
    module_copy,
    softhsm_tokens,
)

pytestmark = pytest.mark.hsm

PIN = "246810"
TOKENS = (
    TokenSpec(
        "PERSON-KEY",
        (KeySpec("login-rsa", b"\x31", "rsa"), KeySpec("login-ec", b"\x32", "ec")),
        user_pin=PIN,
    ),
    TokenSpec("ORG-HSM", (KeySpec("seal", b"\x41", "ec"),), user_pin="hsm-778899"),
)


@pytest.fixture(scope="module")
def tokens(
    tmp_path_factory: pytest.TempPathFactory, pki: TestPki
) -> Iterator[SoftHsmEnv]:
    with softhsm_tokens(tmp_path_factory.mktemp("admin-softhsm"), TOKENS, pki) as env:
        yield env


@pytest.fixture
def manager(tokens: SoftHsmEnv) -> Iterator[TokenManager]:
    with TokenManager([module_copy(tokens, "admin-login")], poll_interval=None) as m:
        yield m


def cert_of(env: SoftHsmEnv, label: str) -> bytes:
    key = next(k for k in env.keys["PERSON-KEY"] if k.label == label)
    return key.certificate.public_bytes(serialization.Encoding.DER)


@pytest.mark.parametrize("key_label", ["login-rsa", "login-ec"])
def test_token_login(
    office: Office, tokens: SoftHsmEnv, manager: TokenManager, key_label: str
) -> None:
    bind_certificate(office.db, office.admin, "张经办", cert_of(tokens, key_label))
    token = manager.find_token(label="PERSON-KEY")
    handler = FixedPinHandler(PIN)
    signer = TokenChallengeSigner(manager, token, handler)
    actor = login_token(office.db, "张经办", signer)
    assert actor.person_id == office.officer.person_id
    assert actor.method is AuthMethod.TOKEN
    assert len(handler.requests) == 1
    entry = newest(office.db)
    assert (entry.action, entry.details["method"]) == ("auth.login", "token")


def test_wrong_pin_is_refused_and_logged(
    office: Office, tokens: SoftHsmEnv, manager: TokenManager
) -> None:
    bind_certificate(office.db, office.admin, "张经办", cert_of(tokens, "login-ec"))
    token = manager.find_token(label="PERSON-KEY")
    signer = TokenChallengeSigner(manager, token, FixedPinHandler("000000"))
    with pytest.raises(PinIncorrectError):
        login_token(office.db, "张经办", signer)
    assert_refusal_logged(office.db, "auth.login", "login-failed")
    # The right PIN still works: one wrong try does not lock the token.
    login_token(
        office.db, "张经办", TokenChallengeSigner(manager, token, FixedPinHandler(PIN))
    )


class OtherKeySigner:
    """Signs with a real key on the token, but not the one bound to the person."""

    def __init__(self, manager: TokenManager, key_label: str) -> None:
        self._manager = manager
        self._label = key_label

    def sign_challenge(self, challenge: bytes, cert_sha256: str) -> ChallengeSignature:
        token = self._manager.find_token(label="PERSON-KEY")
        with self._manager.session(token, FixedPinHandler(PIN)) as batch:
            key = batch.find_key(label=self._label)
            scheme = key.default_scheme()
            return ChallengeSignature(batch.sign(key, challenge, scheme), scheme)


def test_signature_by_another_key_is_refused(
    office: Office, tokens: SoftHsmEnv, manager: TokenManager
) -> None:
    bind_certificate(office.db, office.admin, "张经办", cert_of(tokens, "login-rsa"))
    with pytest.raises(LoginFailedError, match="does not match"):
        login_token(office.db, "张经办", OtherKeySigner(manager, "login-ec"))
    assert_refusal_logged(office.db, "auth.login", "login-failed")


class PssSigner:
    def __init__(self, manager: TokenManager) -> None:
        self._manager = manager

    def sign_challenge(self, challenge: bytes, cert_sha256: str) -> ChallengeSignature:
        token = self._manager.find_token(label="PERSON-KEY")
        scheme = SignatureScheme(SignatureAlgorithm.RSA_PSS, "sha384")
        with self._manager.session(token, FixedPinHandler(PIN)) as batch:
            key = batch.find_key(label="login-rsa")
            return ChallengeSignature(batch.sign(key, challenge, scheme), scheme)


def test_rsa_pss_signature_is_accepted(
    office: Office, tokens: SoftHsmEnv, manager: TokenManager
) -> None:
    bind_certificate(office.db, office.admin, "张经办", cert_of(tokens, "login-rsa"))
    assert login_token(office.db, "张经办", PssSigner(manager)).name == "张经办"


def test_token_without_the_bound_key_is_refused(
    office: Office, pki: TestPki, manager: TokenManager
) -> None:
    bind_certificate(office.db, office.admin, "张经办", seal_certificate(pki, "x"))
    token = manager.find_token(label="PERSON-KEY")
    signer = TokenChallengeSigner(manager, token, FixedPinHandler(PIN))
    with pytest.raises(LoginFailedError, match="no key"):
        login_token(office.db, "张经办", signer)
    assert_refusal_logged(office.db, "auth.login", "login-failed")


def test_person_without_certificate_cannot_use_a_token(
    office: Office, manager: TokenManager
) -> None:
    token = manager.find_token(label="PERSON-KEY")
    signer = TokenChallengeSigner(manager, token, FixedPinHandler(PIN))
    with pytest.raises(LoginFailedError):
        login_token(office.db, "李审批", signer)
    login_password(office.db, "李审批", "a long test password")


def test_stored_hsm_pin_logs_in_to_the_hsm(
    office: Office, manager: TokenManager
) -> None:
    hsm = manager.find_token(label="ORG-HSM")
    store_hsm_pin(office.opened, office.admin, hsm.serial, hsm.label, "hsm-778899")
    handler = StoredPinHandler(office.opened, office.officer)
    with manager.session(hsm, handler) as batch:
        key = batch.find_key(label="seal")
        assert batch.sign(key, b"document digest")
    assert newest(office.db).action == "hsm_pin.retrieve"
