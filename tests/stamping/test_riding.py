"""Riding seal (骑缝章): one slice per chosen page, one signature over all."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.stamping import (
    PlacementError,
    RidingPages,
    RidingPlacement,
    StampRequest,
    stamp,
)
from tests.stamping.documents import SEAL_MM, PageSpec, simple_pdf, write_pdf
from tests.stamping.inspect_pdf import (
    MM,
    assert_all_valid,
    red_centroid,
    red_pixels,
    widgets,
)
from tests.stamping.pdfsig import chain_accepted, run_pdfsig
from tests.stamping.pki import TestPki

SEAL_PX = 400


def _request(
    source: Path, output: Path, seal: bytes, placement: RidingPlacement
) -> StampRequest:
    return StampRequest(
        input=source,
        output=output,
        seal_png=seal,
        seal_width_mm=SEAL_MM,
        seal_height_mm=SEAL_MM,
        placement=placement,
    )


def test_thirty_pages_each_carry_their_slice(
    tmp_path: Path, pki: TestPki, nss: str, seal: bytes
) -> None:
    source = simple_pdf(tmp_path / "in.pdf", 30)

    result = stamp(
        _request(source, tmp_path / "o.pdf", seal, RidingPlacement()), pki.signer()
    )

    found = widgets(result.output, result.signature_field)
    assert [w.page for w in found] == list(range(30))
    assert result.pages == tuple(range(1, 31))
    assert sum(w.width for w in found) == pytest.approx(SEAL_MM * MM, abs=0.01)
    pixel_widths = []
    for widget in found:
        assert widget.rect[2] == pytest.approx(595.0, abs=0.01)  # right page edge
        assert (widget.rect[1] + widget.rect[3]) / 2 == pytest.approx(421.0, abs=0.01)
        assert widget.height == pytest.approx(SEAL_MM * MM, abs=0.01)
        image = widget.appearance["/Resources"]["/XObject"]["/Seal"]
        assert "/SMask" in image
        pixel_widths.append(int(image["/Width"]))
    assert sum(pixel_widths) == SEAL_PX
    assert max(pixel_widths) - min(pixel_widths) <= 1
    (status,) = assert_all_valid(result.output, pki)
    assert status.coverage.name == "ENTIRE_FILE"
    (checked,) = run_pdfsig(result.output, nss)
    assert checked.valid
    assert checked.whole_document
    assert chain_accepted(checked), checked.certificate


def test_slices_join_into_the_whole_seal(
    tmp_path: Path, pki: TestPki, seal: bytes
) -> None:
    source = write_pdf(tmp_path / "in.pdf", [PageSpec(), PageSpec(rotate=90)])

    result = stamp(
        _request(source, tmp_path / "o.pdf", seal, RidingPlacement(y_mm=80)),
        pki.signer(),
    )

    left, _ = widgets(result.output, result.signature_field)
    half = SEAL_MM * MM / 2
    assert left.width == pytest.approx(half, abs=0.01)
    # The ink of each half runs up to the cut: the left half's to the right
    # page edge, the right half's from the left end of its strip (page 2 is
    # shown rotated, its slice upright at the shown right edge).
    first = red_pixels(result.output, 0)
    second = red_pixels(result.output, 1)
    assert max(x for x, _ in first) == pytest.approx(595, abs=2)
    assert min(x for x, _ in second) == pytest.approx(842 - half, abs=2)
    assert max(x for x, _ in second) < 842 - 5
    for page in (0, 1):
        _, y, count = red_centroid(result.output, page)
        assert count > 200
        assert y == pytest.approx(80 * MM, abs=2.0)
    assert_all_valid(result.output, pki)


@pytest.mark.parametrize(
    ("placement", "pages"),
    [
        (RidingPlacement(RidingPages.ODD), [0, 2, 4]),
        (RidingPlacement(RidingPages.EVEN), [1, 3]),
        (RidingPlacement(first_page=3), [2, 3, 4]),
        (RidingPlacement(RidingPages.EVEN, first_page=3), [3]),
    ],
)
def test_page_selection(
    tmp_path: Path,
    pki: TestPki,
    seal: bytes,
    placement: RidingPlacement,
    pages: list[int],
) -> None:
    source = simple_pdf(tmp_path / "in.pdf", 5)
    request = _request(source, tmp_path / "o.pdf", seal, placement)

    if len(pages) < 2:
        with pytest.raises(PlacementError, match="at least two pages"):
            stamp(request, pki.signer())
        assert not (tmp_path / "o.pdf").exists()
        return
    result = stamp(request, pki.signer())

    assert [w.page for w in widgets(result.output, result.signature_field)] == pages
