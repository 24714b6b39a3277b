"""``sealdesk verify`` on the demo desk: the seal behind a signature and the
document's evidence, before and after anchoring on a real anvil node."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from app.demo.workspace import build_demo_workspace
from app.workspace import GivenPassphrase
from hsm.provision import SOFTHSM_MODULE
from tests.stamping.documents import simple_pdf
from tests.support.anvil import running_anvil
from tests.support.cli import Result, sealdesk

pytestmark = pytest.mark.hsm

Run = Callable[..., Result]


@pytest.fixture
def run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Run:
    """The CLI on a fresh demo workspace."""
    monkeypatch.delenv("SOFTHSM2_CONF", raising=False)
    root = tmp_path / "demo"
    build_demo_workspace(root, "keyring", GivenPassphrase(None))
    module = tmp_path / "softhsm-copy.so"
    shutil.copyfile(SOFTHSM_MODULE, module)
    monkeypatch.setenv("SEALDESK_PKCS11_MODULES", str(module))

    def call(*args: str, stdin: str = "") -> Result:
        return sealdesk(
            capsys, monkeypatch, "--workspace", str(root), *args, stdin=stdin
        )

    return call


def _stamp(run: Run, tmp_path: Path, seal: str = "合同专用章") -> Path:
    doc = simple_pdf(tmp_path / "合同.pdf", count=1)
    out = tmp_path / "合同-盖章.pdf"
    done = run(
        "stamp", str(doc), "-o", str(out), "--seal", seal, "--category", "合同",
        "--page", "1", "--x", "150", "--y", "200", "--yes", "--as", "张经办",
        "--password-stdin", stdin="demo-officer-2026\n",
    )  # fmt: skip
    assert done.code == 0, done.err
    return out


def _verify_json(run: Run, path: Path, *extra: str) -> dict[str, object]:
    done = run("verify", str(path), "--json", "--offline", *extra)
    assert done.code in (0, 2), done.err
    report = json.loads(done.out)
    assert isinstance(report, dict)
    return report


def test_seal_name_type_and_evidence_not_yet_anchored(run: Run, tmp_path: Path) -> None:
    stamped = _stamp(run, tmp_path)

    report = _verify_json(run, stamped)

    (sig,) = report["signatures"]  # type: ignore[misc]
    assert sig["seal"]["name"] == "合同专用章"
    assert sig["seal"]["type"] == "contract"
    assert sig["seal"]["type_zh"] == "合同专用章"
    assert sig["seal"]["type_en"] == "contract seal"
    assert len(sig["signer"]["cert_sha256"]) == 64
    assert sig["trust"] == "trusted"  # keys of before stay as they were
    evidence = report["evidence"]
    assert isinstance(evidence, dict)
    assert evidence["recorded"] is True
    assert evidence["anchored"] is False
    assert evidence["state"] == "waiting"
    assert evidence["block_number"] is None
    assert "尚未上链" in evidence["note"]["zh"]


def test_text_and_report_pdf_name_the_seal_and_the_evidence(
    run: Run, tmp_path: Path
) -> None:
    stamped = _stamp(run, tmp_path)
    out = tmp_path / "报告.pdf"

    done = run(
        "--lang", "zh", "verify", str(stamped), "--offline", "--report", str(out)
    )

    assert done.code in (0, 2), done.err
    assert "合同专用章（合同专用章）" in done.out
    assert "尚未上链" in done.out
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert "合同专用章" in text
    assert "contract seal" in text
    assert "尚未上链" in text
    assert "Evidence on the chain" in text


def test_a_document_the_desk_did_not_stamp_has_no_evidence(
    run: Run, tmp_path: Path
) -> None:
    plain = simple_pdf(tmp_path / "unsigned.pdf", count=1)

    report = _verify_json(run, plain)

    assert report["evidence"] is None
    assert report["signatures"] == []


def test_without_the_workspace_nothing_is_added(run: Run, tmp_path: Path) -> None:
    stamped = _stamp(run, tmp_path)

    report = _verify_json(run, stamped, "--no-workspace")

    assert report["evidence"] is None
    (sig,) = report["signatures"]  # type: ignore[misc]
    assert sig["seal"] is None


@pytest.mark.chain
def test_anchored_evidence_shows_block_and_confirmations(
    run: Run, tmp_path: Path
) -> None:
    stamped = _stamp(run, tmp_path)
    with running_anvil(tmp_path / "anvil") as node:
        assert run("config", "set", "chain.rpc_url", node.url).code == 0
        synced = run("sync", "--until-idle", "--flush", "--timeout", "60")
        assert synced.code == 0, synced.err
        status = json.loads(run("evidence", "status", "--json").out)

        stored = _verify_json(run, stamped)
        checked = _verify_json(run, stamped, "--chain")
        text = run("--lang", "en", "verify", str(stamped), "--offline", "--chain")

    evidence = stored["evidence"]
    assert isinstance(evidence, dict)
    assert evidence["anchored"] is True
    assert evidence["state"] in ("mined", "confirmed")
    assert evidence["block_number"] == status["last_anchor_block"]
    assert evidence["tx_hash"] == status["last_anchor_tx"]
    assert evidence["confirmations"] >= 1
    assert len(evidence["batch_root"]) == 64
    assert evidence["anchored_at"]
    assert evidence["chain_check"] is None  # the node is asked only with --chain

    chain = checked["evidence"]["chain_check"]  # type: ignore[index]
    assert chain["outcome"] == "valid", chain
    assert chain["block_number"] == status["last_anchor_block"]
    assert chain["confirmations"] >= 1
    assert "Chain check" in text.out
    assert "Block" in text.out


def test_chain_check_of_unanchored_evidence_cannot_verify(
    run: Run, tmp_path: Path
) -> None:
    stamped = _stamp(run, tmp_path)

    report = _verify_json(run, stamped, "--chain")

    chain = report["evidence"]["chain_check"]  # type: ignore[index]
    assert chain["outcome"] == "cannot_verify"
    assert "not yet anchored" in chain["reason"]["en"]
    assert report["evidence"]["anchored"] is False  # type: ignore[index]
