"""Reading stamped outputs back: signatures, widgets and rendered pixels."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus

from tests.stamping.pki import TestPki

MM = 72 / 25.4


def statuses(path: Path, pki: TestPki) -> list[PdfSignatureStatus]:
    """pyHanko's verdict on every signature, oldest first (offline, trusting
    the test root)."""
    reader = PdfFileReader(io.BytesIO(path.read_bytes()))
    return [
        validate_pdf_signature(sig, pki.validation_context(fetching=False))
        for sig in reader.embedded_regular_signatures
    ]


def assert_all_valid(path: Path, pki: TestPki) -> list[PdfSignatureStatus]:
    found = statuses(path, pki)
    assert found, "no signature"
    for status in found:
        assert status.intact, status.pretty_print_details()
        assert status.valid, status.pretty_print_details()
        assert status.trusted, status.pretty_print_details()
        assert status.docmdp_ok is not False, status.pretty_print_details()
        assert status.bottom_line, status.pretty_print_details()
    return found


@dataclass(frozen=True)
class Widget:
    page: int  # 0-based
    rect: tuple[float, float, float, float]
    appearance: Any
    raw: Any

    @property
    def centre(self) -> tuple[float, float]:
        x1, y1, x2, y2 = self.rect
        return ((x1 + x2) / 2, (y1 + y2) / 2)

    @property
    def width(self) -> float:
        return self.rect[2] - self.rect[0]

    @property
    def height(self) -> float:
        return self.rect[3] - self.rect[1]


def widgets(path: Path, field_name: str) -> list[Widget]:
    """The widgets of ``field_name`` (from its /Kids), in page order."""
    reader = PdfFileReader(io.BytesIO(path.read_bytes()))
    kids = {
        kid.reference
        for field_ref in reader.root["/AcroForm"]["/Fields"]
        if field_ref.get_object().get("/T") == field_name
        for kid in field_ref.get_object().get("/Kids", [])
    }
    found = []
    for index in range(int(reader.root["/Pages"]["/Count"])):
        page = reader.find_page_for_modification(index)[0].get_object()
        for annot_ref in page.get("/Annots", []):
            if annot_ref.reference not in kids:
                continue
            annot = annot_ref.get_object()
            assert annot["/Subtype"] == "/Widget"
            rect = (
                float(annot["/Rect"][0]),
                float(annot["/Rect"][1]),
                float(annot["/Rect"][2]),
                float(annot["/Rect"][3]),
            )
            found.append(Widget(index, rect, annot["/AP"]["/N"], annot))
    return found


def red_pixels(path: Path, page_index: int) -> list[tuple[int, int]]:
    """Reddish pixels (x, y from the shown top-left, 1 px = 1 pt) of a page
    rendered with its annotations."""
    document = pdfium.PdfDocument(str(path))
    try:
        document.init_forms()
        page = document[page_index]
        image = page.render(scale=1, may_draw_forms=True).to_pil().convert("RGB")
        page.close()
    finally:
        document.close()
    pixels = image.load()
    return [
        (x, y)
        for y in range(image.height)
        for x in range(image.width)
        if _reddish(pixels[x, y])
    ]


def _reddish(rgb: tuple[int, int, int]) -> bool:
    r, g, b = rgb
    return r > 150 and g < 110 and b < 110


def red_centroid(path: Path, page_index: int) -> tuple[float, float, int]:
    """Centroid (points from the shown top-left) of the reddish pixels, and
    their count."""
    found = red_pixels(path, page_index)
    if not found:
        return (-1.0, -1.0, 0)
    count = len(found)
    return (
        sum(x for x, _ in found) / count + 0.5,
        sum(y for _, y in found) / count + 0.5,
        count,
    )
