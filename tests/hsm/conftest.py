"""SoftHSM2 tokens for token-layer tests, built once per test session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hsm.manager import TokenManager
from tests.support.pki import TestPki, make_pki
from tests.support.softhsm import (
    FixedPinHandler,
    KeySpec,
    SoftHsmEnv,
    TokenSpec,
    module_copy,
    softhsm_tokens,
)

PIN = "123456"

TOKENS = (
    TokenSpec(
        "SEAL-RSA",
        (
            KeySpec("rsa2048", b"\x01", "rsa", size=2048),
            KeySpec("rsa3072", b"\x02", "rsa", size=3072),
            KeySpec("rsa4096", b"\x03", "rsa", size=4096),
        ),
        user_pin=PIN,
    ),
    TokenSpec(
        "SEAL-EC",
        (
            KeySpec("p256", b"\x11", "ec", curve="secp256r1"),
            KeySpec("p384", b"\x12", "ec", curve="secp384r1"),
        ),
        user_pin=PIN,
    ),
    TokenSpec("SEAL-FAULT", (KeySpec("p256", b"\x21", "ec"),), user_pin=PIN),
)


@pytest.fixture(scope="session")
def hsm_pki() -> TestPki:
    """The CA hierarchy that issued every token certificate."""
    return make_pki()


@pytest.fixture(scope="session")
def softhsm(
    tmp_path_factory: pytest.TempPathFactory, hsm_pki: TestPki
) -> Iterator[SoftHsmEnv]:
    """Three filled SoftHSM2 tokens; SOFTHSM2_CONF points at them meanwhile."""
    with softhsm_tokens(tmp_path_factory.mktemp("softhsm"), TOKENS, hsm_pki) as env:
        yield env


@pytest.fixture
def module_path(softhsm: SoftHsmEnv) -> str:
    """A copy of the SoftHSM2 module (loaded as its own module)."""
    return module_copy(softhsm, "module-a")


@pytest.fixture
def second_module_path(softhsm: SoftHsmEnv) -> str:
    """Another copy, so two modules can be loaded at once."""
    return module_copy(softhsm, "module-b")


@pytest.fixture
def manager(module_path: str) -> Iterator[TokenManager]:
    """A token manager on one module, without background slot polling."""
    with TokenManager([module_path], poll_interval=None) as m:
        yield m


@pytest.fixture
def pin_handler() -> FixedPinHandler:
    """Answers every PIN request with the right PIN."""
    return FixedPinHandler(PIN)
