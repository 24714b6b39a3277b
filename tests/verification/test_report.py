"""The verification report PDF (验章报告) and ``sealdesk verify --report``.

Reports are made from documents sealed with the test PKI, read back with
pypdfium2, and their QR code is decoded with zxing-cpp from a rendered page.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import zxingcpp
from PIL import Image, ImageChops

from app.errors import InputError
from app.stamping import RidingPlacement, StampRequest, stamp
from app.verification import Verdict, VerificationReport, load_trust_roots, verify_pdf
from app.verification.report_font import ReportFontError, report_font
from app.verification.report_pdf import (
    render_report_pdf,
    seal_images,
    write_report_pdf,
)
from tests.stamping.documents import SEAL_MM, simple_pdf
from tests.stamping.pki import TestPki
from tests.support.cli import sealdesk
from tests.verification import tamper
from tests.verification.stamped import stamp_file

SIGNER = "测试办公室公章"
RENDER_SCALE = 300 / 72
#: Where the first signature's seal box sits on page 1 (fractions of the page).
SEAL_BOX_X = (0.70, 0.95)


@pytest.fixture
def signed(tmp_path: Path, pki: TestPki, seal: bytes) -> Path:
    return stamp_file(pki, seal, simple_pdf(tmp_path / "in.pdf"), tmp_path / "s.pdf")


def _verified(path: Path, pki: TestPki) -> VerificationReport:
    return verify_pdf(path, load_trust_roots([pki.root_pem]), online=True)


def _text(pdf: bytes) -> str:
    document = pdfium.PdfDocument(pdf)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def _render(pdf: bytes, page: int = 0) -> Image.Image:
    document = pdfium.PdfDocument(pdf)
    return document[page].render(scale=RENDER_SCALE).to_pil().convert("RGB")


def _red_pixels(image: Image.Image) -> int:
    """How many pixels are clearly red (the seal's colour)."""
    r, g, b = image.convert("RGB").split()
    strong = r.point(lambda v: 255 if v > 150 else 0)
    weak_g = g.point(lambda v: 255 if v < 110 else 0)
    weak_b = b.point(lambda v: 255 if v < 110 else 0)
    mask = ImageChops.multiply(ImageChops.multiply(strong, weak_g), weak_b)
    return mask.histogram()[255]


def test_report_names_verdict_signer_and_hash_in_both_languages(
    pki: TestPki, signed: Path
) -> None:
    report = _verified(signed, pki)
    assert report.verdict is Verdict.VALID

    pdf = render_report_pdf(report, signed)

    document = pdfium.PdfDocument(pdf)
    width, height = document[0].get_size()
    assert (round(width), round(height)) == (595, 842)  # A4
    text = _text(pdf)
    for words in (
        "验章报告",
        "Signature verification report",
        "有效",
        "Valid",
        SIGNER,
        report.sha256,
        "s.pdf",
        "签章时间",
        "Signing time",
        "整个文件",
        "whole file",
        "可信",
        "trusted",
        "核验时间",
        report.checked_at.strftime("%Y-%m-%d %H:%M:%S"),
    ):
        assert words in text, words
    assert "无效" not in text


def test_qr_code_decodes_to_the_documents_sha256(pki: TestPki, signed: Path) -> None:
    report = _verified(signed, pki)

    page = _render(render_report_pdf(report, signed))

    decoded = [
        found.text
        for found in zxingcpp.read_barcodes(page)
        if found.format == zxingcpp.BarcodeFormat.QRCode
    ]
    assert decoded == [report.sha256]


def test_seal_image_is_taken_from_the_widget_with_its_transparency(
    signed: Path,
) -> None:
    images = seal_images(signed)

    assert len(images) == 1
    field, png = images[0]
    assert field == _verified_field(signed)
    image = Image.open(io.BytesIO(png))
    assert image.mode == "RGBA"
    alpha = image.getchannel("A")
    assert alpha.getextrema() == (0, 255)  # transparent corners, opaque ring
    assert _red_pixels(image.convert("RGB").crop(_centre(image))) > 0


def _verified_field(path: Path) -> str:
    (signature,) = verify_pdf(path, (), online=False).signatures
    return signature.field


def _centre(image: Image.Image) -> tuple[int, int, int, int]:
    w, h = image.size
    return (w // 3, h // 3, 2 * w // 3, 2 * h // 3)


def test_report_shows_the_seal_image(pki: TestPki, signed: Path) -> None:
    report = _verified(signed, pki)
    pdf = render_report_pdf(report, signed)

    page = pdfium.PdfDocument(pdf)[0]
    images = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
    assert len(images) == 1
    left, _bottom, right, _top = images[0].get_bounds()
    assert left > 595 * SEAL_BOX_X[0]
    assert right < 595 * SEAL_BOX_X[1]
    rendered = _render(pdf)
    scale = RENDER_SCALE
    box = tuple(round(v * scale) for v in (left, 842 - _top, right, 842 - _bottom))
    assert _red_pixels(rendered.crop(box)) > 500
    # The seal's transparent corners show the white page, not black.
    assert rendered.getpixel((box[0] + 3, box[1] + 3)) == (255, 255, 255)


def test_report_of_a_tampered_document_shows_invalid(
    tmp_path: Path, pki: TestPki, signed: Path
) -> None:
    tampered = tamper.add_annotation(signed, tmp_path / "t.pdf")
    report = _verified(tampered, pki)
    assert report.verdict is Verdict.INVALID

    text = _text(render_report_pdf(report, tampered))

    assert "无效" in text
    assert "Invalid" in text
    for reason in report.signatures[0].reasons:
        assert reason.zh in text.replace("\r\n", "").replace("\n", "")


def test_report_of_an_unreadable_file_says_cannot_verify(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"not a pdf at all")
    report = verify_pdf(garbage, (), online=False)

    text = _text(render_report_pdf(report, garbage))

    assert "无法验证" in text
    assert "Cannot verify" in text
    assert report.sha256 in text


def test_write_report_never_replaces_an_existing_file(
    tmp_path: Path, pki: TestPki, signed: Path
) -> None:
    report = _verified(signed, pki)
    out = tmp_path / "report.pdf"
    write_report_pdf(report, signed, out)
    first = out.read_bytes()
    assert first.startswith(b"%PDF")

    with pytest.raises(InputError) as refused:
        write_report_pdf(report, signed, out)

    assert str(out) in refused.value.en
    assert str(out) in refused.value.zh
    assert out.read_bytes() == first
    assert sorted(p.name for p in tmp_path.iterdir() if "report" in p.name) == [
        "report.pdf"
    ]


def test_write_report_into_a_missing_folder_names_the_file(
    tmp_path: Path, pki: TestPki, signed: Path
) -> None:
    out = tmp_path / "missing" / "report.pdf"

    with pytest.raises(InputError) as refused:
        write_report_pdf(_verified(signed, pki), signed, out)

    assert str(out) in refused.value.en
    assert not out.parent.exists()


def _verify(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    *args: str,
    lang: str = "en",
) -> tuple[int, str, str]:
    workspace = str(tmp_path / "no-workspace")
    done = sealdesk(
        capsys, monkeypatch, "--workspace", workspace, "--lang", lang, "verify", *args
    )
    return done.code, done.out, done.err


def test_cli_writes_the_report_and_says_where(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    pki: TestPki,
    signed: Path,
) -> None:
    out = tmp_path / "验章报告.pdf"

    code, stdout, _ = _verify(
        capsys,
        monkeypatch,
        tmp_path,
        str(signed),
        "--trust",
        str(pki.root_pem),
        "--report",
        str(out),
    )

    assert code == 0
    assert f"Report written to {out}" in stdout
    assert SIGNER in _text(out.read_bytes())


def test_cli_writes_the_report_of_an_invalid_document_and_exits_1(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    pki: TestPki,
    signed: Path,
) -> None:
    tampered = tamper.flip_byte(signed, tmp_path / "flipped.pdf")
    out = tmp_path / "report.pdf"

    code, _, _ = _verify(
        capsys,
        monkeypatch,
        tmp_path,
        str(tampered),
        "--json",
        "--trust",
        str(pki.root_pem),
        "--report",
        str(out),
    )

    assert code == 1
    text = _text(out.read_bytes())
    assert "无效" in text
    assert "Invalid" in text


def test_cli_refuses_an_existing_report_file_in_one_line(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    signed: Path,
) -> None:
    out = tmp_path / "report.pdf"
    out.write_bytes(b"keep me")
    before = os.stat(out).st_mtime_ns

    code, stdout, err = _verify(
        capsys, monkeypatch, tmp_path, str(signed), "--report", str(out), lang="zh"
    )

    assert code == 1
    assert stdout == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert str(out) in lines[0]
    assert "已存在" in lines[0]
    assert out.read_bytes() == b"keep me"
    assert os.stat(out).st_mtime_ns == before


def test_cli_refuses_a_missing_folder_in_one_line(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    signed: Path,
) -> None:
    out = tmp_path / "no-such-folder" / "report.pdf"

    code, _, err = _verify(
        capsys, monkeypatch, tmp_path, str(signed), "--report", str(out)
    )

    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert str(out) in lines[0]
    assert "does not exist" in lines[0]


def test_no_chinese_font_is_a_clear_error_not_boxes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, pki: TestPki, signed: Path
) -> None:
    report = _verified(signed, pki)
    # A machine without fontconfig's tools and without a Windows font folder.
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    monkeypatch.delenv("WINDIR", raising=False)
    report_font.cache_clear()
    try:
        with pytest.raises(ReportFontError) as refused:
            write_report_pdf(report, signed, tmp_path / "report.pdf")
    finally:
        report_font.cache_clear()

    assert "fonts-noto-cjk" in refused.value.en
    assert "中文字体" in refused.value.zh
    assert not (tmp_path / "report.pdf").exists()
    assert not list(tmp_path.glob("*.part"))


def test_riding_seal_slices_are_joined_into_one_seal_image(
    tmp_path: Path, pki: TestPki, seal: bytes
) -> None:
    request = StampRequest(
        input=simple_pdf(tmp_path / "in.pdf", 3),
        output=tmp_path / "riding.pdf",
        seal_png=seal,
        seal_width_mm=SEAL_MM,
        seal_height_mm=SEAL_MM,
        placement=RidingPlacement(),
    )
    signed = stamp(request, pki.signer()).output
    slices = seal_images(signed)
    assert len(slices) == 3
    assert len({field for field, _ in slices}) == 1

    pdf = render_report_pdf(_verified(signed, pki), signed)

    page = pdfium.PdfDocument(pdf)[0]
    (image,) = page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])
    left, bottom, right, top = image.get_bounds()
    assert right - left == pytest.approx(top - bottom, rel=0.02)  # round again
    width = sum(Image.open(io.BytesIO(png)).width for _, png in slices)
    assert image.get_px_size() == (width, Image.open(io.BytesIO(seal)).height)
