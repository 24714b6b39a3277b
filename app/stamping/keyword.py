"""Finding a keyword such as 盖章处 on the pages of a PDF, with pdfium.

pdfium's own search (``PdfTextPage.search``) stops at the spaces and line
breaks it generates between separate text objects, and documents made by
office software often write 盖章处 as several show-text operators or objects.
So the text is matched here over pdfium's characters with generated and
white-space characters left out, after NFKC folding (which also maps CJK
compatibility ideographs onto the usual ones); the hit's box is the union of
the matched characters' boxes, in PDF user space.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from app.pdfium_lock import PDFIUM_LOCK

__all__ = ["TextHit", "find_text", "fold"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TextHit:
    """One occurrence of the keyword: 0-based page and user-space box."""

    page: int
    box: tuple[float, float, float, float]

    @property
    def centre(self) -> tuple[float, float]:
        """Centre of the box."""
        left, bottom, right, top = self.box
        return ((left + right) / 2, (bottom + top) / 2)


def fold(text: str) -> str:
    """The form in which keyword and page text are compared."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if not ch.isspace())


def find_text(path: Path, text: str) -> list[TextHit]:
    """Every occurrence of ``text`` in the document, in reading order."""
    needle = fold(text)
    if not needle:
        return []
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(str(path))
        try:
            hits: list[TextHit] = []
            for index in range(len(document)):
                page = document[index]
                try:
                    hits.extend(_find_on_page(page, index, needle))
                finally:
                    page.close()
        finally:
            document.close()
    log.debug("keyword found %d time(s)", len(hits))
    return hits


def _find_on_page(page: Any, index: int, needle: str) -> list[TextHit]:
    textpage = page.get_textpage()
    try:
        chars, owners = _page_chars(textpage)
        haystack = "".join(chars)
        hits = []
        start = haystack.find(needle)
        while start >= 0:
            matched = sorted(set(owners[start : start + len(needle)]))
            box = _union(textpage, matched)
            if box is not None:
                hits.append(TextHit(index, box))
            start = haystack.find(needle, start + len(needle))
        return hits
    finally:
        textpage.close()


def _page_chars(textpage: Any) -> tuple[list[str], list[int]]:
    """Folded characters of a page and the pdfium char index of each."""
    chars: list[str] = []
    owners: list[int] = []
    raw = textpage.raw
    count = textpage.count_chars()
    index = 0
    while index < count:
        code = pdfium_c.FPDFText_GetUnicode(raw, index)
        width = 1
        if 0xD800 <= code < 0xDC00 and index + 1 < count:
            low = pdfium_c.FPDFText_GetUnicode(raw, index + 1)
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            width = 2
        if not pdfium_c.FPDFText_IsGenerated(raw, index) and 0 < code < 0x110000:
            for ch in fold(chr(code)):
                chars.append(ch)
                owners.append(index)
        index += width
    return chars, owners


def _union(
    textpage: Any, indexes: list[int]
) -> tuple[float, float, float, float] | None:
    boxes = [textpage.get_charbox(i) for i in indexes]
    boxes = [b for b in boxes if b[2] > b[0] or b[3] > b[1]]
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
