"""Putting keys and certificates on a token: key generation and storage.

Used to set up tokens for a workspace (the demo workspace, a new seal on an
HSM partition) and by the tests. It opens the module with its own
``pkcs11.lib`` for the duration of the work, outside the per-module worker
threads, so it must run before a :class:`hsm.manager.TokenManager` loads the
same module path in this process.

SoftHSM2 tokens are created with ``softhsm2-util`` in a private token folder
(:class:`SoftHsmStore`); real USB keys and HSMs come initialised by their
vendor's tools.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pkcs11
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes
from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass
from pkcs11.util.ec import encode_ec_public_key, encode_named_curve_parameters

from hsm.errors import ModuleLoadError, from_pkcs11

__all__ = [
    "SOFTHSM_MODULE",
    "KeySpec",
    "SoftHsmStore",
    "generate_key_pair",
    "open_for_setup",
    "store_certificate",
]

log = logging.getLogger(__name__)

SOFTHSM_UTIL = "softhsm2-util"
SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so"


@dataclass(frozen=True)
class KeySpec:
    """A key pair to generate: ``algorithm`` is "rsa" (``size``) or "ec"."""

    label: str
    key_id: bytes
    algorithm: str = "rsa"
    size: int = 2048
    curve: str = "secp256r1"


@dataclass(frozen=True)
class SoftHsmStore:
    """A private SoftHSM2 configuration and token folder."""

    directory: Path

    @property
    def conf(self) -> Path:
        return self.directory / "softhsm2.conf"

    @property
    def tokens_dir(self) -> Path:
        return self.directory / "tokens"

    def create(self) -> SoftHsmStore:
        self.tokens_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.conf.write_text(
            f"directories.tokendir = {self.tokens_dir}\n"
            "objectstore.backend = file\n"
            "log.level = ERROR\n"
            "slots.removable = false\n"
        )
        return self

    def module_copy(self, name: str) -> str:
        """A copy of the SoftHSM2 module that loads as a module of its own."""
        target = self.directory / f"{name}.so"
        if not target.exists():
            shutil.copyfile(SOFTHSM_MODULE, target)
        return str(target)

    def init_token(self, label: str, user_pin: str, so_pin: str) -> None:
        """Initialise an empty token in the next free slot."""
        done = subprocess.run(
            [
                SOFTHSM_UTIL,
                "--init-token",
                "--free",
                "--label",
                label,
                "--pin",
                user_pin,
                "--so-pin",
                so_pin,
            ],
            check=False,
            capture_output=True,
            text=True,
            env={**os.environ, "SOFTHSM2_CONF": str(self.conf)},
        )
        if done.returncode != 0:
            raise ModuleLoadError(SOFTHSM_UTIL, done.stderr.strip() or "failed")
        log.info("Initialised SoftHSM2 token %s", label)


@contextmanager
def open_for_setup(
    module_path: str, token_label: str, user_pin: str
) -> Iterator[pkcs11.Session]:
    """A read-write user session on one token, for setting it up."""
    try:
        lib = pkcs11.lib(module_path)
    except (OSError, RuntimeError) as exc:
        raise ModuleLoadError(module_path, str(exc)) from exc
    try:
        token = lib.get_token(token_label=token_label)
        with token.open(rw=True, user_pin=user_pin) as session:
            yield session
    except pkcs11.PKCS11Error as exc:
        raise from_pkcs11(exc, token_label) from exc
    finally:
        lib.finalize()


def generate_key_pair(
    session: pkcs11.Session, spec: KeySpec
) -> CertificatePublicKeyTypes:
    """Make a key pair on the token; return its public key."""
    if spec.algorithm == "rsa":
        public, _ = session.generate_keypair(
            KeyType.RSA, spec.size, id=spec.key_id, label=spec.label, store=True
        )
        return rsa.RSAPublicNumbers(
            int.from_bytes(public[Attribute.PUBLIC_EXPONENT], "big"),
            int.from_bytes(public[Attribute.MODULUS], "big"),
        ).public_key()
    params = session.create_domain_parameters(
        KeyType.EC,
        {Attribute.EC_PARAMS: encode_named_curve_parameters(spec.curve)},
        local=True,
    )
    public, _ = params.generate_keypair(id=spec.key_id, label=spec.label, store=True)
    loaded = serialization.load_der_public_key(encode_ec_public_key(public))
    assert isinstance(loaded, ec.EllipticCurvePublicKey)
    return loaded


def store_certificate(
    session: pkcs11.Session, cert: x509.Certificate, key_id: bytes, label: str
) -> None:
    """Store ``cert`` as a public certificate object beside its key."""
    session.create_object(
        {
            Attribute.CLASS: ObjectClass.CERTIFICATE,
            Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.TOKEN: True,
            Attribute.PRIVATE: False,
            Attribute.ID: key_id,
            Attribute.LABEL: label,
            Attribute.SUBJECT: cert.subject.public_bytes(),
            Attribute.ISSUER: cert.issuer.public_bytes(),
            Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
        }
    )
