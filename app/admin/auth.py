"""Logging in: by token challenge, or by password for people without a token.

Token log-in asks the person's token to sign a fresh challenge and checks the
signature against the certificate bound to the person. The token signs only
after its PIN is entered, so a good signature shows both the token and the
PIN. The challenge starts with a fixed SealDesk context and carries the
person's id, the time and 32 random bytes, so it can never be mistaken for a
document digest and is never the same twice. Accepted: RSA PKCS#1 v1.5,
RSA-PSS (salt as long as the digest) and ECDSA, with SHA-256/384/512.

Every log-in and every refusal is written to the usage log (用印日志).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from app.admin.certs import BoundCertificate, load_certificate
from app.admin.clock import text_time, utc_now
from app.admin.errors import LoginFailedError
from app.admin.journal import record_refusal, recorded
from app.admin.passwords import verify_password
from app.admin.roles import Actor, AuthMethod, current_roles
from app.admin.store import reading
from hsm.errors import TokenError
from storage.database import Connection, Database
from storage.usage_log import append

if TYPE_CHECKING:
    # The token layer loads python-pkcs11; a password log-in must not.
    from hsm.keys import KeyInfo
    from hsm.manager import TokenManager
    from hsm.mechanisms import SignatureScheme
    from hsm.pin import PinHandler
    from hsm.tokens import TokenInfo

__all__ = [
    "CHALLENGE_CONTEXT",
    "ChallengeSignature",
    "ChallengeSigner",
    "TokenChallengeSigner",
    "login_password",
    "login_token",
]

log = logging.getLogger(__name__)

CHALLENGE_CONTEXT = b"SealDesk log-in challenge v1\n"
_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


@dataclass(frozen=True)
class ChallengeSignature:
    """A token's answer: the signature and the scheme it was made with."""

    signature: bytes
    scheme: SignatureScheme


class ChallengeSigner(Protocol):
    """Signs a log-in challenge with the key of the certificate named.

    ``cert_sha256`` is the SHA-256 of the DER certificate bound to the person,
    so the signer can pick the matching key on the token.
    """

    def sign_challenge(
        self, challenge: bytes, cert_sha256: str
    ) -> ChallengeSignature: ...


class TokenChallengeSigner:
    """Signs challenges on a PKCS#11 token; the PIN handler is asked once."""

    def __init__(
        self, manager: TokenManager, token: TokenInfo, pin_handler: PinHandler
    ) -> None:
        self._manager = manager
        self._token = token
        self._pin_handler = pin_handler

    def sign_challenge(self, challenge: bytes, cert_sha256: str) -> ChallengeSignature:
        with self._manager.session(self._token, self._pin_handler) as batch:
            key = _key_for(batch.keys(), cert_sha256)
            scheme = key.default_scheme()
            return ChallengeSignature(batch.sign(key, challenge, scheme), scheme)


def _key_for(keys: list[KeyInfo], cert_sha256: str) -> KeyInfo:
    for key in keys:
        if key.certificate and load_certificate(key.certificate).sha256 == cert_sha256:
            return key
    raise LoginFailedError(
        "the token holds no key for the bound certificate",
        "令牌中没有与绑定证书对应的密钥",
    )


@dataclass(frozen=True)
class _Account:
    person_id: str
    name: str
    password_hash: str | None
    cert_der: bytes | None


def _account(conn: Connection, name: str) -> _Account | None:
    row = conn.execute(
        "SELECT p.id, p.name, c.password_hash, c.cert_der FROM people p "
        "LEFT JOIN credentials c ON c.person_id = p.id WHERE p.name = ?",
        (name,),
    ).fetchone()
    if row is None:
        return None
    return _Account(
        str(row[0]), str(row[1]), row[2], None if row[3] is None else bytes(row[3])
    )


def _actor(conn: Connection, account: _Account, method: AuthMethod) -> Actor:
    roles = current_roles(conn, account.person_id)
    if roles is None:
        raise LoginFailedError("the account is disabled", "账户已停用")
    append(
        conn,
        "auth.login",
        actor=account.person_id,
        details={"method": method.value},
    )
    return Actor(account.person_id, account.name, roles, method)


