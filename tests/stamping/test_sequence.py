"""Stamping again adds a revision; earlier seals stay valid."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.stamping import (
    CoordinatePlacement,
    KeywordPlacement,
    Level,
    Placement,
    RidingPlacement,
    StampRequest,
    stamp,
)
from tests.stamping.documents import SEAL_MM, PageSpec, Text, write_pdf
from tests.stamping.inspect_pdf import assert_all_valid
from tests.stamping.pdfsig import chain_accepted, run_pdfsig
from tests.stamping.pki import TestPki


def _request(
    source: Path, output: Path, seal: bytes, placement: Placement, **kw: object
) -> StampRequest:
    return StampRequest(
        input=source,
        output=output,
        seal_png=seal,
        seal_width_mm=SEAL_MM,
        seal_height_mm=SEAL_MM,
        placement=placement,
        **kw,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    "second",
    [CoordinatePlacement(1, 150, 150), KeywordPlacement("盖章处"), RidingPlacement()],
    ids=["coordinates", "keyword", "riding"],
)
def test_two_seals_in_sequence_are_both_valid(
    tmp_path: Path, pki: TestPki, nss: str, seal: bytes, second: Placement
) -> None:
    source = write_pdf(
        tmp_path / "in.pdf",
        [PageSpec(texts=[Text(300, 300, ["盖章处"])]), PageSpec(), PageSpec()],
    )
    once = stamp(
        _request(source, tmp_path / "once.pdf", seal, CoordinatePlacement(1, 50, 50)),
        pki.signer(),
    )

    twice = stamp(
        _request(once.output, tmp_path / "twice.pdf", seal, second), pki.signer()
    )

    assert once.signature_field == "Seal1"
    assert twice.signature_field == "Seal2"
    assert twice.output.read_bytes().startswith(once.output.read_bytes())
    first, last = assert_all_valid(twice.output, pki)
    assert first.coverage.name == "ENTIRE_REVISION"
    assert first.modification_level.name == "FORM_FILLING"
    assert last.coverage.name == "ENTIRE_FILE"
    checked = run_pdfsig(twice.output, nss)
    assert [c.valid for c in checked] == [True, True]
    assert [c.whole_document for c in checked] == [False, True]
    assert all(chain_accepted(c) for c in checked)


def test_b_lt_seal_after_a_b_b_seal(tmp_path: Path, pki: TestPki, seal: bytes) -> None:
    source = write_pdf(tmp_path / "in.pdf", [PageSpec()])
    once = stamp(
        _request(source, tmp_path / "once.pdf", seal, CoordinatePlacement(1, 50, 50)),
        pki.signer(),
    )

    twice = stamp(
        _request(
            once.output,
            tmp_path / "twice.pdf",
            seal,
            CoordinatePlacement(1, 120, 120),
            level=Level.B_LT,
            tsa_url=pki.tsa_url,
            validation_context=pki.validation_context,
        ),
        pki.signer(),
    )

    assert len(assert_all_valid(twice.output, pki)) == 2
