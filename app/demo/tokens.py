"""SoftHSM2 tokens for the demo workspace, filled from the demo PKI.

The demo has an organisation HSM partition holding the seal keys, and one USB
key per person who logs in by token. The tokens live in ``demo-tokens/``
inside the workspace, with their own ``softhsm2.conf``; the workspace setting
``pkcs11.softhsm2_conf`` points SealDesk at it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509

from app.demo.pki import DemoPki
from hsm.provision import (
    KeySpec,
    SoftHsmStore,
    generate_key_pair,
    open_for_setup,
    store_certificate,
)

__all__ = ["DemoKey", "DemoToken", "MadeKey", "build_demo_tokens"]

SO_PIN = "87654321"


@dataclass(frozen=True)
class DemoKey:
    label: str
    key_id: bytes
    common_name: str
    unit: str | None = None
    algorithm: str = "rsa"


@dataclass(frozen=True)
class DemoToken:
    label: str
    user_pin: str
    keys: tuple[DemoKey, ...]


@dataclass(frozen=True)
class MadeKey:
    token_label: str
    label: str
    key_id: bytes
    certificate: x509.Certificate


def build_demo_tokens(
    folder: Path, tokens: tuple[DemoToken, ...], pki: DemoPki
) -> tuple[SoftHsmStore, dict[str, MadeKey], dict[str, str]]:
    """Create each token, generate its keys, store certificates and the chain."""
    store = SoftHsmStore(folder).create()
    module = store.module_copy("setup")
    made: dict[str, MadeKey] = {}
    serials: dict[str, str] = {}
    for token in tokens:
        store.init_token(token.label, token.user_pin, SO_PIN)
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(store.conf)
    try:
        for token in tokens:
            with open_for_setup(module, token.label, token.user_pin) as session:
                serial = session.token.serial.decode("ascii", "replace").strip()
                serials[token.label] = serial
                for key in token.keys:
                    public = generate_key_pair(
                        session, KeySpec(key.label, key.key_id, key.algorithm)
                    )
                    cert = pki.issue(public, key.common_name, key.unit)
                    store_certificate(session, cert, key.key_id, key.label)
                    made[key.label] = MadeKey(token.label, key.label, key.key_id, cert)
                store_certificate(session, pki.org_ca, b"ca-org", "Organisation CA")
                store_certificate(session, pki.root, b"ca-root", "Root CA")
    finally:
        if previous is None:
            os.environ.pop("SOFTHSM2_CONF", None)
        else:
            os.environ["SOFTHSM2_CONF"] = previous
    (folder / "setup.so").unlink(missing_ok=True)
    return store, made, serials
