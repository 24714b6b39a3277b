"""The demo desk end to end: stamp, anchor on a real anvil node, verify."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app.demo.workspace import build_demo_workspace
from app.workspace import GivenPassphrase
from hsm.provision import SOFTHSM_MODULE
from tests.stamping.documents import simple_pdf
from tests.support.anvil import running_anvil
from tests.support.cli import OFFICER_PASSWORD, officer_stamp, sealdesk

pytestmark = [pytest.mark.hsm, pytest.mark.chain]


def test_stamp_anchor_and_verify_on_the_demo_desk(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SOFTHSM2_CONF", raising=False)
    root = tmp_path / "demo"
    build_demo_workspace(root, "keyring", GivenPassphrase(None))
    module = tmp_path / "softhsm-copy.so"
    shutil.copyfile(SOFTHSM_MODULE, module)
    monkeypatch.setenv("SEALDESK_PKCS11_MODULES", str(module))

    def run(*args: str, stdin: str = "", codes: tuple[int, ...] = (0,)) -> str:
        result = sealdesk(
            capsys, monkeypatch, "--workspace", str(root), *args, stdin=stdin
        )
        assert result.code in codes, result.err
        return result.out

    doc = simple_pdf(tmp_path / "合同.pdf", count=1)
    out = tmp_path / "合同-盖章.pdf"
    with running_anvil(tmp_path / "anvil") as node:
        run("config", "set", "chain.rpc_url", node.url)
        run(
            *officer_stamp([doc], out, 150, 200),
            stdin=OFFICER_PASSWORD,
        )
        run("sync", "--until-idle", "--flush", "--timeout", "60")
        status = json.loads(run("evidence", "status", "--json"))
        assert status["pending"] == 0, status
        assert status["confirmed"] + status["anchored"] >= 1, status
        run("log", "verify", "--against-chain")

    # Offline, the demo CAs' CRL files answer for revocation.
    verdict = json.loads(run("verify", str(out), "--json", "--offline"))
    assert verdict["verdict"] == "valid", verdict
    assert verdict["signatures"][0]["revocation"] == "good (CRL file)"
    assert verdict["signatures"][0]["trust"].startswith("trusted"), verdict
    assert len(verdict["signatures"]) == 1
    assert verdict["signatures"][0]["intact"] is True