def login_password(db: Database, name: str, password: str) -> Actor:
    """Log in with an argon2-checked password."""
    with recorded(
        db, "auth.login", None, details={"name": name, "method": "password"}
    ) as conn:
        account = _account(conn, name)
        ok, fresh = verify_password(
            None if account is None else account.password_hash, password
        )
        if account is None or not ok:
            raise LoginFailedError()
        if fresh is not None:
            conn.execute(
                "UPDATE credentials SET password_hash = ? WHERE person_id = ?",
                (fresh, account.person_id),
            )
        actor = _actor(conn, account, AuthMethod.PASSWORD)
    log.info("Person %s logged in with a password", actor.person_id)
    return actor


def login_token(
    db: Database,
    name: str,
    signer: ChallengeSigner,
    *,
    now: datetime | None = None,
) -> Actor:
    """Log in by having the person's token sign a fresh challenge."""
    moment = now or utc_now()
    where = {"name": name, "method": "token"}
    with reading(db) as conn:
        account = _account(conn, name)
    try:
        account = _signed_in(account, signer, moment)
    except LoginFailedError as exc:
        record_refusal(db, "auth.login", None, exc, details=where)
        raise
    except TokenError as exc:
        refused = LoginFailedError(f"token: {exc.en}", f"令牌：{exc.zh}")
        record_refusal(db, "auth.login", None, refused, details=where)
        raise
    with recorded(db, "auth.login", account.person_id, details=where) as conn:
        actor = _actor(conn, account, AuthMethod.TOKEN)
    log.info("Person %s logged in with a token", actor.person_id)
    return actor


def _signed_in(
    account: _Account | None, signer: ChallengeSigner, moment: datetime
) -> _Account:
    """The account whose token answered the challenge correctly."""
    if account is None or account.cert_der is None:
        raise LoginFailedError(
            "no certificate is bound to this name", "该用户未绑定证书"
        )
    cert = load_certificate(account.cert_der)
    _check_validity(cert, moment)
    challenge = _challenge(account.person_id, moment)
    _verify(cert, challenge, signer.sign_challenge(challenge, cert.sha256))
    return account


def _challenge(person_id: str, moment: datetime) -> bytes:
    return CHALLENGE_CONTEXT + (
        f"{person_id}\n{text_time(moment)}\n{secrets.token_hex(32)}\n".encode()
    )


def _check_validity(cert: BoundCertificate, moment: datetime) -> None:
    if not cert.not_before <= moment <= cert.not_after:
        raise LoginFailedError(
            f"the bound certificate is valid only from {text_time(cert.not_before)} "
            f"until {text_time(cert.not_after)}",
            f"绑定证书的有效期为 {text_time(cert.not_before)} 至 "
            f"{text_time(cert.not_after)}",
        )


def _verify(
    cert: BoundCertificate, challenge: bytes, answer: ChallengeSignature
) -> None:
    bad = LoginFailedError(
        "the token's signature does not match the bound certificate",
        "令牌签名与绑定证书不符",
    )
    from hsm.mechanisms import SignatureAlgorithm

    digest_type = _HASHES.get(answer.scheme.digest)
    if digest_type is None:
        raise bad
    digest = digest_type()
    public = cert.x509().public_key()
    algorithm = answer.scheme.algorithm
    try:
        if isinstance(public, rsa.RSAPublicKey) and algorithm in (
            SignatureAlgorithm.RSA_PKCS1V15,
            SignatureAlgorithm.RSA_PSS,
        ):
            public.verify(answer.signature, challenge, _rsa_padding(answer), digest)
        elif (
            isinstance(public, ec.EllipticCurvePublicKey)
            and algorithm is SignatureAlgorithm.ECDSA
        ):
            public.verify(answer.signature, challenge, ec.ECDSA(digest))
        else:
            raise bad
    except InvalidSignature as exc:
        raise bad from exc


def _rsa_padding(answer: ChallengeSignature) -> padding.AsymmetricPadding:
    from hsm.mechanisms import SignatureAlgorithm

    if answer.scheme.algorithm is SignatureAlgorithm.RSA_PKCS1V15:
        return padding.PKCS1v15()
    digest = _HASHES[answer.scheme.digest]()
    salt = answer.scheme.salt_length
    return padding.PSS(
        padding.MGF1(digest), digest.digest_size if salt is None else salt
    )
