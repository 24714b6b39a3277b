"""SoftHSM2 tokens for tests: a private token directory, keys made on the token.

Plain functions, usable from pytest fixtures or scripts (the benchmark):

* :func:`create_softhsm_env` writes a ``softhsm2.conf`` and token directory
  under a temporary folder; :func:`activate` points ``SOFTHSM2_CONF`` at it.
  SoftHSM reads that variable when a process initialises the library, so
  activate before loading.
* :func:`build_tokens` initialises tokens with ``softhsm2-util``, generates key
  pairs on them, and stores a certificate from :mod:`tests.support.pki` for
  each key plus the CA chain (all through :mod:`hsm.provision`).
* :func:`module_copy` copies ``libsofthsm2.so`` to a new path. Each copy loads
  as an independent module (own globals), which is how tests get "two modules
  at once" from one SoftHSM installation.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509

from hsm.pin import PinRequest
from hsm.provision import (
    SOFTHSM_MODULE,
    KeySpec,
    SoftHsmStore,
    generate_key_pair,
    open_for_setup,
    store_certificate,
)
from tests.support.pki import TestPki, issue_end_entity

__all__ = [
    "SOFTHSM_MODULE",
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
    "softhsm_tokens",
]


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

    store: SoftHsmStore
    keys: dict[str, list[TokenKey]] = field(default_factory=dict)

    @property
    def directory(self) -> Path:
        return self.store.directory

    @property
    def conf(self) -> Path:
        return self.store.conf

    @property
    def tokens_dir(self) -> Path:
        return self.store.tokens_dir


def create_softhsm_env(directory: Path) -> SoftHsmEnv:
    """Write a SoftHSM2 config whose token directory lives in ``directory``."""
    return SoftHsmEnv(SoftHsmStore(directory).create())


def activate(env: SoftHsmEnv) -> str | None:
    """Point this process at ``env``; returns the previous ``SOFTHSM2_CONF``."""
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(env.conf)
    return previous


def module_copy(env: SoftHsmEnv, name: str) -> str:
    """Copy the SoftHSM2 module to ``<env>/<name>.so`` and return the path."""
    return env.store.module_copy(name)


def init_token(env: SoftHsmEnv, spec: TokenSpec) -> None:
    """Initialise an empty token in the next free slot."""
    env.store.init_token(spec.label, spec.user_pin, spec.so_pin)


def build_tokens(
    env: SoftHsmEnv, specs: Iterable[TokenSpec], pki: TestPki
) -> dict[str, list[TokenKey]]:
    """Initialise and fill each token; ``env`` must be :func:`activate`-d."""
    specs = list(specs)
    for spec in specs:
        init_token(env, spec)
    module = module_copy(env, "setup")
    for spec in specs:
        env.keys[spec.label] = _fill_token(module, spec, pki)
    return env.keys


@contextmanager
def softhsm_tokens(
    directory: Path, specs: Iterable[TokenSpec], pki: TestPki
) -> Iterator[SoftHsmEnv]:
    """Filled tokens in ``directory``; ``SOFTHSM2_CONF`` points at them meanwhile."""
    env = create_softhsm_env(directory)
    previous = activate(env)
    try:
        build_tokens(env, specs, pki)
        yield env
    finally:
        if previous is None:
            os.environ.pop("SOFTHSM2_CONF", None)
        else:
            os.environ["SOFTHSM2_CONF"] = previous


def _fill_token(module: str, spec: TokenSpec, pki: TestPki) -> list[TokenKey]:
    made: list[TokenKey] = []
    with open_for_setup(module, spec.label, spec.user_pin) as session:
        for key_spec in spec.keys:
            public = generate_key_pair(session, key_spec)
            cert = issue_end_entity(pki, public, f"{spec.label} {key_spec.label}")
            store_certificate(session, cert, key_spec.key_id, key_spec.label)
            made.append(TokenKey(spec.label, key_spec.label, key_spec.key_id, cert))
        store_certificate(session, pki.issuing, b"ca-issuing", "Issuing CA")
        store_certificate(session, pki.root, b"ca-root", "Root CA")
    return made


class FixedPinHandler:
    """A :class:`hsm.pin.PinHandler` that answers with a fixed PIN and keeps
    every request it received, so tests can check the warnings shown."""

    def __init__(self, pin: str) -> None:
        self.pin = pin
        self.requests: list[PinRequest] = []

    def request_pin(self, request: PinRequest) -> str:
        self.requests.append(request)
        return self.pin
