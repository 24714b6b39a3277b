"""Pages of a PDF as the officer sees them: sizes, pictures, keyword spots.

The stamping screen shows each page at true physical size and lets the
officer put a seal on it. Everything here speaks of the page **as shown**
(CropBox, after ``/Rotate``), in points or in millimetres from the top-left
corner, the same convention as :class:`app.stamping.CoordinatePlacement`.

Pages are drawn with pdfium (pypdfium2), the engine the stamping service
already uses to find keywords, so the picture, the keyword boxes and the
stamped result agree. pdfium must not be driven from two threads at once;
every call made here holds :data:`PDFIUM_LOCK`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium

from app.errors import InputError
from app.pdfium_lock import PDFIUM_LOCK
from app.stamping.keyword import find_text
from app.stamping.placement import MM_TO_PT, PageFrame

__all__ = [
    "KeywordSpot",
    "PageImage",
    "keyword_spots",
    "page_sizes",
    "render_page",
    "shown_point",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageImage:
    """One page drawn at ``scale`` pixels per point; ``rgb`` is packed RGB888."""

    index: int
    width_px: int
    height_px: int
    scale: float
    rgb: bytes = field(repr=False)


@dataclass(frozen=True)
class KeywordSpot:
    """One keyword hit: 0-based page, centre and size in mm from the top-left."""

    page: int
    x_mm: float
    y_mm: float
    width_mm: float
    height_mm: float


@contextmanager
def _document(path: Path) -> Iterator[Any]:
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(str(path))
        except (pdfium.PdfiumError, OSError) as exc:
            raise InputError(
                f"{path}: the file cannot be opened as a PDF ({exc}).",
                f"{path}：无法作为 PDF 打开（{exc}）。",
            ) from exc
        try:
            yield document
        finally:
            document.close()


def page_sizes(path: Path) -> list[tuple[float, float]]:
    """Width and height of every page as shown, in points."""
    with _document(path) as document:
        sizes = []
        for index in range(len(document)):
            page = document[index]
            try:
                sizes.append(_frame(page, index).shown_size)
            finally:
                page.close()
        return sizes


def render_page(path: Path, index: int, scale: float) -> PageImage:
    """Page ``index`` (0-based) drawn at ``scale`` pixels per point."""
    with _document(path) as document:
        page = document[index]
        try:
            bitmap = page.render(scale=scale, may_draw_forms=True)
            image = bitmap.to_pil().convert("RGB")
        finally:
            page.close()
    return PageImage(index, image.width, image.height, scale, image.tobytes())


def keyword_spots(path: Path, text: str) -> list[KeywordSpot]:
    """Every hit of ``text`` in reading order, as the stamping service finds it."""
    hits = find_text(path, text)  # holds PDFIUM_LOCK itself
    if not hits:
        return []
    with _document(path) as document:
        spots = []
        for hit in hits:
            page = document[hit.page]
            try:
                frame = _frame(page, hit.page)
            finally:
                page.close()
            left, bottom, right, top = hit.box
            x0, y0 = shown_point(frame, left, bottom)
            x1, y1 = shown_point(frame, right, top)
            cx, cy = shown_point(frame, *hit.centre)
            spots.append(
                KeywordSpot(
                    hit.page,
                    cx / MM_TO_PT,
                    cy / MM_TO_PT,
                    abs(x1 - x0) / MM_TO_PT,
                    abs(y1 - y0) / MM_TO_PT,
                )
            )
        return spots


def shown_point(frame: PageFrame, x: float, y: float) -> tuple[float, float]:
    """Points from the shown top-left of a user-space point (inverse of
    :meth:`PageFrame.to_user`)."""
    llx, lly, urx, ury = frame.box
    if frame.rotate == 90:
        return y - lly, x - llx
    if frame.rotate == 180:
        return urx - x, y - lly
    if frame.rotate == 270:
        return ury - y, urx - x
    return x - llx, ury - y


def _frame(page: Any, index: int) -> PageFrame:
    llx, lly, urx, ury = (float(v) for v in page.get_bbox())
    box = (min(llx, urx), min(lly, ury), max(llx, urx), max(lly, ury))
    rotate = int(page.get_rotation()) % 360
    return PageFrame(index, box, rotate if rotate % 90 == 0 else 0)
