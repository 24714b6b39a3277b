"""Keyword placement: the seal centred on 盖章处, however the text was written."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.stamping import (
    KeywordNotFoundError,
    KeywordPlacement,
    Occurrence,
    RefusalReason,
    StampRequest,
    stamp,
)
from tests.stamping.documents import SEAL_MM, PageSpec, Text, write_pdf
from tests.stamping.inspect_pdf import MM, assert_all_valid, widgets
from tests.stamping.pdfsig import chain_accepted, run_pdfsig
from tests.stamping.pki import TestPki

KEYWORD = "盖章处"
# (page index, x, baseline y) of each 盖章处, 12 pt, three characters wide
HITS = [(0, 300.0, 500.0), (1, 100.0, 300.0), (2, 200.0, 400.0)]


def _contract(path: Path) -> Path:
    return write_pdf(
        path,
        [
            PageSpec(
                texts=[
                    Text(72, 760, ["合同书"]),
                    # one text object per character
                    Text(300, 500, ["盖", "章", "处"], objects=True),
                ]
            ),
            # one object, the characters split over Tj and TJ operators
            PageSpec(texts=[Text(100, 300, ["盖章", "处"])]),
            # a MediaBox whose origin is not (0, 0)
            PageSpec(
                media_box=(-100, -50, 700, 900),
                texts=[Text(200, 400, ["盖", "章处"], objects=True)],
            ),
        ],
    )


def _request(
    source: Path, output: Path, seal: bytes, occurrence: object
) -> StampRequest:
    return StampRequest(
        input=source,
        output=output,
        seal_png=seal,
        seal_width_mm=SEAL_MM,
        seal_height_mm=SEAL_MM,
        placement=KeywordPlacement(KEYWORD, occurrence),  # type: ignore[arg-type]
    )


def _expected(hit: tuple[int, float, float]) -> tuple[float, float]:
    _, x, baseline = hit
    # glyph boxes of STSong-Light run from just under the baseline to ~0.9 em
    return (x + 18.0, baseline + 4.5)


@pytest.mark.parametrize(
    ("occurrence", "hit"),
    [(Occurrence.FIRST, 0), (Occurrence.LAST, 2), (2, 1), (3, 2)],
)
def test_seal_is_centred_on_the_keyword(
    tmp_path: Path, pki: TestPki, seal: bytes, occurrence: object, hit: int
) -> None:
    source = _contract(tmp_path / "contract.pdf")

    result = stamp(_request(source, tmp_path / "o.pdf", seal, occurrence), pki.signer())

    (widget,) = widgets(result.output, result.signature_field)
    assert widget.page == HITS[hit][0]
    assert widget.centre == pytest.approx(_expected(HITS[hit]), abs=2.0)
    assert widget.width == pytest.approx(SEAL_MM * MM, abs=0.01)
    assert result.pages == (HITS[hit][0] + 1,)


def test_all_hits_get_a_seal_under_one_signature(
    tmp_path: Path, pki: TestPki, nss: str, seal: bytes
) -> None:
    source = _contract(tmp_path / "contract.pdf")

    result = stamp(
        _request(source, tmp_path / "o.pdf", seal, Occurrence.ALL), pki.signer()
    )

    found = widgets(result.output, result.signature_field)
    assert [w.page for w in found] == [0, 1, 2]
    for widget, hit in zip(found, HITS, strict=True):
        assert widget.centre == pytest.approx(_expected(hit), abs=2.0)
    assert result.pages == (1, 2, 3)
    (status,) = assert_all_valid(result.output, pki)
    assert status.coverage.name == "ENTIRE_FILE"
    (checked,) = run_pdfsig(result.output, nss)
    assert checked.valid
    assert checked.whole_document
    assert chain_accepted(checked), checked.certificate


@pytest.mark.parametrize("occurrence", [Occurrence.FIRST, 4])
def test_missing_keyword_is_a_clear_bilingual_refusal(
    tmp_path: Path, pki: TestPki, seal: bytes, occurrence: object
) -> None:
    source = _contract(tmp_path / "contract.pdf")
    request = _request(source, tmp_path / "o.pdf", seal, occurrence)
    if occurrence is Occurrence.FIRST:
        request = StampRequest(
            **{**request.__dict__, "placement": KeywordPlacement("签字处")}
        )

    with pytest.raises(KeywordNotFoundError) as caught:
        stamp(request, pki.signer())

    refusal = caught.value
    assert refusal.reason is RefusalReason.KEYWORD
    for message in (refusal.en, refusal.zh):
        assert str(source) in message
        assert request.placement.text in message  # type: ignore[union-attr]
    assert "not found" in refusal.en
    assert "未找到" in refusal.zh
    assert not (tmp_path / "o.pdf").exists()
    assert not (tmp_path / "o.pdf.part").exists()
