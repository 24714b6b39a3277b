"""Verifying stamped documents: trust, revocation, time, later seals."""

from __future__ import annotations

import json
from pathlib import Path

from app.stamping import Level
from app.verification import (
    ChangeKind,
    Coverage,
    Revocation,
    TimeSource,
    Trust,
    Verdict,
    verify_pdf,
)
from tests.stamping.documents import simple_pdf
from tests.stamping.pki import TestPki
from tests.verification.stamped import stamp_file


def _stamped(tmp_path: Path, pki: TestPki, seal: bytes, **kw: object) -> Path:
    source = simple_pdf(tmp_path / "in.pdf")
    return stamp_file(pki, seal, source, tmp_path / "out.pdf", **kw)  # type: ignore[arg-type]


def test_fresh_seal_with_trusted_root_is_valid(
    tmp_path: Path, pki: TestPki, seal: bytes
) -> None:
    report = verify_pdf(_stamped(tmp_path, pki, seal), [pki.root])

    assert report.verdict is Verdict.VALID
    (sig,) = report.signatures
    assert sig.verdict is Verdict.VALID, sig.reasons
    assert sig.field == "Seal1"
    assert sig.signer is not None
    assert sig.signer.name == "测试办公室公章"
    assert sig.signer.organisation == "SealDesk Test Office"
    assert int(sig.signer.serial, 16) == pki.cert("seal").serial_number
    assert "SealDesk Test Organisation CA" in sig.signer.issuer
    assert sig.signing_time.source is TimeSource.LOCAL_CLOCK
    assert sig.coverage is Coverage.WHOLE_FILE
    assert sig.intact
    assert not sig.modified_after_sealing
    assert sig.changes == ()
    assert sig.trust is Trust.TRUSTED
    assert sig.revocation is Revocation.GOOD_ONLINE
    assert report.exit_code == 0


def test_untrusted_root_is_indeterminate(
    tmp_path: Path, pki: TestPki, seal: bytes
) -> None:
    report = verify_pdf(_stamped(tmp_path, pki, seal), [])

    assert report.verdict is Verdict.INDETERMINATE
    (sig,) = report.signatures
    assert sig.intact
    assert sig.trust is Trust.UNTRUSTED
    assert report.exit_code == 2


def test_unknown_revocation_is_indeterminate(
    tmp_path: Path, pki: TestPki, seal: bytes
) -> None:
    report = verify_pdf(_stamped(tmp_path, pki, seal), [pki.root], online=False)

    (sig,) = report.signatures
    assert sig.trust is Trust.TRUSTED
    assert sig.revocation is Revocation.NOT_CHECKED
    assert report.verdict is Verdict.INDETERMINATE


def test_b_lt_seal_is_valid_offline_from_embedded_data(
    tmp_path: Path, pki: TestPki, seal: bytes
) -> None:
    signed = _stamped(tmp_path, pki, seal, level=Level.B_LT)

    report = verify_pdf(signed, [pki.root], online=False)

    (sig,) = report.signatures
    assert sig.revocation is Revocation.GOOD_EMBEDDED
    assert sig.signing_time.source is TimeSource.TIMESTAMP_AUTHORITY
    assert report.verdict is Verdict.VALID, sig.reasons


def test_a_later_seal_keeps_the_first_valid(
    tmp_path: Path, pki: TestPki, seal: bytes
) -> None:
    once = _stamped(tmp_path, pki, seal)
    twice = stamp_file(pki, seal, once, tmp_path / "twice.pdf", x_mm=120.0)

    report = verify_pdf(twice, [pki.root])

    first, second = report.signatures
    assert first.verdict is Verdict.VALID, first.reasons
    assert first.coverage is Coverage.REVISION
    assert (first.revision, first.revisions) == (2, 3)
    assert [c.kind for c in first.changes] == [ChangeKind.LATER_SIGNATURE]
    assert not first.modified_after_sealing
    assert second.coverage is Coverage.WHOLE_FILE
    assert report.verdict is Verdict.VALID


def test_json_holds_the_same_report(tmp_path: Path, pki: TestPki, seal: bytes) -> None:
    report = verify_pdf(_stamped(tmp_path, pki, seal), [pki.root])

    loaded = json.loads(report.to_json())

    assert loaded["verdict"] == "valid"
    assert loaded["sha256"] == report.sha256
    sig = loaded["signatures"][0]
    assert sig["signer"]["name"] == "测试办公室公章"
    assert sig["coverage"] == "whole file"
    assert sig["signing_time"]["source"] == "local clock"


def test_unsigned_file_is_not_valid(tmp_path: Path) -> None:
    report = verify_pdf(simple_pdf(tmp_path / "plain.pdf"))

    assert report.verdict is Verdict.INDETERMINATE
    assert report.signatures == ()
    assert report.exit_code == 2


def test_garbage_and_missing_files_cannot_be_verified(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.7\n this is not a document")

    for path in (garbage, tmp_path / "missing.pdf"):
        report = verify_pdf(path)
        assert report.verdict is Verdict.CANNOT_VERIFY
        assert report.reasons
