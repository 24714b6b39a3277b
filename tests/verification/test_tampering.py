"""Tampered documents are never reported valid; changes are named."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app.verification import ChangeKind, Verdict, verify_pdf
from tests.stamping.documents import simple_pdf
from tests.stamping.pki import TestPki
from tests.verification import tamper
from tests.verification.stamped import stamp_file

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
ANOMALIES = sorted((CORPUS / "pyhanko" / "coverage-anomalies").glob("*.pdf"))

Tamperer = Callable[[Path, Path], Path]


@pytest.mark.parametrize(
    ("tamperer", "kind"),
    [
        (tamper.add_annotation, ChangeKind.ANNOTATIONS),
        (tamper.add_page, ChangeKind.PAGES),
        (tamper.overlay_content, ChangeKind.CONTENT),
    ],
    ids=["annotation", "page", "overlay"],
)
def test_incremental_changes_are_modified_after_sealing(
    tmp_path: Path, pki: TestPki, seal: bytes, tamperer: Tamperer, kind: ChangeKind
) -> None:
    signed = stamp_file(pki, seal, simple_pdf(tmp_path / "in.pdf"), tmp_path / "s.pdf")

    report = verify_pdf(tamperer(signed, tmp_path / "t.pdf"), [pki.root])

    (sig,) = report.signatures
    assert report.verdict is Verdict.INVALID
    assert sig.intact
    assert sig.modified_after_sealing
    assert kind in {c.kind for c in sig.changes}, sig.changes


def test_changed_form_field_is_named(tmp_path: Path, pki: TestPki, seal: bytes) -> None:
    source = tamper.form_pdf(tmp_path / "form.pdf")
    signed = stamp_file(pki, seal, source, tmp_path / "s.pdf")
    assert verify_pdf(signed, [pki.root]).verdict is Verdict.VALID

    report = verify_pdf(tamper.change_field(signed, tmp_path / "t.pdf"), [pki.root])

    (sig,) = report.signatures
    assert report.verdict is Verdict.INVALID
    assert sig.modified_after_sealing
    assert (ChangeKind.FORM_FIELDS, tamper.FIELD) in {
        (c.kind, c.detail) for c in sig.changes
    }


def test_flipped_byte_in_signed_range_is_invalid(
    tmp_path: Path, pki: TestPki, seal: bytes
) -> None:
    signed = stamp_file(pki, seal, simple_pdf(tmp_path / "in.pdf"), tmp_path / "s.pdf")

    report = verify_pdf(tamper.flip_byte(signed, tmp_path / "t.pdf"), [pki.root])

    (sig,) = report.signatures
    assert report.verdict is Verdict.INVALID
    assert not sig.intact


def test_the_anomaly_corpus_is_there() -> None:
    assert len(ANOMALIES) >= 5


@pytest.mark.parametrize("path", ANOMALIES, ids=[p.stem for p in ANOMALIES])
def test_byte_range_anomalies_are_never_valid(path: Path) -> None:
    report = verify_pdf(path, [], online=False)

    assert report.verdict is not Verdict.VALID
    assert all(s.verdict is not Verdict.VALID for s in report.signatures)
