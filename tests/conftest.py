"""Test-wide set-up: offscreen Qt, English messages, a private Secret Service."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["SEALDESK_LANG"] = "en"
os.environ.pop("SEALDESK_HOME", None)
os.environ.pop("SEALDESK_PKCS11_MODULES", None)

from tests.support.secret_service import start_secret_service

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session", autouse=True)
def secret_service(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, str]]:
    """Every test runs against a keyring of its own, never the person's."""
    service = start_secret_service(tmp_path_factory.mktemp("secret-service"))
    saved = dict(os.environ)
    os.environ.update(service.env)
    yield service.env
    os.environ.clear()
    os.environ.update(saved)
    service.stop()


@pytest.fixture
def no_keyring_env(tmp_path: Path) -> dict[str, str]:
    """Environment of a desk where no keyring daemon runs."""
    env = dict(os.environ)
    for name in (
        "DBUS_SESSION_BUS_ADDRESS",
        "GNOME_KEYRING_CONTROL",
        "PYTHON_KEYRING_BACKEND",
    ):
        env.pop(name, None)
    env["XDG_RUNTIME_DIR"] = str(tmp_path / "no-run")
    env["XDG_CONFIG_HOME"] = str(tmp_path / "no-config")
    return env
