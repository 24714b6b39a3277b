"""SoftHSM2 tokens for tests: a private token directory, keys made on the token.

Plain functions, usable from pytest fixtures or scripts (the benchmark):

* :func:`create_softhsm_env` writes a ``softhsm2.conf`` and token directory
  under a temporary folder; :func:`activate` points ``SOFTHSM2_CONF`` at it.
  SoftHSM reads that variable when a process initialises the library, so
  activate before loading.
* :func:`build_tokens` initialises tokens with ``softhsm2-util``, generates key
  pairs on them, and stores a certificate from :mod:`tests.support.pki` for
  each key plus the CA chain.
* :func:`module_copy` copies ``libsofthsm2.so`` to a new path. Each copy loads
  as an independent module (own globals), which is how tests get "two modules
  at once" from one SoftHSM installation.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pkcs11
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes
from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass
from pkcs11.util.ec import encode_ec_public_key, encode_named_curve_parameters

from hsm.calls import Pkcs11Lib
from hsm.pin import PinRequest
from tests.support.pki import TestPki, issue_end_entity

__all__ = [
    "SOFTHSM_MODULE",
    "SOFTHSM_UTIL",
    "FixedPinHandler",
    "KeySpec",
    "SoftHsmEnv",
    "TokenKey",
    "TokenSpec",
    "activate",
    "build_tokens",
    "create_softhsm_env",
    "init_token",
    "module_copy",
]

SOFTHSM_UTIL = "/usr/bin/softhsm2-util"
SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so"


@dataclass(frozen=True)
class KeySpec:
    """A key pair to generate: ``algorithm`` is "rsa" (``size``) or "ec" (``curve``)."""

    label: str
    key_id: bytes
    algorithm: str = "rsa"
    size: int = 2048
    curve: str = "secp256r1"


@dataclass(frozen=True)
class TokenSpec:
    """A token to initialise and fill."""

    label: str
    keys: tuple[KeySpec, ...]
    user_pin: str = "123456"
    so_pin: str = "12345678"


@dataclass(frozen=True)
class TokenKey:
    """A key made on a token, with the certificate stored next to it."""

    token_label: str
    label: str
    key_id: bytes
    certificate: x509.Certificate


@dataclass(frozen=True)
class SoftHsmEnv:
    """A private SoftHSM2 configuration and token directory."""

    directory: Path
    conf: Path
    tokens_dir: Path
    keys: dict[str, list[TokenKey]] = field(default_factory=dict)


def create_softhsm_env(directory: Path) -> SoftHsmEnv:
    """Write a SoftHSM2 config whose token directory lives in ``directory``."""
    tokens_dir = directory / "tokens"
    tokens_dir.mkdir(parents=True, exist_ok=True)
    conf = directory / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {tokens_dir}\n"
        "objectstore.backend = file\n"
        "log.level = ERROR\n"
        "slots.removable = false\n"
    )
    return SoftHsmEnv(directory=directory, conf=conf, tokens_dir=tokens_dir)


def activate(env: SoftHsmEnv) -> str | None:
    """Point this process at ``env``; returns the previous ``SOFTHSM2_CONF``."""
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(env.conf)
    return previous


def module_copy(env: SoftHsmEnv, name: str) -> str:
    """Copy the SoftHSM2 module to ``<env>/<name>.so`` and return the path."""
    target = env.directory / f"{name}.so"
    if not target.exists():
        shutil.copyfile(SOFTHSM_MODULE, target)
    return str(target)


def init_token(env: SoftHsmEnv, spec: TokenSpec) -> None:
    """Initialise an empty token in the next free slot."""
    subprocess.run(
        [
            SOFTHSM_UTIL,
            "--init-token",
            "--free",
            "--label",
            spec.label,
            "--pin",
            spec.user_pin,
            "--so-pin",
            spec.so_pin,
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "SOFTHSM2_CONF": str(env.conf)},
    )


def build_tokens(
    env: SoftHsmEnv, specs: Iterable[TokenSpec], pki: TestPki
) -> dict[str, list[TokenKey]]:
    """Initialise and fill each token; ``env`` must be :func:`activate`-d."""
    for spec in specs:
        init_token(env, spec)
    lib = pkcs11.lib(module_copy(env, "setup"))
    try:
        for spec in specs:
            env.keys[spec.label] = _fill_token(lib, spec, pki)
    finally:
        lib.finalize()
    return env.keys


def _fill_token(lib: Pkcs11Lib, spec: TokenSpec, pki: TestPki) -> list[TokenKey]:
    token = lib.get_token(token_label=spec.label)
    made: list[TokenKey] = []
    with token.open(rw=True, user_pin=spec.user_pin) as session:
        for key_spec in spec.keys:
            public = _generate(session, key_spec)
            cert = issue_end_entity(pki, public, f"{spec.label} {key_spec.label}")
            _store_cert(session, cert, key_spec.key_id, key_spec.label)
            made.append(TokenKey(spec.label, key_spec.label, key_spec.key_id, cert))
        _store_cert(session, pki.issuing, b"ca-issuing", "Issuing CA")
        _store_cert(session, pki.root, b"ca-root", "Root CA")
    return made


def _generate(session: pkcs11.Session, spec: KeySpec) -> CertificatePublicKeyTypes:
    if spec.algorithm == "rsa":
        public, _ = session.generate_keypair(
            KeyType.RSA, spec.size, id=spec.key_id, label=spec.label, store=True
        )
        numbers = rsa.RSAPublicNumbers(
            int.from_bytes(public[Attribute.PUBLIC_EXPONENT], "big"),
            int.from_bytes(public[Attribute.MODULUS], "big"),
        )
        return numbers.public_key()
    params = session.create_domain_parameters(
        KeyType.EC,
        {Attribute.EC_PARAMS: encode_named_curve_parameters(spec.curve)},
        local=True,
    )
    public, _ = params.generate_keypair(id=spec.key_id, label=spec.label, store=True)
    loaded = serialization.load_der_public_key(encode_ec_public_key(public))
    assert isinstance(loaded, ec.EllipticCurvePublicKey)
    return loaded


def _store_cert(
    session: pkcs11.Session, cert: x509.Certificate, cka_id: bytes, label: str
) -> None:
    session.create_object(
        {
            Attribute.CLASS: ObjectClass.CERTIFICATE,
            Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.TOKEN: True,
            Attribute.PRIVATE: False,
            Attribute.ID: cka_id,
            Attribute.LABEL: label,
            Attribute.SUBJECT: cert.subject.public_bytes(),
            Attribute.ISSUER: cert.issuer.public_bytes(),
            Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
        }
    )


class FixedPinHandler:
    """A :class:`hsm.pin.PinHandler` that answers with a fixed PIN and keeps
    every request it received, so tests can check the warnings shown."""

    def __init__(self, pin: str) -> None:
        self.pin = pin
        self.requests: list[PinRequest] = []

    def request_pin(self, request: PinRequest) -> str:
        self.requests.append(request)
        return self.pin
