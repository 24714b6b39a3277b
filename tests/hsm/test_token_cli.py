"""`sealdesk token list` and `token keys` against SoftHSM2 tokens."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from app.cli.token import MODULES_ENV, token_group
from hsm.errors import NoModuleConfiguredError, PinIncorrectError
from tests.hsm.conftest import PIN

pytestmark = pytest.mark.hsm


def test_list_json_with_module_option(module_path: str) -> None:
    result = CliRunner().invoke(
        token_group, ["--module", module_path, "list", "--json"]
    )

    assert result.exit_code == 0, result.output
    tokens = json.loads(result.output)
    assert {t["label"] for t in tokens} == {"SEAL-RSA", "SEAL-EC", "SEAL-FAULT"}
    assert all(t["manufacturer"] == "SoftHSM project" for t in tokens)
    assert all(t["module"] == module_path for t in tokens)


def test_list_table_from_environment(module_path: str, second_module_path: str) -> None:
    env = {MODULES_ENV: os.pathsep.join([module_path, second_module_path])}
    result = CliRunner().invoke(token_group, ["list"], env=env)

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:4] == ["LABEL", "SERIAL", "MANUFACTURER", "MODEL"]
    assert sum("SEAL-EC" in line for line in lines) == 2  # seen by both modules


def test_keys_with_pin_on_stdin(module_path: str) -> None:
    result = CliRunner().invoke(
        token_group,
        [
            "keys",
            "--module",
            module_path,
            "--token",
            "SEAL-EC",
            "--pin-stdin",
            "--json",
        ],
        input=PIN + "\n",
    )

    assert result.exit_code == 0, result.output
    keys = json.loads(result.output)
    assert sorted(k["label"] for k in keys) == ["p256", "p384"]
    assert {k["chain_length"] for k in keys} == {2}
    assert all("CN=SEAL-EC" in k["subject"] for k in keys)


def test_keys_table(module_path: str) -> None:
    result = CliRunner().invoke(
        token_group,
        ["--module", module_path, "keys", "--token", "SEAL-RSA", "--pin-stdin"],
        input=PIN + "\n",
    )

    assert result.exit_code == 0, result.output
    assert "RSA-4096" in result.output
    assert PIN not in result.output


def test_wrong_pin_propagates_domain_error(module_path: str) -> None:
    result = CliRunner().invoke(
        token_group,
        ["keys", "--module", module_path, "--token", "SEAL-RSA", "--pin-stdin"],
        input="000000\n",
    )
    assert isinstance(result.exception, PinIncorrectError)
    # leave SoftHSM's retry counter clean for other tests
    reset = CliRunner().invoke(
        token_group,
        ["keys", "--module", module_path, "--token", "SEAL-RSA", "--pin-stdin"],
        input=PIN + "\n",
    )
    assert reset.exit_code == 0, reset.output


class _Settings:
    def __init__(self, value: str | None) -> None:
        self.value = value

    def setting(self, key: str) -> str | None:
        assert key == "pkcs11.modules"
        return self.value


def test_configured_modules_and_none_configured(
    module_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(MODULES_ENV, raising=False)
    runner = CliRunner()

    configured = runner.invoke(
        token_group, ["list", "--json"], obj=_Settings(module_path)
    )
    missing = runner.invoke(token_group, ["list"], obj=_Settings(None))

    assert configured.exit_code == 0, configured.output
    assert len(json.loads(configured.output)) == 3
    assert isinstance(missing.exception, NoModuleConfiguredError)
