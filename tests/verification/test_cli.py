"""``sealdesk verify``: exit codes, text and JSON output, trust roots."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.stamping.documents import simple_pdf
from tests.stamping.pki import TestPki
from tests.support.cli import sealdesk
from tests.verification import tamper
from tests.verification.stamped import stamp_file


@pytest.fixture
def signed(tmp_path: Path, pki: TestPki, seal: bytes) -> Path:
    return stamp_file(pki, seal, simple_pdf(tmp_path / "in.pdf"), tmp_path / "s.pdf")


def _verify(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    *args: str,
) -> tuple[int, str, str]:
    workspace = str(tmp_path / "no-workspace")
    done = sealdesk(
        capsys, monkeypatch, "--workspace", workspace, "--lang", "en", "verify", *args
    )
    return done.code, done.out, done.err


def test_valid_seal_exits_0_and_names_the_signer(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    pki: TestPki,
    signed: Path,
) -> None:
    code, out, _ = _verify(
        capsys, monkeypatch, tmp_path, str(signed), "--trust", str(pki.root_pem)
    )

    assert code == 0
    assert "valid" in out
    assert "测试办公室公章" in out
    assert "whole file" in out


def test_json_report(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    pki: TestPki,
    signed: Path,
) -> None:
    code, out, _ = _verify(
        capsys,
        monkeypatch,
        tmp_path,
        str(signed),
        "--json",
        "--trust",
        str(pki.root_pem),
    )

    report = json.loads(out)
    assert code == 0
    assert report["verdict"] == "valid"
    assert report["signatures"][0]["trust"] == "trusted"


def test_untrusted_exits_2(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    signed: Path,
) -> None:
    code, out, _ = _verify(capsys, monkeypatch, tmp_path, str(signed))

    assert code == 2
    assert "indeterminate" in out


def test_modified_after_sealing_exits_1(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    pki: TestPki,
    signed: Path,
) -> None:
    tampered = tamper.add_annotation(signed, tmp_path / "t.pdf")

    code, out, _ = _verify(
        capsys, monkeypatch, tmp_path, str(tampered), "--trust", str(pki.root_pem)
    )

    assert code == 1
    assert "modified after sealing" in out


def test_unreadable_file_and_bad_trust_root_exit_2(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    signed: Path,
) -> None:
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"not a pdf at all")
    not_a_cert = tmp_path / "root.pem"
    not_a_cert.write_text("hello")

    code, out, _ = _verify(capsys, monkeypatch, tmp_path, str(garbage))
    assert code == 2
    assert "cannot verify" in out

    code, _, err = _verify(
        capsys, monkeypatch, tmp_path, str(signed), "--trust", str(not_a_cert)
    )
    assert code == 2
    assert "root.pem" in err
