"""Coordinate placement: true size, right spot on any page geometry, verifiable."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from app.stamping import CoordinatePlacement, Level, StampRequest, stamp
from tests.stamping.documents import SEAL_MM, PageSpec, Text, simple_pdf, write_pdf
from tests.stamping.inspect_pdf import MM, assert_all_valid, red_centroid, widgets
from tests.stamping.pdfsig import chain_accepted, run_pdfsig
from tests.stamping.pki import TestPki


def _request(source: Path, output: Path, seal: bytes, **kwargs: object) -> StampRequest:
    values: dict[str, object] = {
        "input": source,
        "output": output,
        "seal_png": seal,
        "seal_width_mm": SEAL_MM,
        "seal_height_mm": SEAL_MM,
        "placement": CoordinatePlacement(1, 150, 200),
        "reason": "同意发布",
        "location": "北京市",
    }
    values.update(kwargs)
    return StampRequest(**values)  # type: ignore[arg-type]


def test_stamped_output_verifies_in_pyhanko_and_pdfsig(
    tmp_path: Path, pki: TestPki, nss: str, seal: bytes
) -> None:
    source = simple_pdf(tmp_path / "in.pdf", 2)
    before = source.read_bytes()
    request = _request(
        source, tmp_path / "out.pdf", seal, validation_context=pki.validation_context
    )

    result = stamp(request, pki.signer())

    assert source.read_bytes() == before
    assert result.output.exists()
    assert not (tmp_path / "out.pdf.part").exists()
    assert result.pages == (1,)
    assert result.page_count == 2
    assert result.level is Level.B_B
    (status,) = assert_all_valid(result.output, pki)
    assert status.coverage.name == "ENTIRE_FILE"
    (checked,) = run_pdfsig(result.output, nss)
    assert checked.valid
    assert checked.whole_document
    assert chain_accepted(checked), checked.certificate
    assert checked.subfilter == "ETSI.CAdES.detached"
    assert checked.signer == "测试办公室公章"


def test_reason_and_location_are_kept_in_chinese(
    tmp_path: Path, pki: TestPki, seal: bytes
) -> None:
    result = stamp(
        _request(simple_pdf(tmp_path / "in.pdf"), tmp_path / "o.pdf", seal),
        pki.signer(),
    )

    with result.output.open("rb") as handle:
        (sig,) = PdfFileReader(handle).embedded_signatures
        assert sig.sig_object["/Reason"] == "同意发布"
        assert sig.sig_object["/Location"] == "北京市"
        assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"


def test_seal_is_drawn_at_true_size_with_transparency(
    tmp_path: Path, pki: TestPki, seal: bytes
) -> None:
    result = stamp(
        _request(
            simple_pdf(tmp_path / "in.pdf"),
            tmp_path / "o.pdf",
            seal,
            seal_width_mm=40.0,
            seal_height_mm=30.0,
        ),
        pki.signer(),
    )

    (widget,) = widgets(result.output, result.signature_field)
    assert widget.width == pytest.approx(40 * MM, abs=0.01)
    assert widget.height == pytest.approx(30 * MM, abs=0.01)
    appearance = widget.appearance
    assert [float(v) for v in appearance["/BBox"]] == pytest.approx(
        [0, 0, 40 * MM, 30 * MM], abs=0.01
    )
    image = appearance["/Resources"]["/XObject"]["/Seal"]
    assert image["/Subtype"] == "/Image"
    assert "/SMask" in image
    assert b"/Font" not in appearance.data


PAGES = {
    "a4": PageSpec(),
    "landscape": PageSpec(media_box=(0, 0, 842, 595)),
    "offset-crop": PageSpec(media_box=(-100, -50, 700, 900), crop_box=(0, 0, 595, 842)),
    "rotate-90": PageSpec(rotate=90),
    "rotate-180": PageSpec(rotate=180),
    "rotate-270": PageSpec(media_box=(20, 30, 615, 872), rotate=270),
}


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_seal_lands_where_asked_on_the_shown_page(
    tmp_path: Path, pki: TestPki, seal: bytes, kind: str
) -> None:
    source = write_pdf(tmp_path / "in.pdf", [PAGES[kind], PAGES[kind]])
    x_mm, y_mm = 60.0, 90.0

    result = stamp(
        _request(
            source,
            tmp_path / "o.pdf",
            seal,
            placement=CoordinatePlacement(-1, x_mm, y_mm),
        ),
        pki.signer(),
    )

    assert result.pages == (2,)
    (widget,) = widgets(result.output, result.signature_field)
    assert widget.page == 1
    assert widget.width * widget.height == pytest.approx((SEAL_MM * MM) ** 2, rel=1e-3)
    x, y, count = red_centroid(result.output, 1)
    assert count > 500
    assert x == pytest.approx(x_mm * MM, abs=2.0)
    assert y == pytest.approx(y_mm * MM, abs=2.0)
    assert_all_valid(result.output, pki)


def test_user_space_rectangle_of_plain_page(
    tmp_path: Path, pki: TestPki, seal: bytes
) -> None:
    source = write_pdf(tmp_path / "in.pdf", [PageSpec(texts=[Text(72, 700, ["正文"])])])

    result = stamp(_request(source, tmp_path / "o.pdf", seal), pki.signer())

    (widget,) = widgets(result.output, result.signature_field)
    assert widget.centre == pytest.approx((150 * MM, 842 - 200 * MM), abs=0.01)


def _top_bar_png() -> bytes:
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    ImageDraw.Draw(image).rectangle((20, 10, 180, 50), fill=(220, 20, 30, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_seal_is_upright_on_a_rotated_page(
    tmp_path: Path, pki: TestPki, rotate: int
) -> None:
    source = write_pdf(tmp_path / "in.pdf", [PageSpec(rotate=rotate)])

    result = stamp(
        _request(
            source,
            tmp_path / "o.pdf",
            _top_bar_png(),
            placement=CoordinatePlacement(1, 70, 70),
        ),
        pki.signer(),
    )

    # the bar sits in the top fifth of the 42 mm seal, horizontally centred
    x, y, count = red_centroid(result.output, 0)
    assert count > 100
    assert x == pytest.approx(70 * MM, abs=2.0)
    assert y == pytest.approx(70 * MM - SEAL_MM * MM * 0.35, abs=3.0)


def test_pdfsig_check_can_fail_without_the_trusted_root(
    tmp_path: Path, pki: TestPki, seal: bytes
) -> None:
    from tests.stamping.pdfsig import make_nss_db

    other = tmp_path / "other-root.pem"
    other.write_bytes(
        __import__("asn1crypto.pem", fromlist=["armor"]).armor(
            "CERTIFICATE", pki.cert("tsa").dump()
        )
    )
    lonely = make_nss_db(tmp_path / "nss", other)
    result = stamp(
        _request(simple_pdf(tmp_path / "in.pdf"), tmp_path / "o.pdf", seal),
        pki.signer(),
    )

    (checked,) = run_pdfsig(result.output, lonely)

    assert checked.valid
    assert not chain_accepted(checked)
    assert "issuer" in checked.certificate
